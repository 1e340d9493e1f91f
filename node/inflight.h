/*
 * inflight: the broadcast_internal messages a node has sent and not yet seen acknowledged, for
 * delivery mode acks. A ring indexed by msg_id: only broadcast_internal consumes a node's
 * msg_ids, so the ids in the ring are consecutive and an ack finds its message in O(1). Retry
 * deadlines are send time + retry_us in send order, so the ring is also ordered by deadline and
 * the next retry is always at its head. Pure: no IO, no globals.
 */
#ifndef GL_NODE_INFLIGHT_H
#define GL_NODE_INFLIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "time.h"

struct inflight_msg {
    time_us retry_at_us;
    union {
        int64_t one;   /* n == 1: the value */
        int64_t *many; /* n > 1: malloc'd */
    } u;
    uint32_t peer; /* the node index it was sent to */
    uint32_t n;    /* values it carried */
    bool done;     /* acknowledged, or handed back for a retry */
};

/* The values m carried (n of them). */
static inline const int64_t *inflight_vals(const struct inflight_msg *m)
{
    return m->n == 1 ? &m->u.one : m->u.many;
}

struct inflight {
    struct inflight_msg *v; /* v[(head + k) & (cap - 1)] has msg_id head_id + k */
    size_t cap, head, len;
    int64_t head_id;
};

void inflight_init(struct inflight *f);
void inflight_release(struct inflight *f);

/*
 * Records message msg_id (which must follow the last one recorded) to peer, copying vals.
 * Returns 0, or -1 when memory runs out (the id is then recorded as done, so ids stay
 * consecutive, and the values are not kept).
 */
int inflight_push(struct inflight *f, int64_t msg_id, uint32_t peer, const int64_t *vals, size_t n,
                  time_us retry_at_us);

/* Acknowledges msg_id from peer; false when it is not in flight (late, re-sent, wrong peer). */
bool inflight_ack(struct inflight *f, int64_t msg_id, uint32_t peer);

/* The oldest message still in flight if its retry time is <= now_us, else NULL. */
const struct inflight_msg *inflight_due(const struct inflight *f, time_us now_us);

/* Drops the message inflight_due returned (its values were re-queued by the caller). */
void inflight_pop_due(struct inflight *f);

/* The next retry time, or TIME_NEVER. */
static inline time_us inflight_next_retry_us(const struct inflight *f)
{
    return f->len > 0 ? f->v[f->head].retry_at_us : TIME_NEVER;
}

#endif
