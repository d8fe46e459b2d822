#!/usr/bin/env bash
# Heap allocations per request on the server's own paths: runs the release example server with a
# malloc-counting preload, sends 100 and then 1,100 keep-alive requests to each path in separate runs, and
# divides the difference by 1,000 (start-up and shutdown allocations cancel out).
#   bash Benchmarks/Allocations/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product MiniHTTPExample >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -shared -fPIC Benchmarks/Allocations/malloc_count.c -o "$work/malloc_count.so"
printf '{"host": "127.0.0.1", "port": 18490, "workers": 1, "accessLog": false, "public": "Public"}' >"$work/config.json"
# Each case: a path, and optionally one more header line (browsers always send Accept-Encoding; a page of
# another origin sends Origin). /api/v1/plain is /plain beneath a group prefix with a CORS middleware.
for case in "/plain" "/api/v1/plain" "/api/v1/plain|Origin: https://app.example" "/index.html" "/index.html|Accept-Encoding: gzip, deflate, br" "/assets/style.css" "/status"; do
  path=${case%%|*}
  header=""
  [ "$case" != "$path" ] && header=${case#*|}
  counts=()
  for n in 100 1100; do
    LD_PRELOAD="$work/malloc_count.so" .build/release/MiniHTTPExample "$work/config.json" >"$work/out" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/18490) 2>/dev/null && break; sleep 0.05; done
    python3 Benchmarks/Allocations/keepalive_client.py 18490 "$n" "$path" ${header:+"$header"}
    kill -TERM "$pid"; wait "$pid" || true
    counts+=("$(sed -n 's/^mallocs: //p' "$work/out")")
  done
  echo "$path${header:+ ($header)}: $(( (counts[1] - counts[0]) )) allocations over 1,000 requests ($(echo "scale=3; (${counts[1]} - ${counts[0]}) / 1000" | bc) per request)"
done
