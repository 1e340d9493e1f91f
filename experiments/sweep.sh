#!/usr/bin/env bash
# sweep.sh: runs the broadcast workload for every (strategy, batch timeout, seed), one CSV row
# per run, fits latency = k*T + b per strategy (gl-fit) and draws the figures (plots/*.gp).
# Every run is an independent `harness test` (or `maelstrom test`) whose results are read back
# with `harness results --csv`.
#
#   experiments/sweep.sh [--runner virtual|process|maelstrom] [--strategies LIST]
#                        [--timeouts LIST] [--seeds N] [--jobs N] [--workload 3d|3e] [--out DIR]
#
# Output: DIR/<stamp>/ (DIR defaults to experiments/results) and the link DIR/latest; the
# layout is described in docs/experiments.md. Environment: GL_BIN_DIR = a directory holding
# harness, broadcast-node and gl-fit (then nothing is built); GNUPLOT = the gnuplot to use;
# MAELSTROM = the maelstrom launcher for --runner maelstrom (else `maelstrom` on PATH).
# Exit status: 0 every run valid; 1 some run failed or was not valid, or the build or a figure
# failed (everything else is still written); 2 bad arguments (nothing was run).
# shellcheck source-path=SCRIPTDIR
set -eu -o pipefail
export LC_ALL=C # EPOCHREALTIME and printf need '.' as the decimal point

SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROG=sweep.sh

# Strategies the node builds by itself (common/cfg.h); `file` needs a topology file, so it has
# no place in a sweep over generated INI files.
KNOWN_STRATEGIES="grid tree star flat line tree2 tree3 tree4 total maelstrom"
MAX_TIMEOUT_MS=60000 # common/cfg.h CFG_MAX_BATCH_TIMEOUT_MS

usage() {
    cat <<EOF
usage: experiments/sweep.sh [options]
  --runner R          virtual (default: node cores under a virtual clock), process (real
                      broadcast-node processes, real time) or maelstrom (a real Maelstrom)
  --strategies LIST   comma-separated, from: ${KNOWN_STRATEGIES// /, }
                      (default: grid,tree,star,flat)
  --timeouts LIST     batch timeouts in ms, comma-separated
                      (default: 0,10,20,50,100,200,300,500,1000)
  --seeds N           runs per (strategy, timeout), seeds 1..N (default: 3)
  --jobs N            runs in parallel (default: nproc)
  --workload W        3d or 3e (default 3d): 25 nodes, rate 100, 20 s, latency 100 for both;
                      W picks the limits the summary checks
  --out DIR           parent of the result directory (default: experiments/results)
  --nemesis partition partition the network during every run
  --time-limit S      main phase in seconds (default: 20)
  --recovery-wait S   harness only: seconds between the final heal and the final reads
                      (default: the harness's, 10)
  --node-count N, --rate R, --latency MS   override the workload's (25, 100, 100)
  --slim              delete each run's history and journal once its results are read
EOF
}

# shellcheck source=lib.sh
source "$SRC_DIR/experiments/lib.sh"

# ---- arguments -----------------------------------------------------------------------------
runner=virtual
strategies_arg=grid,tree,star,flat
timeouts_arg=0,10,20,50,100,200,300,500,1000
seeds=3
jobs=""
workload=3d
out_base="$SRC_DIR/experiments/results"
nemesis=""
time_limit=20
recovery_wait=""
node_count=25
rate=100
latency=100
slim=0
cmdline="$0 $*"

while (($# > 0)); do
    opt="$1"
    case "$opt" in
    -h | --help)
        usage
        exit 0
        ;;
    --slim)
        slim=1
        shift
        continue
        ;;
    --runner | --strategies | --timeouts | --seeds | --jobs | --workload | --out | --nemesis | \
        --time-limit | --recovery-wait | --node-count | --rate | --latency)
        (($# >= 2)) || gl_die "option '$opt' needs a value (see --help)"
        ;;
    *) gl_die "unknown option '$opt' (see --help)" ;;
    esac
    val="$2"
    shift 2
    case "$opt" in
    --runner) runner="$val" ;;
    --strategies) strategies_arg="$val" ;;
    --timeouts) timeouts_arg="$val" ;;
    --seeds) seeds="$val" ;;
    --jobs) jobs="$val" ;;
    --workload) workload="$val" ;;
    --out) out_base="$val" ;;
    --nemesis) nemesis="$val" ;;
    --time-limit) time_limit="$val" ;;
    --recovery-wait) recovery_wait="$val" ;;
    --node-count) node_count="$val" ;;
    --rate) rate="$val" ;;
    --latency) latency="$val" ;;
    esac
