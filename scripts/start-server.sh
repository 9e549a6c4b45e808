#!/usr/bin/env bash
# Installs what is missing, builds the release binaries, makes a development certificate under
# certs/dev/ if there is none, and starts mentorlink-server with its embedded defaults:
# SQLite store in ./data, TLS on 127.0.0.1:8443. Extra arguments go to the server.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh release mentorlink-server mentorlink
./certs/make-dev-certs.sh
bin="$PWD/build/release/bin"
cat <<NEXT

mentorlink is built. The server starts below; stop it with Ctrl-C.
In another terminal, from $(pwd):

  export PATH="$bin:\$PATH"
  mentorlink-server bootstrap --data data --name "Your Name"     # prints a one-time invite
  mentorlink enroll --server wss://localhost:8443 --ca certs/dev/ca.crt --invite CODE

Mentors and mentees can use the web app instead, at https://localhost:8443/app/ (the links
`mentorlink invite` prints open it); a browser trusts the development certificate once
certs/dev/ca.crt is imported as an authority.

NEXT
exec "$bin/mentorlink-server" --data data --cert certs/dev/server.crt --key certs/dev/server.key "$@"
