#!/usr/bin/env python3
"""Soak test: many connections with a mix of good, malformed, slow and abruptly closed clients against a
running minihttp on loopback, then checks that the server still answers, that its open descriptors are back
to the warmed-up count, that its RSS is within 5% of the warmed-up value, and that no good request failed.

Bounded: it stops after --connections connections or --max-seconds, whichever comes first."""
import argparse, asyncio, json, os, random, socket, struct, sys, time

GOOD = b"GET /index.html HTTP/1.1\r\nHost: soak\r\n\r\n"
GARBAGE = [
    b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"G\x00T / HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\nHost: a\n\n",
    b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: a\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n",
    b"\xff\xfe\xfd garbage \r\n\r\n",
]

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1

def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))

async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length)
    return status, body

class Tally:
    def __init__(self):
        self.counts = {"good": 0, "malformed": 0, "slow": 0, "abrupt": 0}
        self.good_failures = 0
        self.good_requests = 0
        self.errors = []

async def expect_page(reader, tally, expected_length, kind):
    """Reads one response to GOOD and counts it: a failure unless it is 200 with the whole page."""
    status, body = await asyncio.wait_for(read_response(reader), 10)
    tally.good_requests += 1
    if status != 200 or len(body) != expected_length:
        tally.good_failures += 1
        tally.errors.append(f"{kind}: status {status}, {len(body)} bytes")

async def good_client(port, tally, expected_length, requests):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(requests):
            writer.write(GOOD)
            await expect_page(reader, tally, expected_length, "good")
    finally:
        writer.close()

async def slow_client(port, tally, expected_length):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for piece in (GOOD[:7], GOOD[7:20], GOOD[20:]):
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.05)
        await expect_page(reader, tally, expected_length, "slow")
    finally:
        writer.close()

async def malformed_client(port, tally, rng):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(rng.choice(GARBAGE))
        data = await asyncio.wait_for(reader.read(), 10)  # the answer, then the server's close
        if data and not (data.startswith(b"HTTP/1.1 4") or data.startswith(b"HTTP/1.1 5")):
            tally.errors.append(f"malformed got {data[:20]!r}")
    except (ConnectionResetError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()

async def abrupt_client(port, tally, rng):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(GOOD[: rng.randint(0, len(GOOD) - 1)])
    await writer.drain()
    sock = writer.get_extra_info("socket")
    # SO_LINGER with a zero timeout: close sends a reset, like a client that crashed.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()

async def run(args):
    rng = random.Random(args.seed)
    tally = Tally()
    expected_length = len(open(args.index, "rb").read())
    deadline = time.monotonic() + args.max_seconds

    async def mixed(count, tally):
        remaining = [count]

        async def worker():
            while remaining[0] > 0 and time.monotonic() < deadline:
                remaining[0] -= 1
                kind = rng.random()
                try:
                    if kind < 0.70:
                        tally.counts["good"] += 1
                        await good_client(args.port, tally, expected_length, rng.randint(1, 3))
                    elif kind < 0.85:
                        tally.counts["malformed"] += 1
                        await malformed_client(args.port, tally, rng)
                    elif kind < 0.90:
                        tally.counts["slow"] += 1
                        await slow_client(args.port, tally, expected_length)
                    else:
                        tally.counts["abrupt"] += 1
                        await abrupt_client(args.port, tally, rng)
                except Exception as error:  # a good client failing is counted; others may see resets
                    if kind < 0.70 or 0.85 <= kind < 0.90:
                        tally.good_failures += 1
                        tally.errors.append(f"{type(error).__name__}: {error}")

        await asyncio.gather(*(worker() for _ in range(args.concurrency)))

    # Warm-up: the same mix and concurrency, so buffer pools and allocator arenas reach their steady size.
    warm = Tally()
    await mixed(args.warmup, warm)
    await asyncio.sleep(args.settle_seconds)
    warm_fds, warm_rss = fd_count(args.pid), rss_kib(args.pid)
    print(f"warmed up: {sum(warm.counts.values())} connections, {warm_fds} descriptors, RSS {warm_rss} KiB")

    started = time.monotonic()
    await mixed(args.connections, tally)
    elapsed = time.monotonic() - started
    done = sum(tally.counts.values())
    print(f"soak: {done} connections in {elapsed:.1f} s ({done / elapsed:.0f}/s): {tally.counts}")
    print(f"good requests: {tally.good_requests}, failed: {tally.good_failures}")

    # Let lingering closes and timeouts finish, then compare with the warmed-up state.
    await asyncio.sleep(args.settle_seconds)
    status_reader, status_writer = await asyncio.open_connection("127.0.0.1", args.port)
    status_writer.write(b"GET /status HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n")
    code, body = await asyncio.wait_for(read_response(status_reader), 10)
    status_writer.close()
    await asyncio.sleep(0.5)
    fds, rss = fd_count(args.pid), rss_kib(args.pid)
    document = json.loads(body)
    print(f"after: {fds} descriptors (warmed up {warm_fds}), RSS {rss} KiB (warmed up {warm_rss} KiB, "
          f"{(rss - warm_rss) * 100 / warm_rss:+.1f}%)")
    print(f"status: connections {document['connections']}, requests {document['requests']}")

    failures = []
    if code != 200: failures.append(f"/status answered {code}")
    if fds > warm_fds + args.other_connections:
        failures.append(f"descriptors {fds} > warmed-up {warm_fds} + {args.other_connections}")
    if rss > warm_rss * 1.05: failures.append(f"RSS {rss} KiB is more than 5% above {warm_rss} KiB")
    if tally.good_failures: failures.append(f"{tally.good_failures} good requests failed: {tally.errors[:5]}")
    if done < args.connections: failures.append(f"only {done} of {args.connections} connections within the time limit")
    for failure in failures: print("FAIL:", failure)
    print("soak:", "1 passed, 0 failed" if not failures else "0 passed, 1 failed")
    return 0 if not failures else 1

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--index", default="Public/index.html")
    parser.add_argument("--connections", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=5000, help="connections of the same mix before measuring")
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--settle-seconds", type=float, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--other-connections", type=int, default=0,
                        help="connections other clients (keepalive.py) may open or close meanwhile")
    sys.exit(asyncio.run(run(parser.parse_args())))
