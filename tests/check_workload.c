/*
 * check_workload: proves the workload module runs Maelstrom's broadcast workload as Jepsen's
 * interpreter does (spec §2.4–§2.7, §3.3), against a scripted owner instead of the world: ops at
 * a given rate over the time limit fall in a tight range with consecutive values and the cutoff
 * respected; worker 0 gets two shares; timeouts fail reads and crash broadcasts, and a crashed
 * worker continues as process old + C with a new client (msg ids from 1 again); stale replies are
 * discarded; error and malformed replies complete as Maelstrom decides; the nemesis starts at
 * once and alternates start/stop, hands its owner each partition and records it, and heals at
 * the end; one final read per worker, all at once, after the recovery wait; the same rngs give
 * the same history. (The partitions' shapes: check_nemesis.)
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_invokes.h"
#include "check_run.h"
#include "heap.h"
#include "history.h"
#include "nemesis.h"
#include "workload.h"

#define MS(x)       ((time_us)(x)*US_PER_MS)
#define SEC(x)      ((time_us)(x)*US_PER_SEC)
#define MAX_NODES   25
#define MAX_CLIENTS 8192
#define MAX_PARTS   1024
#define CLIENT_BASE 1000 /* client ids are the owner's: offset them to prove they are opaque */

enum mode {
    REPLY_OK,     /* every request answered after reply_us */
    REPLY_NONE,   /* never answered */
    REPLY_ERRORS, /* reads: error 11 (definite), broadcasts: error 13 (crash, indefinite) */
    REPLY_EXTRA,  /* ok replies with a key outside the schema */
    SCRIPTED,     /* the test answers by hand */
};

struct reply_ev {
    uint32_t worker, client;
    struct msg m;
};

/* The workload's owner: a timer heap (data NULL: a workload timer; else a reply), clients. */
struct owner {
    struct workload *wl;
    struct history *h;
    struct heap ev;
    struct rng gen, nem;
    enum mode mode;
    time_us reply_us;
    uint32_t n_nodes;
    char names[MAX_NODES][GL_ID_MAX];
    uint32_t n_clients;
    int32_t client_worker[MAX_CLIENTS];
    bool client_open[MAX_CLIENTS];
    int64_t client_msg_id[MAX_CLIENTS];
    uint32_t renews_after_crash;
    struct msg last_sent;
    uint32_t last_client;
    uint64_t sends;
    uint32_t n_parts, heals, finished;
    uint8_t parts[MAX_PARTS][MAX_NODES * MAX_NODES];
    time_us now_us, finished_us;
};

static int32_t o_renew(void *ctx, uint32_t worker, int32_t old)
{
    struct owner *o = ctx;
    if (old >= 0) {
        uint32_t k = (uint32_t)old - CLIENT_BASE;
        ck_assert(o->client_open[k]);
        ck_assert_int_eq(o->client_worker[k], (int32_t)worker);
        o->client_open[k] = false;
        o->renews_after_crash++;
    }
    ck_assert_uint_lt(o->n_clients, MAX_CLIENTS);
    uint32_t k = o->n_clients++;
    o->client_worker[k] = (int32_t)worker;
    o->client_open[k] = true;
    return (int32_t)(k + CLIENT_BASE);
}

