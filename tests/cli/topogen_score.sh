#!/bin/bash
# topogen_score: `topogen --score` reports out-degrees, sum f, depth, messages per broadcast and
# fan-out for the node's strategies and for files (the numbers are derived by hand in
# docs/topogen.md), ranks a tree inside its class with --within, and rejects malformed JSON,
# unknown node ids and disconnected graphs with clear errors.
set -eu -o pipefail
T="$BIN_DIR/topogen"
rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR" && cd "$WORK_DIR"
status() { "$@" && echo 0 || echo $?; }
quiet() { "$@" >out.txt; }

for s in grid tree star flat; do
    "$T" --score --strategy "$s" --nodes 25 >>scores.txt
done
cat >want.txt <<'TXT'
topology: grid, 25 nodes, routing flood
out-degrees: 4^9 3^12 2^4
sum square: 268
depth from n12: max 4, mean 2.5 hops
messages per broadcast: mean 56, min 56 (from n0), max 56 (from n0)
largest fan-out: 4 messages (n6, for a broadcast from n6)
topology: tree, 25 nodes, routing rooted
out-degrees: 4^1 3^2 2^2 1^10 0^10
sum square: 52
depth from n12: max 4, mean 2.5 hops
messages per broadcast: mean 24.8, min 24 (from n7), max 25 (from n0)
largest fan-out: 4 messages (n12, for a broadcast from n0)
topology: star, 25 nodes, routing rooted
out-degrees: 24^1 0^24
sum square: 576
depth from n12: max 1, mean 1 hops
messages per broadcast: mean 24, min 24 (from n0), max 24 (from n0)
largest fan-out: 24 messages (n12, for a broadcast from n12)
topology: flat, 25 nodes, routing flat
out-degrees: 24^25
sum square: 14400
depth from n0: max 1, mean 1 hops
messages per broadcast: mean 24, min 24 (from n0), max 24 (from n0)
largest fan-out: 24 messages (n0, for a broadcast from n0)
TXT
diff -u want.txt scores.txt

# Files: a saved tree scores like its strategy; other functions; Maelstrom's tree4 from n0.
"$T" --strategy tree --nodes 25 >tree.json
"$T" --score tree.json --f cube >cube.txt
grep -qx 'sum cube: 144' cube.txt
grep -qx 'topology: tree.json, 25 nodes, routing rooted' cube.txt
"$T" --score --strategy tree4 --nodes 25 --f hinge:1 >t4.txt
grep -qx 'out-degrees: 5^5 4^1 1^19' t4.txt
grep -qx 'sum hinge:1: 23' t4.txt
grep -qx 'depth from n0: max 3, mean 2 hops' t4.txt
"$T" --score --strategy line --nodes 25 --root n0 >line.txt
grep -qx 'depth from n0: max 24, mean 12.5 hops' line.txt

# --within: the centred tree among depth <= 4 trees, and among shortest-path trees.
"$T" --score tree.json --within 4 --top 3 --quiet >within4.txt
grep -qx 'trees: 969472' within4.txt
grep -qx 'tree: 4^1 3^2 2^2 1^10 0^10, sum square 52; class best 42 (not a minimiser)' within4.txt
grep -qx 'majorized by every vector of the class: no' within4.txt
"$T" --score tree.json --within shortest --quiet >withins.txt
grep -qx 'cross-check: product of parent choices gives 65536: ok' withins.txt
grep -qx 'rank of its vector: 10 of 15 distinct vectors (48000 of 65536 trees are strictly better)' withins.txt
test "$(status quiet "$T" --score --strategy grid --nodes 25 --within 4 2>err.txt)" = 1
grep -q 'needs a spanning arborescence' err.txt
"$T" --strategy star --nodes 25 >star.json
test "$(status quiet "$T" --score star.json --within any 2>err.txt)" = 1
grep -q 'n12 -> n0 is not an edge of the 5x5 grid' err.txt
test "$(status quiet "$T" --score tree.json --within 3 2>err.txt)" = 1
grep -q "not in the class 'depth <= 3'" err.txt

# Bad input.
printf '{"n0": ["n1"' >bad.json
test "$(status "$T" --score bad.json 2>err.txt)" = 1
grep -q '^topogen: bad.json: ' err.txt
echo '{"n0":["n7"],"n1":["n0"]}' >unknown.json
test "$(status "$T" --score unknown.json 2>err.txt)" = 1
grep -q "unknown node id 'n7'" err.txt
echo '{"n0":["n1"],"n1":["n0"],"n2":["n3"],"n3":["n2"]}' >split.json
test "$(status "$T" --score split.json 2>err.txt)" = 1
grep -qx 'topogen: n2, n3 cannot be reached from n0' err.txt
test "$(status "$T" --score split.json --root n9 2>err.txt)" = 1
grep -q "unknown node id 'n9'" err.txt
test "$(status "$T" --score missing.json 2>err.txt)" = 1
grep -q "missing.json: No such file or directory" err.txt
test "$(status "$T" --score tree.json --f log 2>err.txt)" = 1
grep -q "unknown function 'log'" err.txt
