/*
 * world: the test's phases (init, topology, main, recovery, final reads), the endpoints
 * (server nodes and clients, named as Maelstrom names them, spec §1.3), validation of node
 * output (spec §1.6) and the event loop that network and workload schedule into. Pure: told the
 * time by its driver, never reads a clock, never does IO.
 */
#include "world.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "history.h"
#include "wire.h"
#include "world_int.h"

#include "banned.h"

void world_opts_defaults(struct world_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->node_count = 5;
    o->default_names = true;
    o->time_limit_s = 60;
    o->rate = 5;
    o->latency_ms = 0;
    o->latency_dist = LATENCY_CONSTANT;
    o->concurrency = 0; /* 0 = 1n */
    o->nemesis_interval_s = 10;
    o->topology = TOPO_GRID;
    o->seed = 0;
    o->recovery_us = 10 * US_PER_SEC;
    o->init_timeout_us = 10 * US_PER_SEC;
    o->op_timeout_us = 5 * US_PER_SEC;
}

void world_fault(struct world *w, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (k < 0) return;
    size_t len = strlen(line);
    if (w->faults_len + len + 2 > w->faults_cap) {
        size_t cap = (w->faults_cap ? w->faults_cap * 2 : 1024) + len + 2;
        char *f = realloc(w->faults, cap);
        if (!f) return;
        w->faults = f;
        w->faults_cap = cap;
    }
    memcpy(w->faults + w->faults_len, line, len);
    w->faults_len += len;
    w->faults[w->faults_len++] = '\n';
    w->faults[w->faults_len] = '\0';
}

void world_push_event(struct world *w, time_us at_us, enum ev_kind kind, uint64_t arg)
{
    if (heap_push(&w->events, at_us, NULL, (uint64_t)kind | (arg << 8)) != 0)
        world_fault(w, "out of memory scheduling an event");
}

static int add_endpoint(struct world *w, const char *name, bool client)
{
    if (w->n_ep == w->cap_ep) {
        uint32_t cap = w->cap_ep ? w->cap_ep * 2 : 64;
        struct endpoint *ep = realloc(w->ep, cap * sizeof(*ep));
        if (!ep) return -1;
        w->ep = ep;
        w->cap_ep = cap;
    }
    struct endpoint *e = &w->ep[w->n_ep];
    memset(e, 0, sizeof(*e));
    snprintf(e->name, sizeof(e->name), "%s", name);
    e->client = client;
    e->open = true;
    e->worker = -1;
    heap_init(&e->queue);
    return (int)w->n_ep++;
}

int32_t world_open_client(struct world *w, int32_t worker)
{
    char name[GL_ID_MAX];
    snprintf(name, sizeof(name), "c%u", w->n_clients);
    int idx = add_endpoint(w, name, true);
    if (idx < 0) {
        world_fault(w, "out of memory opening client %s", name);
        return -1;
    }
    w->n_clients++;
    w->ep[idx].worker = worker;
    return idx;
}

static int32_t parse_index(const char *s)
{
    if (!*s || (s[0] == '0' && s[1])) return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > INT32_MAX / 10) return -1;
        v = v * 10 + (*s - '0');
    }
    return v <= INT32_MAX ? (int32_t)v : -1;
}

int32_t world_find_endpoint(const struct world *w, const char *name)
{
    /* Fast paths for Maelstrom's own names: c<k> is the k-th client, n<k> a node. */
    if (name[0] == 'c') {
        int32_t k = parse_index(name + 1);
        if (k >= 0 && (uint32_t)k < w->n_clients) return (int32_t)w->n_nodes + k;
        return -1;
    }
    if (name[0] == 'n') {
        int32_t k = parse_index(name + 1) - (w->o.default_names ? 1 : 0);
        if (k >= 0 && (uint32_t)k < w->n_nodes && strcmp(w->ep[k].name, name) == 0) return k;
    }
    return -1;
}

