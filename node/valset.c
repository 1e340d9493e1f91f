/*
 * valset: insertion-ordered set of int64 values (see valset.h). Linear probing on a table kept
 * at most half full, so lookups stay short; the table stores indices, not values, to halve its
 * size. Sans-IO.
 */
#include "valset.h"

#include <stdlib.h>

#include "limits.h"
#include "rng.h"
#include "strbuf.h"

#include "banned.h"

_Static_assert(GL_MAX_VALUES < UINT32_MAX / 4, "table indices are uint32_t");

#define VALSET_MIN_TABLE 1024u

void valset_init(struct valset *s)
{
    s->order = NULL;
    s->n = s->cap = 0;
    s->table = NULL;
    s->table_cap = 0;
}

void valset_release(struct valset *s)
{
    free(s->order);
    free(s->table);
    valset_init(s);
}

/* The slot holding v, or the empty slot where it would go. */
static size_t probe(const struct valset *s, int64_t v)
{
    size_t mask = s->table_cap - 1;
    size_t i = (size_t)rng_mix64((uint64_t)v) & mask;
    while (s->table[i] != 0 && s->order[s->table[i] - 1] != v)
        i = (i + 1) & mask;
    return i;
}

static int grow_table(struct valset *s)
{
    size_t cap = s->table_cap ? s->table_cap * 2 : VALSET_MIN_TABLE;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t) return -1;
    free(s->table);
    s->table = t;
    s->table_cap = cap;
    for (size_t k = 0; k < s->n; k++)
        s->table[probe(s, s->order[k])] = (uint32_t)(k + 1);
    return 0;
}

int valset_contains(const struct valset *s, int64_t v)
{
    return s->table_cap != 0 && s->table[probe(s, v)] != 0;
}

enum valset_status valset_add(struct valset *s, int64_t v)
{
    if (valset_contains(s, v)) return VALSET_DUP;
    if (s->n >= GL_MAX_VALUES) return VALSET_FULL;
    if ((s->n + 1) * 2 > s->table_cap && grow_table(s) != 0) return VALSET_NOMEM;
    if (GL_GROW(s->order, s->n + 1, s->cap) != 0) return VALSET_NOMEM;
    s->order[s->n] = v;
    s->table[probe(s, v)] = (uint32_t)(s->n + 1);
    s->n++;
    return VALSET_NEW;
}
