#!/usr/bin/env bash
# Proves `harness test --virtual` is deterministic to the byte (same seed: identical history,
# results and journal; another seed: a different history), that --no-history drops the history
# and the journal and --journal / --no-journal choose the journal, that usage errors exit 254
# with a precise message, that the exit status follows the results (1 when values are lost), and
# that Maelstrom's timing flags reach the run: recorded in test.json, inits spread by default and
# all at 0 with --init-spread-us 0.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
H="$BIN_DIR/harness"
setup_work_dir

run() { # store seed [extra args...]
    local store=$1 seed=$2
    shift 2
    check "virtual run '$store', seed $seed" "$H" test -w broadcast --virtual \
        --node-config "$SRC_DIR/configs/centred-tree-batched.ini" \
        --node-count 9 --time-limit 5 --rate 40 --latency 20 --latency-dist exponential \
        --nemesis partition --nemesis-interval 2 --recovery-wait 2 --seed "$seed" \
        --store "$store" "$@" >"$store.out"
}

run a 7
run b 7
run c 8
for f in history.jsonl history.edn results.json results.edn journal.jsonl; do
    step "the same seed gives the same $f"
    same_file "a/latest/$f" "b/latest/$f"
done
step "seeds 7 and 8 give different histories"
if cmp -s a/latest/history.jsonl c/latest/history.jsonl; then
    fail "seeds 7 and 8 gave the same history"
fi
rechecks a/latest
rechecks c/latest
step "the run says it is valid and where it stored its files"
matches a.out '^valid? *true'
matches a.out '^store: '

# --no-history: results without the history files.
check "--no-history" "$H" test -w broadcast --virtual --node-count 3 --time-limit 2 --store nh \
    --no-history >nh.out
check "--no-history: results.json" test -f nh/latest/results.json
check "--no-history: no history.jsonl" test ! -e nh/latest/history.jsonl
check "--no-history: no history.edn" test ! -e nh/latest/history.edn
check "--no-history: no journal.jsonl either" test ! -e nh/latest/journal.jsonl
step "run-stats.json: the harness's own wall time, CPU time and peak memory, the phases' wall"
matches nh/latest/run-stats.json '^{"wall_us":[1-9][0-9]*,"cpu_us":[1-9][0-9]*,"max_rss_kib":[1-9][0-9]*,"phases_us":{"run":[1-9][0-9]*,"check":[0-9][0-9]*,"history":0,"results":[0-9][0-9]*},"huge_pages":false}$'
# Huge pages (harness/cli/hugepages.h): a small run stays as it is; GL_HUGEPAGES=1 makes it
# execute itself again with glibc's tunable (run-stats.json says so), with the same results (a
# GLIBC_TUNABLES of the user's own is set: the tunable is added to it).
for hp in 0 1; do
    check "GL_HUGEPAGES=$hp" env GL_HUGEPAGES=$hp GLIBC_TUNABLES=glibc.malloc.check=0 "$H" test \
        -w broadcast --virtual --node-count 5 --time-limit 3 --rate 30 --seed 3 --store "hp$hp" \
        >"hp$hp.out"
done
step "GL_HUGEPAGES=1: run-stats.json says huge_pages, GL_HUGEPAGES=0 says not"
matches hp1/latest/run-stats.json '"huge_pages":true}$'
matches hp0/latest/run-stats.json '"huge_pages":false}$'
for f in history.jsonl results.json journal.jsonl; do
    step "on huge pages or not, the same $f"
    same_file "hp0/latest/$f" "hp1/latest/$f"
done
# --journal and --no-journal override the default (written unless --no-history).
check "--no-history --journal" "$H" test -w broadcast --virtual --node-count 3 --time-limit 2 \
    --store nhj --no-history --journal >nhj.out
check "--no-history --journal: journal.jsonl" test -s nhj/latest/journal.jsonl
check "--no-history --journal: no history.jsonl" test ! -e nhj/latest/history.jsonl
check "--no-journal" "$H" test -w broadcast --virtual --node-count 3 --time-limit 2 --store nj \
    --no-journal >nj.out