done

# ---- validation: everything is checked before anything runs --------------------------------
case "$runner" in
virtual | process | maelstrom) ;;
*) gl_die "unknown runner '$runner' (known: virtual, process, maelstrom)" ;;
esac
case "$workload" in
3d) limit_mpo=30 limit_p50=400 limit_max=600 ;;
3e) limit_mpo=20 limit_p50=1000 limit_max=2000 ;;
*) gl_die "unknown workload '$workload' (known: 3d, 3e)" ;;
esac

IFS=, read -r -a strategies <<<"$strategies_arg"
((${#strategies[@]} > 0)) || gl_die "--strategies is empty"
for s in "${strategies[@]}"; do
    [[ " $KNOWN_STRATEGIES " == *" $s "* ]] ||
        gl_die "unknown strategy '$s' (known: ${KNOWN_STRATEGIES// /, })"
done
[[ "$(printf '%s\n' "${strategies[@]}" | sort | uniq -d)" == "" ]] ||
    gl_die "a strategy is listed twice in '$strategies_arg'"

IFS=, read -r -a timeouts <<<"$timeouts_arg"
((${#timeouts[@]} > 0)) || gl_die "--timeouts is empty"
for t in "${timeouts[@]}"; do
    if ! gl_is_uint "$t" || ((10#$t > MAX_TIMEOUT_MS)); then
        gl_die "timeout '$t' is not a whole number of milliseconds in 0..$MAX_TIMEOUT_MS"
    fi
done
for i in "${!timeouts[@]}"; do timeouts[i]=$((10#${timeouts[i]})); done
[[ "$(printf '%s\n' "${timeouts[@]}" | sort | uniq -d)" == "" ]] ||
    gl_die "a timeout is listed twice in '$timeouts_arg'"

gl_is_posint "$seeds" || gl_die "--seeds '$seeds' is not a positive whole number"
[[ -n "$jobs" ]] || jobs="$(nproc)"
gl_is_posint "$jobs" || gl_die "--jobs '$jobs' is not a positive whole number"
gl_is_posint "$time_limit" || gl_die "--time-limit '$time_limit' is not a positive whole number"
gl_is_posint "$node_count" || gl_die "--node-count '$node_count' is not a positive whole number"
[[ "$rate" =~ ^[0-9]+(\.[0-9]+)?$ ]] || gl_die "--rate '$rate' is not a non-negative number"
gl_is_uint "$latency" || gl_die "--latency '$latency' is not a whole number of milliseconds"
if [[ -n "$recovery_wait" ]]; then
    gl_is_uint "$recovery_wait" || gl_die "--recovery-wait '$recovery_wait' is not a whole number"
    [[ "$runner" != maelstrom ]] || gl_die "--recovery-wait is not a Maelstrom option"
fi
case "$nemesis" in
"" | partition) ;;
*) gl_die "unknown nemesis '$nemesis' (known: partition)" ;;
esac

gl_setup
gl_check_gnuplot
maelstrom=""
[[ "$runner" != maelstrom ]] || gl_check_maelstrom
gl_check_bin_dir
[[ "$out_base" != *"'"* ]] || gl_die "--out must not contain a single quote (gnuplot strings)"

# ---- set-up: the result directory, the build, the INI files --------------------------------
mkdir -p "$out_base" || gl_die "cannot create '$out_base'"
out_base="$(cd "$out_base" && pwd)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$out_base/$stamp"
n=1
until mkdir "$out" 2>/dev/null; do # two sweeps in the same second get -2, -3, ...
    n=$((n + 1))
    ((n < 100)) || gl_die "cannot create a result directory under '$out_base'"
    out="$out_base/$stamp-$n"
done

status=0
gl_build "$out/build.log"
harness="$bin_dir/harness"
node_bin="$bin_dir/broadcast-node"
gl_fit="$bin_dir/gl-fit"

git_rev="$(gl_git_rev)"
git_dirty="$(gl_git_dirty)"

nruns=$((${#strategies[@]} * ${#timeouts[@]} * seeds))
{
    echo "# sweep.sh: the parameters of this sweep"
    echo "command=$cmdline"
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "git_rev=$git_rev"
    echo "git_dirty=$git_dirty"
    echo "runner=$runner"
    echo "strategies=${strategies[*]}"
    echo "timeouts_ms=${timeouts[*]}"
    echo "seeds=1..$seeds"
    echo "runs=$nruns"
    echo "jobs=$jobs"
    echo "workload=$workload (limits: msgs-per-op < $limit_mpo, p50 < $limit_p50 ms, max < $limit_max ms)"
    echo "node_count=$node_count"
    echo "time_limit_s=$time_limit"
    echo "rate=$rate"
    echo "latency_ms=$latency"
    echo "nemesis=${nemesis:-none}"
    echo "recovery_wait_s=${recovery_wait:-default}"
    echo "delivery=acks retry_ms=500"
    echo "harness=$harness"
    echo "node=$node_bin"
    [[ -z "$maelstrom" ]] || echo "maelstrom=$maelstrom"
    echo "host=$(uname -n) nproc=$(nproc)"
} >"$out/sweep.env"

mkdir "$out/configs" "$out/runs"
for s in "${strategies[@]}"; do
    for t in "${timeouts[@]}"; do
        cat >"$out/configs/$s-T$t.ini" <<EOF
; generated by experiments/sweep.sh (git $git_rev): strategy $s, batch timeout $t ms, acks
[topology]
strategy = $s

[batch]
timeout_ms = $t

[delivery]
mode = acks
retry_ms = 500
EOF
    done
done

CSV_HEADER="strategy,timeout_ms,seed,runner,$("$harness" results --csv-header),wall_s,git_rev,status,reason"

# ---- one run -------------------------------------------------------------------------------

# run_one STRATEGY TIMEOUT SEED: one run in runs/<strategy>-T<timeout>-s<seed>/, ending with
# its CSV row in row.csv. Never fails: a failure is a row with status failed and a reason.
run_one() {
    local s="$1" t="$2" seed="$3"
    local dir="$out/runs/$s-T$t-s$seed"
    mkdir -p "$dir"
    cp "$out/configs/$s-T$t.ini" "$dir/node.ini"
    {
        echo "strategy=$s"
        echo "timeout_ms=$t"
    } >"$dir/run.env"
    gl_run "$dir" "$dir/node.ini" "$seed"
    printf '%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$s" "$t" "$seed" "$runner" "$RUN_CSV" "$RUN_WALL" \
        "$git_rev" "$RUN_STATUS" "$RUN_REASON" >"$dir/row.csv"
}

# ---- the runs, --jobs at a time ------------------------------------------------------------
tty=0
[[ -t 2 ]] && tty=1
sweep_start="${EPOCHREALTIME/./}"
elapsed_s() { echo $(((${EPOCHREALTIME/./} - sweep_start) / 1000000)); }
# elapsed_precise: seconds since the start with one decimal.
elapsed_precise() {
    local us=$((${EPOCHREALTIME/./} - sweep_start))
    printf '%d.%d' $((us / 1000000)) $(((us % 1000000) / 100000))
}
last_decile=-1

progress() { # progress DONE
    local done="$1" el eta line
    el="$(elapsed_s)"
    if ((done > 0)); then eta="$((el * (nruns - done) / done)) s"; else eta="?"; fi
    line="$PROG: run $done of $nruns done, elapsed $el s, ETA $eta"
    if ((tty)); then
        printf '\r%s\033[K' "$line" >&2
        ((done < nruns)) || printf '\n' >&2
    elif ((done * 10 / nruns != last_decile)); then # one line per tenth in a log
        last_decile=$((done * 10 / nruns))
        echo "$line" >&2
    fi
}

# shellcheck disable=SC2317 # invoked by the trap below
on_signal() {
    trap - INT TERM
    echo "" >&2
    echo "$PROG: interrupted; stopping the runs in progress ($out left as it is)" >&2
    local p
    local -a pids=()
    p="$(jobs -p)"
    read -r -d "" -a pids <<<"$p" || true
    ((${#pids[@]} == 0)) || kill -TERM "${pids[@]}" 2>/dev/null || true
    wait || true
    exit 130
}
trap on_signal INT TERM

echo "$PROG: $nruns runs (strategies x timeouts x seeds = ${#strategies[@]} x ${#timeouts[@]} x $seeds), $runner runner, --jobs $jobs -> $out" >&2
running=0
done_runs=0
progress 0
for s in "${strategies[@]}"; do
    for t in "${timeouts[@]}"; do
        for ((seed = 1; seed <= seeds; seed++)); do
            while ((running >= jobs)); do
                wait -n || true
                running=$((running - 1))
                done_runs=$((done_runs + 1))
                progress "$done_runs"
            done
            run_one "$s" "$t" "$seed" &
            running=$((running + 1))
        done
    done
done
while ((running > 0)); do
    wait -n || true
    running=$((running - 1))
    done_runs=$((done_runs + 1))
    progress "$done_runs"
done
trap - INT TERM

# ---- sweep.csv, in a fixed order whatever order the runs ended in ----------------------------
{
    echo "$CSV_HEADER"
    for s in "${strategies[@]}"; do
        for t in "${timeouts[@]}"; do
            for ((seed = 1; seed <= seeds; seed++)); do
                row="$out/runs/$s-T$t-s$seed/row.csv"
                if [[ -f "$row" ]]; then
                    cat "$row"
                else
                    echo "$s,$t,$seed,$runner$GL_EMPTY_RESULTS,,$git_rev,failed,the run left no row"
                fi
            done
        done
    done
} >"$out/sweep.csv"
runs_wall="$(elapsed_precise)"

declare -A count=([ok]=0 [invalid]=0 [unknown]=0 [failed]=0)
while IFS=, read -r -a f; do
    st="${f[16]:-failed}"
    count[$st]=$((${count[$st]:-0} + 1))
done < <(tail -n +2 "$out/sweep.csv")
((count[ok] == nruns)) || status=1

# ---- the fit and the figures ---------------------------------------------------------------
if ! "$gl_fit" -o "$out/fit.csv" --summary "$out/summary.csv" "$out/sweep.csv" 2>"$out/fit.log"; then
    cat "$out/fit.log" >&2
    status=1
fi
grep -F "no fit" "$out/fit.log" >&2 || true
figures=()
if ((count[ok] > 0)); then
    for fig in latency msgs pareto; do
        if LC_ALL=C.UTF-8 "$gnuplot" -e "summary='$out/summary.csv'; fits='$out/fit.csv'; strategies='${strategies[*]}'; png='$out/$fig.png'; svg='$out/$fig.svg'" \
            "$SRC_DIR/plots/$fig.gp" 2>>"$out/plots.log" &&
            [[ -s "$out/$fig.png" && -s "$out/$fig.svg" ]]; then
            figures+=("$fig.png" "$fig.svg")
        else
            echo "$PROG: figure $fig failed; see $out/plots.log" >&2
            status=1
        fi
    done
else
    echo "$PROG: no run succeeded: no fit and no figures" >&2
fi
ln -sfn "$(basename "$out")" "$out_base/latest"
sweep_wall="$(elapsed_precise)"

# ---- the summary ---------------------------------------------------------------------------
echo "sweep: $nruns runs in $runs_wall s, $sweep_wall s with the fit and the figures ($runner runner, $jobs jobs, git ${git_rev:0:12}$([[ $git_dirty == no ]] || echo ' + uncommitted changes'))"
echo "runs: ${count[ok]} ok, ${count[invalid]} invalid, ${count[unknown]} unknown, ${count[failed]} failed"
if ((count[ok] < nruns)); then
    echo "not ok:"
    tail -n +2 "$out/sweep.csv" | while IFS=, read -r -a f; do
        [[ "${f[16]}" == ok ]] || echo "  ${f[0]} T=${f[1]} seed ${f[2]}: ${f[16]}: ${f[17]:-}"
    done | head -n 20
fi
if [[ -s "$out/fit.csv" ]] && (($(wc -l <"$out/fit.csv") > 1)); then
    echo "fit: latency = k*T + b (ms), least squares over the ok runs (se = standard error)"
    printf '  %-10s %-6s %4s %9s %10s %7s %8s %9s\n' strategy metric n k b R2 se_k se_b
    while IFS=, read -r fs fm fn fk fb fr fsk fsb; do
        printf '  %-10s %-6s %4s %9s %10s %7s %8s %9s\n' "$fs" "$fm" "$fn" "$fk" "$fb" "$fr" \
            "${fsk:--}" "${fsb:--}"
    done < <(tail -n +2 "$out/fit.csv")
fi
if [[ -s "$out/summary.csv" ]]; then
    met=()
    # Worst seed of each (strategy, T) against the workload's limits: mpo_max, p50_max, max_max.
    while IFS=, read -r -a f; do
        awk -v m="${f[5]}" -v p="${f[8]}" -v x="${f[14]}" \
            -v lm="$limit_mpo" -v lp="$limit_p50" -v lx="$limit_max" \
            -v n="${f[2]}" -v seeds="$seeds" \
            'BEGIN { exit !(n == seeds && m < lm && p < lp && x < lx) }' && met+=("${f[0]}/T=${f[1]}")
    done < <(tail -n +2 "$out/summary.csv")
    echo "$workload limits (msgs-per-op < $limit_mpo, p50 < $limit_p50 ms, max < $limit_max ms, every seed ok): ${met[*]:-none}"
fi
echo "figures: ${figures[*]:-none}"
echo "results: $out (also $out_base/latest)"
exit "$status"
