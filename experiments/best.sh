#!/usr/bin/env bash
# best.sh: searches a space of node configurations for the one with the fewest messages per
# operation whose every run lies inside the limits (a challenge's, or --limits), and re-checks it
# before reporting it:
#
#   experiments/best.sh 3d|3e|--limits MPO,P50,MAX [--space FILE] [--seeds N] [--recheck-seeds N]
#                       [--runner virtual|process|maelstrom] [--executor local|parallel] ...
#
# 1. coarse: every point of the space (the product of its --set and --vary axes) x seeds 1..N,
#    on the virtual runner;
# 2. refinement: around the best configuration inside the limits, each integer key of the space
#    is tried at +-h (h first half the grid's spacing there; halved when no neighbour is better,
#    kept when one is), until h = 1 brings nothing (a pattern search);
# 3. re-check: the winner on seeds 1..R and, with seeds 1..2, under --nemesis partition (valid,
#    nothing lost); a winner that fails on more seeds is dropped for the next best, one that
#    fails under partition drops its family (the configurations with the same non-integer
#    values) and the search goes on from the best of another family;
# 4. with --runner process (or maelstrom), the winner is re-checked once more on that runner.
# A configuration is inside the limits when every one of its runs (every seed, every value of
# the space's --vary axes) is ok with msgs/op, p50 and max strictly below the limits.
#
# The space: a file of lines `--set SECTION.KEY=V1,V2,...` and `--vary FLAG=V1,V2,...` ('#'
# comments, blank lines), as sweep.sh's options. The default space is made from what the node
# says it accepts (--list-strategies, --list-keys): every strategy but file, every value of
# delivery.mode, and for each integer key of [batch] a grid from 0 (space.txt in the result
# directory). Output: the winner's INI, its figures and how to reproduce them on stdout; every
# stage's runs in DIR/best-<challenge>-<stamp>/ (sweep layout: sweep.csv of all the search's
# runs, summary.csv, frontier.csv, figures). Environment: as sweep.sh.
# Exit status: 0 a winner passed every re-check; 1 no configuration is inside the limits or none
# passed its re-checks; 2 bad arguments (nothing was run).
# shellcheck source-path=SCRIPTDIR
set -eu -o pipefail
export LC_ALL=C

SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROG=best.sh

