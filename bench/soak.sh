#!/usr/bin/env bash
# soak: every configuration in configs/ under the harshest faults the harness injects, for many
# seeds, in virtual time: 100 nodes, rate 500, latency 100 ms drawn from an exponential
# distribution, a partition nemesis every 2 s on average (--nemesis partition
# --nemesis-interval 2), 20 s, then the default recovery wait and the final reads. Prints one line
# per configuration: runs, Maelstrom's verdicts (valid, invalid, unknown, failed: the test could
# not run), the runs and values lost (set-full's :lost), and the runs and nodes that lacked values
# at the final reads (gossip-lab's convergence report); then the totals. docs/reliability.md holds
# its latest table. A configuration with `strategy = file` runs on a copy (in DIR/configs) whose
# topology file is topogen's tree for 100 nodes.
#
#   bench/soak.sh [--seeds N] [--jobs J] [--time-limit S] [--config FILE]... [--out DIR]
#       --seeds N       seeds 1..N per configuration (default 20)
#       --jobs J        runs at a time (default 2)
#       --time-limit S  the main phase of each run (default 20)
#       --config FILE   only this configuration (repeatable; default configs/*.ini)
#       --out DIR       where runs/ and soak.csv go (default build/soak)
#
# Builds the release preset first unless BIN_DIR names a directory holding harness. Each run keeps
# its results.json and stdout in DIR/runs/; its store (journal and all) is deleted once read.
# Exit 0 when every run completed (valid or not: the table is the result), 1 when one failed to
# run, 2 on bad usage.
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
PROG=bench/soak.sh

