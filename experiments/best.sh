#!/usr/bin/env bash
# best.sh: searches a space of node configurations for the one with the fewest messages per
# operation whose every run lies inside the limits (a challenge's, or --limits), and re-checks it
# before reporting it:
#
#   experiments/best.sh 3d|3e|--limits MPO,P50,MAX [--space FILE] [--seeds N] [--recheck-seeds N]
#                       [--runner virtual|process|maelstrom] [--executor local|parallel] ...
#
# 1. coarse: every point of the space x seeds 1..N (--seeds), on the virtual runner;
# 2. the family first: the best configuration inside the limits is run under --nemesis
#    partition (seeds 1..2); if it loses values or is not valid, its family (the configurations
#    with the same non-integer values, and the same keys left out) is dropped before any
#    refinement, and the next best is taken;
# 3. refinement: around it, each integer key of the space is tried at +-h (h first half the
#    grid's spacing there; halved when no neighbour is better, kept when one is), until h = 1
#    brings nothing (a pattern search); a neighbour the node's loader refuses is skipped;
# 4. re-check: the winner on seeds 1..R (--recheck-seeds; the seeds it lacks are run) and again
#    under --nemesis partition. One outside the limits on the extra seeds is dropped, and from
#    then on the search judges every configuration on seeds 1..R (its seeds run as it comes up
#    as a candidate); one that fails under partition drops its family; at most 5 refinements;
# 5. with --runner process (or maelstrom), the winner is re-checked once more on that runner
#    (seed 1, as is and under partition). One that fails there is dropped and the search goes on
#    from the next-best candidate (refining it), until one passes or none is left: for each
#    figure outside the limits there, the gap between that runner's run and the worst of its
#    runs in virtual time becomes a margin its family must keep (the family's limit on that
#    figure: the limit minus the gap), since the model missed by that much on that design; a
#    failure under partition drops the family. At most 5 refinements between two such checks.
# A configuration is inside the limits when every one of its runs (every seed, every value of
# the space's --vary axes) is ok with msgs/op, p50 and max strictly below the limits, and no node
# lacked values at the final reads (the nodes_lacking column, when the runner reports it).
#
# The space (experiments/lib-space.sh): lines `--set SECTION.KEY=V1,V2,...` and `--vary
# FLAG=V1,V2,...` ('#' comments, blank lines), as sweep.sh's options, in parts separated by
# `--or` lines: the space is the union of the parts' products. The default space is made from
# what the node says it accepts (--list-strategies, --list-keys): every strategy x every
# delivery mode x one period, then parts for each design's own keys (space.txt in the result
# directory). Output: the winner's INI, its figures and how to reproduce them on stdout; every
# stage's runs in DIR/best-<challenge>-<stamp>/ (sweep layout: sweep.csv of all the search's
# runs, summary.csv, frontier.csv, figures). The search's runs keep only their results
# (sweep.sh --slim); the partition and final-runner re-checks keep everything. Environment: as
# sweep.sh.
# Exit status: 0 a winner passed every re-check (the final runner's too); 1 no configuration is
# inside the limits or none passed its re-checks; 2 bad arguments (nothing was run).
# shellcheck source-path=SCRIPTDIR
set -eu -o pipefail
export LC_ALL=C

SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROG=best.sh

