/*
 * delivery: the interface's dispatch (see delivery.h) and its two simple modes,
 * fire-and-forget and acks. cumulative lives in cumack.c.
 */
#include "delivery.h"

#include <stdlib.h>
#include <string.h>

#include "inflight.h"

#include "banned.h"

/* ---- fire-and-forget: nothing to stamp, record or retry ------------------------------------- */

static int ff_on_send(struct delivery *d, uint32_t peer, struct msg *m, bool record, time_us now)
{
    (void)d, (void)peer, (void)m, (void)record, (void)now;
    return 0;
}

static int ff_on_receive(struct delivery *d, uint32_t peer, const struct msg *in, time_us now)
{
    (void)d, (void)peer, (void)in, (void)now;
    return 0;
}

static int ff_on_timer(struct delivery *d, uint32_t slot, time_us now)
{
    (void)d, (void)slot, (void)now;
    return 0;
}

static void ff_release(struct delivery *d)
{
    (void)d;
}

static const struct delivery_ops ff_ops = { ff_on_send, ff_on_receive, ff_on_receive, ff_on_timer,
                                            ff_release };

/* ---- acks: a msg_id per message, re-sent until its broadcast_internal_ok ------------------- */

struct acks {
    struct inflight inflight;
    int64_t next_msg_id; /* only broadcast_internal consumes ids: the ring stays consecutive */
};

/* One slot: the oldest message's retry time (most calls leave it as it is). */
static int acks_rearm(struct delivery *d)
{
    struct acks *a = d->state;
    time_us next = inflight_next_retry_us(&a->inflight);
    return timers_at(d->timers, d->slot0) == next ? 0 : timers_arm(d->timers, d->slot0, next);
}

static int acks_on_send(struct delivery *d, uint32_t peer, struct msg *m, bool record, time_us now)
{
    struct acks *a = d->state;
    if (!record || m->values.n == 0) return 0;
    m->has_msg_id = true;
    m->msg_id = a->next_msg_id++;
    int rc =
        inflight_push(&a->inflight, m->msg_id, peer, m->values.v, m->values.n, now + d->retry_us);
    return acks_rearm(d) != 0 ? -1 : rc;
}

static int acks_on_ok(struct delivery *d, uint32_t peer, const struct msg *in, time_us now)
{
    struct acks *a = d->state;
    (void)now;
    /* A late ack (the values were already re-sent under a new msg_id) is ignored. */
    if (in->has_in_reply_to) inflight_ack(&a->inflight, in->in_reply_to, peer);
    return acks_rearm(d);
}

/* Hands the values of every overdue message back to its peer's pending list. */
static int acks_on_timer(struct delivery *d, uint32_t slot, time_us now)
{
    struct acks *a = d->state;
    const struct inflight_msg *f;
    (void)slot;
    int rc = 0;
    while (rc == 0 && (f = inflight_due(&a->inflight, now)) != NULL) {
        rc = d->port.requeue(d->port.ctx, f->peer, inflight_vals(f), f->n, now);
        inflight_pop_due(&a->inflight);
        d->retries++;
    }
    return acks_rearm(d) != 0 ? -1 : rc;
}

static void acks_release(struct delivery *d)
{
    struct acks *a = d->state;
    inflight_release(&a->inflight);
    free(a);
}

static const struct delivery_ops acks_ops = { acks_on_send, ff_on_receive, acks_on_ok,
                                              acks_on_timer, acks_release };

static int acks_setup(struct delivery *d)
{
    struct acks *a = calloc(1, sizeof(*a));
    if (!a) return -1;
    inflight_init(&a->inflight);
    a->next_msg_id = 1;
    d->state = a;
    d->ops = &acks_ops;
    return 0;
}

/* ---- the dispatch -------------------------------------------------------------------------- */

uint32_t delivery_slots(enum delivery_mode mode, uint32_t n_peers)
{
    switch (mode) {
    case DELIVERY_FIRE_AND_FORGET:
        return 0;
    case DELIVERY_ACKS:
        return 1;
    case DELIVERY_CUMULATIVE:
        return 2 * n_peers; /* per peer: the retry, the owed ack */
    }
    return 0;
}

int delivery_setup(struct delivery *d, const struct cfg *cfg, uint32_t n_peers,
                   struct timers *timers, uint32_t slot0, struct delivery_port port)
{
    delivery_release(d);
    d->timers = timers;
    d->slot0 = slot0;
    d->port = port;
    d->n_peers = n_peers;
    d->retry_us = cfg->retry_us;
    d->ack_delay_us = cfg->ack_delay_us;
    switch (cfg->delivery) {
    case DELIVERY_FIRE_AND_FORGET:
        d->ops = &ff_ops;
        return 0;
    case DELIVERY_ACKS:
        return acks_setup(d);
    case DELIVERY_CUMULATIVE:
        return delivery_cumulative_setup(d);
    }
    return -1;
}

void delivery_release(struct delivery *d)
{
    if (d->ops) d->ops->release(d);
    memset(d, 0, sizeof(*d));
}