check "--no-journal: no journal.jsonl" test ! -e nj/latest/journal.jsonl
check "--no-journal: history.jsonl" test -s nj/latest/history.jsonl
check "--journal: one line per message of :net's msg-count" python3 -c '
import json, sys
n = sum(1 for _ in open(sys.argv[1]))
want = json.load(open(sys.argv[2]))["net"]["all"]["msg-count"]
sys.exit(0 if n == want and n > 0 else "%d lines, msg-count %d" % (n, want))
' nhj/latest/journal.jsonl nhj/latest/results.json

# Maelstrom's timing: each init at its node's offset by default; every flag in test.json.
timing_run() { # store [flags...]
    local store=$1
    shift
    check "timing run '$store'" "$H" test -w broadcast --virtual --node-count 5 --time-limit 1 \
        --latency 10 --recovery-wait 0 --store "$store" "$@" >"$store.out"
}
timing_run spread
step "by default the inits go out over the first 10 ms, not all at once"
check "an init sent after 0" grep -Eq '"send_ns":[1-9][0-9]*,"recv_ns":[0-9]+,"src":"c[0-9]+","dest":"n[0-9]+","type":"init"' spread/latest/journal.jsonl
contains spread/latest/test.json '"net_wake_us":50,"net_sleep_quantum_us":1000,"net_overshoot_us":200,"init_spread_us":10000'
timing_run exact --net-wake-us 0 --net-sleep-quantum-us 0 --net-overshoot-us 0 --init-spread-us 0
step "--init-spread-us 0: every init sent at 0 and received at once"
check "five inits" test "$(grep -c '"type":"init"' exact/latest/journal.jsonl)" -eq 5
check "no init after 0" test "$(grep -c '"send_ns":0,"recv_ns":0,[^}]*"type":"init"' exact/latest/journal.jsonl)" -eq 5
contains exact/latest/test.json '"net_wake_us":0,"net_sleep_quantum_us":0,"net_overshoot_us":0,"init_spread_us":0'

# Usage errors: exit 254 and a message naming the problem.
expect_usage() { # expected-message args...
    local want=$1
    shift
    step "usage error: test $*"
    must_fail 254 "$H" test "$@" >usage.out 2>usage.err
    contains usage.err "$want"
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
expect_usage "invalid value '1.5' for --net-wake-us: expected an integer 0..1000000" -w broadcast \
    --virtual --net-wake-us 1.5
expect_usage "invalid value '-1' for --net-sleep-quantum-us: expected an integer" -w broadcast \
    --virtual --net-sleep-quantum-us -1
expect_usage "invalid value '1000001' for --net-overshoot-us: expected an integer 0..1000000" \
    -w broadcast --virtual --net-overshoot-us 1000001
expect_usage "invalid value '1000001' for --init-spread-us: expected an integer 0..1000000" \
    -w broadcast --virtual --init-spread-us 1000001
expect_usage "give --node-config, not --bin" -w broadcast --virtual --bin /bin/true
# An unreadable or invalid node config is a bad argument too, found before any store is made.
expect_usage "missing.ini: No such file or directory" -w broadcast --virtual \
    --node-config missing.ini --store nc.store
check "no store for a missing config" test ! -e nc.store
printf '[bogus]\nx = 1\n' >bogus.ini
expect_usage "bogus.ini:1: unknown section [bogus]" -w broadcast --virtual --node-config bogus.ini
check "test --help" "$H" test --help >help.out
contains help.out "--node-count N"

# Fire-and-forget under partitions loses values: invalid, exit status 1.
printf '[topology]\nstrategy = grid\n[delivery]\nmode = fire-and-forget\n' >ff.ini
step "fire-and-forget under partition: invalid, exit status 1"
must_fail 1 "$H" test -w broadcast --virtual --node-config ff.ini --node-count 5 --time-limit 20 \
    --rate 10 --nemesis partition --nemesis-interval 2 --seed 0 --store ff >ff.out
matches ff.out '^valid? *false'
contains ff.out "Analysis invalid"
rechecks ff/latest
finish
