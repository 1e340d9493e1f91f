#!/usr/bin/env bash
# experiments_best: proves best.sh's search on a synthetic cost function whose optimum is known,
# then on the real virtual runner that the winner's figures come back when its INI is run again.
#
# The synthetic harness (a script standing in for `harness test`, the real node's loader still
# judging every INI) gives, for strategy s, batch timeout T, delivery mode m and seed k:
#   msgs/op = 1000 / (T + 10), halved for fire-and-forget, doubled for tree;
#   p50 = 100 + 2T + k ms, max = 150 + 3T + k ms, both +200 ms for tree;
#   under --nemesis partition, fire-and-forget loses values (invalid);
#   at T = 147 with acks, seeds 3 and up end with a node lacking values (nodes_lacking 1).
# With --limits 30,400,600 and seeds 1..2 the cheapest configuration inside the limits is
# T = 148 (p50 < 400 needs 2T + k < 300); tree never is. On seeds 1..5 T = 148 fails (seed 4)
# and T = 147 does not converge. So from the coarse grid T = 0,100,200,400 the search must drop
# the family star,*,fire-and-forget at once (its best, T = 100, loses values under partition:
# before any refinement), refine star, acks from T = 100 to T = 148, find 148 outside the limits
# on seeds 1..5 (from then on every configuration is judged on seeds 1..5), run seeds 3..5 of
# T = 147 (inside on seeds 1..2) and drop it for not converging, and, refining again on five
# seeds, report star, acks, T = 146: every step of the search on the way. With a synthetic
# "process" runner 60 ms slower in max, T = 146 fails there and the search goes on to T = 129
# (its family's margin: the 56 ms gap); 500 ms slower, no candidate is left (exit 1). Then, on
# the real virtual runner with GNU parallel on ':' as the executor, the winner's INI run again
# gives the figures best.sh printed.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
best="$SRC_DIR/experiments/best.sh"
setup_work_dir

step "the synthetic harness"
mkdir -p synth || fail "mkdir synth"
ln -s "$BIN_DIR/broadcast-node" "$BIN_DIR/gl-fit" synth/ || fail "link the node and gl-fit"
cat >synth/harness <<EOF || fail "write synth/harness"
#!/usr/bin/env bash
# A harness whose results are the synthetic cost function of experiments_best.sh.
set -eu
case "\$1" in
results)
    [[ "\$2" != --csv-header ]] || exec "$BIN_DIR/harness" results --csv-header
    cat "\$2"
    exit 0
    ;;
test) shift ;;
*) exit 64 ;;
esac
ini="" seed=0 store="" nemesis="" extra=0
while ((\$# > 0)); do
    case "\$1" in
    --node-config) ini="\$2" && shift 2 ;;
    --bin) ini="\$3" extra="\${SYNTH_PROCESS_EXTRA_MS:-0}" && shift 3 ;;
    --seed | --store | --nemesis) printf -v "\${1#--}" '%s' "\$2" && shift 2 ;;
    *) shift ;;
    esac
done
mkdir -p "\$store/broadcast/run"
rc=0
awk -v k="\$seed" -v nemesis="\$nemesis" -v extra="\$extra" -v out="\$store/broadcast/run/results.json" '
    /^strategy = / { s = \$3 } /^timeout_ms = / { t = \$3 } /^mode = / { m = \$3 }
    END {
        mpo = 1000 / (t + 10); tree = 0
        if (m == "fire-and-forget") mpo /= 2
        if (s == "tree") { mpo *= 2; tree = 200 }
        p50 = 100 + tree + 2 * t + k; max = 150 + tree + extra + 3 * t + k
        bad = nemesis == "partition" && m == "fire-and-forget"
        lacking = s == "star" && t == 147 && m == "acks" && k >= 3
        printf "100,%.4f,%.4f,0,%d,%d,%d,%d,%d,%s,%d,%d\\n", mpo, mpo, p50, p50, p50, max, bad ? 3 : 0, bad ? "false" : "true", lacking, lacking * 5 >out
        exit bad
    }' "\$ini" || rc=\$?
