#!/usr/bin/env bash
# lib_selftest: proves the CLI tests' helpers (tests/cli/lib.sh): each helper passes its passing
# case quietly, and on its failing case exits 1 with a report whose last line names the test and
# the check that failed and says what went wrong ("lib_selftest: FAIL: <check>: <detail>"), even
# when the command's stderr is redirected; an unguarded failing command is reported the same way.
# Each case runs in a subshell, so that the helper's exit ends only the case.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
# shellcheck disable=SC2015 # "a && b || fail" is meant: fail when any step of the chain fails.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
setup_work_dir

# in_step NAME CMD...: CMD as part of the check NAME.
in_step() {
    step "$1"
    shift
    "$@"
}

# passes CMD...: CMD, in a subshell, exits 0 and reports no failure.
passes() {
    local rc=0
    (
        step "a stale name"
        "$@"
    ) >case.out 2>case.err 9>&2 || rc=$?
    [ "$rc" -eq 0 ] || {
        cat case.err >&9
        fail "exit status $rc, want 0: $*"
    }
    if grep -q 'FAIL' case.err; then
        cat case.err >&9
        fail "reported a failure: $*"
    fi
}

# fails_as CHECK DETAIL CMD...: CMD, in a subshell where the current check was "a stale name",
# exits 1 and the last line of its report is "lib_selftest: FAIL: CHECK: DETAIL". The whole
# report stays in case.err for further checks.
fails_as() {
    local want="lib_selftest: FAIL: $1: $2" rc=0
    shift 2
    (
        step "a stale name"
        "$@"
    ) >case.out 2>case.err 9>&2 || rc=$?
    [ "$rc" -eq 1 ] || {
        cat case.err >&9
        fail "exit status $rc, want 1: $*"
    }
    tail -n 1 case.err >last.txt && printf '%s\n' "$want" >want.txt && cmp -s want.txt last.txt || {
        echo "--- report:" >&9 && cat case.err >&9
        fail "want the last line '$want': $*"
    }
}

# ---- fail and step, with plain shell before any helper is trusted -----------------------------
rc=0
(
    step "the named check"
    fail "what went wrong"
) >case.out 2>case.err 9>&2 || rc=$?
printf 'lib_selftest: FAIL: the named check: what went wrong\n' >want.txt
if [ "$rc" -ne 1 ] || ! cmp -s want.txt case.err || [ -s case.out ]; then
    echo "lib_selftest: FAIL: fail and step: exit status $rc, report:" >&2
    cat case.err >&2
    exit 1
fi
step "fail before any check is named"
fails_as "(no check named)" "early" in_step "" fail "early"

# ---- check -----------------------------------------------------------------------------------
step "check: a passing command"
passes check "true passes" true
passes check "stdout and stderr pass through" sh -c 'echo out; echo err >&2'
step "check: stdout and stderr pass through"
has_line case.out out
has_line case.err err

step "check: a failing command"
fails_as "named by check" "exit status 3, want 0: sh -c echo oops >&2; exit 3" \
    check "named by check" sh -c 'echo oops >&2; exit 3'
step "check: a failing command shows its stderr"
has_line case.err oops

# check_quietly ...: check with the command's stderr thrown away.
check_quietly() {
    check "$@" 2>/dev/null
}
step "check: a failure is reported even with stderr redirected"
fails_as "quiet" "exit status 1, want 0: false" check_quietly "quiet" false

# ---- must_fail -------------------------------------------------------------------------------
step "must_fail: the expected status, stderr kept"
passes must_fail 3 sh -c 'echo kept >&2; exit 3'
has_line case.err kept
step "must_fail: success"
fails_as "must fail" "exit status 0, want 3: true" in_step "must fail" must_fail 3 true
step "must_fail: another status"
fails_as "must fail" "exit status 4, want 3: sh -c exit 4" \
    in_step "must fail" must_fail 3 sh -c 'exit 4'
step "must_fail: status 0 is refused"
fails_as "must fail" "must_fail '0' true: want a non-zero status (success is a check)" \
    in_step "must fail" must_fail 0 true

# ---- rejects ---------------------------------------------------------------------------------
step "rejects: the expected status, nothing on stdout, stderr kept"
passes rejects 3 sh -c 'echo kept >&2; exit 3'
has_line case.err kept
step "rejects: output on stdout"
fails_as "reject" "stdout is not empty: sh -c echo out; exit 3" \
    in_step "reject" rejects 3 sh -c 'echo out; exit 3'
has_line case.err out
step "rejects: another status"
fails_as "reject" "exit status 0, want 3: true" in_step "reject" rejects 3 true

