# lib-axes.sh: the axes of a sweep or a search, sourced by lib.sh (never run on its own). An axis
# is a parameter with a list of values: `--set SECTION.KEY=V1,V2,...` for a key of the node's INI
# (any key `broadcast-node --list-keys` prints; each value is checked by the node's own loader),
# `--vary FLAG=V1,V2,...` for a flag of the workload (`harness test`'s). A point is one value of
# every axis; the points of a sweep are the Cartesian product of its axes. A point's node
# configuration is an INI file: the base settings below with the point's --set values. The
# --set value '-' leaves the key out: the base setting where there is one, else the node's own
# default (best.sh's spaces use it for a key that one part of the space sets and another not).
#
# State (set here, read by the callers): GL_AXES, the axis names in order (topology.strategy and
# batch.timeout_ms first, then the others as given); GL_AXIS_KIND[NAME] (set or vary);
# GL_AXIS_VALUES[NAME] (the values, comma-separated); GL_AXIS_OPT[NAME] (the option that gave
# it, for messages); GL_POINTS (after gl_axes_product: one comma-separated value list per point).
# shellcheck shell=bash disable=SC2154,SC2034 # settings from, results to the sourcing script

GL_AXES=()
declare -gA GL_AXIS_KIND=() GL_AXIS_VALUES=() GL_AXIS_OPT=()
GL_POINTS=()

# The workload flags --vary takes, and the variable of gl_run each one sets. The first eight are
# Maelstrom's own options; the model's flags of `harness test` are ours, so no runner but ours
# has them: Maelstrom's delivery timing and setup spread (net-wake-us, net-sleep-quantum-us,
# net-overshoot-us, init-spread-us: the virtual and the process runner) and the node's handling
# time (node-delay-us: the virtual runner only).
declare -gA GL_VARY_VAR=([node-count]=node_count [rate]=rate [latency]=latency
    [latency-dist]=latency_dist [nemesis]=nemesis [nemesis-interval]=nemesis_interval
    [concurrency]=concurrency [time-limit]=time_limit [node-delay-us]=node_delay_us
    [net-wake-us]=net_wake_us [net-sleep-quantum-us]=net_sleep_quantum_us
    [net-overshoot-us]=net_overshoot_us [init-spread-us]=init_spread_us)
GL_VARY_FLAGS=(node-count rate latency latency-dist nemesis nemesis-interval concurrency
    time-limit node-delay-us net-wake-us net-sleep-quantum-us net-overshoot-us init-spread-us)
# The runners that have each of our flags (the others: every runner).
declare -gA GL_VARY_RUNNERS=([node-delay-us]=virtual [net-wake-us]="virtual process"
    [net-sleep-quantum-us]="virtual process" [net-overshoot-us]="virtual process"
    [init-spread-us]="virtual process")

# The base node configuration every generated INI starts from (SECTION.KEY VALUE), in file
# order; an axis replaces a value or adds a key. The strategy and the timeout come from their
# axes (always present).
GL_BASE_INI=("delivery.mode acks" "delivery.retry_ms 500")

# gl_flag_problem FLAG VALUE: prints what is wrong with VALUE for the workload flag FLAG (e.g.
# "is not a positive whole number"), nothing when it is fine.
gl_flag_problem() {
    local v="$2"
    case "$1" in
    node-count | time-limit) gl_is_posint "$v" || echo "is not a positive whole number" ;;
    rate) [[ "$v" =~ ^[0-9]+(\.[0-9]+)?$ ]] || echo "is not a non-negative number" ;;
    latency) gl_is_uint "$v" || echo "is not a whole number of milliseconds" ;;
    node-delay-us | net-wake-us | net-sleep-quantum-us | net-overshoot-us | init-spread-us)
        # harness test's range for each: 0..1000000 us
        [[ "$v" =~ ^[0-9]{1,7}$ ]] && ((10#$v <= 1000000)) ||
            echo "is not a whole number of microseconds in 0..1000000"
        ;;
    latency-dist)
        [[ "$v" =~ ^(constant|uniform|exponential)$ ]] ||
            echo "is not a latency distribution (known: constant, uniform, exponential)"
        ;;
    nemesis) [[ "$v" =~ ^(none|partition)$ ]] || echo "is not a nemesis (known: none, partition)" ;;
    nemesis-interval)
        [[ "$v" =~ ^[0-9]+(\.[0-9]+)?$ && ! "$v" =~ ^0+(\.0*)?$ ]] ||
            echo "is not a positive number of seconds"
        ;;
    concurrency) [[ "$v" =~ ^[1-9][0-9]*n?$ ]] || echo "is not a count N or Kn (K x nodes)" ;;
    *) echo "is not a workload flag" ;;
    esac
}

