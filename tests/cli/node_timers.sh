#!/usr/bin/env bash
# node_timers: proves the real broadcast-node's poll loop runs the core's timers in real time:
# with batching (100 ms) nothing goes to a peer before the first tick, the first tick carries
# both pending values in one message, and with acks and no acknowledgement the batch is re-sent
# (retry 150 ms, re-batched on the next tick) with a fresh msg_id while stdin stays open.
# Timing margins are generous (700 ms for what needs 300 ms) so a loaded machine still passes.
# Environment (from ctest): BIN_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
node="$BIN_DIR/broadcast-node"
setup_work_dir

step "write the INI file"
printf '%s\n' '[topology]' 'strategy = flat' '[batch]' 'timeout_ms = 100' \
    '[delivery]' 'mode = acks' 'retry_ms = 150' >timers.ini || fail "write timers.ini"
init='{"src":"c0","dest":"n0","body":{"type":"init","node_id":"n0","node_ids":["n0","n1"],"msg_id":1}}'
b1='{"src":"c2","dest":"n0","body":{"type":"broadcast","message":1,"msg_id":1}}'
b2='{"src":"c2","dest":"n0","body":{"type":"broadcast","message":2,"msg_id":2}}'

# run_node: init and two broadcasts on the node's stdin, which then stays open for 0.7 s.
run_node() {
    { printf '%s\n' "$init" "$b1" "$b2" && sleep 0.7; } | "$node" timers.ini
}
check "the node runs 0.7 s and exits 0" run_node >out 2>err

first='{"src":"n0","dest":"n1","body":{"type":"broadcast_internal","messages":[1,2],"msg_id":1}}'
second='{"src":"n0","dest":"n1","body":{"type":"broadcast_internal","messages":[1,2],"msg_id":2}}'
step "batched sends and retries"
for i in 2 3 4 5; do
    sed -n "${i}p" out >"line$i" || fail "line $i of out"
done
contains line2 '"type":"broadcast_ok","in_reply_to":1}'
contains line3 '"type":"broadcast_ok","in_reply_to":2}'
same_text "$first" line4
same_text "$second" line5
check "batched sends and retries: at least two sends of [1,2]" \
    test "$(grep -c '"broadcast_internal","messages":\[1,2\]' out)" -ge 2
check "batched sends and retries: every send carries [1,2]" \
    test "$(grep -c '"broadcast_internal"' out)" -eq "$(grep -c '"messages":\[1,2\]' out)"
finish
