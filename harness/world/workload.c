/*
 * workload: the broadcast workload's operation generator, client workers and the partition nemesis,
 * as Jepsen's interpreter runs them for Maelstrom (spec §2.4–§2.6, §3.3, checklist §8.5–§8.9):
 *   - one global 50/50 mix of broadcasts (values 0, 1, 2, ...) and reads;
 *   - stagger(1/rate): the next op is due U[0, 2/rate) after the *actual* dispatch of the last,
 *     and lateness (no free worker) is never made up;
 *   - worker choice by a cursor over C+1 slots (the last is the nemesis): worker 0 gets ~2/(C+1);
 *   - cutoff = first main-phase op + time limit; the phase ends when every worker is idle and
 *     nothing more could be scheduled before the cutoff;
 *   - then heal (with a nemesis), the recovery wait, and one final read per worker in random order.
 * Pure: told the time, never reads a clock; every draw from the world's seeded generators.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edn.h"
#include "history.h"
#include "world_int.h"

#include "banned.h"

static time_us stagger_gap_us(struct rng *r, double mean_s)
{
    /* U[0, 2 * mean): Jepsen's stagger doubles its argument (spec §2.4). */
    double span_us = 2.0 * mean_s * (double)US_PER_SEC;
    return (time_us)(rng_unit(r) * span_us);
}

void workload_start(struct world *w, time_us now_us)
{
    w->phase = PH_MAIN;
    w->next_client_us = now_us;
    w->next_nemesis_us = now_us;
    w->nemesis_next_start = true;
    w->cutoff_set = false;
    w->cursor = 0;
    workload_step(w, now_us);
}

/* The lowest free worker with index >= cursor, else the lowest free one; -1 if none. */
static int32_t pick_worker(const struct world *w)
{
    for (uint32_t i = w->cursor; i < w->n_workers; i++)
        if (!w->workers[i].busy) return (int32_t)i;
    for (uint32_t i = 0; i < w->cursor && i < w->n_workers; i++)
        if (!w->workers[i].busy) return (int32_t)i;
    return -1;
}

static void advance_cursor(struct world *w)
{
    w->cursor = (w->cursor + 1) % (w->n_workers + 1);
}

/* Sends worker's request for its current op and arms its timeout. */
static void invoke(struct world *w, uint32_t wi, time_us now_us)
{
    struct worker *k = &w->workers[wi];
    if (k->client < 0 || k->renew_client) {
        if (k->client >= 0) w->ep[k->client].open = false; /* closed at the next op (§1.6(2)) */
        k->client = world_open_client(w, (int32_t)wi);
        k->next_msg_id = 1;
        k->renew_client = false;
    }
    k->busy = true;
    w->busy_workers++;
    k->msg_id = k->next_msg_id++;
    k->serial = w->next_serial++;
    history_invoke(w->history, k->process, k->f == OP_BROADCAST ? HF_BROADCAST : HF_READ,
                   k->f == OP_BROADCAST, k->value, k->final, now_us - w->t0_us);

    struct msg m;
    msg_init(&m);
    m.type = k->f == OP_BROADCAST ? MSG_BROADCAST : MSG_READ;
    snprintf(m.type_name, sizeof(m.type_name), "%s", msg_type_name(m.type));
    m.message = k->value;
    m.has_msg_id = true;
    m.msg_id = k->msg_id;
    snprintf(m.src, sizeof(m.src), "%s", w->ep[k->client].name);
    snprintf(m.dest, sizeof(m.dest), "%s", w->ep[k->node].name);
    network_send(w, (uint32_t)k->client, k->node, &m, NULL, now_us);
    world_push_event(w, now_us + w->o.op_timeout_us, EV_OP_TIMEOUT,
                     (uint64_t)wi | (k->serial << 24));
}

static void dispatch_client_op(struct world *w, uint32_t wi, time_us now_us)
{
    struct worker *k = &w->workers[wi];
    k->final = false;
    if (rng_below(&w->rng_gen, 2) == 0) {
        k->f = OP_BROADCAST;
        k->value = w->next_value++;
    } else {
        k->f = OP_READ;
        k->value = 0;
    }
    w->next_client_us = now_us + stagger_gap_us(&w->rng_gen, 1.0 / w->o.rate);
    advance_cursor(w);
    invoke(w, wi, now_us);
}