# ---- status ----------------------------------------------------------------------------------
step "status: prints the status, never fails"
check "status: prints the status, never fails" test "$(status true)" = 0
check "status: prints the status, never fails" test "$(status sh -c 'exit 7')" = 7

# ---- same_file and same_text -----------------------------------------------------------------
printf 'a\nb\n' >ab.txt && printf 'a\nb\n' >ab2.txt && printf 'a\nc\n' >ac.txt ||
    fail "write the files to compare"
step "same_file"
passes same_file ab.txt ab2.txt
fails_as "compare" "'ac.txt' differs from 'ab.txt'" in_step "compare" same_file ab.txt ac.txt
step "same_file: shows the diff"
has_line case.err "+c"
step "same_file: a missing file"
fails_as "compare" "'missing.txt' differs from 'ab.txt'" in_step "compare" same_file ab.txt missing.txt
step "same_text"
passes same_text "$(printf 'a\nb')" ab.txt
fails_as "text" "'ac.txt' is not the expected text" in_step "text" same_text "$(printf 'a\nb')" ac.txt

# ---- has_line, contains, matches, lacks, count_lines, empty -----------------------------------
printf 'one line\nanother [line]\n' >lines.txt && : >empty.txt || fail "write the files to search"
step "has_line"
passes has_line lines.txt "another [line]"
fails_as "line" "'lines.txt' has no line 'another'" in_step "line" has_line lines.txt another
step "has_line: shows the file"
has_line case.err "one line"
fails_as "line" "cannot read 'missing.txt'" in_step "line" has_line missing.txt x
step "contains"
passes contains lines.txt "r [li"
fails_as "text" "'lines.txt' does not contain 'three'" in_step "text" contains lines.txt three
step "matches"
passes matches lines.txt '^an.* \[line\]$'
fails_as "re" "'lines.txt' has no line matching '^line'" in_step "re" matches lines.txt '^line'
step "lacks"
passes lacks lines.txt three
fails_as "absent" "'lines.txt' contains 'one'" in_step "absent" lacks lines.txt one
fails_as "absent" "cannot read 'missing.txt'" in_step "absent" lacks missing.txt one
step "count_lines"
passes count_lines lines.txt line 2
passes count_lines lines.txt three 0
passes count_lines lines.txt '' 2
fails_as "count" "'lines.txt' has 1 lines matching '^one', want 2" \
    in_step "count" count_lines lines.txt '^one' 2
step "empty"
passes empty empty.txt
fails_as "nothing" "'lines.txt' is not empty" in_step "nothing" empty lines.txt
fails_as "nothing" "'missing.txt' does not exist" in_step "nothing" empty missing.txt

# ---- rechecks ---------------------------------------------------------------------------------
step "rechecks: a run to check"
"$BIN_DIR/harness" test -w broadcast --virtual --node-count 2 --time-limit 1 --rate 10 \
    --recovery-wait 1 --store run.store >run.out 2>&1 || fail "harness test for rechecks"
step "rechecks"
passes rechecks run.store/latest
printf '{}\n' >run.store/latest/results.json
fails_as "recheck" "harness check run.store/latest/history.jsonl --journal: not the run's results.json" in_step "recheck" rechecks run.store/latest

# ---- setup_work_dir --------------------------------------------------------------------------
# fresh_dir DIR: setup_work_dir with WORK_DIR=DIR leaves an empty DIR (but for .lib) as the
# current directory.
fresh_dir() {
    WORK_DIR="$1" && setup_work_dir && [ "$PWD" = "$1" ] && [ -d .lib ] && [ ! -e old.txt ] ||
        fail "not a fresh '$1'"
}
mkdir -p sub && : >sub/old.txt || fail "write an old file"
step "setup_work_dir"
passes fresh_dir "$PWD/sub"
fails_as "set up the work dir" "BIN_DIR, SRC_DIR and WORK_DIR must be set (ctest sets them)" \
    fresh_dir ""

# ---- the ERR trap: an unguarded command at the top level of a test ---------------------------
printf '%s\n' '#!/usr/bin/env bash' 'set -eu -o pipefail' ". '$SRC_DIR/tests/cli/lib.sh'" \
    'setup_work_dir' 'step "the last check"' 'false' 'echo not reached' >unguarded.sh ||
    fail "write unguarded.sh"
step "an unguarded failing command"
must_fail 1 env WORK_DIR="$PWD/unguarded" bash unguarded.sh >unguarded.out 2>unguarded.err
has_line unguarded.err \
    "unguarded: FAIL: the last check: unguarded command failed with exit status 1 at line 6: false"
empty unguarded.out

finish
