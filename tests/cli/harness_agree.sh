#!/usr/bin/env bash
# Proves the two drivers feed the same world.
#  1. The same small test (grid and tree, acks, no batching) on real processes and in virtual
#     time gives identical op counts and msgs-per-op. Op counts match because the same seed draws
#     the same op sequence and gaps; the test picks a seed whose last op leaves >= 100 ms before
#     the cutoff, so the real-time lateness of each dispatch (well under 1 ms) cannot push an op
#     across it.
#  2. At a higher rate (~100 broadcasts) the stable-latency median and 95th percentile agree
#     within 15 ms, half a hop. Why: in virtual time a hop costs exactly --latency (30 ms); on
#     real processes it also costs a pipe write, a wake-up and the node's work (well under 1 ms),
#     and a read that starts within that margin of a value's arrival sees it in one run and misses
#     it in the other, moving that element's latency by up to one hop. The median and p95 rest on
#     many elements and move by a few ms (measured: at most 9); the max rests on one and is not
#     compared.
#  3. Maelstrom's timing reaches real processes as it does virtual cores: the same seed sends
#     each node its init from the same client (the clients are named in the order of the seeded
#     offsets), never before its offset (real time may be later: a loaded machine once held all
#     but the first back by 8 ms); and with batching at T = 2 x latency, where a batch or an ack
#     arrives within a millisecond of a tick, the stable-latency median and 95th percentile agree
#     within 20 ms (measured: at most 11, with the machine's load average at 8.5).
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
H="$BIN_DIR/harness"
setup_work_dir
common=(--node-count 9 --time-limit 4 --latency 30 --recovery-wait 1)

# Margin (ns) between the last main-phase invocation and the cutoff = first op + time limit.
margin_ns() {
    awk -F'[:,]' '/"type":"invoke"/ && !/final/ {
        for (i = 1; i < NF; i++) if ($i == "\"time\"") t = $(i + 1)
        if (first == "") first = t; last = t }
        END { printf "%d\n", first + 4000000000 - last }' "$1"
}

# The awk checks below name what differs on stdout, sent to the test's stderr.
for strategy in grid tree; do
    printf '[topology]\nstrategy = %s\n[delivery]\nmode = acks\n' "$strategy" >"$strategy.ini"
    seed=""
    for s in $(seq 1 40); do
        check "$strategy: virtual run, seed $s" "$H" test -w broadcast --virtual \
            --node-config "$strategy.ini" "${common[@]}" --rate 10 --seed "$s" \
            --store "v-$strategy" >/dev/null
        margin="$(margin_ns "v-$strategy/latest/history.jsonl")"
        if [ "$margin" -ge 100000000 ]; then
            seed=$s
            break
        fi
    done
    check "$strategy: a seed with a 100 ms margin in 1..40" test -n "$seed"
    check "$strategy: process run, seed $seed" "$H" test -w broadcast --bin "$BIN_DIR/broadcast-node" \
        "$PWD/$strategy.ini" "${common[@]}" --rate 10 --seed "$seed" --store "p-$strategy" >/dev/null
    rechecks "v-$strategy/latest"
    rechecks "p-$strategy/latest"
    check "$strategy: virtual results" "$H" results "v-$strategy/latest/results.json" --csv >"v-$strategy.csv"
    check "$strategy: process results" "$H" results "p-$strategy/latest/results.json" --csv >"p-$strategy.csv"
    echo "$strategy seed $seed: virtual $(cat "v-$strategy.csv") process $(cat "p-$strategy.csv")"
    # shellcheck disable=SC2016 # an awk program, run by check
    check "$strategy: the same ops and msgs-per-op, both valid" awk -F, '
        NR == FNR { for (i = 1; i <= NF; i++) v[i] = $i; next }
        { if ($1 != v[1] || $2 != v[2] || $3 != v[3]) { print "FAIL: ops/msgs-per-op differ"; exit 1 }
          if ($10 != "true" || v[10] != "true") { print "FAIL: not valid"; exit 1 } }' \
        "v-$strategy.csv" "p-$strategy.csv" >&2
done

printf '[topology]\nstrategy = grid\n[delivery]\nmode = acks\n' >grid.ini
check "latency: virtual run" "$H" test -w broadcast --virtual --node-config grid.ini \
    "${common[@]}" --rate 50 --seed 1 --store v-lat >/dev/null
check "latency: process run" "$H" test -w broadcast --bin "$BIN_DIR/broadcast-node" "$PWD/grid.ini" \
    "${common[@]}" --rate 50 --seed 1 --store p-lat >/dev/null
rechecks v-lat/latest
rechecks p-lat/latest
check "latency: virtual results" "$H" results v-lat/latest/results.json --csv >v-lat.csv
check "latency: process results" "$H" results p-lat/latest/results.json --csv >p-lat.csv
echo "latency: virtual $(cat v-lat.csv) process $(cat p-lat.csv)"
# shellcheck disable=SC2016 # an awk program, run by check
check "latency: median and p95 within 15 ms, both valid" awk -F, -v tol=15 '
    NR == FNR { for (i = 1; i <= NF; i++) v[i] = $i; next }
    { for (i = 5; i <= 6; i++) { d = $i - v[i]; if (d < 0) d = -d
          if (d > tol) { print "FAIL: stable latency column " i " differs by " d " ms"; exit 1 } }
      if ($10 != "true" || v[10] != "true") { print "FAIL: not valid"; exit 1 } }' \
    v-lat.csv p-lat.csv >&2
# 3. Timing: a batched tree at T = 2 x latency.
printf '[topology]\nstrategy = tree\n[batch]\ntimeout_ms = 60\n[delivery]\nmode = acks\n' >t60.ini
check "timing: virtual run" "$H" test -w broadcast --virtual --node-config t60.ini \
    "${common[@]}" --rate 50 --seed 1 --store v-t60 >/dev/null
check "timing: process run" "$H" test -w broadcast --bin "$BIN_DIR/broadcast-node" "$PWD/t60.ini" \
    "${common[@]}" --rate 50 --seed 1 --store p-t60 >/dev/null
# Per node: the init's client and its send and receive times (us), from each journal.
inits() {
    awk -F'[:,"]+' '/"type":"init"/ {
        for (i = 2; i < NF; i++) f[$i] = $(i + 1)
        print f["dest"], f["src"], int(f["send_ns"] / 1000), int(f["recv_ns"] / 1000) }' "$1" |
        sort
}
check "timing: virtual inits" inits v-t60/latest/journal.jsonl >v-inits
check "timing: process inits" inits p-t60/latest/journal.jsonl >p-inits
# shellcheck disable=SC2016 # an awk program, run by check
check "timing: each node's init from the same client, never before its offset" awk '
    NR == FNR { c[$1] = $2; t[$1] = $3; next }
    { if (c[$1] != $2) { print "FAIL: " $1 " init from " $2 ", virtually from " c[$1]; exit 1 }
      if ($3 < t[$1]) { print "FAIL: " $1 " init sent at " $3 " us, offset " t[$1]; exit 1 } }' \
    v-inits p-inits >&2
check "timing: virtual results" "$H" results v-t60/latest/results.json --csv >v-t60.csv
check "timing: process results" "$H" results p-t60/latest/results.json --csv >p-t60.csv
echo "timing: virtual $(cat v-t60.csv) process $(cat p-t60.csv)"
# Sanitized nodes (GL_SANITIZE=1, the asan preset) take several times longer per message than
# the virtual model's --node-delay-us, and lose more of the 1.5 ms ack/tick races: a wider margin.
tol_ms=20
[ "${GL_SANITIZE:-0}" = 1 ] && tol_ms=40
# shellcheck disable=SC2016 # an awk program, run by check
check "timing: median and p95 within $tol_ms ms, both valid" awk -F, -v tol="$tol_ms" '
    NR == FNR { for (i = 1; i <= NF; i++) v[i] = $i; next }
    { for (i = 5; i <= 6; i++) { d = $i - v[i]; if (d < 0) d = -d
          if (d > tol) { print "FAIL: stable latency column " i " differs by " d " ms"; exit 1 } }
      if ($10 != "true" || v[10] != "true") { print "FAIL: not valid"; exit 1 } }' \
    v-t60.csv p-t60.csv >&2
finish
