/*
 * drv_virt.c: node cores in one process, virtual time. Each node's next tick is a driver timer
 * on the world's heap; stale timers (the node's deadline moved) are recognised and skipped.
 * Delivered messages wait in a per-node FIFO until their handling time (see node_delay_us), also
 * a driver timer. Timer tags: node index | kind << 32.
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

/* Messages delivered to one node and not yet handled, in arrival order. */
struct inbox {
    struct msg *v;
    size_t head, n, cap;
    time_us last_us; /* handling time of the newest message: FIFO, never earlier */
};

struct virt {
    struct world *w;
    struct node **nodes;
    time_us *tick_at; /* the tick scheduled for each node, or TIME_NEVER */
    struct inbox *inbox;
    uint32_t n;
    time_us node_delay_us;
    struct rng rng;
    struct outbox out;
};

static void schedule_tick(struct virt *v, uint32_t i, time_us now_us)
{
    time_us d = node_next_deadline_us(v->nodes[i]);
    if (d == TIME_NEVER) return;
    if (d < now_us) d = now_us;
    if (d == v->tick_at[i]) return;
    v->tick_at[i] = d;
    world_driver_timer(v->w, d, i);
}

/* Hands a node's output to the world, which takes ownership of each message's arrays. */
static void drain(struct virt *v, uint32_t i, time_us now_us)
{
    for (size_t k = 0; k < v->out.n; k++)
        world_on_node_msg(v->w, i, &v->out.v[k], now_us);
    outbox_clear(&v->out);
    schedule_tick(v, i, now_us);
}

static void handle(struct virt *v, uint32_t node, const struct msg *m, time_us now_us)
{
    char err[256] = "";
    if (node_on_message(v->nodes[node], now_us, m, &v->out, err, sizeof(err)) != 0)
        world_fault(v->w, "node %s: %s", world_node_name(v->w, node), err);
    drain(v, node, now_us);
}

/* Appends m to q, taking its contents. */
static int inbox_push(struct inbox *q, const struct msg *m)
{
    if (q->head + q->n == q->cap) {
        if (q->head > 0) { /* slide down before growing */
            memmove(q->v, q->v + q->head, q->n * sizeof(*q->v));
            q->head = 0;
        }
        if (GL_GROW(q->v, q->n + 1, q->cap) != 0) return -1;
    }
    q->v[q->head + q->n++] = *m;
    return 0;
}

static void deliver(void *ctx, uint32_t node, struct wmsg *m, time_us now_us)
{
    struct virt *v = ctx;
    if (v->node_delay_us == 0) {
        handle(v, node, &m->m, now_us);
        return;
    }
    struct inbox *q = &v->inbox[node];
    time_us at = now_us + rng_below(&v->rng, v->node_delay_us);
    if (at < q->last_us) at = q->last_us;
    /* Take the message rather than copy it; the world's shared topology map is copied. */
    struct msg own;
    int rc = 0;
    if (m->topology_borrowed) {
        rc = msg_copy(&own, &m->m);
    } else {
        own = m->m;
        msg_init(&m->m);
    }
    if (rc != 0 || inbox_push(q, &own) != 0) {
        if (rc == 0) msg_release(&own);
        world_fault(v->w, "node %s: out of memory queueing a message", world_node_name(v->w, node));
        return;
    }
    q->last_us = at;
    world_driver_timer(v->w, at, node | (uint64_t)TIMER_HANDLE << 32);
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
        struct msg m = q->v[q->head++];
        q->n--;
        handle(v, i, &m, now_us);
        msg_release(&m);
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
    for (uint32_t i = 0; v->inbox && i < v->n; i++) {
        struct inbox *q = &v->inbox[i];
        for (size_t k = 0; k < q->n; k++)
            msg_release(&q->v[q->head + k]);
        free(q->v);
    }
    free(v->inbox);
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
    struct world_driver drv = { .ctx = &v, .deliver = deliver, .on_timer = on_timer };
    v.w = world_new(wo, &drv, err, errlen);
    if (!v.w) return NULL;
    v.n = world_node_count(v.w);
    v.nodes = calloc(v.n, sizeof(*v.nodes));
    v.tick_at = malloc(v.n * sizeof(*v.tick_at));
    v.inbox = calloc(v.n, sizeof(*v.inbox));
    if (!v.nodes || !v.tick_at || !v.inbox) {
        snprintf(err, errlen, "out of memory for %u nodes", v.n);
        goto fail;
    }
    for (uint32_t i = 0; i < v.n; i++) {
        v.tick_at[i] = TIME_NEVER;
        v.nodes[i] = node_new(node_cfg, file_topo, err, errlen);
        if (!v.nodes[i]) goto fail;
        /* The setup thread starts the process, then sends its init (spec §2.3 step 1). */
        node_set_start_us(v.nodes[i], world_node_init_offset_us(v.w, i));
    }
    world_start(v.w, 0);
    world_advance(v.w, 0);
    while (!world_done(v.w)) {
        time_us t = world_next_deadline_us(v.w);
        if (t == TIME_NEVER) {
            /* Nothing can happen any more: a world bug, reported rather than hung on. */
            world_fault(v.w, "virtual time stalled before the end of the test");
            break;
        }
        world_advance(v.w, t);
    }
    virt_release(&v);
    return v.w;
fail:
    virt_release(&v);
    world_free(v.w);
    return NULL;
}
