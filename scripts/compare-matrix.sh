#!/usr/bin/env bash
# compare-matrix.sh: proves two builds of the harness give byte-identical virtual-time runs over
# the variants that exercise every path of the world: scripts/compare-runs.sh (the default
# sweep's 36 configurations: grid, tree, star, flat x 9 batch timeouts, acks) with constant
# latency, under partitions, with uniform latency, with exponential latency under partitions,
# with every node's ticker in phase (--init-spread-us 0: both builds must know the flag; ties
# between nodes' ticks at one microsecond) under partitions;
# then larger runs (100 nodes, rate 1000: the scaling benchmark's shape) of tree and star,
# history and journal included. Every store file is compared (results.json, results.edn, history.jsonl,
# history.edn, journal.jsonl).
#   scripts/compare-matrix.sh OLD_BIN_DIR NEW_BIN_DIR [--seeds N] [--big-time-limit S]
#                             [--strategies LIST] [--timeouts LIST]
# defaults: --seeds 2 (per variant and configuration), --big-time-limit 5; --strategies and
# --timeouts narrow the sweep configurations (compare-runs.sh's options, all by default).
# Prints one line per variant and "identical: N runs in all" (exit 0), or the differences
# (exit 1); exit 2 on bad arguments. How to build OLD_BIN_DIR for a revision: see
# scripts/compare-runs.sh.
set -eu -o pipefail

die() {
    echo "compare-matrix.sh: $*" >&2
    exit 2
}
(($# >= 2)) || die "usage: compare-matrix.sh OLD_BIN_DIR NEW_BIN_DIR [options]"
old="$1" new="$2"
shift 2
seeds=2 big_time_limit=5 narrow=()
while (($# > 0)); do
    case "$1" in
    --strategies | --timeouts)
        (($# >= 2)) || die "option '$1' needs a value"
        narrow+=("$1" "$2")
        shift 2
        ;;
    --seeds | --big-time-limit)
        (($# >= 2)) || die "option '$1' needs a value"
        v="${1#--}"
        printf -v "${v//-/_}" '%s' "$2"
        shift 2
        ;;
    *) die "unknown option '$1'" ;;
    esac
done
[[ "$seeds" =~ ^[1-9][0-9]*$ ]] || die "--seeds '$seeds' is not a positive whole number"
[[ "$big_time_limit" =~ ^[1-9][0-9]*$ ]] ||
    die "--big-time-limit '$big_time_limit' is not a positive whole number"
for b in "$old" "$new"; do
    [[ -x "$b/harness" ]] || die "'$b' has no executable harness"
done
here="$(cd "$(dirname "$0")" && pwd)"
src="$(dirname "$here")"

total=0 bad=0
variants=("" "--nemesis partition" "--latency-dist uniform"
    "--latency-dist exponential --nemesis partition --nemesis-interval 3"
    "--init-spread-us 0 --nemesis partition --nemesis-interval 3")
for v in "${variants[@]}"; do
    read -r -a flags <<<"$v"
    rc=0
    out="$("$here/compare-runs.sh" "$old" "$new" --seeds "$seeds" ${narrow[@]+"${narrow[@]}"} \
        -- ${flags[@]+"${flags[@]}"})" ||
        rc=$?
    printf 'sweep configurations%s: %s\n' "${v:+ with $v}" "${out//$'\n'/; }"
    if ((rc != 0)); then
        bad=1
    else
        total=$((total + ${out//[!0-9]/}))
    fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
n=0 diffs=()
for cfg in centred-tree star; do
    for ((seed = 1; seed <= seeds; seed++)); do
        for side in old new; do
            bin="$old"
            [[ "$side" == old ]] || bin="$new"
            "$bin/harness" test -w broadcast --virtual --node-config "$src/configs/$cfg.ini" \
                --node-count 100 --rate 1000 --time-limit "$big_time_limit" --latency 100 \
                --seed "$seed" --store "$work/$side" >/dev/null 2>&1 || true
        done
        for f in results.json results.edn history.jsonl history.edn journal.jsonl; do
            a="$work/old/latest/$f" b="$work/new/latest/$f"
            # Every file must be there: a run that failed on both sides proves nothing.
            if [[ ! -e "$a" || ! -e "$b" ]]; then
                diffs+=("missing: $cfg-100-nodes-s$seed $f")
            elif ! cmp -s "$a" "$b"; then
                diffs+=("differs: $cfg-100-nodes-s$seed $f")
            fi
        done
        rm -rf "$work/old" "$work/new"
        n=$((n + 1))
    done
done
if ((${#diffs[@]} > 0)); then
    printf '100 nodes, rate 1000: %s\n' "${diffs[@]}"
    bad=1
else
    echo "100 nodes, rate 1000, tree and star: identical: $n runs"
    total=$((total + n))
fi
((bad == 0)) || exit 1
echo "identical: $total runs in all"
