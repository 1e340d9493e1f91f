#!/usr/bin/env bash
# experiments_facts: proves each fact the experiment scripts use has one source. The strategy
# names broadcast-node lists are exactly the ones its loader accepts, its listed timeout range is
# the loader's, and sweep.sh offers that list (less file) and range. The challenge limits live in
# experiments/limits.csv only: no script or gnuplot file in experiments/ or plots/ spells the
# latency limits, and a copy of the scripts given other limits (and a third challenge) judges,
# summarises and draws with those. CSV columns are found by name: lib.sh's helper follows a
# reordering, and the figures drawn from reordered summary.csv and fit.csv are the same.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
# shellcheck disable=SC2015 # "a && b || fail" is meant: fail when any step of the chain fails.
set -eu -o pipefail

fail() {
    echo "experiments_facts: FAILED: $1" >&2
    exit 1
}

node="$BIN_DIR/broadcast-node"
export GL_BIN_DIR="$BIN_DIR"
rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR" && cd "$WORK_DIR" || fail "work dir"

# ---- strategy names and ranges: the node's list is its loader's --------------------------------
"$node" --list-strategies >strategies 2>err && [[ -s strategies && ! -s err ]] &&
    grep -qx grid strategies && grep -qx file strategies || fail "--list-strategies"
while read -r s; do
    {
        printf '[topology]\nstrategy = %s\n' "$s"
        [[ "$s" != file ]] || echo "file = $SRC_DIR/configs/file-topology.json"
    } >"$s.ini" &&
        "$node" --check-config "$s.ini" >stdout 2>err && [[ ! -s stdout && ! -s err ]] ||
        fail "listed strategy '$s' does not load: $(cat err)"
done <strategies
# Names near the listed ones, and an empty one, are refused with the loader's message.
for s in ring custom Grid gri grid2 tree5 "" maelstrom-x; do
    printf '[topology]\nstrategy = %s\n' "$s" >bad.ini
    rc=0 && "$node" --check-config bad.ini >stdout 2>err || rc=$?
    ! grep -qxF -- "$s" strategies && [[ "$rc" -eq 1 && ! -s stdout ]] &&
        grep -q "^broadcast-node: bad.ini:2: unknown strategy '$s' (expected grid, " err ||
        fail "unlisted strategy '$s' (exit status $rc): $(cat err)"
done

# The listed timeout range is the loader's: both ends load, one past either end does not.
"$node" --list-keys >keys && range="$(sed -n 's/^batch\.timeout_ms integer //p' keys)" &&
    [[ "$range" =~ ^([0-9]+)\.\.([0-9]+)$ ]] || fail "--list-keys: $(cat keys)"
lo="${BASH_REMATCH[1]}" hi="${BASH_REMATCH[2]}"
for t in "$lo" "$hi" "$((lo - 1))" "$((hi + 1))"; do
    printf '[batch]\ntimeout_ms = %s\n' "$t" >t.ini
    rc=0 && "$node" --check-config t.ini 2>err || rc=$?
    if [[ "$t" == "$lo" || "$t" == "$hi" ]]; then want=0; else want=1; fi
    [[ "$rc" -eq "$want" ]] || fail "timeout_ms = $t: exit status $rc, not $want: $(cat err)"
done

# sweep.sh offers the node's list less file, and the node's range, in its errors.
known="$(grep -vx file strategies | paste -sd, - | sed 's/,/, /g')" &&
    rc=0 && "$SRC_DIR/experiments/sweep.sh" --strategies ring --out out >/dev/null 2>err || rc=$?
printf "sweep.sh: unknown strategy 'ring' (known: %s)\n" "$known" >expected &&
    [[ "$rc" -eq 2 ]] && diff -u expected err || fail "sweep.sh's strategy list"
