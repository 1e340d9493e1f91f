#!/usr/bin/env bash
# harness_golden: pins virtual-time runs to the byte. A handful of runs that between them take
# every path of the world and of drv_virt — batching with acks under partitions (a node's tick
# timer that comes back to a time it had asked for before, with the nodes' tickers in phase),
# uniform and exponential latency
# (messages out of order on a link), every strategy, a 100-node rate-1000 run — must give the
# SHA-256 digests of results.json, history.jsonl and journal.jsonl in
# tests/golden/virtual_runs.sha256. The digests were made by a build of main at b9711d2 (issue
# 10's delivery timing, before issue 11's rewrite of the event queue, the network's queues and
# messages, and the journal writer), so this test fails if any of those changes the order of
# events by one tie.
# The results.json digests were re-made when the convergence report (issue 12) added its key:
# every history.jsonl and journal.jsonl digest stayed the same.
# A change meant to change behaviour rewrites the file:
#   BIN_DIR=build/dev/bin SRC_DIR=$PWD WORK_DIR=/tmp/golden GOLDEN_WRITE=1 \
#       tests/cli/harness_golden.sh
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
setup_work_dir
H="$BIN_DIR/harness"
golden="$SRC_DIR/tests/golden/virtual_runs.sha256"

run() { # name strategy timeout_ms seed [harness flags...]
    local name=$1 strategy=$2 timeout=$3 seed=$4
    shift 4
    printf '[topology]\nstrategy = %s\n[batch]\ntimeout_ms = %s\n[delivery]\nmode = acks\nretry_ms = 500\n' \
        "$strategy" "$timeout" >"$name.ini"
    "$H" test -w broadcast --virtual --node-config "$name.ini" --latency 100 --seed "$seed" \
        --store "$name" "$@" >"$name.out" 2>&1 || true
    for f in results.json history.jsonl journal.jsonl; do
        [ -e "$name/latest/$f" ] || fail "run $name wrote no $f"
        printf '%s  %s/%s\n' "$(sha256sum <"$name/latest/$f" | cut -d' ' -f1)" "$name" "$f"
    done
}

{
    run tree-T200-partition tree 200 1 --node-count 25 --time-limit 20 --rate 100 \
        --nemesis partition
    run tree-T100-partition tree 100 5 --node-count 25 --time-limit 20 --rate 100 \
        --nemesis partition --nemesis-interval 3
    run star-T0-uniform star 0 2 --node-count 25 --time-limit 10 --rate 100 \
        --latency-dist uniform
    run grid-T50-exponential grid 50 3 --node-count 25 --time-limit 10 --rate 100 \
        --latency-dist exponential --nemesis partition --nemesis-interval 3
    run flat-T20 flat 20 4 --node-count 25 --time-limit 10 --rate 100
    run tree-T0-100-nodes tree 0 1 --node-count 100 --time-limit 3 --rate 1000
    # Every node's ticker in the same phase (no init spread), and the earlier node delay: ties
    # between nodes' ticks at the same microsecond, where a tick timer's place in the order
    # shows (a run that gives a returning timer a new place differs here, not above).
    run tree-T100-aligned tree 100 5 --node-count 25 --time-limit 20 --rate 100 \
        --nemesis partition --nemesis-interval 3 --init-spread-us 0
    run tree-T50-delay1000 tree 50 5 --node-count 25 --time-limit 20 --rate 100 \
        --nemesis partition --nemesis-interval 3 --node-delay-us 1000
} >digests.txt
if [ "${GOLDEN_WRITE:-}" = 1 ]; then
    cp digests.txt "$golden"
    echo "wrote $golden"
    exit 0
fi
step "every run's results, history and journal are the pinned bytes"
same_file "$golden" digests.txt
finish
