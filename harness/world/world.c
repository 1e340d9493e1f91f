/*
 * world: composes the network (network.h) and the workload (workload.h) into a Maelstrom test
 * and owns what neither should: the endpoints (server nodes and clients, named as Maelstrom names
 * them, spec §1.3), the setup phases (init, topology: world_setup.c), validation of node output
 * (spec §1.6), the event queue both modules schedule into (keyed by (time, seq): ties run in
 * scheduling order), the abort reasons and the faults. It is not a driver: told the time, it
 * never reads a clock and never does IO.
 */
#include "world.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoints.h"
#include "history.h"
#include "strbuf.h"
#include "wire.h"
#include "workload.h"
#include "world_int.h"

#include "banned.h"

void world_opts_defaults(struct world_opts *o)
{
    *o = (struct world_opts){
        .node_count = 5,
        .default_names = true,
        .time_limit_s = 60,
        .rate = 5,
        .latency_ms = 0,
        .latency_dist = LATENCY_CONSTANT,
        .net_timing = { .wake_us = NETWORK_WAKE_US_DEFAULT,
                        .sleep_quantum_us = NETWORK_SLEEP_QUANTUM_US_DEFAULT,
                        .overshoot_us = NETWORK_OVERSHOOT_US_DEFAULT },
        .init_spread_us = WORLD_INIT_SPREAD_US_DEFAULT,
        .concurrency = 0, /* 0 = 1n */
        .nemesis_interval_s = 10,
        .topology = TOPO_GRID,
        .seed = 0,
        .recovery_us = 10 * US_PER_SEC,
        .init_timeout_us = 10 * US_PER_SEC,
        .op_timeout_us = 5 * US_PER_SEC,
    };
}

void world_fault(struct world *w, const char *fmt, ...)
{
    char line[1024]; /* one line, cut at 1023 bytes */
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (k < 0) return;
    strbuf_addstr(&w->faults, line);
    strbuf_addch(&w->faults, '\n');
}

void world_push_event_on(struct world *w, uint32_t lane, time_us at_us, enum ev_kind kind,
                         uint64_t arg)
{
    assert(arg < (uint64_t)1 << 56);
    if (evq_push(&w->events, lane, at_us, NULL, (uint64_t)kind | (arg << 8)) != 0)
        world_fault(w, "out of memory scheduling an event");
}

void world_push_event(struct world *w, time_us at_us, enum ev_kind kind, uint64_t arg)
{
    world_push_event_on(w, LANE_MISC, at_us, kind, arg);
}

/* A delivery lane for the endpoint just added (index idx); 0, or -1 when out of memory. */
static int add_ep_lane(struct world *w, int32_t idx)
{
    int64_t lane = evq_add_lanes(&w->events, 1);
    if (lane < 0 || GL_GROW(w->ep_lane, (size_t)idx + 1, w->cap_ep_lane) != 0) return -1;
    w->ep_lane[idx] = (uint32_t)lane;
    return 0;
}

/* Registers a client with the world and the network (same index); -1 when out of memory. */
int32_t world_open_client(struct world *w, int32_t worker)
{
    uint32_t k = w->eps.n_clients;
    int32_t idx = endpoints_add_client(&w->eps, worker);
    if (idx >= 0 && (network_add_endpoint(w->net, true) != idx || add_ep_lane(w, idx) != 0)) {
        endpoints_drop_last(&w->eps);
        idx = -1;
    }
    if (idx < 0) world_fault(w, "out of memory opening client c%u", k);
    return idx;
}

/* Sends through the network; m's arrays and raw_body move to it. */
void world_send(struct world *w, uint32_t src, uint32_t dest, struct msg *m, char *raw_body,
                time_us now_us)
{
    if (network_send(w->net, src, dest, m, raw_body, now_us) != 0)
        world_fault(w, "out of memory sending a message from %s to %s", w->eps.v[src].name,
                    w->eps.v[dest].name);
}

/* ---- the end of a test ------------------------------------------------------------------- */

