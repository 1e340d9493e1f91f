/*
 * degvec: out-degree vectors as counts (cnt[d] nodes have out-degree d, d < len): their
 * multiset notation, sum f, majorization, and the verdict over a class of vectors.
 *
 * For two vectors with the same length and the same sum, x is majorized by y (x ≺ y) iff
 * sum_i max(0, x_i - K) <= sum_i max(0, y_i - K) for every integer K (the hinge form of
 * Hardy-Littlewood-Pólya for integer vectors). By Karamata, x ≺ y implies sum f(x) <= sum f(y)
 * for every convex f; a vector majorized by every other vector of a class therefore minimises
 * every convex cost at once. Pure.
 */
#ifndef GL_TG_DEGVEC_H
#define GL_TG_DEGVEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fn.h"

/* "4^1 3^2 2^2 1^10 0^10": degrees descending, zero counts omitted. */
void tg_degvec_format(const uint32_t *cnt, uint32_t len, char *buf, size_t size);

/* sum over nodes of f(out-degree). */
double tg_degvec_sumf(const struct tg_fn *f, const uint32_t *cnt, uint32_t len);

/* Whether x ≺ y (x majorized by y); false if their node counts or degree sums differ. */
bool tg_majorized(const uint32_t *x, const uint32_t *y, uint32_t len);

/* The verdict over nv vectors vecs[i*len .. i*len+len). */
struct tg_verdict {
    int32_t universal; /* a vector majorized by all others, or -1 */
    /* When there is none: two convex functions whose minimiser sets differ, one minimiser of
     * each (min1 is not a minimiser of f2), and whether the sets are disjoint. */
    struct tg_fn f1, f2;
    int32_t min1, min2;
    bool disjoint;
};

/* Returns 0, or -1 when nv is 0 or memory runs out. */
int tg_majorization_verdict(const uint32_t *vecs, uint32_t nv, uint32_t len,
                            struct tg_verdict *out);

#endif