/* Grudges over server nodes (spec §3.3); returns the spec's name of the shape. */
static const char *start_partition(struct world *w, char *desc, size_t desclen);

static void dispatch_nemesis_op(struct world *w, time_us now_us)
{
    char desc[2048] = "";
    if (w->nemesis_next_start) {
        const char *shape = start_partition(w, desc, sizeof(desc));
        world_record_nemesis(w, true, shape, desc);
    } else {
        network_heal(w);
        world_record_nemesis(w, false, NULL, "network-healed");
    }
    w->nemesis_next_start = !w->nemesis_next_start;
    w->next_nemesis_us = now_us + stagger_gap_us(&w->rng_nem, w->o.nemesis_interval_s);
    advance_cursor(w);
}

static void end_main_phase(struct world *w, time_us now_us)
{
    if (w->o.nemesis_partition) {
        network_heal(w);
        world_record_nemesis(w, false, NULL, "network-healed");
    }
    w->phase = PH_RECOVERY;
    world_push_event(w, now_us + w->o.recovery_us, EV_FINAL_READS, 0);
}

void workload_step(struct world *w, time_us now_us)
{
    while (w->phase == PH_MAIN) {
        int32_t free_worker = w->o.rate > 0 ? pick_worker(w) : -1;
        time_us tc = TIME_NEVER, tn = TIME_NEVER;
        if (free_worker >= 0) tc = w->next_client_us > now_us ? w->next_client_us : now_us;
        if (w->o.nemesis_partition) tn = w->next_nemesis_us > now_us ? w->next_nemesis_us : now_us;
        bool nemesis = tn < tc || (tn == tc && tn != TIME_NEVER && rng_below(&w->rng_gen, 2));
        time_us t = nemesis ? tn : tc;
        if (t == TIME_NEVER || (w->cutoff_set && t >= w->cutoff_us)) {
            /* Nothing can be emitted before the cutoff now. A busy worker may still free up
             * and make an op possible, so the phase ends only when every worker is idle. */
            if (w->busy_workers == 0) end_main_phase(w, now_us);
            return;
        }
        if (t > now_us) {
            if (w->gen_wake_us != t) {
                w->gen_wake_us = t;
                world_push_event(w, t, EV_GEN, 0);
            }
            return;
        }
        if (!w->cutoff_set) {
            w->cutoff_set = true;
            w->cutoff_us = now_us + w->o.time_limit_s * US_PER_SEC;
        }
        if (nemesis)
            dispatch_nemesis_op(w, now_us);
        else
            dispatch_client_op(w, (uint32_t)free_worker, now_us);
    }
}

/*
 * Maelstrom records a malformed reply as an :info op carrying a clojure.lang.ExceptionInfo of
 * type :malformed-rpc-response, which its :exceptions checker groups (spec §5.5): do the same.
 */
static void attach_exception(struct world *w, const char *message)
{
    char *quoted = edn_quote(message, strlen(message));
    if (!quoted) return;
    size_t len = strlen(quoted) + 128;
    char *exc = malloc(len);
    if (exc) {
        snprintf(exc, len,
                 "{:via [{:type clojure.lang.ExceptionInfo, :message %s, "
                 ":data {:type :malformed-rpc-response}}]}",
                 quoted);
        if (history_set_exception(w->history, history_len(w->history) - 1, exc) != 0)
            world_fault(w, "out of memory recording an exception");
    }
    free(exc);
    free(quoted);
}

