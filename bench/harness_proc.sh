#!/usr/bin/env bash
# harness_proc: the real-process benchmark of issue 4. Runs `harness test` on 25 broadcast-node
# processes (centred tree, 200 ms batching: configs/centred-tree-batched.ini) for the 3d/3e
# workload — --time-limit 20 --rate 100 --latency 100, default 10 s recovery wait — and prints,
# per run: the wall time beyond time-limit + recovery wait (aim <= 0.5 s), the harness's own CPU
# time (getrusage RUSAGE_SELF) and the nodes' CPU time (both from the store's proc-stats.json,
# written with proc_stats_write_json; "n/a" without it), and the run's ops, msgs-per-op, stable
# latencies and validity. Builds the release preset first unless BIN_DIR names a directory
# holding harness and broadcast-node.
#   bench/harness_proc.sh [RUNS]      default 1
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
runs="${1:-1}"
time_limit_s=20
recovery_s=10

if [ -z "${BIN_DIR:-}" ]; then
    bench_build harness broadcast-node
    BIN_DIR=build/release/bin
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# field FILE JQ_PATH: one value of a JSON file, or "n/a" (false stays false).
field() {
    jq -r "($2) | if . == null then \"n/a\" else . end" "$1" 2>/dev/null || echo n/a
}

# sec MICROSECONDS: seconds with 3 decimals, or "n/a".
sec() {
    if [ "$1" = n/a ]; then echo n/a; else awk -v u="$1" 'BEGIN { printf "%.3f", u / 1e6 }'; fi
}

echo "harness_proc: 25 nodes, --time-limit $time_limit_s --rate 100 --latency 100," \
    "configs/centred-tree-batched.ini, $(nproc) CPUs, $(git rev-parse --short HEAD)"
fmt='%-4s %8s %9s %14s %12s %11s %6s %9s %9s %8s %8s %s\n'
# shellcheck disable=SC2059 # the format is ours
printf "$fmt" run wall_s beyond_s harness_cpu_s nodes_cpu_s teardown_s ops mpo_srv mpo_all \
    p50_ms max_ms valid
for run in $(seq "$runs"); do
    store="$work/store-$run"
    start_ns="$(date +%s%N)"
    rc=0
    "$BIN_DIR/harness" test -w broadcast --bin "$BIN_DIR/broadcast-node" \
        "$PWD/configs/centred-tree-batched.ini" --node-count 25 --time-limit "$time_limit_s" \
        --rate 100 --latency 100 --store "$store" >"$work/out" 2>"$work/err" || rc=$?
    end_ns="$(date +%s%N)"
    if [ "$rc" -gt 2 ]; then
        echo "run $run: harness exit status $rc" >&2
        cat "$work/err" >&2
        exit 1
    fi
    stats="$store/latest/proc-stats.json"
    results="$store/latest/results.json"
    wall_us=$(((end_ns - start_ns) / 1000))
    beyond_us=$((wall_us - (time_limit_s + recovery_s) * 1000000))
    cpu_self="$(field "$stats" .cpu_self_us)"
    cpu_nodes="$(field "$stats" .cpu_nodes_us)"
    teardown="$(field "$stats" .teardown_us)"
    # shellcheck disable=SC2059 # the format is ours
    printf "$fmt" "$run" "$(sec "$wall_us")" "$(sec "$beyond_us")" "$(sec "$cpu_self")" \
        "$(sec "$cpu_nodes")" "$(sec "$teardown")" "$(field "$results" .stats.count)" \
        "$(field "$results" '.net.servers["msgs-per-op"]')" \
        "$(field "$results" '.net.all["msgs-per-op"]')" \
        "$(field "$results" '.workload["stable-latencies"]["0.5"]')" \
        "$(field "$results" '.workload["stable-latencies"]["1"]')" \
        "$(field "$results" '.["valid?"]')"
done
