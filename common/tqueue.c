/*
 * tqueue.c: a FIFO ring for in-order entries and a heap for the rest (see tqueue.h). The ring
 * doubles when full and unwraps into the new array (gl_ring_grow, shared with
 * harness/world/netq.c), so its order survives the growth.
 */
#include "tqueue.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#include "banned.h"

#define TQUEUE_MIN_RING 8u

void tqueue_init(struct tqueue *q)
{
    q->ring = NULL;
    q->head = q->len = q->cap = 0;
    heap_init(&q->late);
}

void tqueue_release(struct tqueue *q)
{
    free(q->ring);
    heap_release(&q->late);
    tqueue_init(q);
}

static struct heap_entry *ring_at(const struct tqueue *q, size_t k)
{
    return &q->ring[(q->head + k) & (q->cap - 1)];
}

int tqueue_push(struct tqueue *q, time_us at_us, uint64_t seq, void *data, uint64_t tag)
{
    struct heap_entry e = { .at_us = at_us, .seq = seq, .data = data, .tag = tag };
    if (q->len > 0 && tqueue_less(&e, ring_at(q, q->len - 1)))
        return heap_push_seq(&q->late, at_us, seq, data, tag);
    if (q->len == q->cap &&
        gl_ring_grow(&q->ring, sizeof(*q->ring), &q->head, q->len, &q->cap, TQUEUE_MIN_RING) != 0)
        return -1;
    *ring_at(q, q->len) = e;
    q->len++;
    return 0;
}

const struct heap_entry *tqueue_peek(const struct tqueue *q)
{
    const struct heap_entry *late = heap_peek(&q->late);
    if (q->len == 0) return late;
    const struct heap_entry *first = ring_at(q, 0);
    return late && tqueue_less(late, first) ? late : first;
}

int tqueue_pop(struct tqueue *q, struct heap_entry *out)
{
    const struct heap_entry *top = tqueue_peek(q);
    if (!top) return -1;
    if (q->len == 0 || top != ring_at(q, 0)) return heap_pop(&q->late, out);
    *out = *top;
    q->head = (q->head + 1) & (q->cap - 1);
    q->len--;
    return 0;
}