/* Ends the test once: what is still queued is journaled as undelivered, pending events drop. */
static void finish(struct world *w)
{
    if (w->finished) return;
    w->finished = true;
    w->phase = PH_DONE;
    network_drain(w->net);
    evq_clear(&w->events);
}

void world_abort_test(struct world *w, enum world_abort why, const char *detail)
{
    if (w->abort_reason == WORLD_OK) {
        w->abort_reason = why;
        snprintf(w->abort_detail, sizeof(w->abort_detail), "%s", detail);
    }
    finish(w);
}

/* ---- the network's and the workload's callbacks ------------------------------------------ */

static const char *net_name(void *ctx, uint32_t endpoint)
{
    const struct world *w = ctx;
    return w->eps.v[endpoint].name;
}

static void net_wake(void *ctx, uint32_t endpoint, time_us at_us)
{
    struct world *w = ctx;
    world_push_event_on(w, w->ep_lane[endpoint], at_us, EV_DELIVER, endpoint);
}

static bool net_deliver(void *ctx, uint32_t endpoint, struct wmsg *m, time_us now_us)
{
    struct world *w = ctx;
    const struct endpoint *e = &w->eps.v[endpoint];
    if (!e->client) {
        w->drv.deliver(w->drv.ctx, endpoint, m, now_us);
        return w->phase != PH_DONE;
    }
    network_unpack(w->net, m);
    if (e->worker < 0) {
        if (w->phase == PH_INIT || w->phase == PH_TOPOLOGY)
            world_setup_reply(w, endpoint, &m->m, now_us);
    } else {
        workload_on_reply(w->wl, (uint32_t)e->worker, endpoint, &m->m, now_us);
    }
    return w->phase != PH_DONE;
}

static int32_t wl_renew_client(void *ctx, uint32_t worker, int32_t old_client)
{
    struct world *w = ctx;
    if (old_client >= 0) w->eps.v[old_client].open = false; /* closed at the next op (§1.6(2)) */
    return world_open_client(w, (int32_t)worker);
}

static void wl_send(void *ctx, uint32_t client, uint32_t node, struct msg *m, time_us now_us)
{
    struct world *w = ctx;
    msg_set_ends(m, w->eps.v[client].name, w->eps.v[node].name);
    world_send(w, client, node, m, NULL, now_us);
}

static void wl_schedule(void *ctx, time_us at_us, uint64_t tag)
{
    world_push_event(ctx, at_us, EV_WORKLOAD, tag);
}

static void wl_partition(void *ctx, const uint8_t *cut)
{
    struct world *w = ctx;
    uint32_t n = w->n_nodes;
    network_heal(w->net);
    for (uint32_t d = 0; d < n; d++)
        for (uint32_t s = 0; s < n; s++)
            if (cut[(size_t)d * n + s]) network_cut(w->net, d, s);
}

static void wl_heal(void *ctx)
{
    struct world *w = ctx;
    network_heal(w->net);
}

static void wl_fault(void *ctx, const char *what)
{
    world_fault(ctx, "%s", what);
}

static void wl_finished(void *ctx)
{
    struct world *w = ctx;
    w->phase = PH_DONE;
}

/* ---- lifecycle --------------------------------------------------------------------------- */

static int check_opts(const struct world_opts *o, char *err, size_t errlen)
{
    if (o->node_count < 1 || o->node_count > GL_MAX_NODES)
        snprintf(err, errlen, "node count %u out of range 1..%u", o->node_count, GL_MAX_NODES);
    else if (!(o->rate >= 0) || o->rate > 1e6)
        snprintf(err, errlen, "rate %g out of range 0..1e6", o->rate);
    else if (o->nemesis_partition && !(o->nemesis_interval_s > 0))
        snprintf(err, errlen, "nemesis interval must be positive");
    else if (o->latency_ms == 0 && o->latency_dist != LATENCY_CONSTANT)
        /* Maelstrom spins (uniform) or divides by zero (exponential) here (spec §3.1). */
        snprintf(err, errlen, "--latency-dist uniform/exponential needs --latency > 0");
    else if (o->concurrency > 100000)
        snprintf(err, errlen, "concurrency %u too large", o->concurrency);
    else if (o->init_spread_us > WORLD_INIT_SPREAD_US_MAX)
        snprintf(err, errlen, "init spread %llu us out of range 0..%u",
                 (unsigned long long)o->init_spread_us, WORLD_INIT_SPREAD_US_MAX);
    else
        return 0;
    return -1;
}

