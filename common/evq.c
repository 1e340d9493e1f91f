/*
 * evq.c: lanes (tqueue.h) under an indexed 4-ary min-heap of their heads (see evq.h). A slot
 * carries its lane's head key, so sifting compares within the heap array and never follows a
 * lane pointer; pos[] finds a lane's slot when its head changes.
 */
#include "evq.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>

#include "strbuf.h"

#include "banned.h"

void evq_init(struct evq *q)
{
    q->lanes = NULL;
    q->pos = NULL;
    q->n_lanes = q->cap_lanes = q->cap_pos = 0;
    q->heap = NULL;
    q->n_heap = q->cap_heap = 0;
    q->next_seq = 0;
    q->n_events = 0;
}

void evq_release(struct evq *q)
{
    for (size_t i = 0; i < q->n_lanes; i++)
        tqueue_release(&q->lanes[i]);
    free(q->lanes);
    free(q->pos);
    free(q->heap);
    evq_init(q);
}

int64_t evq_add_lanes(struct evq *q, uint32_t n)
{
    size_t need = q->n_lanes + n;
    if (need > UINT32_MAX || GL_GROW(q->lanes, need, q->cap_lanes) != 0 ||
        GL_GROW(q->pos, need, q->cap_pos) != 0 || GL_GROW(q->heap, need, q->cap_heap) != 0)
        return -1;
    int64_t first = (int64_t)q->n_lanes;
    for (size_t i = q->n_lanes; i < need; i++) {
        tqueue_init(&q->lanes[i]);
        q->pos[i] = 0;
    }
    q->n_lanes = need;
    return first;
}

static bool slot_less(const struct evq_slot *a, const struct evq_slot *b)
{
    return a->at_us != b->at_us ? a->at_us < b->at_us : a->seq < b->seq;
}

static void place(struct evq *q, size_t i, struct evq_slot s)
{
    q->heap[i] = s;
    q->pos[s.lane] = (uint32_t)(i + 1);
}

/*
 * A 4-ary heap: half the levels of a binary one, and a node's four children share a cache line
 * or two, so a pop reads fewer lines (the queue pops about as often as it pushes).
 */
#define EVQ_ARITY 4u

static void sift_up(struct evq *q, size_t i)
{
    struct evq_slot s = q->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / EVQ_ARITY;
        if (!slot_less(&s, &q->heap[parent])) break;
        place(q, i, q->heap[parent]);
        i = parent;
    }
    place(q, i, s);
}

static void sift_down(struct evq *q, size_t i)
{
    struct evq_slot s = q->heap[i];
    for (;;) {
        size_t first = EVQ_ARITY * i + 1;
        if (first >= q->n_heap) break;
        size_t end = first + EVQ_ARITY < q->n_heap ? first + EVQ_ARITY : q->n_heap;
        size_t c = first;
        for (size_t k = first + 1; k < end; k++)
            if (slot_less(&q->heap[k], &q->heap[c])) c = k;
        if (!slot_less(&q->heap[c], &s)) break;
        place(q, i, q->heap[c]);
        i = c;
    }
    place(q, i, s);
}

int evq_push(struct evq *q, uint32_t lane, time_us at_us, void *data, uint64_t tag)
{
    assert(lane < q->n_lanes);
    uint64_t seq = q->next_seq;
    if (tqueue_push(&q->lanes[lane], at_us, seq, data, tag) != 0) return -1;
    q->next_seq++;
    q->n_events++;
    struct evq_slot s = { .at_us = at_us, .seq = seq, .lane = lane };
    uint32_t p = q->pos[lane];
    if (p == 0) {
        /* The heap has room for every lane (evq_add_lanes). */
        q->heap[q->n_heap++] = s;
        sift_up(q, q->n_heap - 1);
    } else if (slot_less(&s, &q->heap[p - 1])) {
        q->heap[p - 1] = s; /* the new event is the lane's head: it can only move up */
        sift_up(q, p - 1);
    }
    return 0;
}

const struct heap_entry *evq_peek(const struct evq *q, uint32_t *lane)
{
    if (q->n_heap == 0) return NULL;
    if (lane) *lane = q->heap[0].lane;
    return tqueue_peek(&q->lanes[q->heap[0].lane]);
}

int evq_pop(struct evq *q, struct heap_entry *out, uint32_t *lane)
{
    if (q->n_heap == 0) return -1;
    uint32_t l = q->heap[0].lane;
    struct tqueue *t = &q->lanes[l];
    int rc = tqueue_pop(t, out);
    assert(rc == 0);
    (void)rc;
    q->n_events--;
    if (lane) *lane = l;
    const struct heap_entry *next = tqueue_peek(t);
    if (next) {
        /* The lane's new head is later than its old one: it can only move down. */
        q->heap[0].at_us = next->at_us;
        q->heap[0].seq = next->seq;
    } else {
        q->pos[l] = 0;
        if (--q->n_heap == 0) return 0;
        q->heap[0] = q->heap[q->n_heap];
    }
    sift_down(q, 0);
    return 0;
}

void evq_clear(struct evq *q)
{
    for (size_t i = 0; i < q->n_lanes; i++) {
        tqueue_release(&q->lanes[i]);
        q->pos[i] = 0;
    }
    q->n_heap = 0;
    q->n_events = 0;
}
