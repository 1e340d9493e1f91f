#!/usr/bin/env bash
# experiments_challenge: proves challenge.sh's output for 3d and 3e with the default configs on
# the virtual runner (the full challenge workload: 25 nodes, 20 s, rate 100, latency 100): a
# header naming config, runner, seed and revision, a table with one row per criterion (its run,
# name and limit exactly as documented, a number measured, a verdict), a result line that agrees
# with the verdicts and the exit status, and the runs kept with their config. Both default
# configs pass their challenge: that is the project's claim, and this test keeps it honest.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
# shellcheck disable=SC2015 # "a && b || fail" is meant: fail when any step of the chain fails.
set -eu -o pipefail

fail() {
    echo "experiments_challenge: FAILED: $1" >&2
    exit 1
}

export GL_BIN_DIR="$BIN_DIR"
rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR" && cd "$WORK_DIR" || fail "work dir"

for c in 3d 3e; do
    case "$c" in
    3d) mpo=30 p50="400 ms" max="600 ms" config=centred-tree.ini ;;
    3e) mpo=20 p50="1000 ms" max="2000 ms" config=centred-tree-batched.ini ;;
    esac
    rc=0
    "$SRC_DIR/experiments/challenge.sh" "$c" --out results >"$c.out" 2>"$c.err" || rc=$?
    # The run, criterion and limit columns (the first 44 characters) of the table.
    {
        printf '%-10s %-22s %-10s\n' run criterion limit
        printf '%-10s %-22s %-10s\n' normal "msgs-per-op (servers)" "< $mpo" \
            normal "median stable latency" "< $p50" normal "max stable latency" "< $max" \
            normal "lost values" "= 0" normal valid true \
            partition "msgs-per-op (servers)" - partition "median stable latency" - \
            partition "max stable latency" - partition "lost values" "= 0" partition valid true
    } >"$c.expected_columns"
    sed -n '2,12p' "$c.out" | cut -c1-44 | sed 's/ *$//' >"$c.columns" &&
    sed 's/ *$//' "$c.expected_columns" >"$c.expected" && diff -u "$c.expected" "$c.columns" &&
    head -n 1 "$c.out" | grep -q "^challenge $c: $config (.*/configs/$config), virtual runner, seed 1, 25 nodes, time limit 20 s, rate 100, latency 100 ms, git [0-9a-f]*$" &&
    sed -n '3,12p' "$c.out" | awk '
        { verdict = $NF; measured = $(NF - 1) }
        $NF == "ms" { print "no verdict: " $0; bad = 1 }
        verdict != "pass" && verdict != "FAIL" && verdict != "info" { print "verdict: " $0; bad = 1 }
        measured !~ /^([0-9.]+|ms|true|false)$/ { print "measured: " $0; bad = 1 }
        END { exit bad }' &&
    sed -n '13p' "$c.out" | grep -qx 'result: PASS (7 of 7 criteria)' && [[ "$rc" -eq 0 ]] &&
    [[ "$(grep -c ' pass$' "$c.out")" -eq 7 && "$(grep -c ' info$' "$c.out")" -eq 3 ]] &&
    dir="$(sed -n 's/^runs: //p' "$c.out")" && cmp "$SRC_DIR/configs/$config" "$dir/node.ini" &&
    grep -qx 'seed=1' "$dir/partition/run.env" &&
    grep -q -- '--nemesis partition' "$dir/partition/run.env" &&
    ls "$dir"/normal/store/broadcast/*/results.json >/dev/null || {
        cat "$c.out" "$c.err" >&2
        fail "challenge $c (exit status $rc)"
    }
done
echo "experiments_challenge: ok"
