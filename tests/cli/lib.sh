# shellcheck shell=bash
# tests/cli/lib.sh: the helpers every CLI test sources; not a test itself. Every assertion names
# the check it belongs to, so that a failure says which check failed, then what was wanted and
# what happened, in one last line on the test's standard error, and exits 1:
#
#     <test>: FAIL: <check>: <what went wrong>
#
# A test names its checks with `check NAME CMD...` (run CMD, which must succeed) or `step NAME`
# (for the assertions that follow). The command under test runs in the current shell with its
# stdout and stderr passed through, so redirections on a helper call are the command's, as in
# git's test-lib: `must_fail 254 "$H" check x.edn 2>err.txt && has_line err.txt '...'`. Reports
# go to fd 9, the test's stderr as it was when this file was sourced, so they are seen even when
# the command's stderr is redirected. An unguarded command that fails at the top level of a test
# is reported the same way, with its line (the ERR trap below), never as a silent `set -e` exit;
# but tests do not rely on that: each assertion goes through a helper.
# Bash only. Environment (from ctest, see gl_cli_test): BIN_DIR, SRC_DIR, WORK_DIR.

# shellcheck disable=SC2015 # "a && b || fail" is meant: fail when any step of the chain fails.
set -eu -o pipefail

GL_TEST="${0##*/}"
GL_TEST="${GL_TEST%.sh}"
GL_CHECK=""
GL_SCRATCH=""
GL_SEQ=0
GL_FILE=""
exec 9>&2
trap '_gl_unguarded "$?" "$LINENO" "$BASH_COMMAND"' ERR

# setup_work_dir: a fresh, empty WORK_DIR becomes the current directory. The helpers keep their
# scratch files in WORK_DIR/.lib.
setup_work_dir() {
    step "set up the work dir"
    [ -n "${BIN_DIR:-}" ] && [ -n "${SRC_DIR:-}" ] && [ -n "${WORK_DIR:-}" ] ||
        fail "BIN_DIR, SRC_DIR and WORK_DIR must be set (ctest sets them)"
    rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR/.lib" && cd "$WORK_DIR" ||
        fail "cannot make a fresh '$WORK_DIR'"
    GL_SCRATCH="$WORK_DIR/.lib"
}

# step NAME: names the current check; every failure until the next step or check reports NAME.
step() {
    GL_CHECK="$1"
}

# fail MSG: reports MSG as the failure of the current check and exits 1. Inside $(...) or (...)
# it only ends that subshell, so helpers are called at the top level of a test or of a function.
fail() {
    printf '%s: FAIL: %s: %s\n' "$GL_TEST" "${GL_CHECK:-(no check named)}" "$1" >&9
    exit 1
}

# check NAME CMD...: names the current check NAME and runs CMD, which must exit 0; otherwise the
# failure gives CMD's exit status and the last lines of its stderr.
check() {
    step "$1"
    shift
    _gl_run 0 "$@"
}

# must_fail STATUS CMD...: CMD exits with exactly STATUS, which is not 0 (that is `check`). Keep
# its stderr with a redirection (2>err.txt) for later has_line or contains checks.
must_fail() {
    local want="$1"
    shift
    case "$want" in
    0 | '' | *[!0-9]*) fail "must_fail '$want' $*: want a non-zero status (success is a check)" ;;
    esac
    _gl_run "$want" "$@"
}

# rejects STATUS CMD...: as must_fail, and CMD writes nothing on stdout (its errors go to stderr
# only). Its stderr passes through as with must_fail.
rejects() {
    local out
    _gl_scratch stdout && out="$GL_FILE"
    must_fail "$@" >"$out"
    [ ! -s "$out" ] || {
        _gl_show "$out"
        fail "stdout is not empty: ${*:2}"
    }
    rm -f "$out"
}

# status CMD...: prints CMD's exit status on stdout and never fails. CMD's own stdout comes first
# on the same stream, so capture the status only from a command whose stdout is redirected
# inside it (a function) or empty: test "$(status quiet_run)" -eq 3.
status() {
    local rc=0
    "$@" || rc=$?
    echo "$rc"
}

# same_file EXPECTED ACTUAL: the two files are identical; otherwise the head of a unified diff.
same_file() {
    _gl_diff "$1" "$1" "$2" "'$2' differs from '$1'"
}

# same_text TEXT FILE: FILE holds exactly TEXT and a newline (printf '%s\n' TEXT).
same_text() {
    local want
    _gl_scratch want && want="$GL_FILE"
    printf '%s\n' "$1" >"$want" || fail "cannot write '$want'"
    _gl_diff "$want" "expected text" "$2" "'$2' is not the expected text"
}

# has_line FILE LINE: LINE is a whole line of FILE (fixed text, not a pattern).
has_line() {
    _gl_grep 0 "'$1' has no line '$2'" "$1" -xF -- "$2"
}

# contains FILE TEXT: some line of FILE contains TEXT (fixed text, not a pattern).
contains() {
    _gl_grep 0 "'$1' does not contain '$2'" "$1" -F -- "$2"
}

# matches FILE BRE: some line of FILE matches the basic regular expression BRE (as grep).
matches() {
    _gl_grep 0 "'$1' has no line matching '$2'" "$1" -- "$2"
}

# lacks FILE TEXT: no line of FILE contains TEXT (fixed text); FILE must exist.
lacks() {
    _gl_grep 1 "'$1' contains '$2'" "$1" -F -- "$2"
}

