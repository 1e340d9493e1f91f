# lib.sh: what sweep.sh, best.sh, challenge.sh and run-one.sh share, sourced by each (never run
# on its own): option parsing and the result directory, CSV columns by header name, the challenge
# limits (limits.csv), finding or building the binaries and asking the node what it accepts,
# finding Maelstrom, running one test with any runner and reading its results back through
# `harness results --csv`. With it come lib-axes.sh (the axes of a sweep: --set, --vary, their
# product, the INI files) and lib-exec.sh (running prepared runs locally or with GNU parallel).
# It keeps no state of its own beyond the variables documented at each function; the callers own
# the policy (what to run, where). Everything up to the binaries is plain bash (no awk, sed,
# ...), so argument errors need nothing else on PATH.
# shellcheck shell=bash disable=SC2154,SC2034 # settings from, results to the sourcing script
# shellcheck source-path=SCRIPTDIR

# The challenges' limits: one row per challenge (see the file).
GL_LIMITS_FILE="$SRC_DIR/experiments/limits.csv"

# gl_die MESSAGE: a bad argument or environment, reported before anything runs (exit status 2);
# gl_build's temporary log goes with it.
gl_die() {
    echo "$PROG: $*" >&2
    [[ -z "${GL_BUILD_LOG:-}" ]] || rm -f "$GL_BUILD_LOG"
    [[ -z "${GL_TMP_DIR:-}" ]] || rm -rf "$GL_TMP_DIR"
    exit 2
}

gl_is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
gl_is_posint() { [[ "$1" =~ ^[1-9][0-9]*$ ]]; }

# gl_join SEP WORD...: prints the words joined with SEP ("3d, 3e").
gl_join() {
    local sep="$1" out="${2:-}"
    shift
    (($# == 0)) || shift
    local w
    for w in "$@"; do out+="$sep$w"; done
    printf '%s' "$out"
}

# ---- the workload and the run options both scripts take -------------------------------------

# gl_workload_defaults: sets the Gossip Glomers broadcast workload (node_count=25, rate=100 ops/s,
# time_limit=20 s, latency=100 ms; the other flags --vary takes empty: the harness's defaults)
# and the defaults of the run options the scripts share (runner, out_base, recovery_wait, slim,
# executor, sshloginfile), before their options are parsed.
gl_workload_defaults() {
    runner=virtual
    executor=local
    sshloginfile=""
    latency_dist=""
    nemesis=""
    nemesis_interval=""
    concurrency=""
    node_delay_us=""
    net_wake_us=""
    net_sleep_quantum_us=""
    net_overshoot_us=""
    init_spread_us=""
    out_base="$SRC_DIR/experiments/results"
    time_limit=20
    recovery_wait=""
    node_count=25
    rate=100
    latency=100
    slim=0
}

# gl_check_run_options: validates the variables gl_workload_defaults set, as the options left
# them; dies (exit status 2) on the first bad one.
gl_check_run_options() {
    case "$runner" in
    virtual | process | maelstrom) ;;
    *) gl_die "unknown runner '$runner' (known: virtual, process, maelstrom)" ;;
    esac
    local flag var problem
    for flag in time-limit node-count rate latency; do
        var="${GL_VARY_VAR[$flag]}"
        problem="$(gl_flag_problem "$flag" "${!var}")"
        [[ -z "$problem" ]] || gl_die "--$flag '${!var}' $problem"
    done
    if [[ -n "$recovery_wait" ]]; then
        gl_is_uint "$recovery_wait" || gl_die "--recovery-wait '$recovery_wait' is not a whole number"
        [[ "$runner" != maelstrom ]] || gl_die "--recovery-wait is not a Maelstrom option"
    fi
}

