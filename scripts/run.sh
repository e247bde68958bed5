#!/usr/bin/env bash
# Installs packages, builds the release binary and analyses a sample CV.
# The HTTP server (`jobzen serve`) is delivered with issue 4; until then this shows the engine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.ccache}"
cmake --preset release -DJOBZEN_TESTS=OFF -DJOBZEN_BENCH=OFF >/dev/null
cmake --build build -j "$(nproc)" --target jobzen
sample=tests/data/cv/sample_fr.txt
echo "== build/jobzen analyze $sample"
build/jobzen analyze "$sample"
echo
echo "Try: build/jobzen analyze YOUR_CV.pdf --evidence"