# count_lines FILE BRE N: exactly N lines of FILE match BRE ('' matches every line).
count_lines() {
    local n
    [ -r "$1" ] || fail "cannot read '$1'"
    n="$(grep -c -- "$2" "$1")" || [ "$?" -eq 1 ] || fail "cannot read '$1'"
    [ "$n" -eq "$3" ] || {
        _gl_show "$1"
        fail "'$1' has $n lines matching '$2', want $3"
    }
}

# empty FILE: FILE exists and is empty (nothing on stdout, say).
empty() {
    [ -f "$1" ] || fail "'$1' does not exist"
    [ ! -s "$1" ] || {
        _gl_show "$1"
        fail "'$1' is not empty"
    }
}

# rechecks RUN_DIR: the history a `harness test` run wrote reads back: `harness check` of its
# history.edn with --edn gives its results.edn, and of its history.jsonl its results.json, byte
# for byte (both with the run's journal.jsonl), with an exit status of 0, 1 or 2. results.json is
# compared without the key only `harness test` writes ("gossip-lab/convergence": harness check
# knows no node count).
rechecks() {
    local dir="$1" h fmt out err rc want
    _gl_scratch maelstrom-json && want="$GL_FILE"
    _gl_without_convergence "$dir/results.json" >"$want" || fail "cannot read '$dir/results.json'"
    for h in history.edn history.jsonl; do
        _gl_scratch recheck && out="$GL_FILE" && err="$GL_FILE.err"
        fmt=json
        rc=0
        if [ "$h" = history.edn ]; then
            fmt=edn
            "$BIN_DIR/harness" check "$dir/$h" --journal "$dir/journal.jsonl" --edn >"$out" 2>"$err" || rc=$?
        else
            "$BIN_DIR/harness" check "$dir/$h" --journal "$dir/journal.jsonl" >"$out" 2>"$err" || rc=$?
        fi
        [ "$rc" -le 2 ] || {
            _gl_tail "$err" "stderr"
            fail "harness check $dir/$h: exit status $rc"
        }
        if [ "$fmt" = edn ]; then
            _gl_diff "$dir/results.edn" "$dir/results.edn" "$out" "harness check $dir/$h --journal: not the run's results.edn"
        else
            _gl_diff "$want" "$dir/results.json" "$out" "harness check $dir/$h --journal: not the run's results.json"
        fi
    done
}

# finish: the last line of a test that passed.
finish() {
    echo "$GL_TEST: ok"
}

# ---- internals -------------------------------------------------------------------------------

# _gl_without_convergence FILE: a results.json without its "gossip-lab/convergence" key (the
# last one, docs/formats.md), the comma before it dropped.
_gl_without_convergence() {
    awk '/^  "gossip-lab\/convergence": \{$/ { skip = 1; sub(/,$/, "", last); next }
        skip { if ($0 == "  }") skip = 0; next }
        have { print last }
        { last = $0; have = 1 }
        END { if (have) print last }' "$1"
}

# _gl_scratch KIND: sets GL_FILE to a fresh scratch file name, unique in this shell and its
# subshells (a variable, not $(...), so that the count goes on).
_gl_scratch() {
    [ -n "$GL_SCRATCH" ] || fail "no scratch dir: call setup_work_dir first"
    GL_SEQ=$((GL_SEQ + 1))
    GL_FILE="$GL_SCRATCH/$1.$BASHPID.$GL_SEQ"
}

# _gl_run WANT CMD...: runs CMD, its stderr passed through after a copy is kept, and fails the
# current check unless CMD exits with WANT.
_gl_run() {
    local want="$1" err rc=0
    shift
    _gl_scratch stderr && err="$GL_FILE"
    "$@" 2>"$err" || rc=$?
    cat "$err" >&2 || :
    [ "$rc" -eq "$want" ] || {
        _gl_tail "$err" "stderr"
        fail "exit status $rc, want $want: $*"
    }
    rm -f "$err"
}

# _gl_grep WANT MSG FILE GREP-ARGS...: grep -q GREP-ARGS FILE exits with WANT (0 found, 1 not),
# else the failure MSG after FILE's head. An unreadable FILE always fails.
_gl_grep() {
    local want="$1" msg="$2" file="$3" rc=0
    shift 3
    [ -f "$file" ] && [ -r "$file" ] || fail "cannot read '$file'"
    grep -q "$@" "$file" || rc=$?
    [ "$rc" -eq "$want" ] || {
        _gl_show "$file"
        fail "$msg"
    }
}

# _gl_diff EXPECTED LABEL ACTUAL MSG: the files are identical, else the head of their diff, in
# which EXPECTED is called LABEL, and MSG.
_gl_diff() {
    local diff
    _gl_scratch diff && diff="$GL_FILE"
    diff -u --label "$2" --label "$3" -- "$1" "$3" >"$diff" 2>&1 && return 0
    echo "--- diff -u $2 $3 (first 40 lines):" >&9
    head -n 40 "$diff" >&9 || :
    fail "$4"
}

# _gl_show FILE: FILE's first 20 lines, to show what a failed check looked at.
_gl_show() {
    echo "--- $1 (first 20 lines):" >&9
    head -n 20 -- "$1" >&9 || :
}

# _gl_tail FILE WHAT: the last 15 lines of FILE, which holds WHAT.
_gl_tail() {
    if [ -s "$1" ]; then
        echo "--- $2 (last 15 lines):" >&9
        tail -n 15 -- "$1" >&9 || :
    else
        echo "--- no $2 output" >&9
    fi
}

# _gl_unguarded STATUS LINE COMMAND: the ERR trap, for a command outside any helper.
_gl_unguarded() {
    fail "unguarded command failed with exit status $1 at line $2: $3"
}
