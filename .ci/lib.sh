# Shell helpers shared by the CI, soak and benchmark scripts. Source it; it defines functions only.

# start_server OUTPUT BINARY ARGS...: starts BINARY ARGS... (which must listen on port 0 or a fixed port and
# print "serving http://localhost:PORT/"), writing its output to OUTPUT. Sets SERVER_PID and SERVER_PORT;
# SERVER_PORT is empty if the server did not announce itself within 10 s.
start_server() {
  local output=$1
  shift
  "$@" >"$output" 2>&1 &
  SERVER_PID=$!
  SERVER_PORT=$(announced_port "$output")
}

# announced_port FILE: the port a server announced in FILE ("serving http://localhost:PORT/"), waiting up
# to 10 s; empty if none.
announced_port() {
  local found=""
  for _ in $(seq 1 100); do
    found=$(sed -n 's|.*serving http://localhost:\([0-9]*\)/.*|\1|p' "$1" | head -1)
    [ -n "$found" ] && break
    sleep 0.1
  done
  echo "$found"
}
