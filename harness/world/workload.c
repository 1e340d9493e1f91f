/*
 * workload: the broadcast workload's generator, client workers and partition nemesis (spec
 * §2.4–§2.7, §3.3); the contract is in workload.h. It is not the world: it never touches the
 * network or the endpoints itself, only asks its owner through struct workload_cbs.
 * Pure: told the time, never reads a clock, never does IO; every draw from the rngs passed in.
 */
#include "workload.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edn.h"
#include "history.h"
#include "nemesis.h"
#include "strbuf.h"

#include "banned.h"

/* Timer tags: the kind in the low 4 bits (see tag_timeout for the rest). */
enum timer_kind {
    T_GEN,         /* the generator may have an op due */
    T_OP_TIMEOUT,  /* worker << 4 | serial << 24 */
    T_FINAL_READS, /* the recovery wait is over */
};

enum phase {
    PH_IDLE,     /* before workload_start */
    PH_MAIN,     /* ops and nemesis until the cutoff */
    PH_RECOVERY, /* healed, waiting before the final reads */
    PH_FINAL,    /* final reads outstanding */
    PH_DONE,
};

enum op_f {
    OP_BROADCAST,
    OP_READ,
};

/* A client worker thread (spec §2.4): bound to node thread mod N for life. */
struct worker {
    uint32_t node;
    int64_t process;
    int32_t client;      /* the owner's client id, or -1 before the first op */
    bool renew_client;   /* the last op crashed (:info): open a new client next time */
    int64_t next_msg_id; /* per client, from 1 */
    bool busy;
    bool final;
    enum op_f f;
    int64_t value;
    int64_t msg_id;
    uint64_t serial; /* distinguishes this op's timeout from older ones */
};

struct workload {
    struct workload_opts o;
    struct workload_cbs cb;
    enum phase phase;
    time_us t0_us;
    struct worker *workers;
    uint32_t n_workers;
    uint32_t cursor; /* over n_workers + 1 slots: the last one is the nemesis */
    time_us next_client_us;
    time_us next_nemesis_us;
    bool nemesis_next_start;
    bool cutoff_set;
    time_us cutoff_us;
    int64_t next_value;
    uint64_t next_serial;
    uint32_t busy_workers;
    time_us gen_wake_us; /* the T_GEN timer already armed, or TIME_NEVER */
};

#define WORKERS_MAX (1u << 20) /* the worker index in a timeout tag has 20 bits */

struct workload *workload_new(const struct workload_opts *opts, const struct workload_cbs *cbs)
{
    assert(opts->concurrency >= 1 && opts->concurrency <= WORKERS_MAX && opts->n_nodes >= 1);
    struct workload *wl = calloc(1, sizeof(*wl));
    if (!wl) return NULL;
    wl->o = *opts;
    wl->cb = *cbs;
    wl->gen_wake_us = TIME_NEVER;
    wl->n_workers = opts->concurrency;
    wl->workers = calloc(wl->n_workers, sizeof(*wl->workers));
    if (!wl->workers) {
        free(wl);
        return NULL;
    }
    for (uint32_t i = 0; i < wl->n_workers; i++) {
        wl->workers[i].node = i % opts->n_nodes;
        wl->workers[i].process = i;
        wl->workers[i].client = -1;
    }
    return wl;
}

void workload_free(struct workload *wl)
{
    if (!wl) return;
    free(wl->workers);
    free(wl);
}

bool workload_done(const struct workload *wl)
{
    return wl->phase == PH_DONE;
}

uint32_t workload_busy(const struct workload *wl)
{
    return wl->busy_workers;
}

static void finish(struct workload *wl)
{
    wl->phase = PH_DONE;
    wl->cb.finished(wl->cb.ctx);
}

static time_us stagger_gap_us(struct rng *r, double mean_s)
{
    /* U[0, 2 * mean): Jepsen's stagger doubles its argument (spec §2.4). */
    double span_us = 2.0 * mean_s * (double)US_PER_SEC;
    return (time_us)(rng_unit(r) * span_us);
}

static void step(struct workload *wl, time_us now_us);

void workload_start(struct workload *wl, time_us t0_us, time_us now_us)
{
    wl->t0_us = t0_us;
    wl->phase = PH_MAIN;
    wl->next_client_us = now_us;
    wl->next_nemesis_us = now_us;
    wl->nemesis_next_start = true;
    wl->cutoff_set = false;
    wl->cursor = 0;
    step(wl, now_us);
}

