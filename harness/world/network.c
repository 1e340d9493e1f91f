/*
 * network: Maelstrom's simulated network (spec §3, §4.1): per-endpoint delivery queues with
 * latency, head-of-line blocking and partitions checked at dequeue. The contract is in
 * network.h. It is not the world: no names, no phases, no clients' meaning; the owner schedules
 * its wake-ups and receives its deliveries through struct network_cbs.
 * Pure: told the time, never reads a clock, never does IO.
 */
#include "network.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netq.h"
#include "rng.h"
#include "strbuf.h"

#include "banned.h"

/* One registered id with one delivery queue (spec §3.2) and its delivery thread. */
struct endpoint {
    struct netq queue;
    bool busy;            /* the thread has taken `inflight` and sleeps until its deadline */
    struct nmsg inflight; /* valid when busy */
};

/*
 * Raw bodies (messages between foreign nodes: a process run) by message id, out of the messages'
 * 64-byte slots: open addressing with linear probing, key id + 1 (0: empty), backward-shift
 * deletion. Empty in a virtual run.
 */
struct raw_map {
    uint64_t *key;
    char **raw;
    size_t cap, n; /* cap: a power of two, or 0 */
};

struct network {
    struct network_opts o;
    struct network_cbs cb;
    struct endpoint *ep;
    size_t n_ep, cap_ep;
    bool *client; /* per endpoint: apart from ep, which is large, for the :net groups */
    size_t cap_client;
    uint64_t next_msg_id;
    struct net_counts net;
    uint8_t *cut; /* cut[dest * n_nodes + src]: dest ignores src (partition) */
    bool partitioned;
    struct nmsg_pool pool;
    struct raw_map raw;
};

static size_t raw_slot(const struct raw_map *r, uint64_t id)
{
    return (size_t)rng_mix64(id) & (r->cap - 1);
}

/* Adds (id, raw); 0, or -1 when out of memory (nothing added). */
static int raw_put(struct raw_map *r, uint64_t id, char *raw)
{
    if (2 * (r->n + 1) > r->cap) {
        struct raw_map g = { 0 };
        g.cap = r->cap ? 2 * r->cap : 64;
        g.key = calloc(g.cap, sizeof(*g.key));
        g.raw = malloc(g.cap * sizeof(*g.raw));
        if (!g.key || !g.raw) {
            free(g.key);
            free(g.raw);
            return -1;
        }
        for (size_t k = 0; k < r->cap; k++) {
            if (!r->key[k]) continue;
            size_t i = raw_slot(&g, r->key[k] - 1);
            while (g.key[i])
                i = (i + 1) & (g.cap - 1);
            g.key[i] = r->key[k];
            g.raw[i] = r->raw[k];
        }
        g.n = r->n;
        free(r->key);
        free(r->raw);
        *r = g;
    }
    size_t i = raw_slot(r, id);
    while (r->key[i])
        i = (i + 1) & (r->cap - 1);
    r->key[i] = id + 1;
    r->raw[i] = raw;
    r->n++;
    return 0;
}

/* Removes id's raw body and returns it (NULL when it has none). */
static char *raw_take(struct raw_map *r, uint64_t id)
{
    if (r->n == 0) return NULL;
    size_t mask = r->cap - 1, i = raw_slot(r, id);
    while (r->key[i] && r->key[i] != id + 1)
        i = (i + 1) & mask;
    if (!r->key[i]) return NULL;
    char *raw = r->raw[i];
    r->n--;
    /* Backward shift: later entries of the run move into the hole if their home allows it. */
    for (size_t j = (i + 1) & mask; r->key[j]; j = (j + 1) & mask) {
        size_t home = raw_slot(r, r->key[j] - 1);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            r->key[i] = r->key[j];
            r->raw[i] = r->raw[j];
            i = j;
        }
    }
    r->key[i] = 0;
    return raw;
}

static void raw_release(struct raw_map *r)
{
    for (size_t k = 0; k < r->cap; k++)
        if (r->key[k]) free(r->raw[k]);
    free(r->key);
    free(r->raw);
    memset(r, 0, sizeof(*r));
}

struct network *network_new(const struct network_opts *opts, const struct network_cbs *cbs)
{
    struct network *net = calloc(1, sizeof(*net));
    if (!net) return NULL;
    net->o = *opts;
    net->cb = *cbs;
    nmsg_pool_init(&net->pool);
    size_t n = opts->n_nodes;
    net->cut = calloc(n > 0 ? n * n : 1, 1);
    if (!net->cut) {
        free(net);
        return NULL;
    }
    return net;
}

static const char *ep_name(const struct network *net, uint32_t endpoint)
{
    return net->cb.name ? net->cb.name(net->cb.ctx, endpoint) : "";
}

/*
 * The message's struct wmsg view, still packed: what m owned now belongs to w (freed with
 * wmsg_drop()), m owns nothing.
 */