static int build_nodes(struct world *w, char *err, size_t errlen)
{
    char(*names)[GL_ID_MAX] = calloc(w->o.node_count, GL_ID_MAX);
    if (!names) return -1;
    for (uint32_t i = 0; i < w->o.node_count; i++) {
        snprintf(names[i], GL_ID_MAX, "n%u", w->o.default_names ? i + 1 : i);
        if (add_endpoint(w, names[i], false) < 0) {
            free(names);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    w->n_nodes = w->o.node_count;
    int rc = topo_build(&w->topology, w->o.topology, w->n_nodes, (const char(*)[GL_ID_MAX])names,
                        -1, err, errlen);
    free(names);
    return rc;
}

static int check_opts(const struct world_opts *o, char *err, size_t errlen)
{
    if (o->node_count < 1 || o->node_count > GL_MAX_NODES) {
        snprintf(err, errlen, "node count %u out of range 1..%u", o->node_count, GL_MAX_NODES);
        return -1;
    }
    if (!(o->rate >= 0) || o->rate > 1e6) {
        snprintf(err, errlen, "rate %g out of range 0..1e6", o->rate);
        return -1;
    }
    if (o->nemesis_partition && !(o->nemesis_interval_s > 0)) {
        snprintf(err, errlen, "nemesis interval must be positive");
        return -1;
    }
    if (o->latency_ms == 0 && o->latency_dist != LATENCY_CONSTANT) {
        /* Maelstrom spins (uniform) or divides by zero (exponential) here (spec §3.1). */
        snprintf(err, errlen, "--latency-dist uniform/exponential needs --latency > 0");
        return -1;
    }
    if (o->concurrency > 100000) {
        snprintf(err, errlen, "concurrency %u too large", o->concurrency);
        return -1;
    }
    return 0;
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
    w->journal = opts->journal;
    w->journal_ctx = opts->journal_ctx;
    w->gen_wake_us = TIME_NEVER;
    heap_init(&w->events);
    topo_init(&w->topology);
    struct rng root;
    rng_seed(&root, w->o.seed);
    w->rng_setup = rng_split(&root);
    w->rng_gen = rng_split(&root);
    w->rng_lat = rng_split(&root);
    w->rng_nem = rng_split(&root);
    w->history = history_new();
    w->n_workers = w->o.concurrency;
    w->workers = calloc(w->n_workers, sizeof(*w->workers));
    if (!w->history || !w->workers || build_nodes(w, err, errlen) != 0 || network_init(w) != 0) {
        if (!err[0]) snprintf(err, errlen, "out of memory");
        world_free(w);
        return NULL;
    }
    for (uint32_t i = 0; i < w->n_workers; i++) {
        w->workers[i].node = i % w->n_nodes;
        w->workers[i].process = i;
        w->workers[i].client = -1;
    }
    return w;
}

void world_free(struct world *w)
{
    if (!w) return;
    network_release(w);
    free(w->ep);
    heap_release(&w->events);
    topo_release(&w->topology);
    free(w->workers);
    history_free(w->history);
    free(w->faults);
    free(w);
}

uint32_t world_node_count(const struct world *w)
{
    return w->n_nodes;
}

const char *world_node_name(const struct world *w, uint32_t node)
{
    return w->ep[node].name;
}

/* Ends the test once: what is still queued is journaled as undelivered, pending events drop. */
static void finish(struct world *w)
{
    if (w->finished) return;
    w->finished = true;
    w->phase = PH_DONE;
    network_drain_all(w);
    struct heap_entry he;
    while (heap_pop(&w->events, &he) == 0) {
    }
}

static void abort_test(struct world *w, enum world_abort why, const char *detail)
{
    if (w->abort_reason == WORLD_OK) {
        w->abort_reason = why;
        snprintf(w->abort_detail, sizeof(w->abort_detail), "%s", detail);
    }
    finish(w);
}

/* Opens one setup client per node, in random order (Maelstrom opens them in parallel). */
static void send_setup(struct world *w, enum msg_type type, time_us now_us)
{
    uint32_t n = w->n_nodes;
    uint32_t *order = malloc(n * sizeof(*order));
    if (!order) {
        abort_test(w, WORLD_INIT_FAILED, "out of memory");
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
    w->setup_first_ep = w->n_ep;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t node = order[i];
        int32_t c = world_open_client(w, -1);
        if (c < 0) break;
        w->ep[c].setup_node = node;
        struct msg m;
        msg_init(&m);
        m.type = type;
        snprintf(m.type_name, sizeof(m.type_name), "%s", msg_type_name(type));
        snprintf(m.src, sizeof(m.src), "%s", w->ep[c].name);
        snprintf(m.dest, sizeof(m.dest), "%s", w->ep[node].name);
        m.has_msg_id = true;
        m.msg_id = 1;
        if (type == MSG_INIT) {
            snprintf(m.node_id, sizeof(m.node_id), "%s", w->ep[node].name);
            m.node_ids = calloc(n, GL_ID_MAX);
            m.n_node_ids = m.node_ids ? n : 0;
            for (uint32_t k = 0; k < m.n_node_ids; k++)
                memcpy(m.node_ids[k], w->ep[k].name, GL_ID_MAX);
        } else {
            m.topology = &w->topology; /* borrowed: network never frees a topology message's map */
        }
        network_send(w, (uint32_t)c, node, &m, NULL, now_us);
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

static void setup_reply(struct world *w, uint32_t client, const struct msg *r, time_us now_us)
{
    struct endpoint *c = &w->ep[client];
    const char *node = w->ep[c->setup_node].name;
    bool init = w->phase == PH_INIT;
    enum msg_type want = init ? MSG_INIT_OK : MSG_TOPOLOGY_OK;
    if (!r->has_in_reply_to || r->in_reply_to != 1) return; /* not the reply: discarded */
    if (c->setup_done || client < w->setup_first_ep) return;
    if (r->type != want || (!init && (r->flags & MSG_F_EXTRA_KEYS))) {
        char why[512];
        snprintf(why, sizeof(why), "node %s answered %s with type '%s'%s%s", node,
                 init ? "init" : "topology", r->type_name, r->type == MSG_ERROR ? ": " : "",
                 r->type == MSG_ERROR ? r->text : "");
        abort_test(w, init ? WORLD_INIT_FAILED : WORLD_TOPOLOGY_FAILED, why);
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
        workload_start(w, now_us);
    }
}

void world_client_receive(struct world *w, uint32_t client, struct wmsg *m, time_us now_us)
{
    struct endpoint *c = &w->ep[client];
    if (c->worker < 0) {
        if (w->phase == PH_INIT || w->phase == PH_TOPOLOGY) setup_reply(w, client, &m->m, now_us);
        return;
    }
    struct worker *k = &w->workers[c->worker];
    if (k->client != (int32_t)client) return; /* an old client of this worker */
    workload_on_reply(w, (uint32_t)c->worker, &m->m, now_us);
}

static void on_setup_timeout(struct world *w, enum msg_type type)
{
    bool init = type == MSG_INIT;
    if (w->phase != (init ? PH_INIT : PH_TOPOLOGY)) return;
    char why[1024];
    size_t off = (size_t)snprintf(
        why, sizeof(why), "no %s reply within %llu ms from:", init ? "init_ok" : "topology_ok",
        (unsigned long long)((init ? w->o.init_timeout_us : w->o.op_timeout_us) / US_PER_MS));
    for (uint32_t i = w->setup_first_ep; i < w->n_ep && off < sizeof(why) - GL_ID_MAX - 2; i++) {
        const struct endpoint *c = &w->ep[i];
        if (c->worker < 0 && !c->setup_done)
            off += (size_t)snprintf(why + off, sizeof(why) - off, " %s", w->ep[c->setup_node].name);
    }
    abort_test(w, init ? WORLD_INIT_FAILED : WORLD_TOPOLOGY_FAILED, why);
}

static void run_event(struct world *w, const struct heap_entry *he)
{
    uint64_t arg = he->tag >> 8;
    switch ((enum ev_kind)(he->tag & 0xff)) {
    case EV_DELIVER:
        network_on_deliver_event(w, (uint32_t)arg, he->at_us);
        break;
    case EV_GEN:
        if (w->gen_wake_us == he->at_us) w->gen_wake_us = TIME_NEVER;
        workload_step(w, he->at_us);
        break;
    case EV_OP_TIMEOUT:
        workload_on_timeout(w, (uint32_t)(arg & 0xffffff), arg >> 24, he->at_us);
        break;
    case EV_SETUP_TIMEOUT:
        on_setup_timeout(w, (enum msg_type)arg);
        break;
    case EV_FINAL_READS:
        workload_final_reads(w, he->at_us);
        break;
    case EV_DRIVER:
        w->drv.on_timer(w->drv.ctx, arg, he->at_us);
        break;
    }
}

void world_advance(struct world *w, time_us now_us)
{
    if (now_us > w->now_us) w->now_us = now_us;
    const struct heap_entry *top;
    while (w->phase != PH_DONE && (top = heap_peek(&w->events)) && top->at_us <= now_us) {
        struct heap_entry he;
        heap_pop(&w->events, &he);
        /* Virtual time: events run at their own time; real time: never in the past. */
        if (he.at_us < w->now_us) he.at_us = w->now_us;
        run_event(w, &he);
    }
    if (w->phase == PH_DONE) finish(w);
}

time_us world_next_deadline_us(const struct world *w)
{
    const struct heap_entry *top = heap_peek(&w->events);
    return top ? top->at_us : TIME_NEVER;
}

bool world_done(const struct world *w)
{
    return w->phase == PH_DONE;
}

/* Validates a node's message like Maelstrom's network (spec §1.2, §1.6) and sends it. */
static void node_send(struct world *w, uint32_t node, struct msg *m, char *raw_body, time_us now_us)
{
    struct endpoint *e = &w->ep[node];
    int32_t src = world_find_endpoint(w, m->src);
    int32_t dest = world_find_endpoint(w, m->dest);
    const char *why = NULL;
    if (src < 0 || !w->ep[src].open)
        why = "unknown src";
    else if (dest < 0)
        why = "unknown dest";
    else if (!w->ep[dest].open)
        why = "dest is a closed client";
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
    network_send(w, (uint32_t)src, (uint32_t)dest, m, raw_body, now_us);
}

void world_on_node_msg(struct world *w, uint32_t node, struct msg *m, time_us now_us)
{
    if (w->phase == PH_DONE || w->ep[node].output_dead) {
        msg_release(m);
        return;
    }
    if (now_us > w->now_us) w->now_us = now_us;
    node_send(w, node, m, NULL, now_us);
}

void world_on_node_line(struct world *w, uint32_t node, const char *line, size_t len,
                        time_us now_us)
{
    struct endpoint *e = &w->ep[node];
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
    struct msg m;
    msg_init(&m);
    int32_t dest = world_find_endpoint(w, env.dest);
    char *raw = env.body;
    if (dest >= 0 && w->ep[dest].client) {
        /* Replies to clients are decoded fully: the world judges them (spec §1.5, §1.6(3)). */
        free(raw);
        raw = NULL;
        if (codec_decode(line, len, &m, err, sizeof(err)) != CODEC_OK) {
            /* A reply whose body breaks its schema: the op becomes indeterminate. */
            msg_release(&m);
            msg_init(&m);
            m.type = MSG_OTHER;
            m.flags |= MSG_F_EXTRA_KEYS;
            m.has_in_reply_to = env.has_in_reply_to;
            m.in_reply_to = env.in_reply_to;
        }
        m.has_id = false;
    } else {
        m.type = msg_type_from_name(env.type);
    }
    snprintf(m.src, sizeof(m.src), "%s", env.src);
    snprintf(m.dest, sizeof(m.dest), "%s", env.dest);
    snprintf(m.type_name, sizeof(m.type_name), "%s", env.type);
    node_send(w, node, &m, raw, now_us);
}

void world_node_crashed(struct world *w, uint32_t node, const char *what, time_us now_us)
{
    (void)now_us;
    char why[1024];
    snprintf(why, sizeof(why), "node %s crashed: %s", w->ep[node].name, what);
    abort_test(w, WORLD_NODE_CRASHED, why);
}

void world_interrupt(struct world *w, const char *why, time_us now_us)
{
    if (now_us > w->now_us) w->now_us = now_us;
    abort_test(w, WORLD_INTERRUPTED, why);
}

void world_driver_timer(struct world *w, time_us at_us, uint64_t tag)
{
    world_push_event(w, at_us, EV_DRIVER, tag);
}

void world_record_nemesis(struct world *w, bool start, const char *value, const char *result)
{
    time_us t = w->now_us - w->t0_us;
    history_nemesis(w->history, start, value, result, t);
}

enum world_abort world_abort_reason(const struct world *w, const char **detail)
{
    if (detail) *detail = w->abort_detail;
    return w->abort_reason;
}

const struct net_counts *world_net(const struct world *w)
{
    return &w->net;
}

const struct history *world_history(const struct world *w)
{
    return w->history;
}

const char *world_faults(const struct world *w)
{
    return w->faults ? w->faults : "";
}