usage() {
    cat <<EOF
usage: experiments/best.sh CHALLENGE|--limits MPO,P50,MAX [options]
       experiments/best.sh --print-space
  CHALLENGE           a row of experiments/limits.csv (3d, 3e): its limits
  --limits M,P,X      msgs-per-op < M, median < P ms, maximum < X ms
  --space FILE        the space: lines '--set SECTION.KEY=V1,...' / '--vary FLAG=V1,...',
                      parts separated by '--or' lines (default: every strategy, delivery
                      mode, batching and delivery key of the node; see docs/experiments.md)
  --print-space       print the default space (for the node as built) and exit
  --seeds N           seeds of the search, 1..N (default: 2)
  --recheck-seeds N   seeds of the winner's re-check, 1..N (default: 5)
  --rounds N          at most N refinement rounds (default: 40)
  --runner R          virtual (default) or process / maelstrom: re-check the winner there too;
                      one that fails there is dropped and the search goes on
  --executor E, --sshloginfile FILE, --jobs N   as sweep.sh
  --out DIR           parent of the result directory (default: experiments/results)
  --time-limit S, --recovery-wait S, --node-count N, --rate R, --latency MS   the workload
                      (default: the challenges': 25 nodes, 20 s, rate 100, latency 100 ms)
EOF
}

# shellcheck source=lib.sh
source "$SRC_DIR/experiments/lib.sh"
# shellcheck source=lib-space.sh
source "$SRC_DIR/experiments/lib-space.sh"
# shellcheck source=lib-best.sh
source "$SRC_DIR/experiments/lib-best.sh"

# ---- arguments -----------------------------------------------------------------------------
gl_workload_defaults
print_space=0
limits_arg=""
space=""
seeds=2
recheck_seeds=5
rounds=40
jobs=""
gl_parse_options "--limits:limits_arg --space:space --seeds:seeds --recheck-seeds:recheck_seeds \
    --rounds:rounds --runner:runner --executor:executor --sshloginfile:sshloginfile --jobs:jobs \
    --out:out_base --time-limit:time_limit --recovery-wait:recovery_wait \
    --node-count:node_count --rate:rate --latency:latency" "--print-space:print_space" "$@"
final_runner="$runner"
gl_check_run_options
if ((print_space)); then # the default space, for the node as built (GL_BIN_DIR's, or release)
    [[ ${#GL_OPERANDS[@]} -eq 0 && -z "$limits_arg$space" ]] ||
        gl_die "--print-space takes no challenge, --limits or --space"
    gl_setup
    gl_check_bin_dir
    gl_build
    node_bin="$bin_dir/broadcast-node"
    gl_default_space
    exit 0
fi
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
# The space is read, and its first stage's configurations loaded by the node, before the result
# directory exists (gl_die removes GL_TMP_DIR).
GL_TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gossip-lab-best.XXXXXX")"
if [[ -z "$space" ]]; then gl_default_space >"$GL_TMP_DIR/space.txt"; else cp "$space" "$GL_TMP_DIR/space.txt"; fi
gl_space_read "$GL_TMP_DIR/space.txt" "$where"
gl_results_columns
gl_write_configs "$GL_TMP_DIR/coarse"

# The refined axes: the --set axes of integer keys with two values or more in the space; the
# others (and which integer keys a configuration leaves out) are its family. vary_runs: the runs
# of one configuration per seed (the product of the --vary axes).
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
# have[CONFIG]: the search has run CONFIG on seeds 1..have (slim); run_of[CONFIG]: its seed-1
# run directory; loads[CONFIG]: 1 when the node's loader takes it, 0 when it refuses it.
# fam_limits[FAMILY]: "MPO|P50|MAX", the family's limits once a final-runner re-check showed a
# gap (tighter than the search's).
declare -A have=() run_of=() loads=() rejected=() rejected_family=() family_ok=() fam_limits=()

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
    GL_POINTS=()
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
        GL_POINTS+=("${next[@]}")
    done
}

# run_stage KIND SEEDS CONFIG...: a search stage: runs each configuration on the seeds up to
# SEEDS that it lacks (have), slim, in a new stage directory stages/<n>-KIND/, and appends its
# rows to the search's sweep.csv (what judge reads).
run_stage() {
    local kind="$1" n="$2"
    shift 2
    expand "$@"
    gl_write_configs "$out/stages/$nstage-$kind"
    slim=1 run_points "$kind" "$n" 1
    tail -n +2 "$stage_dir/sweep.csv" >>"$out/sweep.csv"
}

# check_stage KIND SEEDS CONFIG: a re-check outside the search (under partition, or on the final
# runner): seeds 1..SEEDS, every run kept whole; its rows only in its own sweep.csv.
check_stage() {
    expand "$3"
    gl_write_configs "$out/stages/$nstage-$1"
    slim=0 run_points "$1" "$2" 0
}

# run_points KIND SEEDS TRACK: runs GL_POINTS in stages/<n>-KIND/, whose configs/ gl_write_configs
# wrote (nemesis and runner as set): with TRACK 1 on the seeds have+1..SEEDS of each point's
# configuration (then have = SEEDS), else on seeds 1..SEEDS; its rows in that directory's
# sweep.csv. Sets stage_dir.
run_points() {
    local kind="$1" n="$2" track="$3" i s c dir runs=0
    local -A from=()
    stage_dir="$out/stages/$nstage-$kind"
    nstage=$((nstage + 1))
    : >"$stage_dir/runs.list"
    for i in "${!GL_POINTS[@]}"; do
        c="$(config_of "${GL_POINTS[i]}")"
        [[ -n "${from[$c]+set}" ]] || from[$c]=$((track ? ${have[$c]:-0} + 1 : 1))
        for ((s = from[$c]; s <= n; s++)); do
            dir="$stage_dir/runs/${GL_POINT_RUN[$i]}-s$s"
            gl_prepare_run "$dir" "$stage_dir/configs/${GL_POINT_CONFIG[$i]}.ini" "${GL_POINTS[i]}" "$s"
            echo "$dir" >>"$stage_dir/runs.list"
            runs=$((runs + 1))
            ((!track || s != 1)) || [[ -n "${run_of[$c]+set}" ]] || run_of[$c]="$dir"
        done
    done
    if ((track)); then for c in "${!from[@]}"; do ((${have[$c]:-0} >= n)) || have[$c]="$n"; done; fi
    echo "$PROG: stage $kind: ${#from[@]} configurations, $runs runs ($runner runner${nemesis:+, --nemesis $nemesis})" >&2
    ((runs == 0)) || gl_execute "$stage_dir/runs.list"
    gl_collect_rows "$CSV_HEADER" "$stage_dir/runs.list" >"$stage_dir/sweep.csv"
}

# judge CSV NEED: prints one line per configuration of CSV: inside (1 when it has NEED rows or
# more, all ok, strictly inside the limits (its family's, fam_limits, when tighter) and
# converged: no node lacking values at the final reads, else 0), the means of msgs/op, p50 and max, the
# configuration, its family, its number of rows; best first (inside, then by msgs/op, p50, max).
judge() {
    local -a keycols=() famcols=()
    local i
    for i in "${!GL_AXES[@]}"; do
        if [[ "${GL_AXIS_KIND[${GL_AXES[i]}]}" == set ]]; then keycols+=("$((i + 1))"); else keycols+=(0); fi
        if [[ " ${numeric[*]} " == *" $i "* ]]; then famcols+=(-"$((i + 1))"); else famcols+=("${keycols[i]}"); fi
    done
    awk -F, -v keycols="${keycols[*]}" -v famcols="${famcols[*]}" -v need="$2" \
        -v lm="$limit_mpo" -v lp="$limit_p50" -v lx="$limit_max" -v famlim="$(family_limits)" \
        -v cs="$(($(gl_csv_index "$CSV_HEADER" status) + 1))" \
        -v cm="$(($(gl_csv_index "$CSV_HEADER" msgs_per_op_servers) + 1))" \
        -v cp="$(($(gl_csv_index "$CSV_HEADER" stable_p50) + 1))" \
        -v cx="$(($(gl_csv_index "$CSV_HEADER" stable_max) + 1))" \
        -v cl="$(($(gl_csv_index "$CSV_HEADER" nodes_lacking) + 1))" '
        # a column: 0 is "*"; -c is a refined key: "*" when set, "-" when left out
        function cols(list, a, n, i, s, v) {
            n = split(list, a, " ")
            s = ""
            for (i = 1; i <= n; i++) {
                v = a[i] == 0 ? "*" : a[i] < 0 ? ($(-a[i]) == "-" ? "-" : "*") : $a[i]
                s = s (i > 1 ? "," : "") v
            }
            return s
        }
        # famlim: "FAMILY|MPO|P50|MAX;..." the tighter limits of a family (a final-runner gap)
        BEGIN {
            nf = split(famlim, fl, ";")
            for (i = 1; i <= nf; i++) { split(fl[i], e, "|"); flm[e[1]] = e[2]; flp[e[1]] = e[3]; flx[e[1]] = e[4] }
        }
        NR == 1 { next }
        {
            k = cols(keycols); f = fam[k] = cols(famcols); n[k]++
            m[k] += $cm; p[k] += $cp; x[k] += $cx
            if (f in flm) { um = flm[f]; up = flp[f]; ux = flx[f] } else { um = lm; up = lp; ux = lx }
            if ($cs != "ok" || !($cm < um && $cp < up && $cx < ux) || $cl > 0) bad[k] = 1
        }
        END {
            for (k in n)
                printf "%d %.6f %.3f %.3f %s %s %d\n", (n[k] >= need && !bad[k]), m[k] / n[k], p[k] / n[k], x[k] / n[k], k, fam[k], n[k]
        }' "$1" | sort -k1,1nr -k2,2g -k3,3g -k4,4g -k5,5
}

# describe CONFIG: prints CONFIG as KEY=VALUE words, the keys it leaves out and '*' left out.
describe() {
    local -a vs words=()
    local i
    IFS=, read -r -a vs <<<"$1"
    for i in "${!GL_AXES[@]}"; do [[ "${vs[i]}" == '*' || "${vs[i]}" == - ]] || words+=("${GL_AXES[i]}=${vs[i]}"); done
    echo "${words[*]}"
}

# usable CONFIG FAMILY: true unless the configuration or its family was dropped.
usable() { [[ -z "${rejected[$1]+set}" && -z "${rejected_family[$2]+set}" ]]; }

# best_of CONFIG...: prints the judge line of the best configuration inside the limits on seeds
# 1..need among the given ones, leaving out the dropped ones.
best_of() {
    local only=" $* " inside m p x k fam n
    while read -r inside m p x k fam n; do
        ((inside)) || break
        { [[ "$only" == *" $k "* ]] && usable "$k" "$fam"; } || continue
        echo "$inside $m $p $x $k $fam $n"
        return 0
    done < <(judge "$out/sweep.csv" $((need * vary_runs)))
}

# best_inside: sets start to the judge line of the best configuration inside the limits on
# seeds 1..need ("" when there is none), running the seeds they lack for the better ones that
# are inside on the seeds they have (--jobs of them at a time).
best_inside() {
    local inside m p x k fam n
    local -a lacking
    while :; do
        lacking=() start=""
        while read -r inside m p x k fam n; do
            ((inside)) || break
            usable "$k" "$fam" || continue
            if ((n >= need * vary_runs)); then
                ((${#lacking[@]} > 0)) || start="$inside $m $p $x $k $fam $n"
                break
            fi
            lacking+=("$k")
            ((${#lacking[@]} < jobs)) || break
        done < <(judge "$out/sweep.csv" $((seeds * vary_runs)))
        ((${#lacking[@]} > 0)) || return 0
        run_stage "seeds-$need" "$need" "${lacking[@]}"
    done
}

# loads_ok CONFIG: true when the node's loader takes CONFIG (asked once per configuration).
loads_ok() {
    if [[ -z "${loads[$1]+set}" ]]; then
        gl_write_ini "$out/stages/check.ini" "$1"
        if "$node_bin" --check-config "$out/stages/check.ini" >/dev/null 2>&1; then loads[$1]=1; else loads[$1]=0; fi
    fi
    ((loads[$1]))
}

# neighbours CONFIG: prints the configurations at +-h of CONFIG along each refined axis it sets,
# within the key's range, that the node's loader takes.
neighbours() {
    local -a vs ws
    local i a v d
    IFS=, read -r -a vs <<<"$1"
    for i in "${numeric[@]}"; do
        a="${GL_AXES[i]}"
        [[ "${vs[i]}" != - ]] || continue
        for d in -"${h[$i]}" "${h[$i]}"; do
            v=$((vs[i] + d))
            ((v >= GL_KEY_LO[$a] && v <= GL_KEY_HI[$a] && v != vs[i])) || continue
            ws=("${vs[@]}")
            ws[i]="$v"
            v="$(gl_join , "${ws[@]}")"
            loads_ok "$v" && echo "$v"
        done
    done
    return 0
}

# init_steps CONFIG: h of each refined axis: half the larger gap to CONFIG's value's neighbours
# in the space's values of the key, rounded up.
init_steps() {
    local -a vs grid
    local i v gap
    IFS=, read -r -a vs <<<"$1"
    for i in "${numeric[@]}"; do
        [[ "${vs[i]}" != - ]] || continue
        mapfile -t grid < <(tr , '\n' <<<"${GL_AXIS_VALUES[${GL_AXES[i]}]},${vs[i]}" | sort -nu)
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
    local -a cands all
    centre="$1"
    declare -gA h=()
    init_steps "$centre"
    for ((r = 1; r <= rounds && ${#numeric[@]} > 0; r++)); do
        cands=()
        mapfile -t all < <(neighbours "$centre")
        for cand in "${all[@]}"; do ((${have[$cand]:-0} >= need)) || cands+=("$cand"); done
        ((${#cands[@]} == 0)) || run_stage "refine$r" "$need" "${cands[@]}"
        line="$(best_of "$centre" "${all[@]}")"
        read -r _ _ _ _ cand _ <<<"$line"
        if [[ -n "$line" && "$cand" != "$centre" ]]; then
            centre="$cand"
            continue
        fi
        all_one=1
        for i in "${!h[@]}"; do
            ((h[$i] == 1)) || all_one=0
            h[$i]=$(((h[$i] + 1) / 2))
        done
        ((!all_one)) || break
    done
}

# rows_of CONFIG CSV [MAXSEED]: CSV's header and the rows of configuration CONFIG (seeds up to
# MAXSEED).
rows_of() {
    awk -F, -v k="$1" -v ms="${3:-0}" -v sc="$(($(gl_csv_index "$CSV_HEADER" seed) + 1))" '
        NR == 1 { print; n = split(k, v, ","); next }
        { for (i = 1; i <= n; i++) if (v[i] != "*" && v[i] != $i) next }
        ms == 0 || $sc <= ms { print }' "$2"
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

# partition_ok CONFIG: runs CONFIG on seeds 1..2 under --nemesis partition (unless the space
# varies the nemesis itself: then its runs judged it already); true when every run is valid and
# lost nothing. Sets partition_dir.
partition_ok() {
    partition_dir=""
    [[ -z "${GL_AXIS_KIND[nemesis]+set}" ]] || return 0
    nemesis=partition
    check_stage partition 2 "$1"
    nemesis=""
    partition_dir="$stage_dir"
    [[ "$(gl_csv_rows "$stage_dir/sweep.csv" | cut -d, -f$(($(gl_csv_index "$CSV_HEADER" status) + 1)) | sort -u)" == ok ]]
}

# ---- the search ----------------------------------------------------------------------------
echo "$PROG: searching $where ($GL_SPACE_PARTS part$( ((GL_SPACE_PARTS == 1)) || echo s), ${#GL_POINTS[@]} points) for the fewest msgs/op with msgs-per-op < $limit_mpo, p50 < $limit_p50 ms, max < $limit_max ms on every run -> $out" >&2
need="$seeds" # the seeds a configuration is judged on: recheck_seeds after a failed re-check
slim=1 run_points coarse "$seeds" 1
tail -n +2 "$stage_dir/sweep.csv" >>"$out/sweep.csv"
ncoarse="${#have[@]}"
winner="" verdicts=() final="" nfinal=0
# A winner of the virtual search that fails on the final runner is dropped (reject_final) and
# the search goes on from the next-best candidate, until one passes or none is left.
while :; do
    winner="" attempts=0
    while ((attempts < 5)); do
        best_inside
        [[ -n "$start" ]] || break
        read -r _ _ _ _ cand fam _ <<<"$start"
        if [[ -z "${family_ok[$fam]+set}" ]]; then
            if ! partition_ok "$cand"; then
                verdicts+=("$(describe "$cand"): not valid under --nemesis partition: its family (the configurations that differ from it only in integer values) is dropped")
                rejected_family[$fam]=1
                continue
            fi
            family_ok[$fam]=1
        fi
        attempts=$((attempts + 1))
        refine "$cand"
        ((${have[$centre]} >= recheck_seeds)) || run_stage recheck "$recheck_seeds" "$centre"
        read -r inside _ <<<"$(judge <(rows_of "$centre" "$out/sweep.csv" "$recheck_seeds") $((recheck_seeds * vary_runs)))"
        if ((!inside)); then
            verdicts+=("$(describe "$centre"): outside the limits on seeds 1..$recheck_seeds ($(figures_of <(rows_of "$centre" "$out/sweep.csv" "$recheck_seeds"))); from now on every configuration is judged on seeds 1..$recheck_seeds")
            rejected[$centre]=1
            need="$recheck_seeds"
            continue
        fi
        if ! partition_ok "$centre"; then
            verdicts+=("$(describe "$centre"): not valid under --nemesis partition: its family (the configurations that differ from it only in integer values) is dropped")
            rejected_family[$fam]=1
            continue
        fi
        winner="$centre"
        break
    done
    [[ -n "$winner" && "$final_runner" != virtual ]] || break
    nfinal=$((nfinal + 1))
    final_check "$winner"
    if ((final_ok)); then
        final="$final_runner runner, seed 1: $(figures_of "$final_dir/sweep.csv"): inside the limits; valid under partition"
        break
    fi
    reject_final "$winner" "$fam"
done
trap - INT TERM

# ---- the figures, the report ---------------------------------------------------------------
status=0
"$gl_fit" -o "$out/fit.csv" --summary "$out/summary.csv" --frontier "$out/frontier.csv" \
    "$out/sweep.csv" 2>"$out/fit.log" || status=1
gl_write_figure_vars "$out"
if [[ -n "$winner" ]]; then # the winner marked in the figures: its means on seeds 1..R
    rows_of "$winner" "$out/sweep.csv" "$recheck_seeds" | awk -F, \
        -v cm="$(($(gl_csv_index "$CSV_HEADER" msgs_per_op_servers) + 1))" \
        -v cp="$(($(gl_csv_index "$CSV_HEADER" stable_p50) + 1))" \
        -v cx="$(($(gl_csv_index "$CSV_HEADER" stable_max) + 1))" '
        NR > 1 { m += $cm; p += $cp; x += $cx; n++ }
        END { print "label,mpo_mean,p50_mean,max_mean,kind"; printf "best.ini,%.4f,%.1f,%.1f,ours\n", m / n, p / n, x / n }' >"$out/winner.csv"
    printf '%s\n' "if (!exists(\"points\")) { points = sweep . \"/winner.csv\" }" \
        "if (!exists(\"points_title\")) { points_title = \"the winner (best.ini)\" }" >>"$out/figures.gp"
fi
# pareto.gp draws a curve per group (reading the summary once per curve): past 30 groups it is
# unreadable and slow (421 groups: 107 s), and frontier.gp shows every configuration anyway.
figs=(frontier)
if [[ -s "$out/summary.csv" ]] && (($(gl_distinct_column "$out/summary.csv" group | wc -w) <= 30)); then
    figs=(pareto frontier)
fi
figures=()
for fig in "${figs[@]}"; do
    if gl_figure "$out" "$fig"; then figures+=("$out/$fig.png" "$out/$fig.svg"); else status=1; fi
done
ln -sfn "$(basename "$out")" "$out_base/latest-best"

wall_s=$(((${EPOCHREALTIME/./} - start_us) / 1000000))
nrefused=0
for c in "${!loads[@]}"; do ((loads[$c])) || nrefused=$((nrefused + 1)); done
echo "best.sh: $([[ "$name" == limits ]] || echo "$name ")limits: msgs-per-op < $limit_mpo, p50 < $limit_p50 ms, max < $limit_max ms, every run (seeds 1..$seeds x $vary_runs workload points)"
echo "search: ${#have[@]} configurations ($ncoarse coarse, $((${#have[@]} - ncoarse)) in refinement; $nrefused neighbours the node refuses skipped), $((nstage - 1)) stages, $(wc -l <"$out/sweep.csv" | awk '{ print $1 - 1 }') runs$( ((nfinal == 0)) || echo " (and $nfinal winner$( ((nfinal == 1)) || echo s) re-checked on the $final_runner runner)"), $wall_s s, space: $out/space.txt"
for v in "${verdicts[@]}"; do echo "re-check failed: $v"; done
if [[ -z "$winner" ]]; then
    echo "winner: none: no configuration of the space passed (see $out/summary.csv)"
    echo "results: $out"
    exit 1
fi
gl_write_ini "$out/best.ini" "$winner"
echo "winner: $(describe "$winner")"
echo "  search (seeds 1..$seeds): $(figures_of <(rows_of "$winner" "$out/sweep.csv" "$seeds"))"
echo "  re-check (seeds 1..$recheck_seeds): $(figures_of <(rows_of "$winner" "$out/sweep.csv" "$recheck_seeds"))"
[[ -z "$partition_dir" ]] || echo "  under --nemesis partition (seeds 1..2): $(figures_of "$partition_dir/sweep.csv"), every run valid, nothing lost"
[[ -z "$final" ]] || echo "  $final"
echo "winning INI ($out/best.ini):"
sed 's/^/  /' "$out/best.ini"
run1="${run_of[$winner]}"
echo "reproduce (seed 1 gave: $(figures_of <(echo "$CSV_HEADER" && cat "$run1/row.csv"))):"
repro="$(sed -n 's/^command=//p' "$run1/run.env")"
repro="${repro//"$run1/node.ini"/"$out/best.ini"}"
repro="${repro/ --no-history/}"
echo "  ${repro% --store *}"
echo "figures: ${figures[*]:-none}"
echo "results: $out (also $out_base/latest-best)"
exit "$status"
