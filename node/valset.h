/*
 * valset: the values a node knows, as an insertion-ordered set of int64. An array keeps the
 * first-seen order (what read_ok returns); an open-addressing hash table of indices into that
 * array answers membership in O(1). Bounded by GL_MAX_VALUES. Pure: no IO, no globals.
 */
#ifndef GL_NODE_VALSET_H
#define GL_NODE_VALSET_H

#include <stddef.h>
#include <stdint.h>

struct valset {
    int64_t *order;  /* values in first-seen order */
    size_t n, cap;   /* used and allocated entries of order */
    uint32_t *table; /* 0 = empty, else 1 + index into order; capacity a power of two */
    size_t table_cap;
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
