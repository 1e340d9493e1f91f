#!/usr/bin/env bash
# checker: times `harness check` (read + check + write results.json) on the 2.2 MB history of a
# real 25-node Maelstrom run (F2 of the spec: 2009 ops, 1000 elements, ~1000 ok reads) and on
# the 5-node partition run (F3). Prints the best and the median of RUNS runs in milliseconds,
# wall clock, whole process. Builds the release preset first unless BIN_DIR names a directory
# holding harness. Aim for F2: well under 100 ms.
#   bench/checker.sh [RUNS]      default 10
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
runs="${1:-10}"
fix=tests/fixtures/maelstrom

if [ -z "${BIN_DIR:-}" ]; then
    bench_build harness
    BIN_DIR=build/release/bin
fi

# bench NAME HISTORY: runs harness check RUNS times and prints best/median ms.
bench() {
    local name=$1 hist=$2 times=() i t0 t1 status
    for ((i = 0; i < runs; i++)); do
        t0=$(date +%s%N)
        status=0
        "$BIN_DIR/harness" check "$hist" --net-counts 60118,4118,56000 >/dev/null || status=$?
        t1=$(date +%s%N)
        if [ "$status" -gt 2 ]; then
            echo "harness check failed with status $status on $hist" >&2
            exit 1
        fi
        times+=($(((t1 - t0) / 1000)))
    done
    local sorted
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    local best median
    best=$(echo "$sorted" | head -n 1)
    median=$(echo "$sorted" | sed -n "$(((runs + 1) / 2))p")
    printf '%-44s %8s bytes  best %7.2f ms  median %7.2f ms  (%d runs)\n' "$name" \
        "$(wc -c <"$hist")" "$(echo "$best / 1000" | bc -l)" "$(echo "$median / 1000" | bc -l)" \
        "$runs"
}

bench "F2 25 nodes, rate 100, latency 100 (3d)" \
    "$fix/Emmanuel32__distributed-systems-practice__broadcast-3d-n25-rate100-lat100.history.edn"
bench "F3 5 nodes, partition (3c)" \
    "$fix/imperfect-fourth__gossip-glomers__broadcast-3c-n5-partition-lost.history.edn"
