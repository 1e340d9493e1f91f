/*
 * enum: exhaustive enumeration of the spanning arborescences of a grid from a root, in one of
 * three classes, accumulating per tree its out-degree vector (as a key into a histogram) and the
 * minimisers of sum f(out-degree) (counted exactly, one representative kept per symmetry class).
 *
 *   TG_CLASS_ANY: every spanning tree (spanning trees and arborescences rooted at the root are in
 *       bijection). Algorithm: vertex-elimination contraction/deletion in the spirit of Winter
 *       (BIT 26, 1986). Vertices are eliminated in reverse BFS order from the root, so the
 *       not-yet-eliminated vertices always induce a connected graph; the eliminated vertex x is
 *       then never a cut vertex of the contracted multigraph, and each of its incident edges e
 *       yields at least one tree: "the trees that contain e and none of x's earlier edge classes"
 *       (delete the earlier classes, contract e). No bridge test is ever needed, every leaf of the
 *       recursion is a distinct spanning tree, consecutive trees differ by edge exchanges, and the
 *       out-degree key is updated in O(1) per chosen edge, so the cost per tree is O(1) amortised
 *       (a leaf costs a histogram increment).
 *   TG_CLASS_SHORTEST: every node at its grid distance from the root (each node picks one of its
 *       neighbours one step closer): layer by layer.
 *   TG_CLASS_DEPTH: depth at most D: layer by layer, each frontier node joins the next layer
 *       under one of its neighbours there, or waits; branches where some node can no longer be
 *       reached within D are cut by a BFS.
 *
 * Pure: no IO, no clock; progress is reported through a callback every 2^22 trees.
 */
#ifndef GL_TG_ENUM_H
#define GL_TG_ENUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fn.h"
#include "grid.h"
#include "tglimits.h"

enum tg_class_kind { TG_CLASS_ANY, TG_CLASS_SHORTEST, TG_CLASS_DEPTH };

struct tg_class {
    enum tg_class_kind kind;
    uint32_t max_depth; /* TG_CLASS_DEPTH */
};

struct tg_enum_cfg {
    const struct tg_grid *g;
    uint32_t root;
    struct tg_class cls;
    const struct tg_fn *f;
    uint64_t cap; /* stop after this many trees (results then partial) */
    /* Called every 2^22 trees with the count so far; may be NULL. */
    void (*progress)(void *ctx, uint64_t trees);
    void *ctx;
};

/* A tree as parent pointers; par[root] == root. */
struct tg_tree {
    uint8_t par[TG_MAX_ENUM_NODES];
};

struct tg_enum_result {
    uint32_t n, base;    /* cells, and the key radix n+1 */
    uint64_t trees;      /* trees enumerated */
    bool capped;         /* stopped at the cap: everything below is partial */
    size_t nkeys;        /* size of hist */
    uint64_t *hist;      /* hist[key]: trees with that out-degree vector (owned) */
    double *sumf;        /* sumf[key]: sum f over the vector; +inf for impossible keys (owned) */
    double best;         /* min sum f (+inf when no tree) */
    uint64_t min_trees;  /* trees attaining it */
    uint64_t min_orbits; /* their classes under the grid symmetries fixing the root */
    uint32_t nreps;
    struct tg_tree reps[TG_MAX_REPS]; /* the lexicographically least tree of each class */
};

/*
 * Runs the enumeration. Returns 0 (res filled, free it with tg_enum_result_release) or -1 with
 * err (root outside the grid, depth bound below the root's eccentricity is fine: 0 trees).
 */
int tg_enum_run(const struct tg_enum_cfg *cfg, struct tg_enum_result *res, char *err,
                size_t errlen);

void tg_enum_result_release(struct tg_enum_result *res);

/* Degree counts cnt[0..4] of a key (out-degree d occurs cnt[d] times). */
void tg_key_counts(const struct tg_enum_result *res, size_t key, uint32_t cnt[5]);

/* The key of a tree given as parent pointers over res->n cells. */
size_t tg_tree_key(const struct tg_enum_result *res, uint32_t root, const uint8_t *par);

/* Whether two sums of f are equal up to rounding (sums of exp/pow terms in any order). */
bool tg_sum_eq(double a, double b);

#endif
