#!/usr/bin/env bash
# sweep.sh: runs the broadcast workload for every point of the sweep's axes and every seed, one
# CSV row per run; fits latency = k*T + b per group (gl-fit), finds the configurations no other
# beats in msgs/op, median and maximum latency at once (the frontier), and draws the figures
# (plots/*.gp). Every run is an independent `harness test` (or `maelstrom test`) whose results are
# read back with `harness results --csv`.
#
#   experiments/sweep.sh [--set SECTION.KEY=V1,V2,...]... [--vary FLAG=V1,V2,...]...
#                        [--strategies LIST] [--timeouts LIST] [--seeds N|LIST] [--jobs N]
#                        [--runner virtual|process|maelstrom] [--executor local|parallel]
#                        [--sshloginfile FILE] [--workload 3d|3e] [--out DIR] ...
#
# Output: DIR/<stamp>/ (DIR defaults to experiments/results) and the link DIR/latest; the
# layout is described in docs/experiments.md. Environment: GL_BIN_DIR = a directory holding
# harness, broadcast-node and gl-fit (then nothing is built); GNUPLOT = the gnuplot to use;
# MAELSTROM = the maelstrom launcher for --runner maelstrom (else `maelstrom` on PATH).
# Exit status: 0 every run valid; 1 some run failed or was not valid, or the build or a figure
# failed (everything else is still written); 2 bad arguments (nothing was run).
#
# What the node accepts is asked of it, not repeated here: every generated INI file is loaded by
# the node's own loader (--check-config) before the first run, and --list-keys says which keys
# are integers or paths. The challenges' limits come from experiments/limits.csv. So the build
# (when GL_BIN_DIR is not set) comes before those checks, and the result directory after them.
# shellcheck source-path=SCRIPTDIR
set -eu -o pipefail
export LC_ALL=C # EPOCHREALTIME and printf need '.' as the decimal point

SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROG=sweep.sh

