/*
 * world_setup.c: the world's setup phases (spec §2.3): one setup client per node, opened in
 * random order; inits at each node's offset, then, once every node answered init_ok, the
 * topology; the workload starts when every node answered topology_ok. A wrong reply or a
 * timeout aborts the test. Pure like world.c: never reads a clock, never does IO.
 */
#include "world.h"

#include <stdio.h>
#include <stdlib.h>

#include "world_int.h"

#include "banned.h"

static void setup_msg(struct world *w, struct msg *m, enum msg_type type, uint32_t c, uint32_t node)
{
    msg_init(m);
    m->type = type;
    snprintf(m->type_name, sizeof(m->type_name), "%s", msg_type_name(type));
    snprintf(m->src, sizeof(m->src), "%s", w->eps.v[c].name);
    snprintf(m->dest, sizeof(m->dest), "%s", w->eps.v[node].name);
    m->has_msg_id = true;
    m->msg_id = 1;
    if (type == MSG_INIT) {
        snprintf(m->node_id, sizeof(m->node_id), "%s", w->eps.v[node].name);
        /* Out of memory leaves node_ids empty: the init goes out anyway. */
        (void)msg_set_node_ids(m, (const char(*)[GL_ID_MAX])w->node_names, w->n_nodes);
    } else {
        m->topology = &w->topology; /* borrowed: the network never frees it (shared_topology) */
    }
}

/* A setup thread opens its client and sends node its init or topology. */
void world_setup_send_to(struct world *w, enum msg_type type, uint32_t node, time_us now_us)
{
    int32_t c = world_open_client(w, -1);
    if (c < 0) return;
    w->eps.v[c].setup_node = node;
    struct msg m;
    setup_msg(w, &m, type, (uint32_t)c, node);
    world_send(w, (uint32_t)c, node, &m, NULL, now_us);
}

/*
 * Opens one setup client per node, in random order (Maelstrom opens them in parallel). Inits go
 * out at each node's offset (an event each, in that order, so equal offsets keep it); topology
 * messages all at once.
 */
static void send_setup(struct world *w, enum msg_type type, time_us now_us)
{
    uint32_t n = w->n_nodes;
    uint32_t *order = malloc(n * sizeof(*order));
    if (!order) {
        world_abort_test(w, WORLD_INIT_FAILED, "out of memory");
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    for (uint32_t i = n; i > 1; i--) {
        uint32_t j = (uint32_t)rng_below(&w->rng_setup, i);
        uint32_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    w->setup_pending = n;
    w->setup_first_ep = (uint32_t)w->eps.n;
    for (uint32_t i = 0; i < n; i++) {
        if (type == MSG_INIT)
            world_push_event(w, now_us + w->init_off_us[order[i]], EV_INIT_SEND, order[i]);
        else
            world_setup_send_to(w, type, order[i], now_us);
    }
    free(order);
    time_us limit = type == MSG_INIT ? w->o.init_timeout_us : w->o.op_timeout_us;
    world_push_event(w, now_us + limit, EV_SETUP_TIMEOUT, (uint64_t)type);
}

void world_start(struct world *w, time_us now_us)
{
    w->now_us = now_us;
    w->phase = PH_INIT;
    send_setup(w, MSG_INIT, now_us);
}

void world_setup_reply(struct world *w, uint32_t client, const struct msg *r, time_us now_us)
{
    struct endpoint *c = &w->eps.v[client];
    const char *node = w->eps.v[c->setup_node].name;
    bool init = w->phase == PH_INIT;
    enum msg_type want = init ? MSG_INIT_OK : MSG_TOPOLOGY_OK;
    if (!r->has_in_reply_to || r->in_reply_to != 1) return; /* not the reply: discarded */
    if (c->setup_done || client < w->setup_first_ep) return;
    if (r->type != want || (!init && (r->flags & MSG_F_EXTRA_KEYS))) {
        char why[512];
        snprintf(why, sizeof(why), "node %s answered %s with type '%s'%s%s", node,
                 init ? "init" : "topology", r->type_name, r->type == MSG_ERROR ? ": " : "",
                 r->type == MSG_ERROR ? r->text : "");
        world_abort_test(w, init ? WORLD_INIT_FAILED : WORLD_TOPOLOGY_FAILED, why);
        return;
    }
    c->setup_done = true;
    if (init) c->open = false; /* init clients are closed right after init_ok */
    if (--w->setup_pending > 0) return;
    if (init) {
        w->t0_us = now_us; /* "relative time begins now" */
        w->phase = PH_TOPOLOGY;
        send_setup(w, MSG_TOPOLOGY, now_us);
    } else {
        w->phase = PH_RUN;
        workload_start(w->wl, w->t0_us, now_us);
    }
}

void world_setup_timeout(struct world *w, enum msg_type type)
{
    bool init = type == MSG_INIT;
    if (w->phase != (init ? PH_INIT : PH_TOPOLOGY)) return;
    char why[1024];
    struct strbuf sb;
    strbuf_fixed(&sb, why, sizeof(why));
    strbuf_addf(
        &sb, "no %s reply within %llu ms from:", init ? "init_ok" : "topology_ok",
        (unsigned long long)((init ? w->o.init_timeout_us : w->o.op_timeout_us) / US_PER_MS));
    /* Whole names only, as many as fit. */
    for (size_t i = w->setup_first_ep; i < w->eps.n && sb.len + GL_ID_MAX + 2 < sb.cap; i++) {
        const struct endpoint *c = &w->eps.v[i];
        if (c->worker < 0 && !c->setup_done) {
            strbuf_addch(&sb, ' ');
            strbuf_addstr(&sb, w->eps.v[c->setup_node].name);
        }
    }
    world_abort_test(w, init ? WORLD_INIT_FAILED : WORLD_TOPOLOGY_FAILED, why);
}
