#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the web client's node tests, the debug
# build's suite, the same suite under AddressSanitizer + UndefinedBehaviorSanitizer, a release build
# of the binaries start-server.sh runs, then each libFuzzer target briefly (clang). --quick runs the
# web tests and the debug pass only. The dashboard test drives Debian's chromium with playwright-core
# from tests/browser (installed here with npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --tests
# The browser test's driver, exactly as pinned in its lock file (npm registry only).
if [ ! -d tests/browser/node_modules ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules ]; then
  npm ci --prefix tests/browser --no-audit --no-fund
fi
# The web client's protocol module: its own tests (every PROTOCOL.md vector) and a reproducible bundle.
echo "== web: npm ci, tests, reproducible bundle"
npm ci --prefix web --no-audit --no-fund
npm test --prefix web
npm run check-reproducible --prefix web
presets=(debug asan)
if [ "${1:-}" = "--quick" ]; then presets=(debug); fi
for preset in "${presets[@]}"; do
  echo "== $preset: build"
  start=$(date +%s)
  ./scripts/build.sh "$preset"
  echo "== $preset: test"
  ctest --preset "$preset" --parallel 2
  echo "== $preset: done in $(( $(date +%s) - start )) s"
done
if [ "${1:-}" != "--quick" ]; then
  # The optimiser warns about things the debug build never sees; start-server.sh builds exactly these.
  echo "== release: build the binaries start-server.sh runs"
  start=$(date +%s)
  ./scripts/build.sh release mentorlink-server mentorlink
  echo "== release: done in $(( $(date +%s) - start )) s"
  echo "== fuzz: build (clang, libFuzzer, ASan+UBSan)"
  start=$(date +%s)
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
  echo "== fuzz: run each target for a while"
  ctest --preset fuzz
  echo "== fuzz: done in $(( $(date +%s) - start )) s"
fi
