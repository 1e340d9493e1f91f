/*
 * ranges: a set of int64 as sorted, disjoint, non-adjacent closed intervals [lo, hi], stored as
 * one flat array lo0, hi0, lo1, hi1, ... (the wire form of the anti-entropy digests, "have" and
 * "need", and the out-of-order part of a cumulative-ack receive window). Compact when the set is
 * nearly contiguous, as Maelstrom's values are (one global sequence): 1000 values with three holes
 * are four intervals. Pure: no IO, no globals.
 */
#ifndef GL_NODE_RANGES_H
#define GL_NODE_RANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ranges {
    int64_t *v; /* 2 * n entries: v[2i] = lo, v[2i+1] = hi */
    size_t n;   /* intervals */
    size_t cap; /* int64 entries allocated */
};

void ranges_init(struct ranges *r);
void ranges_release(struct ranges *r);
void ranges_clear(struct ranges *r);

/* Adds [lo, hi] (lo <= hi), merging what it touches. Returns 0, or -1 when memory runs out. */
int ranges_add_range(struct ranges *r, int64_t lo, int64_t hi);

/* Adds v: 1 when new, 0 when already there, -1 when memory runs out. */
int ranges_add(struct ranges *r, int64_t v);

bool ranges_contains(const struct ranges *r, int64_t v);

/* Removes every value below v. */
void ranges_drop_below(struct ranges *r, int64_t v);

/* Whether a flat array of 2n int64 is a valid interval list (sorted, disjoint, lo <= hi). */
bool ranges_valid(const int64_t *v, size_t n_entries);

/*
 * The intervals of a \ b (flat lists of na, nb intervals), restricted to values <= upto, into out
 * (cleared first). Returns 0, or -1 when memory runs out.
 */
int ranges_subtract(const int64_t *a, size_t na, const int64_t *b, size_t nb, int64_t upto,
                    struct ranges *out);

/* Counts the values in r (saturating at SIZE_MAX). */
size_t ranges_count(const struct ranges *r);

#endif
