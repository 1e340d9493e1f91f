#!/usr/bin/env bash
# experiments_facts: proves each fact the experiment scripts use has one source. The strategy
# names broadcast-node lists are exactly the ones its loader accepts, its listed timeout range is
# the loader's, and sweep.sh refuses a strategy or a timeout with the loader's own message on the
# file it generated (the loader is the one judge of a configuration). The challenge limits live in
# experiments/limits.csv only: no script or gnuplot file in experiments/ or plots/ spells the
# latency limits, and a copy of the scripts given other limits (and a third challenge) judges,
# summarises and draws with those. CSV columns are found by name: lib.sh's helper follows a
# reordering, and the figures drawn from reordered summary.csv and fit.csv are the same.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
# shellcheck disable=SC2015 # "a && b || fail" is meant: fail when any step of the chain fails.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
node="$BIN_DIR/broadcast-node"
export GL_BIN_DIR="$BIN_DIR"
setup_work_dir

# ---- strategy names and ranges: the node's list is its loader's --------------------------------
check "--list-strategies" "$node" --list-strategies >strategies 2>err
check "--list-strategies: a list" test -s strategies
step "--list-strategies"
empty err
has_line strategies grid
has_line strategies file
mapfile -t listed <strategies || fail "cannot read strategies"
for s in "${listed[@]}"; do
    step "listed strategy '$s' loads"
    {
        printf '[topology]\nstrategy = %s\n' "$s"
        [[ "$s" != file ]] || echo "file = $SRC_DIR/configs/file-topology.json"
    } >"$s.ini" || fail "cannot write '$s.ini'"
    check "listed strategy '$s' loads" "$node" --check-config "$s.ini" >stdout 2>err
    empty stdout
    empty err
done
# Names near the listed ones, and an empty one, are refused with the loader's message. (The names
# here hold no BRE special character, so "^$s\$" is the whole line $s.)
for s in ring custom Grid gri grid2 tree5 "" maelstrom-x; do
    step "unlisted strategy '$s'"
    count_lines strategies "^$s\$" 0
    printf '[topology]\nstrategy = %s\n' "$s" >bad.ini || fail "cannot write bad.ini"
    rejects 1 "$node" --check-config bad.ini 2>err
    matches err "^broadcast-node: bad.ini:2: unknown strategy '$s' (expected grid, "
done

# The listed timeout range is the loader's: both ends load, one past either end does not.
check "--list-keys" "$node" --list-keys >keys
step "--list-keys: the range of batch.timeout_ms"
range="$(sed -n 's/^batch\.timeout_ms integer //p' keys)" &&
    [[ "$range" =~ ^([0-9]+)\.\.([0-9]+)$ ]] || fail "no range LO..HI in: $(cat keys)"
lo="${BASH_REMATCH[1]}" hi="${BASH_REMATCH[2]}"
for t in "$lo" "$hi" "$((lo - 1))" "$((hi + 1))"; do
    step "timeout_ms = $t"
    printf '[batch]\ntimeout_ms = %s\n' "$t" >t.ini || fail "cannot write t.ini"
    if [[ "$t" == "$lo" || "$t" == "$hi" ]]; then
        check "timeout_ms = $t loads" "$node" --check-config t.ini 2>err
    else
        step "timeout_ms = $t is refused"
        must_fail 1 "$node" --check-config t.ini 2>err
    fi
done

# sweep.sh refuses with the node's loader's message on the INI it generated (the same file, the
# same line), and creates nothing.
for arg in "--strategies ring --timeouts 0" "--strategies grid --timeouts $((hi + 1))"; do
    step "sweep.sh $arg: the loader's message"
    read -r -a args <<<"$arg"
    must_fail 2 "$SRC_DIR/experiments/sweep.sh" "${args[@]}" --out out >/dev/null 2>err
    check "sweep.sh $arg: no result directory" test ! -e out
    # The file it names, written as sweep.sh writes it, and the loader's verdict on it.
    file="$(sed -n 's/^sweep.sh: \(configs\/[^:]*\.ini\):.*/\1/p' err)"
    check "sweep.sh $arg: names a generated file" test -n "$file"
    mkdir -p configs && printf '; generated\n\n[topology]\nstrategy = %s\n\n[batch]\ntimeout_ms = %s\n\n[delivery]\nmode = acks\nretry_ms = 500\n' \
        "${args[1]}" "${args[3]}" >"$file" || fail "cannot write '$file'"
    must_fail 1 "$node" --check-config "$file" 2>loader.err
    step "sweep.sh $arg: the loader's message"
    same_text "sweep.sh: $(sed 's/^broadcast-node: //' loader.err); nothing was run" err
