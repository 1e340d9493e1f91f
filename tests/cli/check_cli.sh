#!/bin/bash
# check_cli: `harness check` and `harness results` end to end: Maelstrom's real histories give
# their real results (byte for byte as results.edn, golden as JSON and summary), exit statuses
# are Maelstrom's (0/1/2, 254 for bad arguments or input), and malformed input is reported with
# its position on stderr.
set -eu -o pipefail
H="$BIN_DIR/harness"
F="$SHARED_DIR/fixtures/maelstrom"
G="$SRC_DIR/tests/golden"
F2="$F/Emmanuel32__distributed-systems-practice__broadcast-3d-n25-rate100-lat100"
F3="$F/imperfect-fourth__gossip-glomers__broadcast-3c-n5-partition-lost"
rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR" && cd "$WORK_DIR"

# expect STATUS CMD...: runs CMD and fails unless it exits with STATUS.
expect() {
    want=$1
    shift
    got=0
    "$@" || got=$?
    if [ "$got" != "$want" ]; then
        echo "exit status $got, want $want: $*" >&2
        exit 1
    fi
}

# Real histories: results.edn identical to Maelstrom's, given Maelstrom's :net counters.
expect 0 "$H" check "$F2.history.edn" --net-counts 60118,4118,56000 --edn >f2.edn
cmp f2.edn "$F2.edn"
expect 1 "$H" check "$F3.history.edn" --net-counts 1433,1364,1433,422,422,422,1011,942,1011 --edn >f3.edn
cmp f3.edn "$F3.edn"

# JSON and summary output against golden files.
expect 0 "$H" check "$F2.history.edn" --net-counts 60118,4118,56000 >f2.json
diff -u "$G/check_f2.json" f2.json
expect 1 "$H" check "$F3.history.edn" --summary >f3.txt
diff -u "$G/check_f3_summary.txt" f3.txt
expect 1 "$H" check "$F/worked-example.history.edn" --summary >we.txt
diff -u "$G/check_worked_example_summary.txt" we.txt

# Our JSON history and a journal: the same results as the EDN history with counters.
"$H" check "$F2.history.edn" --edn >/dev/null
printf '{"id":0,"send_ns":1,"recv_ns":5,"src":"c1","dest":"n0","type":"read"}\n{"id":1,"send_ns":2,"recv_ns":null,"src":"n0","dest":"n1","type":"gossip"}\n' >journal.jsonl
printf '{"index":0,"time":0,"type":"invoke","process":0,"f":"broadcast","value":0}\n{"index":1,"time":1000000,"type":"ok","process":0,"f":"broadcast","value":0}\n{"index":2,"time":2000000,"type":"invoke","process":0,"f":"read","value":null}\n{"index":3,"time":3000000,"type":"ok","process":0,"f":"read","value":[0]}\n' >h.jsonl
expect 0 "$H" check h.jsonl --journal journal.jsonl --summary >h.txt
grep -q '^msgs-per-op       servers 0.5, all 1.0$' h.txt
"$H" check h.jsonl --journal journal.jsonl >h.json
grep -q '"recv-count": 0' h.json

# Empty history: nothing stable, exit 2; --availability total fails an op that failed.
: >empty.edn
expect 2 "$H" check empty.edn --summary >e.txt
grep -q 'no anomalies found' e.txt
printf '{"index":0,"time":0,"type":"invoke","process":0,"f":"read","value":null}\n{"index":1,"time":1,"type":"fail","process":0,"f":"read","value":null,"error":":net-timeout"}\n' >fail.jsonl
expect 1 "$H" check fail.jsonl --availability total >/dev/null

# Bad arguments and malformed input: exit 254, the position on stderr, nothing on stdout.
expect 254 "$H" >/dev/null 2>usage.txt
grep -q 'usage: harness <command>' usage.txt
expect 0 "$H" --help 2>/dev/null
expect 254 "$H" frobnicate 2>/dev/null
expect 254 "$H" check 2>/dev/null
expect 254 "$H" check x --bogus 2>/dev/null
expect 254 "$H" check h.jsonl --availability 2 2>/dev/null
expect 254 "$H" check h.jsonl --net-counts 1,2 2>/dev/null
expect 254 "$H" check missing.edn 2>err.txt
grep -q 'missing.edn: No such file' err.txt
head -c 3000 "$F3.history.edn" >trunc.edn
expect 254 "$H" check trunc.edn >out.txt 2>err.txt
grep -q '^harness check: trunc.edn:37:34: end of input in map opened at 37:1$' err.txt
test ! -s out.txt
printf '{"index":0,"time":0,"type":"invoke","process":0,"f":"read","value":null}\n{"index":1,"time":1,"type":"ok",\n' >trunc.jsonl
expect 254 "$H" check trunc.jsonl 2>err.txt
grep -q '^harness check: trunc.jsonl:2:[0-9]*: invalid JSON' err.txt
printf '{:index 0, :type :bogus}\n' >badtype.edn
expect 254 "$H" check badtype.edn 2>err.txt
grep -q 'badtype.edn:1:1: record without a valid :type' err.txt
printf 'not json\n' >badjournal.jsonl
expect 254 "$H" check h.jsonl --journal badjournal.jsonl 2>err.txt
grep -q 'badjournal.jsonl:1:1: invalid JSON' err.txt

# harness results: Maelstrom's results.edn and our results.json give the same CSV line.
"$H" results --csv-header >hdr.csv
test "$(cat hdr.csv)" = "ops,msgs_per_op_servers,msgs_per_op_all,stable_p0,stable_p50,stable_p95,stable_p99,stable_max,lost,valid"
"$H" results "$F2.edn" --csv >a.csv
test "$(cat a.csv)" = "2009,27.874565,29.924341,0,450,677,744,795,0,true"
"$H" results f2.json --csv >b.csv
cmp a.csv b.csv
"$H" results "$F3.edn" --csv-header >c.csv
test "$(sed -n 2p c.csv)" = "201,5.029851,7.129353,0,0,29004,29975,29975,6,false"
"$H" results "$F2.edn" >s.txt
grep -q 'Everything looks good!' s.txt
head -c 1000 "$F3.edn" >trunc-results.edn
expect 254 "$H" results trunc-results.edn 2>err.txt
grep -q '^harness results: trunc-results.edn:29:17: end of input in map opened at 27:17$' err.txt
echo ok
