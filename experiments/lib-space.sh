# lib-space.sh: best.sh's search space, sourced by best.sh after lib.sh (never run on its own).
#
# A space is a file of lines `--set SECTION.KEY=V1,V2,...` and `--vary FLAG=V1,V2,...` (as
# sweep.sh's options; '#' comments and blank lines are skipped), cut into parts by lines `--or`.
# Each part is the Cartesian product of its --set axes; the space is the union of its parts, so
# that a key which only matters for some designs (topology.hubs for hubs, ack_delay_ms for
# cumulative delivery) is varied only with them. A --set key that a part does not name has the
# value '-' in that part's points: the key is left out of the INI (lib-axes.sh). The --vary
# lines apply to the whole space, wherever they stand. A space without --or is one part: the
# product of every line, as sweep.sh would run it.
# shellcheck shell=bash disable=SC2154,SC2034,SC2153 # settings from, results to the sourcing script

# The default space: one part a line, "WHAT|KEY=VALUES KEY=VALUES ...". VALUES is a list, or ALL:
# every value the node accepts for a one-of key (for topology.strategy every strategy but file,
# which needs a topology file of its own). gl_default_space keeps only what the node lists. The
# numbers suit the challenges' workload (latency 100 ms, so a round trip of 200): no retry_ms
# below a round trip, which only re-sends what is on its way (at T = 0 retry_ms = 100 costs
# ~4000 msgs/op and a minute a run); periods up to 1600 ms for 3e's 1 s median.
GL_DEFAULT_PARTS=(
    "every strategy x every delivery mode x one batch period for every direction|topology.strategy=ALL delivery.mode=ALL batch.timeout_ms=0,100,200,400,800,1600"
    "hubs: the number of hubs|topology.strategy=hubs topology.hubs=2,3,8,13 delivery.mode=ALL batch.timeout_ms=0,200,800"
    "kary: the children per node|topology.strategy=kary topology.fanout=3,4,8 delivery.mode=ALL batch.timeout_ms=0,200,800"
    "per-direction periods: up (towards the root or hub) against down|topology.strategy=star,tree,kary,hubs delivery.mode=acks,cumulative batch.up_ms=0,200,800 batch.down_ms=0,200,800"
    "hubs: across (hub to hub) against up and down|topology.strategy=hubs delivery.mode=cumulative batch.up_ms=0,400 batch.down_ms=0,400 batch.across_ms=0,100,400,1600"
    "pipelined grids: the anchor x the period x the down offset, acks riding on batches|topology.strategy=star,tree,hubs delivery.mode=cumulative batch.phase=ALL batch.timeout_ms=200,400,800,1600 batch.down_offset_ms=0,60,120 delivery.ack_delay_ms=1000 delivery.retry_ms=2000"
    "the other directions' offsets|topology.strategy=star,hubs delivery.mode=cumulative batch.phase=clock batch.timeout_ms=400 batch.down_offset_ms=120 batch.up_offset_ms=0,50,200 batch.across_offset_ms=0,50,200 delivery.ack_delay_ms=1000 delivery.retry_ms=2000"
    "cumulative: how long an ack waits for a message to ride on|topology.strategy=star,tree,flat delivery.mode=cumulative batch.timeout_ms=100,400,1600 delivery.ack_delay_ms=0,250,1000,3000 delivery.retry_ms=4000"
    "acks: the retry period|topology.strategy=star,tree,flat delivery.mode=acks batch.timeout_ms=0,400 delivery.retry_ms=300,1000,4000"
    "anti-entropy: digest period and age|topology.strategy=flat,star,tree delivery.mode=fire-and-forget batch.timeout_ms=0,400,1600 delivery.sync_ms=500,2000 delivery.sync_age_ms=500,2000"
    "batches that leave when full|topology.strategy=star,tree,flat delivery.mode=acks,cumulative batch.timeout_ms=400,1600 batch.max_values=4,16,64"
)
# The part of a key that no part above names (SECTION.KEY: the key; LO: its lowest value; an
# integer key takes these values, a one-of key ALL).
GL_DEFAULT_OTHER="topology.strategy=star,tree,flat batch.timeout_ms=0,400 SECTION.KEY=LO,100,400,1600"

