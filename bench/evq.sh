#!/usr/bin/env bash
# evq: the discrete-event queue (common/evq) alone, on bench/evq_bench.c's synthetic load shaped
# like a virtual broadcast run (a delivery lane and a tick lane per node; wake-ups ~100 ms ahead,
# handling timers up to 250 µs ahead, ticks ~500 ms ahead rescheduled with taken seqs; drv_virt's
# peek-then-pop loop). Prints the best CPU ns per event of RUNS runs and the checksum of the
# order the events ran in: two builds of the queue must print the same checksum. Builds the
# release preset first unless BIN_DIR names a directory holding evq_bench.
#   bench/evq.sh [RUNS [NODES [EVENTS]]]      defaults: 5 runs, 500 nodes, 5000000 events
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
runs="${1:-5}" nodes="${2:-500}" events="${3:-5000000}"

if [ -z "${BIN_DIR:-}" ]; then
    bench_build evq_bench
    BIN_DIR=build/release/bin
fi

best="" sums=()
for ((i = 0; i < runs; i++)); do
    line=$("$BIN_DIR/evq_bench" "$nodes" "$events" 1)
    ns=$(sed -n 's/.*: \([0-9.]*\) ns\/event.*/\1/p' <<<"$line")
    sums+=("$(sed -n 's/.*(checksum \([0-9a-f]*\)).*/\1/p' <<<"$line")")
    if [ -z "$best" ] || [ "$(echo "$ns < $best" | bc -l)" = 1 ]; then best=$ns; fi
done
if [ "$(printf '%s\n' "${sums[@]}" | sort -u | wc -l)" != 1 ]; then
    echo "evq.sh: the runs popped events in different orders" >&2
    exit 1
fi
printf 'evq: %s nodes, %s events: best %s ns/event of %d runs (checksum %s)\n' "$nodes" "$events" \
    "$best" "$runs" "${sums[0]}"
