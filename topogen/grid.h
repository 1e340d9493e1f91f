/*
 * grid: the R x C grid graph topogen enumerates over, in Maelstrom's layout (cell k at row
 * k / C, column k % C, named "nk"), with the facts the enumerators need: edges, neighbours, grid
 * distances, the symmetries that fix a root, and two independent tree counts (the Matrix-Tree
 * theorem for all spanning trees, the product of parent choices for shortest-path trees).
 * Pure: no IO.
 */
#ifndef GL_TG_GRID_H
#define GL_TG_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "tglimits.h"

/* Exact counts beyond 64 bits (a 7x7 grid has ~1.1e20 spanning trees). */
__extension__ typedef unsigned __int128 tg_u128;

struct tg_grid {
    uint32_t rows, cols, n, m;
    uint8_t eu[TG_MAX_ENUM_EDGES], ev[TG_MAX_ENUM_EDGES]; /* edge k joins eu[k] and ev[k] */
    uint8_t nbr[TG_MAX_ENUM_NODES][4];                    /* neighbours, Maelstrom's order */
    uint8_t nnbr[TG_MAX_ENUM_NODES];
};

/* Builds the rows x cols grid; returns 0 or -1 with err (size out of range). */
int tg_grid_init(struct tg_grid *g, uint32_t rows, uint32_t cols, char *err, size_t errlen);

/* Parses "RxC" (e.g. "5x5"); returns 0 or -1 with err. */
int tg_grid_parse(const char *s, uint32_t *rows, uint32_t *cols, char *err, size_t errlen);

/* The centre cell: row (R-1)/2, column (C-1)/2 (n12 of 5x5; matches topo_centre for squares). */
uint32_t tg_grid_centre(const struct tg_grid *g);

/* Manhattan distance between two cells. */
uint32_t tg_grid_dist(const struct tg_grid *g, uint32_t a, uint32_t b);

/* Largest distance from root to any cell (the least feasible depth bound). */
uint32_t tg_grid_eccentricity(const struct tg_grid *g, uint32_t root);

/* Whether cells a and b are neighbours. */
int tg_grid_adjacent(const struct tg_grid *g, uint32_t a, uint32_t b);

/*
 * The grid symmetries that map root to itself, as permutations perm[s][cell]; the identity is
 * first. Returns their number (1..8).
 */
uint32_t tg_grid_symmetries(const struct tg_grid *g, uint32_t root,
                            uint8_t perm[TG_MAX_SYM][TG_MAX_ENUM_NODES]);

/*
 * Number of spanning trees by the Matrix-Tree theorem: the determinant of the Laplacian without
 * one row and column, computed modulo three 62-bit primes and recombined (CRT), exact for every
 * grid of at most TG_MAX_ENUM_NODES cells (their counts are below 2^126). Returns 0; -1 with err
 * is reserved for larger graphs.
 */
int tg_grid_matrix_tree(const struct tg_grid *g, tg_u128 *count, char *err, size_t errlen);

/* Number of shortest-path arborescences from root: the product over cells of their neighbours
 * one step closer to the root. */
tg_u128 tg_grid_shortest_count(const struct tg_grid *g, uint32_t root);

/* Decimal text of v into buf (at least 40 bytes); returns buf. */
char *tg_u128_str(tg_u128 v, char *buf);

#endif
