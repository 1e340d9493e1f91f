# lib-report.sh: what a sweep's result directory says, sourced by lib.sh (never run on its own):
# the variables the figures are drawn from (figures.gp), drawing a figure, and the summary's
# tables (fits, the configurations inside the limits, the frontier), all read from gl-fit's CSV
# files by column name.
# shellcheck shell=bash disable=SC2154,SC2034 # settings from, results to the sourcing script

# gl_distinct_column FILE NAME: prints the distinct values of column NAME of FILE, space-separated,
# in the order of their first row.
gl_distinct_column() {
    local c
    c="$(gl_csv_col "$1" "$2")"
    gl_csv_rows "$1" | cut -d, -f$((c + 1)) | awk '!seen[$0]++' | paste -sd' ' -
}

# gl_write_figure_vars DIR: writes DIR/figures.gp, the gnuplot assignments plots/*.gp draw the
# sweep in DIR from, each only where the caller's -e did not set it (so -e overrides each one):
# the paths (relative to the variable sweep, the directory), the groups and their variants, the
# node's strategies (colours), the challenges' limits, the workload.
gl_write_figure_vars() {
    local dir="$1" groups="" variants="" g
    if [[ -s "$dir/summary.csv" ]] && (($(wc -l <"$dir/summary.csv") > 1)); then
        groups="$(gl_distinct_column "$dir/summary.csv" group)"
        for g in $groups; do
            [[ "$g" != */* || " $variants " == *" /${g#*/} "* ]] || variants+="${variants:+ }/${g#*/}"
        done
    fi
    gl_node_strategies
    {
        echo "# figures.gp: written by experiments/sweep.sh; plots/*.gp load it to draw this sweep,"
        echo "# each assignment only where gnuplot -e did not set it. sweep is this directory."
        local name file
        for name in summary:summary.csv fits:fit.csv frontier:frontier.csv; do
            file="${name#*:}" name="${name%%:*}"
            echo "if (!exists(\"$name\")) { $name = sweep . \"/$file\" }"
        done
        echo "if (!exists(\"groups\")) { groups = '$groups' }"
        echo "if (!exists(\"variants\")) { variants = '$variants' }"
        echo "if (!exists(\"known\")) { known = '${GL_STRATEGIES[*]}' }"
        echo "if (!exists(\"workload\")) { workload = '$node_count nodes, rate $rate, latency $latency ms, $time_limit s' }"
        echo "if (!exists(\"challenges\")) {"
        echo "    $(gl_gnuplot_limits | sed 's/; /\n    /g')"
        echo "}"
    } >"$dir/figures.gp"
}

# gl_figure DIR FIG: draws plots/FIG.gp of the sweep in DIR into DIR/FIG.png and DIR/FIG.svg (for
# topology, DIR/topology-*.{png,svg}); gnuplot's messages go to DIR/plots.log. Fails when a file
# is missing or empty.
gl_figure() {
    LC_ALL=C.UTF-8 "$gnuplot" -e "sweep='$1'" "$SRC_DIR/plots/$2.gp" >>"$1/plots.log" 2>&1 &&
        { [[ "$2" == topology ]] || [[ -s "$1/$2.png" && -s "$1/$2.svg" ]]; }
}

# gl_topologies DIR: with topogen in bin_dir, writes DIR/topology-<strategy>.dat (topogen's drawing
# data, for the sweep's node count) for each strategy of the sweep topogen knows, and draws them
# with plots/topology.gp; sets GL_TOPOLOGY_FIGURES to the PNG files drawn. Without topogen, or
# for a strategy it does not know (maelstrom, file), nothing.
gl_topologies() {
    local s n="${node_count}"
    GL_TOPOLOGY_FIGURES=""
    [[ -x "$bin_dir/topogen" ]] || return 0
    [[ -z "${GL_AXIS_KIND[node-count]+set}" ]] || n="${GL_AXIS_VALUES[node-count]%%,*}"
    for s in ${GL_AXIS_VALUES[topology.strategy]//,/ }; do
        "$bin_dir/topogen" --strategy "$s" --nodes "$n" --format gnuplot >"$1/topology-$s.dat" 2>/dev/null ||
            rm -f "$1/topology-$s.dat"
    done
    compgen -G "$1/topology-*.dat" >/dev/null || return 0
    if gl_figure "$1" topology; then
        GL_TOPOLOGY_FIGURES="$(cd "$1" && echo topology-*.png)"
    else
        echo "$PROG: figure topology failed; see $1/plots.log" >&2
    fi
}

# gl_point_label VALUE...: the point with these values of GL_AXES, as the summary names it: the
# strategy, T=..., then short=value for every other axis ("star T=100 mode=acks").
gl_point_label() {
    local -a vs=("$@") words=("$1" "T=$2")
    local i
    for ((i = 2; i < ${#GL_AXES[@]}; i++)); do
        words+=("$(gl_axis_short "${GL_AXES[i]}")=${vs[i]}")
    done
    printf '%s' "${words[*]}"
}

# gl_print_fit FIT LOG: the fit table of FIT (gl-fit's fit.csv): per group and quantile k, b, R²
# and the standard errors, or "poor fit" (R² < 0.9: not a model); LOG's "no fit" lines go to
# stderr.
gl_print_fit() {
    grep -F "no fit" "$2" >&2 || true
    if [[ ! -s "$1" ]] || (($(wc -l <"$1") < 2)); then
        echo "fit: none (a fit needs two batch timeouts or more)"
        return 0
    fi
    echo "fit: latency = k*T + b (ms) per group, least squares over the ok runs (se = standard error; R² < 0.9 is a poor fit, not a model)"
    printf '  %-28s %-6s %4s %9s %10s %7s %8s %9s\n' group metric n k b R2 se_k se_b
    local -a cols=() f v
    local name i
    for name in group metric n k b r2 se_k se_b quality; do cols+=("$(gl_csv_col "$1" "$name")"); done
    while IFS=, read -r -a f; do
        v=()
        for i in "${cols[@]}"; do v+=("${f[i]:--}"); done
        if [[ "${v[8]}" == poor ]]; then
            printf '  %-28s %-6s %4s   poor fit (R² %s < 0.9): latency is not linear in T here\n' \
                "${v[0]}" "${v[1]}" "${v[2]}" "${v[5]}"
        else
            printf '  %-28s %-6s %4s %9s %10s %7s %8s %9s\n' "${v[@]:0:8}"
        fi
    done < <(gl_csv_rows "$1")
}

# gl_print_limits_met SUMMARY WORKLOAD SEEDS: the configurations of SUMMARY (gl-fit's
# summary.csv) whose every one of SEEDS seeds ran ok inside WORKLOAD's limits with every node
# holding every value at the final reads (nodes_lacking_max 0, or unknown), as group/T=...;
# past 12 of them, how many and the three with the fewest msgs/op (summary.csv has them all).
gl_print_limits_met() {
    [[ -s "$1" ]] || return 0
    gl_limits "$2"
    local -a cols=() f v met=() cheap
    local name i
    for name in group timeout_ms n failed mpo_max p50_max max_max mpo_mean nodes_lacking_max; do
        cols+=("$(gl_csv_col "$1" "$name")")
    done
    while IFS=, read -r -a f; do
        v=()
        for i in "${cols[@]}"; do v+=("${f[i]:-}"); done
        awk -v n="${v[2]}" -v failed="${v[3]}" -v m="${v[4]}" -v p="${v[5]}" -v x="${v[6]}" \
            -v l="${v[8]}" -v lm="$limit_mpo" -v lp="$limit_p50" -v lx="$limit_max" -v seeds="$3" \
            'BEGIN { exit !(n == seeds && failed == 0 && m < lm && p < lp && x < lx && (l == "" || l == 0)) }' &&
            met+=("${v[7]} ${v[0]}/T=${v[1]}")
    done < <(gl_csv_rows "$1")
    if ((${#met[@]} <= 12)); then
        echo "$2 limits (msgs-per-op < $limit_mpo, p50 < $limit_p50 ms, max < $limit_max ms, every seed ok and converged): $(printf '%s\n' "${met[@]}" | cut -d' ' -f2 | paste -sd' ' -)"
        return 0
    fi
    mapfile -t cheap < <(printf '%s\n' "${met[@]}" | sort -g | head -n 3 | awk '{ printf "%s (%.2f msgs/op)\n", $2, $1 }')
    echo "$2 limits (msgs-per-op < $limit_mpo, p50 < $limit_p50 ms, max < $limit_max ms, every seed ok and converged): ${#met[@]} configurations; the cheapest: $(gl_join ", " "${cheap[@]}")"
}

# gl_print_frontier FRONTIER: the configurations of FRONTIER (gl-fit's frontier.csv), each with
# its means and the seeds' range.
gl_print_frontier() {
    [[ -s "$1" ]] || return 0
    local -a cols=() f
    local name
    for name in label mpo_mean mpo_min mpo_max p50_mean p50_min p50_max max_mean max_min max_max; do
        cols+=("$(gl_csv_col "$1" "$name")")
    done
    echo "frontier: $(($(wc -l <"$1") - 1)) configurations no other beats in msgs/op, p50 and max at once (means over the seeds [min..max]; numbered as in frontier.png when it has too many to name)"
    local n=0
    while IFS=, read -r -a f; do
        n=$((n + 1))
        printf '  %2d. %-34s msgs/op %7.2f [%.2f..%.2f]  p50 %5.0f ms [%.0f..%.0f]  max %5.0f ms [%.0f..%.0f]\n' \
            "$n" "${f[cols[0]]}" "${f[cols[1]]}" "${f[cols[2]]}" "${f[cols[3]]}" "${f[cols[4]]}" \
            "${f[cols[5]]}" "${f[cols[6]]}" "${f[cols[7]]}" "${f[cols[8]]}" "${f[cols[9]]}"
    done < <(gl_csv_rows "$1")
}
