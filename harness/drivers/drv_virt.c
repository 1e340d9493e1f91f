/*
 * drv_virt.c: node cores in one process, virtual time. Delivered messages wait in a per-node
 * FIFO until their handling time (see node_delay_us), each a driver timer on the lane of the
 * node's delivery thread (world_node_lane). Timer tags: node index | kind << 32.
 *
 * Ticks. After every call into a node its next deadline is asked for, and whenever it differs
 * from the tick scheduled (tick_at), a tick timer is scheduled for it; a timer fires the tick
 * only if tick_at still equals its time. Done literally, every ack that moves a node's next
 * retry leaves a timer behind that fires for nothing: as many events as messages. So the timers
 * a node has asked for are kept as records (time, seq), off the queue, and only the one at
 * tick_at is on it (the node's tick lane), with the seq it was asked for with. A record whose
 * time comes round again becomes the scheduled one again with its old seq, exactly where the
 * literal timer would have fired; a new time gets a new seq; records at or before the event
 * running now (by (time, seq)) are gone, as the literal timers would have fired by then. Of
 * several timers at one time only the first can fire the tick (after it the node's deadline is
 * later), so one record per time is kept. The events that do something, and their order, are
 * exactly those of the literal scheme (tests/cli/harness_golden.sh pins runs where it shows;
 * scripts/compare-matrix.sh compares with a build before).
 */
#include "drv_virt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "strbuf.h"

#include "banned.h"

enum timer_kind {
    TIMER_TICK,
    TIMER_HANDLE, /* the head of the node's inbox is due */
};

/*
 * A delivered message and its ends (endpoint indices), packed (msg.h): a node's inbox is read
 * node_delay later, from memory long gone from the cache, and the ~600 bytes of a struct msg
 * were several misses per message where a packed one is one or two.
 */
struct inmsg {
    struct msg_packed m;
    uint32_t src, dest;
};

/* Messages delivered to one node and not yet handled, in arrival order. */
struct inbox {
    struct inmsg *v;
    size_t head, n, cap;
    time_us last_us; /* handling time of the newest message: FIFO, never earlier */
};

/* A tick timer a node asked for, at at_us, ordered as events are by seq. */
struct tick_rec {
    time_us at_us;
    uint64_t seq;
};

/* One node's tick timers not yet run: sorted by time, one per time (see the top). */
struct tick_recs {
    struct tick_rec *v;
    size_t head, n, cap;
};

struct virt {
    struct world *w;
    struct node **nodes;
    time_us *tick_at; /* the tick scheduled for each node, or TIME_NEVER */
    struct tick_recs *recs;
    struct inbox *inbox;
    bool *by_index; /* node i's cluster is the world's nodes in endpoint order (see handle) */
    uint32_t n;
    time_us node_delay_us;
    struct rng rng;
    struct outbox out;
    uint32_t lanes; /* node i's ticks are on lane lanes + i, its inbox on its delivery lane */
};

/* Forgets the records of timers that would have fired by now: (time, seq) up to the event's. */
static void recs_prune(struct tick_recs *r, time_us now_us, uint64_t now_seq)
{
    while (r->n > 0) {
        const struct tick_rec *t = &r->v[r->head];
        if (t->at_us > now_us || (t->at_us == now_us && t->seq > now_seq)) break;
        r->head++;
        r->n--;
    }
    if (r->n == 0) r->head = 0;
}

/* The record at at_us, or where it would go (the index in v[head..head+n)), by binary search. */
static size_t recs_find(const struct tick_recs *r, time_us at_us)
{
    size_t lo = 0, hi = r->n;
    if (hi > 0 && r->v[r->head + hi - 1].at_us < at_us) return hi; /* the usual case: later */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->v[r->head + mid].at_us < at_us)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Inserts (at_us, seq) at index k of the records; 0, or -1 when out of memory. */
static int recs_insert(struct tick_recs *r, size_t k, time_us at_us, uint64_t seq)
{
    if (r->head + r->n == r->cap) {
        if (r->head > 0) { /* slide down before growing */
            memmove(r->v, r->v + r->head, r->n * sizeof(*r->v));
            r->head = 0;
        }
        if (GL_GROW(r->v, r->n + 1, r->cap) != 0) return -1;
    }
    struct tick_rec *at = &r->v[r->head + k];
    memmove(at + 1, at, (r->n - k) * sizeof(*at));
    *at = (struct tick_rec){ at_us, seq };
    r->n++;
    return 0;
}

