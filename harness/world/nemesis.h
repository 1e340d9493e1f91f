/*
 * nemesis: the grudges of Maelstrom's partition nemesis (spec §3.3), over server nodes 0..n-1:
 * one of :one, :minority-third, :majority or :majorities-ring, picked uniformly, as a cut matrix,
 * and the description of a cut that the history records.
 *
 * What it is not: it schedules nothing and touches no network; the workload decides when to
 * start and stop partitions, and its owner applies the cuts. Pure: every random choice comes
 * from the rng passed in, each draw in a fixed order; never reads a clock, never does IO.
 */
#ifndef GL_NEMESIS_H
#define GL_NEMESIS_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "rng.h"

/*
 * Picks a shape and fills cut[n * n] (zeroed by the caller): node d ignores node s iff
 * cut[d * n + s]. Complete splits cut both ways between two sides; :majorities-ring lets each
 * node hear only a majority of the nodes (itself included). Returns the shape's name without
 * the colon ("one", "minority-third", "majority", "majorities-ring"), or NULL when out of memory
 * (then nothing was drawn and cut is unchanged).
 */
const char *nemesis_grudge(struct rng *r, uint32_t n, uint8_t *cut);

/*
 * Like Jepsen's [:isolated {"n2" #{"n1" ...}}]: each node that ignores others and whom it
 * ignores, as "n2:n1,n4;n3:n0" (nodes in index order). Cut to desc[desclen] (desclen >= 1),
 * ending in "..." when it does not fit. NEEDSWORK: when the text fills desc exactly right after
 * a node's name, the rest is dropped without the "..." (as the harness always did; a 2048-byte
 * desc never fills up for 25 nodes, and seeded runs must stay byte-identical).
 */
void nemesis_describe(const char (*names)[GL_ID_MAX], uint32_t n, const uint8_t *cut, char *desc,
                      size_t desclen);

#endif
