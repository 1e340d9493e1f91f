#!/usr/bin/env bash
# bench/best.sh: the wall time of experiments/best.sh on a challenge with the default space
# (issue 14's target: `best.sh 3d` within 10 minutes on 2 cores, virtual runner): the coarse grid
# of the default space's parts (`best.sh --print-space`: every strategy x delivery mode x period,
# then the batching and delivery keys of each design), the refinement, the re-checks, the
# figures.
# The release build is done first and not counted. Prints the machine, the wall time,
# best.sh's own report and the disk its result directory takes (du -sh); the search's output
# stays in experiments/results/latest-best (or OUT).
#   bench/best.sh [CHALLENGE [JOBS [OUT]]]      default 3d, 2, experiments/results
# Extra best.sh options can follow: bench/best.sh 3d 2 /tmp/out --runner process
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
challenge="${1:-3d}"
jobs="${2:-2}"
out="${3:-experiments/results}"
shift $(($# > 3 ? 3 : $#))

if [[ -z "${GL_BIN_DIR:-}" ]]; then
    bench_build harness broadcast-node gl-fit topogen
    export GL_BIN_DIR=build/release/bin
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start="${EPOCHREALTIME/./}"
rc=0
experiments/best.sh "$challenge" --jobs "$jobs" --out "$out" "$@" >"$log" 2>/dev/null || rc=$?
us=$((${EPOCHREALTIME/./} - start))
cpu="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' || echo unknown)"
echo "machine: $(nproc) cores ($cpu), load average $(cut -d' ' -f1-3 /proc/loadavg), git $(git rev-parse --short=12 HEAD)"
printf 'best.sh %s, default space, --jobs %s: wall %d.%d s (aim <= 600 s), exit status %d\n' \
    "$challenge" "$jobs" $((us / 1000000)) $(((us % 1000000) / 100000)) "$rc"
cat "$log"
# the disk the search left: its runs keep only their results (slim), the re-checks everything
dir="$(sed -n 's/^results: \([^ ]*\).*/\1/p' "$log")"
[[ -z "$dir" || ! -d "$dir" ]] || echo "disk: $(du -sh "$dir" | cut -f1) in $dir ($(find "$dir" -name results.json | wc -l) runs)"
exit "$rc"
