#!/usr/bin/env bash
# harness_python: proves that the harness serves nodes other than ours. An independent broadcast
# node in Python (tests/nodes/py_broadcast.py, standard library only, written from Maelstrom's
# protocol document) is run on real processes and checked valid: on Maelstrom's 5-node grid
# (challenge 3b), and under --nemesis partition (3c), where its acks and retries must carry every
# value across once the network heals. Each node's stderr lands in node-logs/<id>.log.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail

harness="$BIN_DIR/harness"
node="$SRC_DIR/tests/nodes/py_broadcast.py"
rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR" && cd "$WORK_DIR"

# check NAME: the run was valid, said so like Maelstrom, and logged every node's stderr.
check() {
    local name="$1" rc="$2"
    test "$rc" -eq 0 || {
        echo "$name: exit status $rc, expected 0 (valid)" >&2
        cat "$name.out" "$name.err" >&2
        return 1
    }
    grep -qF 'Everything looks good!' "$name.out" &&
    for i in 0 1 2 3 4; do
        grep -qxF "py_broadcast: initialised as n$i of 5 nodes" "$name.store/latest/node-logs/n$i.log"
    done
}

# 3b: five nodes on Maelstrom's grid.
rc=0
"$harness" test -w broadcast --bin "$node" --node-count 5 --time-limit 4 --rate 10 \
    --recovery-wait 1 --seed 1 --store grid.store >grid.out 2>grid.err || rc=$?
check grid "$rc"

# 3c: the same under partitions (one every second on average); the recovery wait must suffice.
rc=0
"$harness" test -w broadcast --bin "$node" --node-count 5 --time-limit 6 --rate 10 \
    --nemesis partition --nemesis-interval 1 --recovery-wait 3 --seed 2 \
    --store part.store >part.out 2>part.err || rc=$?
check part "$rc" &&
grep -qF ':start-partition' part.store/latest/history.edn
