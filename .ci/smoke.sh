#!/usr/bin/env bash
# Starts the built binary exactly as the README says (with --port 0 so CI never collides with another
# server), then checks it with curl: /, /status, 404, HEAD, the CLI's error handling, and SIGTERM.
set -euo pipefail
binary=${1:-.build/debug/minihttp}
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

. "$(dirname "$0")/lib.sh"

fail() { echo "smoke: FAIL: $*" >&2; [ -f "$work/out" ] && sed 's/^/  server: /' "$work/out" >&2; exit 1; }
pass() { echo "smoke: ok: $*"; passed=$((passed + 1)); }
passed=0

"$binary" --config Config/server.json --host 127.0.0.1 --port 0 >"$work/out" 2>"$work/err" &
pid=$!
port=$(announced_port "$work/out")
[ -n "$port" ] || fail "the server did not print the URL it serves"
base="http://127.0.0.1:$port"

curl -sS -o "$work/index" -D "$work/headers" "$base/"
grep -q "^HTTP/1.1 200" "$work/headers" || fail "/ did not answer 200"
cmp -s "$work/index" Public/index.html || fail "/ did not return Public/index.html"
grep -qi "^content-type: text/html; charset=utf-8" "$work/headers" || fail "/ has the wrong content type"
pass "/ returns Public/index.html"

curl -sS --compressed -o "$work/index.gz.out" -D "$work/gz-headers" "$base/"
grep -qi "^content-encoding: gzip" "$work/gz-headers" || fail "curl --compressed got no gzip"
cmp -s "$work/index.gz.out" Public/index.html || fail "curl --compressed did not inflate to Public/index.html"
pass "curl --compressed gets gzip that inflates to the file"

# curl -C -: resume a partial download with a Range request.
head -c 700 Public/index.html >"$work/partial"
curl -sS -C - -o "$work/partial" "$base/index.html"
cmp -s "$work/partial" Public/index.html || fail "curl -C - did not complete the file"
etag=$(curl -sS -I "$base/index.html" | tr -d '\r' | sed -n 's/^ETag: //Ip')
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$base/index.html")
[ "$code" = 304 ] || fail "If-None-Match with the current ETag answered $code"
pass "curl -C - resumes with a range; If-None-Match gives 304"

for asset in /assets/style.css /assets/logo.svg /favicon.ico; do
  code=$(curl -sS -o /dev/null -w '%{http_code}' "$base$asset")
  [ "$code" = 200 ] || fail "$asset answered $code"
done
pass "the page's stylesheet, image and favicon answer 200"

curl -sS "$base/status" >"$work/status"
python3 - "$work/status" <<'PY' || fail "/status is not the documented JSON object"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["status"] == "ok", doc
for key in ("version", "started_at", "uptime_seconds", "workers"):
    assert key in doc, key
assert set(doc["connections"]) >= {"active", "accepted", "closed_by_peer", "timed_out"}
assert set(doc["requests"]) >= {"total", "2xx", "3xx", "4xx", "5xx"}
assert set(doc["bytes"]) >= {"received", "sent"}
assert doc["requests"]["2xx"] >= 4, doc
PY
pass "/status is a JSON object with the documented fields"

code=$(curl -sS -o /dev/null -w '%{http_code}' "$base/no-such-page")
[ "$code" = 404 ] || fail "a missing page answered $code"
code=$(curl -sS -o /dev/null -w '%{http_code}' --path-as-is "$base/../../etc/passwd")
[ "$code" = 404 ] || fail "a traversal answered $code"
pass "missing pages and traversal answer 404"

head_length=$(curl -sS -I "$base/" | tr -d '\r' | sed -n 's/^Content-Length: //Ip')
[ "$head_length" = "$(wc -c <Public/index.html | tr -d ' ')" ] || fail "HEAD / gave Content-Length $head_length"
pass "HEAD / gives the headers of GET"

# Several requests on one connection (curl reuses it), and the access log line format.
curl -sS -o /dev/null -o /dev/null "$base/" "$base/status"
sleep 0.3
grep -Eq '^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} [+-][0-9]{4}\] "GET / HTTP/1.1" 200 [0-9]+ "-" "curl/[^"]*" [0-9]+\.[0-9]{3}$' "$work/out" \
  || fail "the access log has no Combined Log Format line for GET /"
pass "the access log writes Combined Log Format lines"

# SIGUSR1 reopens the access log file (log rotation): a second server logging to a file.
printf '{"host": "127.0.0.1", "port": 0, "accessLogPath": "%s"}' "$work/access.log" >"$work/logging.json"
"$binary" --config "$work/logging.json" >"$work/out2" 2>&1 &
pid2=$!
port2=$(announced_port "$work/out2")
[ -n "$port2" ] || { kill "$pid2"; fail "the logging server did not start"; }
curl -sS -o /dev/null "http://127.0.0.1:$port2/"
sleep 0.3
mv "$work/access.log" "$work/access.log.1"
kill -USR1 "$pid2"
sleep 0.3
curl -sS -o /dev/null "http://127.0.0.1:$port2/status"
sleep 0.3
kill -TERM "$pid2"; wait "$pid2" || true
grep -q '"GET / HTTP/1.1" 200' "$work/access.log.1" || fail "the rotated log lacks the first request"
grep -q '"GET /status HTTP/1.1" 200' "$work/access.log" || fail "SIGUSR1 did not reopen the access log"
pass "SIGUSR1 reopens the access log file"