static void schedule_tick(struct virt *v, uint32_t i, time_us now_us)
{
    time_us d = node_next_deadline_us(v->nodes[i]);
    if (d == TIME_NEVER) return;
    if (d < now_us) d = now_us;
    if (d == v->tick_at[i]) return;
    v->tick_at[i] = d;
    struct tick_recs *r = &v->recs[i];
    recs_prune(r, now_us, world_event_seq(v->w));
    size_t k = recs_find(r, d);
    uint64_t seq;
    if (k < r->n && r->v[r->head + k].at_us == d) {
        seq = r->v[r->head + k].seq; /* asked for before and not run: its place again */
    } else {
        seq = world_take_seq(v->w);
        if (recs_insert(r, k, d, seq) != 0) {
            world_fault(v->w, "node %s: out of memory scheduling a tick", world_node_name(v->w, i));
            return;
        }
    }
    world_driver_timer_move(v->w, v->lanes + i, d, seq, i);
}

/* Hands a node's output to the world, which takes ownership of each message's arrays. */
static void drain(struct virt *v, uint32_t i, time_us now_us)
{
    for (size_t k = 0; k < v->out.n; k++)
        world_on_node_msg_to(v->w, i, &v->out.v[k], v->by_index[i] ? v->out.to[k] : -1, now_us);
    outbox_clear(&v->out);
    schedule_tick(v, i, now_us);
}

/* True when node i's cluster is the world's nodes in endpoint order: then an endpoint index
 * below v->n is the cluster index, and any other endpoint (a client) is not in the cluster. */
static bool cluster_is_world(const struct virt *v, uint32_t i)
{
    uint32_t count;
    const char(*ids)[GL_ID_MAX] = node_cluster(v->nodes[i], &count);
    if (!ids || count != v->n) return false;
    for (uint32_t k = 0; k < count; k++)
        if (strcmp(ids[k], world_node_name(v->w, k)) != 0) return false;
    return true;
}

/*
 * The node's ends are resolved here, once: by endpoint index when its cluster is the world's
 * nodes (checked once, when its init is handled), so the core compares no names; else by name.
 */
static void handle(struct virt *v, uint32_t node, const struct msg *m, uint32_t src_ep,
                   uint32_t dest_ep, time_us now_us)
{
    char err[256];
    err[0] = '\0';
    int rc;
    if (v->by_index[node]) {
        int32_t src = src_ep < v->n ? (int32_t)src_ep : -1;
        int32_t dest = dest_ep < v->n ? (int32_t)dest_ep : -1;
        rc = node_on_message_at(v->nodes[node], now_us, m, src, dest, &v->out, err, sizeof(err));
    } else {
        rc = node_on_message(v->nodes[node], now_us, m, &v->out, err, sizeof(err));
        if (m->type == MSG_INIT) v->by_index[node] = cluster_is_world(v, node);
    }
    if (rc != 0) world_fault(v->w, "node %s: %s", world_node_name(v->w, node), err);
    drain(v, node, now_us);
}

/* A new slot at the end of q (uninitialised), or NULL when out of memory. */
static struct inmsg *inbox_add(struct inbox *q)
{
    if (q->head + q->n == q->cap) {
        if (q->head > 0) { /* slide down before growing */
            memmove(q->v, q->v + q->head, q->n * sizeof(*q->v));
            q->head = 0;
        }
        if (GL_GROW(q->v, q->n + 1, q->cap) != 0) return NULL;
    }
    return &q->v[q->head + q->n++];
}

static void deliver(void *ctx, uint32_t node, struct wmsg *m, time_us now_us)
{
    struct virt *v = ctx;
    if (v->node_delay_us == 0 || m->topology_borrowed) world_unpack(v->w, m);
    if (v->node_delay_us == 0) {
        handle(v, node, &m->m, m->src, m->dest, now_us);
        return;
    }
    struct inbox *q = &v->inbox[node];
    time_us at = now_us + rng_below(&v->rng, v->node_delay_us);
    if (at < q->last_us) at = q->last_us;
    /* Take the message rather than copy it; the world's shared topology map is copied. */
    struct inmsg *slot = inbox_add(q);
    int rc = slot ? 0 : -1;
    if (rc == 0 && m->topology_borrowed) {
        struct msg own;
        msg_init(&own);
        rc = msg_copy(&own, &m->m);
        if (rc == 0) rc = msg_pack(&slot->m, &own, true);
        msg_release(&own);
    } else if (rc == 0 && m->packed) {
        slot->m = m->body; /* as the network kept it: moved, neither unpacked nor packed again */
        memset(&m->body, 0, sizeof(m->body));
    } else if (rc == 0) {
        rc = msg_pack(&slot->m, &m->m, true);
    }
    if (rc == 0) {
        slot->src = m->src;
        slot->dest = m->dest;
    } else {
        if (slot) q->n--;
        world_fault(v->w, "node %s: out of memory queueing a message", world_node_name(v->w, node));
        return;
    }
    q->last_us = at;
    world_driver_timer_on(v->w, world_node_lane(v->w, node), at,
                          node | (uint64_t)TIMER_HANDLE << 32);
}

