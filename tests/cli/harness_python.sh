#!/usr/bin/env bash
# harness_python: proves that the harness serves nodes other than ours. An independent broadcast
# node in Python (tests/nodes/py_broadcast.py, standard library only, written from Maelstrom's
# protocol document) is run on real processes and checked valid: on Maelstrom's 5-node grid
# (challenge 3b), and under --nemesis partition (3c), where its acks and retries must carry every
# value across once the network heals. Each node's stderr lands in node-logs/<id>.log.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
harness="$BIN_DIR/harness"
node="$SRC_DIR/tests/nodes/py_broadcast.py"
setup_work_dir

# looks_good NAME: the run NAME said it was valid like Maelstrom, and logged every node's stderr.
looks_good() {
    local i
    contains "$1.out" 'Everything looks good!'
    for i in 0 1 2 3 4; do
        has_line "$1.store/latest/node-logs/n$i.log" "py_broadcast: initialised as n$i of 5 nodes"
    done
}

check "3b: five nodes on Maelstrom's grid, valid" "$harness" test -w broadcast --bin "$node" \
    --node-count 5 --time-limit 4 --rate 10 --recovery-wait 1 --seed 1 --store grid.store \
    >grid.out 2>grid.err
looks_good grid
rechecks grid.store/latest

# One partition every second on average; the recovery wait must suffice.
check "3c: the same under partitions, valid" "$harness" test -w broadcast --bin "$node" \
    --node-count 5 --time-limit 6 --rate 10 --nemesis partition --nemesis-interval 1 \
    --recovery-wait 3 --seed 2 --store part.store >part.out 2>part.err
looks_good part
contains part.store/latest/history.edn ':start-partition'
rechecks part.store/latest
finish