usage() {
    cat <<EOF
usage: experiments/best.sh CHALLENGE|--limits MPO,P50,MAX [options]
  CHALLENGE           a row of experiments/limits.csv (3d, 3e): its limits
  --limits M,P,X      msgs-per-op < M, median < P ms, maximum < X ms
  --space FILE        the space: lines '--set SECTION.KEY=V1,...' / '--vary FLAG=V1,...'
                      (default: every strategy, delivery mode and [batch] integer key)
  --seeds N           seeds of the search, 1..N (default: 2)
  --recheck-seeds N   seeds of the winner's re-check, 1..N (default: 5)
  --rounds N          at most N refinement rounds (default: 40)
  --runner R          virtual (default) or process / maelstrom: re-check the winner there too
  --executor E, --sshloginfile FILE, --jobs N   as sweep.sh
  --out DIR           parent of the result directory (default: experiments/results)
  --time-limit S, --recovery-wait S, --node-count N, --rate R, --latency MS   the workload
                      (default: the challenges': 25 nodes, 20 s, rate 100, latency 100 ms)
EOF
}

# shellcheck source=lib.sh
source "$SRC_DIR/experiments/lib.sh"

# ---- arguments -----------------------------------------------------------------------------
gl_workload_defaults
limits_arg=""
space=""
seeds=2
recheck_seeds=5
rounds=40
jobs=""
gl_parse_options "--limits:limits_arg --space:space --seeds:seeds --recheck-seeds:recheck_seeds \
    --rounds:rounds --runner:runner --executor:executor --sshloginfile:sshloginfile --jobs:jobs \
    --out:out_base --time-limit:time_limit --recovery-wait:recovery_wait \
    --node-count:node_count --rate:rate --latency:latency" "" "$@"
final_runner="$runner"
gl_check_run_options
gl_load_limits
name=""
for word in "${GL_OPERANDS[@]}"; do
    [[ -z "$name" ]] || gl_die "one challenge only, got '$name' and '$word'"
    gl_limits "$word"
    name="$word"
done
if [[ -n "$limits_arg" ]]; then
    [[ -z "$name" ]] || gl_die "give a challenge or --limits, not both"
    [[ "$limits_arg" =~ ^([0-9]+(\.[0-9]+)?),([0-9]+(\.[0-9]+)?),([0-9]+(\.[0-9]+)?)$ ]] ||
        gl_die "--limits '$limits_arg': expected MPO,P50,MAX (three numbers)"
    limit_mpo="${BASH_REMATCH[1]}" limit_p50="${BASH_REMATCH[3]}" limit_max="${BASH_REMATCH[5]}"
    name=limits
fi
[[ -n "$name" ]] || gl_die "which limits? give $(gl_join " or " "${GL_CHALLENGES[@]}") or --limits MPO,P50,MAX (see --help)"
for v in seeds recheck_seeds rounds; do
    gl_is_posint "${!v}" || gl_die "--${v/_/-} '${!v}' is not a positive whole number"
done
((recheck_seeds > seeds)) || gl_die "--recheck-seeds ($recheck_seeds) must be more than --seeds ($seeds)"
[[ -n "$jobs" ]] || jobs="$(nproc)"
gl_is_posint "$jobs" || gl_die "--jobs '$jobs' is not a positive whole number"
gl_check_executor
[[ -z "$space" || (-f "$space" && -r "$space") ]] || gl_die "--space '$space' is not a readable file"
where="${space:-the default space}" # as given, for messages
[[ -z "$space" ]] || space="$(cd "$(dirname "$space")" && pwd)/$(basename "$space")"

gl_setup
gl_check_gnuplot
maelstrom=""
[[ "$final_runner" != maelstrom ]] || gl_check_maelstrom
gl_check_bin_dir
gl_build
harness="$bin_dir/harness"
node_bin="$bin_dir/broadcast-node"
gl_fit="$bin_dir/gl-fit"
git_rev="$(gl_git_rev)"
runner=virtual # the search's; final_runner re-checks the winner

# ---- the space -----------------------------------------------------------------------------
# default_space: the space made from what the node accepts (see the top of this file): each
# integer key of [batch] gets the finest of a few grids that keeps the space within max_points
# configurations.
default_space() {
    local key grid v i spec first factor count max_points=500
    local -a strategies=() modes=() batch=() vals
    gl_node_keys
    gl_node_strategies
    for v in "${GL_STRATEGIES[@]}"; do [[ "$v" == file ]] || strategies+=("$v"); done
    [[ "${GL_KEY_TYPE[delivery.mode]:-}" != one-of ]] ||
        IFS='|' read -r -a modes <<<"${GL_KEY_ACCEPTED[delivery.mode]}"
    for key in "${GL_KEYS[@]}"; do
        [[ "$key" != batch.* || -z "${GL_KEY_LO[$key]+set}" ]] || batch+=("$key")
    done
    echo "# the default space of best.sh, from broadcast-node --list-strategies and --list-keys"
    echo "--set topology.strategy=$(gl_join , "${strategies[@]}")"
    ((${#modes[@]} == 0)) || echo "--set delivery.mode=$(gl_join , "${modes[@]}")"
    # The grids, finest first: 0 and FIRST x FACTOR^k for k < COUNT ("50 2 5": 0 50 100 ... 800).
    for spec in "50 2 5" "100 2 3" "100 4 2" "200 2 1"; do
        read -r first factor count <<<"$spec"
        grid=0
        for ((v = first; count > 0; v *= factor, count--)); do grid+=" $v"; done
        (("${#strategies[@]}" * (${#modes[@]} > 0 ? ${#modes[@]} : 1) * $(wc -w <<<"$grid") ** ${#batch[@]} <= max_points)) && break
    done
    for i in "${!batch[@]}"; do
        vals=()
        for v in $grid; do
            ((v >= GL_KEY_LO[${batch[i]}])) || v="${GL_KEY_LO[${batch[i]}]}"
            ((v <= GL_KEY_HI[${batch[i]}])) || v="${GL_KEY_HI[${batch[i]}]}"
            [[ " ${vals[*]} " == *" $v "* ]] || vals+=("$v")
        done
        echo "--set ${batch[i]}=$(gl_join , "${vals[@]}")"
    done
}

# The space is read, and its first stage's configurations loaded by the node, before the result
# directory exists (gl_die removes GL_TMP_DIR).
GL_TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gossip-lab-best.XXXXXX")"
if [[ -z "$space" ]]; then default_space >"$GL_TMP_DIR/space.txt"; else cp "$space" "$GL_TMP_DIR/space.txt"; fi
lineno=0
while IFS= read -r line || [[ -n "$line" ]]; do
    lineno=$((lineno + 1))
    read -r opt spec extra <<<"$line" || true
    [[ -n "${opt:-}" && "$opt" != \#* ]] || continue
    [[ -z "${extra:-}" && -n "${spec:-}" && ("$opt" == --set || "$opt" == --vary) ]] ||
        gl_die "$where:$lineno: expected '--set SECTION.KEY=V1,...' or '--vary FLAG=V1,...', got '$line'"
    gl_axis_add "${opt#--}" "$where:$lineno: $opt" "$spec"
done <"$GL_TMP_DIR/space.txt"
gl_axes_default topology.strategy grid
gl_axes_default batch.timeout_ms 0
gl_axes_order
gl_axes_with_node
gl_results_columns
gl_axes_product
gl_write_configs "$GL_TMP_DIR/coarse"

# The refined axes: the --set axes of integer keys with two values or more; the others are the
# family. vary_runs: the runs of one configuration per seed (the product of the --vary axes).
numeric=() vary_runs=1
for i in "${!GL_AXES[@]}"; do
    a="${GL_AXES[i]}"
    if [[ "${GL_AXIS_KIND[$a]}" == vary ]]; then
        vary_runs=$((vary_runs * $(tr , '\n' <<<"${GL_AXIS_VALUES[$a]}" | wc -l)))
    elif [[ -n "${GL_KEY_LO[$a]+set}" && "${GL_AXIS_VALUES[$a]}" == *,* ]]; then
        numeric+=("$i")
    fi
done

gl_make_out_dir "$out_base" "best-$name-"
mkdir "$out/stages"
mv "$GL_TMP_DIR/space.txt" "$out/space.txt"
mv "$GL_TMP_DIR/coarse" "$out/stages/1-coarse"
rm -rf "$GL_TMP_DIR"
GL_TMP_DIR=""
gl_keep_build_log "$out"
CSV_HEADER="$(gl_csv_header_for_axes)"
echo "$CSV_HEADER" >"$out/sweep.csv"
trap gl_signal_stop INT TERM
start_us="${EPOCHREALTIME/./}"
nstage=1

# ---- stages: sets of runs ------------------------------------------------------------------

# config_of POINT: prints the configuration of a point: its values with each --vary value '*'.
config_of() {
    local -a vs
    local i
    IFS=, read -r -a vs <<<"$1"
    for i in "${!GL_AXES[@]}"; do [[ "${GL_AXIS_KIND[${GL_AXES[i]}]}" == set ]] || vs[i]='*'; done
    gl_join , "${vs[@]}"
}

# expand CONFIG...: sets GL_POINTS to every point of the configurations: each '*' replaced by
# each value of its --vary axis.
expand() {
    local -a points=() next vs pv
    local c i p v
    for c in "$@"; do
        next=("$c")
        IFS=, read -r -a vs <<<"$c"
        for i in "${!GL_AXES[@]}"; do
            [[ "${vs[i]}" == '*' ]] || continue
            points=("${next[@]}") next=()
            for p in "${points[@]}"; do
                IFS=, read -r -a pv <<<"$p"
                for v in ${GL_AXIS_VALUES[${GL_AXES[i]}]//,/ }; do
                    pv[i]="$v"
                    next+=("$(gl_join , "${pv[@]}")")
                done
            done
        done
        GL_POINTS_NEXT+=("${next[@]}")
    done
}

# run_stage KIND SEEDS CONFIG...: runs the configurations' points x seeds 1..SEEDS in a new
# stage directory stages/<n>-KIND/ (see run_points).
run_stage() {
    local kind="$1" n="$2"
    shift 2
    GL_POINTS_NEXT=()
    expand "$@"
    GL_POINTS=("${GL_POINTS_NEXT[@]}")
    gl_write_configs "$out/stages/$nstage-$kind"
    run_points "$kind" "$n"
}

# run_points KIND SEEDS: runs GL_POINTS x seeds 1..SEEDS in stages/<n>-KIND/, whose configs/
# gl_write_configs wrote (nemesis and runner as set); its rows in that directory's sweep.csv.
# Sets stage_dir.
run_points() {
    local kind="$1" n="$2" i s dir
    stage_dir="$out/stages/$nstage-$kind"
    nstage=$((nstage + 1))
    : >"$stage_dir/runs.list"
    for i in "${!GL_POINTS[@]}"; do
        for ((s = 1; s <= n; s++)); do
            dir="$stage_dir/runs/${GL_POINT_RUN[$i]}-s$s"
            gl_prepare_run "$dir" "$stage_dir/configs/${GL_POINT_CONFIG[$i]}.ini" "${GL_POINTS[i]}" "$s"
            echo "$dir" >>"$stage_dir/runs.list"
        done
    done
    echo "$PROG: stage $kind: ${#GL_POINTS[@]} points x $n seeds ($runner runner${nemesis:+, --nemesis $nemesis})" >&2
    gl_execute "$stage_dir/runs.list"
    gl_collect_rows "$CSV_HEADER" "$stage_dir/runs.list" >"$stage_dir/sweep.csv"
}

# judge CSV NEED: prints one line per configuration of CSV: inside (1 when it has NEED rows, all
# ok and strictly inside the limits, else 0), the means of msgs/op, p50 and max, the
# configuration, its family; best first (inside, then by msgs/op, p50, max).
judge() {
    local -a keycols=() famcols=()
    local i
    for i in "${!GL_AXES[@]}"; do
        if [[ "${GL_AXIS_KIND[${GL_AXES[i]}]}" == set ]]; then keycols+=("$((i + 1))"); else keycols+=(0); fi
        if [[ " ${numeric[*]} " == *" $i "* ]]; then famcols+=(0); else famcols+=("${keycols[i]}"); fi
    done
    awk -F, -v keycols="${keycols[*]}" -v famcols="${famcols[*]}" -v need="$2" \
        -v lm="$limit_mpo" -v lp="$limit_p50" -v lx="$limit_max" \
        -v cs="$(($(gl_csv_index "$CSV_HEADER" status) + 1))" \
        -v cm="$(($(gl_csv_index "$CSV_HEADER" msgs_per_op_servers) + 1))" \
        -v cp="$(($(gl_csv_index "$CSV_HEADER" stable_p50) + 1))" \
        -v cx="$(($(gl_csv_index "$CSV_HEADER" stable_max) + 1))" '
        function cols(list, a, n, i, s) {
            n = split(list, a, " ")
            s = ""
            for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") (a[i] == 0 ? "*" : $a[i])
            return s
        }
        NR == 1 { next }
        {
            k = cols(keycols); fam[k] = cols(famcols); n[k]++
            m[k] += $cm; p[k] += $cp; x[k] += $cx
            if ($cs != "ok" || !($cm < lm && $cp < lp && $cx < lx)) bad[k] = 1
        }
        END {
            for (k in n)
                printf "%d %.6f %.3f %.3f %s %s\n", n[k] == need && !bad[k], m[k] / n[k], p[k] / n[k], x[k] / n[k], k, fam[k]
        }' "$1" | sort -k1,1nr -k2,2g -k3,3g -k4,4g -k5,5
}
# add_rows: appends the stage's rows to the search's sweep.csv (what judge and the figures read).
add_rows() { tail -n +2 "$stage_dir/sweep.csv" >>"$out/sweep.csv"; }

# best_of CONFIG...: prints the judge line of the best configuration inside the limits among the
# given ones (all when none is given), leaving out the rejected ones and rejected families.
best_of() {
    local only=" $* " inside m p x k fam
    while read -r inside m p x k fam; do
        ((inside)) || break
        [[ $# -eq 0 || "$only" == *" $k "* ]] || continue
        [[ -z "${rejected[$k]+set}" && -z "${rejected_family[$fam]+set}" ]] || continue
        echo "$inside $m $p $x $k $fam"
        return 0
    done < <(judge "$out/sweep.csv" $((seeds * vary_runs)))
}

# neighbours CONFIG: prints the configurations at +-h of CONFIG along each refined axis, within
# the key's range.
neighbours() {
    local -a vs
    local i a v d
    IFS=, read -r -a vs <<<"$1"
    for i in "${numeric[@]}"; do
        a="${GL_AXES[i]}"
        for d in -"${h[$i]}" "${h[$i]}"; do
            v=$((vs[i] + d))
            ((v >= GL_KEY_LO[$a] && v <= GL_KEY_HI[$a] && v != vs[i])) || continue
            local -a ws=("${vs[@]}")
            ws[i]="$v"
            gl_join , "${ws[@]}"
            echo
        done
    done
}

# init_steps CONFIG: h of each refined axis: half the larger gap to CONFIG's value's neighbours
# in the space's grid, rounded up.
init_steps() {
    local -a vs grid
    local i v gap
    IFS=, read -r -a vs <<<"$1"
    for i in "${numeric[@]}"; do
        mapfile -t grid < <(tr , '\n' <<<"${GL_AXIS_VALUES[${GL_AXES[i]}]}" | sort -n)
        gap=1
        for v in "${!grid[@]}"; do
            ((grid[v] == vs[i])) || continue
            ((v == 0 || grid[v] - grid[v - 1] <= gap)) || gap=$((grid[v] - grid[v - 1]))
            ((v + 1 == ${#grid[@]} || grid[v + 1] - grid[v] <= gap)) || gap=$((grid[v + 1] - grid[v]))
        done
        h[$i]=$(((gap + 1) / 2))
    done
}

# refine CONFIG: the pattern search from CONFIG (see the top of this file); sets centre to the
# best configuration found.
refine() {
    local cand line r all_one i
    local -a cands
    centre="$1"
    declare -gA h=()
    init_steps "$centre"
    for ((r = 1; r <= rounds && ${#numeric[@]} > 0; r++)); do
        cands=()
        mapfile -t all < <(neighbours "$centre")
        for cand in "${all[@]}"; do [[ -n "${tried[$cand]+set}" ]] || cands+=("$cand"); done
        if ((${#cands[@]} > 0)); then
            run_stage "refine$r" "$seeds" "${cands[@]}"
            add_rows
            for cand in "${cands[@]}"; do tried[$cand]=1; done
        fi
        line="$(best_of "$centre" "${all[@]}")"
        read -r _ _ _ _ cand _ <<<"$line"
        if [[ -n "$line" && "$cand" != "$centre" ]]; then
            centre="$cand"
            continue
        fi
        all_one=1
        for i in "${numeric[@]}"; do
            ((h[$i] == 1)) || all_one=0
            h[$i]=$(((h[$i] + 1) / 2))
        done
        ((!all_one)) || break
    done
}

# rows_of CONFIG CSV: CSV's header and the rows of configuration CONFIG.
rows_of() {
    awk -F, -v k="$1" 'NR == 1 { print; n = split(k, v, ","); next }
        { for (i = 1; i <= n; i++) if (v[i] != "*" && v[i] != $i) next; print }' "$2"
}

# figures_of CSV: "msgs/op M [a..b], p50 P ms [a..b], max X ms [a..b]" over CSV's ok rows.
figures_of() {
    awk -F, -v cm="$(($(gl_csv_index "$CSV_HEADER" msgs_per_op_servers) + 1))" \
        -v cp="$(($(gl_csv_index "$CSV_HEADER" stable_p50) + 1))" \
        -v cx="$(($(gl_csv_index "$CSV_HEADER" stable_max) + 1))" \
        -v cs="$(($(gl_csv_index "$CSV_HEADER" status) + 1))" '
        function add(i, v) { s[i] += v; if (n == 0 || v < lo[i]) lo[i] = v; if (n == 0 || v > hi[i]) hi[i] = v }
        NR > 1 && $cs == "ok" { add(1, $cm); add(2, $cp); add(3, $cx); n++ }
        END {
            if (n == 0) { print "no ok run"; exit }
            printf "msgs/op %.2f [%.2f..%.2f], p50 %.0f ms [%.0f..%.0f], max %.0f ms [%.0f..%.0f], %d run%s\n", s[1] / n, lo[1], hi[1], s[2] / n, lo[2], hi[2], s[3] / n, lo[3], hi[3], n, n == 1 ? "" : "s"
        }' "$1"
}

# recheck CONFIG: the winner's re-checks (more seeds, partition) on the search's runner, then on
# final_runner; returns 0 passed, 1 outside the limits on some seed, 2 not valid under partition.
recheck() {
    local inside
    run_stage recheck "$recheck_seeds" "$1"
    recheck_dir="$stage_dir"
    read -r inside _ <<<"$(judge "$stage_dir/sweep.csv" $((recheck_seeds * vary_runs)))"
    ((inside)) || return 1
    if [[ -z "${GL_AXIS_KIND[nemesis]+set}" ]]; then
        nemesis=partition
        run_stage partition 2 "$1"
        nemesis=""
        partition_dir="$stage_dir"
        [[ "$(gl_csv_rows "$stage_dir/sweep.csv" | cut -d, -f$(($(gl_csv_index "$CSV_HEADER" status) + 1)) | sort -u)" == ok ]] || return 2
    fi
    return 0
}

# ---- the search ----------------------------------------------------------------------------
echo "$PROG: searching $where for the fewest msgs/op with msgs-per-op < $limit_mpo, p50 < $limit_p50 ms, max < $limit_max ms on every run -> $out" >&2
declare -A tried=() rejected=() rejected_family=()
run_points coarse "$seeds"
add_rows
for p in "${GL_POINTS[@]}"; do tried[$(config_of "$p")]=1; done
ncoarse="${#tried[@]}"
winner="" attempts=0 verdicts=()
while ((attempts < 5)); do
    attempts=$((attempts + 1))
    line="$(best_of)"
    [[ -n "$line" ]] || break
    read -r _ _ _ _ start _ <<<"$line"
    refine "$start"
    read -r _ _ _ _ _ fam <<<"$(best_of "$centre")"
    rc=0
    recheck "$centre" || rc=$?
    case "$rc" in
    0)
        winner="$centre"
        break
        ;;
    1)
        verdicts+=("$centre: outside the limits on seeds 1..$recheck_seeds ($(figures_of "$recheck_dir/sweep.csv"))")
        rejected[$centre]=1
        ;;
    2)
        verdicts+=("$centre: not valid under --nemesis partition: its family $fam is dropped")
        rejected_family[$fam]=1
        ;;
    esac
done
trap - INT TERM

# ---- the winner on the final runner, the figures, the report -------------------------------
status=0
final=""
if [[ -n "$winner" && "$final_runner" != virtual ]]; then
    runner="$final_runner"
    run_stage "$final_runner" 1 "$winner"
    final_dir="$stage_dir"
    nemesis=partition
    [[ -n "${GL_AXIS_KIND[nemesis]+set}" ]] || run_stage "$final_runner-partition" 1 "$winner"
    nemesis=""
    runner=virtual
    read -r inside _ <<<"$(judge "$final_dir/sweep.csv" "$vary_runs")"
    final="$final_runner runner, seed 1: $(figures_of "$final_dir/sweep.csv"): "
    if ((inside)) && [[ "$(gl_csv_rows "$stage_dir/sweep.csv" | cut -d, -f$(($(gl_csv_index "$CSV_HEADER" status) + 1)) | sort -u)" == ok ]]; then
        final+="inside the limits; valid under partition"
    else
        final+="FAILED (see $final_dir and $stage_dir)"
        status=1
    fi
fi
"$gl_fit" -o "$out/fit.csv" --summary "$out/summary.csv" --frontier "$out/frontier.csv" \
    "$out/sweep.csv" 2>"$out/fit.log" || status=1
gl_write_figure_vars "$out"
figures=()
for fig in pareto frontier; do
    if gl_figure "$out" "$fig"; then figures+=("$out/$fig.png" "$out/$fig.svg"); else status=1; fi
done
ln -sfn "$(basename "$out")" "$out_base/latest-best"

wall_s=$(((${EPOCHREALTIME/./} - start_us) / 1000000))
echo "best.sh: $([[ "$name" == limits ]] || echo "$name ")limits: msgs-per-op < $limit_mpo, p50 < $limit_p50 ms, max < $limit_max ms, every run (seeds 1..$seeds x $vary_runs workload points)"
echo "search: ${#tried[@]} configurations ($ncoarse coarse, $((${#tried[@]} - ncoarse)) in refinement), $((nstage - 1)) stages, $wall_s s, space: $out/space.txt"
for v in "${verdicts[@]}"; do echo "re-check failed: $v"; done
if [[ -z "$winner" ]]; then
    echo "winner: none: no configuration of the space passed (see $out/summary.csv)"
    echo "results: $out"
    exit 1
fi
cp "$recheck_dir"/configs/*.ini "$out/best.ini"
IFS=, read -r -a vs <<<"$winner"
desc=()
for i in "${!GL_AXES[@]}"; do [[ "${vs[i]}" == '*' ]] || desc+=("${GL_AXES[i]}=${vs[i]}"); done
echo "winner: ${desc[*]}"
echo "  search (seeds 1..$seeds): $(figures_of <(rows_of "$winner" "$out/sweep.csv"))"
echo "  re-check (seeds 1..$recheck_seeds): $(figures_of "$recheck_dir/sweep.csv")"
[[ -z "${partition_dir:-}" ]] || echo "  under --nemesis partition (seeds 1..2): $(figures_of "$partition_dir/sweep.csv"), every run valid, nothing lost"
[[ -z "$final" ]] || echo "  $final"
echo "winning INI ($out/best.ini):"
sed 's/^/  /' "$out/best.ini"
seed1="$(sed -n 2p "$recheck_dir/sweep.csv")"
echo "reproduce (seed 1 gave: $(figures_of <(echo "$CSV_HEADER"; echo "$seed1"))):"
run1="$(head -n 1 "$recheck_dir/runs.list")"
repro="$(sed -n 's/^command=//p' "$run1/run.env")"
repro="${repro//"$run1/node.ini"/"$out/best.ini"}"
echo "  ${repro% --store *}"
echo "figures: ${figures[*]:-none}"
echo "results: $out (also $out_base/latest-best)"
exit "$status"
