#!/usr/bin/env bash
# experiments_bad_input: proves sweep.sh, best.sh and challenge.sh refuse bad input before
# anything runs: a configuration the node's loader refuses (an unknown strategy, key, section or
# value, a timeout out of range: the loader's own message, naming the generated file and line), a
# malformed --set or --vary axis or one given twice, an unknown workload flag or a bad value for
# it, an unknown runner, executor, workload, challenge or option, a bad count, bad limits, a bad
# line in a search space, a missing gnuplot, Maelstrom, config or sshloginfile. Each gets one
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

# What the node refuses, in its loader's words, naming the generated file and line.
refuse sweep.sh "sweep.sh: configs/ring-T0.ini:4: unknown strategy 'ring' (expected grid, tree, star, flat, hubs, kary, line, tree2, tree3, tree4, total, maelstrom or file); nothing was run" \
    --strategies tree,ring
refuse sweep.sh "sweep.sh: configs/grid-Tten.ini:7: bad value 'ten' for 'timeout_ms' in [batch]: expected an integer; nothing was run" \
    --timeouts 0,ten
refuse sweep.sh "sweep.sh: configs/grid-T-5.ini:7: 'timeout_ms' in [batch] out of range: -5 (expected 0..60000); nothing was run" \
    --timeouts -5
refuse sweep.sh "sweep.sh: configs/grid-T60001.ini:7: 'timeout_ms' in [batch] out of range: 60001 (expected 0..60000); nothing was run" \
    --timeouts 60001
refuse sweep.sh "sweep.sh: configs/star-T0-foo=1.ini:8: unknown key 'foo' in section [batch]; nothing was run" \
    --strategies star --timeouts 0 --set batch.foo=1
refuse sweep.sh "sweep.sh: configs/star-T0-bar=1.ini:13: unknown section [foo]; nothing was run" \
    --strategies star --timeouts 0 --set foo.bar=1
refuse sweep.sh "sweep.sh: configs/star-T0-mode=fire.ini:10: unknown delivery mode 'fire' (expected acks, fire-and-forget or cumulative); nothing was run" \
    --strategies star --timeouts 0 --set delivery.mode=acks,fire
refuse sweep.sh "sweep.sh: configs/file-T0.ini:4: strategy 'file' needs a 'file' key in [topology]; nothing was run" \
    --strategies file
# The axes' syntax, before the build.
refuse sweep.sh "sweep.sh: --timeouts batch.timeout_ms: a value is listed twice in '10,10'" --timeouts 10,10
refuse sweep.sh "sweep.sh: --timeouts batch.timeout_ms: a value is listed twice in '010,10'" --timeouts 010,10
refuse sweep.sh "sweep.sh: --timeouts batch.timeout_ms: an empty value in ''" --timeouts ""
refuse sweep.sh "sweep.sh: --set delivery.mode: an empty value in 'acks,'" --set delivery.mode=acks,
refuse sweep.sh "sweep.sh: --set 'batch=1': 'batch' is not SECTION.KEY (the keys: broadcast-node --list-keys)" \
    --set batch=1
refuse sweep.sh "sweep.sh: --set 'batch.timeout_ms': expected NAME=V1,V2,... (see --help)" \
    --set batch.timeout_ms
refuse sweep.sh "sweep.sh: --set delivery.mode: value 'a b' has a character other than letters, digits and ._:/+-" \
    --set "delivery.mode=a b"
refuse sweep.sh "sweep.sh: --set topology.strategy: given twice (also by --strategies)" \
    --strategies tree --set topology.strategy=star
refuse sweep.sh "sweep.sh: --vary 'nodes=1': 'nodes' is not a workload flag (known: node-count, rate, latency, latency-dist, nemesis, nemesis-interval, concurrency, time-limit, node-delay-us, net-wake-us, net-sleep-quantum-us, net-overshoot-us, init-spread-us)" \
    --vary nodes=1
refuse sweep.sh "sweep.sh: --vary init-spread-us: '1000001' is not a whole number of microseconds in 0..1000000" \
    --vary init-spread-us=0,1000001
refuse sweep.sh "sweep.sh: --vary net-wake-us: '-1' is not a whole number of microseconds in 0..1000000" \
    --vary net-wake-us=-1
refuse sweep.sh "sweep.sh: --vary node-count: '0' is not a positive whole number" --vary node-count=5,0
refuse sweep.sh "sweep.sh: --vary latency-dist: 'normal' is not a latency distribution (known: constant, uniform, exponential)" \
    --vary latency-dist=normal
refuse sweep.sh "sweep.sh: --vary nemesis: 'kill' is not a nemesis (known: none, partition)" \
    --vary nemesis=none,kill
refuse sweep.sh "sweep.sh: --node-count and --vary node-count: give one of them" \
    --node-count 5 --vary node-count=5,10
refuse sweep.sh "sweep.sh: --vary node-delay-us: the process runner has no such flag (only the virtual runner)" \
    --runner process --vary node-delay-us=0,1000
refuse sweep.sh "sweep.sh: unknown executor 'cloud' (known: local, parallel)" --executor cloud
refuse sweep.sh "sweep.sh: --sshloginfile needs --executor parallel" --sshloginfile hosts
refuse sweep.sh "sweep.sh: --sshloginfile 'hosts' is not a readable file" \
    --executor parallel --sshloginfile hosts
