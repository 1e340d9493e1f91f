/*
 * cumack: the cumulative delivery mode (delivery.h). Per link, both ends:
 *
 * Sending to a peer: every value sent with record = true gets the link's next sequence number
 * (1, 2, ...) and waits in a ring, oldest first, until the peer's cumulative ack covers it. The
 * ring always holds a contiguous range of sequence numbers [first, next): acks remove a prefix,
 * and so does a retry, which hands every value sent at least retry_us ago back to the batcher;
 * those values leave again under new numbers. A message carries "seq" (its first value's
 * number; the others follow) and "base" (the lowest number still waiting): the receiver may
 * treat everything below base as done, which is how numbers given up by a retry stop holding
 * its ack back.
 *
 * Receiving from a peer: h is the highest sequence number below which everything has arrived
 * (or was given up by the sender); numbers that arrive out of order wait above h in a ranges
 * set. Every message to the peer carries "ack": h. When h has moved past what the peer was last
 * told and no message to the peer carries it for ack_delay_us, a stand-alone ack (an empty
 * broadcast_internal) goes out.
 *
 * A link's state is made the first time the link is used (a send, or values arriving), so a node
 * of a large cluster keeps state for the peers it talks to, not for every node; slot_of maps a
 * peer's cluster index to it. Timer slots per link i (in the order the links got their state):
 * 2i its retry (the oldest waiting value's send time + retry_us), 2i + 1 its owed ack. Pure: no
 * clock, no IO.
 */
#include "delivery.h"

#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "ranges.h"
#include "strbuf.h"

#include "banned.h"

struct cum_link {
    /* out: values sent to the peer and not yet acknowledged, a ring */
    int64_t *val;
    time_us *sent_us;
    size_t head, len, cap;
    int64_t first_seq; /* the number of the ring's head */
    int64_t next_seq;  /* the number the next value gets */
    /* in: what has arrived from the peer */
    int64_t h;           /* everything <= h has arrived (or was given up) */
    struct ranges above; /* numbers > h + 1 that arrived */
    int64_t h_told;      /* the last ack sent to the peer */
    uint32_t peer;       /* its cluster index */
};

struct cum {
    struct cum_link *link; /* the links with state, in the order they got it */
    uint32_t n_links;
    size_t cap_links;
    uint16_t *slot_of; /* slot_of[peer]: 0 = no state yet, else 1 + index into link */
    int64_t *scratch;  /* values handed back by a retry */
    size_t scratch_cap;
};

_Static_assert(GL_MAX_NODES < UINT16_MAX, "slot_of holds 1 + index in 16 bits");

/* The link to peer, or NULL when it has no state yet. */
static struct cum_link *find(struct delivery *d, uint32_t peer)
{
    struct cum *c = d->state;
    return c->slot_of[peer] ? &c->link[c->slot_of[peer] - 1] : NULL;
}

/* The link to peer, made (fresh: nothing sent, nothing arrived) if it has none; NULL when memory
 * runs out. Pointers to other links are invalid afterwards. */
static struct cum_link *link_of(struct delivery *d, uint32_t peer)
{
    struct cum *c = d->state;
    struct cum_link *l = find(d, peer);
    if (l) return l;
    if (GL_GROW(c->link, c->n_links + 1, c->cap_links) != 0) return NULL;
    l = &c->link[c->n_links];
    memset(l, 0, sizeof(*l));
    l->first_seq = l->next_seq = 1;
    ranges_init(&l->above);
    l->peer = peer;
    c->slot_of[peer] = (uint16_t)(++c->n_links);
    return l;
}

/* Link l's retry timer slot (its owed ack's is the next one). */
static uint32_t retry_slot(const struct delivery *d, const struct cum_link *l)
{
    const struct cum *c = d->state;
    return d->slot0 + 2 * (uint32_t)(l - c->link);
}

static int ring_grow(struct cum_link *l)
{
    size_t cap = l->cap ? 2 * l->cap : 16;
    int64_t *val = malloc(cap * sizeof(*val));
    time_us *sent = malloc(cap * sizeof(*sent));
    if (!val || !sent) {
        free(val);
        free(sent);
        return -1;
    }
    for (size_t k = 0; k < l->len; k++) {
        val[k] = l->val[(l->head + k) % l->cap];
        sent[k] = l->sent_us[(l->head + k) % l->cap];
    }
    free(l->val);
    free(l->sent_us);
    l->val = val;
    l->sent_us = sent;
    l->cap = cap;
    l->head = 0;
    return 0;
}

static void ring_pop(struct cum_link *l, size_t k)
{
    l->head = (l->head + k) % (l->cap ? l->cap : 1);
    l->len -= k;
    l->first_seq += (int64_t)k;
}

/* The retry slot follows the oldest waiting value. */
static int rearm_retry(struct delivery *d, const struct cum_link *l)
{
    time_us at = l->len ? l->sent_us[l->head] + d->retry_us : TIME_NEVER;
    return timers_arm(d->timers, retry_slot(d, l), at);
}

