/*
 * network: Maelstrom's simulated network (spec §3, §4.1). Every registered id has one queue
 * ordered by deadline and one delivery "thread": it takes the earliest queued message as soon as
 * one exists — even if not yet due —, applies the partition check at that moment, sleeps until
 * the message's deadline and delivers it. A message arriving meanwhile waits, even if its own
 * deadline is earlier: head-of-line blocking, which delays client requests behind server traffic.
 * Latency applies only when neither end is a client. Counters follow the journal of spec §4.1:
 * a send is counted when the network accepts a message (before any drop), a receive on delivery.
 * Pure: told the time, never reads a clock.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "world_int.h"

#include "banned.h"

int network_init(struct world *w)
{
    size_t n = w->n_nodes;
    w->cut = calloc(n * n, 1);
    return w->cut ? 0 : -1;
}

static void wmsg_free(struct wmsg *m)
{
    if (m->topology_borrowed) m->m.topology = NULL;
    msg_release(&m->m);
    free(m->raw_body);
    free(m);
}

static void journal(struct world *w, const struct wmsg *m, bool delivered, time_us recv_us)
{
    if (w->journal) w->journal(w->journal_ctx, m, delivered, recv_us);
}

static struct net_count *group_of(struct world *w, uint32_t src, uint32_t dest)
{
    if (w->ep[src].client || w->ep[dest].client) return &w->net.clients;
    return &w->net.servers;
}

void network_drain_all(struct world *w)
{
    for (uint32_t i = 0; i < w->n_ep; i++) {
        struct endpoint *e = &w->ep[i];
        if (e->inflight) {
            journal(w, e->inflight, false, 0);
            wmsg_free(e->inflight);
            e->inflight = NULL;
        }
        struct heap_entry he;
        while (heap_pop(&e->queue, &he) == 0) {
            journal(w, he.data, false, 0);
            wmsg_free(he.data);
        }
    }
}

void network_release(struct world *w)
{
    for (uint32_t i = 0; i < w->n_ep; i++) {
        struct endpoint *e = &w->ep[i];
        if (e->inflight) wmsg_free(e->inflight);
        struct heap_entry he;
        while (heap_pop(&e->queue, &he) == 0)
            wmsg_free(he.data);
        heap_release(&e->queue);
    }
    free(w->cut);
    w->cut = NULL;
}

/* One latency draw in microseconds (spec §3.1): whole milliseconds, as Maelstrom. */
static time_us draw_latency_us(struct world *w)
{
    uint64_t mean_ms = w->o.latency_ms;
    if (mean_ms == 0) return 0;
    switch (w->o.latency_dist) {
    case LATENCY_CONSTANT:
        return time_from_ms(mean_ms);
    case LATENCY_UNIFORM:
        return time_from_ms(rng_below(&w->rng_lat, 2 * mean_ms));
    case LATENCY_EXPONENTIAL: {
        /* Exponential with rate 1/mean, truncated toward zero to whole ms. 1 - u is in (0, 1]. */
        double u = 1.0 - rng_unit(&w->rng_lat);
        double ms = -log(u) * (double)mean_ms;
        if (ms > 1e9) ms = 1e9; /* bounded: a ~11-day delay is as good as forever */
        return time_from_ms((uint64_t)ms);
    }
    }
    return time_from_ms(mean_ms);
}

static bool is_cut(const struct world *w, uint32_t dest, uint32_t src)
{
    if (!w->partitioned || dest >= w->n_nodes || src >= w->n_nodes) return false;
    return w->cut[(size_t)dest * w->n_nodes + src] != 0;
}

/*
 * The delivery thread of `dest` takes the next message: the earliest queued one. The partition
 * check happens here, at dequeue time (spec §3.3); a dropped message counts as sent only.
 */
static void take_next(struct world *w, uint32_t dest, time_us now_us)
{
    struct endpoint *e = &w->ep[dest];
    struct heap_entry he;
    while (!e->inflight && heap_pop(&e->queue, &he) == 0) {
        struct wmsg *m = he.data;
        if (is_cut(w, dest, m->src)) {
            journal(w, m, false, 0);
            wmsg_free(m);
            continue;
        }
        e->inflight = m;
        time_us at = m->deadline_us > now_us ? m->deadline_us : now_us;
        world_push_event(w, at, EV_DELIVER, dest);
    }
}

void network_send(struct world *w, uint32_t src, uint32_t dest, struct msg *m, char *raw_body,
                  time_us now_us)
{
    struct wmsg *wm = calloc(1, sizeof(*wm));
    if (!wm) {
        world_fault(w, "out of memory sending a message from %s to %s", w->ep[src].name,
                    w->ep[dest].name);
        msg_release(m);
        free(raw_body);
        return;
    }
    wm->id = w->next_msg_id++;
    wm->src = src;
    wm->dest = dest;
    wm->sent_us = now_us;
    bool via_client = w->ep[src].client || w->ep[dest].client;
    wm->deadline_us = now_us + (via_client ? 0 : draw_latency_us(w));
    wm->m = *m;
    wm->topology_borrowed = m->topology == &w->topology;
    msg_init(m);
    wm->raw_body = raw_body;

    struct net_count *g = group_of(w, src, dest);
    w->net.all.send_count++;
    w->net.all.msg_count++;
    g->send_count++;
    g->msg_count++;

    struct endpoint *e = &w->ep[dest];
    if (heap_push(&e->queue, wm->deadline_us, wm, 0) != 0) {
        world_fault(w, "out of memory queueing a message to %s", e->name);
        wmsg_free(wm);
        return;
    }
    take_next(w, dest, now_us);
}

void network_on_deliver_event(struct world *w, uint32_t endpoint, time_us now_us)
{
    struct endpoint *e = &w->ep[endpoint];
    struct wmsg *m = e->inflight;
    if (!m) return;
    e->inflight = NULL;
    struct net_count *g = group_of(w, m->src, m->dest);
    w->net.all.recv_count++;
    g->recv_count++;
    journal(w, m, true, now_us);
    if (!e->client)
        w->drv.deliver(w->drv.ctx, endpoint, m, now_us);
    else
        world_client_receive(w, endpoint, m, now_us);
    wmsg_free(m);
    if (w->phase != PH_DONE) take_next(w, endpoint, now_us);
}

void network_heal(struct world *w)
{
    memset(w->cut, 0, (size_t)w->n_nodes * w->n_nodes);
    w->partitioned = false;
}

void network_cut(struct world *w, uint32_t dest, uint32_t src)
{
    w->cut[(size_t)dest * w->n_nodes + src] = 1;
    w->partitioned = true;
}
