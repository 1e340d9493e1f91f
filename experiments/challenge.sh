#!/usr/bin/env bash
# challenge.sh: judges a node configuration against a Gossip Glomers broadcast challenge. It runs
# the challenge workload (25 nodes, --time-limit 20 --rate 100 --latency 100) twice, once as is
# and once under --nemesis partition, and prints a pass/fail table with the measured values:
#   3d: msgs-per-op < 30, median stable latency < 400 ms, maximum < 600 ms
#   3e: msgs-per-op < 20, median stable latency < 1 s,    maximum < 2 s
# and in both runs nothing lost and the results valid. Under partition only "nothing lost,
# valid" is judged (the challenge asks for correctness there, not speed); its figures are shown.
#
#   experiments/challenge.sh 3d|3e [--config FILE] [--runner virtual|process|maelstrom]
#                            [--seed S] [--out DIR]
#
# Default config: configs/centred-tree.ini for 3d, configs/centred-tree-batched.ini for 3e.
# Output: the table on stdout; the runs in DIR/challenge-<3d|3e>-<stamp>/ (DIR defaults to
# experiments/results). Environment: GL_BIN_DIR, MAELSTROM as for sweep.sh.
# Exit status: 0 every criterion passed, 1 some criterion failed (or a run failed), 2 bad
# arguments (nothing was run).
# shellcheck source-path=SCRIPTDIR
set -eu -o pipefail
export LC_ALL=C

SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROG=challenge.sh
# shellcheck source=lib.sh
source "$SRC_DIR/experiments/lib.sh"

usage() {
    cat <<EOF
usage: experiments/challenge.sh 3d|3e [options]
  --config FILE       the node's INI file (default: configs/centred-tree.ini for 3d,
                      configs/centred-tree-batched.ini for 3e)
  --runner R          virtual (default), process or maelstrom
  --seed S            the harness's seed (default: 1)
  --out DIR           parent of the run directory (default: experiments/results)
  --time-limit S      main phase in seconds (default: the challenge's 20)
  --recovery-wait S   harness only: seconds between the final heal and the final reads
EOF
}

challenge=""
config=""
runner=virtual
seed=1
out_base="$SRC_DIR/experiments/results"
time_limit=20
recovery_wait=""
node_count=25
rate=100
latency=100
slim=0

while (($# > 0)); do
    opt="$1"
    case "$opt" in
    -h | --help)
        usage
        exit 0
        ;;
    3d | 3e)
        [[ -z "$challenge" ]] || gl_die "one challenge only, got '$challenge' and '$opt'"
        challenge="$opt"
        shift
        continue
        ;;
    --config | --runner | --seed | --out | --time-limit | --recovery-wait)
        (($# >= 2)) || gl_die "option '$opt' needs a value (see --help)"
        ;;
    -*) gl_die "unknown option '$opt' (see --help)" ;;
    *) gl_die "unknown challenge '$opt' (known: 3d, 3e)" ;;
    esac
    val="$2"
    shift 2
    case "$opt" in
    --config) config="$val" ;;
    --runner) runner="$val" ;;
    --seed) seed="$val" ;;
    --out) out_base="$val" ;;
    --time-limit) time_limit="$val" ;;
    --recovery-wait) recovery_wait="$val" ;;
    esac
done

[[ -n "$challenge" ]] || gl_die "which challenge? give 3d or 3e (see --help)"
case "$challenge" in
3d) limit_mpo=30 limit_p50=400 limit_max=600 default_config=configs/centred-tree.ini ;;
3e) limit_mpo=20 limit_p50=1000 limit_max=2000 default_config=configs/centred-tree-batched.ini ;;
esac
case "$runner" in
virtual | process | maelstrom) ;;
*) gl_die "unknown runner '$runner' (known: virtual, process, maelstrom)" ;;
esac
[[ -n "$config" ]] || config="$SRC_DIR/$default_config"
[[ -f "$config" && -r "$config" ]] || gl_die "config '$config' is not a readable file"
config="$(cd "$(dirname "$config")" && pwd)/$(basename "$config")"
gl_is_uint "$seed" || gl_die "--seed '$seed' is not a whole number"
gl_is_posint "$time_limit" || gl_die "--time-limit '$time_limit' is not a positive whole number"
if [[ -n "$recovery_wait" ]]; then
    gl_is_uint "$recovery_wait" || gl_die "--recovery-wait '$recovery_wait' is not a whole number"
    [[ "$runner" != maelstrom ]] || gl_die "--recovery-wait is not a Maelstrom option"
