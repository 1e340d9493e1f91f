#!/usr/bin/env bash
# harness_convergence: `harness test` reports, from the final reads, how many nodes lack how many
# values (results.json "gossip-lab/convergence", the summary, the CSV), where Maelstrom's set-full
# rule calls the run valid; and it never changes Maelstrom's verdict: `harness check` of the same
# history gives the same results.edn. Runs where nodes lack values: a Python node whose n1 drops
# what its neighbours gossip (real processes), and our node under partitions with no recovery
# wait (virtual time); runs that converge: the honest Python node, and our node with the default
# recovery wait.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
H="$BIN_DIR/harness"
setup_work_dir

# same_verdict DIR: harness check of DIR's history and journal gives DIR's results.edn and
# results.json but our key (rechecks), so our check changed nothing of Maelstrom's; and DIR's
# results.json has our key, its results.edn not.
same_verdict() {
    rechecks "$1"
    contains "$1/results.json" '"gossip-lab/convergence": {'
    lacks "$1/results.edn" 'convergence'
}

# ---- real processes: n1 forgets, Maelstrom still says valid ------------------------------------
check "forgetful n1: valid like Maelstrom" "$H" test -w broadcast \
    --bin "$SRC_DIR/tests/nodes/py_forgetful.py" --node-count 4 --time-limit 2 --rate 10 \
    --recovery-wait 1 --seed 1 --store forget >forget.out 2>forget.err
contains forget.out 'Everything looks good!'
matches forget.out '^converged         no: 1 of 4 nodes lack values (n1 [1-9][0-9]*; [1-9][0-9]* missing in all, of [1-9][0-9]* known values)$'
d="$(readlink -f forget/latest)"
contains "$d/results.json" '"converged?": false,'
contains "$d/results.json" '"nodes-lacking": 1,'
matches "$d/results.json" '^      "n1": [1-9][0-9]*$'
check "forgetful n1: the CSV" "$H" results "$d/results.json" --csv >forget.csv
matches forget.csv ',true,1,[1-9][0-9]*$'
same_verdict "$d"

check "the honest node converges" "$H" test -w broadcast \
    --bin "$SRC_DIR/tests/nodes/py_broadcast.py" --node-count 4 --time-limit 2 --rate 10 \
    --recovery-wait 1 --seed 1 --store honest >honest.out 2>honest.err
matches honest.out '^converged         yes: all 4 nodes have the [1-9][0-9]* known values$'
d="$(readlink -f honest/latest)"
contains "$d/results.json" '"converged?": true,'
contains "$d/results.json" '"lacking": {},'
same_verdict "$d"

# ---- virtual time: partitions and no recovery wait ---------------------------------------------
# Some seeds are invalid (a value lost at the last final read), some valid with nodes behind:
# every run's verdict must be Maelstrom's, and at least one must be valid yet not converged.
step "partitions without recovery"
valid_behind=0
for seed in 1 2 3 4 5 6 7 8; do
    rc=0
    "$H" test -w broadcast --virtual --node-config "$SRC_DIR/configs/tree.ini" --node-count 5 \
        --time-limit 6 --rate 10 --latency 50 --nemesis partition --nemesis-interval 2 \
        --recovery-wait 0 --seed "$seed" --store "part$seed" >"part$seed.out" 2>&1 || rc=$?
    [ "$rc" -le 1 ] || fail "seed $seed: exit status $rc"
    d="$(readlink -f "part$seed/latest")"
    same_verdict "$d"
    if [ "$rc" -eq 0 ] && grep -q '^converged         no: ' "part$seed.out"; then
        valid_behind=$((valid_behind + 1))
    fi
done
step "partitions without recovery: valid while nodes lack values"
[ "$valid_behind" -ge 1 ] || fail "no seed gave a valid run with nodes lacking values"

check "the same with the recovery wait: converged" "$H" test -w broadcast --virtual \
    --node-config "$SRC_DIR/configs/tree.ini" --node-count 5 --time-limit 6 --rate 10 \
    --latency 50 --nemesis partition --nemesis-interval 2 --seed 1 --store healed >healed.out
matches healed.out '^converged         yes: all 5 nodes have the [1-9][0-9]* known values$'
finish