static void on_timer(void *ctx, uint64_t tag, time_us now_us)
{
    struct virt *v = ctx;
    uint32_t i = (uint32_t)tag;
    if (i >= v->n) return;
    if (tag >> 32 == TIMER_HANDLE) {
        /* Timers of one inbox fire in push order: times never decrease, ties are FIFO. */
        struct inbox *q = &v->inbox[i];
        if (!q->n) return;
        /* Handled in place: nothing is delivered to the node while it handles (deliveries are
         * events of their own), so the inbox does not move. */
        struct inmsg *in = &q->v[q->head];
        struct msg m;
        int64_t one;
        msg_unpack(&in->m, &m, world_endpoint_name(v->w, in->src),
                   world_endpoint_name(v->w, in->dest), &one);
        handle(v, i, &m, in->src, in->dest, now_us);
        msg_drop(&m);
        q->head++;
        q->n--;
        return;
    }
    if (v->tick_at[i] != now_us) return; /* superseded */
    v->tick_at[i] = TIME_NEVER;
    node_on_tick(v->nodes[i], now_us, &v->out);
    drain(v, i, now_us);
}

static void virt_release(struct virt *v)
{
    for (uint32_t i = 0; v->nodes && i < v->n; i++)
        node_free(v->nodes[i]);
    free(v->nodes);
    free(v->tick_at);
    for (uint32_t i = 0; v->recs && i < v->n; i++)
        free(v->recs[i].v);
    free(v->recs);
    for (uint32_t i = 0; v->inbox && i < v->n; i++) {
        struct inbox *q = &v->inbox[i];
        for (size_t k = 0; k < q->n; k++)
            msg_packed_release(&q->v[q->head + k].m);
        free(q->v);
    }
    free(v->inbox);
    free(v->by_index);
    outbox_release(&v->out);
}

struct world *drv_virt_run(const struct world_opts *wo, const struct cfg *node_cfg,
                           const struct topo *file_topo, time_us node_delay_us, char *err,
                           size_t errlen)
{
    struct virt v = { 0 };
    outbox_init(&v.out);
    v.node_delay_us = node_delay_us;
    rng_seed(&v.rng, wo->seed ^ 0x6e6f64652d64656cu); /* its own stream: the world's are apart */
    struct world_driver drv = {
        .ctx = &v,
        .deliver = deliver,
        .takes_packed = true,
        .on_timer = on_timer,
    };
    v.w = world_new(wo, &drv, err, errlen);
    if (!v.w) return NULL;
    v.n = world_node_count(v.w);
    v.nodes = calloc(v.n, sizeof(*v.nodes));
    v.tick_at = malloc(v.n * sizeof(*v.tick_at));
    v.inbox = calloc(v.n, sizeof(*v.inbox));
    v.recs = calloc(v.n, sizeof(*v.recs));
    v.by_index = calloc(v.n, sizeof(*v.by_index));
    int64_t lanes = world_driver_lanes(v.w, v.n);
    if (!v.nodes || !v.tick_at || !v.inbox || !v.recs || !v.by_index || lanes < 0) {
        snprintf(err, errlen, "out of memory for %u nodes", v.n);
        goto fail;
    }
    v.lanes = (uint32_t)lanes;
    for (uint32_t i = 0; i < v.n; i++) {
        v.tick_at[i] = TIME_NEVER;
        v.nodes[i] = node_new(node_cfg, file_topo, err, errlen);
        if (!v.nodes[i]) goto fail;
        /* The setup thread starts the process, then sends its init (spec §2.3 step 1). */
        node_set_start_us(v.nodes[i], world_node_init_offset_us(v.w, i));
    }
    world_start(v.w, 0);
    world_advance(v.w, 0);
    /* Nothing can happen any more before the end: a world bug, reported rather than hung on. */
    if (!world_run(v.w)) world_fault(v.w, "virtual time stalled before the end of the test");
    virt_release(&v);
    return v.w;
fail:
    virt_release(&v);
    world_free(v.w);
    return NULL;
}
