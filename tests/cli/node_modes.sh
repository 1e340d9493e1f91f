#!/usr/bin/env bash
# node_modes: proves the real broadcast-node speaks the design space's extra broadcast_internal
# keys exactly: cumulative delivery stamps each value's link sequence number ("seq"), the lowest
# number it still waits for ("base") and the ack it owes ("ack", riding on its next message to
# that peer), takes acks and values from peers, and refuses a malformed "seq" or "have" with error
# 12; anti-entropy lets its digest ("have") ride on an outgoing message, answers a digest with
# exactly the intervals it lacks ("need") and a need with exactly what it has, marks both
# "repair", and after taking a repair sends its next digest at once. The golden replies are the
# node's whole stdout; the timers (ack delay, retry, the anti-entropy period) are set far beyond
# the run, so nothing depends on the clock.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
node="$BIN_DIR/broadcast-node"
golden="$SRC_DIR/tests/golden"
setup_work_dir

printf '[topology]\nstrategy = flat\n[delivery]\nmode = cumulative\nretry_ms = 60000\nack_delay_ms = 30000\n' >cum.ini ||
    fail "write cum.ini"
check "cumulative" "$node" cum.ini <"$golden/node_cumulative.in" >stdout 2>stderr
step "cumulative: the replies"
same_file "$golden/node_cumulative.out" stdout
step "cumulative: one line per refusal"
has_line stderr 'broadcast-node: line 7: body.have: expected pairs lo, hi with lo <= hi, each above the one before'
has_line stderr 'broadcast-node: line 8: body.seq: expected a non-negative integer'
count_lines stderr 'line [0-9]*:' 2
contains stderr 'delivery cumulative (retry 60000 ms, ack delay 30000 ms)'

printf '[topology]\nstrategy = flat\n[delivery]\nmode = fire-and-forget\nsync_ms = 30000\nsync_age_ms = 0\n' >sync.ini ||
    fail "write sync.ini"
check "anti-entropy" "$node" sync.ini <"$golden/node_sync.in" >stdout 2>stderr
step "anti-entropy: the replies"
same_file "$golden/node_sync.out" stdout
step "anti-entropy: the summary"
contains stderr '4 values, 5 broadcast_internal sent (0 retries, 0 stand-alone acks, 2 digests, 2 repairs)'
finish
