/*
 * valset: the values a node knows, as an insertion-ordered set of int64. An array keeps the
 * first-seen order (what read_ok returns). Membership: Maelstrom's broadcast values are small
 * dense integers (0, 1, 2, ... from one global counter), so a bitset over [0, range) answers for
 * them with one bit each, a few KiB per node where a hash table took 8 bytes per value and a
 * cache miss per lookup. Values outside the range — negative, or far beyond what the set holds —
 * go to an open-addressing hash table of indices into the array, so any int64 works and a stray
 * huge value costs no memory. Every value is in the bitset when it lies in the range, else in the
 * table; the range grows (moving what it now covers out of the table) while it stays within
 * about a bit per value known. Bounded by GL_MAX_VALUES. Pure: no IO, no globals.
 */
#ifndef GL_NODE_VALSET_H
#define GL_NODE_VALSET_H

#include <stddef.h>
#include <stdint.h>

struct valset {
    int64_t *order; /* values in first-seen order */
    size_t n, cap;  /* used and allocated entries of order */
    uint64_t *bits; /* bit v set: v is in the set, for 0 <= v < 64 * words */
    size_t words;
    uint32_t *table; /* 0 = empty, else 1 + index into order; capacity a power of two */
    size_t table_cap;
    size_t n_sparse; /* values in the table */
};

enum valset_status {
    VALSET_NEW = 1,   /* added */
    VALSET_DUP = 0,   /* already there */
    VALSET_FULL = -1, /* GL_MAX_VALUES reached: not added */
    VALSET_NOMEM = -2,
};

void valset_init(struct valset *s);
void valset_release(struct valset *s);

/* Adds v unless present. */
enum valset_status valset_add(struct valset *s, int64_t v);

int valset_contains(const struct valset *s, int64_t v);

#endif
