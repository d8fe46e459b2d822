#!/usr/bin/env bash
# Memory while many clients download a large file at once: sendfile must keep RSS flat (the file is never
# read into memory). Loopback only; stops the server it started, by PID.
#   bash Benchmarks/large-downloads.sh [CLIENTS] [MIB]
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-50}
mib=${2:-200}
swift build -c release --product minihttp >/dev/null
work=$(mktemp -d)
mkdir -p "$work/public"
head -c $((mib << 20)) /dev/urandom >"$work/public/big.bin"
printf '{"host": "127.0.0.1", "port": 0, "public": "%s/public", "accessLog": false}' "$work" >"$work/config.json"
. .ci/lib.sh
start_server "$work/out" .build/release/minihttp --config "$work/config.json"
pid=$SERVER_PID
port=$SERVER_PORT
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
curl -s -o /dev/null "http://127.0.0.1:$port/big.bin" -r 0-0
sleep 0.3
before=$(rss)
started=$(date +%s.%N)
pids=()
for _ in $(seq 1 "$clients"); do
  curl -s -o /dev/null "http://127.0.0.1:$port/big.bin" &
  pids+=($!)
done
peak=$before
while kill -0 "${pids[0]}" 2>/dev/null || [ "$(jobs -rp | wc -l)" -gt 1 ]; do
  now=$(rss); [ "$now" -gt "$peak" ] && peak=$now
  sleep 0.1
  [ "$(jobs -rp | wc -l)" -le 1 ] && break
done
wait "${pids[@]}"
elapsed=$(echo "$(date +%s.%N) - $started" | bc)
after=$(rss)
echo "large downloads: $clients clients x $mib MiB in ${elapsed}s"
echo "RSS before: ${before} KiB, peak during: ${peak} KiB, after: ${after} KiB"

# Clients that disconnect mid-download free everything.
aborted=()
for _ in $(seq 1 10); do
  timeout 0.3 curl -s -o /dev/null --limit-rate 10M "http://127.0.0.1:$port/big.bin" &
  aborted+=($!)
done
wait "${aborted[@]}" || true
sleep 0.5
curl -s "http://127.0.0.1:$port/status" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("after 10 aborted downloads: active connections", d["connections"]["active"] - 1)'
echo "descriptors: $(ls /proc/$pid/fd | wc -l)"