# gl_axis_add KIND OPTION SPEC: adds the axis SPEC (NAME=V1,V2,...) of KIND (set or vary), given
# by OPTION (--set, --vary, --strategies, ...; used in messages). Checks the syntax of the name
# and the values, the workload flags' values, and that no axis is given twice; dies otherwise.
# What a --set value means is the node's business: gl_axes_check asks its loader.
gl_axis_add() {
    local kind="$1" opt="$2" spec="$3" name values problem
    [[ "$spec" == *=* ]] || gl_die "$opt '$spec': expected NAME=V1,V2,... (see --help)"
    name="${spec%%=*}" values="${spec#*=}"
    if [[ "$kind" == set ]]; then
        [[ "$name" =~ ^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$ ]] ||
            gl_die "$opt '$spec': '$name' is not SECTION.KEY (the keys: broadcast-node --list-keys)"
    else
        [[ -n "${GL_VARY_VAR[$name]+set}" ]] ||
            gl_die "$opt '$spec': '$name' is not a workload flag (known: $(gl_join ", " "${GL_VARY_FLAGS[@]}"))"
    fi
    [[ -z "${GL_AXIS_KIND[$name]+set}" ]] ||
        gl_die "$opt $name: given twice (also by ${GL_AXIS_OPT[$name]})"
    [[ -n "$values" && "$values" != *, && "$values" != ,* && "$values" != *,,* ]] ||
        gl_die "$opt $name: an empty value in '$values'"
    local -a vs
    local v
    IFS=, read -r -a vs <<<"$values"
    for v in "${vs[@]}"; do
        [[ "$v" =~ ^[A-Za-z0-9._:/+-]+$ ]] ||
            gl_die "$opt $name: value '$v' has a character other than letters, digits and ._:/+-"
        if [[ "$kind" == vary ]]; then
            problem="$(gl_flag_problem "$name" "$v")"
            [[ -z "$problem" ]] || gl_die "$opt $name: '$v' $problem"
        fi
    done
    [[ "$(printf '%s\n' "${vs[@]}" | sort | uniq -d)" == "" ]] ||
        gl_die "$opt $name: a value is listed twice in '$values'"
    GL_AXES+=("$name")
    GL_AXIS_KIND[$name]="$kind"
    GL_AXIS_VALUES[$name]="$values"
    GL_AXIS_OPT[$name]="$opt"
}

# gl_axes_default NAME VALUES: adds the --set axis NAME=VALUES unless there is one.
gl_axes_default() {
    [[ -n "${GL_AXIS_KIND[$1]+set}" ]] || gl_axis_add set "(default)" "$1=$2"
}

# gl_axes_order: puts topology.strategy and batch.timeout_ms first (both must be axes: see
# gl_axes_default), the other axes after them in the order given.
gl_axes_order() {
    local -a rest=()
    local a
    for a in "${GL_AXES[@]}"; do
        [[ "$a" == topology.strategy || "$a" == batch.timeout_ms ]] || rest+=("$a")
    done
    GL_AXES=(topology.strategy batch.timeout_ms "${rest[@]}")
}

