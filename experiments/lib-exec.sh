# lib-exec.sh: running a set of prepared runs, sourced by lib.sh (never run on its own). A run is
# a directory holding node.ini (its configuration) and job.env (everything gl_run needs, as shell
# assignments); gl_run_one DIR runs it and leaves its CSV row in DIR/row.csv. The executor
# decides where it runs:
#   local     --jobs at a time on this machine (subshells of this shell calling gl_run_one);
#   parallel  GNU parallel, over the machines of --sshloginfile FILE (':' is this machine) or,
#             without one, --jobs at a time here, each run by experiments/run-one.sh DIR (which
#             calls gl_run_one). Every machine has gossip-lab built at the same path as here
#             (run-one.sh and the binaries are run from there); each run's node.ini
#             and job.env travel there with --transferfile and its directory comes back with
#             --return (both at the same absolute path; no-ops for ':').
# Either way the rows are the same but for wall_s and host (tests/cli/experiments_parallel.sh).
# shellcheck shell=bash disable=SC2154,SC2034 # settings from, results to the sourcing script

# gl_check_executor: validates executor (local or parallel) and sshloginfile ("" or a readable
# file, parallel only) and, for parallel, that GNU parallel is installed; dies otherwise.
gl_check_executor() {
    case "$executor" in
    local) [[ -z "$sshloginfile" ]] || gl_die "--sshloginfile needs --executor parallel" ;;
    parallel)
        command -v parallel >/dev/null 2>&1 ||
            gl_die "--executor parallel needs GNU parallel (Debian package 'parallel'; scripts/setup.sh installs it)"
        [[ -z "$sshloginfile" || (-f "$sshloginfile" && -r "$sshloginfile") ]] ||
            gl_die "--sshloginfile '$sshloginfile' is not a readable file"
        [[ -z "$sshloginfile" ]] || sshloginfile="$(cd "$(dirname "$sshloginfile")" && pwd)/$(basename "$sshloginfile")"
        ;;
    *) gl_die "unknown executor '$executor' (known: local, parallel)" ;;
    esac
}

# gl_csv_header_for_axes: prints the header of a sweep CSV with the current axes: the axes, seed,
# runner, the results' columns, wall_s, git_rev, host, status, reason.
gl_csv_header_for_axes() {
    printf '%s,seed,runner,%s,wall_s,git_rev,host,status,reason\n' \
        "$(gl_join , "${GL_AXES[@]}")" "$GL_RESULTS_HEADER"
}

# gl_prepare_run DIR INI POINT SEED: creates the run directory DIR with a copy of INI as node.ini
# and job.env: the point's values, its seed, and the settings gl_run reads, the point's --vary
# values replacing the workload's.
gl_prepare_run() {
    local dir="$1" point="$3" seed="$4" i name var
    local -a vs
    if ! mkdir -p "$dir" || ! cp "$2" "$dir/node.ini"; then
        gl_die "cannot prepare the run directory '$dir'"
    fi
    IFS=, read -r -a vs <<<"$point"
    local -A w=([runner]="$runner" [harness]="$harness" [node_bin]="$node_bin"
        [maelstrom]="${maelstrom:-}" [git_rev]="$git_rev" [slim]="${slim:-0}"
        [recovery_wait]="$recovery_wait" [node_count]="$node_count" [time_limit]="$time_limit"
        [rate]="$rate" [latency]="$latency" [latency_dist]="${latency_dist:-}"
        [nemesis]="${nemesis:-}" [nemesis_interval]="${nemesis_interval:-}"
        [concurrency]="${concurrency:-}" [node_delay_us]="${node_delay_us:-}"
        [net_wake_us]="${net_wake_us:-}" [net_sleep_quantum_us]="${net_sleep_quantum_us:-}"
        [net_overshoot_us]="${net_overshoot_us:-}" [init_spread_us]="${init_spread_us:-}")
    for i in "${!GL_AXES[@]}"; do
        name="${GL_AXES[i]}"
        [[ "${GL_AXIS_KIND[$name]}" == vary ]] || continue
        var="${GL_VARY_VAR[$name]}"
        w[$var]="${vs[i]}"
        [[ "$var" != nemesis || "${vs[i]}" != none ]] || w[$var]=""
    done
    {
        echo "# job.env: the settings experiments/run-one.sh runs this run with (written by $PROG)"
        printf 'row_prefix=%q\nseed=%q\nGL_RESULTS_HEADER=%q\n' "$point" "$seed" "$GL_RESULTS_HEADER"
        for var in runner harness node_bin maelstrom git_rev slim recovery_wait node_count \
            time_limit rate latency latency_dist nemesis nemesis_interval concurrency node_delay_us \
            net_wake_us net_sleep_quantum_us net_overshoot_us init_spread_us; do
            printf '%s=%q\n' "$var" "${w[$var]}"
        done
    } >"$dir/job.env"
    for i in "${!GL_AXES[@]}"; do echo "${GL_AXES[i]}=${vs[i]}"; done >"$dir/run.env"
}