fi
gl_setup
maelstrom=""
[[ "$runner" != maelstrom ]] || gl_check_maelstrom
gl_check_bin_dir

mkdir -p "$out_base" || gl_die "cannot create '$out_base'"
out_base="$(cd "$out_base" && pwd)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$out_base/challenge-$challenge-$stamp"
n=1
until mkdir "$out" 2>/dev/null; do
    n=$((n + 1))
    ((n < 100)) || gl_die "cannot create a run directory under '$out_base'"
    out="$out_base/challenge-$challenge-$stamp-$n"
done
gl_build "$out/build.log"
harness="$bin_dir/harness"
node_bin="$bin_dir/broadcast-node"
git_rev="$(gl_git_rev)"
cp "$config" "$out/node.ini"

# The two runs; the INI is used where it is (a topology file next to it keeps resolving).
declare -A csv status reason
for mode in normal partition; do
    nemesis=""
    [[ "$mode" == normal ]] || nemesis=partition
    echo "$PROG: $challenge, $mode run ($runner runner) ..." >&2
    mkdir -p "$out/$mode"
    echo "challenge=$challenge ($mode)" >"$out/$mode/run.env"
    gl_run "$out/$mode" "$config" "$seed"
    csv[$mode]="$RUN_CSV"
    status[$mode]="$RUN_STATUS"
    reason[$mode]="$RUN_REASON"
done

# ---- the table -----------------------------------------------------------------------------
# field MODE N: field N of the run's `harness results --csv` line (1 ops, 2 msgs-per-op servers,
# 5 stable p50, 8 stable max, 9 lost, 10 valid).
field() { cut -d, -f"$2" <<<"${csv[$1]}"; }
# less A B: A < B as numbers (A may be fractional); false when A is empty.
less() { [[ -n "$1" ]] && awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

total=0
passed=0
row() { # row RUN CRITERION LIMIT MEASURED VERDICT
    printf '%-10s %-22s %-10s %-10s %s\n' "$1" "$2" "$3" "$4" "$5"
    [[ "$5" == info ]] && return 0
    total=$((total + 1))
    [[ "$5" != pass ]] || passed=$((passed + 1))
}
verdict() { if "$@"; then echo pass; else echo FAIL; fi; }
show() { [[ -n "$1" ]] && echo "$1$2" || echo "-"; }

echo "challenge $challenge: $(basename "$config") ($config), $runner runner, seed $seed, 25 nodes, time limit $time_limit s, rate 100, latency 100 ms, git ${git_rev:0:12}"
printf '%-10s %-22s %-10s %-10s %s\n' run criterion limit measured verdict
for mode in normal partition; do
    if [[ "${status[$mode]}" == failed ]]; then
        row "$mode" "run completed" "-" "no" FAIL
        echo "           ${reason[$mode]}"
        continue
    fi
    mpo="$(field "$mode" 2)" p50="$(field "$mode" 5)" max="$(field "$mode" 8)"
    lost="$(field "$mode" 9)" valid="$(field "$mode" 10)"
    if [[ "$mode" == normal ]]; then
        row "$mode" "msgs-per-op (servers)" "< $limit_mpo" "$(show "$mpo" "")" "$(verdict less "$mpo" "$limit_mpo")"
        row "$mode" "median stable latency" "< $limit_p50 ms" "$(show "$p50" " ms")" "$(verdict less "$p50" "$limit_p50")"
        row "$mode" "max stable latency" "< $limit_max ms" "$(show "$max" " ms")" "$(verdict less "$max" "$limit_max")"
    else
        row "$mode" "msgs-per-op (servers)" "-" "$(show "$mpo" "")" info
        row "$mode" "median stable latency" "-" "$(show "$p50" " ms")" info
        row "$mode" "max stable latency" "-" "$(show "$max" " ms")" info
    fi
    row "$mode" "lost values" "= 0" "$(show "$lost" "")" "$(verdict test "$lost" == 0)"
    row "$mode" "valid" "true" "$(show "$valid" "")" "$(verdict test "$valid" == true)"
done
if ((passed == total)); then
    echo "result: PASS ($passed of $total criteria)"
else
    echo "result: FAIL ($passed of $total criteria passed)"
fi
echo "runs: $out"
((passed == total))
