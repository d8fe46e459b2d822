#!/usr/bin/env python3
"""Long-lived keep-alive clients against a running minihttp on loopback (run it beside soak.py, in its own
process, so that the mixed soak's load cannot delay these clients' timers).

- --clients connections each send a GET every --interval-min..--interval-max seconds for --seconds, on the
  same connection. The server's keepAliveTimeoutSeconds (--keep-alive) must be longer than the interval;
  run.sh uses 2 s, so a run of minutes spans many timeouts. Every response must be a 200 with the whole
  page, without "Connection: close"; an end-of-file or reset on such a connection is a failure, unless
  this client itself was late (it paused from a response to its next request for the keep-alive - 0.1 s or
  longer: then it is counted as "late", not blamed on the server).
- Idle probes, one after another for the whole run: a connection that sends one request, reads the
  answer and then sends nothing must be closed within keep-alive + --idle-slack seconds of the answer (and
  not before keep-alive - 0.5 s); a connection that sends nothing at all likewise, from its accept.

Prints a summary line per check and exits 1 if any failed. Bounded: --seconds plus a few seconds."""
import argparse, asyncio, random, sys, time

REQUEST = b"GET /index.html HTTP/1.1\r\nHost: keepalive\r\n\r\n"


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length, closes = 0, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and b"close" in value:
            closes = True
    body = await reader.readexactly(length)
    return status, body, closes


class Tally:
    def __init__(self):
        self.requests = 0
        self.failed = 0          # good requests not answered 200 with the whole page
        self.eofs = 0            # end-of-file or reset on a busy keep-alive connection (the server's fault)
        self.late = 0            # connections lost after this client itself paused longer than the keep-alive
        self.closes = 0          # responses with "Connection: close" on a busy connection
        self.max_gap = 0.0       # longest pause between a response and the next request on one connection
        self.reconnects = 0
        self.errors = []
        self.idle_probes = 0
        self.idle_bad = 0
        self.idle_times = []


async def busy_client(args, tally, expected, rng, deadline):
    """One connection for the whole run (reconnecting after a failure, which is counted)."""
    while time.monotonic() < deadline:
        reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
        answered = None  # when the previous response was read: the server's idle time runs from about then
        try:
            while time.monotonic() < deadline:
                pause = time.monotonic() - answered if answered is not None else 0.0
                tally.max_gap = max(tally.max_gap, pause)
                writer.write(REQUEST)
                tally.requests += 1
                try:
                    status, body, closes = await asyncio.wait_for(read_response(reader), 10)
                    answered = time.monotonic()
                except (asyncio.IncompleteReadError, ConnectionError) as error:
                    if pause > args.keep_alive - 0.1:  # this process stalled: the server may close first
                        tally.late += 1
                    else:
                        tally.eofs += 1
                        tally.failed += 1
                        tally.errors.append(f"{type(error).__name__} after {tally.requests} requests")
                    break
                if status != 200 or len(body) != expected:
                    tally.failed += 1
                    tally.errors.append(f"status {status}, {len(body)} bytes")
                if closes:
                    tally.closes += 1
                    tally.errors.append("Connection: close on a busy keep-alive connection")
                    break
                await asyncio.sleep(rng.uniform(args.interval_min, args.interval_max))
        except Exception as error:
            tally.failed += 1
            tally.errors.append(f"{type(error).__name__}: {error}")
        finally:
            writer.close()
        if time.monotonic() < deadline:
            tally.reconnects += 1


async def idle_probe(args, tally, send_first):
    """Returns after the server closed an idle connection; checks when it did."""
    reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
    try:
        if send_first:
            writer.write(REQUEST)
            await asyncio.wait_for(read_response(reader), 10)
        since = time.monotonic()
        try:
            data = await asyncio.wait_for(reader.read(1), args.keep_alive + args.idle_slack + 5)
            closed = data == b""
        except ConnectionError:
            closed = True
        except asyncio.TimeoutError:
            closed = False
        took = time.monotonic() - since
    finally:
        writer.close()
    tally.idle_probes += 1
    tally.idle_times.append(took)
    kind = "after a response" if send_first else "without a request"
    if not closed or took > args.keep_alive + args.idle_slack or took < args.keep_alive - 0.5:
        tally.idle_bad += 1
        tally.errors.append(f"idle connection {kind}: {'closed' if closed else 'still open'} after {took:.2f} s")


async def idle_probes(args, tally, deadline):
    send_first = True
    while time.monotonic() + args.keep_alive + args.idle_slack < deadline:
        await idle_probe(args, tally, send_first)
        send_first = not send_first


async def run(args):
    rng = random.Random(args.seed)
    expected = len(open(args.index, "rb").read())
    tally = Tally()
    started = time.monotonic()
    deadline = started + args.seconds
    clients = [busy_client(args, tally, expected, random.Random(rng.random()), deadline) for _ in range(args.clients)]
    await asyncio.gather(idle_probes(args, tally, deadline), *clients)
    elapsed = time.monotonic() - started

    print(f"keep-alive: {args.clients} connections for {elapsed:.0f} s (keep-alive {args.keep_alive:g} s, "
          f"a request every {args.interval_min:g}-{args.interval_max:g} s): {tally.requests} requests, "
          f"failed {tally.failed}, EOFs/resets {tally.eofs}, 'Connection: close' {tally.closes}, "
          f"reconnects {tally.reconnects}, late client pauses {tally.late} (longest pause {tally.max_gap:.2f} s)")
    times = tally.idle_times
    if times:
        print(f"idle: {tally.idle_probes} idle connections closed after {min(times):.2f}-{max(times):.2f} s "
              f"(keep-alive {args.keep_alive:g} s, allowed up to {args.keep_alive + args.idle_slack:g} s), "
              f"{tally.idle_bad} outside")
    failures = []
    if tally.failed or tally.eofs or tally.closes:
        failures.append(f"{tally.failed} failed, {tally.eofs} EOFs, {tally.closes} closes: {tally.errors[:5]}")
    if tally.idle_bad or not times:
        failures.append(f"idle checks: {[e for e in tally.errors if e.startswith('idle')][:5]}")
    if tally.late:
        print(f"note: {tally.late} connections lost after this client paused longer than the keep-alive "
              "(the machine is overloaded; not counted against the server)")
    for failure in failures:
        print("FAIL:", failure)
    print("keep-alive:", "1 passed, 0 failed" if not failures else "0 passed, 1 failed")
    return 0 if not failures else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--index", default="Public/index.html")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=150)
    parser.add_argument("--keep-alive", type=float, default=2, help="the server's keepAliveTimeoutSeconds")
    parser.add_argument("--interval-min", type=float, default=0.5)
    parser.add_argument("--interval-max", type=float, default=1.0)
    parser.add_argument("--idle-slack", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    sys.exit(asyncio.run(run(parser.parse_args())))
