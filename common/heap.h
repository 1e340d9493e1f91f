/*
 * heap: a binary min-heap of timed entries ordered by (at_us, seq). seq is assigned by the heap
 * at push time from a counter, so entries with equal times pop in insertion order (FIFO) and the
 * order never depends on heap internals (heap_push_seq takes the caller's seq instead). Used by
 * timer loops and the network's queues; struct heap_entry is also evq.h's event.
 */
#ifndef GL_HEAP_H
#define GL_HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "time.h"

struct heap_entry {
    time_us at_us;
    uint64_t seq;
    void *data;   /* owned by the caller */
    uint64_t tag; /* free for the caller (an event kind, an index, ...) */
};

struct heap {
    struct heap_entry *v;
    size_t n, cap;
    uint64_t next_seq;
};

void heap_init(struct heap *h);
void heap_release(struct heap *h); /* frees the array, not the entries' data */

/* Pushes an entry (seq = the next counter value); returns 0, or -1 when memory runs out. */
int heap_push(struct heap *h, time_us at_us, void *data, uint64_t tag);

/*
 * Pushes an entry with a sequence number the caller assigns (from its own counter, shared by
 * several queues: see netq.h). Do not mix with heap_push on one heap. 0, or -1 (no memory).
 */
int heap_push_seq(struct heap *h, time_us at_us, uint64_t seq, void *data, uint64_t tag);

/* The smallest entry, or NULL when empty. */
const struct heap_entry *heap_peek(const struct heap *h);

/* Removes the smallest entry into *out; returns 0, or -1 when empty. */
int heap_pop(struct heap *h, struct heap_entry *out);

static inline size_t heap_size(const struct heap *h)
{
    return h->n;
}

#endif