# gl_axes_with_node: what only the node knows, after the build (node_bin set): a --vary flag of
# the model needs a runner that has it (GL_VARY_RUNNERS); a --set value of an integer key is written in decimal
# without leading zeros (then checked again for a value listed twice); a path key's value is made
# absolute (relative to the current directory), since the INI files live elsewhere.
gl_axes_with_node() {
    local name v i who
    local -a vs
    gl_node_keys
    for name in "${GL_AXES[@]}"; do
        if [[ "${GL_AXIS_KIND[$name]}" == vary ]]; then
            who="${GL_VARY_RUNNERS[$name]:-}"
            [[ -z "$who" || " $who " == *" $runner "* ]] ||
                gl_die "${GL_AXIS_OPT[$name]} $name: the $runner runner has no such flag (only the ${who// / and the } runner$([[ "$who" != *" "* ]] || echo s))"
            continue
        fi
        IFS=, read -r -a vs <<<"${GL_AXIS_VALUES[$name]}"
        for i in "${!vs[@]}"; do
            v="${vs[i]}"
            [[ "$v" != - ]] || continue
            case "${GL_KEY_TYPE[$name]:-}" in
            integer) [[ ! "$v" =~ ^[0-9]{1,18}$ ]] || vs[i]=$((10#$v)) ;;
            path) [[ "$v" == /* ]] || vs[i]="$PWD/$v" ;;
            esac
        done
        [[ "$(printf '%s\n' "${vs[@]}" | sort | uniq -d)" == "" ]] ||
            gl_die "${GL_AXIS_OPT[$name]} $name: a value is listed twice in '${GL_AXIS_VALUES[$name]}'"
        GL_AXIS_VALUES[$name]="$(gl_join , "${vs[@]}")"
    done
}

# gl_axes_product: sets GL_POINTS to the Cartesian product of the axes' values, the last axis
# varying fastest.
gl_axes_product() {
    local -a points=("") next vs
    local name p v
    for name in "${GL_AXES[@]}"; do
        IFS=, read -r -a vs <<<"${GL_AXIS_VALUES[$name]}"
        next=()
        for p in "${points[@]}"; do
            for v in "${vs[@]}"; do next+=("${p:+$p,}$v"); done
        done
        points=("${next[@]}")
    done
    GL_POINTS=("${points[@]}")
}

# gl_axis_short NAME: prints the short name of an axis: the part after its last '.'.
gl_axis_short() { printf '%s' "${1##*.}"; }

# gl_point_ids POINT: sets GL_CONFIG_ID (from the --set values: "star-T100-mode=acks") and
# GL_POINT_ID (with the --vary values too: "star-T100-mode=acks-node-count=5"), both safe as
# directory names (characters other than letters, digits and ._+=- become _). An axis whose
# value is '-' (the key left out) is left out of the names.
gl_point_ids() {
    local -a vs
    local i name v
    IFS=, read -r -a vs <<<"$1"
    GL_CONFIG_ID="${vs[0]}-T${vs[1]}"
    GL_POINT_ID=""
    for ((i = 2; i < ${#GL_AXES[@]}; i++)); do
        name="${GL_AXES[i]}"
        [[ "${vs[i]}" != - ]] || continue
        v="${name##*.}=${vs[i]}"
        if [[ "${GL_AXIS_KIND[$name]}" == set ]]; then
            GL_CONFIG_ID+="-$v"
        else
            GL_POINT_ID+="-$v"
        fi
    done
    GL_CONFIG_ID="${GL_CONFIG_ID//[!A-Za-z0-9._+=-]/_}"
    GL_POINT_ID="$GL_CONFIG_ID${GL_POINT_ID//[!A-Za-z0-9._+=-]/_}"
}

# gl_write_ini FILE POINT: writes the node configuration of POINT: the base settings with the
# point's --set values, grouped by section (topology, batch, delivery, then any other in the order
# the axes name them), one key per line.
gl_write_ini() {
    local file="$1" i name key section
    local -a vs settings=() sections=()
    declare -A value=()
    IFS=, read -r -a vs <<<"$2"
    for i in "${!GL_AXES[@]}"; do
        name="${GL_AXES[i]}"
        [[ "${GL_AXIS_KIND[$name]}" == set && "${vs[i]}" != - ]] || continue
        [[ -n "${value[$name]+set}" ]] || settings+=("$name")
        value[$name]="${vs[i]}"
    done
    for i in "${GL_BASE_INI[@]}"; do
        key="${i%% *}"
        [[ -n "${value[$key]+set}" ]] || {
            settings+=("$key")
            value[$key]="${i#* }"
        }
    done
    for section in topology batch delivery "${settings[@]%%.*}"; do
        [[ " ${sections[*]} " == *" $section "* ]] || sections+=("$section")
    done
    {
        printf '; generated by experiments/%s (git %s):' "$PROG" "${git_rev:-unknown}"
        for i in "${!GL_AXES[@]}"; do
            [[ "${GL_AXIS_KIND[${GL_AXES[i]}]}" == set && "${vs[i]}" != - ]] && printf ' %s=%s' "${GL_AXES[i]}" "${vs[i]}"
        done
        printf '\n'
        for section in "${sections[@]}"; do
            printf '\n[%s]\n' "$section"
            for key in "${settings[@]}"; do
                [[ "${key%%.*}" != "$section" ]] || printf '%s = %s\n' "${key#*.}" "${value[$key]}"
            done
        done
    } >"$file"
}

# gl_write_configs DIR: writes DIR/configs/<config id>.ini for every point of GL_POINTS (each
# distinct configuration once) and has the node's loader check each, run in DIR so that its
# message names the file as configs/<id>.ini; dies (status 2) with that message, or when two
# points would share a directory name. Sets GL_POINT_CONFIG[i] and GL_POINT_RUN[i] to the config
# id and point id of point i.
gl_write_configs() {
    local dir="$1" i err
    declare -gA GL_POINT_CONFIG=() GL_POINT_RUN=()
    declare -A seen=() written=()
    mkdir -p "$dir/configs" || gl_die "cannot create '$dir/configs'"
    for i in "${!GL_POINTS[@]}"; do
        gl_point_ids "${GL_POINTS[i]}"
        [[ -z "${seen[$GL_POINT_ID]+set}" ]] ||
            gl_die "the points '${seen[$GL_POINT_ID]}' and '${GL_POINTS[i]}' would share the directory '$GL_POINT_ID'"
        seen[$GL_POINT_ID]="${GL_POINTS[i]}"
        GL_POINT_CONFIG[$i]="$GL_CONFIG_ID"
        GL_POINT_RUN[$i]="$GL_POINT_ID"
        [[ -z "${written[$GL_CONFIG_ID]+set}" ]] || continue
        written[$GL_CONFIG_ID]=1
        gl_write_ini "$dir/configs/$GL_CONFIG_ID.ini" "${GL_POINTS[i]}"
        err="$(cd "$dir" && "$node_bin" --check-config "configs/$GL_CONFIG_ID.ini" 2>&1)" ||
            gl_die "${err#broadcast-node: }; nothing was run"
    done
}
