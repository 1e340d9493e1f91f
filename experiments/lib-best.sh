# lib-best.sh: best.sh's re-check on the final runner (process, maelstrom): the winner of the
# virtual search run there, and what a failure there drops. Sourced by best.sh after its own
# functions (judge, rows_of, figures_of, describe, check_stage); uses its globals.
# shellcheck shell=bash disable=SC2154,SC2034 # settings from, results to best.sh

# family_limits: prints fam_limits for judge: "FAMILY|MPO|P50|MAX" entries separated by ';'
# (nothing when plain is 1: the final runner is judged on the limits themselves).
family_limits() {
    local f
    [[ "${plain:-0}" != 1 ]] || return 0
    local -a parts=()
    for f in "${!fam_limits[@]}"; do parts+=("$f|${fam_limits[$f]}"); done
    gl_join ";" "${parts[@]}"
}

# worst_of CSV: "MPO P50 MAX", the largest msgs/op, p50 and max over CSV's ok rows ("" if none).
worst_of() {
    awk -F, -v cm="$(($(gl_csv_index "$CSV_HEADER" msgs_per_op_servers) + 1))" \
        -v cp="$(($(gl_csv_index "$CSV_HEADER" stable_p50) + 1))" \
        -v cx="$(($(gl_csv_index "$CSV_HEADER" stable_max) + 1))" \
        -v cs="$(($(gl_csv_index "$CSV_HEADER" status) + 1))" '
        NR > 1 && $cs == "ok" { if (!n++ || $cm > m) m = $cm; if (n == 1 || $cp > p) p = $cp; if (n == 1 || $cx > x) x = $cx }
        END { if (n) printf "%s %s %s\n", m, p, x }' "$1"
}

# final_check CONFIG: CONFIG on the final runner, seed 1, as is and under partition (unless the
# space varies the nemesis); sets final_ok (1 inside the limits and valid under partition),
# final_part (0 when the partition run failed) and final_dir.
final_check() {
    runner="$final_runner"
    check_stage "$final_runner" 1 "$1"
    final_dir="$stage_dir" final_ok=1 final_part=1
    read -r inside _ <<<"$(plain=1 judge "$final_dir/sweep.csv" "$vary_runs")"
    ((inside)) || final_ok=0
    if [[ -z "${GL_AXIS_KIND[nemesis]+set}" ]]; then
        nemesis=partition
        check_stage "$final_runner-partition" 1 "$1"
        nemesis=""
        [[ "$(gl_csv_rows "$stage_dir/sweep.csv" | cut -d, -f$(($(gl_csv_index "$CSV_HEADER" status) + 1)) | sort -u)" == ok ]] ||
            final_ok=0 final_part=0
    fi
    runner=virtual
}

# reject_final CONFIG FAMILY: after CONFIG failed on the final runner, drops it and appends the
# verdict. Each figure outside the limits there (worst run) against its worst run on seeds 1..R
# in virtual time gives a gap: the family's limit on that figure becomes the limit minus the
# gap (the configurations of the design with less margin than the model missed by are dropped
# too). A failure under partition drops the family; any other (not ok, nodes lacking) the
# configuration alone.
reject_final() {
    local c="$1" f="$2" v x lim gap i before after what="" tight=""
    local -a vw fw lims cur names=("msgs/op" p50 max) units=("" " ms" " ms")
    local -a base=("$limit_mpo" "$limit_p50" "$limit_max")
    v="$(describe "$c"): on the $final_runner runner (seed 1: $(figures_of "$final_dir/sweep.csv"))"
    if ((!final_part)); then
        verdicts+=("$v: not valid under --nemesis partition there: its family is dropped")
        rejected_family["$f"]=1
        return 0
    fi
    rejected["$c"]=1
    read -r -a vw <<<"$(worst_of <(rows_of "$c" "$out/sweep.csv" "$recheck_seeds"))"
    read -r -a fw <<<"$(worst_of "$final_dir/sweep.csv")"
    IFS='|' read -r -a cur <<<"${fam_limits[$f]:-$limit_mpo|$limit_p50|$limit_max}"
    for i in 0 1 2; do
        lims[i]="${cur[i]}"
        ((${#fw[@]} == 3)) || continue
        awk -v a="${fw[i]}" -v l="${base[i]}" 'BEGIN { exit !(a >= l) }' || continue
        gap="$(awk -v a="${fw[i]}" -v b="${vw[i]}" 'BEGIN { printf "%.6g", a - b }')"
        lim="$(awk -v l="${base[i]}" -v g="$gap" -v c="${cur[i]}" 'BEGIN { x = l - g; printf "%.6g", x < c ? x : c }')"
        lims[i]="$lim"
        what+="${what:+, }${names[i]} ${fw[i]} against ${vw[i]}${units[i]} (+$gap)"
        tight+="${tight:+, }${names[i]} < $lim${units[i]}"
    done
    if [[ -z "$what" ]]; then
        verdicts+=("$v: not ok or not converged there: dropped")
        return 0
    fi
    before="$(judge "$out/sweep.csv" 1 | awk -v f="$f" '$1 == 1 && $6 == f' | wc -l)"
    fam_limits["$f"]="$(gl_join "|" "${lims[@]}")"
    after="$(judge "$out/sweep.csv" 1 | awk -v f="$f" '$1 == 1 && $6 == f' | wc -l)"
    x=$((before - after))
    verdicts+=("$v: outside the limits there; worst run against virtual time's on seeds 1..$recheck_seeds: $what: dropped, with its family's configurations with less margin than that gap (the family now needs $tight: $x of those tried so far, itself included, dropped)")
}
