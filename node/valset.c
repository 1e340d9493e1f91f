/*
 * valset: insertion-ordered set of int64 values (see valset.h). The order lives in fixed-size
 * chunks, each at its own width: appending never moves earlier values (no doubling, no copy of
 * the whole order), and widening a chunk copies at most VALSET_CHUNK values once per width. The
 * bitset's range only grows, never past 64 bits per value known plus VALSET_SLACK_WORDS words,
 * so its memory stays below the order's. The table (linear probing, kept at most half full)
 * holds indices, not values, to halve its size; it is rebuilt from the order when it grows or
 * when the bitset takes over some of its values. Sans-IO.
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
#define CHUNK_MASK         ((size_t)VALSET_CHUNK - 1)

void valset_init(struct valset *s)
{
    memset(s, 0, sizeof(*s));
}

void valset_release(struct valset *s)
{
    for (size_t c = 0; c < s->n_chunks; c++)
        free(s->chunk[c].v);
    free(s->chunk);
    free(s->bits);
    free(s->table);
    valset_init(s);
}

/* ---- the order: chunks of 16-, 32- or 64-bit values --------------------------------------- */

/* The narrowest width (bytes) that holds v. */
static uint8_t width_of(int64_t v)
{
    if (v >= 0 && v <= UINT16_MAX) return 2;
    if (v >= 0 && v <= UINT32_MAX) return 4;
    return 8;
}

static int64_t chunk_get(const struct valset_chunk *c, size_t i)
{
    switch (c->width) {
    case 2:
        return ((const uint16_t *)c->v)[i];
    case 4:
        return ((const uint32_t *)c->v)[i];
    default:
        return ((const int64_t *)c->v)[i];
    }
}

/* Stores v (which fits c's width) at i. */
static void chunk_put(struct valset_chunk *c, size_t i, int64_t v)
{
    switch (c->width) {
    case 2:
        ((uint16_t *)c->v)[i] = (uint16_t)v;
        break;
    case 4:
        ((uint32_t *)c->v)[i] = (uint32_t)v;
        break;
    default:
        ((int64_t *)c->v)[i] = v;
    }
}

int64_t valset_at(const struct valset *s, size_t k)
{
    return chunk_get(&s->chunk[k >> VALSET_CHUNK_SHIFT], k & CHUNK_MASK);
}

/* Copies c's first count values, widened, into a new array of width bytes per value. */
static int chunk_widen(struct valset_chunk *c, size_t count, uint8_t width)
{
    struct valset_chunk w = { malloc((size_t)VALSET_CHUNK * width), width };
    if (!w.v) return -1;
    for (size_t i = 0; i < count; i++)
        chunk_put(&w, i, chunk_get(c, i));
    free(c->v);
    *c = w;
    return 0;
}

/*
 * Makes room for v as value number s->n: a new chunk at v's width, or the last one widened when
 * v does not fit it. Nothing else changes, so a later failure leaves the set as it was (a chunk
 * made ready stays ready).
 */
static int reserve(struct valset *s, int64_t v)
{
    size_t c = s->n >> VALSET_CHUNK_SHIFT;
    uint8_t width = width_of(v);
    if (c < s->n_chunks) {
        struct valset_chunk *ch = &s->chunk[c];
        return width <= ch->width ? 0 : chunk_widen(ch, s->n & CHUNK_MASK, width);
    }
    if (GL_GROW(s->chunk, c + 1, s->chunk_cap) != 0) return -1;
    s->chunk[c].v = malloc((size_t)VALSET_CHUNK * width);
    if (!s->chunk[c].v) return -1;
    s->chunk[c].width = width;
    s->n_chunks = c + 1;
    return 0;
}

void valset_copy(const struct valset *s, int64_t *out)
{
    for (size_t c = 0; c * VALSET_CHUNK < s->n; c++) {
        const struct valset_chunk *ch = &s->chunk[c];
        size_t count = s->n - c * VALSET_CHUNK;
        if (count > VALSET_CHUNK) count = VALSET_CHUNK;
        int64_t *o = out + c * VALSET_CHUNK;
        /* One loop per width, so each is a plain widening copy. */
        switch (ch->width) {
        case 2:
            for (size_t i = 0; i < count; i++)
                o[i] = ((const uint16_t *)ch->v)[i];
            break;
        case 4:
            for (size_t i = 0; i < count; i++)
                o[i] = ((const uint32_t *)ch->v)[i];
            break;
        default:
            memcpy(o, ch->v, count * sizeof *o);
        }
    }
}

size_t valset_order_bytes(const struct valset *s)
{
    size_t bytes = 0;
    for (size_t c = 0; c < s->n_chunks; c++)
        bytes += (size_t)VALSET_CHUNK * s->chunk[c].width;
    return bytes;
}

/* ---- membership: the bitset and the table -------------------------------------------------- */

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
    while (s->table[i] != 0 && valset_at(s, s->table[i] - 1) != v)
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
        int64_t v = valset_at(s, k);
        if (in_range(s, v)) continue;
        s->table[probe(s, v)] = (uint32_t)(k + 1);
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
    for (size_t k = 0; k < s->n; k++) {
        int64_t x = valset_at(s, k);
        if (in_range(s, x)) set_bit(s, x);
    }
    return rebuild_table(s, s->table_cap) == 0 ? 1 : -1;
}

int valset_contains(const struct valset *s, int64_t v)
{
    if (in_range(s, v)) return bit(s, v);
    return s->n_sparse != 0 && s->table[probe(s, v)] != 0;
}

/* valset_add's general case: a value for the table, a new or wider chunk, the limit. */
static enum valset_status add_slow(struct valset *s, int64_t v)
{
    if (valset_contains(s, v)) return VALSET_DUP;
    if (s->n >= GL_MAX_VALUES) return VALSET_FULL;
    if (reserve(s, v) != 0) return VALSET_NOMEM;
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
    chunk_put(&s->chunk[s->n >> VALSET_CHUNK_SHIFT], s->n & CHUNK_MASK, v);
    s->n++;
    return VALSET_NEW;
}

/* The common case first: a dense value, seen or new, with room in the last chunk. */
enum valset_status valset_add(struct valset *s, int64_t v)
{
    if (!in_range(s, v)) return add_slow(s, v);
    if (bit(s, v)) return VALSET_DUP;
    size_t c = s->n >> VALSET_CHUNK_SHIFT;
    if (c >= s->n_chunks || width_of(v) > s->chunk[c].width || s->n >= GL_MAX_VALUES)
        return add_slow(s, v);
    set_bit(s, v);
    chunk_put(&s->chunk[c], s->n & CHUNK_MASK, v);
    s->n++;
    return VALSET_NEW;
}