/* The lowest free worker with index >= cursor, else the lowest free one; -1 if none. */
static int32_t pick_worker(const struct workload *wl)
{
    for (uint32_t i = wl->cursor; i < wl->n_workers; i++)
        if (!wl->workers[i].busy) return (int32_t)i;
    for (uint32_t i = 0; i < wl->cursor && i < wl->n_workers; i++)
        if (!wl->workers[i].busy) return (int32_t)i;
    return -1;
}

static void advance_cursor(struct workload *wl)
{
    wl->cursor = (wl->cursor + 1) % (wl->n_workers + 1);
}

/* Sends worker's request for its current op and arms its timeout. */
static void invoke(struct workload *wl, uint32_t wi, time_us now_us)
{
    struct worker *k = &wl->workers[wi];
    if (k->client < 0 || k->renew_client) {
        k->client = wl->cb.renew_client(wl->cb.ctx, wi, k->client);
        k->next_msg_id = 1;
        k->renew_client = false;
        if (k->client < 0) return;
    }
    k->busy = true;
    wl->busy_workers++;
    k->msg_id = k->next_msg_id++;
    k->serial = wl->next_serial++;
    history_invoke(wl->o.history, k->process, k->f == OP_BROADCAST ? HF_BROADCAST : HF_READ,
                   k->f == OP_BROADCAST, k->value, k->final, now_us - wl->t0_us);

    struct msg m;
    msg_init(&m);
    msg_set_type(&m, k->f == OP_BROADCAST ? MSG_BROADCAST : MSG_READ);
    m.message = k->value;
    m.has_msg_id = true;
    m.msg_id = k->msg_id;
    wl->cb.send(wl->cb.ctx, (uint32_t)k->client, k->node, &m, now_us);
    uint64_t tag = T_OP_TIMEOUT | (uint64_t)wi << 4 | (k->serial & 0xffffffffu) << 24;
    wl->cb.schedule(wl->cb.ctx, now_us + wl->o.op_timeout_us, tag);
}

static void dispatch_client_op(struct workload *wl, uint32_t wi, time_us now_us)
{
    struct worker *k = &wl->workers[wi];
    k->final = false;
    if (rng_below(wl->o.rng_gen, 2) == 0) {
        k->f = OP_BROADCAST;
        k->value = wl->next_value++;
    } else {
        k->f = OP_READ;
        k->value = 0;
    }
    wl->next_client_us = now_us + stagger_gap_us(wl->o.rng_gen, 1.0 / wl->o.rate);
    advance_cursor(wl);
    invoke(wl, wi, now_us);
}

static void record_nemesis(struct workload *wl, bool start, const char *value, const char *result,
                           time_us now_us)
{
    history_nemesis(wl->o.history, start, value, result, now_us - wl->t0_us);
}

/*
 * Starts a partition of one of the spec's shapes (nemesis.h) and describes it in desc; returns
 * the shape's name ("none" when memory ran out: then nothing changes).
 */
static const char *start_partition(struct workload *wl, char *desc, size_t desclen)
{
    uint32_t n = wl->o.n_nodes;
    uint8_t *cut = calloc((size_t)n * n, 1);
    const char *shape = cut ? nemesis_grudge(wl->o.rng_nem, n, cut) : NULL;
    if (!shape) {
        wl->cb.fault(wl->cb.ctx, "out of memory starting a partition");
        free(cut);
        return "none";
    }
    wl->cb.partition(wl->cb.ctx, cut);
    nemesis_describe(wl->o.node_names, n, cut, desc, desclen);
    free(cut);
    return shape;
}

static void dispatch_nemesis_op(struct workload *wl, time_us now_us)
{
    char desc[2048] = "";
    if (wl->nemesis_next_start) {
        const char *shape = start_partition(wl, desc, sizeof(desc));
        record_nemesis(wl, true, shape, desc, now_us);
    } else {
        wl->cb.heal(wl->cb.ctx);
        record_nemesis(wl, false, NULL, "network-healed", now_us);
    }
    wl->nemesis_next_start = !wl->nemesis_next_start;
    wl->next_nemesis_us = now_us + stagger_gap_us(wl->o.rng_nem, wl->o.nemesis_interval_s);
    advance_cursor(wl);
}

static void end_main_phase(struct workload *wl, time_us now_us)
{
    if (wl->o.nemesis_partition) {
        wl->cb.heal(wl->cb.ctx);
        record_nemesis(wl, false, NULL, "network-healed", now_us);
    }
    wl->phase = PH_RECOVERY;
    wl->cb.schedule(wl->cb.ctx, now_us + wl->o.recovery_us, T_FINAL_READS);
}