static void o_send(void *ctx, uint32_t client, uint32_t node, struct msg *m, time_us now_us)
{
    struct owner *o = ctx;
    uint32_t k = client - CLIENT_BASE;
    ck_assert_uint_lt(k, o->n_clients);
    ck_assert(o->client_open[k]);
    ck_assert_uint_eq(now_us, o->now_us);
    /* Worker t talks to node t mod N; msg ids count from 1 per client. */
    ck_assert_uint_eq(node, (uint32_t)o->client_worker[k] % o->n_nodes);
    ck_assert(m->has_msg_id);
    ck_assert_int_eq(m->msg_id, ++o->client_msg_id[k]);
    ck_assert(m->type == MSG_BROADCAST || m->type == MSG_READ);
    ck_assert_str_eq(m->type_name, msg_type_name(m->type));
    snprintf(m->src, sizeof(m->src), "c%u", k);
    snprintf(m->dest, sizeof(m->dest), "%s", o->names[node]);
    o->sends++;
    o->last_sent = *m;
    o->last_client = client;
    if (o->mode == REPLY_NONE || o->mode == SCRIPTED) return;
    struct reply_ev *r = calloc(1, sizeof(*r));
    ck_assert_ptr_nonnull(r);
    r->worker = (uint32_t)o->client_worker[k];
    r->client = client;
    bool read = m->type == MSG_READ;
    if (o->mode == REPLY_ERRORS) {
        msg_reply(&r->m, m, MSG_ERROR);
        r->m.code = read ? 11 : 13;
        snprintf(r->m.text, sizeof(r->m.text), "scripted");
    } else {
        msg_reply(&r->m, m, read ? MSG_READ_OK : MSG_BROADCAST_OK);
        if (o->mode == REPLY_EXTRA) r->m.flags |= MSG_F_EXTRA_KEYS;
    }
    snprintf(r->m.type_name, sizeof(r->m.type_name), "%s", msg_type_name(r->m.type));
    ck_assert_int_eq(heap_push(&o->ev, now_us + o->reply_us, r, 0), 0);
}

static void o_schedule(void *ctx, time_us at_us, uint64_t tag)
{
    struct owner *o = ctx;
    ck_assert_uint_ge(at_us, o->now_us);
    ck_assert_uint_lt(tag, (uint64_t)1 << 56);
    ck_assert_int_eq(heap_push(&o->ev, at_us, NULL, tag), 0);
}

static void o_partition(void *ctx, const uint8_t *cut)
{
    struct owner *o = ctx;
    ck_assert_uint_lt(o->n_parts, MAX_PARTS);
    memcpy(o->parts[o->n_parts++], cut, (size_t)o->n_nodes * o->n_nodes);
}

static void o_heal(void *ctx)
{
    struct owner *o = ctx;
    o->heals++;
}

static void o_fault(void *ctx, const char *what)
{
    (void)ctx;
    ck_abort_msg("unexpected fault: %s", what);
}

static void o_finished(void *ctx)
{
    struct owner *o = ctx;
    o->finished++;
    o->finished_us = o->now_us;
}

struct params {
    uint32_t nodes, workers;
    double rate;
    uint64_t time_limit_s;
    bool nemesis;
    double nemesis_interval_s;
    uint64_t seed_gen, seed_nem;
};

static struct owner *owner_new(const struct params *p, enum mode mode, time_us reply_us)
{
    struct owner *o = calloc(1, sizeof(*o));
    ck_assert_ptr_nonnull(o);
    ck_assert_uint_le(p->nodes, MAX_NODES);
    o->mode = mode;
    o->reply_us = reply_us;
    o->n_nodes = p->nodes;
    for (uint32_t i = 0; i < p->nodes; i++)
        snprintf(o->names[i], GL_ID_MAX, "n%u", i);
    heap_init(&o->ev);
    rng_seed(&o->gen, p->seed_gen);
    rng_seed(&o->nem, p->seed_nem);
    o->h = history_new();
    ck_assert_ptr_nonnull(o->h);
    struct workload_opts wo = {
        .n_nodes = p->nodes,
        .node_names = (const char(*)[GL_ID_MAX])o->names,
        .concurrency = p->workers,
        .rate = p->rate,
        .time_limit_s = p->time_limit_s,
        .nemesis_partition = p->nemesis,
        .nemesis_interval_s = p->nemesis_interval_s,
        .recovery_us = SEC(10),
        .op_timeout_us = SEC(5),
        .rng_gen = &o->gen,
        .rng_nem = &o->nem,
        .history = o->h,
    };
    struct workload_cbs cb = {
        .ctx = o,
        .renew_client = o_renew,
        .send = o_send,
        .schedule = o_schedule,
        .partition = o_partition,
        .heal = o_heal,
        .fault = o_fault,
        .finished = o_finished,
    };
    o->wl = workload_new(&wo, &cb);
    ck_assert_ptr_nonnull(o->wl);
    return o;
}

