#!/bin/bash
# topogen_enumerate: `topogen --enumerate` counts spanning trees of small grids and checks them
# against the Matrix-Tree theorem, counts shortest-path trees against the product formula,
# reports minimisers and the majorization verdict (universal minimiser for the 5x5 shortest
# class, none for depth <= 4), stops at --cap with partial results, saves representatives as
# loadable JSON, and rejects bad grids and roots.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
T="$BIN_DIR/topogen"
setup_work_dir

for case in 2x2:4 2x3:15 3x3:192 3x4:2415 4x4:100352; do
    grid=${case%%:*} n=${case##*:}
    check "spanning trees of $grid" "$T" --enumerate --grid "$grid" --quiet >out.txt
    has_line out.txt "trees: $n"
    has_line out.txt "cross-check: Matrix-Tree theorem gives $n: ok"
done

check "shortest-path trees of 5x5 from the centre" "$T" --enumerate --grid 5x5 --root center \
    --max-depth shortest --top 3 --save best --quiet >short.txt
cat >want.txt <<'TXT'
class: shortest-path trees of the 5x5 grid from n12
trees: 65536
cross-check: product of parent choices gives 65536: ok
distinct out-degree vectors: 15 (best 3 by sum square):
  rank        sum f          trees  out-degrees
     1           44             64  4^1 2^4 1^12 0^8
     2           46           1792  4^1 2^5 1^10 0^9
     3           46            384  4^1 3^1 2^2 1^13 0^8
sum square: min 44, max 56
minimisers: 64 trees in 12 symmetry classes (grid symmetries fixing the root)
TXT
head -n 10 short.txt >got.txt
same_file want.txt got.txt
has_line short.txt 'majorization: 4^1 2^4 1^12 0^8 is majorized by every other vector of the class, so its trees minimise sum f for EVERY convex f'
check "12 representatives saved" test -s best-1.json
check "12 representatives saved" test -s best-12.json
check "12 representatives saved" test ! -e best-13.json
check "a saved representative scores" "$T" --score best-1.json >best.txt
has_line best.txt 'out-degrees: 4^1 2^4 1^12 0^8'
has_line best.txt 'depth from n12: max 4, mean 2.5 hops'

check "depth <= 4 trees of 5x5" "$T" --enumerate --grid 5x5 --max-depth 4 --top 1 --quiet >d4.txt
has_line d4.txt 'trees: 969472'
has_line d4.txt 'cross-check: none for this class'
has_line d4.txt 'majorization: no vector is majorized by all others, so no tree is optimal for every convex f: hinge:1 is minimised by 4^1 2^4 1^12 0^8 (not by hinge:2), hinge:2 by 3^1 2^6 1^9 0^9 (no vector minimises both)'
check "depth <= 3 trees of 5x5" "$T" --enumerate --grid 5x5 --max-depth 3 --quiet >d3.txt
has_line d3.txt 'trees: 0'
has_line d3.txt 'cross-check: depth bound below eccentricity gives 0: ok'
check "depth <= 8 trees of 3x3 from n0" "$T" --enumerate --grid 3x3 --root n0 --max-depth 8 --quiet >d8.txt
has_line d8.txt 'cross-check: Matrix-Tree theorem gives 192: ok'

# The cap: partial results, said so.
check "the cap" "$T" --enumerate --grid 4x4 --cap 1000 --quiet >cap.txt
has_line cap.txt 'trees: 1000 (stopped at the cap: every figure below is PARTIAL)'
matches cap.txt '^(partial, capped) majorization'

# Progress and timing go to stderr, never stdout.
check "progress on stderr" "$T" --enumerate --grid 3x3 >out.txt 2>err.txt
matches err.txt '^enumerated 192 trees in '
lacks out.txt 'enumerated'

# Bad usage: status 2, a message on stderr, nothing on stdout.
step "a root outside the grid"
rejects 2 "$T" --enumerate --grid 5x5 --root n25 2>err.txt
has_line err.txt "topogen: root 'n25' outside the 5x5 grid (n0..n24)"
step "a bad grid"
rejects 2 "$T" --enumerate --grid 5by5 2>err.txt
contains err.txt "bad grid '5by5'"
step "a grid out of range"
rejects 2 "$T" --enumerate --grid 9x9 2>err.txt
contains err.txt 'out of range'
step "no grid"
rejects 2 "$T" --enumerate 2>err.txt
contains err.txt 'needs --grid'
step "a bad depth class"
rejects 2 "$T" --enumerate --grid 3x3 --max-depth deep 2>err.txt
contains err.txt "bad depth class 'deep'"
step "a zero cap"
rejects 2 "$T" --enumerate --grid 3x3 --cap 0 2>err.txt
step "a 0x0 grid"
rejects 2 "$T" --enumerate --grid 0x0 2>err.txt
contains err.txt "bad grid '0x0'"
step "a negative depth"
rejects 2 "$T" --enumerate --grid 3x3 --max-depth -1 2>err.txt
contains err.txt "bad depth class '-1'"
step "an unknown function"
rejects 2 "$T" --enumerate --grid 3x3 --f log 2>err.txt
contains err.txt "unknown function 'log'"
finish
