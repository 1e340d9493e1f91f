/*
 * evq.c: lanes under an indexed 4-ary min-heap of their heads (see evq.h). A lane's head event
 * lives in its heap slot, whole; the lane's tqueue holds only the events behind it. So a lane of
 * one event (an endpoint's delivery thread, a node's tick) never touches its tqueue, a peek never
 * leaves the heap array, and sifting compares within it; pos[] finds a lane's slot when its head
 * changes.
 */
#include "evq.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>

#include "strbuf.h"

#include "banned.h"

#define NO_HOLE UINT32_MAX

void evq_init(struct evq *q)
{
    q->lanes = NULL;
    q->pos = NULL;
    q->n_lanes = q->cap_lanes = q->cap_pos = 0;
    q->heap = NULL;
    q->n_heap = q->cap_heap = 0;
    q->next_seq = 0;
    q->n_events = 0;
    q->hole = NO_HOLE;
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
    return tqueue_less(&a->ev, &b->ev);
}

static void place(struct evq *q, size_t i, const struct evq_slot *s)
{
    q->heap[i] = *s;
    q->pos[s->lane] = (uint32_t)(i + 1);
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
        place(q, i, &q->heap[parent]);
        i = parent;
    }
    place(q, i, &s);
}

/* The smallest child of i, or 0 when i has none. */
static size_t min_child(const struct evq *q, size_t i)
{
    size_t first = EVQ_ARITY * i + 1;
    if (first >= q->n_heap) return 0;
    size_t end = first + EVQ_ARITY < q->n_heap ? first + EVQ_ARITY : q->n_heap;
    size_t c = first;
    for (size_t k = first + 1; k < end; k++)
        if (slot_less(&q->heap[k], &q->heap[c])) c = k;
    return c;
}

static void sift_down(struct evq *q, size_t i)
{
    struct evq_slot s = q->heap[i];
    size_t c;
    while ((c = min_child(q, i)) != 0 && slot_less(&q->heap[c], &s)) {
        place(q, i, &q->heap[c]);
        i = c;
    }
    place(q, i, &s);
}

/* Removes the slot at i: the last slot takes its place and moves up or down from there. */
static void remove_at(struct evq *q, size_t i)
{
    q->pos[q->heap[i].lane] = 0;
    struct evq_slot last = q->heap[--q->n_heap];
    if (i == q->n_heap) return;
    place(q, i, &last);
    if (i > 0 && slot_less(&last, &q->heap[(i - 1) / EVQ_ARITY]))
        sift_up(q, i);
    else
        sift_down(q, i);
}

void evq_settle(struct evq *q)
{
    if (q->hole == NO_HOLE) return;
    q->hole = NO_HOLE;
    remove_at(q, 0);
}

/* Sets slot i (lane's only slot) to s, which moved later (down) or earlier (up). */
static void resift(struct evq *q, size_t i, const struct evq_slot *s)
{
    bool up = slot_less(s, &q->heap[i]);
    q->heap[i] = *s;
    if (up)
        sift_up(q, i);
    else
        sift_down(q, i);
}

uint64_t evq_take_seq(struct evq *q)
{
    return q->next_seq++;
}

int evq_push_seq(struct evq *q, uint32_t lane, time_us at_us, uint64_t seq, void *data,
                 uint64_t tag)
{
    assert(lane < q->n_lanes);
    struct evq_slot s = { .ev = { .at_us = at_us, .seq = seq, .data = data, .tag = tag },
                          .lane = lane };
    if (q->hole == lane) {
        /* The lane just popped its last event and gets a new one: its slot is reused. */
        q->hole = NO_HOLE;
        q->heap[0] = s;
        sift_down(q, 0);
        q->n_events++;
        return 0;
    }
    evq_settle(q);
    uint32_t p = q->pos[lane];
    if (p == 0) {
        /* The heap has room for every lane (evq_add_lanes). */
        q->heap[q->n_heap++] = s;
        sift_up(q, q->n_heap - 1);
    } else if (slot_less(&s, &q->heap[p - 1])) {
        /* The new event is the lane's head: the old one goes behind it, the slot moves up. */
        const struct heap_entry *old = &q->heap[p - 1].ev;
        if (tqueue_push(&q->lanes[lane], old->at_us, old->seq, old->data, old->tag) != 0) return -1;
        q->heap[p - 1] = s;
        sift_up(q, p - 1);
    } else if (tqueue_push(&q->lanes[lane], at_us, seq, data, tag) != 0) {
        return -1;
    }
    q->n_events++;
    return 0;
}

int evq_push(struct evq *q, uint32_t lane, time_us at_us, void *data, uint64_t tag)
{
    if (evq_push_seq(q, lane, at_us, q->next_seq, data, tag) != 0) return -1;
    q->next_seq++;
    return 0;
}

const struct heap_entry *evq_peek(const struct evq *q, uint32_t *lane)
{
    assert(q->hole == NO_HOLE);
    if (q->n_heap == 0) return NULL;
    if (lane) *lane = q->heap[0].lane;
    return &q->heap[0].ev;
}

int evq_pop(struct evq *q, struct heap_entry *out, uint32_t *lane)
{
    evq_settle(q);
    if (q->n_heap == 0) return -1;
    uint32_t l = q->heap[0].lane;
    *out = q->heap[0].ev;
    if (lane) *lane = l;
    q->n_events--;
    struct tqueue *t = &q->lanes[l];
    if (tqueue_len(t) > 0) {
        /* The lane's next event is later than the one popped: its slot can only move down. */
        tqueue_pop(t, &q->heap[0].ev);
        sift_down(q, 0);
    } else {
        q->hole = l; /* removed at the next call, unless it pushes onto lane l */
    }
    return 0;
}

int evq_reschedule(struct evq *q, uint32_t lane, time_us at_us, uint64_t seq, void *data,
                   uint64_t tag)
{
    assert(lane < q->n_lanes);
    evq_settle(q);
    uint32_t p = q->pos[lane];
    if (p == 0 || tqueue_len(&q->lanes[lane]) > 0) {
        evq_drop_lane(q, lane);
        return evq_push_seq(q, lane, at_us, seq, data, tag);
    }
    struct evq_slot s = { .ev = { .at_us = at_us, .seq = seq, .data = data, .tag = tag },
                          .lane = lane };
    resift(q, p - 1, &s);
    return 0;
}

void evq_drop_lane(struct evq *q, uint32_t lane)
{
    assert(lane < q->n_lanes);
    evq_settle(q);
    uint32_t p = q->pos[lane];
    if (p == 0) return;
    q->n_events -= 1 + tqueue_len(&q->lanes[lane]);
    tqueue_release(&q->lanes[lane]);
    remove_at(q, p - 1);
}

void evq_clear(struct evq *q)
{
    q->hole = NO_HOLE;
    for (size_t i = 0; i < q->n_lanes; i++) {
        tqueue_release(&q->lanes[i]);
        q->pos[i] = 0;
    }
    q->n_heap = 0;
    q->n_events = 0;
}
