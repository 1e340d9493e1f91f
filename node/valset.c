/*
 * valset: insertion-ordered set of int64 values (see valset.h). The bitset's range only grows,
 * never past 64 bits per value known plus VALSET_SLACK_WORDS words, so its memory stays below
 * the order array's. The table (linear probing, kept at most half full) holds indices, not
 * values, to halve its size; it is rebuilt from the order array when it grows or when the bitset
 * takes over some of its values. Sans-IO.
 */
#include "valset.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "rng.h"
#include "strbuf.h"

#include "banned.h"

_Static_assert(GL_MAX_VALUES < UINT32_MAX / 4, "table indices are uint32_t");

#define VALSET_MIN_TABLE   64u
#define VALSET_MIN_WORDS   64u  /* 4096 values */
#define VALSET_SLACK_WORDS 1024 /* the range may exceed a bit per value by 64 Ki values */

void valset_init(struct valset *s)
{
    memset(s, 0, sizeof(*s));
}

void valset_release(struct valset *s)
{
    free(s->order);
    free(s->bits);
    free(s->table);
    valset_init(s);
}

static bool in_range(const struct valset *s, int64_t v)
{
    return v >= 0 && (uint64_t)v < 64u * (uint64_t)s->words;
}

static bool bit(const struct valset *s, int64_t v)
{
    return (s->bits[(uint64_t)v / 64] >> ((uint64_t)v % 64)) & 1u;
}

static void set_bit(struct valset *s, int64_t v)
{
    s->bits[(uint64_t)v / 64] |= (uint64_t)1 << ((uint64_t)v % 64);
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

/* Rebuilds the table at capacity cap from the values outside the bitset's range. */
static int rebuild_table(struct valset *s, size_t cap)
{
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t) return -1;
    free(s->table);
    s->table = t;
    s->table_cap = cap;
    s->n_sparse = 0;
    for (size_t k = 0; k < s->n; k++) {
        if (in_range(s, s->order[k])) continue;
        s->table[probe(s, s->order[k])] = (uint32_t)(k + 1);
        s->n_sparse++;
    }
    return 0;
}

/*
 * Grows the range to cover v if that keeps within the memory rule; the values the table held
 * that the new range covers move to the bitset. 1 when v is in range now, 0 when it goes to the
 * table, -1 when out of memory.
 */
static int cover(struct valset *s, int64_t v)
{
    if (v < 0) return 0;
    size_t limit = s->n + 1 + VALSET_SLACK_WORDS;
    if ((uint64_t)v / 64 >= limit) return 0;
    size_t need = (size_t)((uint64_t)v / 64) + 1;
    size_t words = s->words ? 2 * s->words : VALSET_MIN_WORDS;
    if (words < need) words = need;
    if (words > limit) words = limit;
    uint64_t *b = realloc(s->bits, words * sizeof *b);
    if (!b) return -1;
    memset(b + s->words, 0, (words - s->words) * sizeof *b);
    s->bits = b;
    s->words = words;
    if (s->n_sparse == 0) return 1;
    for (size_t k = 0; k < s->n; k++)
        if (in_range(s, s->order[k])) set_bit(s, s->order[k]);
    return rebuild_table(s, s->table_cap) == 0 ? 1 : -1;
}

int valset_contains(const struct valset *s, int64_t v)
{
    if (in_range(s, v)) return bit(s, v);
    return s->n_sparse != 0 && s->table[probe(s, v)] != 0;
}

enum valset_status valset_add(struct valset *s, int64_t v)
{
    if (valset_contains(s, v)) return VALSET_DUP;
    if (s->n >= GL_MAX_VALUES) return VALSET_FULL;
    if (GL_GROW(s->order, s->n + 1, s->cap) != 0) return VALSET_NOMEM;
    int dense = in_range(s, v) ? 1 : cover(s, v);
    if (dense < 0) return VALSET_NOMEM;
    if (dense) {
        set_bit(s, v);
    } else {
        if ((s->n_sparse + 1) * 2 > s->table_cap &&
            rebuild_table(s, s->table_cap ? s->table_cap * 2 : VALSET_MIN_TABLE) != 0)
            return VALSET_NOMEM;
        s->table[probe(s, v)] = (uint32_t)(s->n + 1);
        s->n_sparse++;
    }
    s->order[s->n++] = v;
    return VALSET_NEW;
}
