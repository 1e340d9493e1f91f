#!/usr/bin/env bash
# fuzz: runs every libFuzzer target of fuzz/ (fuzz/README.md) from its seed corpus for SECONDS
# each, or for N executions each (--runs), and prints per target and in total: executions,
# executions per second, corpus entries and findings. A finding is an input that crashed, leaked,
# hit undefined behaviour, failed one of the target's properties, timed out or ran out of memory;
# libFuzzer saves it under build/fuzz/artifacts/TARGET/ and the target's log is
# build/fuzz/logs/TARGET.log. The corpus each target grows is kept in build/fuzz/corpus/TARGET/,
# so later runs start where earlier ones stopped.
#
#   bench/fuzz.sh [SECONDS] [--runs N] [--jobs J] [--target NAME]...
#       SECONDS     time per target (default 60)
#       --runs N    N executions per target instead of a time (CI: .ci/run)
#       --jobs J    targets run J at a time (default 1; the machine is shared)
#       --target T  only target T (repeatable); the targets: fuzz_codec fuzz_topo_json fuzz_cfg
#                   fuzz_edn fuzz_history_edn fuzz_history_jsonl fuzz_results
#
# Builds the fuzz preset first (clang with libFuzzer: the Debian package clang, scripts/setup.sh).
# Exit 0 when nothing was found, 1 when a target found something (or did not run), 2 on bad usage
# or a missing toolchain.
set -eu -o pipefail
cd "$(dirname "$0")/.."
PROG=bench/fuzz.sh

all_targets=(fuzz_codec fuzz_topo_json fuzz_cfg fuzz_edn fuzz_history_edn fuzz_history_jsonl
    fuzz_results)

