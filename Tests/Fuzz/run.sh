#!/usr/bin/env bash
# Builds the parser fuzzer (libFuzzer + AddressSanitizer) from the parser's real sources and runs it for
# SECONDS (default 60) over the seed corpus. Crashes and invariant failures are written to Tests/Fuzz/crashes/.
#   Tests/Fuzz/run.sh 600
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
root=../../Sources/MiniHTTP/HTTP
sources=(
  "$root/ASCII.swift" "$root/HTTPMethod.swift" "$root/HTTPParseError.swift" "$root/ParserLimits.swift"
  "$root/RequestHead.swift" "$root/RequestParser.swift" "$root/HostValidator.swift"
  "$root/TransferCodings.swift" "$root/ConnectionOptions.swift" "$root/ChunkedDecoder.swift" "$root/Status.swift"
  FuzzParser.swift
)
build=../../.build-fuzz
mkdir -p "$build" crashes work-corpus
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FuzzParser "${sources[@]}" -o "$build/fuzz-parser"
# A scratch corpus so the committed seeds stay small and reviewed; new finds can be copied in by hand.
cp -n corpus/* work-corpus/ 2>/dev/null || true
"$build/fuzz-parser" -max_total_time="$seconds" -max_len=8192 -timeout=5 -print_final_stats=1 \
  -artifact_prefix=crashes/ work-corpus corpus
