#!/usr/bin/env bash
# experiments_bad_input: proves sweep.sh and challenge.sh refuse bad input before anything runs:
# an unknown strategy, runner, workload, challenge or option, a non-numeric or out-of-range
# timeout, a bad count, a missing gnuplot, a missing Maelstrom, a missing config. Each gets one
# clear line on stderr, exit status 2, and no result directory is created.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
export GL_BIN_DIR="$BIN_DIR"
setup_work_dir

# with: a command prefix for the script under test only (env ... for a restricted PATH), so that
# the helpers keep the test's own PATH.
with=()

# refuse SCRIPT EXPECTED-STDERR ARGS...: SCRIPT --out out ARGS exits 2 with exactly that stderr,
# nothing on stdout, and creates nothing under out/.
refuse() {
    local script="$1" expected="$2"
    shift 2
    step "$script $*"
    rejects 2 "${with[@]}" "$SRC_DIR/experiments/$script" --out out "$@" 2>stderr
    same_text "$expected" stderr
    check "$script $*: no result directory" test ! -e out
}

refuse sweep.sh "sweep.sh: unknown strategy 'ring' (known: grid, tree, star, flat, hubs, kary, line, tree2, tree3, tree4, total, maelstrom)" \
    --strategies tree,ring
refuse sweep.sh "sweep.sh: timeout 'ten' is not a whole number of milliseconds in 0..60000" \
    --timeouts 0,ten
refuse sweep.sh "sweep.sh: timeout '-5' is not a whole number of milliseconds in 0..60000" \
    --timeouts -5
refuse sweep.sh "sweep.sh: timeout '60001' is not a whole number of milliseconds in 0..60000" \
    --timeouts 60001
refuse sweep.sh "sweep.sh: a timeout is listed twice in '10,10'" --timeouts 10,10
refuse sweep.sh "sweep.sh: --timeouts is empty" --timeouts ""
refuse sweep.sh "sweep.sh: unknown runner 'docker' (known: virtual, process, maelstrom)" \
    --runner docker
refuse sweep.sh "sweep.sh: unknown workload '3f' (known: 3d, 3e)" --workload 3f
refuse sweep.sh "sweep.sh: --seeds '0' is not a positive whole number" --seeds 0
refuse sweep.sh "sweep.sh: --jobs 'two' is not a positive whole number" --jobs two
refuse sweep.sh "sweep.sh: unknown option '--strategy' (see --help)" --strategy tree
refuse sweep.sh "sweep.sh: option '--seeds' needs a value (see --help)" --seeds
GNUPLOT=/nonexistent/gnuplot refuse sweep.sh \
    "sweep.sh: gnuplot not found ('/nonexistent/gnuplot'): install gnuplot-nox, or set GNUPLOT=/path/to/gnuplot"
MAELSTROM=/nonexistent/maelstrom refuse sweep.sh \
    "sweep.sh: Maelstrom launcher '/nonexistent/maelstrom' is not an executable file; nothing was run" \
    --runner maelstrom

# No Maelstrom anywhere: MAELSTROM unset and a PATH with only what the script itself needs.
step "a PATH without maelstrom"
mkdir -p path || fail "mkdir path"
for tool in bash dirname cat sort uniq nproc gnuplot git diff; do
    ln -sf "$(command -v "$tool")" "path/$tool" || fail "no '$tool' to link into path/"
done
with=(env -u MAELSTROM PATH="$WORK_DIR/path")
refuse sweep.sh \
    "sweep.sh: --runner maelstrom needs Maelstrom: put 'maelstrom' on PATH or set MAELSTROM=/path/to/maelstrom (https://github.com/jepsen-io/maelstrom/releases); nothing was run" \
    --runner maelstrom
with=()

refuse challenge.sh "challenge.sh: which challenge? give 3d or 3e (see --help)"
refuse challenge.sh "challenge.sh: unknown challenge '3c' (known: 3d, 3e)" 3c
refuse challenge.sh "challenge.sh: config 'no-such.ini' is not a readable file" 3d --config no-such.ini
refuse challenge.sh "challenge.sh: unknown runner 'jvm' (known: virtual, process, maelstrom)" 3e --runner jvm
refuse challenge.sh "challenge.sh: --recovery-wait is not a Maelstrom option" 3e --runner maelstrom --recovery-wait 1
finish
