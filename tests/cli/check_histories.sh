#!/usr/bin/env bash
# check_histories: proves that every history `harness test` writes reads back, with the texts
# that used to break history.edn: partition descriptions such as "n0:n19;n1:n19;..." (25-node
# 3d runs under partitions, over ten seeds, and 100 nodes with a partition every second), and a
# node's error text holding '"', ';', '\', '#_' and a newline (tests/nodes/error_text.py, on real
# processes). For each run, `harness check` of history.edn and of history.jsonl, with the run's
# journal, gives the run's results.edn and results.json byte for byte (lib.sh: rechecks).
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
H="$BIN_DIR/harness"
setup_work_dir

for seed in 1 2 3 4 5 6 7 8 9 10; do
    check "3d under partitions, seed $seed" "$H" test -w broadcast --virtual --node-count 25 \
        --time-limit 20 --rate 100 --latency 100 --nemesis partition --seed "$seed" \
        --store "s$seed" >"s$seed.out"
    contains "s$seed/latest/history.edn" ':start-partition'
    rechecks "s$seed/latest"
done

check "100 nodes, a partition every second" "$H" test -w broadcast --virtual --node-count 100 \
    --time-limit 10 --rate 50 --nemesis partition --nemesis-interval 1 --seed 11 \
    --store big >big.out
rechecks big/latest

# A node whose every broadcast fails with an EDN-hostile text: the status is the verdict's (no
# broadcast succeeded, so :stats is invalid: 1), and the text is in the history whole.
step "a node's error text"
must_fail 1 "$H" test -w broadcast --bin "$SRC_DIR/tests/nodes/error_text.py" --node-count 2 \
    --time-limit 2 --rate 20 --recovery-wait 1 --seed 1 --store err >err.out
contains err/latest/history.edn ':error [:temporarily-unavailable "x\"] ; y \\ z\n#_ w}"]'
rechecks err/latest
finish