rc=0 && "$SRC_DIR/experiments/sweep.sh" --timeouts "$((hi + 1))" --out out >/dev/null 2>err || rc=$?
printf "sweep.sh: timeout '%s' is not a whole number of milliseconds in %s..%s\n" \
    "$((hi + 1))" "$lo" "$hi" >expected &&
    [[ "$rc" -eq 2 ]] && diff -u expected err && [[ ! -e out ]] || fail "sweep.sh's timeout range"

# ---- the limits: one file ----------------------------------------------------------------------
# The latency limits, read from the file itself, as whole words in the code of experiments/ and
# plots/ (prose in docs and test oracles are not sources). Three uses of those numbers are not
# limits and are taken out first: ms-to-s conversions ("/ 1000", "< 1000 ?") and the default
# timeouts list.
limits="$SRC_DIR/experiments/limits.csv"
numbers="$(grep -v '^#' "$limits" | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { print $col["p50_ms"]; print $col["max_ms"] }' | sort -u | paste -sd'|' -)" &&
    [[ "$numbers" =~ ^[0-9|]+$ ]] || fail "reading $limits"
(cd "$SRC_DIR" && find experiments plots -path experiments/results -prune -o -type f \
    \( -name '*.sh' -o -name '*.gp' -o -name '*.c' -o -name '*.h' -o -name '*.txt' \) -print |
    sort) >code_files && [[ "$(wc -l <code_files)" -ge 10 ]] || fail "listing the code"
: >limit_lines
while read -r file; do
    sed -E 's#/ 1000(\.0)?\b##g; s#< 1000 \?##g; s#0,10,20,50,100,200,300,500,1000##g' \
        "$SRC_DIR/$file" | { grep -nwE "$numbers" || true; } | sed "s#^#$file:#" >>limit_lines
done <code_files
[[ ! -s limit_lines ]] || {
    cat limit_lines >&2
    fail "a latency limit ($numbers) written outside experiments/limits.csv"
}