static int cum_on_send(struct delivery *d, uint32_t peer, struct msg *m, bool record, time_us now)
{
    struct cum_link *l = link_of(d, peer);
    if (!l) return -1;
    int rc = 0;
    if (record && m->values.n > 0) {
        while (l->len + m->values.n > l->cap)
            if (ring_grow(l) != 0) return -1;
        m->has_seq = true;
        m->seq = l->next_seq;
        for (size_t k = 0; k < m->values.n; k++) {
            size_t at = (l->head + l->len++) % l->cap;
            l->val[at] = m->values.v[k];
            l->sent_us[at] = now;
        }
        l->next_seq += (int64_t)m->values.n;
        m->has_base = true;
        m->base = l->first_seq;
        rc = rearm_retry(d, l);
    }
    if (l->h > 0) { /* piggy-backed: whatever we send the peer tells it what arrived */
        m->has_ack = true;
        m->ack = l->h;
        l->h_told = l->h;
        timers_disarm(d->timers, retry_slot(d, l) + 1);
    }
    return rc;
}

/* The peer has everything up to ack: drop it from the ring (a link we never sent on has none). */
static int take_ack(struct delivery *d, uint32_t peer, int64_t ack)
{
    struct cum_link *l = find(d, peer);
    if (!l || ack < l->first_seq) return 0; /* old news, or numbers given up by a retry */
    int64_t last = l->first_seq + (int64_t)l->len - 1;
    ring_pop(l, (size_t)((ack < last ? ack : last) - l->first_seq + 1));
    return rearm_retry(d, l);
}

/* Values seq .. seq + n - 1 arrived (base: the sender still waits from there on). */
static int take_values(struct delivery *d, uint32_t peer, const struct msg *in, time_us now)
{
    struct cum_link *l = link_of(d, peer);
    if (!l) return -1;
    int64_t n = (int64_t)in->values.n;
    if (in->seq < 1 || in->seq > INT64_MAX - n) return 0; /* not a sequence we could have sent */
    if (in->has_base && in->base > l->h + 1 && in->base <= in->seq) {
        l->h = in->base - 1;
        ranges_drop_below(&l->above, l->h + 1);
    }
    int64_t lo = in->seq, hi = in->seq + n - 1;
    if (hi > l->h && ranges_add_range(&l->above, lo > l->h ? lo : l->h + 1, hi) != 0) return -1;
    if (l->above.n > 0 && l->above.v[0] <= l->h + 1) {
        l->h = l->above.v[1];
        ranges_drop_below(&l->above, l->h + 1);
    }
    if (l->h > l->h_told)
        return timers_arm_min(d->timers, retry_slot(d, l) + 1, now + d->ack_delay_us);
    return 0;
}

static int cum_on_receive(struct delivery *d, uint32_t peer, const struct msg *in, time_us now)
{
    int rc = 0;
    if (in->has_ack) rc = take_ack(d, peer, in->ack);
    if (rc == 0 && in->has_seq && in->values.n > 0) rc = take_values(d, peer, in, now);
    return rc;
}

static int cum_on_ok(struct delivery *d, uint32_t peer, const struct msg *in, time_us now)
{
    (void)d, (void)peer, (void)in, (void)now;
    return 0;
}

/* Hands every value sent at least retry_us ago on link i back to the batcher. */
static int retry(struct delivery *d, uint32_t i, time_us now)
{
    struct cum *c = d->state;
    struct cum_link *l = &c->link[i];
    size_t k = 0;
    while (k < l->len && l->sent_us[(l->head + k) % l->cap] + d->retry_us <= now)
        k++;
    if (k > 0) {
        if (GL_GROW(c->scratch, k, c->scratch_cap) != 0) return -1;
        for (size_t j = 0; j < k; j++)
            c->scratch[j] = l->val[(l->head + j) % l->cap];
        ring_pop(l, k);
        d->retries++;
        if (d->port.requeue(d->port.ctx, l->peer, c->scratch, k, now) != 0) return -1;
    }
    return rearm_retry(d, &c->link[i]); /* requeue makes no link: l is still good, but be plain */
}

static int cum_on_timer(struct delivery *d, uint32_t slot, time_us now)
{
    struct cum *c = d->state;
    uint32_t i = slot / 2;
    if (slot % 2 == 0) return retry(d, i, now);
    struct cum_link *l = &c->link[i];
    if (l->h <= l->h_told) return 0;
    d->acks_alone++;
    return d->port.send_bare(d->port.ctx, l->peer, now);
}

static void cum_release(struct delivery *d)
{
    struct cum *c = d->state;
    for (uint32_t i = 0; c && i < c->n_links; i++) {
        free(c->link[i].val);
        free(c->link[i].sent_us);
        ranges_release(&c->link[i].above);
    }
    if (c) {
        free(c->link);
        free(c->slot_of);
        free(c->scratch);
    }
    free(c);
}

static const struct delivery_ops cum_ops = { cum_on_send, cum_on_receive, cum_on_ok, cum_on_timer,
                                             cum_release };

int delivery_cumulative_setup(struct delivery *d)
{
    struct cum *c = calloc(1, sizeof(*c));
    if (c) c->slot_of = calloc(d->n_peers ? d->n_peers : 1, sizeof(*c->slot_of));
    if (!c || !c->slot_of) {
        free(c);
        return -1;
    }
    d->state = c;
    d->ops = &cum_ops;
    return 0;
}
