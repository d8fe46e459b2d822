#!/usr/bin/env bash
# CPU instructions per request on the code route and a small static file, counted by callgrind: stable to a
# few instructions on a noisy machine, where requests per second drift by 10 %. Runs the release example
# server (one worker, serving Public/; valgrind lacks openat2, which openat2_shim.c turns into openat for
# this run only) under `valgrind --tool=callgrind`, warms it with 1,500 requests,
# zeroes the counters, sends 8,000 more on one connection and divides: pipelined 16 per write (the server's
# own work per request), then one per write (each also pays its epoll wake-up, read and write).
#   bash Benchmarks/Instructions/run.sh            # this tree
#   bash Benchmarks/Instructions/run.sh REV        # and REV (built in a temporary worktree), for a before/after
# Kernel time is not counted: the syscalls per request are the same for both, so a difference here is the
# server's own code. Needs valgrind (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=$(mktemp -d)
cleanup() {
  [ -n "${vpid:-}" ] && kill "$vpid" 2>/dev/null || true
  [ -d "$work/rev" ] && git -C "$root" worktree remove --force "$work/rev" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
port=18495
requests=8000

# Sends `count` GETs of `path`, `batch` per write, and waits for each batch's responses.
client() {
  python3 - "$port" "$1" "$2" "$3" <<'PY'
import socket, sys, time
port, path, count, per_write = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for _ in range(1200):  # the server starts slowly under valgrind
    try:
        s = socket.create_connection(("127.0.0.1", port)); break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("the server did not start")
s.settimeout(60)
batch = ("GET %s HTTP/1.1\r\nHost: bench\r\n\r\n" % path).encode() * per_write
done = 0
while done < count:
    s.sendall(batch)
    want, tail = done + per_write, b""
    while done < want:
        data = s.recv(65536)
        if not data:
            sys.exit("the server closed the connection")
        chunk = tail + data
        done += chunk.count(b"HTTP/1.1 200")
        tail = chunk[-16:]
        if b"HTTP/1.1 5" in chunk or b"HTTP/1.1 4" in chunk:
            sys.exit(3)  # not served by this build (an older one may lack the route)
PY
}

# Prints the instructions per request of `binary` for `path`, `batch` requests per write.
count() {
  local binary=$1 path=$2 batch=$3 label=$4
  objcopy --strip-debug "$binary" "$work/server"  # valgrind cannot read Swift 6's DWARF 5
  printf '{"host": "127.0.0.1", "port": %d, "workers": 1, "accessLog": false, "public": "%s/Public", "logLevel": "warning"}' \
    "$port" "$root" >"$work/config.json"
  rm -f "$work"/callgrind.*
  LD_PRELOAD="$work/openat2_shim.so" valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.%p" "$work/server" "$work/config.json" \
    >"$work/valgrind.log" 2>&1 &
  vpid=$!
  local status=0
  client "$path" 1500 "$batch" || status=$?
  if [ "$status" -ne 0 ]; then
    kill "$vpid"; wait "$vpid" 2>/dev/null || true; vpid=""
    [ "$status" -eq 3 ] && { echo "$label $path, $batch per write: not served by this build"; return 0; }
    exit "$status"
  fi
  callgrind_control -z "$vpid" >/dev/null 2>&1
  client "$path" "$requests" "$batch"
  callgrind_control -d "$vpid" >/dev/null 2>&1
  sleep 1
  kill "$vpid"; wait "$vpid" 2>/dev/null || true; vpid=""
  local dump total
  dump=$(ls "$work"/callgrind.*.1 | head -1)
  total=$(sed -n 's/^summary: //p' "$dump")
  echo "$label $path, $batch per write: $((total / requests)) instructions per request"
}

measure() {
  local binary=$1 label=$2
  for path in /plain /api/v1/plain /index.html; do
    for batch in 16 1; do count "$binary" "$path" "$batch" "$label"; done
  done
}

gcc -O2 -shared -fPIC Benchmarks/Instructions/openat2_shim.c -o "$work/openat2_shim.so" -ldl

if [ $# -ge 1 ]; then
  git worktree add --detach "$work/rev" "$1" >/dev/null 2>&1
  (cd "$work/rev" && swift build -c release --product MiniHTTPExample >/dev/null)
  measure "$work/rev/.build/release/MiniHTTPExample" "$(git rev-parse --short "$1")"
fi
swift build -c release --product MiniHTTPExample >/dev/null
measure .build/release/MiniHTTPExample "this tree"
