#!/usr/bin/env bash
# bench/fidelity.sh: virtual time against real processes where timing decides (issue 10): the
# default sweep's workload for tree and star at T = 0, 50, 100, 200 and 500 ms, on the virtual
# runner (3 seeds) and on real processes (2 seeds, one run at a time, at nice -5 when allowed,
# since other work on the machine moves real-time figures), then one table of both runners'
# means with the seeds' range. The load average is sampled every 10 s during the process runs
# and printed with the table, and so is the process runner's own lateness: how much later than
# the model (99.25 ms with --latency 100 and the default timing) a server-to-server message sent
# to an idle delivery thread reached its node. Knife-edge races (a batch or an ack within 1 ms
# of a tick) are decided by that lateness: read process figures together with both.
#
#   bench/fidelity.sh [--bin-dir DIR] [--out DIR] [--strategies LIST] [--timeouts LIST]
#                     [--virtual-seeds N] [--process-seeds N] [--model-us US] [--realtime]
#
# --bin-dir: a directory holding harness, broadcast-node and gl-fit (e.g. a build of another
# revision, for a before/after table); by default the release preset is built. --out: where the
# two sweeps' result directories go (default: experiments/results/fidelity-<stamp>). --model-us:
# when the binaries' model delivers a 100 ms message to an idle thread (99250 with the default
# timing; 100000 for builds before it), the zero of the lateness figure. --realtime: the process
# runs at real-time priority (chrt -f 20, which needs root or CAP_SYS_NICE; refused otherwise), so
# that other work on the machine cannot delay their wake-ups: the figures of a quiet machine on a
# busy one.
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
export LC_ALL=C

bin_dir="" out="" strategies=tree,star timeouts=0,50,100,200,500 vseeds=3 pseeds=2 model_us=99250
realtime=0
while (($# > 0)); do
    case "$1" in
    --realtime)
        realtime=1
        shift
        continue
        ;;
    --bin-dir | --out | --strategies | --timeouts | --virtual-seeds | --process-seeds | --model-us)
        (($# >= 2)) || {
            echo "fidelity.sh: option '$1' needs a value" >&2
            exit 2
        }
        case "$1" in
        --bin-dir) bin_dir="$2" ;;
        --out) out="$2" ;;
        --strategies) strategies="$2" ;;
        --timeouts) timeouts="$2" ;;
        --virtual-seeds) vseeds="$2" ;;
        --process-seeds) pseeds="$2" ;;
        --model-us) model_us="$2" ;;
        esac
        shift 2
        ;;
    *)
        echo "fidelity.sh: unknown option '$1'" >&2
        exit 2
        ;;
    esac
done

nice_cmd=()
if ((realtime)); then
    chrt -f 20 true 2>/dev/null || {
        echo "fidelity.sh: --realtime: chrt -f 20 is not permitted here (needs root or CAP_SYS_NICE)" >&2
        exit 2
    }
    nice_cmd=(chrt -f 20)
elif nice -n -5 true 2>/dev/null; then nice_cmd=(nice -n -5); fi

if [[ -z "$bin_dir" ]]; then
    bench_build harness broadcast-node gl-fit
    bin_dir=build/release/bin
fi
export GL_BIN_DIR="$bin_dir"
[[ -n "$out" ]] || out="experiments/results/fidelity-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

common=(--strategies "$strategies" --timeouts "$timeouts" --workload 3e)
# Runs that are not valid still give figures; the table shows what there is.
experiments/sweep.sh --runner virtual --seeds "$vseeds" --jobs 2 --out "$out/virtual" \
    "${common[@]}" >"$out/virtual.log" 2>&1 || true

sample_load() {
    while :; do
        cut -d' ' -f1 /proc/loadavg
        sleep 10
    done
}
sample_load >"$out/load.txt" &
sampler=$!
start="${EPOCHREALTIME/./}"
"${nice_cmd[@]}" experiments/sweep.sh --runner process --seeds "$pseeds" --jobs 1 \
    --out "$out/process" "${common[@]}" >"$out/process.log" 2>&1 || true
kill "$sampler"
wait "$sampler" 2>/dev/null || true
secs=$(((${EPOCHREALTIME/./} - start) / 1000000))

echo "machine: $(nproc) cores, binaries $bin_dir, results $out"
echo "process runs: ${secs} s at ${nice_cmd[*]:-normal priority}; load average (1 min) over them:" \
    "$(sort -n "$out/load.txt" | awk '{ v[NR] = $1; s += $1 }
        END { if (NR) printf "min %s, mean %.2f, max %s (%d samples)", v[1], s / NR, v[NR], NR }')"
# Server-to-server messages of every process run sent to an idle delivery thread (the node's
# previous delivery came before the send; the journal is in delivery order, run by run): their
# recv - send - model_us, in us, which the model makes exactly 0.
# shellcheck disable=SC2016 # an awk program, run by xargs
find "$out/process/latest/runs" -path '*/store/broadcast/*/journal.jsonl' -print0 |
    xargs -0 awk -F'[:,"]+' -v model="$model_us" '
        FNR == 1 { split("", last) }
        { for (i = 2; i < NF; i++) f[$i] = $(i + 1) }
        f["recv_ns"] == "null" { next }
        f["src"] ~ /^n/ && f["dest"] ~ /^n/ && (!(f["dest"] in last) || last[f["dest"]] <= f["send_ns"]) {
            print int((f["recv_ns"] - f["send_ns"]) / 1000) - model }
        { last[f["dest"]] = f["recv_ns"] }' | sort -n |
    awk '{ d[NR] = $1 }
        END { if (NR) printf "process runner lateness after the model (us, %d server messages):" \
            " median %d, p75 %d, p90 %d, p99 %d\n", NR, d[int(NR * 0.5) + 1],
            d[int(NR * 0.75) + 1], d[int(NR * 0.9) + 1], d[int(NR * 0.99) + 1] }'
# One line per (strategy, T): each runner's mean and, in brackets, the seeds' min-max.
awk -F, -v OFS=' | ' '
    FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    function cell(m) {
        return sprintf("%g (%g-%g)", $col[m "_mean"], $col[m "_min"], $col[m "_max"])
    }
    { k = $col["strategy"] " " $col["timeout_ms"]
      row[k, FILENAME ~ /process/] = cell("p50") " | " cell("p95") " | " cell("max") " | " \
          sprintf("%.2f", $col["mpo_mean"]) " | " $col["n"]
      if (!(k in seen)) { seen[k] = 1; order[++n] = k } }
    END {
        print "strategy T", "runner", "p50 ms", "p95 ms", "max ms", "msgs/op", "runs"
        for (i = 1; i <= n; i++) {
            print order[i], "virtual", row[order[i], 0]
            print order[i], "process", row[order[i], 1]
        }
    }' "$out/virtual/latest/summary.csv" "$out/process/latest/summary.csv"
