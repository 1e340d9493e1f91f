/*
 * netq: one endpoint's delivery queue in the network (network.c): the messages in flight to it,
 * taken in (deadline, message id) order — the order Maelstrom's per-node delivery queue has
 * (spec §3.2). A message in flight is a struct nmsg: its envelope as endpoint indices and its
 * body packed (msg.h). Messages that arrive in order (every one with a constant latency, and
 * between clients and nodes) sit whole in a ring, so taking the next one reads the memory right
 * after the last; any other waits in a heap of messages from a pool shared by all queues
 * (struct nmsg_pool: slabs and a free stack, no malloc per message). Pure: no clock, no IO.
 */
#ifndef GL_NETQ_H
#define GL_NETQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "msg.h"
#include "time.h"

struct nmsg {
    uint64_t id;
    time_us sent_us, deadline_us;
    uint32_t src, dest;
    struct msg_packed body;
};

/* One cache line: the ring's slots are on lines (gl_ring_grow), so a message is one miss. What a
 * message rarely has lives elsewhere: a process run's raw body in the network's map by id; a
 * borrowed topology is told by its pointer (the network owner's map). */
_Static_assert(sizeof(struct nmsg) == 64, "a message in flight is one cache line");

/* Frees what m owns (not m itself); its topology when it is not `shared` (which it borrows). */
void nmsg_release(struct nmsg *m, const struct topo *shared);

struct nmsg_pool {
    struct nmsg **slabs;
    size_t n_slabs, cap_slabs;
    struct nmsg **free; /* room for every message of every slab */
    size_t n_free, cap_free;
};

void nmsg_pool_init(struct nmsg_pool *p);
void nmsg_pool_release(struct nmsg_pool *p); /* frees the slabs, not what messages own */

struct netq {
    struct nmsg *ring; /* ring[(head + k) & (cap - 1)], k < len: in (deadline, id) order */
    size_t head, len, cap;
    /* The last message of the ring's key, kept here: its slot is long cold when the next push
     * compares with it. Valid when len > 0. */
    time_us tail_deadline_us;
    uint64_t tail_id;
    struct heap late; /* struct nmsg * from the pool, keyed (deadline, id) */
};

void netq_init(struct netq *q);
/* Frees every queued message and what it owns (late ones back to the pool; see nmsg_release). */
void netq_release(struct netq *q, struct nmsg_pool *pool, const struct topo *shared);

/*
 * Queues a copy of m (taking what it owns); 0, or -1 when out of memory (m still owns it all).
 * Ids must grow from push to push (the network's message ids do).
 */
int netq_push(struct netq *q, struct nmsg_pool *pool, const struct nmsg *m);

/* Moves the first message into *out (which then owns what it owned); false when empty. */
bool netq_take(struct netq *q, struct nmsg_pool *pool, struct nmsg *out);

/* Starts fetching the first message in the ring (a hint: no effect on the queue). */
static inline void netq_prefetch(const struct netq *q)
{
    if (q->len > 0) __builtin_prefetch(&q->ring[q->head]);
}

static inline size_t netq_len(const struct netq *q)
{
    return q->len + heap_size(&q->late);
}

#endif
