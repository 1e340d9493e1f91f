#!/usr/bin/env bash
# node_timers: proves the real broadcast-node's poll loop runs the core's timers in real time:
# with batching (100 ms) nothing goes to a peer before the first tick, the first tick carries
# both pending values in one message, and with acks and no acknowledgement the batch is re-sent
# (retry 150 ms, re-batched on the next tick) with a fresh msg_id while stdin stays open.
# Timing margins are generous (700 ms for what needs 300 ms) so a loaded machine still passes.
# Environment (from ctest): BIN_DIR, WORK_DIR.
# shellcheck disable=SC2015 # "a && b || fail" is meant: fail when any step of the chain fails.
set -eu -o pipefail

fail() {
    echo "node_timers: FAILED: $1" >&2
    exit 1
}

node="$BIN_DIR/broadcast-node"
rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR" && cd "$WORK_DIR" || fail "work dir"

printf '%s\n' '[topology]' 'strategy = flat' '[batch]' 'timeout_ms = 100' \
    '[delivery]' 'mode = acks' 'retry_ms = 150' >timers.ini || fail "write the INI file"
init='{"src":"c0","dest":"n0","body":{"type":"init","node_id":"n0","node_ids":["n0","n1"],"msg_id":1}}'
b1='{"src":"c2","dest":"n0","body":{"type":"broadcast","message":1,"msg_id":1}}'
b2='{"src":"c2","dest":"n0","body":{"type":"broadcast","message":2,"msg_id":2}}'

{ printf '%s\n' "$init" "$b1" "$b2" && sleep 0.7; } | "$node" timers.ini >out 2>err ||
    fail "the node exited with an error"

first='{"src":"n0","dest":"n1","body":{"type":"broadcast_internal","messages":[1,2],"msg_id":1}}'
second='{"src":"n0","dest":"n1","body":{"type":"broadcast_internal","messages":[1,2],"msg_id":2}}'
sed -n '2p' out | grep -qF '"type":"broadcast_ok","in_reply_to":1}' &&
sed -n '3p' out | grep -qF '"type":"broadcast_ok","in_reply_to":2}' &&
test "$(sed -n '4p' out)" = "$first" &&
test "$(sed -n '5p' out)" = "$second" &&
test "$(grep -c '"broadcast_internal","messages":\[1,2\]' out)" -ge 2 &&
test "$(grep -c '"broadcast_internal"' out)" -eq "$(grep -c '"messages":\[1,2\]' out)" ||
    fail "batched sends and retries (stdout: $(cat out))"

echo "node_timers: ok"
