#!/usr/bin/env bash
# experiments_sweep: proves experiments/sweep.sh end to end on a tiny sweep (2 strategies x 2
# batch timeouts x 1 seed, virtual runner, 3 s): sweep.csv has the documented header and one
# sane row per run in a fixed order (with the host that ran it), every run keeps its config,
# seed, git revision and store (which holds the exact INI),
# fit.csv and summary.csv have their shape, the eight figures are real PNG and SVG files, and
# `latest` points at the result. gl-fit gives the exact answer on synthetic data. A sweep with a
# node that fails for one strategy (process runner) records that run as failed with its reason,
# finishes the others, counts the failure in its summary and exits 1.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
sweep="$SRC_DIR/experiments/sweep.sh"
export GL_BIN_DIR="$BIN_DIR"
setup_work_dir

# ---- the tiny sweep ----------------------------------------------------------------------------
check "the tiny sweep" "$sweep" --strategies tree,flat --timeouts 0,100 --seeds 1 --jobs 2 \
    --time-limit 3 --recovery-wait 1 --out results >sweep.out 2>sweep.err
step "results/latest"
out="$(readlink -f results/latest)"
check "results/latest is a directory" test -d "$out"
check "results/latest is in results/" test "$(dirname "$out")" = "$(readlink -f results)"

cat >expected_header <<'EOF'
topology.strategy,batch.timeout_ms,seed,runner,ops,msgs_per_op_servers,msgs_per_op_all,stable_p0,stable_p50,stable_p95,stable_p99,stable_max,lost,valid,nodes_lacking,values_lacking,wall_s,git_rev,host,status,reason
EOF
step "sweep.csv header"
head -n 1 "$out/sweep.csv" >header
same_file expected_header header

# One row per run, in the order strategies x timeouts x seeds, all ok.
step "sweep.csv rows"
printf '%s\n' tree,0,1,virtual tree,100,1,virtual flat,0,1,virtual flat,100,1,virtual >expected_runs
tail -n +2 "$out/sweep.csv" | cut -d, -f1-4 >runs
same_file expected_runs runs

# Sane values: every run valid, nothing lost, quantiles ordered, flat (24 peers, acks) costs
# 20..26 server messages per op whatever T, batching cuts the tree's messages and adds latency,
# flat's unbatched maximum is about one hop (100 ms). awk names each problem on stdout, sent to
# the test's stderr.
tail -n +2 "$out/sweep.csv" >rows
# shellcheck disable=SC2016 # an awk program, run by check
check "sweep.csv values" awk -F, '
    NF != 21 { print "row " NR ": " NF " fields"; bad = 1 }
    $20 != "ok" || $21 != "" || $14 != "true" || $13 != 0 { print "row " NR ": not ok"; bad = 1 }
    $15 != 0 || $16 != 0 { print "row " NR ": nodes lack values at the final reads"; bad = 1 }
    $19 != host { print "row " NR ": host " $19 ", not " host; bad = 1 }
    !($5 > 300 && $6 > 0 && $7 > $6) { print "row " NR ": ops or msgs-per-op"; bad = 1 }
    !($8 <= $9 && $9 <= $10 && $10 <= $11 && $11 <= $12) { print "row " NR ": quantiles"; bad = 1 }
    !($17 > 0) || !(length($18) == 40 && $18 ~ /^[0-9a-f]+$/ || $18 == "unknown") { print "row " NR ": wall or git"; bad = 1 }
    { mpo[$1 $2] = $6; p50[$1 $2] = $9; max[$1 $2] = $12 }
    END {
        if (!(mpo["flat0"] > 20 && mpo["flat0"] < 26 && mpo["flat100"] > 20)) { print "flat mpo"; bad = 1 }
        if (!(mpo["tree100"] < mpo["tree0"] / 2)) { print "tree batching saves nothing"; bad = 1 }
        if (!(p50["tree100"] > p50["tree0"] && max["tree100"] > max["tree0"])) { print "tree latency"; bad = 1 }
        if (!(max["flat0"] >= 50 && max["flat0"] < 200)) { print "flat max"; bad = 1 }
        exit bad
    }' host="$(uname -n)" rows >&2

