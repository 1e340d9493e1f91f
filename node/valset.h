/*
 * valset: the values a node knows, as an insertion-ordered set of int64. The order (what read_ok
 * returns) is kept in chunks of VALSET_CHUNK values, each stored at the narrowest width that
 * holds every value in it: 16 bits while they all lie in [0, 65536), 32 bits in [0, 2^32), else
 * 64. Maelstrom's broadcast values are small dense integers (0, 1, 2, ... from one global
 * counter), so a run of fewer than 65,536 broadcasts costs 2 bytes per value and node instead of
 * 8; a value that does not fit widens only its own chunk (the chunk is copied at the wider width
 * once), and no chunk is ever moved as the set grows. Membership: a bitset over [0, range)
 * answers for dense values with one bit each, a few KiB per node where a hash table took 8 bytes
 * per value and a cache miss per lookup. Values outside the range — negative, or far beyond what
 * the set holds — go to an open-addressing hash table of indices into the order, so any int64
 * works and a stray huge value costs no memory. Every value is in the bitset when it lies in the
 * range, else in the table; the range grows (moving what it now covers out of the table) while
 * it stays within about a bit per value known. Bounded by GL_MAX_VALUES. Pure: no IO, no globals.
 */
#ifndef GL_NODE_VALSET_H
#define GL_NODE_VALSET_H

#include <stddef.h>
#include <stdint.h>

#define VALSET_CHUNK_SHIFT 10u
#define VALSET_CHUNK       (1u << VALSET_CHUNK_SHIFT) /* values per chunk */

/* VALSET_CHUNK values of the order, each width bytes wide (2, 4 or 8). */
struct valset_chunk {
    void *v;
    uint8_t width;
};

struct valset {
    struct valset_chunk *chunk; /* the order: value k in chunk k / VALSET_CHUNK */
    size_t n_chunks, chunk_cap;
    size_t n;       /* values */
    uint64_t *bits; /* bit v set: v is in the set, for 0 <= v < 64 * words */
    size_t words;
    uint32_t *table; /* 0 = empty, else 1 + index into the order; capacity a power of two */
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

/* The k-th value first seen (k < s->n). */
int64_t valset_at(const struct valset *s, size_t k);

/* Copies the s->n values, in first-seen order, to out (room for s->n). */
void valset_copy(const struct valset *s, int64_t *out);

/* Bytes the order takes (its chunks), for tests and the docs' figures. */
size_t valset_order_bytes(const struct valset *s);

#endif
