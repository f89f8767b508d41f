#!/bin/bash
# The whole test suite (the README's test command; .ci/run calls it too):
#  1. every ctest test of the normal build in build/ (configured by the README's set-up command);
#  2. the host-side code (elfld-tui, the parser library and its unit test, the glibc layout tool) rebuilt
#     with ASan + UBSan in build-sanitize/, and the tests that run it (TUI, parser, layouts) run there.
# The loader's own parsing, symbol and relocation code runs under ASan/UBSan in step 1 (fuzz-load-smoke,
# bad-elf). Extra arguments go to both ctest runs (e.g. -R tui).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/CMakeCache.txt ] || cmake -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2 "$@"

echo "== host-side code under ASan + UBSan (build-sanitize/)"
cmake -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DELFLD_SANITIZE=ON >/dev/null
cmake --build build-sanitize -j2
# Leaks are errors too; nothing is suppressed.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-sanitize --output-on-failure -j2 -R '^(tui-|parse-unit|layout-|linkers-lenient-unit)' "$@"