usage() {
    cat <<EOF
usage: experiments/sweep.sh [options]
  --set SECTION.KEY=V1,V2,...  an axis of node configurations: any key of
                      \`broadcast-node --list-keys\` (repeatable); every generated INI is
                      checked by the node's loader before anything runs
  --vary FLAG=V1,V2,...  an axis of the workload (repeatable): node-count, rate, latency,
                      latency-dist, nemesis (none|partition), nemesis-interval, concurrency,
                      time-limit; the model's net-wake-us, net-sleep-quantum-us,
                      net-overshoot-us, init-spread-us (virtual and process runners),
                      node-delay-us (virtual runner)
  --strategies LIST   shorthand for --set topology.strategy=LIST (default: grid,tree,star,flat)
  --timeouts LIST     shorthand for --set batch.timeout_ms=LIST
                      (default: 0,10,20,50,100,200,300,500,1000)
                      The runs are the Cartesian product of the axes x the seeds.
  --seeds N|LIST      runs per point: seeds 1..N, or the seeds listed (1,2 or 5,9)
                      (default: 3)
  --runner R          virtual (default: node cores under a virtual clock), process (real
                      broadcast-node processes, real time) or maelstrom (a real Maelstrom)
  --executor E        local (default: --jobs at a time here) or parallel (GNU parallel)
  --sshloginfile FILE with --executor parallel: the machines to run on (':' = this one); each
                      has gossip-lab built at this path (see docs/experiments.md)
  --jobs N            runs in parallel (per machine with parallel; default: nproc)
  --workload W        a challenge of experiments/limits.csv (default 3d): 25 nodes, rate 100,
                      20 s, latency 100 for all; W picks the limits the summary checks
  --out DIR           parent of the result directory (default: experiments/results)
  --nemesis partition partition the network during every run
  --time-limit S      main phase in seconds (default: 20)
  --recovery-wait S   harness only: seconds between the final heal and the final reads
                      (default: the harness's, 10)
  --node-count N, --rate R, --latency MS   override the workload's (25, 100, 100)
  --slim              keep no history and no journal of a run, only its results
EOF
}

# shellcheck source=lib.sh
source "$SRC_DIR/experiments/lib.sh"

# ---- arguments -----------------------------------------------------------------------------
gl_workload_defaults
strategies_arg=""
timeouts_arg=""
sets=()
varies=()
seeds=3
jobs=""
workload=3d
cmdline="$0 $*"

gl_parse_options "--runner:runner --strategies:strategies_arg --timeouts:timeouts_arg \
    --set:@sets --vary:@varies --seeds:seeds --jobs:jobs --workload:workload --out:out_base \
    --nemesis:nemesis --time-limit:time_limit --recovery-wait:recovery_wait \
    --node-count:node_count --rate:rate --latency:latency --executor:executor \
    --sshloginfile:sshloginfile" "--slim:slim" "$@"
((${#GL_OPERANDS[@]} == 0)) || gl_die "unexpected argument '${GL_OPERANDS[0]}' (see --help)"

# ---- validation: everything is checked before anything runs --------------------------------
gl_check_run_options
gl_load_limits
gl_limits "$workload" workload
gl_parse_seeds "$seeds"
[[ -n "$jobs" ]] || jobs="$(nproc)"
gl_is_posint "$jobs" || gl_die "--jobs '$jobs' is not a positive whole number"
case "$nemesis" in
"" | partition) ;;
*) gl_die "unknown nemesis '$nemesis' (known: partition)" ;;
esac
gl_check_executor

[[ -z "${GL_GIVEN[--strategies]+set}" ]] ||
    gl_axis_add set --strategies "topology.strategy=$strategies_arg"
[[ -z "${GL_GIVEN[--timeouts]+set}" ]] || gl_axis_add set --timeouts "batch.timeout_ms=$timeouts_arg"
for a in "${sets[@]}"; do gl_axis_add set --set "$a"; done
for a in "${varies[@]}"; do
    gl_axis_add vary --vary "$a"
    flag="${a%%=*}"
    [[ -z "${GL_GIVEN[--$flag]+set}" ]] || gl_die "--$flag and --vary $flag: give one of them"
done
gl_axes_default topology.strategy grid,tree,star,flat
gl_axes_default batch.timeout_ms 0,10,20,50,100,200,300,500,1000
gl_axes_order

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
git_rev="$(gl_git_rev)"
git_dirty="$(gl_git_dirty)"
gl_axes_with_node
gl_results_columns
gl_axes_product
# Every configuration is written and loaded by the node before the result directory exists.
GL_TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gossip-lab-sweep.XXXXXX")"
gl_write_configs "$GL_TMP_DIR"

# ---- set-up: the result directory, the run directories -------------------------------------
gl_make_out_dir "$out_base" ""
mv "$GL_TMP_DIR/configs" "$out/configs"
rm -rf "$GL_TMP_DIR"
GL_TMP_DIR=""
gl_keep_build_log "$out"
status=0

npoints=${#GL_POINTS[@]}
nruns=$((npoints * ${#GL_SEEDS[@]}))
axes_desc=""
for a in "${GL_AXES[@]}"; do
    axes_desc+="${axes_desc:+ x }$a ($(tr , ' ' <<<"${GL_AXIS_VALUES[$a]}" | wc -w))"
done
{
    echo "# sweep.sh: the parameters of this sweep"
    echo "command=$cmdline"
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "git_rev=$git_rev"
    echo "git_dirty=$git_dirty"
    echo "runner=$runner"
    for a in "${GL_AXES[@]}"; do echo "axis=${GL_AXIS_KIND[$a]} $a=${GL_AXIS_VALUES[$a]}"; done
    echo "seeds=$(gl_join , "${GL_SEEDS[@]}")"
    echo "points=$npoints"
    echo "runs=$nruns"
    echo "executor=$executor${sshloginfile:+ --sshloginfile $sshloginfile}"
    echo "jobs=$jobs"
    echo "workload=$workload (limits: msgs-per-op < $limit_mpo, p50 < $limit_p50 ms, max < $limit_max ms)"
    echo "node_count=$node_count"
    echo "time_limit_s=$time_limit"
    echo "rate=$rate"
    echo "latency_ms=$latency"
    echo "nemesis=${nemesis:-none}"
    echo "recovery_wait_s=${recovery_wait:-default}"
    echo "base_ini=${GL_BASE_INI[*]}"
    echo "harness=$harness"
    echo "node=$node_bin"
    [[ -z "$maelstrom" ]] || echo "maelstrom=$maelstrom"
    echo "host=$(uname -n) nproc=$(nproc)"
} >"$out/sweep.env"

mkdir "$out/runs"
: >"$out/runs.list"
for i in "${!GL_POINTS[@]}"; do
    for seed in "${GL_SEEDS[@]}"; do
        dir="$out/runs/${GL_POINT_RUN[$i]}-s$seed"
        gl_prepare_run "$dir" "$out/configs/${GL_POINT_CONFIG[$i]}.ini" "${GL_POINTS[i]}" "$seed"
        echo "$dir" >>"$out/runs.list"
    done
done
CSV_HEADER="$(gl_csv_header_for_axes)"

# ---- the runs ------------------------------------------------------------------------------
trap gl_signal_stop INT TERM
sweep_start="${EPOCHREALTIME/./}"
# elapsed_precise: seconds since the start with one decimal.
elapsed_precise() {
    local us=$((${EPOCHREALTIME/./} - sweep_start))
    printf '%d.%d' $((us / 1000000)) $(((us % 1000000) / 100000))
}
echo "$PROG: $nruns runs ($axes_desc x ${#GL_SEEDS[@]} seeds), $runner runner, $executor executor, --jobs $jobs -> $out" >&2
gl_execute "$out/runs.list"
trap - INT TERM
gl_collect_rows "$CSV_HEADER" "$out/runs.list" >"$out/sweep.csv"
runs_wall="$(elapsed_precise)"

c_status="$(gl_csv_index "$CSV_HEADER" status)"
c_reason="$(gl_csv_index "$CSV_HEADER" reason)"
c_seed="$(gl_csv_index "$CSV_HEADER" seed)"
c_lacking="$(gl_csv_index "$CSV_HEADER" nodes_lacking)"

declare -A count=([ok]=0 [invalid]=0 [unknown]=0 [failed]=0)
behind=0 # runs in which some node lacked values at the final reads, valid or not
while IFS=, read -r -a f; do
    st="${f[c_status]:-failed}"
    count[$st]=$((${count[$st]:-0} + 1))
    [[ "${f[c_lacking]:-0}" =~ ^0?$ ]] || behind=$((behind + 1))
done < <(tail -n +2 "$out/sweep.csv")
((count[ok] == nruns)) || status=1

# ---- the fit, the frontier and the figures -------------------------------------------------
if ! "$gl_fit" -o "$out/fit.csv" --summary "$out/summary.csv" --frontier "$out/frontier.csv" \
    "$out/sweep.csv" 2>"$out/fit.log"; then
    cat "$out/fit.log" >&2
    status=1
fi
gl_write_figure_vars "$out"
figures=()
if ((count[ok] > 0)); then
    for fig in latency msgs pareto frontier; do
        if gl_figure "$out" "$fig"; then
            figures+=("$fig.png" "$fig.svg")
        else
            echo "$PROG: figure $fig failed; see $out/plots.log" >&2
            status=1
        fi
    done
    gl_topologies "$out"
else
    echo "$PROG: no run succeeded: no fit and no figures" >&2
fi
ln -sfn "$(basename "$out")" "$out_base/latest"
sweep_wall="$(elapsed_precise)"

# ---- the summary ---------------------------------------------------------------------------
echo "sweep: $nruns runs in $runs_wall s, $sweep_wall s with the fit and the figures ($runner runner, $executor executor, $jobs jobs, git ${git_rev:0:12}$([[ $git_dirty == no ]] || echo ' + uncommitted changes'))"
echo "runs: ${count[ok]} ok, ${count[invalid]} invalid, ${count[unknown]} unknown, ${count[failed]} failed"
if ((behind > 0)); then
    echo "convergence: in $behind of $nruns runs some node lacked values at the final reads (column nodes_lacking)"
fi
if ((count[ok] < nruns)); then
    echo "not ok:"
    shown=0
    while IFS=, read -r -a f; do
        [[ "${f[c_status]}" != ok ]] || continue
        shown=$((shown + 1))
        ((shown > 20)) ||
            echo "  $(gl_point_label "${f[@]:0:c_seed}") seed ${f[c_seed]}: ${f[c_status]}: ${f[c_reason]:-}"
    done < <(tail -n +2 "$out/sweep.csv")
    ((shown <= 20)) || echo "  ... and $((shown - 20)) more (see sweep.csv)"
fi
gl_print_fit "$out/fit.csv" "$out/fit.log"
gl_print_limits_met "$out/summary.csv" "$workload" "${#GL_SEEDS[@]}"
gl_print_frontier "$out/frontier.csv"
echo "figures: ${figures[*]:-none}${GL_TOPOLOGY_FIGURES:+ (topologies: $GL_TOPOLOGY_FIGURES)}"
echo "results: $out (also $out_base/latest)"
exit "$status"
