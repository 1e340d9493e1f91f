#!/bin/bash
# check_cli: `harness check` and `harness results` end to end: Maelstrom's real histories give
# their real results (byte for byte as results.edn, golden as JSON and summary), exit statuses
# are Maelstrom's (0/1/2, 254 for bad arguments or input), and malformed input is reported with
# its position on stderr.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
H="$BIN_DIR/harness"
F="$SRC_DIR/tests/fixtures/maelstrom"
G="$SRC_DIR/tests/golden"
F2="$F/Emmanuel32__distributed-systems-practice__broadcast-3d-n25-rate100-lat100"
F3="$F/imperfect-fourth__gossip-glomers__broadcast-3c-n5-partition-lost"
setup_work_dir

# Real histories: results.edn identical to Maelstrom's, given Maelstrom's :net counters.
check "F2 as EDN, valid" "$H" check "$F2.history.edn" --net-counts 60118,4118,56000 --edn >f2.edn
same_file "$F2.edn" f2.edn
step "F3 as EDN, invalid"
must_fail 1 "$H" check "$F3.history.edn" --net-counts 1433,1364,1433,422,422,422,1011,942,1011 --edn >f3.edn
same_file "$F3.edn" f3.edn

# JSON and summary output against golden files.
check "F2 as JSON" "$H" check "$F2.history.edn" --net-counts 60118,4118,56000 >f2.json
same_file "$G/check_f2.json" f2.json
step "F3 summary"
must_fail 1 "$H" check "$F3.history.edn" --summary >f3.txt
same_file "$G/check_f3_summary.txt" f3.txt
step "worked example summary"
must_fail 1 "$H" check "$F/worked-example.history.edn" --summary >we.txt
same_file "$G/check_worked_example_summary.txt" we.txt

# Our JSON history and a journal: the same results as the EDN history with counters.
check "F2 as EDN without counters" "$H" check "$F2.history.edn" --edn >/dev/null
printf '{"id":0,"send_ns":1,"recv_ns":5,"src":"c1","dest":"n0","type":"read"}\n{"id":1,"send_ns":2,"recv_ns":null,"src":"n0","dest":"n1","type":"gossip"}\n' >journal.jsonl
printf '{"index":0,"time":0,"type":"invoke","process":0,"f":"broadcast","value":0}\n{"index":1,"time":1000000,"type":"ok","process":0,"f":"broadcast","value":0}\n{"index":2,"time":2000000,"type":"invoke","process":0,"f":"read","value":null}\n{"index":3,"time":3000000,"type":"ok","process":0,"f":"read","value":[0]}\n' >h.jsonl
check "JSON history and journal, summary" "$H" check h.jsonl --journal journal.jsonl --summary >h.txt
has_line h.txt 'msgs-per-op       servers 0.5, all 1.0'
check "JSON history and journal, JSON" "$H" check h.jsonl --journal journal.jsonl >h.json
contains h.json '"recv-count": 0'

# Empty history: nothing stable, exit 2; --availability total fails an op that failed.
: >empty.edn
step "empty history"
must_fail 2 "$H" check empty.edn --summary >e.txt
contains e.txt 'no anomalies found'
printf '{"index":0,"time":0,"type":"invoke","process":0,"f":"read","value":null}\n{"index":1,"time":1,"type":"fail","process":0,"f":"read","value":null,"error":":net-timeout"}\n' >fail.jsonl
step "--availability total"
must_fail 1 "$H" check fail.jsonl --availability total >/dev/null

