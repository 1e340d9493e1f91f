#!/usr/bin/env bash
# The README's test command: set-up, build (dev and asan presets), and ctest in both.
# In the asan build the Check suites run with CK_FORK=no so that LeakSanitizer sees every leak.
set -eu -o pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
for preset in dev asan; do
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$(nproc)"
    ctest --preset "$preset"
done