static void owner_free(struct owner *o)
{
    struct heap_entry he;
    while (heap_pop(&o->ev, &he) == 0) {
        struct reply_ev *r = he.data;
        if (r) msg_release(&r->m);
        free(r);
    }
    heap_release(&o->ev);
    workload_free(o->wl);
    history_free(o->h);
    free(o);
}

/* The relative time 0 and the main phase's start (the topology phase took 20 ms). */
#define T0    MS(50)
#define START MS(70)

/* Starts the main phase and runs every event until the workload is done. */
static void run(struct owner *o)
{
    o->now_us = START;
    workload_start(o->wl, T0, START);
    struct heap_entry he;
    while (!workload_done(o->wl) && heap_pop(&o->ev, &he) == 0) {
        ck_assert_uint_ge(he.at_us, o->now_us);
        o->now_us = he.at_us;
        struct reply_ev *r = he.data;
        if (!r) {
            workload_on_timer(o->wl, he.tag, he.at_us);
            continue;
        }
        workload_on_reply(o->wl, r->worker, r->client, &r->m, he.at_us);
        msg_release(&r->m);
        free(r);
    }
    ck_assert(workload_done(o->wl));
    ck_assert_uint_eq(o->finished, 1);
    ck_assert_uint_eq(workload_busy(o->wl), 0);
}

static int64_t rel_ns(time_us t)
{
    return (int64_t)(t - T0) * 1000;
}

START_TEST(ops_at_rate_within_time_limit)
{
    /* rate 100 for 20 s: gaps U[0, 20 ms) from each dispatch, mean 10 ms => ~2000 ops with a
     * standard deviation of ~26; [1850, 2150] is more than 5 sigma either side. */
    struct params p = { 25, 25, 100, 20, false, 10, (uint64_t)_i, 99 };
    struct owner *o = owner_new(&p, REPLY_OK, MS(1));
    run(o);
    struct inv_stats s = count_invokes(o->h);
    ck_assert_uint_ge(s.main_invokes, 1850);
    ck_assert_uint_le(s.main_invokes, 2150);
    ck_assert_int_eq(s.first_ns, rel_ns(START)); /* the first op at once */
    /* Every main-phase op is scheduled before the cutoff = first op + time limit. */
    ck_assert_int_lt(s.last_main_ns - s.first_ns, 20 * 1000000000LL);
    /* One final read per worker, all at once, after the 10 s recovery wait. */
    ck_assert_uint_eq(s.final_invokes, 25);
    ck_assert(s.finals_same_time);
    ck_assert_int_ge(s.final_ns - s.last_main_ns, 10 * 1000000000LL);
    ck_assert_int_eq((int64_t)(o->finished_us - T0) * 1000, s.final_ns + 1000000);
    /* Broadcast values are 0, 1, 2, ... in the order of issue. */
    int64_t next = 0;
    for (size_t i = 0; i < history_len(o->h); i++) {
        const struct hist_op *op = history_op(o->h, i);
        if (op->type == HT_INVOKE && op->f == HF_BROADCAST) ck_assert_int_eq(op->value, next++);
    }
    ck_assert_uint_eq((uint64_t)next, s.broadcasts);
    ck_assert_uint_eq(o->heals, 0);
    ck_assert_uint_eq(o->n_parts, 0);
    owner_free(o);
}
END_TEST

START_TEST(worker_zero_gets_two_shares)
{
    /* Immediate replies: the cursor over C+1 slots gives worker 0 ~2/(C+1) of the ops and every
     * other worker ~1/(C+1) (spec §2.4, §8.6). C = 5: 1/3 and 1/6. */
    struct params p = { 5, 5, 50, 60, false, 10, 7, 0 };
    struct owner *o = owner_new(&p, REPLY_OK, 0);
    run(o);
    uint64_t per[5] = { 0 }, total = 0;
    for (size_t i = 0; i < history_len(o->h); i++) {
        const struct hist_op *op = history_op(o->h, i);
        if (op->type != HT_INVOKE || op->final) continue;
        per[op->process % 5]++;
        total++;
    }
    ck_assert_uint_gt(total, 2500);
    ck_assert_double_eq_tol((double)per[0] / (double)total, 1.0 / 3.0, 0.02);
    for (int k = 1; k < 5; k++)
        ck_assert_double_eq_tol((double)per[k] / (double)total, 1.0 / 6.0, 0.02);
    owner_free(o);
}
END_TEST

