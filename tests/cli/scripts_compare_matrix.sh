#!/usr/bin/env bash
# scripts_compare_matrix: proves scripts/compare-matrix.sh, the byte-identity proof over the
# variants (partitions, random latency, 100-node runs): a build against itself is identical in
# every variant, a harness whose runs differ is caught in the large runs too (file named, exit
# status 1), and bad arguments exit 2.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
setup_work_dir
C="$SRC_DIR/scripts/compare-matrix.sh"

small=(--seeds 1 --big-time-limit 1 --strategies tree --timeouts "0,200")
check "a build against itself" "$C" "$BIN_DIR" "$BIN_DIR" "${small[@]}" >same.txt
has_line same.txt "sweep configurations with --nemesis partition: identical: 2 runs"
has_line same.txt "100 nodes, rate 1000, tree and star: identical: 2 runs"
has_line same.txt "identical: 12 runs in all"

check "a harness whose runs differ" mkdir other &&
    printf '#!/bin/sh\nexec "%s/harness" "$@" --latency 101\n' "$BIN_DIR" >other/harness &&
    chmod +x other/harness
step "the difference is found, in the large runs too"
must_fail 1 "$C" "$BIN_DIR" other "${small[@]}" >diff.txt
has_line diff.txt "100 nodes, rate 1000: differs: star-100-nodes-s1 results.json"
lacks diff.txt "identical: 12 runs in all"

step "bad arguments"
rejects 2 "$C" "$BIN_DIR" "$WORK_DIR/nowhere" 2>err.txt
same_text "compare-matrix.sh: '$WORK_DIR/nowhere' has no executable harness" err.txt
rejects 2 "$C" "$BIN_DIR" "$BIN_DIR" --seeds x 2>err.txt
same_text "compare-matrix.sh: --seeds 'x' is not a positive whole number" err.txt
rejects 2 "$C" "$BIN_DIR" "$BIN_DIR" --frobnicate 2>err.txt
same_text "compare-matrix.sh: unknown option '--frobnicate'" err.txt
finish
