/*
 * evq: a discrete-event queue. Events run in (at_us, seq) order, seq being the order in which
 * they were pushed: ties are FIFO, exactly as with one heap of every event (heap.h). What the
 * caller adds is the lane: each event is pushed onto a lane (a tqueue: FIFO for events pushed in
 * time order, a heap for the rest), and the queue's own heap holds only each lane's earliest
 * event, indexed so that a lane's head can move. With a lane per source — a node's inbox, its
 * ticks, an endpoint's delivery thread — the global heap is as large as the number of busy
 * sources, not of pending events, and most pushes and pops are O(1) on a lane plus one sift
 * among the sources. Lanes change the cost, never the order. Pure: no clock, no IO.
 */
#ifndef GL_EVQ_H
#define GL_EVQ_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "time.h"
#include "tqueue.h"

/* One lane's head event, kept whole in the queue's heap. */
struct evq_slot {
    struct heap_entry ev;
    uint32_t lane;
};

struct evq {
    struct tqueue *lanes;
    uint32_t *pos; /* per lane: 1 + its slot's index in heap, or 0 when the lane is empty */
    size_t n_lanes, cap_lanes, cap_pos;
    struct evq_slot *heap; /* min-heap of non-empty lanes keyed by their head */
    size_t n_heap, cap_heap;
    uint64_t next_seq; /* the next event's seq */
    size_t n_events;
    uint32_t hole; /* a lane popped empty whose slot is still at the root, or UINT32_MAX */
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

/* Pushes an event at at_us onto lane; 0, or -1 when out of memory (nothing pushed). */
int evq_push(struct evq *q, uint32_t lane, time_us at_us, void *data, uint64_t tag);

/*
 * For a caller that keeps events of its own off the queue and puts them back later with the
 * place in the order they had (drv_virt's ticks): evq_take_seq hands out the seq the next push
 * would have had (and counts it as used); evq_push_seq pushes with such a seq. Every event on the
 * queue must have a different (at_us, seq).
 */
uint64_t evq_take_seq(struct evq *q);
int evq_push_seq(struct evq *q, uint32_t lane, time_us at_us, uint64_t seq, void *data,
                 uint64_t tag);

/* Removes every event of lane. */
void evq_drop_lane(struct evq *q, uint32_t lane);

/* The next event (smallest (at_us, seq) of all lanes), or NULL; *lane gets its lane if asked. */
const struct heap_entry *evq_peek(const struct evq *q, uint32_t *lane);

/*
 * Removes the next event into *out (and its lane into *lane, if not NULL); 0, or -1 if empty.
 * When that empties its lane, the lane's slot stays where it is until the next call: a push onto
 * the same lane (a delivery thread that takes the next message, a node that queues the message
 * just delivered) reuses it, one sift instead of a removal and an insertion. Call evq_settle()
 * before evq_peek() (every other call settles by itself).
 */
int evq_pop(struct evq *q, struct heap_entry *out, uint32_t *lane);
void evq_settle(struct evq *q);

/*
 * Replaces every event of lane with this one (seq as for evq_push_seq): for a lane that holds
 * one timer which keeps moving (a node's next tick), one sift from where it is. 0 or -1.
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
