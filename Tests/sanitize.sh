#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer, then ThreadSanitizer, each in its own build folder.
#   bash Tests/sanitize.sh            # both
#   bash Tests/sanitize.sh thread     # one
set -euo pipefail
cd "$(dirname "$0")/.."
# LeakSanitizer runs with AddressSanitizer; XCTest's runner leaks a few bytes of its own at exit.
export LSAN_OPTIONS="suppressions=$PWD/Tests/lsan-suppressions.txt"
for sanitizer in ${1:-address thread}; do
  echo "== swift test --sanitize=$sanitizer"
  swift test --no-parallel --sanitize="$sanitizer" --scratch-path ".build-$sanitizer"
done