# 10,000 connect/request/close cycles: the process holds no more descriptors than after the first 100.
python3 - "$port" "$pid" <<'PY' || fail "descriptors grew over 10,000 connection cycles"
import os, socket, sys
port, pid = int(sys.argv[1]), int(sys.argv[2])
def cycle():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /status HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
    s.close()
    assert data.startswith(b"HTTP/1.1 200"), data[:40]
for _ in range(100): cycle()
before = len(os.listdir(f"/proc/{pid}/fd"))
for _ in range(9900): cycle()
import time; time.sleep(0.5)
after = len(os.listdir(f"/proc/{pid}/fd"))
print(f"smoke: descriptors after 100 cycles: {before}, after 10,000: {after}")
assert after <= before, (before, after)
PY
pass "10,000 connect/request/close cycles leave the descriptor count where it was"

# A second server on the same port fails with one clear line and exit status 1.
set +e
"$binary" --config Config/server.json --host 127.0.0.1 --port "$port" >/dev/null 2>"$work/busy"
status=$?
set -e
[ "$status" = 1 ] || fail "port in use exited $status"
grep -q "already in use" "$work/busy" || fail "port in use said: $(cat "$work/busy")"
pass "a port in use is one clear line and exit status 1"

# SIGTERM drains and exits 0.
kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then fail "the server did not exit after SIGTERM"; fi
wait "$pid" && status=0 || status=$?
pid=""
[ "$status" = 0 ] || fail "SIGTERM exit status $status"
pass "SIGTERM drains and exits 0"

# A second signal exits at once, even with a request still in flight.
"$binary" --config Config/server.json --host 127.0.0.1 --port 0 --workers 1 >"$work/out3" 2>&1 &
pid3=$!
port3=$(announced_port "$work/out3")
[ -n "$port3" ] || { kill "$pid3"; fail "the third server did not start"; }
python3 -c "
import socket, time
s = socket.create_connection(('127.0.0.1', $port3))
s.sendall(b'GET / HTTP/1.1\r\nHost: t\r\n')  # a head that never ends
open('$work/holding', 'w').close()
time.sleep(3)" &
holder=$!
# The request must be in flight before the signal (python may take a while to start on a busy machine).
for _ in $(seq 1 100); do [ -f "$work/holding" ] && break; sleep 0.05; done
sleep 0.2
kill -TERM "$pid3"; sleep 0.3
kill -0 "$pid3" 2>/dev/null || fail "the first SIGTERM did not wait for the request in flight"
kill -TERM "$pid3"
for _ in $(seq 1 20); do kill -0 "$pid3" 2>/dev/null || break; sleep 0.05; done
kill -0 "$pid3" 2>/dev/null && { kill -KILL "$pid3"; fail "a second SIGTERM did not exit at once"; }
wait "$pid3" && status=0 || status=$?
kill "$holder" 2>/dev/null || true
[ "$status" = 1 ] || fail "the second SIGTERM (an aborted drain) exited $status, not 1"
pass "a second SIGTERM exits at once, with status 1 (the drain was aborted)"

# The CLI: --check, bad configuration, bad flags.
"$binary" --config Config/server.json --check >"$work/check" || fail "--check rejected Config/server.json"
grep -q "configuration ok" "$work/check" || fail "--check printed no summary"
printf '{"port": "eighty"}' >"$work/bad.json"
set +e
"$binary" --config "$work/bad.json" --check >/dev/null 2>"$work/bad"
status=$?
"$binary" --port 99999 >/dev/null 2>&1
flag_status=$?
"$binary" --no-such-flag >/dev/null 2>&1
unknown_status=$?
"$binary" --config Config/server.json --public "$work/no-such-folder" --check >/dev/null 2>"$work/flag"
public_status=$?
"$binary" --config Config/server.json --host no-such-host.invalid --check >/dev/null 2>"$work/host"
host_status=$?
printf '{"port": 80, "port": 81}' >"$work/twice.json"
"$binary" --config "$work/twice.json" --check >/dev/null 2>"$work/twice"
twice_status=$?
set -e
[ "$unknown_status" = 2 ] || fail "an unknown flag exited $unknown_status, not 2"
[ "$public_status" = 2 ] && grep -qx "minihttp: command line: --public: '$work/no-such-folder' is not a directory" "$work/flag" \
  || fail "a bad --public exited $public_status and said: $(cat "$work/flag")"
[ "$host_status" = 2 ] && grep -q "command line: --host: 'no-such-host.invalid' does not resolve" "$work/host" \
  || fail "an unresolvable --host exited $host_status and said: $(cat "$work/host")"
[ "$twice_status" = 2 ] && grep -q "twice.json: port: appears twice" "$work/twice" || fail "a repeated key said: $(cat "$work/twice")"
for key in metricsPath statusAllow trustedProxies proxyProtocol forwardedHeader; do
  grep -q "^  $key: " "$work/check" || fail "--check does not print $key"
done
[ "$status" = 2 ] || fail "a bad config exited $status"
[ "$(wc -l <"$work/bad")" = 1 ] && grep -q "bad.json: port:" "$work/bad" || fail "a bad config said: $(cat "$work/bad")"
[ "$flag_status" = 2 ] || fail "a bad flag exited $flag_status, not 2"
pass "--check, a bad config (one line naming file and key, exit 2) and a bad flag"

echo "smoke: $passed passed, 0 failed"