# gl_run_one DIR: runs the prepared run DIR (gl_run with its job.env and node.ini) and leaves its
# CSV row in DIR/row.csv: the point's values, the seed, the runner, the results' columns,
# wall_s, git_rev, the host (GL_HOST, the caller's `uname -n`), status and reason. Call it in a
# subshell: job.env's assignments are its own.
gl_run_one() {
    local dir="$1"
    # shellcheck source=/dev/null
    source "$dir/job.env"
    [[ -n "${GL_RESULTS_HEADER:-}" ]] || gl_results_columns
    GL_EMPTY_RESULTS="${GL_RESULTS_HEADER//[!,]/}"
    gl_run "$dir" "$dir/node.ini" "$seed"
    printf '%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$row_prefix" "$seed" "$runner" "$RUN_CSV" "$RUN_WALL" \
        "$git_rev" "$GL_HOST" "$RUN_STATUS" "$RUN_REASON" >"$dir/row.csv.tmp"
    mv "$dir/row.csv.tmp" "$dir/row.csv"
}

# gl_execute LIST: runs every run directory named in the file LIST (one a line) with the
# executor (executor, jobs, sshloginfile set by the caller), reporting progress on stderr.
# Returns when all have ended; a run that fails leaves no row (gl_collect_rows says so).
gl_execute() {
    local list="$1" total
    total="$(wc -l <"$list")"
    if [[ "$executor" == parallel ]]; then
        local -a cmd=(parallel --will-cite --halt never -j "$jobs" --joblog "$(dirname "$list")/parallel.log")
        [[ ! -t 2 ]] || cmd+=(--bar)
        [[ -z "$sshloginfile" ]] || cmd+=(--sshloginfile "$sshloginfile"
            --transferfile '{}/node.ini' --transferfile '{}/job.env' --return '{}' --cleanup)
        "${cmd[@]}" "$SRC_DIR/experiments/run-one.sh" '{}' :::: "$list" >/dev/null ||
            echo "$PROG: GNU parallel: some jobs failed; see $(dirname "$list")/parallel.log" >&2
        return 0
    fi
    local running=0 done_runs=0 dir
    GL_HOST="$(uname -n)"
    _gl_progress 0 "$total"
    while IFS= read -r dir; do
        while ((running >= jobs)); do
            wait -n || true
            running=$((running - 1)) done_runs=$((done_runs + 1))
            _gl_progress "$done_runs" "$total"
        done
        (gl_run_one "$dir") &
        running=$((running + 1))
    done <"$list"
    while ((running > 0)); do
        wait -n || true
        running=$((running - 1)) done_runs=$((done_runs + 1))
        _gl_progress "$done_runs" "$total"
    done
}

# _gl_progress DONE TOTAL: the progress line: updated in place on a terminal, one line per tenth
# in a log. GL_EXEC_START (EPOCHREALTIME without the point) is set at DONE = 0.
_gl_progress() {
    local done="$1" total="$2" el eta line
    if ((done == 0)); then
        GL_EXEC_START="${EPOCHREALTIME/./}" GL_LAST_DECILE=-1
    fi
    el=$(((${EPOCHREALTIME/./} - GL_EXEC_START) / 1000000))
    if ((done > 0)); then eta="$((el * (total - done) / done)) s"; else eta="?"; fi
    line="$PROG: run $done of $total done, elapsed $el s, ETA $eta"
    if [[ -t 2 ]]; then
        printf '\r%s\033[K' "$line" >&2
        ((done < total)) || printf '\n' >&2
    elif ((done * 10 / total != GL_LAST_DECILE)); then
        GL_LAST_DECILE=$((done * 10 / total))
        echo "$line" >&2
    fi
}

# gl_collect_rows HEADER LIST: prints HEADER and the row of each run of LIST in LIST's order; a
# run without a row gets a failed one, with the point and seed of its job.env.
gl_collect_rows() {
    local dir row_prefix seed
    echo "$1"
    while IFS= read -r dir; do
        if [[ -s "$dir/row.csv" ]]; then
            cat "$dir/row.csv"
        else
            row_prefix="" seed=""
            # shellcheck source=/dev/null
            source <(grep -E '^(row_prefix|seed)=' "$dir/job.env")
            echo "$row_prefix,$seed,$runner$GL_EMPTY_RESULTS,,$git_rev,,failed,the run left no row"
        fi
    done <"$2"
}

# gl_signal_stop: the INT/TERM trap of a script that runs runs: stops them, leaves the result
# directory as it is, exits 130.
gl_signal_stop() {
    trap - INT TERM
    echo "" >&2
    echo "$PROG: interrupted; stopping the runs in progress (${out:-nothing} left as it is)" >&2
    local p
    local -a pids=()
    p="$(jobs -p)"
    read -r -d "" -a pids <<<"$p" || true
    ((${#pids[@]} == 0)) || kill -TERM "${pids[@]}" 2>/dev/null || true
    wait || true
    exit 130
}