done

# ---- the limits: one file ----------------------------------------------------------------------
# The latency limits, read from the file itself, as whole words in the code of experiments/ and
# plots/ (prose in docs and test oracles are not sources). Four uses of those numbers are not
# limits and are taken out first: ms-to-s conversions ("/ 1000", "< 1000 ?"), the default
# timeouts list, and the values of an INI key (SECTION.KEY=V1,V2,...: best.sh's default space).
limits="$SRC_DIR/experiments/limits.csv"
step "reading $limits"
numbers="$(grep -v '^#' "$limits" | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { print $col["p50_ms"]; print $col["max_ms"] }' | sort -u | paste -sd'|' -)" &&
    [[ "$numbers" =~ ^[0-9|]+$ ]] || fail "no latency limits, but '$numbers'"
step "listing the code"
(cd "$SRC_DIR" && find experiments plots -path experiments/results -prune -o -type f \
    \( -name '*.sh' -o -name '*.gp' -o -name '*.c' -o -name '*.h' -o -name '*.txt' \) -print |
    sort) >code_files || fail "cannot list the code of experiments/ and plots/"
check "listing the code: at least 10 files" test "$(wc -l <code_files)" -ge 10
step "a latency limit ($numbers) written outside experiments/limits.csv"
mapfile -t code <code_files || fail "cannot read code_files"
: >limit_lines || fail "cannot write limit_lines"
for file in "${code[@]}"; do
    sed -E 's#/ 1000(\.0)?\b##g; s#< 1000 \?##g; s#0,10,20,50,100,200,300,500,1000##g;
            s#[A-Za-z_]+\.[A-Za-z_]+=[A-Z0-9,]+##g' \
        "$SRC_DIR/$file" | { grep -nwE "$numbers" || [[ "$?" -eq 1 ]]; } |
        sed "s#^#$file:#" >>limit_lines || fail "cannot search '$file'"
done
empty limit_lines

# A copy of the scripts with other limits, and a third challenge, uses them everywhere. The
# latency limits are below the tiny sweep's latencies, so the latency figure's range has them.
step "the copy"
mkdir -p tree/experiments tree/plots &&
    cp "$SRC_DIR"/experiments/*.sh tree/experiments/ &&
    cp -r "$SRC_DIR"/plots/*.gp "$SRC_DIR"/plots/lib tree/plots/ &&
    cat >tree/experiments/limits.csv <<'EOF' || fail "cannot make the copy"
# other limits, columns in another order
max_ms,challenge,p50_ms,msgs_per_op
217,3d,117,31
444,3e,333,19
777,3z,555,77
EOF
# Its verdicts are not the point (the latencies are above these limits): only the limits it shows.
rc=0
tree/experiments/challenge.sh 3d --config "$SRC_DIR/configs/centred-tree.ini" --time-limit 2 \
    --recovery-wait 1 --out results >challenge.out 2>challenge.err || rc=$?
step "challenge.sh with other limits (exit status $rc, stderr in challenge.err)"
matches challenge.out '^normal  *msgs-per-op (servers)  *< 31 '
matches challenge.out '^normal  *median stable latency  *< 117 ms '
matches challenge.out '^normal  *max stable latency  *< 217 ms '
step "challenge.sh's list of challenges"
must_fail 2 tree/experiments/challenge.sh 3q >/dev/null 2>err
has_line err "challenge.sh: unknown challenge '3q' (known: 3d, 3e, 3z)"

check "the sweep with other limits" tree/experiments/sweep.sh --workload 3z --strategies tree,flat \
    --timeouts 0,100 --seeds 1 --time-limit 2 --recovery-wait 1 --out results >sweep.out 2>sweep.err
step "the sweep's summary with other limits"
out="$(readlink -f results/latest)" || fail "no results/latest"
matches sweep.out '^3z limits (msgs-per-op < 77, p50 < 555 ms, max < 777 ms, every seed ok and converged): '
has_line "$out/sweep.env" 'workload=3z (limits: msgs-per-op < 77, p50 < 555 ms, max < 777 ms)'
# Every figure draws every challenge's limits, and none of the real ones.
step "every figure draws every challenge's limits"
for want in "latency:3d limit 117 ms" "latency:3e limit 444 ms" "latency:3z limit 555 ms" \
    "msgs:3d limit 31" "msgs:3z limit 77" "pareto:3e: &lt; 19 msgs/op, p50 &lt; 333 ms" \
    "pareto:3z: &lt; 77 msgs/op, max &lt; 777 ms" "pareto:3d: &lt; 31 msgs/op, max &lt; 217 ms" "frontier:3e: &lt; 19 msgs/op, p50 &lt; 333 ms"; do
    contains "$out/${want%%:*}.svg" "${want#*:}"
done
step "a figure draws a limit that is not in the copy's limits.csv"
svgs=("$out"/*.svg)
check "the sweep's figures: six SVG files (four figures, two topologies)" test "${#svgs[@]}" -eq 6
for svg in "${svgs[@]}"; do
    step "${svg##*/} draws a limit that is not in the copy's limits.csv"
    count_lines "$svg" 'limit \(400\|600\|1000\|2000\|20\|30\)\b\|&lt; \(30\|20\) msgs' 0
