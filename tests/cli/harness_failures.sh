#!/usr/bin/env bash
# harness_failures: proves that `harness test` on real processes reports each way a node can fail
# precisely — which node, what it wrote, its exit status, its last stderr lines — ends the run
# with a clear verdict and exit status, keeps each node's stderr in node-logs/<id>.log, and that
# no node process outlives the harness: not after a crash, not after SIGINT, not even when the
# harness itself is SIGKILLed.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail

harness="$BIN_DIR/harness"
nodes="$SRC_DIR/tests/nodes"
crash_status=255 # an aborted test: no results, like Maelstrom's crashed run
rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR" && cd "$WORK_DIR"

# run NAME NODE [FLAGS...]: one short test; stdout, stderr and status go to NAME.{out,err,rc}.
run() {
    local name="$1" node="$2"
    shift 2
    local rc=0
    "$harness" test -w broadcast --bin "$node" --node-count 1 --time-limit 2 --rate 10 \
        --recovery-wait 0 --store "$name.store" "$@" >"$name.out" 2>"$name.err" || rc=$?
    echo "$rc" >"$name.rc"
}

# expect NAME STATUS LINE...: the run ended with STATUS and each LINE is a whole line of stderr.
expect() {
    local name="$1" status="$2"
    shift 2
    test "$(cat "$name.rc")" -eq "$status" || {
        echo "$name: exit status $(cat "$name.rc"), expected $status" >&2
        cat "$name.err" >&2
        return 1
    }
    for line in "$@"; do
        grep -qxF -- "$line" "$name.err" || {
            echo "$name: missing line on stderr: $line" >&2
            cat "$name.err" >&2
            return 1
        }
    done
}

# A node that answers init, writes two lines on stderr and exits with status 3.
run crash "$nodes/crash_after_init.py" &&
expect crash "$crash_status" \
    'harness test: the test did not complete: node n0 crashed: exit status 3; last stderr lines:' \
    '    crash_after_init: initialised as n0' \
    '    crash_after_init: simulated fatal error, exiting with status 3' &&
grep -qxF 'crash_after_init: simulated fatal error, exiting with status 3' \
    crash.store/latest/node-logs/n0.log

# A node that exits at once, silently, with status 0: an exit is reported even when "clean".
run exit "$nodes/exit_at_once.sh" &&
expect exit "$crash_status" \
    'harness test: the test did not complete: node n0 crashed: exit status 0; no stderr output'

# A node that writes a line that is not JSON after init_ok: the line is quoted, Maelstrom stops
# reading that node, so topology times out, and the node's last stderr lines are shown.
run garbage "$nodes/garbage_after_init.py" &&
expect garbage "$crash_status" \
    'node n0 wrote a malformed line (not valid JSON): hello from garbage_after_init, this is not JSON' \
    'harness test: the test did not complete: no topology_ok reply within 5000 ms from: n0' \
    'last stderr lines of node n0:' \
    '    garbage_after_init: wrote a non-JSON line, now reading stdin forever'

# A node that never answers init: the 10 s init timeout, with the node's stderr.
run silent "$nodes/silent.sh" &&
expect silent "$crash_status" \
    'harness test: the test did not complete: no init_ok reply within 10000 ms from: n0' \
    'last stderr lines of node n0:' \
    '    silent: reading stdin, answering nothing'

# --bin that does not exist, or is not executable: the path and the errno, no test.
run missing "$nodes/no-such-node" &&
expect missing "$crash_status" \
    "harness test: cannot find node binary '$nodes/no-such-node': No such file or directory" &&
printf 'not a program\n' >not-executable &&
run noexec "$WORK_DIR/not-executable" &&
expect noexec "$crash_status" \
    "harness test: cannot run node binary '$WORK_DIR/not-executable': Permission denied"

# node_pids HARNESS_PID: the harness's children, once all NODES of them are running.
node_pids() {
    local pids=""
    for _ in $(seq 100); do
        pids="$(ps -o pid= --ppid "$1" || true)"
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
        echo "node process $p survived the harness (state $state)" >&2
        return 1
    done
}

# gone_all "PID PID ...": the same for a whitespace-separated list.
gone_all() {
    local list
    read -r -a list <<<"$(echo "$1" | tr '\n' ' ')"
    gone "${list[@]}"
}

# SIGINT: the run stops, every node is killed and reaped, the verdict says so.
NODES=3
"$harness" test -w broadcast --bin "$nodes/py_broadcast.py" --node-count "$NODES" \
    --time-limit 60 --rate 10 --store int.store >int.out 2>int.err &
hpid=$!
pids="$(node_pids "$hpid")" &&
sleep 1 && kill -INT "$hpid" &&
rc=0 && wait "$hpid" || rc=$?
echo "$rc" >int.rc &&
expect int "$crash_status" 'harness test: the test did not complete: interrupted by SIGINT' &&
gone_all "$pids"

# SIGKILL of the harness itself: PR_SET_PDEATHSIG takes every node down with it.
"$harness" test -w broadcast --bin "$nodes/py_broadcast.py" --node-count "$NODES" \
    --time-limit 60 --rate 10 --store kill.store >kill.out 2>kill.err &
hpid=$!
pids="$(node_pids "$hpid")" &&
sleep 0.5 && kill -KILL "$hpid" &&
{ wait "$hpid" 2>/dev/null || true; } &&
gone_all "$pids"