echo "store: \$store/broadcast/run"
exit "\$rc"
EOF
chmod +x synth/harness || fail "chmod synth/harness"
cat >space.txt <<'EOF' || fail "write space.txt"
# the synthetic search space
--set topology.strategy=star,tree
--set delivery.mode=acks,fire-and-forget
--set batch.timeout_ms=0,100,200,400
EOF

executor=local
args=(--limits "30,400,600" --space space.txt --runner process --out "$executor")
check "best.sh on the synthetic cost function ($executor)" env GL_BIN_DIR="$WORK_DIR/synth" \
    "$best" "${args[@]}" >"$executor.out" 2>"$executor.err"
step "the search's path and winner ($executor)"
has_line "$executor.out" "best.sh: limits: msgs-per-op < 30, p50 < 400 ms, max < 600 ms, every run (seeds 1..2 x 1 workload points)"
has_line "$executor.out" "re-check failed: topology.strategy=star batch.timeout_ms=100 delivery.mode=fire-and-forget: not valid under --nemesis partition: its family (the configurations that differ from it only in integer values) is dropped"
has_line "$executor.out" "re-check failed: topology.strategy=star batch.timeout_ms=148 delivery.mode=acks: outside the limits on seeds 1..5 (msgs/op 6.33 [6.33..6.33], p50 399 ms [397..401], max 597 ms [595..599], 5 runs); from now on every configuration is judged on seeds 1..5"
count_lines "$executor.out" "^re-check failed" 2
has_line "$executor.out" "winner: topology.strategy=star batch.timeout_ms=146 delivery.mode=acks"
has_line "$executor.out" "  search (seeds 1..2): msgs/op 6.41 [6.41..6.41], p50 394 ms [393..394], max 590 ms [589..590], 2 runs"
has_line "$executor.out" "  re-check (seeds 1..5): msgs/op 6.41 [6.41..6.41], p50 395 ms [393..397], max 591 ms [589..593], 5 runs"
has_line "$executor.out" "  under --nemesis partition (seeds 1..2): msgs/op 6.41 [6.41..6.41], p50 394 ms [393..394], max 590 ms [589..590], 2 runs, every run valid, nothing lost"
has_line "$executor.out" "  process runner, seed 1: msgs/op 6.41 [6.41..6.41], p50 393 ms [393..393], max 589 ms [589..589], 1 run: inside the limits; valid under partition"
dir="$(sed -n 's/^results: \([^ ]*\) .*/\1/p' "$executor.out")"
has_line "$dir/best.ini" "timeout_ms = 146"
has_line "$dir/best.ini" "mode = acks"
has_line "$dir/best.ini" "strategy = star"
check "$executor: its frontier figure" test -s "$dir/frontier.png" -a -s "$dir/frontier.svg"
step "the seeds T = 147 lacked, run once it came up again, and its nodes lacking values"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["batch.timeout_ms"] == 147 && $c["delivery.mode"] == "acks" { s = s " " $c["seed"] ":" $c["nodes_lacking"] }
    END { print s }' "$dir/sweep.csv" >seeds147