done

# The figures need the limits: without them they stop with a message, drawing nothing.
for fig in latency msgs pareto frontier; do
    step "$fig.gp without limits"
    must_fail 2 env LC_ALL=C.UTF-8 gnuplot \
        -e "sweep='$WORK_DIR/nowhere'; summary='$out/summary.csv'; fits='$out/fit.csv'; svg='nolimits.svg'" \
        "$SRC_DIR/plots/$fig.gp" >/dev/null 2>err
    check "$fig.gp without limits: draws nothing" test ! -e nolimits.svg
    step "$fig.gp without limits"
    matches err "^$fig.gp: give the limits of experiments/limits.csv"
done

# ---- CSV columns by name -----------------------------------------------------------------------
# lib.sh's helper, on a file with comments and its columns reordered.
cat >reordered.csv <<'EOF' || fail "cannot write reordered.csv"
# a comment line, then the header
reason,status,seed,timeout_ms,strategy
,ok,1,0,tree
EOF
# lib FUNCTION ARG...: runs one function of lib.sh in a subshell (PROG=facts in its messages).
lib() {
    (
        # shellcheck disable=SC2034 # read by lib.sh
        PROG=facts
        # shellcheck source=/dev/null
        source "$SRC_DIR/experiments/lib.sh"
        "$@"
    )
}
# lib_gives WANT FUNCTION ARG...: lib FUNCTION ARG... succeeds and prints the line WANT.
lib_gives() {
    local want="$1"
    shift
    check "gl_csv_col after a reordering: $*" lib "$@" >lib.out
    same_text "$want" lib.out
}
lib_gives 4 gl_csv_col reordered.csv strategy
lib_gives 1 gl_csv_col reordered.csv status
lib_gives 0 gl_csv_col reordered.csv reason
lib_gives 2 gl_csv_index "b,a,c" c
lib_gives ",ok,1,0,tree" gl_csv_rows reordered.csv
step "gl_csv_col on a missing column"
must_fail 2 lib gl_csv_col reordered.csv lost >/dev/null 2>lib.err
has_line lib.err "facts: no column 'lost' in the header 'reason,status,seed,timeout_ms,strategy'"

# The figures from summary.csv, fit.csv and frontier.csv with their columns reversed are the same
# figures.
reverse() { awk -F, -v OFS=, '{ for (i = NF; i > 1; i--) printf "%s,", $i; print $1 }' "$1"; }
step "reversing the columns"
reverse "$out/summary.csv" >summary_reversed.csv && reverse "$out/fit.csv" >fit_reversed.csv &&
    reverse "$out/frontier.csv" >frontier_reversed.csv || fail "cannot reverse the columns"
must_fail 1 cmp -s "$out/summary.csv" summary_reversed.csv
lim="sweep='$WORK_DIR/nowhere'; challenges='3d 3e'; limit_mpo='31 19'; limit_p50='417 1234'; limit_max='617 2345'"
for fig in latency msgs pareto frontier; do
    for order in as-is reversed; do
        if [[ "$order" == as-is ]]; then
            sum_csv="$out/summary.csv" fit_csv="$out/fit.csv" front_csv="$out/frontier.csv"
        else
            sum_csv=summary_reversed.csv fit_csv=fit_reversed.csv front_csv=frontier_reversed.csv
        fi
        check "$fig.gp on the $order columns" env LC_ALL=C.UTF-8 gnuplot \
            -e "summary='$sum_csv'; fits='$fit_csv'; frontier='$front_csv'; strategies='tree flat'; $lim; svg='$fig-$order.svg'" \
            "$SRC_DIR/plots/$fig.gp" 2>>gnuplot.err
    done
    step "$fig.gp draws other figures from reordered columns"
    same_file "$fig-as-is.svg" "$fig-reversed.svg"
done
finish
