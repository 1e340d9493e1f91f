#!/usr/bin/env bash
# scripts_compare_runs: proves scripts/compare-runs.sh, the tool that shows a change left every
# virtual-time run byte-identical: a build compared with itself is identical, a harness whose
# runs differ (here: one that adds 1 ms of latency) is caught with the run and the file named
# and exit status 1, harness flags reach both sides, and bad arguments exit 2.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
setup_work_dir
C="$SRC_DIR/scripts/compare-runs.sh"
small=(--strategies "tree,star" --timeouts "0,100" --seeds 1 -- --time-limit 2 --recovery-wait 1)

check "a build against itself" "$C" "$BIN_DIR" "$BIN_DIR" "${small[@]}" >same.txt
same_text "identical: 4 runs" same.txt

check "a harness whose runs differ" mkdir other &&
    printf '#!/bin/sh\nexec "%s/harness" "$@" --latency 101\n' "$BIN_DIR" >other/harness &&
    chmod +x other/harness
step "the difference is found"
must_fail 1 "$C" "$BIN_DIR" other "${small[@]}" >diff.txt
has_line diff.txt "differs: tree-T0-s1 results.json"
has_line diff.txt "differs: star-T100-s1 journal.jsonl"
lacks diff.txt "identical"

step "flags reach both sides: the same extra latency on both is identical again"
check "the same flags on both" "$C" other other "${small[@]}" --nemesis partition >flags.txt
same_text "identical: 4 runs" flags.txt

step "a directory without a harness"
rejects 2 "$C" "$BIN_DIR" "$WORK_DIR/nowhere" 2>err.txt
same_text "compare-runs.sh: '$WORK_DIR/nowhere' has no executable harness" err.txt
step "an unknown option"
rejects 2 "$C" "$BIN_DIR" "$BIN_DIR" --frobnicate 2>err.txt
same_text "compare-runs.sh: unknown option '--frobnicate'" err.txt
step "a bad seed count"
rejects 2 "$C" "$BIN_DIR" "$BIN_DIR" --seeds 0 2>err.txt
same_text "compare-runs.sh: --seeds '0' is not a positive whole number" err.txt
finish
