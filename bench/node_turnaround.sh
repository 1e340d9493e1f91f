#!/usr/bin/env bash
# bench/node_turnaround.sh: how long a real broadcast-node process takes to answer, as the
# process runner sees it: for every client request (read, broadcast) the time from its delivery
# to the node (the journal's recv time: the harness queues the line for the node's stdin) to the
# node's reply read back from its stdout (the reply's send time). That is the node's handling
# plus both pipes and both sides' wake-ups, what `harness test --virtual --node-delay-us N`
# models as a seeded U[0, N) per message (issue 10: the default N is twice this median). Runs
# the 3e workload once on real processes (configs/centred-tree-batched.ini, 25 nodes, rate 100,
# latency 100, 20 s) at nice -5 when allowed, and prints the distribution and the load average.
#   bench/node_turnaround.sh [SEED]      default 1
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
seed="${1:-1}"
bench_build harness broadcast-node
B="$PWD/build/release/bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
nice_cmd=()
if nice -n -5 true 2>/dev/null; then nice_cmd=(nice -n -5); fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"${nice_cmd[@]}" "$B/harness" test -w broadcast --bin "$B/broadcast-node" \
    "$PWD/configs/centred-tree-batched.ini" --node-count 25 --time-limit 20 --rate 100 \
    --latency 100 --seed "$seed" --store "$work/store" >"$work/out" || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Journal lines: {"id":..,"send_ns":..,"recv_ns":..,"src":"c3","dest":"n7","type":"read"}. A
# client has one request outstanding at a time, so its next message from that node is the reply.
awk -F'[:,"]+' '
    { for (i = 2; i < NF; i++) f[$i] = $(i + 1) }
    f["src"] ~ /^c/ && f["dest"] ~ /^n/ && f["type"] != "init" && f["type"] != "topology" &&
        f["recv_ns"] != "null" { req[f["src"] " " f["dest"]] = f["recv_ns"] }
    f["src"] ~ /^n/ && f["dest"] ~ /^c/ && ((f["dest"] " " f["src"]) in req) {
        k = f["dest"] " " f["src"]; print (f["send_ns"] - req[k]) / 1000; delete req[k] }' \
    "$work/store/latest/journal.jsonl" | sort -n >"$work/d"
awk '{ d[NR] = $1; s += $1 }
    END {
        if (NR == 0) { print "no request/reply pairs in the journal"; exit 1 }
        printf "node turnaround over %d requests (us): min %d, p10 %d, median %d, p90 %d, " \
            "p99 %d, max %d, mean %d\n", NR, d[1], d[int(NR * 0.1) + 1], d[int(NR * 0.5) + 1],
            d[int(NR * 0.9) + 1], d[int(NR * 0.99) + 1], d[NR], s / NR
    }' "$work/d"
