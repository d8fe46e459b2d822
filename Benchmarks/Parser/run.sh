#!/usr/bin/env bash
# Parser micro-benchmark: builds the real parser sources with the benchmark (-O, no sanitizers) and a
# malloc counter, then prints requests parsed per second and heap allocations per request.
#   bash Benchmarks/Parser/run.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")"
root=../../Sources/MiniHTTP/HTTP
build=../../.build-bench
mkdir -p "$build"
gcc -O2 -c malloc_counter.c -o "$build/malloc_counter.o"
swiftc -O -wmo -parse-as-library -module-name ParserBench \
  "$root/ASCII.swift" "$root/HTTPMethod.swift" "$root/HTTPParseError.swift" "$root/ParserLimits.swift" \
  "$root/RequestHead.swift" "$root/RequestParser.swift" "$root/RequestTarget.swift" "$root/HostValidator.swift" \
  "$root/TransferCodings.swift" "$root/ConnectionOptions.swift" "$root/ChunkedDecoder.swift" "$root/Status.swift" \
  ParserBench.swift "$build/malloc_counter.o" -o "$build/parser-bench"
"$build/parser-bench" "${1:-2000000}"
