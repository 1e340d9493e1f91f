/*
 * evq: a discrete-event queue. Events run in (at_us, seq) order, seq being the order in which
 * they were pushed: ties are FIFO, exactly as with one heap of every event (heap.h). Each event
 * is pushed onto a lane — a source of events: a node's ticks, an endpoint's delivery thread —
 * which names it for the caller and lets a source's events be dropped or its lone timer moved
 * together (evq_drop_lane, evq_reschedule). Near events (within 131 ms) sit on a timing wheel
 * of microseconds, far ones in a heap (evq.c): pushes and pops of near events are O(1), a few
 * tens of instructions (bench/evq.sh). Lanes never change the order. Pure: no clock, no IO.
 */
#ifndef GL_EVQ_H
#define GL_EVQ_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "time.h"

/* Microseconds ahead of the last event popped that the wheel covers (evq.c): 131 ms. */
#define EVQ_WHEEL (1u << 17)
/* No node, no lane; where a node is when not in the heap. */
#define EVQ_NIL      UINT32_MAX
#define EVQ_IN_WHEEL (UINT32_MAX - 1)
#define EVQ_FREE     (UINT32_MAX - 2)

/* A far event in the heap: its key, copied from its node. */
struct evq_slot {
    time_us at_us;
    uint64_t seq;
    uint32_t node;
};

/* An event on the queue (or a free node, on the free list). */
struct evq_node {
    struct heap_entry e;
    uint32_t next, prev; /* wheel: its bucket's list, circular (free: next is the next free) */
    uint32_t pos;        /* heap: its slot; EVQ_IN_WHEEL; EVQ_FREE */
    uint32_t lane;
    uint32_t gen; /* counts the node's uses: tells a lane's last event from a reuse */
};

/* A lane: how many events it has, and the last one pushed (its node and the node's gen). */
struct evq_lane {
    uint32_t n, last, last_gen;
};

struct evq {
    struct evq_node *node; /* every node ever used (n_nodes), live or free */
    size_t n_nodes, cap_nodes;
    uint32_t free_node;    /* the first free node, or EVQ_NIL */
    struct evq_slot *heap; /* min-heap of far events; cap_heap >= cap_nodes */
    size_t n_heap, cap_heap, n_wheel;
    struct evq_lane *ln;
    size_t n_lanes, cap_lanes;
    uint32_t *bucket;  /* EVQ_WHEEL entries: a bucket's first node, or EVQ_NIL */
    uint64_t *bits;    /* a bit per bucket: not empty */
    uint64_t *summary; /* a bit per word of bits: not zero */
    time_us base;      /* the time of the last event popped */
    uint64_t next_seq; /* the next event's seq */
    size_t n_events;
    uint32_t next_node; /* the next event's node, when known; EVQ_NIL: not known */
};

void evq_init(struct evq *q);
/* Frees every lane and event (not the events' data). */
void evq_release(struct evq *q);

/* Adds n empty lanes; the first one's id (the others follow it), or -1 when out of memory. */
int64_t evq_add_lanes(struct evq *q, uint32_t n);

static inline size_t evq_lanes(const struct evq *q)
{
    return q->n_lanes;
}

/*
 * For a caller that keeps events of its own off the queue and puts them back later with the
 * place in the order they had (drv_virt's ticks): evq_take_seq hands out the seq the next push
 * would have had (and counts it as used); evq_push_seq pushes with such a seq. Every event on the
 * queue must have a different (at_us, seq).
 */
uint64_t evq_take_seq(struct evq *q);
int evq_push_seq(struct evq *q, uint32_t lane, time_us at_us, uint64_t seq, void *data,
                 uint64_t tag);

/* Pushes an event at at_us onto lane; 0, or -1 when out of memory (nothing pushed). */
static inline int evq_push(struct evq *q, uint32_t lane, time_us at_us, void *data, uint64_t tag)
{
    if (evq_push_seq(q, lane, at_us, q->next_seq, data, tag) != 0) return -1;
    q->next_seq++;
    return 0;
}

/* Removes every event of lane: O(1) for a lane of one event, else a walk over every event. */
void evq_drop_lane(struct evq *q, uint32_t lane);

/* evq_peek when the next event is not known yet (evq.c). */
const struct heap_entry *evq_find_next(const struct evq *q, uint32_t *lane);

/*
 * The next event (smallest (at_us, seq) of all lanes), or NULL; *lane gets its lane if asked.
 * Valid until the next change to the queue.
 */
static inline const struct heap_entry *evq_peek(const struct evq *q, uint32_t *lane)
{
    uint32_t k = q->next_node;
    if (k == EVQ_NIL) return evq_find_next(q, lane);
    if (lane) *lane = q->node[k].lane;
    return &q->node[k].e;
}

/* Removes the next event into *out (and its lane into *lane, if not NULL); 0, or -1 if empty. */
int evq_pop(struct evq *q, struct heap_entry *out, uint32_t *lane);
/* The same if the next event is due at or before until_us; -1 otherwise (nothing removed). */
int evq_pop_due(struct evq *q, time_us until_us, struct heap_entry *out, uint32_t *lane);

/*
 * Replaces every event of lane with this one (seq as for evq_push_seq): for a lane that holds
 * one timer which keeps moving (a node's next tick). 0 or -1.
 */
int evq_reschedule(struct evq *q, uint32_t lane, time_us at_us, uint64_t seq, void *data,
                   uint64_t tag);

/* Drops every pending event (lanes stay). */
void evq_clear(struct evq *q);

static inline size_t evq_size(const struct evq *q)
{
    return q->n_events;
}

#endif
