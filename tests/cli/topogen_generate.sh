#!/bin/bash
# topogen_generate: `topogen --strategy` writes Maelstrom's topologies exactly as Maelstrom does
# (every 25-node vector of the fixture, converted to JSON, compared byte for byte), our centred
# tree as design.md draws it, INI and dot snippets, and drawing data that plots/topology.gp
# turns into a PNG and an SVG.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
T="$BIN_DIR/topogen"
setup_work_dir

# Maelstrom's vectors: the fixture's EDN-like maps become our one-line JSON by punctuation only.
step "Maelstrom's vectors in the fixture"
grep -E '^(grid|line|tree2|tree3|tree4|total) (5|10|25) ' "$SRC_DIR/tests/fixtures/maelstrom/topologies.txt" >vectors.txt ||
    fail "no vectors in topologies.txt"
check "at least 14 of Maelstrom's vectors" test "$(wc -l <vectors.txt)" -ge 14
while read -r kind n map; do
    step "Maelstrom's $kind of $n nodes"
    printf '%s\n' "$map" | sed -e 's/" \[/":[/g' -e 's/" "/","/g' -e 's/\], "/],"/g' >want.json
    check "Maelstrom's $kind of $n nodes" "$T" --strategy "$kind" --nodes "$n" >got.json
    same_file want.json got.json
done <vectors.txt

# The centred tree of design.md, children in direction order up, down, left, right.
check "the centred tree" "$T" --strategy tree --nodes 25 >tree.json
cat >want.json <<'JSON'
{"n0":[],"n1":["n0"],"n2":["n1","n3"],"n3":["n4"],"n4":[],"n5":[],"n6":["n5"],"n7":["n2","n6","n8"],"n8":["n9"],"n9":[],"n10":[],"n11":["n10"],"n12":["n7","n17","n11","n13"],"n13":["n14"],"n14":[],"n15":[],"n16":["n15"],"n17":["n22","n16","n18"],"n18":["n19"],"n19":[],"n20":[],"n21":["n20"],"n22":["n21","n23"],"n23":["n24"],"n24":[]}
JSON
same_file want.json tree.json
check "a star rooted at n1" "$T" --strategy star --nodes 4 --root n1 >star.json
echo '{"n0":[],"n1":["n0","n2","n3"],"n2":[],"n3":[]}' >want.json
same_file want.json star.json
check "a line of one node" "$T" --strategy line --nodes 1 >line1.json
echo '{}' >want.json
same_file want.json line1.json

# INI for the node, dot for Graphviz.
check "INI for a tree" "$T" --strategy tree --nodes 25 --root n7 --format ini >tree.ini
printf '[topology]\nstrategy = tree\nroot     = n7\n' >want.ini
same_file want.ini tree.ini
check "INI for a grid" "$T" --strategy grid --nodes 4 --format ini >grid.ini
printf '[topology]\nstrategy = grid\n' >want.ini
same_file want.ini grid.ini
check "dot for a tree" "$T" --strategy tree --nodes 9 --format dot >tree.dot
has_line tree.dot 'digraph topology {'
contains tree.dot '"n4" [pos="72,72!", shape=doublecircle];'
contains tree.dot '"n4" -> "n1";'
check "dot for a grid: each edge once" "$T" --strategy grid --nodes 4 --format dot >grid.dot
contains grid.dot '"n0" -- "n2";'
lacks grid.dot '"n2" -- "n0";'

# Drawing data: 25 nodes, 24 arrows, the root flagged; gnuplot renders it to PNG and SVG.
check "drawing data" "$T" --strategy tree --nodes 25 --format gnuplot >tree.dat
count_lines tree.dat '^[0-9][0-9]* [0-9][0-9]* n[0-9][0-9]* [01]$' 25
count_lines tree.dat '^[-0-9.][-0-9.]* [-0-9.][-0-9.]* [-0-9.][-0-9.]* [-0-9.][-0-9.]* 1$' 24
has_line tree.dat '2 2 n12 1'
if command -v gnuplot >/dev/null; then
    check "gnuplot draws the tree" gnuplot \
        -e "data='tree.dat'; png='tree.png'; svg='tree.svg'; title='centred tree'" \
        "$SRC_DIR/plots/topology.gp"
    head -c 4 tree.png >magic
    printf '\211PNG' >png_magic
    same_file png_magic magic
    contains tree.svg '<svg'
