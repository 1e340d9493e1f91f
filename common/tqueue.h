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

/* Pushes an entry; 0, or -1 when memory runs out (nothing pushed). (at_us, seq) must be unique. */
int tqueue_push(struct tqueue *q, time_us at_us, uint64_t seq, void *data, uint64_t tag);

/* The smallest entry, or NULL when empty; valid until the next push or pop. */
const struct heap_entry *tqueue_peek(const struct tqueue *q);

/* Removes the smallest entry into *out; 0, or -1 when empty. */
int tqueue_pop(struct tqueue *q, struct heap_entry *out);

static inline size_t tqueue_len(const struct tqueue *q)
{
    return q->len + heap_size(&q->late);
}

/* True when a's key is below b's: (at_us, seq) lexicographically, as one 128-bit compare. */
static inline bool tqueue_less(const struct heap_entry *a, const struct heap_entry *b)
{
    __extension__ typedef unsigned __int128 u128;
    return ((u128)a->at_us << 64 | a->seq) < ((u128)b->at_us << 64 | b->seq);
}

#endif
