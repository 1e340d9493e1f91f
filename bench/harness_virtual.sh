#!/usr/bin/env bash
# Benchmarks of `harness test --virtual` (issues 4 and 11), on the release build:
#   1. the 3d/3e workload (25 nodes, 20 s, rate 100, latency 100), centred tree with 200 ms
#      batching, history and journal written: wall and CPU time (best of 5, from the run's
#      run-stats.json), the best run's phases (run: the world and the journal; check: the
#      checker; history: history.jsonl and history.edn, written beside the check; results) and
#      peak memory;
#   2. scaling: 100 and 500 nodes, star with 200 ms batching, rate 1000, 60 s: the same, with
#      --no-history: 30 000 reads of ~15 000 values each make 2.5 GB history files, whose
#      writing would be all this measures (results are still computed and written).
# REPEAT=N changes the 3e run's repetitions. The machine's other load shows in the wall times:
# compare CPU times, and best-of-N.
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_build harness
H=build/release/bin/harness
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # label args...
    local label=$1
    shift
    local best="" cpu="" phases="" rss=""
    for _ in $(seq "${REPEAT:-5}"); do
        rm -rf "$work/store"
        "$H" test -w broadcast --virtual "$@" --store "$work/store" >"$work/out"
        local w c p r
        read -r w c r p < <(sed -E 's/.*"wall_us":([0-9]+),"cpu_us":([0-9]+),"max_rss_kib":([0-9]+),"phases_us":\{"run":([0-9]+),"check":([0-9]+),"history":([0-9]+),"results":([0-9]+)\}.*/\1 \2 \3 run \4 check \5 history \6 results \7/' \
            "$work/store/latest/run-stats.json")
        if [ -z "$best" ] || [ "$w" -lt "$best" ]; then
            best=$w phases=$p rss=$r
        fi
        if [ -z "$cpu" ] || [ "$c" -lt "$cpu" ]; then cpu=$c; fi
    done
    printf '%-44s wall %6.1f ms  cpu %6.1f ms (best)  peak RSS %d MiB  %s\n' "$label" \
        "$(awk -v x="$best" 'BEGIN { print x / 1000 }')" "$(awk -v x="$cpu" 'BEGIN { print x / 1000 }')" \
        "$((rss / 1024))" "$(grep -E '^ops' "$work/out" | tr -s ' ')"
    printf '%-44s phases of the best (us): %s\n' "" "$phases"
}

printf '[topology]\nstrategy = star\n[batch]\ntimeout_ms = 200\n' >"$work/star.ini"
measure "3e: 25 nodes, tree + 200 ms batching" --node-config configs/centred-tree-batched.ini \
    --node-count 25 --time-limit 20 --rate 100 --latency 100
REPEAT=1 measure "scaling: 100 nodes, star batched, rate 1000" --node-config "$work/star.ini" \
    --node-count 100 --time-limit 60 --rate 1000 --latency 100 --no-history
REPEAT=1 measure "scaling: 500 nodes, star batched, rate 1000" --node-config "$work/star.ini" \
    --node-count 500 --time-limit 60 --rate 1000 --latency 100 --no-history