# _gl_space_values KEY VALUES: prints VALUES (a list or ALL) as the node accepts them for KEY:
# ALL expanded, values the node does not list dropped, integers clipped to the key's range (and
# topology.hubs to node_count), duplicates dropped; nothing when none is left.
_gl_space_values() {
    local key="$1" v lo hi
    local -a in=() kept=()
    if [[ "$2" == ALL && "$key" == topology.strategy ]]; then
        for v in "${GL_STRATEGIES[@]}"; do [[ "$v" == file ]] || in+=("$v"); done
    elif [[ "$2" == ALL ]]; then
        IFS='|' read -r -a in <<<"${GL_KEY_ACCEPTED[$key]}"
    else
        IFS=, read -r -a in <<<"$2"
    fi
    for v in "${in[@]}"; do
        if [[ -n "${GL_KEY_LO[$key]+set}" ]]; then
            lo="${GL_KEY_LO[$key]}" hi="${GL_KEY_HI[$key]}"
            [[ "$key" != topology.hubs ]] || ((hi <= node_count)) || hi="$node_count"
            ((v >= lo)) || v="$lo"
            ((v <= hi)) || v="$hi"
        elif [[ "$key" == topology.strategy ]]; then
            [[ " ${GL_STRATEGIES[*]} " == *" $v "* ]] || continue
        elif [[ "${GL_KEY_TYPE[$key]}" == one-of ]]; then
            [[ "|${GL_KEY_ACCEPTED[$key]}|" == *"|$v|"* ]] || continue
        fi
        [[ " ${kept[*]} " == *" $v "* ]] || kept+=("$v")
    done
    gl_join , "${kept[@]}"
}

# _gl_space_part WHAT SPECS: prints the part WHAT of the space (SPECS: KEY=VALUES words) as far
# as the node has its keys and values, after the separator in sep (then set to --or); nothing
# when a key loses all its values (e.g. the strategy hubs, were it gone). Adds its keys to named.
_gl_space_part() {
    local spec key values
    local -a specs lines=()
    read -r -a specs <<<"$2"
    for spec in "${specs[@]}"; do
        key="${spec%%=*}"
        [[ -n "${GL_KEY_TYPE[$key]+set}" ]] || continue
        values="$(_gl_space_values "$key" "${spec#*=}")"
        [[ -n "$values" ]] || return 0
        lines+=("--set $key=$values")
        named+="$key "
    done
    printf '%s# %s\n' "$sep" "$1"
    printf '%s\n' "${lines[@]}"
    sep=$'--or\n'
}

# gl_default_space: prints best.sh's default space (node_bin and node_count set): the parts of
# GL_DEFAULT_PARTS as far as the node has their keys and values, then a part GL_DEFAULT_OTHER
# for each integer or one-of key of `broadcast-node --list-keys` that no part names, so that a
# node that gains a key gets it searched. Keys of other types are left out, and said so.
gl_default_space() {
    local part key other named=" " sep="" leftout=""
    gl_node_keys
    gl_node_strategies
    echo "# the default space of best.sh (experiments/lib-space.sh), from broadcast-node"
    echo "# --list-strategies and --list-keys; parts separated by --or, the space their union"
    for part in "${GL_DEFAULT_PARTS[@]}"; do _gl_space_part "${part%%|*}" "${part#*|}"; done
    for key in "${GL_KEYS[@]}"; do
        [[ "$named" != *" $key "* ]] || continue
        other="${GL_DEFAULT_OTHER//SECTION.KEY/$key}"
        case "${GL_KEY_TYPE[$key]}" in
        integer) other="${other//=LO,/=${GL_KEY_LO[$key]},}" ;;
        one-of) other="${other%=*}=ALL" ;;
        *)
            leftout+="${leftout:+, }$key (${GL_KEY_TYPE[$key]})"
            continue
            ;;
        esac
        _gl_space_part "$key, which no part above names" "$other"
    done
    # topology.root and topology.file: a node id and a topology file are the user's to give.
    [[ -z "$leftout" ]] || echo "# left out (not a number or a choice of values): $leftout"
}