/* Emits every op due now, then arms the generator's timer for the next one (spec §2.4, §2.5). */
static void step(struct workload *wl, time_us now_us)
{
    while (wl->phase == PH_MAIN) {
        int32_t free_worker = wl->o.rate > 0 ? pick_worker(wl) : -1;
        time_us tc = TIME_NEVER, tn = TIME_NEVER;
        if (free_worker >= 0) tc = wl->next_client_us > now_us ? wl->next_client_us : now_us;
        if (wl->o.nemesis_partition)
            tn = wl->next_nemesis_us > now_us ? wl->next_nemesis_us : now_us;
        bool nemesis = tn < tc || (tn == tc && tn != TIME_NEVER && rng_below(wl->o.rng_gen, 2));
        time_us t = nemesis ? tn : tc;
        if (t == TIME_NEVER || (wl->cutoff_set && t >= wl->cutoff_us)) {
            /* Nothing can be emitted before the cutoff now. A busy worker may still free up
             * and make an op possible, so the phase ends only when every worker is idle. */
            if (wl->busy_workers == 0) end_main_phase(wl, now_us);
            return;
        }
        if (t > now_us) {
            if (wl->gen_wake_us != t) {
                wl->gen_wake_us = t;
                wl->cb.schedule(wl->cb.ctx, t, T_GEN);
            }
            return;
        }
        if (!wl->cutoff_set) {
            wl->cutoff_set = true;
            wl->cutoff_us = now_us + wl->o.time_limit_s * US_PER_SEC;
        }
        if (nemesis)
            dispatch_nemesis_op(wl, now_us);
        else
            dispatch_client_op(wl, (uint32_t)free_worker, now_us);
    }
}

/*
 * Maelstrom records a malformed reply as an :info op carrying a clojure.lang.ExceptionInfo of
 * type :malformed-rpc-response, which its :exceptions checker groups (spec §5.5): do the same.
 */
static void attach_exception(struct workload *wl, const char *message)
{
    char *quoted = edn_quote(message, strlen(message));
    if (!quoted) return;
    struct strbuf exc = STRBUF_INIT;
    strbuf_addf(&exc,
                "{:via [{:type clojure.lang.ExceptionInfo, :message %s, "
                ":data {:type :malformed-rpc-response}}]}",
                quoted);
    if (!exc.failed &&
        history_set_exception(wl->o.history, history_len(wl->o.history) - 1, strbuf_str(&exc)) != 0)
        wl->cb.fault(wl->cb.ctx, "out of memory recording an exception");
    strbuf_release(&exc);
    free(quoted);
}

static void op_completed(struct workload *wl, time_us now_us)
{
    if (wl->phase == PH_MAIN)
        step(wl, now_us);
    else if (wl->phase == PH_FINAL && wl->busy_workers == 0)
        finish(wl);
}

static void complete(struct workload *wl, uint32_t wi, enum hist_type type, const struct msg *reply,
                     const char *error, const char *exception, time_us now_us)
{
    struct worker *k = &wl->workers[wi];
    enum hist_f f = k->f == OP_BROADCAST ? HF_BROADCAST : HF_READ;
    const struct msg_values *vals = type == HT_OK && k->f == OP_READ ? &reply->values : NULL;
    if (history_complete(wl->o.history, k->process, type, f, k->f == OP_BROADCAST, k->value, vals,
                         k->final, error, now_us - wl->t0_us) != 0)
        wl->cb.fault(wl->cb.ctx, "out of memory recording the history");
    else if (exception)
        attach_exception(wl, exception);
    if (type == HT_INFO) {
        /* A crashed process: the thread continues as a new process with a new client. */
        k->process += (int64_t)wl->n_workers;
        k->renew_client = true;
    }
    k->busy = false;
    wl->busy_workers--;
    op_completed(wl, now_us);
}

/* Maelstrom's error registry (spec §1.5): definite codes; unknown codes are indefinite. */
static const char *error_name(int64_t code, bool *definite)
{
    static const struct {
        int64_t code;
        const char *name;
        bool definite;
    } table[] = {
        { 0, "timeout", false },
        { 1, "node-not-found", true },
        { 10, "not-supported", true },
        { 11, "temporarily-unavailable", true },
        { 12, "malformed-request", true },
        { 13, "crash", false },
        { 14, "abort", true },
        { 20, "key-does-not-exist", true },
        { 21, "key-already-exists", true },
        { 22, "precondition-failed", true },
        { 30, "txn-conflict", true },
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (table[i].code == code) {
            *definite = table[i].definite;
            return table[i].name;
        }
    }
    *definite = false;
    return "unknown";
}

