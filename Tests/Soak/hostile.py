#!/usr/bin/env python3
"""Hostile clients against a running minihttp on loopback (with the default limits): what they cost the
server, and whether it goes on serving everyone else. Exits 1 on any failure; about writeTimeoutSeconds + 40 s.

1. Warm-up with well-behaved clients (both files, pipelined and not): pools and allocator arenas reach their
   steady size; the server's RSS is then the baseline.
2. --batches x --connections clients pipeline GETs as long as the socket takes them and never read; the
   server's RSS after each batch. Per connection: all growth over all of them, and the growth after the
   first batch over the later ones (the first may live on pooled buffers); both <= --bound-kib. The bound,
   64 KiB, is issue 11's target: an input buffer (16 KiB) + an output buffer (up to 32 KiB: 8 KiB high water
   plus one response) + 16 KiB for the connection, its head and the allocator's slack.
3. While they are held: the server's CPU (no spinning: < --max-cpu %) and a good client served within 1 s.
4. 60,000 bytes of leading CRLF, then a POST with a 20 KB field and a 1 MiB body (this froze a worker at
   100% CPU before the rewrite); a head over maxHeaderBytes sent slowly (431); a byte every 0.5 s (408):
   meanwhile fresh connections are served within 1 s, and the server does not spin afterwards.
5. The server closes them writeTimeoutSeconds after they blocked (not before). 6. Reported: RSS per
   connection that stalls one byte short of a maxBodyBytes body to a static file."""
import argparse, asyncio, socket, sys, time
from process import cpu_percent, memory_kib, socket_count

def get(path, close=False):
    return (f"GET {path} HTTP/1.1\r\nHost: hostile\r\n" + ("Connection: close\r\n" if close else "") + "\r\n").encode()


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status, length


async def warm_up(args):
    """Well-behaved clients: one request at a time and pipelined batches that are read, both files."""
    async def client(n):
        reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
        try:
            for i in range(args.warmup_requests):
                batch = 1 if i % 2 else 16
                writer.write(b"".join(get(args.big if (n + i + k) % 16 == 0 else args.small) for k in range(batch)))
                for _ in range(batch):
                    status, _ = await asyncio.wait_for(read_response(reader), 10)
                    if status != 200:
                        raise RuntimeError(f"warm-up got {status}")
        finally:
            writer.close()
    await asyncio.gather(*(client(n) for n in range(args.warmup_clients)))


async def fill(sockets, stream):
    """Sends pipelined requests (stream, repeated) on every socket until none has taken a byte for a second;
    returns bytes sent per socket."""
    sent = [0] * len(sockets)
    twice = stream * 2
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 1.0:
        progressed = False
        for i, sock in enumerate(sockets):
            try:
                offset = sent[i] % len(stream)  # a partial send resumes mid-request
                count = sock.send(twice[offset:offset + len(stream)])
            except BlockingIOError:
                continue
            except OSError:
                continue  # the server closed it; counted by the descriptor check
            sent[i] += count
            progressed = True
        if progressed:
            quiet_since = time.monotonic()
        await asyncio.sleep(0.01)
    return sent


async def good_latency(args, requests=5):
    """Fresh connections (so both workers are likely hit), one request each: the slowest answer, in s."""
    slowest = 0.0
    for _ in range(requests):
        started = time.monotonic()
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", args.port), 1)
        try:
            writer.write(get(args.small, close=True))
            status, _ = await asyncio.wait_for(read_response(reader), 1)
            if status != 200:
                raise RuntimeError(f"good request got {status}")
        finally:
            writer.close()
        slowest = max(slowest, time.monotonic() - started)
    return slowest


async def crlf_client(args):
    """60,000 bytes of CRLF, then a POST with a 20 KB field and a 1 MiB body; the first line of what the
    server answered (or how it closed)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
    head = (b"\r\n" * 30000 + b"POST / HTTP/1.1\r\nHost: hostile\r\nX-Pad: " + b"a" * 20000 +
            b"\r\nContent-Length: 1048576\r\n\r\n")
    try:
        writer.write(head)
        for _ in range(64):
            writer.write(b"b" * 16384)
            await asyncio.wait_for(writer.drain(), 15)
        answer = await asyncio.wait_for(reader.read(64), 15)
        return answer.split(b"\r\n", 1)[0].decode(errors="replace") or "closed without an answer"
    except (ConnectionError, asyncio.IncompleteReadError) as error:
        return f"closed ({type(error).__name__})"
    except asyncio.TimeoutError:
        return "HANG: no answer and no close within 15 s"
    finally:
        writer.close()


async def slow_head_client(args, piece, interval, limit):
    """Sends a head in pieces; returns (first line of the answer, bytes sent, seconds)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
    started, sent = time.monotonic(), 0
    try:
        writer.write(b"GET / HTTP/1.1\r\nHost: hostile\r\n")
        while sent < limit:
            writer.write(piece)
            await writer.drain()
            sent += len(piece)
            try:
                answer = await asyncio.wait_for(reader.read(64), interval)
                return answer.split(b"\r\n", 1)[0].decode(errors="replace") or "closed", sent, time.monotonic() - started
            except asyncio.TimeoutError:
                pass
        return "HANG: no answer", sent, time.monotonic() - started
    except ConnectionError as error:
        return f"closed ({type(error).__name__})", sent, time.monotonic() - started
    finally:
        writer.close()