START_TEST(timeouts_fail_reads_and_crash_broadcasts)
{
    /* No replies: after exactly 5 s reads :fail and broadcasts :info with :net-timeout. A :fail
     * keeps the process and the client; an :info makes the thread process old + C, and its next
     * op opens a new client (closing the old) whose msg ids start at 1 again. */
    struct params p = { 2, 3, 1, 60, false, 10, 3, 0 };
    struct owner *o = owner_new(&p, REPLY_NONE, 0);
    run(o);
    const struct history *h = o->h;
    int64_t inv_ns[64];
    bool crashed[3] = { false, false, false };
    int64_t process[3] = { 0, 1, 2 };
    uint64_t fails = 0, infos = 0, renews = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        ck_assert_int_lt(op->process, 64);
        uint32_t t = (uint32_t)(op->process % 3);
        if (op->type == HT_INVOKE) {
            ck_assert_int_eq(op->process, process[t]);
            if (crashed[t]) renews++;
            crashed[t] = false;
            inv_ns[op->process] = op->time_ns;
            continue;
        }
        ck_assert_int_eq(op->time_ns - inv_ns[op->process], 5 * 1000000000LL);
        ck_assert_str_eq(history_text(h, op->error_off), ":net-timeout");
        if (op->f == HF_READ) {
            ck_assert_int_eq(op->type, HT_FAIL);
            fails++;
        } else {
            ck_assert_int_eq(op->type, HT_INFO);
            infos++;
            crashed[t] = true;
            process[t] += 3;
        }
    }
    ck_assert_uint_gt(fails, 0);
    ck_assert_uint_gt(infos, 0);
    ck_assert_uint_gt(renews, 0);
    ck_assert_uint_eq(o->renews_after_crash, renews);
    /* First clients: one per worker; then one per renewal. */
    ck_assert_uint_eq(o->n_clients, 3 + renews);
    owner_free(o);
}
END_TEST

START_TEST(stale_replies_are_discarded)
{
    struct params p = { 1, 1, 1, 1, false, 10, 1, 0 };
    struct owner *o = owner_new(&p, SCRIPTED, 0);
    o->now_us = START;
    workload_start(o->wl, T0, START);
    ck_assert_uint_eq(history_len(o->h), 1);
    ck_assert_uint_eq(workload_busy(o->wl), 1);
    struct msg r;
    msg_reply(&r, &o->last_sent, o->last_sent.type == MSG_READ ? MSG_READ_OK : MSG_BROADCAST_OK);
    r.in_reply_to++; /* a reply to another request */
    workload_on_reply(o->wl, 0, o->last_client, &r, START);
    r.in_reply_to--;
    workload_on_reply(o->wl, 0, o->last_client + 1, &r, START); /* from another client */
    r.has_in_reply_to = false;
    workload_on_reply(o->wl, 0, o->last_client, &r, START);
    ck_assert_uint_eq(history_len(o->h), 1);
    r.has_in_reply_to = true;
    o->now_us = START + MS(3);
    workload_on_reply(o->wl, 0, o->last_client, &r, START + MS(3));
    ck_assert_uint_eq(history_len(o->h), 2);
    ck_assert_int_eq(history_op(o->h, 1)->type, HT_OK);
    ck_assert_int_eq(history_op(o->h, 1)->time_ns, rel_ns(START + MS(3)));
    /* The same reply again: the worker has nothing outstanding with that msg_id. */
    size_t n = history_len(o->h);
    workload_on_reply(o->wl, 0, o->last_client, &r, START + MS(3));
    ck_assert_uint_eq(history_len(o->h), n);
    owner_free(o);
}
END_TEST