# gl_space_read FILE WHERE: reads the space in FILE (WHERE names it in messages: "FILE:LINE:
# ..."), checks every line, and sets the axes of the whole space: GL_AXES (topology.strategy,
# batch.timeout_ms, the other --set keys in order of first mention, then the --vary flags),
# GL_AXIS_KIND, GL_AXIS_VALUES (every value any part gives, '-' left out), GL_AXIS_OPT, and
# GL_POINTS: each part's product (a part without topology.strategy or batch.timeout_ms has grid
# and 0, as sweep.sh), '-' for the keys the part does not name, each point once. GL_SPACE_PARTS:
# how many parts. Dies (status 2) on a bad line. node_bin, runner set.
gl_space_read() {
    local file="$1" where="$2" lineno=0 line opt spec extra cur="" p a i
    local -a parts=() vary=() part_lines axes_u=() points_u=() vs
    while IFS= read -r line || [[ -n "$line" ]]; do
        lineno=$((lineno + 1))
        read -r opt spec extra <<<"$line" || true
        [[ -n "${opt:-}" && "$opt" != \#* ]] || continue
        if [[ "$opt" == --or && -z "${spec:-}" ]]; then
            [[ -n "$cur" ]] || gl_die "$where:$lineno: '--or' with no --set line before it"
            parts+=("$cur") cur=""
            continue
        fi
        [[ -z "${extra:-}" && -n "${spec:-}" && ("$opt" == --set || "$opt" == --vary) ]] ||
            gl_die "$where:$lineno: expected '--set SECTION.KEY=V1,...', '--vary FLAG=V1,...' or '--or', got '$line'"
        if [[ "$opt" == --vary ]]; then vary+=("$lineno $spec"); else cur+="$lineno $spec"$'\n'; fi
    done <"$file"
    [[ -n "$cur" || ${#parts[@]} -eq 0 ]] || gl_die "$where:$lineno: '--or' with no --set line after it"
    parts+=("$cur")
    # The --vary flags once, for the whole space.
    GL_AXES=()
    GL_AXIS_KIND=() GL_AXIS_VALUES=() GL_AXIS_OPT=()
    for line in "${vary[@]}"; do gl_axis_add vary "$where:${line%% *}: --vary" "${line#* }"; done
    declare -A kind_u=() values_u=() opt_u=() seen=()
    for p in "${parts[@]}"; do
        GL_AXES=()
        GL_AXIS_KIND=() GL_AXIS_VALUES=() GL_AXIS_OPT=()
        mapfile -t part_lines < <(printf '%s' "$p")
        for line in "${part_lines[@]}"; do gl_axis_add set "$where:${line%% *}: --set" "${line#* }"; done
        for line in "${vary[@]}"; do gl_axis_add vary "$where:${line%% *}: --vary" "${line#* }"; done
        gl_axes_default topology.strategy grid
        gl_axes_default batch.timeout_ms 0
        gl_axes_order
        gl_axes_with_node
        for a in "${GL_AXES[@]}"; do
            if [[ -z "${kind_u[$a]+set}" ]]; then
                axes_u+=("$a")
                kind_u[$a]="${GL_AXIS_KIND[$a]}" opt_u[$a]="${GL_AXIS_OPT[$a]}" values_u[$a]=""
            fi
            for i in ${GL_AXIS_VALUES[$a]//,/ }; do
                [[ "$i" == - || ",${values_u[$a]}," == *",$i,"* ]] || values_u[$a]+="${values_u[$a]:+,}$i"
            done
        done
        gl_axes_product
        # Each point as NAME=VALUE words of its part's axes, mapped to the union below.
        for line in "${GL_POINTS[@]}"; do
            IFS=, read -r -a vs <<<"$line"
            cur=""
            for i in "${!GL_AXES[@]}"; do cur+="${GL_AXES[i]}=${vs[i]} "; done
            points_u+=("$cur")
        done
    done
    # The union: the --set axes in order of first mention (strategy and T first), the --vary
    # flags last; a point of a part lacking an axis has '-' there.
    GL_AXES=()
    for a in "${axes_u[@]}"; do [[ "${kind_u[$a]}" != set ]] || GL_AXES+=("$a"); done
    for a in "${axes_u[@]}"; do [[ "${kind_u[$a]}" != vary ]] || GL_AXES+=("$a"); done
    GL_AXIS_KIND=() GL_AXIS_VALUES=() GL_AXIS_OPT=()
    # shellcheck disable=SC2004 # associative arrays (lib-axes.sh)
    for a in "${GL_AXES[@]}"; do
        GL_AXIS_KIND[$a]="${kind_u[$a]}" GL_AXIS_VALUES[$a]="${values_u[$a]}" GL_AXIS_OPT[$a]="${opt_u[$a]}"
    done
    GL_POINTS=()
    local -A val=()
    for cur in "${points_u[@]}"; do
        val=()
        for i in $cur; do val[${i%%=*}]="${i#*=}"; done
        line=""
        for a in "${GL_AXES[@]}"; do line+="${line:+,}${val[$a]:--}"; done
        [[ -n "${seen[$line]+set}" ]] || GL_POINTS+=("$line")
        seen[$line]=1
    done
    GL_SPACE_PARTS="${#parts[@]}"
}