# gl_parse_seeds VALUE: sets GL_SEEDS to the seeds of --seeds VALUE: N means 1..N, a
# comma-separated list means those seeds (whole numbers, none twice); dies otherwise.
gl_parse_seeds() {
    local s
    GL_SEEDS=()
    if gl_is_posint "$1"; then
        for ((s = 1; s <= $1; s++)); do GL_SEEDS+=("$s"); done
        return 0
    fi
    [[ "$1" =~ ^[0-9]+(,[0-9]+)+$ ]] ||
        gl_die "--seeds '$1' is neither a positive whole number nor a list of seeds (1,2)"
    IFS=, read -r -a GL_SEEDS <<<"$1"
    for s in "${!GL_SEEDS[@]}"; do GL_SEEDS[s]=$((10#${GL_SEEDS[s]})); done
    [[ "$(printf '%s\n' "${GL_SEEDS[@]}" | sort | uniq -d)" == "" ]] ||
        gl_die "--seeds: a seed is listed twice in '$1'"
}

# ---- options and the result directory ------------------------------------------------------

# gl_parse_options "VALUE-SPECS" "FLAG-SPECS" ARG...: the option loop of the scripts. A spec is
# OPTION:VARIABLE, e.g. "--seeds:seeds --out:out_base". -h/--help calls the caller's usage and
# exits 0; an option of VALUE-SPECS sets its variable to the next argument (which must exist), or
# appends it to the array VARIABLE when the spec reads OPTION:@VARIABLE (a repeatable option);
# one of FLAG-SPECS sets its variable to 1; any other word starting with '-' is an unknown
# option. Other words (operands) are left, in order, in the array GL_OPERANDS for the caller, and
# the options given are the keys of GL_GIVEN.
gl_parse_options() {
    local values=" $1 " flags=" $2 " opt var
    shift 2
    GL_OPERANDS=()
    declare -gA GL_GIVEN=()
    while (($# > 0)); do
        opt="$1"
        shift
        case "$opt" in
        -h | --help)
            usage
            exit 0
            ;;
        esac
        if [[ "$opt" == -* && "$flags" == *" $opt:"* ]]; then
            var="${flags#* "$opt":}"
            printf -v "${var%% *}" '%s' 1
            GL_GIVEN[$opt]=1
        elif [[ "$opt" == -* && "$values" == *" $opt:"* ]]; then
            (($# >= 1)) || gl_die "option '$opt' needs a value (see --help)"
            var="${values#* "$opt":}"
            var="${var%% *}"
            if [[ "$var" == @* ]]; then
                local -n _gl_list="${var#@}"
                _gl_list+=("$1")
                unset -n _gl_list
            else
                printf -v "$var" '%s' "$1"
            fi
            GL_GIVEN[$opt]=1
            shift
        elif [[ "$opt" == -* ]]; then
            gl_die "unknown option '$opt' (see --help)"
        else
            GL_OPERANDS+=("$opt")
        fi
    done
}

# gl_make_out_dir BASE PREFIX: creates BASE (if need be) and a new directory BASE/PREFIX<stamp>
# in it, <stamp> the UTC time to the second, with -2, -3, ... when that exists (two runs in the
# same second). Sets out_base (BASE made absolute) and out (the new directory).
gl_make_out_dir() {
    mkdir -p "$1" || gl_die "cannot create '$1'"
    out_base="$(cd "$1" && pwd)"
    local stamp n=1
    stamp="$2$(date -u +%Y%m%dT%H%M%SZ)"
    out="$out_base/$stamp"
    until mkdir "$out" 2>/dev/null; do
        n=$((n + 1))
        ((n < 100)) || gl_die "cannot create a result directory under '$out_base'"
        out="$out_base/$stamp-$n"
    done
}

# ---- CSV columns by name -------------------------------------------------------------------
# The CSV files here (sweep.csv, summary.csv, fit.csv, limits.csv, `harness results --csv`) have
# plain comma-separated fields (no quoting) under a header of column names. Scripts read a row
# with `IFS=, read -r -a f` and take a field as "${f[i]}", i from gl_csv_index or gl_csv_col:
# never a position written in the script, so adding or moving a column breaks nothing.

# gl_csv_index HEADER NAME: prints the 0-based index of column NAME in the comma-separated
# HEADER; dies when there is none (a stale file or a bug: nothing sensible can follow).
gl_csv_index() {
    local -a cols
    local i
    IFS=, read -r -a cols <<<"$1"
    for i in "${!cols[@]}"; do
        if [[ "${cols[i]}" == "$2" ]]; then
            echo "$i"
            return 0
        fi
    done
    gl_die "no column '$2' in the header '$1'"
}

# gl_csv_header FILE: prints FILE's header: its first line that is not a '#' comment.
gl_csv_header() {
    local line
    while IFS= read -r line || [[ -n "$line" ]]; do
        if [[ "$line" != "#"* ]]; then
            printf '%s\n' "$line"
            return 0
        fi
    done <"$1"
    gl_die "'$1' has no header line"
}

# gl_csv_col FILE NAME: the index of column NAME in FILE's header (see gl_csv_index).
gl_csv_col() {
    local header
    header="$(gl_csv_header "$1")" && gl_csv_index "$header" "$2"
}

# gl_csv_rows FILE: prints FILE's rows: every line after the header but '#' comments and blank
# lines.
gl_csv_rows() {
    local line header=0
    while IFS= read -r line || [[ -n "$line" ]]; do
        [[ "$line" != "#"* && -n "$line" ]] || continue
        ((header++ == 0)) || printf '%s\n' "$line"
    done <"$1"
}

# ---- the challenge limits (limits.csv) -----------------------------------------------------

# gl_load_limits: reads GL_LIMITS_FILE into GL_CHALLENGES (the challenges, in file order) and the
# associative arrays GL_LIMIT_MPO, GL_LIMIT_P50, GL_LIMIT_MAX (challenge -> limit); dies on a
# malformed file.
gl_load_limits() {
    local file="$GL_LIMITS_FILE" header ic im ip ix row
    local -a f
    [[ -r "$file" ]] || gl_die "cannot read the limits file '$file'"
    header="$(gl_csv_header "$file")"
    ic="$(gl_csv_index "$header" challenge)"
    im="$(gl_csv_index "$header" msgs_per_op)"
    ip="$(gl_csv_index "$header" p50_ms)"
    ix="$(gl_csv_index "$header" max_ms)"
    GL_CHALLENGES=()
    declare -gA GL_LIMIT_MPO=() GL_LIMIT_P50=() GL_LIMIT_MAX=()
    while IFS= read -r row; do
        IFS=, read -r -a f <<<"$row"
        [[ "${f[ic]:-}" =~ ^[0-9a-z]+$ && "${f[im]:-}" =~ ^[0-9]+(\.[0-9]+)?$ &&
            "${f[ip]:-}" =~ ^[0-9]+$ && "${f[ix]:-}" =~ ^[0-9]+$ ]] ||
            gl_die "$file: bad row '$row' (expected a name and three numbers)"
        GL_CHALLENGES+=("${f[ic]}")
        GL_LIMIT_MPO[${f[ic]}]="${f[im]}"
        GL_LIMIT_P50[${f[ic]}]="${f[ip]}"
        GL_LIMIT_MAX[${f[ic]}]="${f[ix]}"
    done < <(gl_csv_rows "$file")
    ((${#GL_CHALLENGES[@]} > 0)) || gl_die "$file: no challenge"
}

# gl_limits CHALLENGE: sets limit_mpo, limit_p50 and limit_max to CHALLENGE's limits; dies
# naming the known challenges when it has none.
gl_limits() {
    [[ -n "${GL_LIMIT_MPO[$1]+set}" ]] ||
        gl_die "unknown ${2:-challenge} '$1' (known: $(gl_join ", " "${GL_CHALLENGES[@]}"))"
    limit_mpo="${GL_LIMIT_MPO[$1]}"
    limit_p50="${GL_LIMIT_P50[$1]}"
    limit_max="${GL_LIMIT_MAX[$1]}"
}

# gl_gnuplot_limits: prints the gnuplot -e assignments plots/*.gp draw the limits from:
# challenges='3d 3e'; limit_mpo='...'; limit_p50='...'; limit_max='...' (the i-th word of each
# list belongs to the i-th challenge).
gl_gnuplot_limits() {
    local c
    local -a mpos=() p50s=() maxs=()
    for c in "${GL_CHALLENGES[@]}"; do
        mpos+=("${GL_LIMIT_MPO[$c]}")
        p50s+=("${GL_LIMIT_P50[$c]}")
        maxs+=("${GL_LIMIT_MAX[$c]}")
    done
    printf "challenges='%s'; limit_mpo='%s'; limit_p50='%s'; limit_max='%s'" \
        "${GL_CHALLENGES[*]}" "${mpos[*]}" "${p50s[*]}" "${maxs[*]}"
}

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

# gl_build: unless GL_BIN_DIR is set, builds (scripts/build-release.sh: profile-guided, the
# profile trained again when the code changed) the release preset's
# harness, broadcast-node, gl-fit and topogen (sweep.sh draws the topologies with it), output
# in a temporary log (gl_keep_build_log moves it to the result directory); on failure shows its
# tail and exits 1. It runs before the result directory exists because the arguments are
# checked against the binaries (gl_node_strategies).
gl_build() {
    GL_BUILD_LOG=""
    [[ -z "${GL_BIN_DIR:-}" ]] || return 0
    GL_BUILD_LOG="$(mktemp "${TMPDIR:-/tmp}/gossip-lab-build.XXXXXX")"
    local log="$GL_BUILD_LOG"
    echo "$PROG: building the release preset (log: $log)" >&2
    if ! (cd "$SRC_DIR" &&
        scripts/build-release.sh harness broadcast-node gl-fit topogen) \
        >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        echo "$PROG: the build failed; see $log" >&2
        exit 1
    fi
}

# gl_keep_build_log DIR: moves gl_build's log (if any) to DIR/build.log.
gl_keep_build_log() {
    [[ -z "${GL_BUILD_LOG:-}" ]] || mv "$GL_BUILD_LOG" "$1/build.log"
}

# ---- what the binaries accept, asked of them -----------------------------------------------

# gl_node_strategies: sets the array GL_STRATEGIES to the strategy names broadcast-node accepts
# (`broadcast-node --list-strategies`, node_bin set by the caller), in the node's order.
gl_node_strategies() {
    local names
    names="$("$node_bin" --list-strategies)" || names=""
    [[ -n "$names" ]] || gl_die "'$node_bin --list-strategies' failed"
    mapfile -t GL_STRATEGIES <<<"$names"
}

# gl_node_keys: reads `broadcast-node --list-keys` (node_bin set by the caller: one line per INI
# key, 'SECTION.KEY TYPE ACCEPTED') into GL_KEYS (the keys, in the node's order) and the
# associative arrays GL_KEY_TYPE (integer, one-of, string, path, ...), GL_KEY_ACCEPTED (e.g.
# 0..60000, acks|fire-and-forget), and GL_KEY_LO, GL_KEY_HI (an integer key's range).
gl_node_keys() {
    local keys key type accepted
    keys="$("$node_bin" --list-keys)" || gl_die "'$node_bin --list-keys' failed"
    GL_KEYS=()
    declare -gA GL_KEY_TYPE=() GL_KEY_ACCEPTED=() GL_KEY_LO=() GL_KEY_HI=()
    while read -r key type accepted; do
        GL_KEYS+=("$key")
        GL_KEY_TYPE[$key]="$type"
        GL_KEY_ACCEPTED[$key]="$accepted"
        if [[ "$type" == integer && "$accepted" =~ ^([0-9]+)\.\.([0-9]+)$ ]]; then
            GL_KEY_LO[$key]="${BASH_REMATCH[1]}"
            GL_KEY_HI[$key]="${BASH_REMATCH[2]}"
        fi
    done <<<"$keys"
}

# gl_check_config INI: dies with the node's own loader message ("INI:line: ...") unless INI loads
# (`broadcast-node --check-config`), so a bad configuration stops a script before any run.
gl_check_config() {
    local err
    err="$("$node_bin" --check-config "$1" 2>&1)" ||
        gl_die "${err#broadcast-node: }; nothing was run"
}

# gl_results_columns: sets GL_RESULTS_HEADER to the header of `harness results --csv` (harness
# set by the caller) and GL_EMPTY_RESULTS to as many empty fields, for a run without results.
gl_results_columns() {
    GL_RESULTS_HEADER="$("$harness" results --csv-header)" ||
        gl_die "'$harness results --csv-header' failed"
    GL_EMPTY_RESULTS="${GL_RESULTS_HEADER//[!,]/}" # N fields, N - 1 commas
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
#   RUN_CSV     the fields of `harness results --csv` (empty fields without results)
#   RUN_STATUS  ok (valid), invalid, unknown (validity), or failed (no results)
#   RUN_REASON  why a run is not ok ("" when ok)
#   RUN_WALL    wall time in seconds, e.g. 0.412
#   RUN_RESULTS the results file read ("" if none)
# Settings from the caller: runner (virtual|process|maelstrom), harness, node_bin, maelstrom,
# node_count, time_limit, rate, latency, nemesis ("" or partition), latency_dist,
# nemesis_interval, concurrency, node_delay_us, net_wake_us, net_sleep_quantum_us,
# net_overshoot_us, init_spread_us (each "" = the harness's default), recovery_wait ("" =
# default), git_rev, slim (1 = write no history, delete the journal once the results are read), and
# gl_results_columns called. A copy of INI goes beside the results, as node.ini.
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
    [[ -z "${latency_dist:-}" ]] || cmd+=(--latency-dist "$latency_dist")
    [[ -z "${nemesis_interval:-}" ]] || cmd+=(--nemesis-interval "$nemesis_interval")
    [[ -z "${concurrency:-}" ]] || cmd+=(--concurrency "$concurrency")
    [[ -z "${node_delay_us:-}" ]] || cmd+=(--node-delay-us "$node_delay_us")
    [[ -z "${net_wake_us:-}" ]] || cmd+=(--net-wake-us "$net_wake_us")
    [[ -z "${net_sleep_quantum_us:-}" ]] || cmd+=(--net-sleep-quantum-us "$net_sleep_quantum_us")
    [[ -z "${net_overshoot_us:-}" ]] || cmd+=(--net-overshoot-us "$net_overshoot_us")
    [[ -z "${init_spread_us:-}" ]] || cmd+=(--init-spread-us "$init_spread_us")
    if [[ "$runner" != maelstrom ]]; then
        cmd+=(--seed "$seed")
        [[ -z "$recovery_wait" ]] || cmd+=(--recovery-wait "$recovery_wait")
        # slim: no history at all (the results are the same, the journal goes below); the
        # store last, so that a caller can print the command without it.
        [[ "${slim:-0}" != 1 ]] || cmd+=(--no-history)
        cmd+=(--store "$dir/store")
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
        # The store keeps the exact configuration the run had, beside its results.
        cp "$ini" "$(dirname "$RUN_RESULTS")/node.ini" 2>/dev/null || true
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
        local lost i
        local -a f
        i="$(gl_csv_index "$GL_RESULTS_HEADER" lost)"
        IFS=, read -r -a f <<<"$RUN_CSV"
        lost="${f[i]:-}"
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

# shellcheck source=lib-axes.sh
source "$SRC_DIR/experiments/lib-axes.sh"
# shellcheck source=lib-exec.sh
source "$SRC_DIR/experiments/lib-exec.sh"
# shellcheck source=lib-report.sh
source "$SRC_DIR/experiments/lib-report.sh"
