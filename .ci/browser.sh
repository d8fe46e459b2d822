#!/usr/bin/env bash
# Loads Public/ in headless Chromium the way a newcomer sees it: a screenshot (kept outside the repository),
# then the access log must show the page and every sub-resource it references answered 200, and a second
# load in the same browser profile must be answered from the browser's cache (304s, or no request at all).
set -euo pipefail
binary=${1:-.build/debug/minihttp}
shots=${BROWSER_SHOTS:-/tmp/minihttp-browser}
mkdir -p "$shots"
if ! command -v chromium >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "browser: FAIL: $*" >&2; sed 's/^/  log: /' "$work/out" >&2; exit 1; }

. "$(dirname "$0")/lib.sh"
start_server "$work/out" "$binary" --config Config/server.json --host 127.0.0.1 --port 0
pid=$SERVER_PID
port=$SERVER_PORT
[ -n "$port" ] || fail "the server did not start"

load() {  # $1: screenshot name
  timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$work/profile" --window-size=1100,900 --screenshot="$shots/$1" \
    "http://127.0.0.1:$port/" >/dev/null 2>&1
  sleep 0.5  # the access log is flushed once per loop turn
}
requests() { grep -E '^127\.0\.0\.1 .*"GET ' "$work/out" || true; }

load first.png
[ -s "$shots/first.png" ] || fail "no screenshot was taken"
first=$(requests)
for path in / /assets/style.css /assets/logo.svg /favicon.ico; do
  echo "$first" | grep -q "\"GET $path HTTP/1.1\" 200 " || fail "$path was not answered 200 on the first load"
done
echo "browser: ok: the page, its stylesheet, image and favicon answered 200 (screenshot: $shots/first.png)"

seen=$(echo "$first" | wc -l)
load second.png
again=$(requests | tail -n +"$((seen + 1))")
if echo "$again" | grep -qE '" 200 [0-9]+ '; then
  fail "the second load fetched again instead of using the cache: $(echo "$again" | grep -E '" 200 ')"
fi
echo "browser: ok: the second load used the cache ($(echo "$again" | grep -c '" 304 ' || true) answered 304, the rest not requested)"
echo "browser: 2 passed, 0 failed"
