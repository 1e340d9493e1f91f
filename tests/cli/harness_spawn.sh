#!/usr/bin/env bash
# harness_spawn: the process runner starts each node at its init's offset, in the inits' order,
# as Maelstrom's one thread per node starts a node and then inits it (and as the virtual runner
# starts each node core when its init goes out). With --init-spread-us 1000000 the five inits
# are hundreds of ms apart: every node's process start (tests/nodes/log_start.sh writes it in
# the node's log) must come in the order of the inits' send times (journal.jsonl) and lie as far
# from the first start as its init from the first init, within 100 ms; proc-stats.json's
# spawn_spread_us spans them. Before, every node was forked at once, in id order.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
# shellcheck disable=SC2015 # "a && b || fail" is meant: fail when any test fails.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
setup_work_dir

check "a 5-node run with inits spread over a second" "$BIN_DIR/harness" test -w broadcast \
    --bin "$SRC_DIR/tests/nodes/log_start.sh" "$BIN_DIR/broadcast-node" "$SRC_DIR/configs/star.ini" \
    --node-count 5 --time-limit 1 --rate 10 --init-spread-us 1000000 --seed 3 --store store \
    >out.txt 2>err.txt
run=store/latest
step "each node's start and its init's send time"
for n in n0 n1 n2 n3 n4; do
    start="$(sed -n 's/^start_ns \([0-9]*\)$/\1/p' "$run/node-logs/$n.log")"
    init="$(grep -F "\"dest\":\"$n\",\"type\":\"init\"" "$run/journal.jsonl" |
        sed 's/.*"send_ns":\([0-9]*\).*/\1/')"
    [ -n "$start" ] && [ -n "$init" ] || fail "$n: no start_ns in its log or no init in the journal"
    echo "$n $start $init"
done >times.txt
sort -k3,3n times.txt | awk '{ print $1 }' >by_init.txt
sort -k2,2n times.txt | awk '{ print $1 }' >by_start.txt
same_file by_init.txt by_start.txt
step "the starts are spread as the inits are"
awk 'NR == 1 || $2 < s0 { s0 = $2 } NR == 1 || $3 < i0 { i0 = $3 }
     { s[NR] = $2; i[NR] = $3; n[NR] = $1 }
     END { for (k = 1; k <= NR; k++) {
               d = (s[k] - s0) - (i[k] - i0)
               printf "%s start %+d ms from its init'"'"'s offset\n", n[k], d / 1000000
               if (d > 100000000 || d < -100000000) bad = 1 }
           exit bad }' times.txt >gaps.txt || {
    cat gaps.txt >&2
    fail "a node started more than 100 ms away from its init's offset"
}
spread_ms="$(awk '{ print $3 }' times.txt | sort -n | awk 'NR == 1 { a = $1 } { b = $1 } END { print int((b - a) / 1000000) }')"
[ "$spread_ms" -ge 300 ] || fail "the inits span only $spread_ms ms: the seed no longer spreads them"
matches "$run/proc-stats.json" '"spawn_spread_us":[0-9]'
spawn_ms="$(sed 's/.*"spawn_spread_us":\([0-9]*\).*/\1/' "$run/proc-stats.json")"
spawn_ms=$((spawn_ms / 1000))
[ "$spawn_ms" -ge $((spread_ms - 100)) ] && [ "$spawn_ms" -le $((spread_ms + 100)) ] ||
    fail "spawn_spread_us is $spawn_ms ms, the inits span $spread_ms ms"
finish
