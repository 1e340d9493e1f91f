#!/usr/bin/env bash
# compare-runs.sh: proves two builds of the harness produce byte-identical virtual-time runs.
# Every (strategy, batch timeout, seed) of the default sweep (the INI files sweep.sh writes:
# acks, retry_ms = 500) is run with OLD/harness and NEW/harness and every store file
# (results.json, results.edn, history.edn, history.jsonl, journal.jsonl) is compared with cmp.
# Use it around any change that must not change behaviour (a refactoring, a speed-up).
#
#   scripts/compare-runs.sh OLD_BIN_DIR NEW_BIN_DIR [--strategies LIST] [--timeouts LIST]
#                           [--seeds N] [-- HARNESS_FLAGS...]
#
# HARNESS_FLAGS go to both runs (e.g. -- --nemesis partition --latency-dist exponential).
# Prints "identical: N runs" (exit 0) or one "differs: RUN FILE" line per difference (exit 1);
# exit 2 on bad arguments. To get OLD_BIN_DIR for a commit:
#   git worktree add /tmp/old REV && cmake -S /tmp/old -B /tmp/old/build -DCMAKE_BUILD_TYPE=Release
#   && cmake --build /tmp/old/build --target harness   (then OLD_BIN_DIR=/tmp/old/build/bin)
set -eu -o pipefail

die() {
    echo "compare-runs.sh: $*" >&2
    exit 2
}
(($# >= 2)) || die "usage: compare-runs.sh OLD_BIN_DIR NEW_BIN_DIR [options] [-- HARNESS_FLAGS...]"
old="$1" new="$2"
shift 2
for b in "$old" "$new"; do
    [[ -x "$b/harness" ]] || die "'$b' has no executable harness"
done
strategies=grid,tree,star,flat
timeouts=0,10,20,50,100,200,300,500,1000
seeds=3
extra=()
while (($# > 0)); do
    case "$1" in
    --strategies | --timeouts | --seeds)
        (($# >= 2)) || die "option '$1' needs a value"
        printf -v "${1#--}" '%s' "$2"
        shift 2
        ;;
    --)
        shift
        extra=("$@")
        break
        ;;
    *) die "unknown option '$1'" ;;
    esac
done
[[ "$seeds" =~ ^[1-9][0-9]*$ ]] || die "--seeds '$seeds' is not a positive whole number"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
IFS=, read -r -a strategy_list <<<"$strategies"
IFS=, read -r -a timeout_list <<<"$timeouts"
n=0 bad=0
for s in "${strategy_list[@]}"; do
    for t in "${timeout_list[@]}"; do
        printf '[topology]\nstrategy = %s\n[batch]\ntimeout_ms = %s\n[delivery]\nmode = acks\nretry_ms = 500\n' \
            "$s" "$t" >"$work/node.ini"
        for ((seed = 1; seed <= seeds; seed++)); do
            run="$s-T$t-s$seed"
            for side in old new; do
                bin="$old"
                [[ "$side" == old ]] || bin="$new"
                # The verdict may be invalid (exit 1) or unknown (2): only the files matter.
                "$bin/harness" test -w broadcast --virtual --node-config "$work/node.ini" \
                    --node-count 25 --time-limit 20 --rate 100 --latency 100 --seed "$seed" \
                    ${extra[@]+"${extra[@]}"} --store "$work/$side" >/dev/null 2>&1 || true
            done
            for f in results.json results.edn history.edn history.jsonl journal.jsonl; do
                a="$work/old/latest/$f" b="$work/new/latest/$f"
                if [[ ! -e "$a" && ! -e "$b" ]]; then continue; fi
                cmp -s "$a" "$b" || {
                    echo "differs: $run $f"
                    bad=1
                }
            done
            rm -rf "$work/old" "$work/new"
            n=$((n + 1))
        done
    done
done
((bad == 0)) || exit 1
echo "identical: $n runs"
