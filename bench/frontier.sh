#!/usr/bin/env bash
# frontier.sh: the frontier configurations (configs/frontier-*.ini) on the 3d/3e workload (25
# nodes, --time-limit 20 --rate 100 --latency 100), next to the published bests they beat:
#   - 5 seeds on the virtual runner (means, and whether every seed is inside the config's
#     challenge limits from experiments/limits.csv: 3d for frontier-3d and frontier-latency,
#     3e for frontier-3e),
#   - 1 seed on real processes (the process runner),
#   - 10 seeds on the virtual runner under --nemesis partition (valid runs, values lost).
# With --figure PREFIX it draws PREFIX.png and PREFIX.svg: plots/pareto.gp over a default sweep's
# summary (--summary FILE, default experiments/results/latest/summary.csv) with the frontier
# configs' virtual means and the published bests on top.
# With --matrix it then runs every strategy x {cumulative, fire-and-forget + sync_ms} x batch
# timeout {0, 200} for 10 seeds under --nemesis partition and prints one line per combination
# (valid runs, values lost): the claim that no new delivery mode loses anything with any strategy.
#
#   bench/frontier.sh [--seeds N] [--partition-seeds N] [--no-process] [--matrix] [--jobs N]
#                     [--figure PREFIX [--summary FILE]]
#
# Builds the release preset; runs in a temporary directory (kept with KEEP=1). Prints the table
# on stdout; exit 0 when every run was valid and lost nothing and every virtual seed of every
# config was inside its limits, 1 otherwise, 2 on bad arguments.
set -eu -o pipefail
export LC_ALL=C
SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PROG=frontier.sh # lib.sh's messages name it
# shellcheck source-path=SCRIPTDIR source=../experiments/lib.sh
source "$SRC_DIR/experiments/lib.sh"

seeds=5 pseeds=10 process=1 matrix=0 jobs=2 figure="" summary_csv=
while (($# > 0)); do
    case "$1" in
    --seeds | --partition-seeds | --jobs)
        if (($# < 2)) || ! gl_is_posint "$2"; then gl_die "$1 needs a positive integer"; fi
        case "$1" in --seeds) seeds=$2 ;; --partition-seeds) pseeds=$2 ;; *) jobs=$2 ;; esac
        shift 2
        ;;
    --figure | --summary)
        (($# >= 2)) || gl_die "$1 needs a value"
        if [[ "$1" == --figure ]]; then figure=$2; else summary_csv=$2; fi
        shift 2
        ;;
    --no-process) process=0 && shift ;;
    --matrix) matrix=1 && shift ;;
    -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) gl_die "unknown argument '$1' (see --help)" ;;
    esac
done

cd "$SRC_DIR"
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_build harness broadcast-node
B="$SRC_DIR/build/release/bin"
gl_load_limits # experiments/limits.csv
work="$(mktemp -d "${TMPDIR:-/tmp}/frontier.XXXXXX")"
[[ "${KEEP:-0}" == 1 ]] || trap 'rm -rf "$work"' EXIT
workload=(--node-count 25 --time-limit 20 --rate 100 --latency 100)
failed=0

# one NAME INI SEED RUNNER [FLAGS...]: one test; its `harness results --csv` line (ops,
# msgs_per_op_servers, msgs_per_op_all, p0, p50, p95, p99, max, lost, valid) in NAME.csv.
one() {
    local name=$1 ini=$2 seed=$3 runner=$4
    shift 4
    local dir="$work/$name-$seed" line
    local -a cmd=("$B/harness" test -w broadcast)
    if [[ "$runner" == process ]]; then
        cmd+=(--bin "$B/broadcast-node" "$ini")
    else
        cmd+=(--virtual --node-config "$ini" --no-history)
    fi
    "${cmd[@]}" "${workload[@]}" --seed "$seed" --store "$dir" "$@" >"$dir.out" 2>&1 || true
    if line="$("$B/harness" results "$dir/latest/results.json" --csv 2>/dev/null)"; then
        echo "$line" >"$dir.csv"
    else
        echo "0,0,0,0,0,0,0,0,999999,failed" >"$dir.csv"
    fi
    rm -rf "$dir"
}
# runs NAME INI RUNNER N [FLAGS...]: N seeds, at most $jobs at a time.
runs() {
    local name=$1 ini=$2 runner=$3 n=$4
    shift 4
    local s
    for s in $(seq 1 "$n"); do
        one "$name" "$ini" "$s" "$runner" "$@" &
        while (($(jobs -r | wc -l) >= jobs)); do wait -n || true; done
    done
    wait
}

# summary NAME N LIMIT: "msgs p50 p95 max lost valid/N inside/N" over NAME-1..N.csv.
summary() {
    local name=$1 n=$2 limit=$3 limit_mpo limit_p50 limit_max
    gl_limits "$limit"
    cat "$work/$name"-*.csv | awk -F, -v n="$n" -v lm="$limit_mpo" -v lp="$limit_p50" \
        -v lx="$limit_max" '
        { m += $2; p += $5; q += $6; x += $8; lost += $9; valid += ($10 == "true")
          inside += ($10 == "true" && $9 == 0 && $2 < lm && $5 < lp && $8 < lx) }
        END { printf "%.3f %.0f %.0f %.0f %d %d/%d %d/%d\n", m / n, p / n, q / n, x / n, lost,
              valid, n, inside, n }'
}