/* The server nodes (endpoints 0..N-1), their names and the topology over them. */
static int build_nodes(struct world *w, char *err, size_t errlen)
{
    w->node_names = calloc(w->o.node_count, GL_ID_MAX);
    w->init_off_us = calloc(w->o.node_count, sizeof(*w->init_off_us));
    if (!w->node_names || !w->init_off_us) return -1;
    for (uint32_t i = 0; i < w->o.node_count && w->o.init_spread_us > 0; i++)
        w->init_off_us[i] = rng_below(&w->rng_spread, w->o.init_spread_us);
    for (uint32_t i = 0; i < w->o.node_count; i++) {
        snprintf(w->node_names[i], GL_ID_MAX, "n%u", w->o.default_names ? i + 1 : i);
        int32_t idx = endpoints_add_node(&w->eps, w->node_names[i]);
        if (idx < 0 || network_add_endpoint(w->net, false) != idx || add_ep_lane(w, idx) != 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    w->n_nodes = w->o.node_count;
    return topo_build(&w->topology, w->o.topology, w->n_nodes,
                      (const char(*)[GL_ID_MAX])w->node_names, -1, err, errlen);
}

static struct network *new_network(struct world *w)
{
    struct network_opts no = {
        .n_nodes = w->o.node_count,
        .latency_ms = w->o.latency_ms,
        .latency_dist = w->o.latency_dist,
        .timing = w->o.net_timing,
        .rng = &w->rng_lat,
        .shared_topology = &w->topology,
        .deliver_packed = w->drv.takes_packed,
        .journal = w->o.journal,
        .journal_ctx = w->o.journal_ctx,
    };
    struct network_cbs cb = {
        .ctx = w, .name = net_name, .wake = net_wake, .deliver = net_deliver
    };
    return network_new(&no, &cb);
}

static struct workload *new_workload(struct world *w)
{
    struct workload_opts wo = {
        .n_nodes = w->n_nodes,
        .node_names = (const char(*)[GL_ID_MAX])w->node_names,
        .concurrency = w->o.concurrency,
        .rate = w->o.rate,
        .time_limit_s = w->o.time_limit_s,
        .nemesis_partition = w->o.nemesis_partition,
        .nemesis_interval_s = w->o.nemesis_interval_s,
        .recovery_us = w->o.recovery_us,
        .op_timeout_us = w->o.op_timeout_us,
        .rng_gen = &w->rng_gen,
        .rng_nem = &w->rng_nem,
        .history = w->history,
    };
    struct workload_cbs cb = {
        .ctx = w,
        .renew_client = wl_renew_client,
        .send = wl_send,
        .schedule = wl_schedule,
        .partition = wl_partition,
        .heal = wl_heal,
        .fault = wl_fault,
        .finished = wl_finished,
    };
    return workload_new(&wo, &cb);
}

struct world *world_new(const struct world_opts *opts, const struct world_driver *drv, char *err,
                        size_t errlen)
{
    if (check_opts(opts, err, errlen) != 0) return NULL;
    struct world *w = calloc(1, sizeof(*w));
    if (!w) return NULL;
    w->o = *opts;
    if (w->o.concurrency == 0) w->o.concurrency = w->o.node_count;
    w->drv = *drv;
    evq_init(&w->events);
    endpoints_init(&w->eps, opts->default_names);
    topo_init(&w->topology);
    strbuf_init(&w->faults);
    /* One stream per purpose, split in this order: a draw in one never shifts another. */
    struct rng root;
    rng_seed(&root, w->o.seed);
    w->rng_setup = rng_split(&root);
    w->rng_gen = rng_split(&root);
    w->rng_lat = rng_split(&root);
    w->rng_nem = rng_split(&root);
    w->rng_spread = rng_split(&root); /* last: without a spread the others are as before */
    w->history = history_new();
    w->net = new_network(w);
    if (!w->history || !w->net || evq_add_lanes(&w->events, 1) != LANE_MISC ||
        build_nodes(w, err, errlen) != 0 || !(w->wl = new_workload(w))) {
        if (!err[0]) snprintf(err, errlen, "out of memory");
        world_free(w);
        return NULL;
    }
    return w;
}

void world_free(struct world *w)
{
    if (!w) return;
    workload_free(w->wl);
    network_free(w->net);
    endpoints_release(&w->eps);
    free(w->node_names);
    free(w->init_off_us);
    evq_release(&w->events);
    free(w->ep_lane);
    topo_release(&w->topology);
    history_free(w->history);
    strbuf_release(&w->faults);
    free(w);
}

uint32_t world_node_count(const struct world *w)
{
    return w->n_nodes;
}

const char *world_node_name(const struct world *w, uint32_t node)
{
    return w->eps.v[node].name;
}

void world_unpack(const struct world *w, struct wmsg *m)
{
    network_unpack(w->net, m);
}

const char *world_endpoint_name(const struct world *w, uint32_t endpoint)
{
    assert(endpoint < w->eps.n);
    return w->eps.v[endpoint].name;
}

time_us world_node_init_offset_us(const struct world *w, uint32_t node)
{
    return w->init_off_us[node];
}

/* ---- the event loop ---------------------------------------------------------------------- */

static void run_event(struct world *w, const struct heap_entry *he)
{
    uint64_t arg = he->tag >> 8;
    switch ((enum ev_kind)(he->tag & 0xff)) {
    case EV_DELIVER:
        network_on_wake(w->net, (uint32_t)arg, he->at_us);
        break;
    case EV_WORKLOAD:
        workload_on_timer(w->wl, arg, he->at_us);
        break;
    case EV_SETUP_TIMEOUT:
        world_setup_timeout(w, (enum msg_type)arg);
        break;
    case EV_DRIVER:
        w->drv.on_timer(w->drv.ctx, arg, he->at_us);
        break;
    case EV_INIT_SEND:
        if (w->phase == PH_INIT) world_setup_send_to(w, MSG_INIT, (uint32_t)arg, he->at_us);
        break;
    }
}

/* Runs a popped event at its own time, or at the world's time if that is later (real time:
 * never in the past). */
static void run_popped(struct world *w, struct heap_entry *he)
{
    if (he->at_us > w->now_us)
        w->now_us = he->at_us;
    else
        he->at_us = w->now_us;
    w->event_seq = he->seq;
    run_event(w, he);
}

void world_advance(struct world *w, time_us now_us)
{
    if (now_us > w->now_us) w->now_us = now_us;
    struct heap_entry he;
    while (w->phase != PH_DONE && evq_pop_due(&w->events, now_us, &he, NULL) == 0)
        run_popped(w, &he);
    if (w->phase == PH_DONE) finish(w);
}

bool world_run(struct world *w)
{
    struct heap_entry he;
    while (w->phase != PH_DONE) {
        if (evq_pop(&w->events, &he, NULL) != 0) return false;
        run_popped(w, &he);
    }
    finish(w);
    return true;
}

time_us world_next_deadline_us(const struct world *w)
{
    const struct heap_entry *top = evq_peek(&w->events, NULL);
    return top ? top->at_us : TIME_NEVER;
}

bool world_done(const struct world *w)
{
    return w->phase == PH_DONE;
}

void world_driver_timer(struct world *w, time_us at_us, uint64_t tag)
{
    world_push_event(w, at_us, EV_DRIVER, tag);
}

int64_t world_driver_lanes(struct world *w, uint32_t n)
{
    return evq_add_lanes(&w->events, n);
}

void world_driver_timer_on(struct world *w, uint32_t lane, time_us at_us, uint64_t tag)
{
    world_push_event_on(w, lane, at_us, EV_DRIVER, tag);
}

uint64_t world_event_seq(const struct world *w)
{
    return w->event_seq;
}

uint64_t world_take_seq(struct world *w)
{
    return evq_take_seq(&w->events);
}

void world_driver_timer_move(struct world *w, uint32_t lane, time_us at_us, uint64_t seq,
                             uint64_t tag)
{
    assert(tag < (uint64_t)1 << 56);
    if (evq_reschedule(&w->events, lane, at_us, seq, NULL, (uint64_t)EV_DRIVER | (tag << 8)) != 0)
        world_fault(w, "out of memory scheduling an event");
}

uint32_t world_node_lane(const struct world *w, uint32_t node)
{
    assert(node < w->n_nodes);
    return w->ep_lane[node];
}

/* ---- node output ------------------------------------------------------------------------- */

/* Validates a node's message like Maelstrom's network (spec §1.2, §1.6) and sends it. */
static void node_send(struct world *w, uint32_t node, struct msg *m, char *raw_body, time_us now_us)
{
    struct endpoint *e = &w->eps.v[node];
    int32_t src, dest;
    const char *why = endpoints_route(&w->eps, m->src, m->dest, &src, &dest);
    if (why) {
        world_fault(w,
                    "node %s sent a message %s -> %s (%s): Maelstrom stops reading this node's "
                    "output for the rest of the run",
                    e->name, m->src, m->dest, why);
        e->output_dead = true;
        msg_release(m);
        free(raw_body);
        return;
    }
    world_send(w, (uint32_t)src, (uint32_t)dest, m, raw_body, now_us);
}

void world_on_node_msg(struct world *w, uint32_t node, struct msg *m, time_us now_us)
{
    world_on_node_msg_to(w, node, m, -1, now_us);
}

void world_on_node_msg_to(struct world *w, uint32_t node, struct msg *m, int32_t to, time_us now_us)
{
    if (w->phase == PH_DONE || w->eps.v[node].output_dead) {
        msg_release(m);
        return;
    }
    if (now_us > w->now_us) w->now_us = now_us;
    if (to < 0) {
        node_send(w, node, m, NULL, now_us);
        return;
    }
    /* Both ends are nodes, whose endpoints never close: the route endpoints_route would find. */
    assert((uint32_t)to < w->n_nodes);
    world_send(w, node, (uint32_t)to, m, NULL, now_us);
}

void world_on_node_line(struct world *w, uint32_t node, const char *line, size_t len,
                        time_us now_us)
{
    struct endpoint *e = &w->eps.v[node];
    if (w->phase == PH_DONE || e->output_dead) return;
    if (now_us > w->now_us) w->now_us = now_us;
    struct wire_env env;
    char err[256];
    if (wire_parse(line, len, &env, err, sizeof(err)) != 0) {
        world_fault(w, "node %s wrote a malformed line (%s): %.*s", e->name, err,
                    (int)(len > 200 ? 200 : len), line);
        world_fault(w,
                    "node %s: Maelstrom stops reading this node's output for the rest of the "
                    "run",
                    e->name);
        e->output_dead = true;
        return;
    }
    int32_t dest = endpoints_find(&w->eps, env.dest);
    struct msg m;
    char *raw = wire_to_msg(&env, line, len, dest >= 0 && w->eps.v[dest].client, &m);
    node_send(w, node, &m, raw, now_us);
}

void world_node_crashed(struct world *w, uint32_t node, const char *what, time_us now_us)
{
    (void)now_us;
    char why[1024];
    snprintf(why, sizeof(why), "node %s crashed: %s", w->eps.v[node].name, what);
    world_abort_test(w, WORLD_NODE_CRASHED, why);
}

void world_interrupt(struct world *w, const char *why, time_us now_us)
{
    if (now_us > w->now_us) w->now_us = now_us;
    world_abort_test(w, WORLD_INTERRUPTED, why);
}

/* ---- results ----------------------------------------------------------------------------- */

enum world_abort world_abort_reason(const struct world *w, const char **detail)
{
    if (detail) *detail = w->abort_detail;
    return w->abort_reason;
}

const struct net_counts *world_net(const struct world *w)
{
    return network_counts(w->net);
}

const struct history *world_history(const struct world *w)
{
    return w->history;
}

const char *world_faults(const struct world *w)
{
    return strbuf_str(&w->faults);
}
