# lib.sh: what sweep.sh and challenge.sh share, sourced by both (never run on its own): finding
# or building the binaries, finding Maelstrom, running one test with any runner and reading its
# results back through `harness results --csv`. It keeps no state of its own beyond the
# variables documented at each function; the callers own the policy (what to run, where).
# shellcheck shell=bash disable=SC2154 # the settings come from the sourcing script

# The ten fields of `harness results --csv` for a run that left no results.
# shellcheck disable=SC2034 # used by the scripts that source this file
GL_EMPTY_RESULTS=",,,,,,,,,"

# gl_die MESSAGE: a bad argument or environment, reported before anything runs (exit status 2).
gl_die() {
    echo "$PROG: $*" >&2
    exit 2
}

gl_is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
gl_is_posint() { [[ "$1" =~ ^[1-9][0-9]*$ ]]; }

# gl_check_gnuplot: sets gnuplot (GNUPLOT or `gnuplot` on PATH) or dies.
gl_check_gnuplot() {
    gnuplot="${GNUPLOT:-gnuplot}"
    command -v "$gnuplot" >/dev/null 2>&1 ||
        gl_die "gnuplot not found ('$gnuplot'): install gnuplot-nox, or set GNUPLOT=/path/to/gnuplot"
}

# gl_check_maelstrom: sets maelstrom (MAELSTROM, or `maelstrom` on PATH) or dies saying how to
# get one.
gl_check_maelstrom() {
    maelstrom="${MAELSTROM:-$(command -v maelstrom || true)}"
    [[ -n "$maelstrom" ]] ||
        gl_die "--runner maelstrom needs Maelstrom: put 'maelstrom' on PATH or set MAELSTROM=/path/to/maelstrom (https://github.com/jepsen-io/maelstrom/releases); nothing was run"
    [[ -x "$maelstrom" && ! -d "$maelstrom" ]] ||
        gl_die "Maelstrom launcher '$maelstrom' is not an executable file; nothing was run"
}

# gl_check_bin_dir: with GL_BIN_DIR set, checks it holds harness, broadcast-node and gl-fit and
# sets bin_dir; otherwise sets bin_dir to the release preset's (built by gl_build).
gl_check_bin_dir() {
    if [[ -n "${GL_BIN_DIR:-}" ]]; then
        bin_dir="$(cd "$GL_BIN_DIR" 2>/dev/null && pwd)" ||
            gl_die "GL_BIN_DIR '$GL_BIN_DIR' is not a directory"
        local b
        for b in harness broadcast-node gl-fit; do
            [[ -x "$bin_dir/$b" ]] || gl_die "GL_BIN_DIR has no executable '$b': $bin_dir/$b"
        done
    else
        bin_dir="$SRC_DIR/build/release/bin"
    fi
}

# gl_setup: unless GL_BIN_DIR is set (then the caller brings its own build), installs the Debian
# packages gossip-lab needs that are missing (scripts/setup.sh), so the sweep works on a fresh
# machine; when it cannot (not root, no sudo), setup.sh prints the command and we stop.
gl_setup() {
    [[ -z "${GL_BIN_DIR:-}" ]] || return 0
    "$SRC_DIR/scripts/setup.sh" || gl_die "missing Debian packages (see above)"
}

# gl_build LOG: unless GL_BIN_DIR is set, configures (once) and builds the release preset's
# harness, broadcast-node and gl-fit, output in LOG; on failure shows its tail and exits 1.
gl_build() {
    [[ -z "${GL_BIN_DIR:-}" ]] || return 0
    local log="$1"
    echo "$PROG: building the release preset (log: $log)" >&2
    if ! (cd "$SRC_DIR" &&
        { [[ -f build/release/CMakeCache.txt ]] || cmake --preset release; } &&
        cmake --build --preset release -j "$(nproc)" --target harness broadcast-node gl-fit) \
        >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        echo "$PROG: the build failed; see $log" >&2
        exit 1
    fi
}

# gl_git_rev: prints `git rev-parse HEAD` of the source tree (or "unknown").
gl_git_rev() { git -C "$SRC_DIR" rev-parse HEAD 2>/dev/null || echo unknown; }