/* Answers the outstanding request with error `code` and returns the completion record. */
static const struct hist_op *error_reply(struct owner *o, int64_t code, enum msg_type op_type)
{
    /* Issue ops until one of the wanted type is outstanding (time limit 1000 s, rate 1000). */
    for (int guard = 0; guard < 100 && o->last_sent.type != op_type; guard++) {
        struct msg ok;
        msg_reply(&ok, &o->last_sent,
                  o->last_sent.type == MSG_READ ? MSG_READ_OK : MSG_BROADCAST_OK);
        workload_on_reply(o->wl, 0, o->last_client, &ok, o->now_us);
        struct heap_entry he;
        while (workload_busy(o->wl) == 0 && heap_pop(&o->ev, &he) == 0) {
            if (he.data) continue;
            o->now_us = he.at_us;
            workload_on_timer(o->wl, he.tag, he.at_us);
        }
    }
    ck_assert_int_eq(o->last_sent.type, op_type);
    struct msg r;
    msg_reply(&r, &o->last_sent, MSG_ERROR);
    r.code = code;
    snprintf(r.type_name, sizeof(r.type_name), "error");
    snprintf(r.text, sizeof(r.text), "why");
    size_t n = history_len(o->h);
    workload_on_reply(o->wl, 0, o->last_client, &r, o->now_us);
    ck_assert_uint_gt(history_len(o->h), n);
    return history_op(o->h, n);
}

