#!/bin/bash
# topogen_score: `topogen --score` reports out-degrees, sum f, depth, messages per broadcast and
# fan-out for the node's strategies and for files (the numbers are derived by hand in
# docs/topogen.md), ranks a tree inside its class with --within, and rejects malformed JSON,
# unknown node ids and disconnected graphs with clear errors.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
T="$BIN_DIR/topogen"
setup_work_dir

for s in grid tree star flat; do
    check "score $s" "$T" --score --strategy "$s" --nodes 25 >>scores.txt
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
step "the scores of grid, tree, star, flat"
same_file want.txt scores.txt

# Files: a saved tree scores like its strategy; other functions; Maelstrom's tree4 from n0.
check "save the tree" "$T" --strategy tree --nodes 25 >tree.json
check "score a file with f = cube" "$T" --score tree.json --f cube >cube.txt
has_line cube.txt 'sum cube: 144'
has_line cube.txt 'topology: tree.json, 25 nodes, routing rooted'
check "score tree4 with f = hinge:1" "$T" --score --strategy tree4 --nodes 25 --f hinge:1 >t4.txt
has_line t4.txt 'out-degrees: 5^5 4^1 1^19'
has_line t4.txt 'sum hinge:1: 23'
has_line t4.txt 'depth from n0: max 3, mean 2 hops'
check "score a line from n0" "$T" --score --strategy line --nodes 25 --root n0 >line.txt
has_line line.txt 'depth from n0: max 24, mean 12.5 hops'

# --within: the centred tree among depth <= 4 trees, and among shortest-path trees.
check "--within 4" "$T" --score tree.json --within 4 --top 3 --quiet >within4.txt
has_line within4.txt 'trees: 969472'
has_line within4.txt 'tree: 4^1 3^2 2^2 1^10 0^10, sum square 52; class best 42 (not a minimiser)'
has_line within4.txt 'majorized by every vector of the class: no'
check "--within shortest" "$T" --score tree.json --within shortest --quiet >withins.txt
has_line withins.txt 'cross-check: product of parent choices gives 65536: ok'
has_line withins.txt 'rank of its vector: 10 of 15 distinct vectors (48000 of 65536 trees are strictly better)'
step "--within for a grid"
rejects 1 "$T" --score --strategy grid --nodes 25 --within 4 2>err.txt
contains err.txt 'needs a spanning arborescence'
check "save a star" "$T" --strategy star --nodes 25 >star.json
step "--within any for a star"
rejects 1 "$T" --score star.json --within any 2>err.txt
contains err.txt 'n12 -> n0 is not an edge of the 5x5 grid'
step "--within 3 for a depth-4 tree"
rejects 1 "$T" --score tree.json --within 3 2>err.txt
contains err.txt "not in the class 'depth <= 3'"
step "--within -1: bad usage, before any output"
rejects 2 "$T" --score tree.json --within -1 2>err.txt
contains err.txt "bad depth class '-1'"
step "--within with a 0x0 grid"
rejects 2 "$T" --score tree.json --within any --grid 0x0 2>err.txt
contains err.txt "bad grid '0x0'"
step "--score without --nodes"
rejects 2 "$T" --score --strategy grid 2>err.txt
contains err.txt 'needs --nodes'

# Bad input: status 1 (2 for bad usage), a message on stderr, nothing on stdout.
printf '{"n0": ["n1"' >bad.json
step "malformed JSON"
rejects 1 "$T" --score bad.json 2>err.txt
matches err.txt '^topogen: bad.json: '
echo '{"n0":["n7"],"n1":["n0"]}' >unknown.json
step "an unknown node id"
rejects 1 "$T" --score unknown.json 2>err.txt
contains err.txt "unknown node id 'n7'"
echo '{"n0":["n1"],"n1":["n0"],"n2":["n3"],"n3":["n2"]}' >split.json
step "a disconnected graph"
rejects 1 "$T" --score split.json 2>err.txt
has_line err.txt 'topogen: n2, n3 cannot be reached from n0'
step "an unknown root"
rejects 1 "$T" --score split.json --root n9 2>err.txt
contains err.txt "unknown node id 'n9'"
step "a missing file"
rejects 1 "$T" --score missing.json 2>err.txt
contains err.txt "missing.json: No such file or directory"
step "an unknown function"
rejects 2 "$T" --score tree.json --f log 2>err.txt
contains err.txt "unknown function 'log'"
finish
