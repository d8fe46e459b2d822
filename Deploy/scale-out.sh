#!/usr/bin/env bash
# Scale-out under load, with a real load balancer (loopback only, bounded, stops only what it started):
#   1. HAProxy (option httpchk GET /status) in front of three minihttp processes; wrk through HAProxy for
#      SECONDS while each process in turn gets SIGTERM and is started again (a rolling restart).
#   2. Three minihttp processes sharing one port with reusePort, no HAProxy; wrk on that port while each
#      is replaced in turn: the new process starts on the port first, then the old one gets SIGTERM.
# Reports requests served, non-2xx responses and socket errors for each run; the goal is zero of both.
# HAProxy retries and redispatches what a backend failed, so wrk's figures hide those failures: run 1
# also reports the backends' own (HAProxy's stats: connection and response errors, retries, redispatches,
# 5xx) and any instance that exited non-zero.
# Usage: bash Deploy/scale-out.sh [SECONDS]   (default 30; installs haproxy and wrk when missing)
# To see what each piece is worth: DRAIN_DELAY=0 (run 1 without the drain delay), MIGRATE=0 (run 2 with
# net.ipv4.tcp_migrate_req left at 0).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
drain_delay=${DRAIN_DELAY:-2}
migrate=${MIGRATE:-1}
work=$(mktemp -d)
pids=()
migrate_file=/proc/sys/net/ipv4/tcp_migrate_req
migrate_before=$(cat "$migrate_file" 2>/dev/null || echo "")

# reap PID: waits for a process this script started and forgets it, so cleanup never signals a PID that
# has been reaped (and may since belong to another process). Returns the process's status.
reap() {
  local status=0
  wait "$1" || status=$?
  local kept=()
  for pid in "${pids[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  pids=("${kept[@]}")
  return "$status"
}

cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  # Put the host's setting back as it was.
  if [ -n "$migrate_before" ] && [ "$(cat "$migrate_file" 2>/dev/null)" != "$migrate_before" ]; then
    echo "$migrate_before" >"$migrate_file" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

missing=()
command -v haproxy >/dev/null || missing+=(haproxy)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
swift build -c release --product minihttp 2>&1 | tail -1
binary=.build/release/minihttp

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# config PORT REUSEPORT DRAIN_DELAY: writes a config file and prints its path.
config() {
  local file="$work/config-$1-$2.json"
  cat >"$file" <<JSON
{"host": "127.0.0.1", "port": $1, "workers": 1, "public": "Public", "accessLog": false,
 "reusePort": $2, "drainDelaySeconds": $3, "shutdownGraceSeconds": 10, "logLevel": "notice"}
JSON
  echo "$file"
}

# start_instance CONFIG LOG: starts minihttp and waits until it has printed the URL it serves. Sets STARTED.
start_instance() {
  "$binary" --config "$1" >>"$2" 2>&1 &
  STARTED=$!
  pids+=("$STARTED")
  for _ in $(seq 1 100); do
    grep -q "serving http" "$2" 2>/dev/null && [ "$(grep -c "serving http" "$2")" -ge "${3:-1}" ] && return 0
    sleep 0.05
  done
  echo "scale-out: an instance did not start; its log:"; cat "$2"; exit 1
}

# report NAME WRK_OUTPUT: one line of figures from wrk's output.
report() {
  local requests non2xx errors
  requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$2")
  non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$2")
  errors=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$2")
  echo "scale-out: $1: ${requests:-0} requests served, ${non2xx:-0} non-2xx, socket errors: ${errors:-none}"
}

# backend_failures SOCKET: HAProxy's own count of what the backends failed, which its retries hid from wrk.
backend_failures() {
  python3 - "$1" <<'PY'
import csv, io, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"show stat\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
rows = list(csv.DictReader(io.StringIO(data.decode().lstrip("# "))))
total = {key: 0 for key in ("econ", "eresp", "wretr", "wredis", "hrsp_5xx")}
for row in rows:
    if row.get("pxname") == "app" and row.get("svname") not in ("BACKEND", "FRONTEND"):
        for key in total:
            total[key] += int(row.get(key) or 0)
print(f"{total['econ']} connection errors, {total['eresp']} response errors, {total['hrsp_5xx']} 5xx, "
      f"{total['wretr']} retries, {total['wredis']} redispatches")
PY
}

