#!/usr/bin/env bash
# Builds and runs every test: a release build with warnings as errors, then the same tests
# under AddressSanitizer + UndefinedBehaviorSanitizer. Installs missing Debian packages first.
# Usage: scripts/test.sh [--fast]   (--fast skips the sanitizer build)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(nproc)
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.ccache}"

cmake --preset release -DJOBZEN_WERROR=ON -DJOBZEN_TESTS=ON -DJOBZEN_BENCH=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "${1:-}" != "--fast" ]; then
  cmake --preset asan-ubsan -DJOBZEN_WERROR=ON >/dev/null
  cmake --build build-asan -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi
