#!/usr/bin/env bash
# Proves `harness test --virtual` is deterministic to the byte (same seed: identical history,
# results and journal; another seed: a different history), that usage errors exit 254 with a
# precise message, and that the exit status follows the results (1 when values are lost).
set -eu -o pipefail
: "${BIN_DIR:?}" "${SRC_DIR:?}" "${WORK_DIR:?}"
H="$BIN_DIR/harness"
rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR" && cd "$WORK_DIR"

run() { # store seed [extra args...]
    local store=$1 seed=$2
    shift 2
    "$H" test -w broadcast --virtual --node-config "$SRC_DIR/configs/centred-tree-batched.ini" \
        --node-count 9 --time-limit 5 --rate 40 --latency 20 --latency-dist exponential \
        --nemesis partition --nemesis-interval 2 --recovery-wait 2 --seed "$seed" \
        --store "$store" "$@" >"$store.out"
}

run a 7 && run b 7 && run c 8 &&
for f in history.jsonl history.edn results.json results.edn journal.jsonl; do
    cmp "a/latest/$f" "b/latest/$f" || { echo "FAIL: $f differs for the same seed"; exit 1; }
done &&
if cmp -s a/latest/history.jsonl c/latest/history.jsonl; then
    echo "FAIL: seeds 7 and 8 gave the same history"; exit 1
fi &&
grep -q '^valid? *true' a.out && grep -q "^store: " a.out

# --no-history: results without the history files.
"$H" test -w broadcast --virtual --node-count 3 --time-limit 2 --store nh --no-history >nh.out &&
[ -f nh/latest/results.json ] && [ ! -e nh/latest/history.jsonl ] && [ ! -e nh/latest/history.edn ]

# Usage errors: exit 254 and a message naming the problem.
expect_usage() { # expected-message args...
    local want=$1 status=0
    shift
    "$H" test "$@" >usage.out 2>usage.err || status=$?
    [ "$status" -eq 254 ] || { echo "FAIL: '$*' exited $status, not 254"; exit 1; }
    grep -qF -- "$want" usage.err || { echo "FAIL: '$*' said:"; cat usage.err; exit 1; }
}
expect_usage "unknown option '--frobnicate'" -w broadcast --virtual --frobnicate 3
expect_usage "unsupported workload 'lin-kv'" --virtual
expect_usage "unsupported workload 'kafka'" -w kafka --virtual
expect_usage "--bin is required" -w broadcast
expect_usage "invalid value 'abc' for --rate" -w broadcast --virtual --rate abc
expect_usage "invalid value '-3' for --time-limit" -w broadcast --virtual --time-limit -3
expect_usage "invalid value 'ring' for --topology" -w broadcast --virtual --topology ring
expect_usage "invalid value 'chaos' for --nemesis" -w broadcast --virtual --nemesis chaos
expect_usage "option --node-count needs a value" -w broadcast --virtual --node-count
expect_usage "give --node-config, not --bin" -w broadcast --virtual --bin /bin/true
"$H" test --help >help.out && grep -q -- "--node-count N" help.out

# Fire-and-forget under partitions loses values: invalid, exit status 1.
printf '[topology]\nstrategy = grid\n[delivery]\nmode = fire-and-forget\n' >ff.ini
status=0
"$H" test -w broadcast --virtual --node-config ff.ini --node-count 5 --time-limit 20 --rate 10 \
    --nemesis partition --nemesis-interval 2 --seed 0 --store ff >ff.out || status=$?
[ "$status" -eq 1 ] || { echo "FAIL: fire-and-forget under partition exited $status"; exit 1; }
grep -q '^valid? *false' ff.out && grep -q "Analysis invalid" ff.out
echo "harness_virtual: ok"
