#!/usr/bin/env bash
# experiments_challenge: proves challenge.sh's output for 3d and 3e with the default configs on
# the virtual runner (the full challenge workload: 25 nodes, 20 s, rate 100, latency 100): a
# header naming config, runner, seed and revision, a table with one row per criterion (its run,
# name and limit exactly as documented, a number measured, a verdict), a result line that agrees
# with the verdicts and the exit status, and the runs kept with their config. Both default
# configs pass their challenge: that is the project's claim, and this test keeps it honest.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
export GL_BIN_DIR="$BIN_DIR"
setup_work_dir

# run_challenge C: challenge.sh C, its output in C.out and C.err. Its exit status is checked
# last, after the table, which says more about a failure than the status does.
run_challenge() {
    "$SRC_DIR/experiments/challenge.sh" "$1" --out results >"$1.out" 2>"$1.err"
}

for c in 3d 3e; do
    case "$c" in
    3d) mpo=30 p50="400 ms" max="600 ms" config=centred-tree.ini ;;
    3e) mpo=20 p50="1000 ms" max="2000 ms" config=centred-tree-batched.ini ;;
    esac
    rc="$(status run_challenge "$c")"
    # The run, criterion and limit columns (the first 44 characters) of the table.
    {
        printf '%-10s %-22s %-10s\n' run criterion limit
        printf '%-10s %-22s %-10s\n' normal "msgs-per-op (servers)" "< $mpo" \
            normal "median stable latency" "< $p50" normal "max stable latency" "< $max" \
            normal "lost values" "= 0" normal valid true \
            partition "msgs-per-op (servers)" - partition "median stable latency" - \
            partition "max stable latency" - partition "lost values" "= 0" partition valid true
    } >"$c.expected_columns"
    step "challenge $c: the table's run, criterion and limit columns"
    sed -n '2,12p' "$c.out" | cut -c1-44 | sed 's/ *$//' >"$c.columns"
    sed 's/ *$//' "$c.expected_columns" >"$c.expected"
    same_file "$c.expected" "$c.columns"
    step "challenge $c: the header"
    head -n 1 "$c.out" >"$c.header"
    matches "$c.header" "^challenge $c: $config (.*/configs/$config), virtual runner, seed 1, 25 nodes, time limit 20 s, rate 100, latency 100 ms, git [0-9a-f]*$"
    sed -n '3,12p' "$c.out" >"$c.rows"
    # awk names each bad row on stdout, sent to the test's stderr.
    # shellcheck disable=SC2016 # an awk program, run by check
    check "challenge $c: a measure and a verdict in every row" awk '
        { verdict = $NF; measured = $(NF - 1) }
        $NF == "ms" { print "no verdict: " $0; bad = 1 }
        verdict != "pass" && verdict != "FAIL" && verdict != "info" { print "verdict: " $0; bad = 1 }
        measured !~ /^([0-9.]+|ms|true|false)$/ { print "measured: " $0; bad = 1 }
        END { exit bad }' "$c.rows" >&2
    step "challenge $c: the result line and the verdicts"
    sed -n '13p' "$c.out" >"$c.result"
    same_text 'result: PASS (7 of 7 criteria)' "$c.result"
    count_lines "$c.out" ' pass$' 7
    count_lines "$c.out" ' info$' 3
    check "challenge $c: exit status 0 (the challenge passes)" test "$rc" -eq 0
    step "challenge $c: the runs kept with their config"
    dir="$(sed -n 's/^runs: //p' "$c.out")"
    same_file "$SRC_DIR/configs/$config" "$dir/node.ini"
    has_line "$dir/partition/run.env" 'seed=1'
    contains "$dir/partition/run.env" '--nemesis partition'
    check "challenge $c: the normal run's results" ls "$dir"/normal/store/broadcast/*/results.json >/dev/null
done
finish
