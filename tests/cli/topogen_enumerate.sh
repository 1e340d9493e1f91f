#!/bin/bash
# topogen_enumerate: `topogen --enumerate` counts spanning trees of small grids and checks them
# against the Matrix-Tree theorem, counts shortest-path trees against the product formula,
# reports minimisers and the majorization verdict (universal minimiser for the 5x5 shortest
# class, none for depth <= 4), stops at --cap with partial results, saves representatives as
# loadable JSON, and rejects bad grids and roots.
set -eu -o pipefail
T="$BIN_DIR/topogen"
rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR" && cd "$WORK_DIR"
status() { "$@" && echo 0 || echo $?; }

for case in 2x2:4 2x3:15 3x3:192 3x4:2415 4x4:100352; do
    grid=${case%%:*} n=${case##*:}
    "$T" --enumerate --grid "$grid" --quiet >out.txt
    grep -qx "trees: $n" out.txt
    grep -qx "cross-check: Matrix-Tree theorem gives $n: ok" out.txt
done

"$T" --enumerate --grid 5x5 --root center --max-depth shortest --top 3 --save best --quiet >short.txt
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
diff -u want.txt got.txt
grep -qx 'majorization: 4^1 2^4 1^12 0^8 is majorized by every other vector of the class, so its trees minimise sum f for EVERY convex f' short.txt
test -s best-1.json && test -s best-12.json && test ! -e best-13.json
"$T" --score best-1.json >best.txt
grep -qx 'out-degrees: 4^1 2^4 1^12 0^8' best.txt
grep -qx 'depth from n12: max 4, mean 2.5 hops' best.txt

"$T" --enumerate --grid 5x5 --max-depth 4 --top 1 --quiet >d4.txt
grep -qx 'trees: 969472' d4.txt
grep -qx 'cross-check: none for this class' d4.txt
grep -qx 'majorization: no vector is majorized by all others, so no tree is optimal for every convex f: hinge:1 is minimised by 4^1 2^4 1^12 0^8 (not by hinge:2), hinge:2 by 3^1 2^6 1^9 0^9 (no vector minimises both)' d4.txt
"$T" --enumerate --grid 5x5 --max-depth 3 --quiet >d3.txt
grep -qx 'trees: 0' d3.txt
grep -qx 'cross-check: depth bound below eccentricity gives 0: ok' d3.txt
"$T" --enumerate --grid 3x3 --root n0 --max-depth 8 --quiet >d8.txt
grep -qx 'cross-check: Matrix-Tree theorem gives 192: ok' d8.txt

# The cap: partial results, said so.
"$T" --enumerate --grid 4x4 --cap 1000 --quiet >cap.txt
grep -qx 'trees: 1000 (stopped at the cap: every figure below is PARTIAL)' cap.txt
grep -q '^(partial, capped) majorization' cap.txt

# Progress and timing go to stderr, never stdout.
"$T" --enumerate --grid 3x3 >out.txt 2>err.txt
grep -q '^enumerated 192 trees in ' err.txt
if grep -q 'enumerated' out.txt; then exit 1; fi

# Bad input.
test "$(status "$T" --enumerate --grid 5x5 --root n25 2>err.txt)" = 1
grep -qx "topogen: root 'n25' outside the 5x5 grid (n0..n24)" err.txt
test "$(status "$T" --enumerate --grid 5by5 2>err.txt)" = 1
grep -q "bad grid '5by5'" err.txt
test "$(status "$T" --enumerate --grid 9x9 2>err.txt)" = 1
grep -q 'out of range' err.txt
test "$(status "$T" --enumerate 2>err.txt)" = 1
grep -q 'needs --grid' err.txt
test "$(status "$T" --enumerate --grid 3x3 --max-depth deep 2>err.txt)" = 1
grep -q "bad depth class 'deep'" err.txt
test "$(status "$T" --enumerate --grid 3x3 --cap 0 2>err.txt)" = 2
