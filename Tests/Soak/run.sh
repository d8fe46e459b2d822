#!/usr/bin/env bash
# Builds minihttp in release and runs, on loopback, stopping only the processes it started (by PID):
#  1. a server with keepAliveTimeoutSeconds 2: the mixed soak (soak.py: good, malformed, slow and reset
#     clients; default 100,000 connections) and, beside it in its own process, long-lived keep-alive clients
#     (keepalive.py: 20 connections with a request every 0.5-1 s for 150 s, and idle connections that must be
#     closed within keep-alive + 1 s);
#  2. a server with the default limits: hostile clients (hostile.py: 3 x 30 connections that pipeline
#     without reading, RSS per connection <= 64 KiB; a large head sent slowly; a byte every 0.5 s; 60,000
#     bytes of leading CRLF before a large request; reported: RSS per connection holding an unfinished
#     maxBodyBytes body).
# Then prints a summary. About 3.5 minutes; --long: 300,000 connections, keep-alive clients for 15 minutes,
# 5 hostile batches.
#   bash Tests/Soak/run.sh [--long] [--connections N] [--keepalive-seconds S]
set -euo pipefail
cd "$(dirname "$0")/../.."
connections=100000 keepalive_seconds=150 batches=3
while [ $# -gt 0 ]; do
  case $1 in
    --long) connections=300000 keepalive_seconds=900 batches=5 ;;
    --connections) connections=$2; shift ;;
    --keepalive-seconds) keepalive_seconds=$2; shift ;;
    [0-9]*) connections=$1 ;;  # the old positional form
    *) echo "usage: $0 [--long] [--connections N] [--keepalive-seconds S]" >&2; exit 2 ;;
  esac
  shift
done
swift build -c release --product minihttp
work=$(mktemp -d)
pids=()
# Stops what this script started, by PID: SIGTERM, then SIGKILL after 15 s (a server that cannot drain,
# e.g. with a frozen worker, is itself a finding: say so).
running() {  # a child that exited stays a zombie until waited for: that is not running
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${state#Z}" = "$state" ]
}
stop_started() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 150); do running "$p" || break; sleep 0.1; done
    if running "$p"; then
      echo "FAIL: process $p did not stop within 15 s of SIGTERM" | tee -a "$work/stop.out"; kill -9 "$p"
    fi
    wait "$p" 2>/dev/null || true
  done
  pids=()
}
trap 'stop_started; rm -rf "$work"' EXIT
cp -r Public "$work/public"
head -c 1048576 /dev/urandom >"$work/public/big.bin"  # incompressible: served as is, never gzipped
. .ci/lib.sh
started=$(date +%s)

# 1. Mixed soak and long-lived keep-alive clients, side by side.
printf '{"host": "127.0.0.1", "port": 0, "public": "%s/public", "accessLogPath": "%s/access.log",
  "headerTimeoutSeconds": 5, "keepAliveTimeoutSeconds": 2}' "$work" "$work" >"$work/soak.json"
start_server "$work/soak-server.out" .build/release/minihttp --config "$work/soak.json"
pids+=("$SERVER_PID")
[ -n "$SERVER_PORT" ] || { cat "$work/soak-server.out"; exit 1; }
python3 Tests/Soak/keepalive.py --port "$SERVER_PORT" --seconds "$keepalive_seconds" --keep-alive 2 \
  >"$work/keepalive.out" 2>&1 &
keepalive_pid=$!
pids+=("$keepalive_pid")
sleep 1
# The keep-alive clients hold 20 connections and one idle probe at a time: the descriptor check allows 2.
soak_rc=0
python3 Tests/Soak/soak.py --port "$SERVER_PORT" --pid "$SERVER_PID" --connections "$connections" \
  --other-connections 2 2>&1 | tee "$work/soak.out" || soak_rc=$?
keepalive_rc=0
wait "$keepalive_pid" || keepalive_rc=$?
cat "$work/keepalive.out"
stop_started

# 2. Hostile clients, against the default limits.
printf '{"host": "127.0.0.1", "port": 0, "public": "%s/public", "accessLogPath": "%s/access.log"}' \
  "$work" "$work" >"$work/hostile.json"
start_server "$work/hostile-server.out" .build/release/minihttp --config "$work/hostile.json"
pids+=("$SERVER_PID")
[ -n "$SERVER_PORT" ] || { cat "$work/hostile-server.out"; exit 1; }
hostile_rc=0
python3 Tests/Soak/hostile.py --port "$SERVER_PORT" --pid "$SERVER_PID" --batches "$batches" 2>&1 \
  | tee "$work/hostile.out" || hostile_rc=$?
stop_started

echo
echo "== soak summary ($(( $(date +%s) - started )) s) =="
grep -h -E '^(soak|good requests|after|keep-alive|idle|hostile|FAIL)' \
  "$work/soak.out" "$work/keepalive.out" "$work/hostile.out" "$work/stop.out" 2>/dev/null || true
[ "$soak_rc" = 0 ] && [ "$keepalive_rc" = 0 ] && [ "$hostile_rc" = 0 ] && [ ! -e "$work/stop.out" ]
