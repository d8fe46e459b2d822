#!/usr/bin/env bash
# Builds minihttp in release, starts it on a free loopback port, runs the soak (default 100,000
# connections), and stops the server it started, by PID.
#   bash Tests/Soak/run.sh [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
connections=${1:-100000}
swift build -c release --product minihttp
work=$(mktemp -d)
printf '{"host": "127.0.0.1", "port": 0, "accessLogPath": "%s/access.log", "headerTimeoutSeconds": 5}' "$work" >"$work/soak.json"
. .ci/lib.sh
start_server "$work/out" .build/release/minihttp --config "$work/soak.json"
pid=$SERVER_PID
port=$SERVER_PORT
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
[ -n "$port" ] || { cat "$work/out"; exit 1; }
python3 Tests/Soak/soak.py --port "$port" --pid "$pid" --connections "$connections"
