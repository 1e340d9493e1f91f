#!/usr/bin/env bash
# Benchmarks of `harness test --virtual` (issue 4), on the release build:
#   1. the 3d/3e workload (25 nodes, 20 s, rate 100, latency 100), centred tree with 200 ms
#      batching: wall time (best of 5) and peak memory;
#   2. scaling: 100 and 500 nodes, star with 200 ms batching, rate 1000, 60 s: wall time and
#      peak memory, with --no-history: 30 000 reads of ~15 000 values each make 2.5 GB history
#      files, whose writing would be all this measures (results are still computed and written).
# Wall time and peak RSS come from GNU time when installed, else from bash's `time` only.
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
    local best="" rss=""
    for _ in 1 2 3 4 5; do
        local t0 t1
        t0=$(date +%s%N)
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -f '%M' -o "$work/rss" "$H" test -w broadcast --virtual "$@" \
                --store "$work/store" >"$work/out"
            rss=$(cat "$work/rss")
        else
            "$H" test -w broadcast --virtual "$@" --store "$work/store" >"$work/out"
        fi
        t1=$(date +%s%N)
        local ms=$(((t1 - t0) / 1000000))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
        [ "${REPEAT:-5}" -gt 1 ] || break
    done
    printf '%-44s wall %6d ms (best)  peak RSS %s  %s\n' "$label" "$best" \
        "${rss:+$((rss / 1024)) MiB}" "$(grep -E '^ops' "$work/out" | tr -s ' ')"
}

printf '[topology]\nstrategy = star\n[batch]\ntimeout_ms = 200\n' >"$work/star.ini"
measure "3e: 25 nodes, tree + 200 ms batching" --node-config configs/centred-tree-batched.ini \
    --node-count 25 --time-limit 20 --rate 100 --latency 100
REPEAT=1 measure "scaling: 100 nodes, star batched, rate 1000" --node-config "$work/star.ini" \
    --node-count 100 --time-limit 60 --rate 1000 --latency 100 --no-history
REPEAT=1 measure "scaling: 500 nodes, star batched, rate 1000" --node-config "$work/star.ini" \
    --node-count 500 --time-limit 60 --rate 1000 --latency 100 --no-history