exit_failures=0

# --- 1. HAProxy in front of three processes, rolling restart -------------------------------------------
ports=("$(free_port)" "$(free_port)" "$(free_port)")
front=$(free_port)
instances=()
for index in 0 1 2; do
  start_instance "$(config "${ports[$index]}" false "$drain_delay")" "$work/instance-$index.log"
  instances+=("$STARTED")
done
cat >"$work/haproxy.cfg" <<CFG
global
    maxconn 4096
    stats socket $work/haproxy.sock mode 600 level user
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    option http-keep-alive
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
frontend web
    bind 127.0.0.1:$front
    default_backend app
backend app
    balance roundrobin
    option httpchk GET /status
    http-check expect status 200
    default-server inter 300ms fall 2 rise 2
    server a 127.0.0.1:${ports[0]} check
    server b 127.0.0.1:${ports[1]} check
    server c 127.0.0.1:${ports[2]} check
CFG
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
haproxy_pid=$!
pids+=("$haproxy_pid")
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$front/index.html" && break; sleep 0.1; done
sleep 1  # every server passes its first checks

echo "scale-out: run 1: wrk through HAProxy for ${seconds}s, rolling restart of 3 processes (drainDelaySeconds $drain_delay)"
wrk -t2 -c32 -d"${seconds}s" "http://127.0.0.1:$front/index.html" >"$work/wrk-haproxy.txt" 2>&1 &
wrk_pid=$!
pids+=("$wrk_pid")
pause=$(( seconds / 4 ))
sleep "$pause"
for index in 0 1 2; do
  kill -TERM "${instances[$index]}"
  reap "${instances[$index]}" || { echo "scale-out: instance $index exited non-zero"; exit_failures=$((exit_failures + 1)); }
  start_instance "$(config "${ports[$index]}" false "$drain_delay")" "$work/instance-$index.log" 2
  instances[$index]=$STARTED
  echo "scale-out:   instance $index restarted"
  sleep 2  # HAProxy's checks (rise 2 × 300 ms) bring it back into rotation
done
reap "$wrk_pid" || true
report "HAProxy rolling restart" "$work/wrk-haproxy.txt"
echo "scale-out: HAProxy rolling restart: the backends' own failures (hidden from wrk by retries): $(backend_failures "$work/haproxy.sock"); $exit_failures instance(s) exited non-zero"
kill -TERM "$haproxy_pid"; reap "$haproxy_pid" 2>/dev/null || true
for pid in "${instances[@]}"; do kill -TERM "$pid"; reap "$pid" 2>/dev/null || true; done

# --- 2. reusePort: three processes on one port, replaced one by one -------------------------------------
if [ -w "$migrate_file" ]; then
  echo "$migrate" >"$migrate_file"
  echo "scale-out: net.ipv4.tcp_migrate_req=$migrate for run 2 (was $migrate_before; restored at exit)"
else
  echo "scale-out: net.ipv4.tcp_migrate_req is ${migrate_before:-absent} and cannot be set here"
fi
shared=$(free_port)
instances=()
for index in 0 1 2; do
  start_instance "$(config "$shared" true 1)" "$work/shared-$index.log"
  instances+=("$STARTED")
done
echo "scale-out: run 2: wrk on one reusePort port for ${seconds}s, each of 3 processes replaced in turn (drainDelaySeconds 1)"
wrk -t2 -c32 -d"${seconds}s" "http://127.0.0.1:$shared/index.html" >"$work/wrk-reuseport.txt" 2>&1 &
wrk_pid=$!
pids+=("$wrk_pid")
sleep "$pause"
for index in 0 1 2; do
  start_instance "$(config "$shared" true 1)" "$work/shared-new-$index.log"
  old=${instances[$index]}
  instances[$index]=$STARTED
  kill -TERM "$old"
  reap "$old" || { echo "scale-out: old instance $index exited non-zero"; }
  echo "scale-out:   instance $index replaced"
  sleep 2
done
reap "$wrk_pid" || true
report "reusePort replacement" "$work/wrk-reuseport.txt"
for pid in "${instances[@]}"; do kill -TERM "$pid"; reap "$pid" 2>/dev/null || true; done
