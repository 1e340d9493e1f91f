/*
 * tglimits.h: topogen's hard limits, in the style of common/limits.h. Each says why it has its
 * value; code that hits one reports it instead of growing.
 */
#ifndef GL_TGLIMITS_H
#define GL_TGLIMITS_H

#include "limits.h"

/*
 * Largest grid topogen enumerates (cells). The 6x6 grid already has 3.3e13 spanning trees, so
 * anything larger is only useful for small depth classes; 64 keeps vertex and edge indices in a
 * byte and the degree-vector table (2*(N+1)^3 counters) at 4 MiB.
 */
#define TG_MAX_ENUM_NODES 64

/* Edges of the largest grid: at most 2 per cell. */
#define TG_MAX_ENUM_EDGES (2 * TG_MAX_ENUM_NODES)

/* A grid vertex has at most 4 neighbours, so out-degrees in a grid arborescence are 0..4. */
#define TG_MAX_GRID_DEG 4

/* Default cap on enumerated trees: all 557,568,000 spanning trees of 5x5 fit, 6x6 does not. */
#define TG_DEFAULT_CAP 1000000000ull

/* Representatives kept (one per symmetry class of minimisers); the count is exact regardless. */
#define TG_MAX_REPS 16

/* Grid symmetries: the dihedral group of the square has 8 elements. */
#define TG_MAX_SYM 8

/* Progress callbacks come every 2^22 trees (about 20 per second at full speed). */
#define TG_PROGRESS_MASK ((1ull << 22) - 1)

_Static_assert(TG_MAX_ENUM_NODES <= 255 && TG_MAX_ENUM_EDGES <= 255,
               "vertex and edge indices of enumerated grids are stored in bytes");
_Static_assert(TG_MAX_ENUM_NODES <= GL_MAX_NODES, "an enumerated grid is a topology");
_Static_assert(TG_DEFAULT_CAP >= 557568000ull, "the 5x5 benchmark must run under the default cap");

#endif