async def probe_while(task, args):
    """Answers to fresh connections, every 0.1 s while task runs: (slowest in s, failures)."""
    slowest, failures = 0.0, 0
    while not task.done():
        try:
            slowest = max(slowest, await good_latency(args, 1))
        except Exception:
            failures += 1
        await asyncio.sleep(0.1)
    return slowest, failures


def open_hostile(args):
    sockets = []
    for _ in range(args.connections):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, args.client_buffer)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, args.client_buffer)
        sock.connect(("127.0.0.1", args.port))
        sock.setblocking(False)
        sockets.append(sock)
    return sockets


async def hold_hostile(args, base, failures):
    """Opens and fills the batches; checks the RSS per connection. Returns the sockets (to be closed by the
    caller) and when the last batch was opened."""
    # Batches cycle through what they pipeline: both files alternately, the small page only (answers pile up
    # in the output buffer), the large file only (each answer is a file sent from the page cache).
    kinds = [("small and large", [args.small, args.big]), ("small only", [args.small]), ("large only", [args.big])]
    held, measured = [], [base]
    for batch in range(args.batches):
        kind, paths = kinds[batch % len(kinds)]
        last_opened = time.monotonic()
        sockets = open_hostile(args)
        held += sockets
        sent = await fill(sockets, b"".join(get(paths[i % len(paths)]) for i in range(64)))
        await asyncio.sleep(args.settle_seconds / 2)
        measured.append((*memory_kib(args.pid), socket_count(args.pid)))
        rss, anon, fds = measured[-1]
        print(f"  batch {batch + 1} ({kind}): {len(held)} hostile connections held (each took {min(sent) // 1024}-"
              f"{max(sent) // 1024} KiB of pipelined requests), RSS {rss} KiB (anon {anon} KiB; "
              f"{(rss - measured[-2][0]) / args.connections:.1f} KiB per connection of this batch), {fds} sockets")
    total, later = len(held), args.connections * (args.batches - 1)
    overall = [(measured[-1][i] - base[i]) / total for i in (0, 1)]
    marginal = [(measured[-1][i] - measured[1][i]) / later if later else overall[i] for i in (0, 1)]
    print(f"hostile: RSS per pipelining-without-reading connection: {overall[0]:.1f} KiB over all {total} "
          f"(anon {overall[1]:.1f}), {marginal[0]:.1f} KiB over the last {later} (anon {marginal[1]:.1f}); "
          f"bound {args.bound_kib:g} KiB")
    if measured[-1][2] < base[2] + total:
        failures.append(f"only {measured[-1][2] - base[2]} of {total} hostile connections open at the measurement")
    if max(overall + marginal) > args.bound_kib:
        failures.append(f"{max(overall + marginal):.1f} KiB per hostile connection > {args.bound_kib:g} KiB")
    return held, last_opened


async def hostile_heads(args, failures):
    """The CRLF client, a large head sent slowly and a byte every 0.5 s, while fresh clients are served."""
    crlf = asyncio.ensure_future(crlf_client(args))
    slow = asyncio.ensure_future(slow_head_client(args, b"X-Fill: " + b"a" * 1014 + b"\r\n", 0.05, 100 * 1024))
    loris = asyncio.ensure_future(slow_head_client(args, b"X", 0.5, 60))
    slowest, probe_failures = await probe_while(asyncio.gather(crlf, slow, loris), args)
    await asyncio.sleep(0.2)
    (slow_answer, slow_sent, slow_took), (loris_answer, _, loris_took) = slow.result(), loris.result()
    cpu_after = await cpu_percent(args.pid, args.cpu_seconds)
    print(f"hostile: 60,000 bytes of CRLF then POST + 20 KB field + 1 MiB body: {crlf.result()!r}")
    print(f"hostile: large head sent slowly: {slow_answer!r} after {slow_sent // 1024} KiB in {slow_took:.1f} s; "
          f"a byte every 0.5 s: {loris_answer!r} after {loris_took:.1f} s")
    print(f"hostile: meanwhile fresh connections answered in <= {slowest * 1000:.0f} ms ({probe_failures} failed); "
          f"server CPU afterwards {cpu_after:.1f}%")
    if "HANG" in crlf.result(): failures.append(f"CRLF client: {crlf.result()}")
    if not slow_answer.startswith("HTTP/1.1 431"): failures.append(f"large slow head got {slow_answer!r}")
    if not loris_answer.startswith("HTTP/1.1 408"): failures.append(f"byte-a-second head got {loris_answer!r}")
    if slowest > 1 or probe_failures: failures.append(f"other clients: slowest {slowest:.2f} s, {probe_failures} failed")
    if cpu_after > args.max_cpu: failures.append(f"server CPU {cpu_after:.1f}% after the CRLF client")


