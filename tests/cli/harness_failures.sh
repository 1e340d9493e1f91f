#!/usr/bin/env bash
# harness_failures: proves that `harness test` on real processes reports each way a node can fail
# precisely — which node, what it wrote, its exit status, its last stderr lines — ends the run
# with a clear verdict and exit status, keeps each node's stderr in node-logs/<id>.log, and that
# no node process outlives the harness: not after a crash, not after SIGINT, not even when the
# harness itself is SIGKILLed.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
harness="$BIN_DIR/harness"
nodes="$SRC_DIR/tests/nodes"
crash_status=255 # an aborted test: no results, like Maelstrom's crashed run
setup_work_dir

# crashes NAME NODE [FLAGS...]: one short test, part of the current check, which must end with
# the crash status; stdout and stderr go to NAME.out and NAME.err.
crashes() {
    local name="$1" node="$2"
    shift 2
    must_fail "$crash_status" "$harness" test -w broadcast --bin "$node" --node-count 1 \
        --time-limit 2 --rate 10 --recovery-wait 0 --store "$name.store" "$@" \
        >"$name.out" 2>"$name.err"
}

step "a node that answers init, writes two lines on stderr and exits with status 3"
crashes crash "$nodes/crash_after_init.py"
has_line crash.err 'harness test: the test did not complete: node n0 crashed: exit status 3; last stderr lines:'
has_line crash.err '    crash_after_init: initialised as n0'
has_line crash.err '    crash_after_init: simulated fatal error, exiting with status 3'
has_line crash.store/latest/node-logs/n0.log \
    'crash_after_init: simulated fatal error, exiting with status 3'

# An exit is reported even when "clean".
step "a node that exits at once, silently, with status 0"
crashes exit "$nodes/exit_at_once.sh"
has_line exit.err 'harness test: the test did not complete: node n0 crashed: exit status 0; no stderr output'

# The line is quoted, Maelstrom stops reading that node, so topology times out, and the node's
# last stderr lines are shown.
step "a node that writes a line that is not JSON after init_ok"
crashes garbage "$nodes/garbage_after_init.py"
has_line garbage.err 'node n0 wrote a malformed line (not valid JSON): hello from garbage_after_init, this is not JSON'
has_line garbage.err 'harness test: the test did not complete: no topology_ok reply within 5000 ms from: n0'
has_line garbage.err 'last stderr lines of node n0:'
has_line garbage.err '    garbage_after_init: wrote a non-JSON line, now reading stdin forever'

step "a node that never answers init: the 10 s init timeout, with the node's stderr"
crashes silent "$nodes/silent.sh"
has_line silent.err 'harness test: the test did not complete: no init_ok reply within 10000 ms from: n0'
has_line silent.err 'last stderr lines of node n0:'
has_line silent.err '    silent: reading stdin, answering nothing'

# The path and the errno, no test.
step "--bin that does not exist"
crashes missing "$nodes/no-such-node"
has_line missing.err "harness test: cannot find node binary '$nodes/no-such-node': No such file or directory"
step "--bin that is not executable"
printf 'not a program\n' >not-executable
crashes noexec "$WORK_DIR/not-executable"
has_line noexec.err "harness test: cannot run node binary '$WORK_DIR/not-executable': Permission denied"

# node_pids HARNESS_PID: the harness's children but its process guard (harness-guard), once all
# NODES of them are running.
node_pids() {
    local pids=""
    for _ in $(seq 100); do
        pids="$(ps -o pid=,comm= --ppid "$1" | awk '$2 != "harness-guard" { print $1 }' || true)"
        test "$(echo "$pids" | wc -w)" -eq "$NODES" && break
        sleep 0.05
    done
    echo "$pids"
}

# gone PID...: every process has exited (absent, or a zombie awaiting its new parent), within
# 3 s: a SIGKILLed process may need a moment on a loaded machine.
gone() {
    local p state
    for p in "$@"; do
        for _ in $(seq 60); do
            state="$(ps -o stat= -p "$p" || true)"
            case "$state" in
            "" | Z*) continue 2 ;;
            esac
            sleep 0.05
        done
        fail "node process $p survived the harness (state $state)"
    done
}

# gone_all "PID PID ...": the same for a whitespace-separated list of NODES processes.
gone_all() {
    local list
    read -r -a list <<<"$(echo "$1" | tr '\n' ' ')"
    [ "${#list[@]}" -eq "$NODES" ] || fail "found ${#list[@]} node processes, want $NODES: $1"
    gone "${list[@]}"
}

# SIGINT: the run stops, every node is killed and reaped, the verdict says so.
NODES=3
"$harness" test -w broadcast --bin "$nodes/py_broadcast.py" --node-count "$NODES" \
    --time-limit 60 --rate 10 --store int.store >int.out 2>int.err &
hpid=$!
pids="$(node_pids "$hpid")"
sleep 1
check "SIGINT: the harness is still running" kill -INT "$hpid"
step "SIGINT: the verdict"
must_fail "$crash_status" wait "$hpid"
has_line int.err 'harness test: the test did not complete: interrupted by SIGINT'
step "SIGINT: every node is gone"
gone_all "$pids"

# SIGKILL of the harness itself: PR_SET_PDEATHSIG takes every node down with it.
"$harness" test -w broadcast --bin "$nodes/py_broadcast.py" --node-count "$NODES" \
    --time-limit 60 --rate 10 --store kill.store >kill.out 2>kill.err &
hpid=$!
pids="$(node_pids "$hpid")"
sleep 0.5
check "SIGKILL: the harness is still running" kill -KILL "$hpid"
step "SIGKILL: the harness dies of it"
must_fail 137 wait "$hpid" 2>/dev/null
step "SIGKILL: every node is gone"
gone_all "$pids"
finish