die() {
    echo "$PROG: $*" >&2
    exit 2
}
is_uint() { [[ "$1" =~ ^[0-9]+$ ]] && ((10#$1 > 0)); }

seeds=20 jobs=2 time_limit=20 out=build/soak
configs=()
while (($# > 0)); do
    case "$1" in
    --seeds | --jobs | --time-limit)
        if (($# < 2)) || ! is_uint "$2"; then die "$1 needs a positive integer"; fi
        case "$1" in
        --seeds) seeds=$((10#$2)) ;;
        --jobs) jobs=$((10#$2)) ;;
        --time-limit) time_limit=$((10#$2)) ;;
        esac
        shift 2
        ;;
    --config)
        if (($# < 2)) || [[ ! -f "$2" ]]; then die "--config needs an existing file"; fi
        configs+=("$2")
        shift 2
        ;;
    --out)
        (($# > 1)) || die "--out needs a directory"
        out="$2"
        shift 2
        ;;
    -h | --help)
        sed -n '12,18p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2
        ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
((${#configs[@]} > 0)) || configs=(configs/*.ini)

if [ -z "${BIN_DIR:-}" ]; then
    bench_build harness topogen
    BIN_DIR=build/release/bin
fi
harness="$(cd "$BIN_DIR" && pwd)/harness"
[[ -x "$harness" ]] || die "no harness in $BIN_DIR"
rm -rf "$out/runs"
mkdir -p "$out/runs"
out="$(cd "$out" && pwd)"

faults=(--node-count 100 --rate 500 --latency 100 --latency-dist exponential
    --nemesis partition --nemesis-interval 2 --time-limit "$time_limit")
header="$("$harness" results --csv-header)"

# A file-strategy configuration names its topology file, made for its own cluster (25 nodes for
# configs/file.ini); the node refuses a file that leaves a cluster node out. Such a configuration
# runs here on a copy whose file is topogen's tree for the soak's 100 nodes, so the row soaks the
# file strategy rather than reporting refused inits.
mkdir -p "$out/configs"
for k in "${!configs[@]}"; do
    cfg="${configs[$k]}"
    grep -Eq '^[[:space:]]*strategy[[:space:]]*=[[:space:]]*file[[:space:]]*(;.*)?$' "$cfg" || continue
    topo="$out/configs/$(basename "$cfg" .ini)-topology-100.json"
    "$(dirname "$harness")/topogen" --strategy tree --nodes 100 --format json >"$topo" ||
        die "topogen could not write $topo"
    sed -E "s|^([[:space:]]*file[[:space:]]*=).*|\\1 $topo|" "$cfg" >"$out/configs/$(basename "$cfg")"
    configs[k]="$out/configs/$(basename "$cfg")"
done

# run_one CONFIG SEED: one run; its row "config,seed,status,<results --csv>" in runs/NAME.row.
run_one() {
    local cfg="$1" seed="$2" name rc=0 csv=""
    name="$(basename "$cfg" .ini)-s$seed"
    "$harness" test -w broadcast --virtual --node-config "$cfg" "${faults[@]}" --seed "$seed" \
        --no-history --store "$out/runs/$name.store" >"$out/runs/$name.out" 2>"$out/runs/$name.err" ||
        rc=$?
    local store="$out/runs/$name.store/latest"
    if [[ -f "$store/results.json" ]]; then
        cp "$store/results.json" "$out/runs/$name.results.json"
        csv="$("$harness" results "$store/results.json" --csv)" || csv=""
    fi
    rm -rf "$out/runs/$name.store"
    local status
    case "$rc" in
    0) status=valid ;;
    1) status=invalid ;;
    2) status=unknown ;;
    *) status=failed ;;
    esac
    [[ -n "$csv" ]] || status=failed
    printf '%s,%s,%s,%s\n' "$(basename "$cfg" .ini)" "$seed" "$status" "$csv" >"$out/runs/$name.row"
}

git_rev="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "$PROG: ${#configs[@]} configurations x $seeds seeds, virtual time: ${faults[*]}; $jobs at a time (git $git_rev)" >&2
start="${EPOCHREALTIME/./}"
running=0
for cfg in "${configs[@]}"; do
    for ((seed = 1; seed <= seeds; seed++)); do
        while ((running >= jobs)); do
            wait -n || true
            running=$((running - 1))
        done
        run_one "$cfg" "$seed" &
        running=$((running + 1))
    done
done
wait
wall_us=$((${EPOCHREALTIME/./} - start))

{
    echo "config,seed,status,$header"
    for cfg in "${configs[@]}"; do
        for ((seed = 1; seed <= seeds; seed++)); do
            row="$out/runs/$(basename "$cfg" .ini)-s$seed.row"
            if [[ -f "$row" ]]; then cat "$row"; else echo "$(basename "$cfg" .ini),$seed,failed,"; fi
        done
    done
} >"$out/soak.csv"

# The table, from soak.csv by column name.
awk -F, -v wall="$((wall_us / 1000000))" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    {
        c = $1
        if (!(c in runs)) order[++n] = c
        runs[c]++; st[c, $3]++
        lost = $(col["lost"]); lacking = $(col["nodes_lacking"])
        if (lost > 0) { lost_runs[c]++; lost_vals[c] += lost }
        if (lacking > 0) {
            behind[c]++; nodes[c] += lacking
            if (lacking > worst[c]) worst[c] = lacking
        }
    }
    function line(name, r, v, i, u, f, lr, lv, b, nd, w) {
        printf "%-22s %5d %6d %8d %8d %7d %10d %12d %12d %12d %12d\n", name, r, v, i, u, f, lr, lv, b, nd, w
    }
    END {
        printf "%-22s %5s %6s %8s %8s %7s %10s %12s %12s %12s %12s\n", "config", "runs", "valid", "invalid",
            "unknown", "failed", "lost-runs", "lost-values", "behind-runs", "behind-nodes", "worst-nodes"
        for (k = 1; k <= n; k++) {
            c = order[k]
            line(c, runs[c], st[c, "valid"], st[c, "invalid"], st[c, "unknown"], st[c, "failed"],
                 lost_runs[c], lost_vals[c], behind[c], nodes[c], worst[c])
            R += runs[c]; V += st[c, "valid"]; I += st[c, "invalid"]; U += st[c, "unknown"]
            F += st[c, "failed"]; LR += lost_runs[c]; LV += lost_vals[c]; B += behind[c]
            N += nodes[c]; if (worst[c] > W) W = worst[c]
        }
        line("total", R, V, I, U, F, LR, LV, B, N, W)
        printf "wall %d s; one row per run in %s\n", wall, FILENAME
        exit F > 0
    }' "$out/soak.csv"