void workload_on_reply(struct workload *wl, uint32_t wi, uint32_t client, const struct msg *reply,
                       time_us now_us)
{
    assert(wi < wl->n_workers);
    struct worker *k = &wl->workers[wi];
    if (k->client != (int32_t)client) return; /* an old client of this worker */
    if (!k->busy || !reply->has_in_reply_to || reply->in_reply_to != k->msg_id)
        return; /* a late reply to an earlier request: discarded (spec §1.5) */
    /* Room for the node's text quoted (at most 6 bytes a byte, as \u00XX) and an error name. */
    char error[GL_MAX_TEXT * 6 + 64];
    if (reply->type == MSG_ERROR) {
        bool definite;
        const char *name = error_name(reply->code, &definite);
        /* The node's text is escaped: a '"' or ';' in it must not end the EDN string. */
        char *quoted = edn_quote(reply->text, strlen(reply->text));
        snprintf(error, sizeof(error), "[:%s %s]", name, quoted ? quoted : "\"\"");
        free(quoted);
        bool fail = definite || k->f == OP_READ;
        complete(wl, wi, fail ? HT_FAIL : HT_INFO, reply, error, NULL, now_us);
        return;
    }
    enum msg_type want = k->f == OP_BROADCAST ? MSG_BROADCAST_OK : MSG_READ_OK;
    if (reply->type != want || (reply->flags & MSG_F_EXTRA_KEYS)) {
        /* Closed reply schemas (spec §1.6(3)): the op is indeterminate. */
        char why[GL_MAX_TEXT];
        snprintf(
            why, sizeof(why), "Malformed RPC response from %s: expected %s, received type '%s'%s",
            reply->src, msg_type_name(want), reply->type_name,
            (reply->flags & MSG_F_EXTRA_KEYS) ? " with keys or values outside its schema" : "");
        snprintf(error, sizeof(error), "indeterminate: %s", why);
        complete(wl, wi, HT_INFO, reply, error, why, now_us);
        return;
    }
    complete(wl, wi, HT_OK, reply, NULL, NULL, now_us);
}

static void on_timeout(struct workload *wl, uint32_t wi, uint64_t serial, time_us now_us)
{
    struct worker *k = &wl->workers[wi];
    if (!k->busy || (k->serial & 0xffffffffu) != serial) return;
    /* No reply within 5 s: reads fail (idempotent), broadcasts are indeterminate. */
    complete(wl, wi, k->f == OP_READ ? HT_FAIL : HT_INFO, NULL, ":net-timeout", NULL, now_us);
}

static void final_reads(struct workload *wl, time_us now_us)
{
    wl->phase = PH_FINAL;
    /* All final reads are due at once; Jepsen breaks the tie randomly (spec §2.6). */
    uint32_t *order = malloc(wl->n_workers * sizeof(*order));
    if (!order) {
        wl->cb.fault(wl->cb.ctx, "out of memory for the final reads");
        finish(wl);
        return;
    }
    for (uint32_t i = 0; i < wl->n_workers; i++)
        order[i] = i;
    for (uint32_t i = wl->n_workers; i > 1; i--) {
        uint32_t j = (uint32_t)rng_below(wl->o.rng_gen, i);
        uint32_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < wl->n_workers; i++) {
        struct worker *k = &wl->workers[order[i]];
        k->f = OP_READ;
        k->final = true;
        k->value = 0;
        invoke(wl, order[i], now_us);
    }
    free(order);
    if (wl->busy_workers == 0) finish(wl);
}

void workload_on_timer(struct workload *wl, uint64_t tag, time_us now_us)
{
    switch ((enum timer_kind)(tag & 0xf)) {
    case T_GEN:
        if (wl->gen_wake_us == now_us) wl->gen_wake_us = TIME_NEVER;
        step(wl, now_us);
        break;
    case T_OP_TIMEOUT:
        on_timeout(wl, (uint32_t)((tag >> 4) & (WORKERS_MAX - 1)), tag >> 24, now_us);
        break;
    case T_FINAL_READS:
        if (wl->phase == PH_RECOVERY) final_reads(wl, now_us);
        break;
    }
}
