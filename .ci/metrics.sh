#!/usr/bin/env bash
# Scrapes /metrics from the built binary and parses it with Prometheus' own Python parser
# (prometheus_client, from PyPI): every family must parse, carry the right type, and count what was sent.
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

python3 -c "import prometheus_client" 2>/dev/null || python3 -m pip install -q "prometheus_client==0.26.0"

cat >"$work/config.json" <<JSON
{"host": "127.0.0.1", "port": 0, "workers": 2, "public": "Public", "accessLog": false,
 "metricsPath": "/metrics", "statusAllow": ["127.0.0.1", "::1"]}
JSON
start_server "$work/out" "$binary" --config "$work/config.json"
pid=$SERVER_PID
[ -n "$SERVER_PORT" ] || { echo "metrics: FAIL: the server did not start"; cat "$work/out"; exit 1; }
base="http://127.0.0.1:$SERVER_PORT"
for _ in 1 2 3 4 5; do curl -s -o /dev/null "$base/"; done
curl -s -o /dev/null "$base/no-such-file"
curl -s -o /dev/null -X POST "$base/"
sleep 0.3
curl -sS -D "$work/headers" -o "$work/metrics" "$base/metrics"
grep -qi '^content-type: text/plain; version=0.0.4' "$work/headers" || { echo "metrics: FAIL: content type"; exit 1; }

python3 - "$work/metrics" <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families

text = open(sys.argv[1]).read()
families = {f.name: f for f in text_string_to_metric_families(text)}
expected = {
    "minihttp_requests": "counter", "minihttp_request_duration_seconds": "histogram",
    "minihttp_connections_active": "gauge", "minihttp_connections_accepted": "counter",
    "minihttp_connections_rejected": "counter", "minihttp_connections_closed_by_peer": "counter",
    "minihttp_async_abandoned": "counter", "minihttp_timeouts": "counter",
    "minihttp_received_bytes": "counter", "minihttp_sent_bytes": "counter",
    "minihttp_draining": "gauge", "minihttp_uptime_seconds": "gauge",
}
problems = []
for name, kind in expected.items():
    if name not in families:
        problems.append(f"missing family {name}")
    elif families[name].type != kind:
        problems.append(f"{name} is {families[name].type}, expected {kind}")
def value(family, sample_name, **labels):
    for sample in families[family].samples:
        if sample.name == sample_name and all(sample.labels.get(k) == v for k, v in labels.items()):
            return sample.value
    return None
checks = [
    (value("minihttp_requests", "minihttp_requests_total", method="GET", status="2xx") == 5, "5 GETs answered 2xx"),
    (value("minihttp_requests", "minihttp_requests_total", method="GET", status="4xx") == 1, "1 GET answered 4xx"),
    (value("minihttp_requests", "minihttp_requests_total", method="POST", status="4xx") == 1, "1 POST answered 4xx"),
    (value("minihttp_request_duration_seconds", "minihttp_request_duration_seconds_count") == 7, "7 durations"),
    (value("minihttp_request_duration_seconds", "minihttp_request_duration_seconds_bucket", le="+Inf") == 7, "+Inf bucket"),
    (value("minihttp_connections_accepted", "minihttp_connections_accepted_total") >= 7, "connections accepted"),
    (value("minihttp_sent_bytes", "minihttp_sent_bytes_total") > 0, "bytes sent"),
    (value("minihttp_draining", "minihttp_draining") == 0, "not draining"),
]
buckets = [s.value for s in families["minihttp_request_duration_seconds"].samples if s.name.endswith("_bucket")]
checks.append((buckets == sorted(buckets), "buckets are cumulative"))
problems += [f"wrong: {what}" for ok, what in checks if not ok]
if problems:
    print("metrics: FAIL:", "; ".join(problems))
    sys.exit(1)
print(f"metrics: ok: {len(families)} families parsed by prometheus_client, counts match")
PY

curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 10.9.9.9' "$base/status" | grep -q 200 \
  || { echo "metrics: FAIL: /status refused to an allowed client"; exit 1; }
kill -TERM "$pid"
wait "$pid" || true
pid=""
echo "metrics: ok: done"