same_text " 1:0 2:0 3:1 4:1 5:1" seeds147
check "a stage of seeds 3..5" test -d "$(echo "$dir"/stages/*-seeds-5)"
ls "$dir"/stages/*-seeds-5/runs >seeds5 || fail "no runs in the seeds-5 stage"
sed 's/.*-s\([0-9]*\)$/\1/' seeds5 | sort -u | paste -sd' ' >seeds5.got
same_text "3 4 5" seeds5.got

# ---- a winner that fails on the final runner: the search goes on ------------------------------
# The synthetic "process" runner (--bin) adds 60 ms to every maximum: the virtual winner T = 146
# (max 589..593 ms on seeds 1..5) gives 649 ms there, a gap of 56 ms over its worst virtual run:
# it is dropped and its family (star, acks) must keep max < 600 - 56 = 544 ms in virtual time,
# so the search goes on to T = 129 (worst 542 ms; 598 ms on the "process" runner): inside.
gap_args=(--limits "30,400,600" --space space.txt --runner process)
check "best.sh whose winner fails on the final runner" env SYNTH_PROCESS_EXTRA_MS=60 \
    GL_BIN_DIR="$WORK_DIR/synth" "$best" "${gap_args[@]}" --out gap >gap.out 2>gap.err
step "the final runner's rejection and the next winner"
has_line gap.out "re-check failed: topology.strategy=star batch.timeout_ms=146 delivery.mode=acks: on the process runner (seed 1: msgs/op 6.41 [6.41..6.41], p50 393 ms [393..393], max 649 ms [649..649], 1 run): outside the limits there; worst run against virtual time's on seeds 1..5: max 649 against 593 ms (+56): dropped, with its family's configurations with less margin than that gap (the family now needs max < 544 ms: 10 of those tried so far, itself included, dropped)"
count_lines gap.out "^re-check failed" 3
has_line gap.out "winner: topology.strategy=star batch.timeout_ms=129 delivery.mode=acks"
has_line gap.out "  re-check (seeds 1..5): msgs/op 7.19 [7.19..7.19], p50 361 ms [359..363], max 540 ms [538..542], 5 runs"
has_line gap.out "  process runner, seed 1: msgs/op 7.19 [7.19..7.19], p50 359 ms [359..359], max 598 ms [598..598], 1 run: inside the limits; valid under partition"
contains gap.out "(and 2 winners re-checked on the process runner)"
step "no candidate left: exit status 1, every rejection listed"
# 500 ms more: the star with acks would need max < 600 - 507 = 93 ms, which none has.
must_fail 1 env SYNTH_PROCESS_EXTRA_MS=500 GL_BIN_DIR="$WORK_DIR/synth" "$best" "${gap_args[@]}" \
    --out none >none.out 2>none.err
has_line none.out "re-check failed: topology.strategy=star batch.timeout_ms=146 delivery.mode=acks: on the process runner (seed 1: msgs/op 6.41 [6.41..6.41], p50 393 ms [393..393], max 1089 ms [1089..1089], 1 run): outside the limits there; worst run against virtual time's on seeds 1..5: max 1089 against 593 ms (+496): dropped, with its family's configurations with less margin than that gap (the family now needs max < 104 ms: 16 of those tried so far, itself included, dropped)"
has_line none.out "winner: none: no configuration of the space passed (see $(sed -n 's/^results: //p' none.out)/summary.csv)"

# ---- the real virtual runner, GNU parallel on ':': the winner's figures come back ---------------
printf -- '--set topology.strategy=star\n--set batch.timeout_ms=0,100,200\n' >real.txt ||
    fail "write real.txt"
echo ":" >logins || fail "write logins"
check "best.sh on the virtual runner" env GL_BIN_DIR="$BIN_DIR" "$best" 3d --space real.txt \
    --time-limit 3 --recovery-wait 1 --executor parallel --sshloginfile logins --out real \
    >real.out 2>real.err
step "GNU parallel ran every stage"
stages=(real/latest-best/stages/*/)
logs=(real/latest-best/stages/*/parallel.log)
check "a job log per stage" test "${#logs[@]}" -eq "${#stages[@]}" -a "${#stages[@]}" -ge 3
step "the winner's figures, reproduced by its INI"
repro="$(grep -A1 '^reproduce (seed 1 gave: ' real.out | tail -n 1)"
gave="$(sed -n 's/^reproduce (seed 1 gave: \(.*\), 1 run):$/\1/p' real.out)"
[[ "$repro" == *" --node-config "*/best.ini" "* && -n "$gave" ]] || fail "no reproduce line in real.out"
read -r -a cmd <<<"$repro"
check "the reproduce command" "${cmd[@]}" --store again >again.out 2>again.err
"$BIN_DIR/harness" results "$(sed -n 's/^store: //p' again.out)/results.json" --csv >again.csv ||
    fail "cannot read the results again"
IFS=, read -r _ mpo _ _ p50 _ _ max _ _ <again.csv
step "the winner's figures, reproduced by its INI"
same_text "msgs/op $(printf '%.2f [%.2f..%.2f]' "$mpo" "$mpo" "$mpo"), p50 $p50 ms [$p50..$p50], max $max ms [$max..$max]" <(echo "$gave")
finish
