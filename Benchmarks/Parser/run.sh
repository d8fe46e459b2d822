#!/usr/bin/env bash
# Parser micro-benchmark: builds the pure layer (Sources/MiniHTTPCore, whole) with the benchmark (-O, no sanitizers) and a
# malloc counter, then prints requests parsed per second and heap allocations per request.
#   bash Benchmarks/Parser/run.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")"
build=../../.build-bench
mkdir -p "$build"
gcc -O2 -c malloc_counter.c -o "$build/malloc_counter.o"
swiftc -O -wmo -parse-as-library -package-name minihttp -module-name ParserBench \
  ../../Sources/MiniHTTPCore/*/*.swift ParserBench.swift "$build/malloc_counter.o" -o "$build/parser-bench"
"$build/parser-bench" "${1:-2000000}"