static void complete(struct world *w, uint32_t wi, enum hist_type type, const struct msg *reply,
                     const char *error, const char *exception, time_us now_us)
{
    struct worker *k = &w->workers[wi];
    enum hist_f f = k->f == OP_BROADCAST ? HF_BROADCAST : HF_READ;
    const struct msg_values *vals = type == HT_OK && k->f == OP_READ ? &reply->values : NULL;
    if (history_complete(w->history, k->process, type, f, k->f == OP_BROADCAST, k->value, vals,
                         k->final, error, now_us - w->t0_us) != 0)
        world_fault(w, "out of memory recording the history");
    else if (exception)
        attach_exception(w, exception);
    if (type == HT_INFO) {
        /* A crashed process: the thread continues as a new process with a new client. */
        k->process += (int64_t)w->n_workers;
        k->renew_client = true;
    }
    k->busy = false;
    w->busy_workers--;
    workload_op_completed(w, wi, now_us);
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

void workload_on_reply(struct world *w, uint32_t wi, const struct msg *reply, time_us now_us)
{
    struct worker *k = &w->workers[wi];
    if (!k->busy || !reply->has_in_reply_to || reply->in_reply_to != k->msg_id)
        return; /* a late reply to an earlier request: discarded (spec §1.5) */
    char error[GL_MAX_TEXT + 64];
    if (reply->type == MSG_ERROR) {
        bool definite;
        const char *name = error_name(reply->code, &definite);
        snprintf(error, sizeof(error), "[:%s \"%s\"]", name, reply->text);
        bool fail = definite || k->f == OP_READ;
        complete(w, wi, fail ? HT_FAIL : HT_INFO, reply, error, NULL, now_us);
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
        complete(w, wi, HT_INFO, reply, error, why, now_us);
        return;
    }
    complete(w, wi, HT_OK, reply, NULL, NULL, now_us);
}

void workload_on_timeout(struct world *w, uint32_t wi, uint64_t serial, time_us now_us)
{
    struct worker *k = &w->workers[wi];
    if (!k->busy || (k->serial & 0xffffffffu) != serial) return;
    /* No reply within 5 s: reads fail (idempotent), broadcasts are indeterminate. */
    complete(w, wi, k->f == OP_READ ? HT_FAIL : HT_INFO, NULL, ":net-timeout", NULL, now_us);
}

void workload_op_completed(struct world *w, uint32_t wi, time_us now_us)
{
    (void)wi;
    if (w->phase == PH_MAIN)
        workload_step(w, now_us);
    else if (w->phase == PH_FINAL && w->busy_workers == 0)
        w->phase = PH_DONE;
}

void workload_final_reads(struct world *w, time_us now_us)
{
    w->phase = PH_FINAL;
    /* All final reads are due at once; Jepsen breaks the tie randomly (spec §2.6). */
    uint32_t *order = malloc(w->n_workers * sizeof(*order));
    if (!order) {
        world_fault(w, "out of memory for the final reads");
        w->phase = PH_DONE;
        return;
    }
    for (uint32_t i = 0; i < w->n_workers; i++)
        order[i] = i;
    for (uint32_t i = w->n_workers; i > 1; i--) {
        uint32_t j = (uint32_t)rng_below(&w->rng_gen, i);
        uint32_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < w->n_workers; i++) {
        struct worker *k = &w->workers[order[i]];
        k->f = OP_READ;
        k->final = true;
        k->value = 0;
        invoke(w, order[i], now_us);
    }
    free(order);
    if (w->busy_workers == 0) w->phase = PH_DONE;
}

/* ---- the partition nemesis -------------------------------------------------------------- */

static void shuffle(struct rng *r, uint32_t *v, uint32_t n)
{
    for (uint32_t i = n; i > 1; i--) {
        uint32_t j = (uint32_t)rng_below(r, i);
        uint32_t t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* Complete split: every node ignores every node of the other side. */
static void split(struct world *w, const uint32_t *v, uint32_t n, uint32_t first)
{
    for (uint32_t a = 0; a < n; a++)
        for (uint32_t b = 0; b < n; b++)
            if ((a < first) != (b < first)) network_cut(w, v[a], v[b]);
}

/* Every node hears only the nodes marked in hear[node * n + other] (plus itself). */
static void hear_only(struct world *w, const uint8_t *hear)
{
    uint32_t n = w->n_nodes;
    for (uint32_t d = 0; d < n; d++)
        for (uint32_t s = 0; s < n; s++)
            if (s != d && !hear[(size_t)d * n + s]) network_cut(w, d, s);
}

static void ring_small(const uint32_t *v, uint32_t n, uint8_t *hear)
{
    /* N <= 5: a ring; each window of m consecutive nodes lets its middle node hear the window. */
    uint32_t m = n / 2 + 1;
    for (uint32_t start = 0; start < n; start++) {
        uint32_t mid = v[(start + m / 2) % n];
        for (uint32_t k = 0; k < m; k++)
            hear[(size_t)mid * n + v[(start + k) % n]] = 1;
    }
}

static void ring_large(struct world *w, uint32_t n, uint8_t *hear)
{
    /* N > 5: link least-connected pairs at random until each node's degree, counting itself,
     * reaches a majority m; each node hears only its neighbours. */
    uint32_t m = n / 2 + 1;
    uint32_t *deg = calloc(n, sizeof(*deg));
    uint32_t *cand = malloc(n * sizeof(*cand));
    if (!deg || !cand) goto out;
    for (uint32_t i = 0; i < n; i++) {
        hear[(size_t)i * n + i] = 1;
        deg[i] = 1;
    }
    for (;;) {
        uint32_t lo = UINT32_MAX, nc = 0;
        for (uint32_t i = 0; i < n; i++)
            if (deg[i] < lo) lo = deg[i];
        if (lo >= m) break;
        for (uint32_t i = 0; i < n; i++)
            if (deg[i] == lo) cand[nc++] = i;
        uint32_t a = cand[rng_below(&w->rng_nem, nc)];
        /* Partner: a least-connected node not yet linked to a. */
        uint32_t best = UINT32_MAX, np = 0;
        for (uint32_t i = 0; i < n; i++)
            if (!hear[(size_t)a * n + i] && deg[i] < best) best = deg[i];
        if (best == UINT32_MAX) break;
        for (uint32_t i = 0; i < n; i++)
            if (!hear[(size_t)a * n + i] && deg[i] == best) cand[np++] = i;
        uint32_t b = cand[rng_below(&w->rng_nem, np)];
        hear[(size_t)a * n + b] = hear[(size_t)b * n + a] = 1;
        deg[a]++;
        deg[b]++;
    }
out:
    free(deg);
    free(cand);
}

static void describe(struct world *w, char *desc, size_t desclen)
{
    /* Like Jepsen's [:isolated {"n2" #{"n1" ...}}]: each node and the nodes it ignores. */
    size_t off = 0;
    uint32_t n = w->n_nodes;
    for (uint32_t d = 0; d < n && off + 1 < desclen; d++) {
        bool any = false;
        for (uint32_t s = 0; s < n && off + 1 < desclen; s++) {
            if (!w->cut[(size_t)d * n + s]) continue;
            int k = snprintf(desc + off, desclen - off, "%s%s%s", any ? "," : (off ? ";" : ""),
                             any ? "" : w->ep[d].name, any ? "" : ":");
            if (k > 0) off += (size_t)k;
            k = snprintf(desc + off, desclen - off, "%s", w->ep[s].name);
            if (k > 0) off += (size_t)k;
            any = true;
        }
    }
    if (off >= desclen && desclen > 4) memcpy(desc + desclen - 4, "...", 4);
}

static const char *start_partition(struct world *w, char *desc, size_t desclen)
{
    uint32_t n = w->n_nodes;
    uint32_t *v = malloc(n * sizeof(*v));
    uint8_t *hear = calloc((size_t)n * n, 1);
    const char *shape = "majority";
    if (!v || !hear) {
        world_fault(w, "out of memory starting a partition");
        free(v);
        free(hear);
        return "none";
    }
    for (uint32_t i = 0; i < n; i++)
        v[i] = i;
    network_heal(w);
    switch (rng_below(&w->rng_nem, 4)) {
    case 0:
        shape = "one";
        shuffle(&w->rng_nem, v, n);
        split(w, v, n, 1);
        break;
    case 1:
        shape = "minority-third";
        shuffle(&w->rng_nem, v, n);
        split(w, v, n, (n - 1) / 3);
        break;
    case 2:
        shape = "majority";
        shuffle(&w->rng_nem, v, n);
        split(w, v, n, n / 2);
        break;
    default:
        shape = "majorities-ring";
        if (n <= 5) {
            shuffle(&w->rng_nem, v, n);
            ring_small(v, n, hear);
        } else {
            ring_large(w, n, hear);
        }
        hear_only(w, hear);
        break;
    }
    describe(w, desc, desclen);
    free(v);
    free(hear);
    return shape;
}