usage() {
    sed -n '10,16p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
die() {
    echo "$PROG: $*" >&2
    exit 2
}
is_uint() { [[ "$1" =~ ^[0-9]+$ ]] && ((10#$1 > 0)); }

seconds=60
runs=""
jobs=1
targets=()
while (($# > 0)); do
    case "$1" in
    --runs)
        if (($# < 2)) || ! is_uint "$2"; then die "--runs needs a positive integer"; fi
        runs=$((10#$2))
        shift 2
        ;;
    --jobs)
        if (($# < 2)) || ! is_uint "$2"; then die "--jobs needs a positive integer"; fi
        jobs=$((10#$2))
        shift 2
        ;;
    --target)
        if (($# < 2)) || [[ " ${all_targets[*]} " != *" $2 "* ]]; then
            die "unknown target '${2:-}' (known: ${all_targets[*]})"
        fi
        targets+=("$2")
        shift 2
        ;;
    -h | --help) usage ;;
    -*) die "unknown option '$1'" ;;
    *)
        is_uint "$1" || die "SECONDS must be a positive integer, not '$1'"
        seconds=$((10#$1))
        shift
        ;;
    esac
done
((${#targets[@]} > 0)) || targets=("${all_targets[@]}")

command -v clang >/dev/null 2>&1 ||
    die "clang is missing (Debian package clang; ./scripts/setup.sh installs it)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j 2 >build/fuzz-build.log 2>&1 ||
    {
        tail -n 30 build/fuzz-build.log >&2
        die "building the fuzz preset failed (build/fuzz-build.log)"
    }
bin=build/fuzz/fuzz
work=build/fuzz
rm -rf "$work/seeds" "$work/logs"
mkdir -p "$work/seeds" "$work/logs" "$work/corpus" "$work/artifacts"

# ---- seed corpora, from the tree ------------------------------------------------------------
# Each target's seeds: its files under fuzz/seeds/ and fuzz/regress/ (inputs that once failed),
# plus the fixtures and examples of the repository in its format.
seq=0
# add DIR FILE...: copies each existing FILE into DIR.
add() {
    local dir="$1" f
    shift
    for f in "$@"; do
        [[ -f "$f" ]] || continue
        seq=$((seq + 1))
        cp "$f" "$dir/$seq-${f##*/}"
    done
}
# add_lines DIR FILE...: each non-empty line of each FILE as a seed of its own.
add_lines() {
    local dir="$1" f line
    shift
    for f in "$@"; do
        [[ -f "$f" ]] || continue
        while IFS= read -r line || [[ -n "$line" ]]; do
            [[ -n "$line" ]] || continue
            seq=$((seq + 1))
            printf '%s' "$line" >"$dir/$seq-${f##*/}"
        done <"$f"
    done
}
# add_heads DIR FILE...: each FILE whole when under 64 KiB, and its first 40 lines.
add_heads() {
    local dir="$1" f
    shift
    for f in "$@"; do
        [[ -f "$f" ]] || continue
        (($(wc -c <"$f") < 65536)) && add "$dir" "$f"
        seq=$((seq + 1))
        head -n 40 "$f" >"$dir/$seq-head-${f##*/}"
    done
}
fixtures=tests/fixtures/maelstrom
shopt -s nullglob
for t in "${targets[@]}"; do
    d="$work/seeds/$t"
    mkdir -p "$d"
    add "$d" fuzz/regress/"$t"/*
    case "$t" in
    fuzz_codec)
        add "$d" fuzz/seeds/codec/*
        add_lines "$d" tests/golden/*.in tests/golden/*.out
        ;;
    fuzz_topo_json) add "$d" fuzz/seeds/topo_json/* configs/*.json docs/*.json ;;
    fuzz_cfg) add "$d" fuzz/seeds/cfg/* configs/*.ini ;;
    fuzz_edn) add_heads "$d" fuzz/seeds/edn/* fuzz/seeds/run/*.edn "$fixtures"/*.edn ;;
    fuzz_history_edn) add_heads "$d" fuzz/seeds/run/history.edn "$fixtures"/*history.edn ;;
    fuzz_history_jsonl)
        add_heads "$d" fuzz/seeds/history_jsonl/* fuzz/seeds/run/*.jsonl
        ;;
    fuzz_results)
        add "$d" fuzz/seeds/results/* fuzz/seeds/run/results.* tests/golden/*.json
        for f in "$fixtures"/*.edn; do [[ "$f" == *history.edn ]] || add "$d" "$f"; done
        ;;
    esac
    mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
done
shopt -u nullglob

# Longest input per target: a little over its largest real seed (a results.edn of 33 KB).
max_len() {
    case "$1" in
    fuzz_codec | fuzz_cfg) echo 4096 ;;
    fuzz_topo_json) echo 8192 ;;
    fuzz_results) echo 40000 ;;
    *) echo 16384 ;;
    esac
}
dict() {
    case "$1" in
    fuzz_edn | fuzz_history_edn) echo fuzz/dict/edn.dict ;;
    fuzz_cfg) echo fuzz/dict/ini.dict ;;
    *) echo fuzz/dict/json.dict ;;
    esac
}

# ---- the runs -------------------------------------------------------------------------------
# run_target T: runs T; its log gets libFuzzer's final statistics, its artifacts dir the findings.
run_target() {
    local t="$1" limit
    if [[ -n "$runs" ]]; then limit="-runs=$runs"; else limit="-max_total_time=$seconds"; fi
    "$bin/$t" "$limit" -print_final_stats=1 -max_len="$(max_len "$t")" -dict="$(dict "$t")" \
        -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/artifacts/$t/" \
        "$work/corpus/$t" "$work/seeds/$t" >"$work/logs/$t.log" 2>&1
}

for t in "${targets[@]}"; do rm -f "$work/artifacts/$t"/*; done
mode="$([[ -n "$runs" ]] && echo "$runs runs" || echo "$seconds s") per target"
echo "$PROG: ${#targets[@]} targets, $mode, $jobs at a time (logs: $work/logs/)" >&2
running=0
for t in "${targets[@]}"; do
    while ((running >= jobs)); do
        wait -n || true
        running=$((running - 1))
    done
    (
        rc=0
        run_target "$t" || rc=$?
        echo "$rc" >"$work/logs/$t.status"
    ) &
    running=$((running + 1))
done
wait

# ---- the table ------------------------------------------------------------------------------
# final_stat LOG NAME: libFuzzer's final statistic NAME (0 when absent).
final_stat() { sed -n "s/^stat::$2: *\([0-9]*\).*/\1/p" "$1" | tail -n 1 | grep . || echo 0; }
printf '%-20s %14s %10s %9s %8s %9s\n' target executions exec/s seconds corpus findings
total_execs=0 total_found=0 failed=0
for t in "${targets[@]}"; do
    log="$work/logs/$t.log"
    execs="$(final_stat "$log" number_of_executed_units)"
    rate="$(final_stat "$log" average_exec_per_sec)"
    secs="$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)"
    corpus="$(find "$work/corpus/$t" -type f | wc -l)"
    found="$(find "$work/artifacts/$t" -type f | wc -l)"
    rc="$(cat "$work/logs/$t.status" 2>/dev/null || echo missing)"
    note=""
    if [[ "$rc" != 0 && "$found" == 0 ]]; then
        note="  (exit status $rc; see $log)"
        failed=$((failed + 1))
    fi
    printf '%-20s %14s %10s %9s %8s %9s%s\n' "$t" "$execs" "$rate" "${secs:-?}" "$corpus" "$found" \
        "$note"
    total_execs=$((total_execs + execs))
    total_found=$((total_found + found))
done
printf '%-20s %14s %10s %9s %8s %9s\n' total "$total_execs" "" "" "" "$total_found"
if ((total_found > 0)); then
    echo "$PROG: findings (reproduce: $bin/TARGET FILE):" >&2
    for t in "${targets[@]}"; do find "$work/artifacts/$t" -type f >&2; done
fi
((total_found == 0 && failed == 0))