static void take_packed(struct network *net, struct nmsg *m, struct wmsg *w)
{
    w->id = m->id;
    w->src = m->src;
    w->dest = m->dest;
    w->sent_us = m->sent_us;
    w->deadline_us = m->deadline_us;
    w->raw_body = raw_take(&net->raw, m->id);
    w->topology_borrowed = msg_packed_is_full(&m->body) && m->body.u.full->topology &&
                           m->body.u.full->topology == net->o.shared_topology;
    w->packed = true;
    w->body = m->body;
    memset(&m->body, 0, sizeof(m->body));
}

void network_unpack(const struct network *net, struct wmsg *w)
{
    if (!w->packed) return;
    msg_unpack(&w->body, &w->m, ep_name(net, w->src), ep_name(net, w->dest), &w->one);
    w->packed = false;
}

/* The message's struct wmsg view, unpacked into *w (see take_packed). */
static void unpack(struct network *net, struct nmsg *m, struct wmsg *w)
{
    take_packed(net, m, w);
    network_unpack(net, w);
}

/* Frees what the view w owns; w is discarded afterwards. */
static void wmsg_drop(struct wmsg *w)
{
    if (w->packed) {
        if (w->topology_borrowed && msg_packed_is_full(&w->body)) w->body.u.full->topology = NULL;
        msg_packed_release(&w->body);
    } else {
        if (w->topology_borrowed) w->m.topology = NULL;
        msg_drop(&w->m);
    }
    free(w->raw_body);
}

/* Journals m as undelivered (recv time 0) and frees what it owns. */
static void journal_undelivered(struct network *net, struct nmsg *m)
{
    if (!net->o.journal) {
        free(raw_take(&net->raw, m->id));
        nmsg_release(m, net->o.shared_topology);
        return;
    }
    struct wmsg w;
    unpack(net, m, &w);
    net->o.journal(net->o.journal_ctx, &w, false, 0);
    wmsg_drop(&w);
}

void network_free(struct network *net)
{
    if (!net) return;
    for (size_t i = 0; i < net->n_ep; i++) {
        struct endpoint *e = &net->ep[i];
        if (e->busy) nmsg_release(&e->inflight, net->o.shared_topology);
        netq_release(&e->queue, &net->pool, net->o.shared_topology);
    }
    nmsg_pool_release(&net->pool);
    raw_release(&net->raw);
    free(net->ep);
    free(net->client);
    free(net->cut);
    free(net);
}

int32_t network_add_endpoint(struct network *net, bool client)
{
    if (net->n_ep >= INT32_MAX || GL_GROW(net->ep, net->n_ep + 1, net->cap_ep) != 0 ||
        GL_GROW(net->client, net->n_ep + 1, net->cap_client) != 0)
        return -1;
    struct endpoint *e = &net->ep[net->n_ep];
    memset(e, 0, sizeof(*e));
    netq_init(&e->queue);
    net->client[net->n_ep] = client;
    return (int32_t)net->n_ep++;
}

uint32_t network_endpoint_count(const struct network *net)
{
    return (uint32_t)net->n_ep;
}

const struct net_counts *network_counts(const struct network *net)
{
    return &net->net;
}

static struct net_count *group_of(struct network *net, uint32_t src, uint32_t dest)
{
    if (net->client[src] || net->client[dest]) return &net->net.clients;
    return &net->net.servers;
}

void network_drain(struct network *net)
{
    for (size_t i = 0; i < net->n_ep; i++) {
        struct endpoint *e = &net->ep[i];
        if (e->busy) {
            e->busy = false;
            journal_undelivered(net, &e->inflight);
        }
        struct nmsg m;
        while (netq_take(&e->queue, &net->pool, &m))
            journal_undelivered(net, &m);
    }
}

static const char *const latency_dist_names[] = {
    [LATENCY_CONSTANT] = "constant",
    [LATENCY_UNIFORM] = "uniform",
    [LATENCY_EXPONENTIAL] = "exponential",
};

const char *latency_dist_name(enum latency_dist d)
{
    assert((size_t)d < sizeof(latency_dist_names) / sizeof(latency_dist_names[0]));
    return latency_dist_names[d];
}

int latency_dist_parse(const char *s, enum latency_dist *out)
{
    for (size_t i = 0; i < sizeof(latency_dist_names) / sizeof(latency_dist_names[0]); i++) {
        if (strcmp(s, latency_dist_names[i]) == 0) {
            *out = (enum latency_dist)i;
            return 0;
        }
    }
    return -1;
}

time_us network_draw_latency_us(struct rng *r, uint64_t mean_ms, enum latency_dist dist)
{
    if (mean_ms == 0) return 0;
    switch (dist) {
    case LATENCY_CONSTANT:
        return time_from_ms(mean_ms);
    case LATENCY_UNIFORM:
        return time_from_ms(rng_below(r, 2 * mean_ms));
    case LATENCY_EXPONENTIAL: {
        /* Exponential with rate 1/mean, truncated toward zero to whole ms. 1 - u is in (0, 1]. */
        double u = 1.0 - rng_unit(r);
        double ms = -log(u) * (double)mean_ms;
        if (ms > 1e9) ms = 1e9; /* bounded: a ~11-day delay is as good as forever */
        return time_from_ms((uint64_t)ms);
    }
    }
    return time_from_ms(mean_ms);
}

