#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: first the debug build, then the same
# suite under AddressSanitizer + UndefinedBehaviorSanitizer. --quick skips the sanitizer pass.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
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