refuse sweep.sh "sweep.sh: unknown runner 'docker' (known: virtual, process, maelstrom)" \
    --runner docker
refuse sweep.sh "sweep.sh: unknown workload '3f' (known: 3d, 3e)" --workload 3f
refuse sweep.sh "sweep.sh: --seeds '0' is neither a positive whole number nor a list of seeds (1,2)" --seeds 0
refuse sweep.sh "sweep.sh: --seeds '1,,2' is neither a positive whole number nor a list of seeds (1,2)" --seeds 1,,2
refuse sweep.sh "sweep.sh: --seeds: a seed is listed twice in '3,03'" --seeds 3,03
refuse sweep.sh "sweep.sh: --jobs 'two' is not a positive whole number" --jobs two
refuse sweep.sh "sweep.sh: unknown option '--strategy' (see --help)" --strategy tree
refuse sweep.sh "sweep.sh: option '--seeds' needs a value (see --help)" --seeds
GNUPLOT=/nonexistent/gnuplot refuse sweep.sh \
    "sweep.sh: gnuplot not found ('/nonexistent/gnuplot'): install gnuplot-nox, or set GNUPLOT=/path/to/gnuplot"
# A model's flag on a runner that lacks it (a stand-in launcher: nothing runs).
printf '#!/bin/sh\nexit 1\n' >fake-maelstrom || fail "write fake-maelstrom"
chmod +x fake-maelstrom || fail "chmod fake-maelstrom"
MAELSTROM="$WORK_DIR/fake-maelstrom" refuse sweep.sh \
    "sweep.sh: --vary init-spread-us: the maelstrom runner has no such flag (only the virtual and the process runners)" \
    --runner maelstrom --vary init-spread-us=0,10000
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

# best.sh: the limits, the space (its file and line), the counts.
printf -- '--set batch.timeout_ms=0,100\n# a comment\n\n--vary rate=10,20\n--sett topology.strategy=star\n' >space.bad
printf -- '--set delivery.mode=acks,fire\n' >space.mode
refuse best.sh "best.sh: which limits? give 3d or 3e or --limits MPO,P50,MAX (see --help)"
refuse best.sh "best.sh: unknown challenge '3x' (known: 3d, 3e)" 3x
refuse best.sh "best.sh: --limits '30,400': expected MPO,P50,MAX (three numbers)" --limits 30,400
refuse best.sh "best.sh: give a challenge or --limits, not both" 3d --limits 30,400,600
refuse best.sh "best.sh: --recheck-seeds (2) must be more than --seeds (2)" 3d --recheck-seeds 2
refuse best.sh "best.sh: --space 'nope.txt' is not a readable file" 3d --space nope.txt
refuse best.sh "best.sh: space.bad:5: expected '--set SECTION.KEY=V1,...', '--vary FLAG=V1,...' or '--or', got '--sett topology.strategy=star'" \
    3d --space space.bad
refuse best.sh "best.sh: configs/grid-T0-mode=fire.ini:10: unknown delivery mode 'fire' (expected acks, fire-and-forget or cumulative); nothing was run" \
    3e --space space.mode
printf -- '--vary rate=10,x\n' >space.rate
refuse best.sh "best.sh: space.rate:1: --vary rate: 'x' is not a non-negative number" 3d --space space.rate
# Parts: --or between two parts only; a key once per part (twice across parts is fine), a flag
# once in the whole space; the loader's message for a part's configuration.
printf -- '--or\n--set batch.timeout_ms=0\n' >space.or1
refuse best.sh "best.sh: space.or1:1: '--or' with no --set line before it" 3d --space space.or1
printf -- '--set batch.timeout_ms=0\n--or\n# nothing\n' >space.or2
refuse best.sh "best.sh: space.or2:3: '--or' with no --set line after it" 3d --space space.or2
printf -- '--set batch.up_ms=0\n--or\n--set batch.up_ms=0\n--set batch.up_ms=10\n' >space.twice
refuse best.sh "best.sh: space.twice:4: --set batch.up_ms: given twice (also by space.twice:3: --set)" \
    3d --space space.twice
printf -- '--vary rate=10\n--set batch.up_ms=0\n--or\n--vary rate=20\n--set batch.up_ms=10\n' >space.vary2
refuse best.sh "best.sh: space.vary2:4: --vary rate: given twice (also by space.vary2:1: --vary)" \
    3d --space space.vary2
printf -- '--set topology.strategy=star\n--or\n--set topology.strategy=tree\n--set delivery.mode=cumulative\n--set delivery.ack_delay_ms=600\n' >space.part
refuse best.sh "best.sh: configs/tree-T0-mode=cumulative-ack_delay_ms=600.ini:11: cumulative delivery needs 'ack_delay_ms' (600) below 'retry_ms' (500) in [delivery]: the sender would re-send before the ack goes out; nothing was run" \
    3d --space space.part

refuse challenge.sh "challenge.sh: which challenge? give 3d or 3e (see --help)"
refuse challenge.sh "challenge.sh: unknown challenge '3c' (known: 3d, 3e)" 3c
refuse challenge.sh "challenge.sh: config 'no-such.ini' is not a readable file" 3d --config no-such.ini
refuse challenge.sh "challenge.sh: unknown runner 'jvm' (known: virtual, process, maelstrom)" 3e --runner jvm
refuse challenge.sh "challenge.sh: --recovery-wait is not a Maelstrom option" 3e --runner maelstrom --recovery-wait 1
finish
