#!/usr/bin/env bash
# Makes a development CA and a server certificate for localhost / 127.0.0.1 / ::1 under certs/dev/
# (or OUT_DIR). Does nothing if they already exist; --force remakes them. The keys are git-ignored.
#   usage: certs/make-dev-certs.sh [--force] [OUT_DIR]
#   certs/dev/ca.crt       give this to clients: mentorlink --ca certs/dev/ca.crt
#   certs/dev/server.crt   server chain (leaf, then CA)
#   certs/dev/server.key   server private key
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
out="${1:-$here/dev}"
if [ -f "$out/server.crt" ] && [ -f "$out/server.key" ] && [ -f "$out/ca.crt" ] && [ $force = 0 ]; then
  exit 0
fi
mkdir -p "$out"
chmod 700 "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
  -subj "/CN=mentorlink development CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$out/ca.key" -out "$out/ca.crt" 2>/dev/null

openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$out/server.key" -out "$tmp/server.csr" 2>/dev/null
cat > "$tmp/ext.cnf" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
EXT
openssl x509 -req -in "$tmp/server.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
  -days 397 -extfile "$tmp/ext.cnf" -out "$tmp/leaf.crt" 2>/dev/null
cat "$tmp/leaf.crt" "$out/ca.crt" > "$out/server.crt"
chmod 600 "$out/ca.key" "$out/server.key"
rm -f "$out/ca.srl"
echo "made development certificates in $out (CA: $out/ca.crt)"
