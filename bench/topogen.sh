#!/usr/bin/env bash
# topogen: enumeration throughput on one core (topogen is single-threaded).
#   1. the shortest-path trees of the 5x5 grid from its centre (65,536 trees; aim < 0.1 s),
#      best and median of RUNS runs;
#   2. the depth <= 4 class of the 5x5 grid from its centre (969,472 trees), once;
#   3. ALL 557,568,000 spanning trees of the 5x5 grid (aim <= 60 s), once, unless --quick.
# Algorithm for 3: vertex-elimination contraction/deletion (Winter, BIT 1986 style) in reverse
# BFS order from the root, so no bridge test is ever needed and every leaf of the recursion is a
# distinct tree; the out-degree vector is updated in O(1) per edge exchange (topogen/enum.h).
# Prints wall-clock seconds of the whole process and trees per second. Builds the release preset
# first unless BIN_DIR names a directory holding topogen.
#   bench/topogen.sh [--quick] [RUNS]      RUNS defaults to 10
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
quick=0
if [ "${1:-}" = --quick ]; then
    quick=1
    shift
fi
runs="${1:-10}"

if [ -z "${BIN_DIR:-}" ]; then
    bench_build topogen
    BIN_DIR=build/release/bin
fi
T="$BIN_DIR/topogen"

# wall ARGS...: runs topogen once, checks its cross-check line, prints the wall time in seconds.
wall() {
    local t0 t1 out
    out=$(mktemp)
    t0=$(date +%s%N)
    "$T" "$@" --quiet >"$out"
    t1=$(date +%s%N)
    if ! grep -qE '^cross-check: .*: ok$|^cross-check: none' "$out"; then
        echo "topogen $* did not cross-check:" >&2
        cat "$out" >&2
        exit 1
    fi
    grep '^trees: ' "$out" | sed 's/^trees: //' >"$out.n"
    echo "$(((t1 - t0) / 1000000)) $(cat "$out.n")"
    rm -f "$out" "$out.n"
}

# report NAME MS TREES
report() {
    awk -v name="$1" -v ms="$2" -v n="$3" \
        'BEGIN { printf "%-34s %12d trees %9.3f s %12.4g trees/s\n", name, n, ms / 1000, n / (ms > 0 ? ms / 1000 : 1e-3) }'
}

times=()
for ((i = 0; i < runs; i++)); do
    read -r ms n < <(wall --enumerate --grid 5x5 --root center --max-depth shortest)
    times+=("$ms")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
best=$(head -n 1 <<<"$sorted")
median=$(sed -n "$(((runs + 1) / 2))p" <<<"$sorted")
report "5x5 shortest from n12 (best)" "$best" "$n"
report "5x5 shortest from n12 (median)" "$median" "$n"

read -r ms n < <(wall --enumerate --grid 5x5 --root center --max-depth 4)
report "5x5 depth <= 4 from n12" "$ms" "$n"

if [ "$quick" = 0 ]; then
    read -r ms n < <(wall --enumerate --grid 5x5 --root center --max-depth any)
    report "5x5 all spanning trees" "$ms" "$n"
fi
echo "host: $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), git $(git rev-parse --short HEAD)"