START_TEST(error_replies)
{
    /* Maelstrom's registry (spec §1.5): definite codes and any read error :fail; indefinite or
     * unknown codes on a broadcast are :info. */
    struct params p = { 1, 1, 1000, 1000, false, 10, 5, 0 };
    struct owner *o = owner_new(&p, SCRIPTED, 0);
    o->now_us = START;
    workload_start(o->wl, T0, START);
    static const struct {
        int64_t code;
        enum msg_type op;
        enum hist_type want;
        const char *error;
    } cases[] = {
        { 11, MSG_READ, HT_FAIL, "[:temporarily-unavailable \"why\"]" },
        { 13, MSG_READ, HT_FAIL, "[:crash \"why\"]" },
        { 11, MSG_BROADCAST, HT_FAIL, "[:temporarily-unavailable \"why\"]" },
        { 13, MSG_BROADCAST, HT_INFO, "[:crash \"why\"]" },
        { 0, MSG_BROADCAST, HT_INFO, "[:timeout \"why\"]" },
        { 1000, MSG_BROADCAST, HT_INFO, "[:unknown \"why\"]" },
        { 30, MSG_BROADCAST, HT_FAIL, "[:txn-conflict \"why\"]" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct hist_op *op = error_reply(o, cases[i].code, cases[i].op);
        ck_assert_int_eq(op->type, cases[i].want);
        ck_assert_str_eq(history_text(o->h, op->error_off), cases[i].error);
        /* Get a fresh op outstanding for the next case. */
        struct heap_entry he;
        while (workload_busy(o->wl) == 0 && heap_pop(&o->ev, &he) == 0) {
            if (he.data) continue;
            o->now_us = he.at_us;
            workload_on_timer(o->wl, he.tag, he.at_us);
        }
        ck_assert_uint_eq(workload_busy(o->wl), 1);
    }
    owner_free(o);
}
END_TEST

START_TEST(malformed_replies_are_indeterminate)
{
    struct params p = { 2, 2, 5, 10, false, 10, 0, 0 };
    struct owner *o = owner_new(&p, REPLY_EXTRA, MS(1));
    run(o);
    uint64_t completions = 0;
    for (size_t i = 0; i < history_len(o->h); i++) {
        const struct hist_op *op = history_op(o->h, i);
        if (op->type == HT_INVOKE) continue;
        completions++;
        ck_assert_int_eq(op->type, HT_INFO);
        ck_assert_ptr_nonnull(strstr(history_text(o->h, op->error_off), "indeterminate: "));
        ck_assert_str_eq(history_text(o->h, op->exc_class_off), "clojure.lang.ExceptionInfo");
        ck_assert_ptr_nonnull(
            strstr(history_text(o->h, op->exc_off), ":data {:type :malformed-rpc-response}"));
    }
    ck_assert_uint_gt(completions, 10);
    owner_free(o);

    o = owner_new(&p, REPLY_ERRORS, MS(1));
    run(o);
    for (size_t i = 0; i < history_len(o->h); i++) {
        const struct hist_op *op = history_op(o->h, i);
        if (op->type == HT_INVOKE) continue;
        ck_assert_int_eq(op->type, op->f == HF_READ ? HT_FAIL : HT_INFO);
        ck_assert_uint_eq(op->exc_off, HIST_NONE);
    }
    owner_free(o);
}
END_TEST

START_TEST(nemesis_alternates_and_heals_at_the_end)
{
    /* Partitions start at the very beginning of the main phase, alternate with heals at gaps
     * U[0, 2 x interval), and the end of the main phase always heals (spec §3.3), even right
     * after a heal. */
    struct params p = { 5, 5, 10, 20, true, 1, (uint64_t)_i, 100 + (uint64_t)_i };
    struct owner *o = owner_new(&p, REPLY_OK, MS(1));
    run(o);
    const struct history *h = o->h;
    enum hist_f seq[256];
    size_t n = 0;
    uint32_t starts_seen = 0;
    int64_t first_ns = -1, prev_ns = -1, max_gap_ns = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->process != HIST_NEMESIS) continue;
        ck_assert_int_eq(op->type, HT_INFO);
        /* Invocation and completion: two records at the same time. */
        ck_assert_uint_lt(i + 1, history_len(h));
        const struct hist_op *done = history_op(h, ++i);
        ck_assert_int_eq(done->process, HIST_NEMESIS);
        ck_assert_int_eq(done->f, op->f);
        ck_assert_int_eq(done->time_ns, op->time_ns);
        if (op->f == HF_START_PARTITION) {
            /* The shape's name, and the description of the cut the owner was handed. */
            static char want[4096];
            ck_assert_uint_lt(starts_seen, o->n_parts);
            nemesis_describe((const char(*)[GL_ID_MAX])o->names, o->n_nodes,
                             o->parts[starts_seen++], want, sizeof(want));
            ck_assert_ptr_nonnull(strstr(history_text(h, done->text_off), want));
            ck_assert_int_eq(history_text(h, op->text_off)[0], ':');
        }
        if (first_ns < 0) first_ns = op->time_ns;
        if (prev_ns >= 0 && op->time_ns - prev_ns > max_gap_ns) max_gap_ns = op->time_ns - prev_ns;
        prev_ns = op->time_ns;
        ck_assert_uint_lt(n, 256);
        seq[n++] = op->f;
    }
    ck_assert_int_eq(first_ns, rel_ns(START));
    ck_assert_uint_ge(n, 6);
    uint32_t starts = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        ck_assert_int_eq(seq[k], k % 2 ? HF_STOP_PARTITION : HF_START_PARTITION);
        starts += seq[k] == HF_START_PARTITION;
    }
    ck_assert_int_eq(seq[n - 1], HF_STOP_PARTITION); /* the final heal */
    ck_assert_uint_eq(o->n_parts, starts);
    ck_assert_uint_eq(o->heals, n - starts);
    /* The final reads come after the final heal and the recovery wait. */
    struct inv_stats s = count_invokes(h);
    ck_assert_int_eq(s.final_ns - prev_ns, 10 * 1000000000LL);
    /* Gaps are U[0, 2 s); the final heal comes at most a reply's time after the cutoff. */
    ck_assert_int_lt(max_gap_ns, 2010 * 1000000LL);
    owner_free(o);
}
END_TEST

START_TEST(final_reads_once_per_worker)
{
    /* 7 workers on 3 nodes: one final read per worker (not per node), all invoked at once after
     * the recovery wait, in a seeded random order; the workload finishes when the last one
     * completes. */
    int64_t first_final[8] = { 0 };
    bool orders_differ = false;
    for (uint64_t seed = 0; seed < 8; seed++) {
        struct params p = { 3, 7, 20, 5, false, 10, seed, 0 };
        struct owner *o = owner_new(&p, REPLY_OK, MS(2));
        run(o);
        const struct history *h = o->h;
        bool seen[7] = { false };
        int64_t first = -1, last_completion = -1;
        for (size_t i = 0; i < history_len(h); i++) {
            const struct hist_op *op = history_op(h, i);
            if (!op->final) continue;
            ck_assert_int_eq(op->f, HF_READ);
            if (op->type != HT_INVOKE) {
                last_completion = op->time_ns;
                continue;
            }
            if (first < 0) first = op->process % 7;
            ck_assert(!seen[op->process % 7]);
            seen[op->process % 7] = true;
        }
        for (int t = 0; t < 7; t++)
            ck_assert(seen[t]);
        ck_assert_int_eq(rel_ns(o->finished_us), last_completion);
        first_final[seed] = first;
        if (seed > 0 && first_final[seed] != first_final[0]) orders_differ = true;
        owner_free(o);
    }
    ck_assert(orders_differ);
}
END_TEST

