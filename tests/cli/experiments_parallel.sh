#!/usr/bin/env bash
# experiments_parallel: proves the parallel executor. The same sweep (2 strategies x 2 timeouts
# x 2 delivery modes x 2 seeds, virtual runner) run by the local executor, by GNU parallel on the
# local login ':' of an sshloginfile, and by GNU parallel without one, gives the same sweep.csv
# but for the wall_s and host columns, and the same fit, summary and frontier; every row names the
# host that ran it. GNU parallel is handed every run (its job log: one line per run, host ':',
# exit 0) and, with an sshloginfile, the flags that carry each run's node.ini and job.env to the
# machine and its directory back (a wrapper records the command line before running the real
# parallel).
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
export GL_BIN_DIR="$BIN_DIR"
sweep="$SRC_DIR/experiments/sweep.sh"
setup_work_dir

step "GNU parallel is installed (scripts/setup.sh installs it)"
real_parallel="$(command -v parallel)" || fail "no parallel on PATH: run scripts/setup.sh"
mkdir -p wrap || fail "mkdir wrap"
cat >wrap/parallel <<EOF || fail "write wrap/parallel"
#!/usr/bin/env bash
printf '%s\n' "\$*" >>"$WORK_DIR/parallel.args"
exec "$real_parallel" "\$@"
EOF
chmod +x wrap/parallel || fail "chmod wrap/parallel"
echo ":" >logins || fail "write logins"

axes=(--strategies "star,tree" --timeouts "0,100" --set "delivery.mode=acks,fire-and-forget" --seeds 2
    --time-limit 3 --recovery-wait 1 --jobs 2)
check "the local executor" "$sweep" "${axes[@]}" --out local >local.out 2>local.err
check "the parallel executor, sshloginfile ':'" env PATH="$WORK_DIR/wrap:$PATH" "$sweep" \
    "${axes[@]}" --executor parallel --sshloginfile logins --out ssh >ssh.out 2>ssh.err
check "the parallel executor, no sshloginfile" env PATH="$WORK_DIR/wrap:$PATH" "$sweep" \
    "${axes[@]}" --executor parallel --out cores >cores.out 2>cores.err

# without COLUMNS... FILE: FILE without the named columns.
without() {
    local file="${*: -1}" names=("${@:1:$#-1}")
    awk -F, -v drop="${names[*]}" 'NR == 1 { n = split(drop, d, " "); for (i = 1; i <= NF; i++) for (j = 1; j <= n; j++) if ($i == d[j]) skip[i] = 1 }
        { s = ""; for (i = 1; i <= NF; i++) if (!skip[i]) s = s (s == "" ? "" : ",") $i; print s }' "$file"
}
without wall_s host local/latest/sweep.csv >local.rows
check "16 rows" test "$(wc -l <local.rows)" -eq 17
for x in ssh cores; do
    step "$x: the same rows as local, but for wall_s and host"
    without wall_s host "$x/latest/sweep.csv" >"$x.rows"
    same_file local.rows "$x.rows"
    for table in fit.csv summary.csv frontier.csv; do
        same_file "local/latest/$table" "$x/latest/$table"
    done
    step "$x: every row's host is the machine that ran it"
    without wall_s "$x/latest/sweep.csv" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "host") h = i; next } { print $h }' |
        sort -u >"$x.hosts"
    same_text "$(uname -n)" "$x.hosts"
    step "$x: parallel's job log: every run, on ':', exit 0"
    awk -F'\t' 'NR > 1 { print $2, $7 }' "$x/latest/parallel.log" | sort | uniq -c | sed 's/^ *//' >"$x.jobs"
    same_text "16 : 0" "$x.jobs"
done
step "what GNU parallel is handed"
count_lines parallel.args '' 2
matches parallel.args "^--will-cite --halt never -j 2 --joblog $WORK_DIR/ssh/[0-9TZ]*/parallel.log --sshloginfile $WORK_DIR/logins --transferfile {}/node.ini --transferfile {}/job.env --return {} --cleanup $SRC_DIR/experiments/run-one.sh {} :::: $WORK_DIR/ssh/[0-9TZ]*/runs.list\$"
matches parallel.args "^--will-cite --halt never -j 2 --joblog $WORK_DIR/cores/[0-9TZ]*/parallel.log $SRC_DIR/experiments/run-one.sh {} :::: $WORK_DIR/cores/[0-9TZ]*/runs.list\$"
has_line ssh/latest/sweep.env "executor=parallel --sshloginfile $WORK_DIR/logins"
step "the runs stay where they ran (':' transfers nothing, cleans nothing)"
for d in ssh/latest/runs/*/; do
    [[ -f "$d/node.ini" && -f "$d/job.env" && -f "$d/row.csv" ]] || fail "'$d' lost a file"
    ls "$d"store/broadcast/*/results.json >/dev/null || fail "'$d' has no results"
done
finish