async def await_closes(args, base_fds, total, last_opened, failures):
    """The server must give up on clients that never read writeTimeoutSeconds after their output blocked: the
    last batch blocked just after it was opened, so it must be closed that long after, and not before."""
    limit, early = last_opened + args.write_timeout + 8, None
    while socket_count(args.pid) > base_fds and time.monotonic() < limit:
        if early is None and socket_count(args.pid) < base_fds + args.connections:
            early = time.monotonic() - last_opened
        await asyncio.sleep(0.25)
    closed_after, left = time.monotonic() - last_opened, socket_count(args.pid) - base_fds
    early = early or closed_after
    print(f"hostile: {total - max(left, 0)} of {total} hostile connections closed by the server; the last batch "
          f"between {early:.1f} and {closed_after:.1f} s after it was opened (writeTimeoutSeconds {args.write_timeout:g})")
    if left > 0: failures.append(f"{left} hostile connections still open {closed_after:.0f} s after the last batch")
    if early < args.write_timeout - 0.5: failures.append(f"the last batch was closed {early:.1f} s after it was opened")


async def hold_bodies(args, failures):
    """Connections that send all but the last byte of a request body (Content-Length, then chunked) to a route
    that takes none (a static file), then stall: reported per connection; bounded by maxBodyBytes today (the
    body is buffered whole), so the check is 2 x maxBodyBytes: buffering it twice would fail."""
    chunk = b"4000\r\n" + b"b" * 0x4000 + b"\r\n"
    kinds = [("Content-Length", f"Content-Length: {args.max_body}\r\n\r\n".encode() + b"b" * (args.max_body - 1)),
             ("chunked", b"Transfer-Encoding: chunked\r\n\r\n" + chunk * (args.max_body // 0x4000 - 1))]
    loop, held = asyncio.get_running_loop(), []
    for kind, rest in kinds:
        before = memory_kib(args.pid)[0]
        for _ in range(args.body_connections):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            await loop.sock_connect(sock, ("127.0.0.1", args.port))
            held.append(sock)
            await asyncio.wait_for(loop.sock_sendall(sock, f"GET {args.small} HTTP/1.1\r\nHost: hostile\r\n".encode() + rest), 10)
        await asyncio.sleep(args.settle_seconds)
        each = (memory_kib(args.pid)[0] - before) / args.body_connections
        print(f"hostile: RSS per connection holding an unfinished {args.max_body // 1024} KiB {kind} body "
              f"(GET {args.small}, {args.body_connections} held): {each:.0f} KiB")
        if each > 2 * args.max_body / 1024:
            failures.append(f"{each:.0f} KiB per unfinished {kind} body > 2 x maxBodyBytes")
    for sock in held:
        sock.close()


async def run(args):
    failures = []
    await warm_up(args)
    await asyncio.sleep(args.settle_seconds)
    base = (*memory_kib(args.pid), socket_count(args.pid))
    print(f"hostile: warmed up ({args.warmup_clients} clients x {args.warmup_requests} rounds): "
          f"RSS {base[0]} KiB (anon {base[1]} KiB), {base[2]} sockets")
    held, last_opened = await hold_hostile(args, base, failures)
    cpu = await cpu_percent(args.pid, args.cpu_seconds)
    latency = await good_latency(args)
    print(f"hostile: with {len(held)} held: server CPU {cpu:.1f}% over {args.cpu_seconds:g} s, "
          f"good requests answered in <= {latency * 1000:.0f} ms")
    if cpu > args.max_cpu: failures.append(f"server CPU {cpu:.1f}% while hostile clients sit idle")
    if latency > 1: failures.append(f"a good request took {latency:.2f} s with hostile clients held")
    await hostile_heads(args, failures)
    await await_closes(args, base[2], len(held), last_opened, failures)
    for sock in held:
        sock.close()
    await hold_bodies(args, failures)
    for failure in failures:
        print("FAIL:", failure)
    print("hostile:", "1 passed, 0 failed" if not failures else "0 passed, 1 failed")
    return 0 if not failures else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--small", default="/index.html")
    parser.add_argument("--big", default="/big.bin", help="a file of about 1 MiB, not compressible")
    parser.add_argument("--connections", type=int, default=30, help="hostile connections per batch")
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--bound-kib", type=float, default=64)
    parser.add_argument("--client-buffer", type=int, default=256 * 1024, help="hostile sockets' SO_SNDBUF/RCVBUF")
    parser.add_argument("--warmup-clients", type=int, default=64)
    parser.add_argument("--warmup-requests", type=int, default=10)
    parser.add_argument("--settle-seconds", type=float, default=2)
    parser.add_argument("--cpu-seconds", type=float, default=3)
    parser.add_argument("--max-cpu", type=float, default=5, help="percent of one core")
    parser.add_argument("--write-timeout", type=float, default=30, help="the server's writeTimeoutSeconds")
    parser.add_argument("--max-body", type=int, default=1 << 20, help="the server's maxBodyBytes")
    parser.add_argument("--body-connections", type=int, default=15, help="per kind of unfinished body")
    sys.exit(asyncio.run(run(parser.parse_args())))