# Every run keeps its config, seed, revision, command and store.
for run in tree-T0-s1 tree-T100-s1 flat-T0-s1 flat-T100-s1; do
    d="$out/runs/$run"
    t="${run#*-T}" && t="${t%-s1}"
    step "run directory $run"
    has_line "$d/node.ini" "timeout_ms = $t"
    has_line "$d/run.env" 'seed=1'
    matches "$d/run.env" '^git_rev='
    matches "$d/run.env" '^command=.*harness test -w broadcast --virtual'
    check "run directory $run: its store" ls "$d"/store/broadcast/*/results.json >/dev/null
    step "run directory $run: the store keeps the run's exact INI"
    same_file "$d/node.ini" "$(ls -d "$d"/store/broadcast/2*/)node.ini"
done
step "configs, sweep.env"
same_file "$out/configs/tree-T100.ini" "$out/runs/tree-T100-s1/node.ini"
has_line "$out/configs/tree-T100.ini" 'strategy = tree'
has_line "$out/configs/tree-T100.ini" 'mode = acks'
matches "$out/sweep.env" '^git_rev='
has_line "$out/sweep.env" 'runs=4'

# fit.csv: one line per strategy and quantile; two timeouts fit exactly, without errors.
cat >expected_fit_keys <<'EOF'
group,strategy,metric,n,r2,se_k,se_b,quality
tree,tree,p50,2,1.0000,,,good
tree,tree,p95,2,1.0000,,,good
tree,tree,max,2,1.0000,,,good
flat,flat,p50,2,1.0000,,,good
flat,flat,p95,2,1.0000,,,good
flat,flat,max,2,1.0000,,,good
EOF
step "fit.csv"
cut -d, -f1-4,7- "$out/fit.csv" >fit_keys
same_file expected_fit_keys fit_keys
step "summary.csv"
check "summary.csv: a header and a line per strategy and timeout" test "$(wc -l <"$out/summary.csv")" -eq 5
head -n 1 "$out/summary.csv" >summary_header
same_text 'group,strategy,timeout_ms,n,failed,mpo_mean,mpo_min,mpo_max,p50_mean,p50_min,p50_max,p95_mean,p95_min,p95_max,max_mean,max_min,max_max,nodes_lacking_max' summary_header

# The figures: real, non-empty PNG and SVG files.
printf '\211PNG\r\n\032\n' >png_magic
for fig in latency msgs pareto frontier; do
    check "figure $fig: a PNG file" test -s "$out/$fig.png"
    check "figure $fig: an SVG file" test -s "$out/$fig.svg"
    step "figure $fig: real PNG and SVG"
    head -c 8 "$out/$fig.png" >magic
    same_file png_magic magic
    contains "$out/$fig.svg" '<svg'
    contains "$out/$fig.svg" '</svg>'
done
step "the summary"
has_line sweep.out 'figures: latency.png latency.svg msgs.png msgs.svg pareto.png pareto.svg frontier.png frontier.svg (topologies: topology-flat.png topology-tree.png)'
for s in tree flat; do
    step "the topology of $s: topogen's data for 25 nodes, drawn"
    matches "$out/topology-$s.dat" "^# topogen drawing data: $s, 25 nodes"
    head -c 8 "$out/topology-$s.png" >magic
    same_file png_magic magic
    contains "$out/topology-$s.svg" '</svg>'
done
has_line sweep.out 'runs: 4 ok, 0 invalid, 0 unknown, 0 failed'
matches sweep.out "^results: $out "

