#!/usr/bin/env bash
# bench/harness_scale.sh: how the virtual-time harness scales (issue 11). Runs
# `harness test --virtual --no-history` for every strategy x node count x rate, 20 s, latency
# 100 ms, seed 1, and prints one line per run: wall time, CPU time (user + system: what the run
# cost even when other work shares the cores), messages simulated (net all msg-count from
# results.json), messages simulated per wall second, peak RSS; then the aims of issue 11:
# 500 nodes, rate 1000, tree: <= 5 s and <= 1 GiB; 1,000 nodes: <= 15 s.
#   bench/harness_scale.sh [--nodes LIST] [--rates LIST] [--strategies LIST] [--time-limit S]
#                          [--repeat N]
# defaults: --nodes 25,100,500,1000 --rates 100,1000 --strategies tree,star --time-limit 20
# --repeat 1. With --repeat N every row runs N times (the same run: the seed is fixed) and shows
# the run of median wall time, with the fastest and slowest wall times ("min s", "max s"): on a
# shared machine one run of the same work varies by a fifth.
# Strategies are configs/centred-tree.ini (tree) and configs/star.ini (star): acks, no batching.
# The release preset is built first (not timed) unless GL_BIN_DIR names a directory holding a
# harness (e.g. an older build, to compare). Wall time, CPU time and peak RSS are the harness's
# own, from the run's run-stats.json (getrusage); a build older than that file is timed with GNU
# time (/usr/bin/time, Debian package `time`) when it is installed. "huge": whether the run put
# its heap on huge pages (run-stats.json's huge_pages; GL_HUGEPAGES=0 in the environment turns
# that off, to measure what it brings).
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

die() {
    echo "harness_scale.sh: $*" >&2
    exit 2
}
nodes=25,100,500,1000 rates=100,1000 strategies=tree,star time_limit=20 repeat=1
while (($# > 0)); do
    case "$1" in
    --nodes | --rates | --strategies | --time-limit | --repeat)
        (($# >= 2)) || die "option '$1' needs a value"
        v="${1#--}"
        printf -v "${v//-/_}" '%s' "$2"
        shift 2
        ;;
    *) die "unknown option '$1'" ;;
    esac
done
[[ "$repeat" =~ ^[1-9][0-9]?$ ]] || die "--repeat wants a count from 1 to 99, not '$repeat'"
if [[ -z "${GL_BIN_DIR:-}" ]]; then
    bench_build harness
    GL_BIN_DIR=build/release/bin
fi
H="$GL_BIN_DIR/harness"
[[ -x "$H" ]] || die "'$GL_BIN_DIR' has no executable harness"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cpu="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' || echo unknown)"
echo "machine: $(nproc) cores ($cpu); harness: $H"
printf '%-8s %6s %5s %8s %8s %8s %8s %10s %11s %8s %5s  %s\n' strategy nodes rate "wall s" \
    "min s" "max s" "cpu s" messages "msgs/wall s" "RSS MiB" "huge" "verdict"

# run_once CFG NODES RATE: one run; prints "wall_s cpu_s msgs rss_kib huge verdict" (one line).
run_once() {
    local cfg="$1" n="$2" r="$3" rc=0 timer=() stats huge=- wall user sys rss_kib msgs verdict
    rm -rf "$work/store"
    [[ ! -x /usr/bin/time ]] || timer=(/usr/bin/time -f '%e %U %S %M' -o "$work/time")
    "${timer[@]}" "$H" test -w broadcast --virtual \
        --node-config "$cfg" --node-count "$n" --rate "$r" --time-limit "$time_limit" \
        --latency 100 --seed 1 --no-history --store "$work/store" \
        >"$work/out" 2>"$work/err" || rc=$?
    stats="$work/store/latest/run-stats.json"
    if [[ -f "$stats" ]]; then
        huge="$(sed -nE 's/.*"huge_pages":(true|false).*/\1/p' "$stats")"
        huge="${huge:--}"
        read -r wall user sys rss_kib < <(sed -E \
            's/.*"wall_us":([0-9]+),"cpu_us":([0-9]+),"max_rss_kib":([0-9]+).*/\1 \2 \3/' "$stats" |
            awk '{ printf "%.6f %.6f 0 %d\n", $1 / 1e6, $2 / 1e6, $3 }')
    elif [[ -f "$work/time" ]]; then
        read -r wall user sys rss_kib <"$work/time"
    else
        die "$H wrote no run-stats.json (an older build?) and GNU time is not installed"
    fi
    msgs="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["net"]["all"]["msg-count"])' \
        "$work/store/latest/results.json" 2>/dev/null || echo 0)"
    verdict="$(grep -m1 '^valid?' "$work/out" | tr -s ' ' || true)"
    ((rc <= 2)) || verdict="exit $rc: $(head -c 200 "$work/err" | tr '\n' ' ')"
    awk -v w="$wall" -v u="$user" -v y="$sys" -v m="$msgs" -v k="$rss_kib" -v h="$huge" \
        -v v="$verdict" 'BEGIN { printf "%.6f %.6f %d %d %s %s\n", w, u + y, m, k, h, v }'
}

IFS=, read -r -a strategy_list <<<"$strategies"
IFS=, read -r -a node_list <<<"$nodes"
IFS=, read -r -a rate_list <<<"$rates"
for s in "${strategy_list[@]}"; do
    case "$s" in
    tree) cfg=configs/centred-tree.ini ;;
    star) cfg=configs/star.ini ;;
    *) die "unknown strategy '$s' (tree or star)" ;;
    esac
    for n in "${node_list[@]}"; do
        for r in "${rate_list[@]}"; do
            for ((i = 0; i < repeat; i++)); do
                run_once "$cfg" "$n" "$r"
            done | sort -n -k1,1 | awk -v s="$s" -v n="$n" -v r="$r" '
                { line[NR] = $0; wall[NR] = $1 }
                END {
                    split(line[int((NR + 1) / 2)], f, " ")
                    v = line[int((NR + 1) / 2)]
                    for (i = 1; i <= 5; i++) sub(/^[^ ]+ /, "", v)
                    printf "%-8s %6d %5d %8.2f %8.2f %8.2f %8.2f %10d %11.0f %8.0f %5s  %s\n",
                        s, n, r, f[1], wall[1], wall[NR], f[2], f[3], (f[1] > 0 ? f[3] / f[1] : 0),
                        f[4] / 1024, f[5], v }'
        done
    done
done
echo "aims (issue 11): tree, 500 nodes, rate 1000: <= 5 s wall and <= 1024 MiB; 1,000 nodes: <= 15 s"