row() { printf '| %-18s | %-24s | %8s | %5s | %5s | %5s | %5s | %-6s | %-7s |\n' "$@"; }

echo "# frontier: 25 nodes, rate 100, 20 s, latency 100 (git $(gl_git_rev | cut -c1-12))"
row config runner msgs/op p50 p95 max lost valid inside
row ------------------ ------------------------ -------- ----- ----- ----- ----- ------ -------
for cfg in frontier-3d frontier-3e frontier-latency; do
    ini="$SRC_DIR/configs/$cfg.ini"
    limit=3d
    [[ "$cfg" != frontier-3e ]] || limit=3e
    runs "$cfg-v" "$ini" virtual "$seeds"
    read -r m p q x lost valid inside <<<"$(summary "$cfg-v" "$seeds" "$limit")"
    row "$cfg" "virtual, $seeds seeds (mean)" "$m" "$p" "$q" "$x" "$lost" "$valid" "$inside"
    echo "$cfg,$m,$p,$x,ours" >>"$work/points.csv"
    [[ "$valid" == "$seeds/$seeds" && "$inside" == "$seeds/$seeds" ]] || failed=1
    if ((process)); then
        runs "$cfg-p" "$ini" process 1
        read -r m p q x lost valid inside <<<"$(summary "$cfg-p" 1 "$limit")"
        row "$cfg" "process, 1 seed" "$m" "$p" "$q" "$x" "$lost" "$valid" "$inside"
        [[ "$valid" == 1/1 && "$inside" == 1/1 ]] || failed=1
    fi
    runs "$cfg-n" "$ini" virtual "$pseeds" --nemesis partition
    read -r m p q x lost valid inside <<<"$(summary "$cfg-n" "$pseeds" "$limit")"
    row "$cfg" "partition, $pseeds seeds" "$m" "$p" "$q" "$x" "$lost" "$valid" "-"
    [[ "$valid" == "$pseeds/$pseeds" && "$lost" == 0 ]] || failed=1
done
# The published bests of the challenge (real Maelstrom, 25 nodes, rate 100, latency 100).
row "published 3d" "star, hub batches 400" 3.98 282 - 587 - - -
row "published balanced" "star, anti-entropy 100" "~5" 184 - 293 - - -
row "published latency" "flat, fire-and-forget" 11.79 84 - 105 "some" - -
row "published 3e" "star, 500 ms batches" 1.92 764 - 1087 - - -

if [[ -n "$figure" ]]; then
    summary_csv="${summary_csv:-$SRC_DIR/experiments/results/latest/summary.csv}"
    [[ -r "$summary_csv" ]] || gl_die "no sweep summary '$summary_csv' (run experiments/sweep.sh)"
    {
        echo "label,mpo_mean,p50_mean,max_mean,kind"
        cat "$work/points.csv"
        echo "published 3d,3.98,282,587,published"
        echo "published balanced,5,184,293,published"
        echo "published latency,11.79,84,105,published"
        echo "published 3e,1.92,764,1087,published"
    } >"$work/points-all.csv"
    gl_check_gnuplot
    "$gnuplot" -e "summary='$summary_csv'; points='$work/points-all.csv'; \
        known='$("$B/broadcast-node" --list-strategies | paste -sd' ' -)'; $(gl_gnuplot_limits); \
        title='The frontier configs and the published bests against the default sweep'; \
        png='$figure.png'; svg='$figure.svg'" "$SRC_DIR/plots/pareto.gp"
    echo "figure: $figure.png, $figure.svg"
fi

if ((matrix)); then
    echo
    echo "# every strategy x new delivery mode x batch timeout, $pseeds seeds, --nemesis partition"
    mapfile -t strategies < <("$B/broadcast-node" --list-strategies)
    for strat in "${strategies[@]}"; do
        for mode in cumulative ff+sync; do
            for t in 0 200; do
                ini="$work/$strat-$mode-$t.ini"
                {
                    printf '[topology]\nstrategy = %s\n' "$strat"
                    [[ "$strat" != file ]] ||
                        printf 'file = %s\n' "$SRC_DIR/configs/file-topology.json"
                    printf '[batch]\ntimeout_ms = %s\n[delivery]\n' "$t"
                    if [[ "$mode" == cumulative ]]; then
                        printf 'mode = cumulative\nretry_ms = 1000\nack_delay_ms = 300\n'
                    else
                        printf 'mode = fire-and-forget\nsync_ms = 1000\n'
                    fi
                } >"$ini"
                runs "m-$strat-$mode-$t" "$ini" virtual "$pseeds" --nemesis partition
                read -r m _ _ _ lost valid _ <<<"$(summary "m-$strat-$mode-$t" "$pseeds" 3d)"
                printf '%-10s %-10s timeout %-4s valid %-6s lost %-3s msgs/op %s\n' "$strat" \
                    "$mode" "$t" "$valid" "$lost" "$m"
                [[ "$valid" == "$pseeds/$pseeds" && "$lost" == 0 ]] || failed=1
            done
        done
    done
fi
exit "$failed"
