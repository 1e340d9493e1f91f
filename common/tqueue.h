/*
 * tqueue: a queue of timed entries popped in (at_us, seq) order, where seq comes from the caller
 * (one counter shared by many queues, so that their entries compare as if they were in one).
 * Built for entries that mostly arrive in order — one node's inbox, its ticks, the messages of
 * one link with a constant latency —: an entry whose key is not below the newest in-order
 * entry's goes to a FIFO ring (O(1) push and pop), any other to a binary heap (heap.h), and a pop
 * takes the smaller of the two heads. The order is exactly (at_us, seq) whatever the pattern.
 * Pure: no clock, no IO.
 */
#ifndef GL_TQUEUE_H
#define GL_TQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "time.h"

struct tqueue {
    struct heap_entry *ring; /* ring[(head + k) & (cap - 1)], k < len: in (at_us, seq) order */
    size_t head, len, cap;   /* cap: 0 or a power of two */
    struct heap late;        /* entries pushed out of order */
};

void tqueue_init(struct tqueue *q);
/* Frees the arrays, not the entries' data. */
void tqueue_release(struct tqueue *q);

/* The out-of-line halves of tqueue_push and tqueue_pop (below): the heap, a ring to grow. */
int tqueue_push_slow(struct tqueue *q, const struct heap_entry *e);
int tqueue_pop_slow(struct tqueue *q, struct heap_entry *out);

/* True when a's key is below b's: (at_us, seq) lexicographically, as one 128-bit compare. */
static inline bool tqueue_less(const struct heap_entry *a, const struct heap_entry *b)
{
    __extension__ typedef unsigned __int128 u128;
    return ((u128)a->at_us << 64 | a->seq) < ((u128)b->at_us << 64 | b->seq);
}

/*
 * Pushes an entry; 0, or -1 when memory runs out (nothing pushed). (at_us, seq) must be unique.
 * Inline for the common case: in order, room in the ring.
 */
static inline int tqueue_push_entry(struct tqueue *q, const struct heap_entry *e)
{
    if (q->len < q->cap &&
        (q->len == 0 || !tqueue_less(e, &q->ring[(q->head + q->len - 1) & (q->cap - 1)]))) {
        q->ring[(q->head + q->len) & (q->cap - 1)] = *e;
        q->len++;
        return 0;
    }
    return tqueue_push_slow(q, e);
}

static inline int tqueue_push(struct tqueue *q, time_us at_us, uint64_t seq, void *data,
                              uint64_t tag)
{
    struct heap_entry e = { .at_us = at_us, .seq = seq, .data = data, .tag = tag };
    return tqueue_push_entry(q, &e);
}

/* The smallest entry, or NULL when empty; valid until the next push or pop. */
const struct heap_entry *tqueue_peek(const struct tqueue *q);

/* Removes the smallest entry into *out; 0, or -1 when empty. Inline when nothing is late. */
static inline int tqueue_pop(struct tqueue *q, struct heap_entry *out)
{
    if (heap_size(&q->late) != 0) return tqueue_pop_slow(q, out);
    if (q->len == 0) return -1;
    *out = q->ring[q->head];
    q->head = (q->head + 1) & (q->cap - 1);
    q->len--;
    return 0;
}

/* Empties the queue, keeping its arrays for the entries to come. */
void tqueue_clear(struct tqueue *q);

static inline size_t tqueue_len(const struct tqueue *q)
{
    return q->len + heap_size(&q->late);
}

#endif
