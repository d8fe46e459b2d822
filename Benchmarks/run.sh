#!/usr/bin/env bash
# The side-by-side benchmark: minihttp, nginx, Python's http.server, Hummingbird and FlyingFox, each pinned
# to CPU 0 with wrk on CPU 1, on loopback only. Installs what it needs, builds in release, runs, rewrites
# Benchmarks/RESULTS.md and Benchmarks/results.png, and stops every server it started, by PID.
#   bash Benchmarks/run.sh                 # the full run: 3 x 10 s per workload
#   DURATION=3 RUNS=1 bash Benchmarks/run.sh   # a quick look
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
command -v taskset >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -x /usr/sbin/nginx ] && export PATH="$PATH:/usr/sbin"

echo "== building (release)"
# (the benchmark serves the code route and the files from MiniHTTPExample: the CLI is not needed)
swift build -c release --product MiniHTTPExample
swift build -c release --package-path Benchmarks/Peers

echo "== benchmarking"
python3 Benchmarks/bench.py \
  --minihttp .build/release/MiniHTTPExample \
  --hummingbird Benchmarks/Peers/.build/release/HummingbirdPeer \
  --flyingfox Benchmarks/Peers/.build/release/FlyingFoxPeer \
  --duration "${DURATION:-10}" --runs "${RUNS:-3}" \
  --results Benchmarks/RESULTS.md --chart Benchmarks/results.png
