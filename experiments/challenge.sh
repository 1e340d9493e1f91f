#!/usr/bin/env bash
# challenge.sh: judges a node configuration against a Gossip Glomers broadcast challenge. It runs
# the challenge workload (25 nodes, --time-limit 20 --rate 100 --latency 100) twice, once as is
# and once under --nemesis partition, and prints a pass/fail table with the measured values:
# msgs-per-op, median and maximum stable latency each below the challenge's limit (from
# experiments/limits.csv, the one place they are written) and in both runs nothing lost and the
# results valid. Under partition only "nothing lost, valid" is judged (the challenge asks for
# correctness there, not speed); its figures are shown.
#
#   experiments/challenge.sh 3d|3e [--config FILE] [--runner virtual|process|maelstrom]
#                            [--seed S] [--out DIR]
#
# Default config: configs/centred-tree.ini for 3d, configs/centred-tree-batched.ini for 3e. The
# config is loaded by the node's own loader (broadcast-node --check-config) before any run.
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
usage: experiments/challenge.sh CHALLENGE [options]
  CHALLENGE           a row of experiments/limits.csv: 3d or 3e
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
seed=1
gl_workload_defaults

gl_parse_options "--config:config --runner:runner --seed:seed --out:out_base \
    --time-limit:time_limit --recovery-wait:recovery_wait" "" "$@"
gl_load_limits
for word in "${GL_OPERANDS[@]}"; do
    gl_limits "$word"
    [[ -z "$challenge" ]] || gl_die "one challenge only, got '$challenge' and '$word'"
    challenge="$word"
done
[[ -n "$challenge" ]] ||
    gl_die "which challenge? give $(gl_join " or " "${GL_CHALLENGES[@]}") (see --help)"
gl_limits "$challenge"
# The configuration the project claims passes each challenge (tests/cli/experiments_challenge.sh).
case "$challenge" in
3d) default_config=configs/centred-tree.ini ;;
3e) default_config=configs/centred-tree-batched.ini ;;
*) [[ -n "$config" ]] || gl_die "no default config for challenge '$challenge': give --config" ;;
esac
[[ -n "$config" ]] || config="$SRC_DIR/$default_config"
[[ -f "$config" && -r "$config" ]] || gl_die "config '$config' is not a readable file"
config="$(cd "$(dirname "$config")" && pwd)/$(basename "$config")"
gl_is_uint "$seed" || gl_die "--seed '$seed' is not a whole number"
gl_check_run_options
gl_setup
maelstrom=""
[[ "$runner" != maelstrom ]] || gl_check_maelstrom
gl_check_bin_dir
gl_build
harness="$bin_dir/harness"
node_bin="$bin_dir/broadcast-node"
gl_check_config "$config"
gl_results_columns

gl_make_out_dir "$out_base" "challenge-$challenge-"
gl_keep_build_log "$out"
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
# field MODE NAME: the field named NAME of the run's `harness results --csv` line.
field() {
    local -a f
    local i
    i="$(gl_csv_index "$GL_RESULTS_HEADER" "$2")"
    IFS=, read -r -a f <<<"${csv[$1]}"
    echo "${f[i]:-}"
}
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
    mpo="$(field "$mode" msgs_per_op_servers)" p50="$(field "$mode" stable_p50)"
    max="$(field "$mode" stable_max)" lost="$(field "$mode" lost)" valid="$(field "$mode" valid)"
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