fi

# Bad usage exits 2 (what the arguments alone show is wrong), with a message on stderr and
# nothing on stdout; a file that cannot be used exits 1.
step "no strategy"
rejects 2 "$T" --nodes 3 2>err.txt
matches err.txt '^usage: topogen'
step "an unknown strategy"
rejects 2 "$T" --strategy bogus --nodes 3 2>err.txt
matches err.txt "^topogen: unknown strategy 'bogus'"
step "no node count"
rejects 2 "$T" --strategy tree 2>err.txt
contains err.txt 'needs --nodes'
step "zero nodes"
rejects 2 "$T" --strategy tree --nodes 0 2>err.txt
step "an unknown root"
rejects 2 "$T" --strategy tree --nodes 25 --root n25 2>err.txt
contains err.txt "unknown node id 'n25'"
step "an unknown format"
rejects 2 "$T" --strategy tree --nodes 25 --format svg 2>err.txt
contains err.txt "unknown format 'svg'"
step "--hubs without hubs"
rejects 2 "$T" --strategy star --nodes 5 --hubs 2 2>err.txt
same_text 'topogen: --hubs needs --strategy hubs' err.txt
step "--fanout without kary"
rejects 2 "$T" --strategy hubs --nodes 5 --fanout 2 2>err.txt
same_text 'topogen: --fanout needs --strategy kary' err.txt
step "more hubs than nodes"
rejects 2 "$T" --strategy hubs --nodes 5 --hubs 6 2>err.txt
same_text 'topogen: hubs of 5 nodes: hubs 6 out of range 1..5' err.txt
step "--hubs 0"
rejects 2 "$T" --strategy hubs --nodes 5 --hubs 0 2>err.txt
step "--fanout with a FILE"
rejects 2 "$T" --from tree.json --fanout 3 2>err.txt
same_text 'topogen: --fanout goes with --strategy, not a topology FILE' err.txt

# hubs and kary: their size parameter goes into the INI; hubs' map lists hubs then leaves.
check "hubs as INI" "$T" --strategy hubs --nodes 10 --hubs 2 --format ini >hubs.ini
printf '[topology]\nstrategy = hubs\nhubs     = 2\n' >want.ini
same_file want.ini hubs.ini
check "hubs as JSON" "$T" --strategy hubs --nodes 10 --hubs 2 >hubs.json
printf '%s\n' '{"n0":[],"n1":[],"n2":["n7","n0","n1","n3","n4"],"n3":[],"n4":[],"n5":[],"n6":[],"n7":["n2","n5","n6","n8","n9"],"n8":[],"n9":[]}' >want.json
same_file want.json hubs.json
check "kary as INI" "$T" --strategy kary --nodes 7 --fanout 3 --format ini >kary.ini
printf '[topology]\nstrategy = kary\nroot     = n0\nfanout   = 3\n' >want.ini
same_file want.ini kary.ini

# --from: a saved topology is re-emitted unchanged, and drawn like a generated one.
check "--from re-emits a saved topology" "$T" --from tree.json >again.json
same_file tree.json again.json
check "--from draws a saved topology" "$T" --from tree.json --format gnuplot >again.dat
count_lines again.dat ' 1$' 25 # 24 arrows and the root
check "--from as INI" "$T" --from tree.json --format ini >file.ini
printf '[topology]\nstrategy = file\nfile     = tree.json\n' >want.ini
same_file want.ini file.ini
step "--from and --strategy"
rejects 2 "$T" --from tree.json --strategy tree --nodes 3 2>err.txt
contains err.txt 'not both'
step "--from a missing file"
rejects 1 "$T" --from missing.json 2>err.txt
contains err.txt 'missing.json: No such file or directory'
finish
