"""What /proc says about the server process: its memory, its sockets, its CPU time."""
import asyncio, os, time

TICKS = os.sysconf("SC_CLK_TCK")


def memory_kib(pid):
    """VmRSS and RssAnon of the process, in KiB."""
    found = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon"):
                found[key] = int(value.split()[0])
    return found.get("VmRSS", -1), found.get("RssAnon", -1)


def socket_count(pid):
    """The server's sockets (its file cache's descriptors come and go on their own)."""
    count, fds = 0, f"/proc/{pid}/fd"
    for fd in os.listdir(fds):
        try:
            count += os.readlink(f"{fds}/{fd}").startswith("socket:")
        except FileNotFoundError:
            pass  # closed meanwhile
    return count


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


async def cpu_percent(pid, seconds):
    before, started = cpu_seconds(pid), time.monotonic()
    await asyncio.sleep(seconds)
    return (cpu_seconds(pid) - before) * 100 / (time.monotonic() - started)