# gl_git_dirty: prints yes when tracked files differ from HEAD, else no.
gl_git_dirty() {
    if [[ -z "$(git -C "$SRC_DIR" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
        echo no
    else
        echo yes
    fi
}

# gl_first_line FILE: the first non-empty line of FILE, made safe for a CSV field; when it ends
# with ':' (e.g. "...; last stderr lines:") the next line is joined to it, trimmed.
gl_first_line() {
    local line="" next=""
    if [[ -f "$1" ]]; then
        line="$(grep -m1 -v '^[[:space:]]*$' "$1" || true)"
        if [[ "$line" == *: ]]; then
            next="$(grep -v '^[[:space:]]*$' "$1" | sed -n '2{s/^[[:space:]]*//;p;}')"
            line="$line $next"
        fi
    fi
    line="${line//,/;}"
    line="${line//\"/\'}"
    printf '%s' "${line:0:300}"
}

# gl_run DIR INI SEED: one test of the broadcast workload with the node configured by INI (an
# absolute path), in DIR (created): DIR/run.env (the command, seed, runner, git revision),
# DIR/stdout, DIR/stderr, and the run's store under DIR/store (harness) or DIR/work/store
# (maelstrom). Never fails: it sets
#   RUN_CSV     the ten fields of `harness results --csv` (empty fields without results)
#   RUN_STATUS  ok (valid), invalid, unknown (validity), or failed (no results)
#   RUN_REASON  why a run is not ok ("" when ok)
#   RUN_WALL    wall time in seconds, e.g. 0.412
#   RUN_RESULTS the results file read ("" if none)
# Settings from the caller: runner (virtual|process|maelstrom), harness, node_bin, maelstrom,
# node_count, time_limit, rate, latency, nemesis ("" or partition), recovery_wait ("" =
# default), git_rev, and slim (1 = delete the history and journal once the results are read).
gl_run() {
    local dir="$1" ini="$2" seed="$3"
    mkdir -p "$dir"
    local -a cmd
    local workdir="$dir" wall_limit
    case "$runner" in
    virtual)
        cmd=("$harness" test -w broadcast --virtual --node-config "$ini")
        wall_limit=300
        ;;
    process)
        cmd=("$harness" test -w broadcast --bin "$node_bin" "$ini")
        wall_limit=$((time_limit + ${recovery_wait:-10} + 120))
        ;;
    maelstrom)
        cmd=("$maelstrom" test -w broadcast --bin "$node_bin" "$ini")
        workdir="$dir/work"
        mkdir -p "$workdir"
        wall_limit=$((time_limit + 300))
        ;;
    esac
    cmd+=(--node-count "$node_count" --time-limit "$time_limit" --rate "$rate" --latency "$latency")
    [[ -z "$nemesis" ]] || cmd+=(--nemesis "$nemesis")
    if [[ "$runner" != maelstrom ]]; then
        cmd+=(--seed "$seed" --store "$dir/store")
        [[ -z "$recovery_wait" ]] || cmd+=(--recovery-wait "$recovery_wait")
    fi
    {
        echo "config=$ini"
        echo "seed=$seed"
        [[ "$runner" != maelstrom ]] || echo "note=maelstrom has no --seed: seed only numbers the repetition"
        echo "runner=$runner"
        echo "git_rev=$git_rev"
        printf 'command='
        printf '%q ' "${cmd[@]}"
        printf '\n'
    } >>"$dir/run.env"

    # The test runs as a child we can forward a TERM to (the caller's trap may stop us).
    local start="${EPOCHREALTIME/./}" rc=0 child
    (cd "$workdir" && exec timeout -k 10 "$wall_limit" "${cmd[@]}") \
        >"$dir/stdout" 2>"$dir/stderr" &
    child=$!
    # shellcheck disable=SC2064 # child is fixed now
    trap "kill -TERM $child 2>/dev/null || true" TERM INT
    wait "$child" || rc=$?
    while kill -0 "$child" 2>/dev/null; do wait "$child" || rc=$?; done
    trap - TERM INT
    local us=$((${EPOCHREALTIME/./} - start))
    RUN_WALL="$(printf '%d.%03d' $((us / 1000000)) $(((us % 1000000) / 1000)))"

    RUN_RESULTS=""
    RUN_CSV=""
    RUN_REASON=""
    if [[ "$runner" == maelstrom ]]; then
        [[ ! -f "$workdir/store/latest/results.edn" ]] ||
            RUN_RESULTS="$workdir/store/latest/results.edn"
    else
        local store
        store="$(sed -n 's/^store: //p' "$dir/stdout" | tail -n 1)"
        [[ -z "$store" || ! -f "$store/results.json" ]] || RUN_RESULTS="$store/results.json"
    fi
    if [[ -n "$RUN_RESULTS" ]]; then
        RUN_CSV="$("$harness" results "$RUN_RESULTS" --csv 2>>"$dir/stderr")" || RUN_CSV=""
    fi
    case "$rc" in
    0) RUN_STATUS=ok ;;
    1) RUN_STATUS=invalid ;;
    2) RUN_STATUS=unknown ;;
    *) RUN_STATUS=failed ;;
    esac
    if [[ -z "$RUN_CSV" ]]; then
        RUN_STATUS=failed
        case "$rc" in
        124) RUN_REASON="timed out after $wall_limit s" ;;
        *) RUN_REASON="$(gl_first_line "$dir/stderr")" ;;
        esac
        [[ -n "$RUN_REASON" ]] || RUN_REASON="exit status $rc and no results"
        RUN_CSV="$GL_EMPTY_RESULTS"
    elif [[ "$RUN_STATUS" == unknown ]]; then
        RUN_REASON="validity unknown (e.g. nothing stable)"
    elif [[ "$RUN_STATUS" == invalid ]]; then
        local lost
        lost="$(cut -d, -f9 <<<"$RUN_CSV")"
        if [[ "$lost" != 0 ]]; then
            RUN_REASON="lost $lost values"
        else
            RUN_REASON="results not valid (see the run's results)"
        fi
    elif [[ "$RUN_STATUS" == failed ]]; then
        RUN_REASON="exit status $rc: $(gl_first_line "$dir/stderr")"
    fi
    if ((${slim:-0})) && [[ -n "$RUN_RESULTS" ]]; then
        rm -f "$(dirname "$RUN_RESULTS")"/{history.jsonl,history.edn,journal.jsonl}
    fi
    return 0
}