# ---- gl-fit on synthetic data with an exact answer ---------------------------------------------
{
    echo "strategy,timeout_ms,seed,msgs_per_op_servers,stable_p50,stable_p95,stable_max,status"
    for t in 0 10 20 50 100 200 300 500 1000; do
        echo "line,$t,1,$((50 - t / 25)),$((2 * t + 100)),$((3 * t + 150)),$((4 * t + 200)),ok"
    done
    echo "line,75,1,,,,,failed"
} >synthetic.csv
cat >expected_synthetic_fit <<'EOF'
group,strategy,metric,n,k,b,r2,se_k,se_b,quality
line,line,p50,9,2.0000,100.0000,1.0000,0.0000,0.0000,good
line,line,p95,9,3.0000,150.0000,1.0000,0.0000,0.0000,good
line,line,max,9,4.0000,200.0000,1.0000,0.0000,0.0000,good
EOF
check "gl-fit exact fit" "$BIN_DIR/gl-fit" -o synthetic_fit.csv synthetic.csv 2>gl-fit.err
same_file expected_synthetic_fit synthetic_fit.csv
has_line gl-fit.err 'gl-fit: 9 runs used, 1 skipped (failed or not ok)'

# ---- a failing run is recorded, the sweep goes on ----------------------------------------------
step "a fake node that refuses the flat strategy"
mkdir -p fakebin || fail "mkdir fakebin"
ln -s "$BIN_DIR/harness" "$BIN_DIR/gl-fit" fakebin/ || fail "link the real harness and gl-fit"
cat >fakebin/broadcast-node <<EOF || fail "write fakebin/broadcast-node"
#!/usr/bin/env bash
# A node that refuses to run the flat strategy, else the real node. Its flags (--list-strategies,
# --list-keys, --check-config FILE, which the scripts ask before any run) are the real node's.
case "\$1" in -*) exec "$BIN_DIR/broadcast-node" "\$@" ;; esac
if grep -qx 'strategy = flat' "\$1"; then echo "broken on purpose" >&2; exit 3; fi
exec "$BIN_DIR/broadcast-node" "\$@"
EOF
chmod +x fakebin/broadcast-node || fail "chmod fakebin/broadcast-node"
step "a sweep with a failed run exits 1"
GL_BIN_DIR="$WORK_DIR/fakebin" must_fail 1 "$sweep" --runner process --strategies flat,tree \
    --timeouts 0 --seeds 1 --node-count 1 --rate 10 --latency 0 --time-limit 1 --recovery-wait 0 \
    --out failing >failing.out 2>failing.err
f="failing/latest/sweep.csv"
check "the failed run's row and summary: a header and two rows" test "$(wc -l <"$f")" -eq 3
step "the failed run's row and summary"
matches "$f" '^flat,0,1,process,,,,,,,,,,,,,[0-9.]*,[0-9a-f]*,[^,]*,failed,harness test: the test did not complete: node n0 crashed: exit status 3; last stderr lines: broken on purpose$'
matches "$f" '^tree,0,1,process,[0-9]*,.*,true,0,0,[0-9.]*,[0-9a-f]*,[^,]*,ok,$'
has_line failing.out 'runs: 1 ok, 0 invalid, 0 unknown, 1 failed'
matches failing.out '^  flat T=0 seed 1: failed: harness test: the test did not complete'
has_line failing/latest/runs/flat-T0-s1/store/broadcast/latest/node-logs/n0.log 'broken on purpose'
step "the fake node's flags are the real node's"
lacks failing.err 'unrecognized option'
lacks sweep.out 'convergence:'

# Partitions and no recovery wait: nodes lack values at the final reads, and the summary says so.
step "a sweep whose nodes lack values"
must_fail 1 "$sweep" --strategies tree --timeouts 0 --seeds 2 --jobs 2 --time-limit 3 \
    --recovery-wait 0 --nemesis partition --out behind >behind.out 2>behind.err
has_line behind.out 'convergence: in 2 of 2 runs some node lacked values at the final reads (column nodes_lacking)'
finish
