#!/usr/bin/env bash
# bench_soak: bench/soak.sh on a small scale (1 seed, 2 s): its table counts each configuration's
# runs by verdict; a file-strategy configuration is soaked on a copy whose topology file is
# topogen's tree for the soak's 100 nodes (the node refuses a file that leaves a node out, which
# the table would show as failed runs); bad arguments exit 2.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
setup_work_dir
S="$SRC_DIR/bench/soak.sh"
export BIN_DIR

small=(--seeds 1 --time-limit 2 --out "$WORK_DIR/soak")
check "a soak of file.ini and star.ini" "$S" "${small[@]}" \
    --config "$SRC_DIR/configs/file.ini" --config "$SRC_DIR/configs/star.ini" >table.txt 2>err.txt
matches table.txt '^file  *1  *1  *0  *0  *0  *0  *0  *0  *0  *0$'
matches table.txt '^star  *1  *1  *0  *0  *0  *0  *0  *0  *0  *0$'
matches table.txt '^total  *2  *2  *0  *0  *0 '
step "the file configuration ran on a 100-node topology file"
contains soak/configs/file.ini "file = $WORK_DIR/soak/configs/file-topology-100.json"
check "the topology file names 100 nodes" "$BIN_DIR/topogen" --score soak/configs/file-topology-100.json >score.txt
has_line score.txt "topology: soak/configs/file-topology-100.json, 100 nodes, routing rooted"
step "the rows"
count_lines soak/soak.csv . 3

step "bad arguments, and the usage"
rejects 2 "$S" --help 2>err.txt
has_line err.txt "  bench/soak.sh [--seeds N] [--jobs J] [--time-limit S] [--config FILE]... [--out DIR]"
rejects 2 "$S" --seeds 0 2>err.txt
same_text "bench/soak.sh: --seeds needs a positive integer" err.txt
rejects 2 "$S" --config "$WORK_DIR/none.ini" 2>err.txt
same_text "bench/soak.sh: --config needs an existing file" err.txt
finish