# Bad arguments and malformed input: exit 254, the position on stderr, nothing on stdout.
step "no command"
must_fail 254 "$H" >/dev/null 2>usage.txt
contains usage.txt 'usage: harness <command>'
check "--help" "$H" --help 2>/dev/null
step "unknown command"
must_fail 254 "$H" frobnicate 2>/dev/null
step "check without a file"
must_fail 254 "$H" check 2>/dev/null
step "check --bogus"
must_fail 254 "$H" check x --bogus 2>/dev/null
step "check --availability 2"
must_fail 254 "$H" check h.jsonl --availability 2 2>/dev/null
step "check --net-counts with two counts"
must_fail 254 "$H" check h.jsonl --net-counts 1,2 2>/dev/null
step "check --net-counts out of range"
rejects 254 "$H" check h.jsonl --net-counts 1,2,99999999999999999999999 2>err.txt
has_line err.txt "harness check: bad --net-counts '1,2,99999999999999999999999': 99999999999999999999999 is out of range (0..9223372036854775807)"
rejects 254 "$H" check h.jsonl --net-counts 9223372036854775808,1,1 2>err.txt
contains err.txt 'is out of range'
step "check --summary --edn"
rejects 254 "$H" check h.jsonl --summary --edn 2>err.txt
has_line err.txt 'harness check: --summary and --edn exclude each other'
step "missing history"
must_fail 254 "$H" check missing.edn 2>err.txt
contains err.txt 'missing.edn: No such file'
head -c 3000 "$F3.history.edn" >trunc.edn
step "truncated EDN history"
must_fail 254 "$H" check trunc.edn >out.txt 2>err.txt
has_line err.txt 'harness check: trunc.edn:37:34: end of input in map opened at 37:1'
empty out.txt
printf '{"index":0,"time":0,"type":"invoke","process":0,"f":"read","value":null}\n{"index":1,"time":1,"type":"ok",\n' >trunc.jsonl
step "truncated JSON history"
must_fail 254 "$H" check trunc.jsonl 2>err.txt
matches err.txt '^harness check: trunc.jsonl:2:[0-9]*: invalid JSON'
printf '{:index 0, :type :bogus}\n' >badtype.edn
step "record without a valid :type"
must_fail 254 "$H" check badtype.edn 2>err.txt
contains err.txt 'badtype.edn:1:1: record without a valid :type'
# A :process, :time or :index that is not a non-negative integer is refused, not guessed: a
# process taken for the nemesis would drop its reads from the check and flip the verdict.
printf '{:index 0, :time 0, :type :invoke, :process "1", :f :read, :value nil}\n' >badproc.edn
step "a string :process"
rejects 254 "$H" check badproc.edn 2>err.txt
has_line err.txt 'harness check: badproc.edn:1:45: :process must be a non-negative integer or :nemesis, not "1"'
printf '{:index 0, :time 0, :type :invoke, :f :read, :value nil}\n' >noproc.edn
step "no :process"
rejects 254 "$H" check noproc.edn 2>err.txt
has_line err.txt 'harness check: noproc.edn:1:1: record without :process (a non-negative integer or :nemesis)'
printf '{:index 0, :time 1.0, :type :invoke, :process 0, :f :read, :value nil}\n' >badtime.edn
step "a float :time"
rejects 254 "$H" check badtime.edn 2>err.txt
has_line err.txt 'harness check: badtime.edn:1:18: :time must be a non-negative integer (ns), not 1.0'
printf '{"index":0,"time":1e30,"type":"invoke","process":0,"f":"read","value":null}\n' >badtime.jsonl
step "a JSON time of 1e30"
rejects 254 "$H" check badtime.jsonl 2>err.txt
has_line err.txt 'harness check: badtime.jsonl:1:1: "time" must be a non-negative integer (ns)'
printf '{"index":0,"time":0,"type":"invoke","process":1.5,"f":"read","value":null}\n' >badproc.jsonl
step "a JSON process of 1.5"
rejects 254 "$H" check badproc.jsonl 2>err.txt
has_line err.txt 'harness check: badproc.jsonl:1:1: "process" must be a non-negative integer or "nemesis"'
printf 'not json\n' >badjournal.jsonl
step "malformed journal"
must_fail 254 "$H" check h.jsonl --journal badjournal.jsonl 2>err.txt
contains err.txt 'badjournal.jsonl:1:1: invalid JSON'

# harness results: Maelstrom's results.edn and our results.json give the same CSV line.
check "results --csv-header" "$H" results --csv-header >hdr.csv
same_text "ops,msgs_per_op_servers,msgs_per_op_all,stable_p0,stable_p50,stable_p95,stable_p99,stable_max,lost,valid,nodes_lacking,values_lacking" hdr.csv
check "results of F2's results.edn" "$H" results "$F2.edn" --csv >a.csv
same_text "2009,27.874565,29.924341,0,450,677,744,795,0,true,," a.csv
check "results of our F2 JSON: the same line" "$H" results f2.json --csv >b.csv
same_file a.csv b.csv
check "results of F3's results.edn with a header" "$H" results "$F3.edn" --csv-header >c.csv
sed -n 2p c.csv >c2.csv
same_text "201,5.029851,7.129353,0,0,29004,29975,29975,6,false,," c2.csv
check "results summary of F2" "$H" results "$F2.edn" >s.txt
contains s.txt 'Everything looks good!'
# A results file without the keys harness results prints is an error, not a summary of zeros;
# the CSV's lost is :lost-count (which must be the length of :lost).
printf '{}\n' >empty-results.json
step "results of {}"
rejects 254 "$H" results empty-results.json --csv 2>err.txt
has_line err.txt 'harness results: empty-results.json: no :valid?'
printf '{:valid? 5}\n' >five.edn
step "results of {:valid? 5}"
rejects 254 "$H" results five.edn 2>err.txt
has_line err.txt 'harness results: five.edn:1:10: :valid? must be true, false or :unknown, not 5'
sed 's/:lost-count 6,/:lost-count 7,/' "$F3.edn" >f3-miscounted.edn
step "results with :lost-count not the length of :lost"
rejects 254 "$H" results f3-miscounted.edn --csv 2>err.txt
contains err.txt ':workload :lost has 6 elements, but :lost-count is 7'
sed 's/:lost-count 6,//' "$F3.edn" >f3-no-count.edn
step "results without :lost-count"
rejects 254 "$H" results f3-no-count.edn --csv 2>err.txt
contains err.txt 'no :workload :lost-count'
head -c 1000 "$F3.edn" >trunc-results.edn
step "truncated results.edn"
must_fail 254 "$H" results trunc-results.edn 2>err.txt
has_line err.txt 'harness results: trunc-results.edn:29:17: end of input in map opened at 27:17'
finish
