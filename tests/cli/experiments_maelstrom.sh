#!/usr/bin/env bash
# experiments_maelstrom: proves the maelstrom runner's whole path without a Maelstrom: a fake
# `maelstrom` (given as MAELSTROM) checks that it is called as `maelstrom test -w broadcast
# --bin <broadcast-node> <ini> --node-count 25 ...` and leaves a real Maelstrom results.edn
# (fixture F2, or F3 under --nemesis partition) in store/latest/ of its working directory, as
# Maelstrom does; sweep.sh and challenge.sh must then report exactly the fixture's figures, read
# through `harness results --csv`. challenge.sh's table is compared whole: F2 fails 3d's latency
# limits, F3 loses 6 values.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
export GL_BIN_DIR="$BIN_DIR"
fixtures="$SRC_DIR/tests/fixtures/maelstrom"
setup_work_dir

step "write the fake maelstrom"
mkdir -p fake || fail "mkdir fake"
cat >fake/maelstrom <<EOF || fail "write fake/maelstrom"
#!/usr/bin/env bash
# A stand-in for Maelstrom: checks its command line, records it (paths reduced to their names)
# in its working directory, and writes a real results.edn where Maelstrom writes it.
set -eu
[[ "\$1 \$2 \$3 \$4" == "test -w broadcast --bin" && -x "\$5" && -f "\$6" ]] || {
    echo "fake maelstrom: unexpected command line: \$*" >&2
    exit 254
}
{ echo "\$(basename "\$5") \$(basename "\$6")"; grep -E '^(strategy|timeout_ms) =' "\$6"; echo "\${*:7}"; } >args.txt
fixture="$fixtures/Emmanuel32__distributed-systems-practice__broadcast-3d-n25-rate100-lat100.edn"
rc=0
if [[ " \$* " == *" --nemesis partition "* ]]; then
    fixture="$fixtures/imperfect-fourth__gossip-glomers__broadcast-3c-n5-partition-lost.edn"
    rc=1
fi
run=store/broadcast/20230511T034056.607-0400
mkdir -p "\$run" && cp "\$fixture" "\$run/results.edn" && ln -sfn broadcast/20230511T034056.607-0400 store/latest
exit "\$rc"
EOF
chmod +x fake/maelstrom || fail "chmod fake/maelstrom"
export MAELSTROM="$WORK_DIR/fake/maelstrom"

# ---- sweep.sh --runner maelstrom -----------------------------------------------------------
check "sweep with the fake maelstrom" "$SRC_DIR/experiments/sweep.sh" --runner maelstrom \
    --strategies tree --timeouts 0,100 --seeds 1 --jobs 1 --time-limit 3 --out results \
    >sweep.out 2>sweep.err
cat >expected_rows <<'EOF'
tree,0,1,maelstrom,2009,27.874565,29.924341,0,450,677,744,795,0,true,,
tree,100,1,maelstrom,2009,27.874565,29.924341,0,450,677,744,795,0,true,,
EOF
step "sweep.csv carries the fixture's figures"
tail -n +2 results/latest/sweep.csv | cut -d, -f1-16 >rows
same_file expected_rows rows
tail -n +2 results/latest/sweep.csv | cut -d, -f20,21 >status
printf 'ok,\nok,\n' >expected_status
same_file expected_status status
cat >expected_args <<'EOF'
broadcast-node node.ini
strategy = tree
timeout_ms = 100
--node-count 25 --time-limit 3 --rate 100 --latency 100
EOF
step "maelstrom's command line"
same_file expected_args results/latest/runs/tree-T100-s1/work/args.txt
matches results/latest/runs/tree-T100-s1/run.env '^note=maelstrom has no --seed'
check "the sweep's figures" test -s results/latest/latency.png
check "the sweep's figures" test -s results/latest/pareto.svg

# ---- challenge.sh --runner maelstrom -------------------------------------------------------
step "challenge.sh 3d with the fake maelstrom fails its criteria: exit status 1"
must_fail 1 "$SRC_DIR/experiments/challenge.sh" 3d --runner maelstrom --out results \
    >challenge.out 2>challenge.err
cat >expected_table <<'EOF'
run        criterion              limit      measured   verdict
normal     msgs-per-op (servers)  < 30       27.874565  pass
normal     median stable latency  < 400 ms   450 ms     FAIL
normal     max stable latency     < 600 ms   795 ms     FAIL
normal     lost values            = 0        0          pass
normal     valid                  true       true       pass
partition  msgs-per-op (servers)  -          5.029851   info
partition  median stable latency  -          0 ms       info
partition  max stable latency     -          29975 ms   info
partition  lost values            = 0        6          FAIL
partition  valid                  true       false      FAIL
result: FAIL (3 of 7 criteria passed)
EOF
step "challenge.sh's table with the fake maelstrom"
sed -n '2,13p' challenge.out >table
same_file expected_table table
matches challenge.out '^challenge 3d: centred-tree.ini (.*/configs/centred-tree.ini), maelstrom runner, seed 1'
args=(results/challenge-3d-*/partition/work/args.txt)
check "challenge.sh's partition run: one, on maelstrom" test "${#args[@]}" -eq 1
has_line "${args[0]}" '--node-count 25 --time-limit 20 --rate 100 --latency 100 --nemesis partition'
finish