START_TEST(no_ops_ends_main_phase_at_once)
{
    /* Rate 0 without a nemesis: nothing to emit, so the main phase ends at its start and the
     * final reads follow after the recovery wait. */
    struct params p = { 2, 2, 0, 20, false, 10, 0, 0 };
    struct owner *o = owner_new(&p, REPLY_OK, 0);
    run(o);
    struct inv_stats s = count_invokes(o->h);
    ck_assert_uint_eq(s.main_invokes, 0);
    ck_assert_uint_eq(s.final_invokes, 2);
    ck_assert_int_eq(s.final_ns, rel_ns(START + SEC(10)));
    ck_assert_uint_eq(o->heals, 0);
    owner_free(o);
}
END_TEST

static char *history_text_of(const struct history *h, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(history_write(h, HISTORY_JSON, f), 0);
    fclose(f);
    return buf;
}

START_TEST(same_rngs_same_history)
{
    struct params p = { 5, 5, 20, 10, true, 1, (uint64_t)_i, 7 };
    struct owner *a = owner_new(&p, REPLY_OK, MS(3));
    struct owner *b = owner_new(&p, REPLY_OK, MS(3));
    run(a);
    run(b);
    size_t la, lb;
    char *ha = history_text_of(a->h, &la), *hb = history_text_of(b->h, &lb);
    ck_assert_uint_eq(la, lb);
    ck_assert_int_eq(memcmp(ha, hb, la), 0);
    free(hb);
    owner_free(b);
    /* Without a nemesis its rng is never drawn: another nemesis seed changes nothing. */
    p.nemesis = false;
    p.seed_nem = 7;
    struct owner *c = owner_new(&p, REPLY_OK, MS(3));
    p.seed_nem = 8;
    struct owner *d = owner_new(&p, REPLY_OK, MS(3));
    struct rng nem_before = d->nem;
    run(c);
    run(d);
    size_t lc, ld;
    char *hc = history_text_of(c->h, &lc), *hd = history_text_of(d->h, &ld);
    ck_assert_uint_eq(lc, ld);
    ck_assert_int_eq(memcmp(hc, hd, lc), 0);
    ck_assert_int_eq(memcmp(&nem_before, &d->nem, sizeof(nem_before)), 0);
    ck_assert(lc != la || memcmp(ha, hc, la) != 0);
    free(ha);
    free(hc);
    free(hd);
    owner_free(a);
    owner_free(c);
    owner_free(d);
}
END_TEST

static Suite *workload_suite(void)
{
    Suite *s = suite_create("workload");
    TCase *tc = tcase_create("generator");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, ops_at_rate_within_time_limit, 0, 3);
    tcase_add_test(tc, worker_zero_gets_two_shares);
    tcase_add_test(tc, final_reads_once_per_worker);
    tcase_add_test(tc, no_ops_ends_main_phase_at_once);
    tcase_add_loop_test(tc, same_rngs_same_history, 0, 3);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("replies");
    tcase_add_test(tr, timeouts_fail_reads_and_crash_broadcasts);
    tcase_add_test(tr, stale_replies_are_discarded);
    tcase_add_test(tr, error_replies);
    tcase_add_test(tr, malformed_replies_are_indeterminate);
    suite_add_tcase(s, tr);
    TCase *tn = tcase_create("nemesis");
    tcase_set_timeout(tn, 60);
    tcase_add_loop_test(tn, nemesis_alternates_and_heals_at_the_end, 0, 3);
    suite_add_tcase(s, tn);
    return s;
}

int main(void)
{
    return check_run(workload_suite());
}
