#!/usr/bin/env bash
# harness_processes: proves that nothing a node starts outlives the harness. A node that is a
# wrapper script with children of its own (tests/nodes/wrapper_with_children.sh: a helper and
# the real node, both grandchildren of the harness) leaves no process behind, checked pid by pid,
# when the harness is SIGKILLed, when the run ends normally and when the harness gets SIGHUP,
# which it handles like SIGINT (its message, history.jsonl of what ran, exit status 255); the
# process guard goes too. And --node-log-max-mb caps a chatty node's log, with a last line that
# says so, while the run goes on and stays valid.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
harness="$BIN_DIR/harness"
wrapper="$SRC_DIR/tests/nodes/wrapper_with_children.sh"
setup_work_dir

# await_pids FILE N: FILE lists N pids (each wrapper writes two), within 20 s.
await_pids() {
    for _ in $(seq 400); do
        [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
        sleep 0.05
    done
    fail "'$1' lists $(wc -l <"$1" || echo 0) pids after 20 s, want $2"
}

# guard_pids HARNESS_PID: the pids of the harness's process guard (there should be one).
guard_pids() {
    ps -o pid=,comm= --ppid "$1" | awk '$2 == "harness-guard" { print $1 }' || true
}

# gone PID...: every process has exited (absent, or a zombie awaiting its new parent), within
# 3 s each: a SIGKILLed process may need a moment on a loaded machine.
gone() {
    local p state
    for p in "$@"; do
        for _ in $(seq 60); do
            state="$(ps -o stat=,comm= -p "$p" || true)"
            case "$state" in
            "" | Z*) continue 2 ;;
            esac
            sleep 0.05
        done
        fail "process $p survived the harness ($state)"
    done
}

# run_bg NAME NODES [FLAGS...]: starts a 60 s test of NODES wrappers in the background, their
# pids listed in NAME.pids; sets hpid.
run_bg() {
    local name="$1" nodes="$2"
    shift 2
    : >"$name.pids"
    "$harness" test -w broadcast --bin "$wrapper" "$WORK_DIR/$name.pids" --node-count "$nodes" \
        --time-limit 60 --rate 10 --store "$name.store" "$@" >"$name.out" 2>"$name.err" &
    hpid=$!
}

# SIGKILL: no handler of the harness runs; the guard kills every node's group.
step "SIGKILL: start"
run_bg kill 3
await_pids kill.pids 6
guard="$(guard_pids "$hpid")"
sleep 0.5
check "SIGKILL: the harness is still running" kill -KILL "$hpid"
step "SIGKILL: the harness dies of it"
must_fail 137 wait "$hpid" 2>/dev/null
step "SIGKILL: every wrapper's children are gone"
read -r -a pids <<<"$(tr '\n' ' ' <kill.pids)"
gone "${pids[@]}"
step "SIGKILL: the harness had one guard, gone too"
[ "$(echo "$guard" | wc -w)" -eq 1 ] || fail "guard processes '$guard', want one"
gone "$guard"

# A normal end: the harness kills every group, disarms the guard and reaps it.
: >end.pids
check "a normal end: the run" "$harness" test -w broadcast --bin "$wrapper" "$WORK_DIR/end.pids" \
    --node-count 2 --time-limit 2 --rate 10 --recovery-wait 0 --store end.store >end.out 2>end.err
step "a normal end: every wrapper's children are gone"
await_pids end.pids 4
read -r -a pids <<<"$(tr '\n' ' ' <end.pids)"
gone "${pids[@]}"
has_line end.out 'valid?            true'

# SIGHUP (the terminal went away) is handled like SIGINT.
step "SIGHUP: start"
run_bg hup 2
await_pids hup.pids 4
sleep 1
check "SIGHUP: the harness is still running" kill -HUP "$hpid"
step "SIGHUP: the verdict"
must_fail 255 wait "$hpid"
has_line hup.err 'harness test: the test did not complete: interrupted by SIGHUP'
contains hup.err 'store: hup.store/broadcast/'
check "SIGHUP: the history of what ran" test -f hup.store/latest/history.jsonl
lacks hup.out 'valid?'
step "SIGHUP: every wrapper's children are gone"
read -r -a pids <<<"$(tr '\n' ' ' <hup.pids)"
gone "${pids[@]}"

# A node whose helper writes 3 MiB on stderr at once; its log keeps 1 MiB and says so.
: >chatty.pids
check "a chatty node: the run" "$harness" test -w broadcast --bin "$wrapper" \
    "$WORK_DIR/chatty.pids" chatty --node-count 1 --time-limit 3 --rate 10 --recovery-wait 0 \
    --node-log-max-mb 1 --store chatty.store >chatty.out 2>chatty.err
step "a chatty node: the run is valid and the cap is reported"
has_line chatty.out 'valid?            true'
fault='node n0 wrote more than 1048576 bytes on stderr: node-logs/n0.log keeps the first 1048576 bytes (--node-log-max-mb)'
has_line chatty.err "$fault"
has_line chatty.store/latest/faults.txt "$fault"
step "a chatty node: the log holds 1 MiB and the note, on a line of its own"
log=chatty.store/latest/node-logs/n0.log
note="[harness] this log reached its cap of 1048576 bytes (harness test --node-log-max-mb): the rest of the node's stderr is not logged"
tail -n 1 "$log" >last-line || fail "read the log's last line"
same_text "$note" last-line
size="$(wc -c <"$log")"
[ "$size" -eq $((1048576 + ${#note} + 1)) ] || [ "$size" -eq $((1048576 + ${#note} + 2)) ] ||
    fail "'$log' has $size bytes, want 1048576 and the note's line"
head -n 1 "$log" >first-line || fail "read the log's first line"
same_text 'chatty: line 1' first-line

step "--node-log-max-mb: bad values"
rejects 254 "$harness" test -w broadcast --bin "$wrapper" --node-log-max-mb 0 2>err
has_line err "harness test: invalid value '0' for --node-log-max-mb: expected an integer 1..1048576 (MiB)"
rejects 254 "$harness" test -w broadcast --virtual --node-log-max-mb 5 2>err
has_line err 'harness test: --node-log-max-mb goes with --bin (nodes in virtual time write no logs)'
finish