bool network_is_cut(const struct network *net, uint32_t dest, uint32_t src)
{
    uint32_t n = net->o.n_nodes;
    if (!net->partitioned || dest >= n || src >= n) return false;
    return net->cut[(size_t)dest * n + src] != 0;
}

time_us network_delivery_time_us(const struct network_timing *t, time_us take_us, bool woke,
                                 time_us deadline_us)
{
    time_us at = take_us + (woke ? t->wake_us : 0);
    if (deadline_us <= at) return at; /* (pos? dt) is false: no sleep */
    time_us dt = deadline_us - at;
    time_us sleep = t->sleep_quantum_us ? dt / t->sleep_quantum_us * t->sleep_quantum_us : dt;
    return sleep ? at + sleep + t->overshoot_us : at; /* Thread.sleep(0) returns at once */
}

/*
 * The delivery thread of `dest` takes the next message: the earliest queued one. The partition
 * check happens here, at dequeue time (spec §3.3); a dropped message counts as sent only. woke:
 * the thread was idle (called on a send), not just done with a delivery.
 */
static void take_next(struct network *net, uint32_t dest, time_us now_us, bool woke)
{
    struct endpoint *e = &net->ep[dest];
    while (!e->busy && netq_take(&e->queue, &net->pool, &e->inflight)) {
        if (network_is_cut(net, dest, e->inflight.src)) {
            journal_undelivered(net, &e->inflight);
            continue;
        }
        e->busy = true;
        net->cb.wake(
            net->cb.ctx, dest,
            network_delivery_time_us(&net->o.timing, now_us, woke, e->inflight.deadline_us));
    }
}

int network_send(struct network *net, uint32_t src, uint32_t dest, struct msg *m, char *raw_body,
                 time_us now_us)
{
    assert(src < net->n_ep && dest < net->n_ep);
    struct nmsg wm;
    bool borrowed = m->topology && m->topology == net->o.shared_topology;
    if (msg_pack(&wm.body, m, net->cb.name != NULL) != 0) {
        if (borrowed) m->topology = NULL;
        msg_release(m);
        free(raw_body);
        return -1;
    }
    wm.id = net->next_msg_id++;
    wm.src = src;
    wm.dest = dest;
    wm.sent_us = now_us;
    bool via_client = net->client[src] || net->client[dest];
    wm.deadline_us = now_us + (via_client ? 0
                                          : network_draw_latency_us(net->o.rng, net->o.latency_ms,
                                                                    net->o.latency_dist));

    struct net_count *g = group_of(net, src, dest);
    net->net.all.send_count++;
    net->net.all.msg_count++;
    g->send_count++;
    g->msg_count++;

    if (raw_body && raw_put(&net->raw, wm.id, raw_body) != 0) {
        free(raw_body);
        nmsg_release(&wm, net->o.shared_topology);
        return -1;
    }
    if (netq_push(&net->ep[dest].queue, &net->pool, &wm) != 0) {
        free(raw_take(&net->raw, wm.id));
        nmsg_release(&wm, net->o.shared_topology);
        return -1;
    }
    take_next(net, dest, now_us, true);
    return 0;
}

void network_on_wake(struct network *net, uint32_t endpoint, time_us now_us)
{
    assert(endpoint < net->n_ep);
    struct endpoint *e = &net->ep[endpoint];
    if (!e->busy) return;
    /* The thread takes the next message once this one is handled: fetch it meanwhile. */
    netq_prefetch(&e->queue);
    struct wmsg w;
    take_packed(net, &e->inflight, &w);
    if (net->o.journal || !net->o.deliver_packed) network_unpack(net, &w);
    e->busy = false;
    struct net_count *g = group_of(net, w.src, w.dest);
    net->net.all.recv_count++;
    g->recv_count++;
    if (net->o.journal) net->o.journal(net->o.journal_ctx, &w, true, now_us);
    bool more = net->cb.deliver(net->cb.ctx, endpoint, &w, now_us);
    wmsg_drop(&w);
    /* The owner may have added endpoints: e may have moved. */
    if (more) take_next(net, endpoint, now_us, false);
}

void network_heal(struct network *net)
{
    size_t n = net->o.n_nodes;
    memset(net->cut, 0, n * n);
    net->partitioned = false;
}

void network_cut(struct network *net, uint32_t dest, uint32_t src)
{
    assert(dest < net->o.n_nodes && src < net->o.n_nodes);
    net->cut[(size_t)dest * net->o.n_nodes + src] = 1;
    net->partitioned = true;
}