# A copy of the scripts with other limits, and a third challenge, uses them everywhere. The
# latency limits are below the tiny sweep's latencies, so the latency figure's range has them.
mkdir -p tree/experiments tree/plots &&
    cp "$SRC_DIR"/experiments/{sweep.sh,challenge.sh,lib.sh} tree/experiments/ &&
    cp "$SRC_DIR"/plots/*.gp tree/plots/ &&
    cat >tree/experiments/limits.csv <<'EOF' || fail "the copy"
# other limits, columns in another order
max_ms,challenge,p50_ms,msgs_per_op
217,3d,117,31
444,3e,333,19
777,3z,555,77
EOF
rc=0
tree/experiments/challenge.sh 3d --config "$SRC_DIR/configs/centred-tree.ini" --time-limit 2 \
    --recovery-wait 1 --out results >challenge.out 2>challenge.err || rc=$?
grep -Eq '^normal +msgs-per-op \(servers\) +< 31 ' challenge.out &&
    grep -Eq '^normal +median stable latency +< 117 ms ' challenge.out &&
    grep -Eq '^normal +max stable latency +< 217 ms ' challenge.out || {
    cat challenge.out challenge.err >&2
    fail "challenge.sh with other limits (exit status $rc)"
}
rc=0 && tree/experiments/challenge.sh 3q >/dev/null 2>err || rc=$?
[[ "$rc" -eq 2 ]] && grep -qxF "challenge.sh: unknown challenge '3q' (known: 3d, 3e, 3z)" err ||
    fail "challenge.sh's list of challenges: $(cat err)"

tree/experiments/sweep.sh --workload 3z --strategies tree,flat --timeouts 0,100 --seeds 1 \
    --time-limit 2 --recovery-wait 1 --out results >sweep.out 2>sweep.err || {
    cat sweep.out sweep.err >&2
    fail "the sweep with other limits"
}
out="$(readlink -f results/latest)"
grep -q '^3z limits (msgs-per-op < 77, p50 < 555 ms, max < 777 ms, every seed ok): ' sweep.out &&
    grep -qx 'workload=3z (limits: msgs-per-op < 77, p50 < 555 ms, max < 777 ms)' "$out/sweep.env" ||
    fail "the sweep's summary with other limits"
# Every figure draws every challenge's limits, and none of the real ones.
for want in "latency:3d limit 117 ms" "latency:3e limit 444 ms" "latency:3z limit 555 ms" \
    "msgs:3d limit 31" "msgs:3z limit 77" "pareto:3e: &lt; 19 msgs/op, p50 &lt; 333 ms" \
    "pareto:3z: &lt; 77 msgs/op, max &lt; 777 ms" "pareto:3d: &lt; 31 msgs/op, max &lt; 217 ms"; do
    grep -qF -- "${want#*:}" "$out/${want%%:*}.svg" || fail "${want%%:*}.svg has no '${want#*:}'"
done
! grep -E 'limit (400|600|1000|2000|20|30)\b|&lt; (30|20) msgs' "$out"/*.svg ||
    fail "a figure draws a limit that is not in the copy's limits.csv"

# The figures need the limits: without them they stop with a message, drawing nothing.
for fig in latency msgs pareto; do
    rc=0 && LC_ALL=C.UTF-8 gnuplot -e "summary='$out/summary.csv'; fits='$out/fit.csv'; svg='nolimits.svg'" \
        "$SRC_DIR/plots/$fig.gp" >/dev/null 2>err || rc=$?
    [[ "$rc" -eq 2 && ! -e nolimits.svg ]] && grep -q "^$fig.gp: give the limits of experiments/limits.csv" err ||
        fail "$fig.gp without limits (exit status $rc)"
done

# ---- CSV columns by name -----------------------------------------------------------------------
# lib.sh's helper, on a file with comments and its columns reordered.
cat >reordered.csv <<'EOF'
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
[[ "$(lib gl_csv_col reordered.csv strategy)" == 4 && "$(lib gl_csv_col reordered.csv status)" == 1 &&
    "$(lib gl_csv_col reordered.csv reason)" == 0 && "$(lib gl_csv_index "b,a,c" c)" == 2 &&
    "$(lib gl_csv_rows reordered.csv)" == ",ok,1,0,tree" ]] || fail "gl_csv_col after a reordering"
rc=0 && lib gl_csv_col reordered.csv lost >/dev/null 2>lib.err || rc=$?
[[ "$rc" -eq 2 ]] && grep -qxF "facts: no column 'lost' in the header 'reason,status,seed,timeout_ms,strategy'" lib.err ||
    fail "gl_csv_col on a missing column"

# The figures from summary.csv and fit.csv with their columns reversed are the same figures.
reverse() { awk -F, -v OFS=, '{ for (i = NF; i > 1; i--) printf "%s,", $i; print $1 }' "$1"; }
reverse "$out/summary.csv" >summary_reversed.csv && reverse "$out/fit.csv" >fit_reversed.csv &&
    ! cmp -s "$out/summary.csv" summary_reversed.csv || fail "reversing the columns"
lim="challenges='3d 3e'; limit_mpo='31 19'; limit_p50='417 1234'; limit_max='617 2345'"
for fig in latency msgs pareto; do
    for order in as-is reversed; do
        if [[ "$order" == as-is ]]; then sum_csv="$out/summary.csv" fit_csv="$out/fit.csv"; else
            sum_csv=summary_reversed.csv fit_csv=fit_reversed.csv
        fi
        LC_ALL=C.UTF-8 gnuplot -e "summary='$sum_csv'; fits='$fit_csv'; strategies='tree flat'; $lim; svg='$fig-$order.svg'" \
            "$SRC_DIR/plots/$fig.gp" 2>>gnuplot.err || fail "$fig.gp on the $order columns"
    done
    cmp "$fig-as-is.svg" "$fig-reversed.svg" || fail "$fig.gp draws other figures from reordered columns"
done
echo "experiments_facts: ok"
