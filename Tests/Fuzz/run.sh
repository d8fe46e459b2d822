#!/usr/bin/env bash
# Builds a fuzzer (libFuzzer + AddressSanitizer) from the real sources and runs it for SECONDS (default 60)
# over its seed corpus. Crashes and invariant failures are written to Tests/Fuzz/crashes/.
#   Tests/Fuzz/run.sh 600           # the request parser and chunked decoder (FuzzParser.swift, corpus/)
#   Tests/Fuzz/run.sh 600 proxy     # PROXY protocol headers and the Forwarded walk (FuzzProxy.swift, proxy-corpus/)
#   Tests/Fuzz/run.sh 600 connection  # ConnectionState driven through a model of the worker (FuzzConnection*.swift)
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
target=${2:-parser}
# The pure layer, whole: the fuzzers link MiniHTTPCore's folder (no sockets, threads or I/O in it), not a
# hand-kept list of its files.
core=(../../Sources/MiniHTTPCore/*/*.swift)
case "$target" in
  parser) sources=("${core[@]}" FuzzParser.swift); corpus=corpus; name=FuzzParser ;;
  proxy) sources=("${core[@]}" FuzzProxy.swift); corpus=proxy-corpus; name=FuzzProxy ;;
  connection)
    sources=("${core[@]}" FuzzConnection.swift FuzzConnectionModel.swift FuzzConnectionIO.swift)
    corpus=connection-corpus; name=FuzzConnection
    # Swift's crash backtracer was seen to hang for minutes on an invariant's trap here: libFuzzer's report suffices.
    export SWIFT_BACKTRACE=enable=no ;;
  *) echo "usage: run.sh [SECONDS] [parser|proxy|connection]"; exit 2 ;;
esac
build=../../.build-fuzz
work=work-$corpus
mkdir -p "$build" crashes "$work"
swiftc -O -sanitize=fuzzer,address -parse-as-library -package-name minihttp -module-name "$name" "${sources[@]}" -o "$build/fuzz-$target"
# A scratch corpus so the committed seeds stay small and reviewed; new finds can be copied in by hand.
cp -n "$corpus"/* "$work"/ 2>/dev/null || true
"$build/fuzz-$target" -max_total_time="$seconds" -max_len=8192 -timeout=5 -print_final_stats=1 \
  -artifact_prefix=crashes/ "$work" "$corpus"
