#!/usr/bin/env bash
# Installs the Debian packages Linnet builds and tests with, only those that are missing.
# Usage: scripts/install-deps.sh [extra-package...]
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config make
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libssl-dev libsodium-dev libspdlog-dev libcli11-dev libgtest-dev zlib1g-dev
  clang libclang-rt-14-dev postgresql
  python3 python3-pytest python3-requests python3-psycopg2 python3-setuptools python3-pip python3-flask
  chromium chromium-driver python3-selenium
  curl jq tzdata haproxy nftables knot knot-dnsutils
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
