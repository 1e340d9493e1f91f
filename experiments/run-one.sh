#!/usr/bin/env bash
# run-one.sh: runs one prepared run of a sweep, on whatever machine the executor chose (see
# experiments/lib-exec.sh), and leaves its CSV row in DIR/row.csv:
#
#   experiments/run-one.sh DIR
#
# DIR holds node.ini and job.env (written by gl_prepare_run: the point, the seed, the runner, the
# binaries' paths, the workload). The row is the point's values, the seed, the runner, the
# results' columns (`harness results --csv`), wall_s, git_rev, the host that ran it (uname -n),
# status and reason. Exit status 0 when the row is written, whatever the run's status; 2 when
# DIR is not a prepared run.
# shellcheck source-path=SCRIPTDIR
set -eu -o pipefail
export LC_ALL=C

SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROG=run-one.sh
# shellcheck source=lib.sh
source "$SRC_DIR/experiments/lib.sh"

(($# == 1)) || gl_die "usage: experiments/run-one.sh DIR"
dir="$(cd "$1" 2>/dev/null && pwd)" || gl_die "'$1' is not a directory"
[[ -f "$dir/job.env" && -f "$dir/node.ini" ]] || gl_die "'$dir' has no job.env and node.ini"
GL_HOST="$(uname -n)"
gl_run_one "$dir"
