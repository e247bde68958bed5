#!/usr/bin/env bash
# Installs the Debian 12 packages JobZen builds and tests with. Idempotent: installs only
# what is missing, so a second run costs a dpkg query.
set -euo pipefail
packages=(
  cmake ninja-build g++ ccache pkg-config python3
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libpq-dev libpoppler-cpp-dev libcurl4-openssl-dev
  libutf8proc-dev libstemmer-dev libgtest-dev libgmock-dev libbenchmark-dev
  qpdf poppler-utils openssl wrk curl
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
