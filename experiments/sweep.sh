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
#
# What the node accepts is asked of it, not repeated here: the strategy names (broadcast-node
# --list-strategies), the batch timeout's range (--list-keys), and every generated INI file is
# loaded by the node's own loader (--check-config) before the first run. The challenges' limits
# come from experiments/limits.csv. So the build (when GL_BIN_DIR is not set) comes before those
# checks, and the result directory after them.
# shellcheck source-path=SCRIPTDIR
set -eu -o pipefail
export LC_ALL=C # EPOCHREALTIME and printf need '.' as the decimal point

SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROG=sweep.sh

usage() {
    cat <<EOF
usage: experiments/sweep.sh [options]
  --runner R          virtual (default: node cores under a virtual clock), process (real
                      broadcast-node processes, real time) or maelstrom (a real Maelstrom)
  --strategies LIST   comma-separated, from \`broadcast-node --list-strategies\` but file
                      (default: grid,tree,star,flat)
  --timeouts LIST     batch timeouts in ms, comma-separated
                      (default: 0,10,20,50,100,200,300,500,1000)
  --seeds N           runs per (strategy, timeout), seeds 1..N (default: 3)
  --jobs N            runs in parallel (default: nproc)
  --workload W        a challenge of experiments/limits.csv (default 3d): 25 nodes, rate 100,
                      20 s, latency 100 for all; W picks the limits the summary checks
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
gl_workload_defaults
strategies_arg=grid,tree,star,flat
timeouts_arg=0,10,20,50,100,200,300,500,1000
seeds=3
jobs=""
workload=3d
nemesis=""
cmdline="$0 $*"

gl_parse_options "--runner:runner --strategies:strategies_arg --timeouts:timeouts_arg \
    --seeds:seeds --jobs:jobs --workload:workload --out:out_base --nemesis:nemesis \
    --time-limit:time_limit --recovery-wait:recovery_wait --node-count:node_count --rate:rate \
    --latency:latency" "--slim:slim" "$@"
((${#GL_OPERANDS[@]} == 0)) || gl_die "unexpected argument '${GL_OPERANDS[0]}' (see --help)"

# ---- validation: everything is checked before anything runs --------------------------------
gl_check_run_options
gl_load_limits
gl_limits "$workload" workload

IFS=, read -r -a strategies <<<"$strategies_arg"
((${#strategies[@]} > 0)) || gl_die "--strategies is empty"
[[ "$(printf '%s\n' "${strategies[@]}" | sort | uniq -d)" == "" ]] ||
    gl_die "a strategy is listed twice in '$strategies_arg'"

IFS=, read -r -a timeouts <<<"$timeouts_arg"
((${#timeouts[@]} > 0)) || gl_die "--timeouts is empty"

gl_is_posint "$seeds" || gl_die "--seeds '$seeds' is not a positive whole number"
[[ -n "$jobs" ]] || jobs="$(nproc)"
gl_is_posint "$jobs" || gl_die "--jobs '$jobs' is not a positive whole number"
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

# ---- the build, then what only the node knows ----------------------------------------------
gl_build
harness="$bin_dir/harness"
node_bin="$bin_dir/broadcast-node"
gl_fit="$bin_dir/gl-fit"

# `file` needs a topology file, so it has no place in a sweep over generated INI files.
gl_node_strategies
known=()
for s in "${GL_STRATEGIES[@]}"; do [[ "$s" == file ]] || known+=("$s"); done
for s in "${strategies[@]}"; do
    [[ " ${known[*]} " == *" $s "* ]] ||
        gl_die "unknown strategy '$s' (known: $(gl_join ", " "${known[@]}"))"
done
gl_node_key_range batch.timeout_ms
for t in "${timeouts[@]}"; do
    if ! gl_is_uint "$t" || ((10#$t < GL_RANGE_LO || 10#$t > GL_RANGE_HI)); then
        gl_die "timeout '$t' is not a whole number of milliseconds in $GL_RANGE_LO..$GL_RANGE_HI"
    fi
done
for i in "${!timeouts[@]}"; do timeouts[i]=$((10#${timeouts[i]})); done
[[ "$(printf '%s\n' "${timeouts[@]}" | sort | uniq -d)" == "" ]] ||
    gl_die "a timeout is listed twice in '$timeouts_arg'"
gl_results_columns

# ---- set-up: the result directory, the INI files -------------------------------------------
gl_make_out_dir "$out_base" ""
gl_keep_build_log "$out"
status=0

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
# Each generated file must load in the node itself: a sweep never starts on a config it refuses.
for ini in "$out"/configs/*.ini; do gl_check_config "$ini"; done

CSV_HEADER="strategy,timeout_ms,seed,runner,$GL_RESULTS_HEADER,wall_s,git_rev,status,reason"

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

# The columns read back, by name (see gl_csv_index).
c_strategy="$(gl_csv_index "$CSV_HEADER" strategy)"
c_timeout="$(gl_csv_index "$CSV_HEADER" timeout_ms)"
c_seed="$(gl_csv_index "$CSV_HEADER" seed)"
c_status="$(gl_csv_index "$CSV_HEADER" status)"
c_reason="$(gl_csv_index "$CSV_HEADER" reason)"
c_lacking="$(gl_csv_index "$CSV_HEADER" nodes_lacking)"

declare -A count=([ok]=0 [invalid]=0 [unknown]=0 [failed]=0)
behind=0 # runs in which some node lacked values at the final reads, valid or not
while IFS=, read -r -a f; do
    st="${f[c_status]:-failed}"
    count[$st]=$((${count[$st]:-0} + 1))
    [[ "${f[c_lacking]:-0}" =~ ^0?$ ]] || behind=$((behind + 1))
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
        if LC_ALL=C.UTF-8 "$gnuplot" -e "summary='$out/summary.csv'; fits='$out/fit.csv'; strategies='${strategies[*]}'; known='${GL_STRATEGIES[*]}'; $(gl_gnuplot_limits); png='$out/$fig.png'; svg='$out/$fig.svg'" \
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
if ((behind > 0)); then
    echo "convergence: in $behind of $nruns runs some node lacked values at the final reads (column nodes_lacking)"
fi
if ((count[ok] < nruns)); then
    echo "not ok:"
    tail -n +2 "$out/sweep.csv" | while IFS=, read -r -a f; do
        [[ "${f[c_status]}" == ok ]] ||
            echo "  ${f[c_strategy]} T=${f[c_timeout]} seed ${f[c_seed]}: ${f[c_status]}: ${f[c_reason]:-}"
    done | head -n 20
fi
if [[ -s "$out/fit.csv" ]] && (($(wc -l <"$out/fit.csv") > 1)); then
    echo "fit: latency = k*T + b (ms), least squares over the ok runs (se = standard error)"
    printf '  %-10s %-6s %4s %9s %10s %7s %8s %9s\n' strategy metric n k b R2 se_k se_b
    fit_cols=()
    for name in strategy metric n k b r2 se_k se_b; do
        fit_cols+=("$(gl_csv_col "$out/fit.csv" "$name")")
    done
    while IFS=, read -r -a f; do
        v=()
        for i in "${fit_cols[@]}"; do v+=("${f[i]:--}"); done
        printf '  %-10s %-6s %4s %9s %10s %7s %8s %9s\n' "${v[@]}"
    done < <(tail -n +2 "$out/fit.csv")
fi
if [[ -s "$out/summary.csv" ]]; then
    met=()
    sum_cols=()
    for name in strategy timeout_ms n mpo_max p50_max max_max nodes_lacking_max; do
        sum_cols+=("$(gl_csv_col "$out/summary.csv" "$name")")
    done
    # Worst seed of each (strategy, T) against the workload's limits: mpo_max, p50_max, max_max;
    # and every node had every value at the final reads (nodes_lacking_max 0, or unknown).
    while IFS=, read -r -a f; do
        v=()
        for i in "${sum_cols[@]}"; do v+=("${f[i]:-}"); done
        awk -v m="${v[3]}" -v p="${v[4]}" -v x="${v[5]}" -v l="${v[6]}" \
            -v lm="$limit_mpo" -v lp="$limit_p50" -v lx="$limit_max" \
            -v n="${v[2]}" -v seeds="$seeds" \
            'BEGIN { exit !(n == seeds && m < lm && p < lp && x < lx && (l == "" || l == 0)) }' &&
            met+=("${v[0]}/T=${v[1]}")
    done < <(tail -n +2 "$out/summary.csv")
    echo "$workload limits (msgs-per-op < $limit_mpo, p50 < $limit_p50 ms, max < $limit_max ms, every seed ok and converged): ${met[*]:-none}"
fi
echo "figures: ${figures[*]:-none}"
echo "results: $out (also $out_base/latest)"
exit "$status"
