#!/usr/bin/env bash
# Installs the Debian 12 packages mentorlink builds with, only when some are missing: the build
# needs Node.js and npm too (it bundles the web app, web/; Debian 12's nodejs 18 is enough), unless
# a node and npm are already installed. --tests adds what the tests need besides (chromium for the
# browser tests; PostgreSQL, Redis and coturn, which the tests start themselves on loopback); --bench adds util-linux's taskset for pinning (bench/run.sh). Safe to run
# repeatedly; uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  clang libclang-rt-14-dev
  libboost1.81-all-dev libboost-json1.81-dev
  libssl-dev openssl
  libsodium-dev
  libsqlite3-dev sqlite3
  catch2
  libcli11-dev
  libspdlog-dev
  libpq-dev libhiredis-dev
)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then packages+=(nodejs npm); fi
if [ "${1:-}" = "--tests" ]; then packages+=(chromium postgresql-15 redis-server haproxy coturn); fi
if [ "${1:-}" = "--bench" ]; then packages+=(util-linux); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
