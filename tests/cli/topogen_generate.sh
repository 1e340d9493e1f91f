#!/bin/bash
# topogen_generate: `topogen --strategy` writes Maelstrom's topologies exactly as Maelstrom does
# (every 25-node vector of the fixture, converted to JSON, compared byte for byte), our centred
# tree as design.md draws it, INI and dot snippets, and drawing data that plots/topology.gp
# turns into a PNG and an SVG.
set -eu -o pipefail
T="$BIN_DIR/topogen"
rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR" && cd "$WORK_DIR"

# Maelstrom's vectors: the fixture's EDN-like maps become our one-line JSON by punctuation only.
grep -E '^(grid|line|tree2|tree3|tree4|total) (5|10|25) ' "$SHARED_DIR/fixtures/maelstrom/topologies.txt" >vectors.txt
test "$(wc -l <vectors.txt)" -ge 14
while read -r kind n map; do
    printf '%s\n' "$map" | sed -e 's/" \[/":[/g' -e 's/" "/","/g' -e 's/\], "/],"/g' >want.json &&
    "$T" --strategy "$kind" --nodes "$n" >got.json &&
    cmp want.json got.json
done <vectors.txt

# The centred tree of design.md, children in direction order up, down, left, right.
"$T" --strategy tree --nodes 25 >tree.json
cat >want.json <<'JSON'
{"n0":[],"n1":["n0"],"n2":["n1","n3"],"n3":["n4"],"n4":[],"n5":[],"n6":["n5"],"n7":["n2","n6","n8"],"n8":["n9"],"n9":[],"n10":[],"n11":["n10"],"n12":["n7","n17","n11","n13"],"n13":["n14"],"n14":[],"n15":[],"n16":["n15"],"n17":["n22","n16","n18"],"n18":["n19"],"n19":[],"n20":[],"n21":["n20"],"n22":["n21","n23"],"n23":["n24"],"n24":[]}
JSON
cmp want.json tree.json
"$T" --strategy star --nodes 4 --root n1 >star.json
echo '{"n0":[],"n1":["n0","n2","n3"],"n2":[],"n3":[]}' >want.json
cmp want.json star.json
"$T" --strategy line --nodes 1 >line1.json
echo '{}' >want.json
cmp want.json line1.json

# INI for the node, dot for Graphviz.
"$T" --strategy tree --nodes 25 --root n7 --format ini >tree.ini
printf '[topology]\nstrategy = tree\nroot     = n7\n' >want.ini
cmp want.ini tree.ini
"$T" --strategy grid --nodes 4 --format ini >grid.ini
printf '[topology]\nstrategy = grid\n' >want.ini
cmp want.ini grid.ini
"$T" --strategy tree --nodes 9 --format dot >tree.dot
grep -q '^digraph topology {$' tree.dot
grep -q '"n4" \[pos="72,72!", shape=doublecircle\];' tree.dot
grep -q '"n4" -> "n1";' tree.dot
"$T" --strategy grid --nodes 4 --format dot >grid.dot
grep -q '"n0" -- "n2";' grid.dot
if grep -q '"n2" -- "n0";' grid.dot; then exit 1; fi

# Drawing data: 25 nodes, 24 arrows, the root flagged; gnuplot renders it to PNG and SVG.
"$T" --strategy tree --nodes 25 --format gnuplot >tree.dat
test "$(grep -cE '^[0-9]+ [0-9]+ n[0-9]+ [01]$' tree.dat)" = 25
test "$(grep -cE '^[-0-9.]+ [-0-9.]+ [-0-9.]+ [-0-9.]+ 1$' tree.dat)" = 24
grep -qx '2 2 n12 1' tree.dat
if command -v gnuplot >/dev/null; then
    gnuplot -e "data='tree.dat'; png='tree.png'; svg='tree.svg'; title='centred tree'" \
        "$SRC_DIR/plots/topology.gp"
    test "$(head -c 4 tree.png | tail -c 3)" = PNG
    grep -q '<svg' tree.svg
fi

# Usage errors exit 2, bad values 1, each with a message.
status() { "$@" && echo 0 || echo $?; }
test "$(status "$T" --nodes 3 2>err.txt)" = 2
grep -q '^usage: topogen' err.txt
test "$(status "$T" --strategy bogus --nodes 3 2>err.txt)" = 1
grep -q "^topogen: unknown strategy 'bogus'" err.txt
test "$(status "$T" --strategy tree 2>err.txt)" = 1
grep -q 'needs --nodes' err.txt
test "$(status "$T" --strategy tree --nodes 0 2>err.txt)" = 2
test "$(status "$T" --strategy tree --nodes 25 --root n25 2>err.txt)" = 1
grep -q "unknown node id 'n25'" err.txt
test "$(status "$T" --strategy tree --nodes 25 --format svg 2>err.txt)" = 1
grep -q "unknown format 'svg'" err.txt

# --from: a saved topology is re-emitted unchanged, and drawn like a generated one.
"$T" --from tree.json >again.json
cmp tree.json again.json
"$T" --from tree.json --format gnuplot >again.dat
test "$(grep -c ' 1$' again.dat)" = 25 # 24 arrows and the root
"$T" --from tree.json --format ini >file.ini
printf '[topology]\nstrategy = file\nfile     = tree.json\n' >want.ini
cmp want.ini file.ini
test "$(status "$T" --from tree.json --strategy tree --nodes 3 2>err.txt)" = 1
grep -q 'not both' err.txt
