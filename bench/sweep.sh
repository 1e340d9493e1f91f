#!/usr/bin/env bash
# bench/sweep.sh: the wall time of the default sweep (issue 6's benchmark; aim <= 60 s on 2
# cores): experiments/sweep.sh with its defaults, 4 strategies x 9 batch timeouts x 3 seeds =
# 108 runs of the 3d/3e workload on the virtual runner, --jobs 2, the fit and the figures
# included. The release build is done first and not counted. Prints the machine, the wall time
# and the sweep's own summary; the sweep's output stays in experiments/results/latest (or OUT).
#   bench/sweep.sh [JOBS [OUT]]      default 2, experiments/results
# Extra sweep options can follow: bench/sweep.sh 2 /tmp/out --runner process
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
jobs="${1:-2}"
out="${2:-experiments/results}"
shift $(($# > 2 ? 2 : $#))

if [[ -z "${GL_BIN_DIR:-}" ]]; then
    bench_build harness broadcast-node gl-fit topogen
    export GL_BIN_DIR=build/release/bin
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start="${EPOCHREALTIME/./}"
rc=0
experiments/sweep.sh --jobs "$jobs" --out "$out" "$@" >"$log" 2>/dev/null || rc=$?
us=$((${EPOCHREALTIME/./} - start))
cpu="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' || echo unknown)"
echo "machine: $(nproc) cores ($cpu), git $(git rev-parse --short=12 HEAD)"
printf 'default sweep, --jobs %s: wall %d.%d s (aim <= 60 s), sweep exit status %d\n' \
    "$jobs" $((us / 1000000)) $(((us % 1000000) / 100000)) "$rc"
cat "$log"
exit "$rc"
