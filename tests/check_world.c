/*
 * check_world: proves the harness world reproduces Maelstrom's test semantics (spec §1–§3, §8):
 * the generator's rate, value sequence, worker skew and cutoff; one final read per worker after
 * the recovery wait; client messages = 2 x ops + 4 x nodes; head-of-line blocking; timeouts and
 * malformed replies turned into :fail/:info with new processes and clients; init failures; the
 * partition nemesis losing values without acks and none with them; byte-identical runs per seed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "check_invokes.h"
#include "check_run.h"
#include "checker.h"
#include "drv_virt.h"
#include "history.h"
#include "world.h"

static struct world_opts small_opts(uint32_t nodes, uint64_t time_limit_s, double rate)
{
    struct world_opts o;
    world_opts_defaults(&o);
    o.node_count = nodes;
    o.default_names = false;
    o.time_limit_s = time_limit_s;
    o.rate = rate;
    o.concurrency = nodes;
    return o;
}

static struct world *run_virt(const struct world_opts *o, const char *ini)
{
    struct cfg c;
    char err[512] = "";
    cfg_defaults(&c);
    if (ini) ck_assert_msg(cfg_parse_string(&c, ini, "test.ini", err, sizeof(err)) == 0, "%s", err);
    struct world *w = drv_virt_run(o, &c, NULL, 0, err, sizeof(err));
    ck_assert_msg(w != NULL, "%s", err);
    ck_assert(world_done(w));
    return w;
}

static char *history_text_of(const struct world *w, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(history_write(world_history(w), HISTORY_JSON, f), 0);
    fclose(f);
    return buf;
}

/* Counts of invocations in a history. */
/* Round trips of the client ops of a history: invocation to completion, per process. */
struct rtt_stats {
    int64_t min_ns, max_ns;
    uint64_t ops, delayed; /* completions; those with a round trip > 0 */
};

static struct rtt_stats rtts(const struct history *h)
{
    enum { MAX_PROCESSES = 4096 };
    int64_t inv_ns[MAX_PROCESSES] = { 0 };
    struct rtt_stats r = { INT64_MAX, 0, 0, 0 };
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->process == HIST_NEMESIS) continue;
        ck_assert_int_lt(op->process, MAX_PROCESSES);
        if (op->type == HT_INVOKE) {
            inv_ns[op->process] = op->time_ns;
            continue;
        }
        int64_t rtt = op->time_ns - inv_ns[op->process];
        if (rtt < r.min_ns) r.min_ns = rtt;
        if (rtt > r.max_ns) r.max_ns = rtt;
        r.delayed += rtt > 0;
        r.ops++;
    }
    return r;
}

START_TEST(same_seed_same_history)
{
    struct world_opts o = small_opts(5, 5, 20);
    o.seed = (uint64_t)_i;
    o.latency_ms = 10;
    o.latency_dist = LATENCY_EXPONENTIAL;
    o.nemesis_partition = true;
    o.nemesis_interval_s = 1;
    struct world *a = run_virt(&o, NULL), *b = run_virt(&o, NULL);
    size_t la, lb;
    char *ha = history_text_of(a, &la), *hb = history_text_of(b, &lb);
    ck_assert_uint_eq(la, lb);
    ck_assert_int_eq(memcmp(ha, hb, la), 0);
    ck_assert_int_eq(memcmp(world_net(a), world_net(b), sizeof(struct net_counts)), 0);
    /* A different seed gives a different run. */
    o.seed += 1000;
    struct world *c = run_virt(&o, NULL);
    size_t lc;
    char *hc = history_text_of(c, &lc);
    ck_assert(lc != la || memcmp(ha, hc, la) != 0);
    free(ha);
    free(hb);
    free(hc);
    world_free(a);
    world_free(b);
    world_free(c);
}
END_TEST

START_TEST(rate_values_cutoff_and_final_reads)
{
    /* rate 100 for 20 s: gaps U[0, 20 ms) from each dispatch, mean 10 ms => ~2000 ops with a
     * standard deviation of ~26; [1850, 2150] is more than 5 sigma either side. */
    struct world_opts o = small_opts(25, 20, 100);
    o.seed = (uint64_t)_i;
    o.latency_ms = 100;
    struct world *w = run_virt(&o, NULL);
    const struct history *h = world_history(w);
    struct inv_stats s = count_invokes(h);
    ck_assert_uint_ge(s.main_invokes, 1850);
    ck_assert_uint_le(s.main_invokes, 2150);
    /* Every main-phase op is scheduled before the cutoff = first op + time limit. */
    ck_assert_int_lt(s.last_main_ns - s.first_ns, 20 * 1000000000LL);
    /* One final read per worker, all at once, after the 10 s recovery wait. */
    ck_assert_uint_eq(s.final_invokes, 25);
    ck_assert(s.finals_same_time);
    ck_assert_int_ge(s.final_ns - s.last_main_ns, 10 * 1000000000LL);
    /* Broadcast values are 0, 1, 2, ... in the order of issue. */
    int64_t next = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->type == HT_INVOKE && op->f == HF_BROADCAST) {
            ck_assert_int_eq(op->vkind, HV_INT);
            ck_assert_int_eq(op->value, next++);
        }
    }
    ck_assert_uint_eq((uint64_t)next, s.broadcasts);
    world_free(w);
}
END_TEST

START_TEST(client_messages_are_two_per_op_plus_four_per_node)
{
    struct world_opts o = small_opts(9, 5, 50);
    o.seed = (uint64_t)_i;
    o.latency_ms = 5;
    struct world *w = run_virt(&o, NULL);
    uint64_t ops = checker_op_count(world_history(w));
    const struct net_counts *n = world_net(w);
    ck_assert_uint_gt(ops, 100);
    ck_assert_uint_eq(n->clients.msg_count, 2 * ops + 4 * 9);
    ck_assert_uint_eq(n->clients.send_count, n->clients.recv_count);
    ck_assert_uint_eq(n->all.msg_count, n->clients.msg_count + n->servers.msg_count);
    world_free(w);
}
END_TEST

START_TEST(worker_zero_gets_two_shares)
{
    /* Fast ops (latency 0): the cursor over C+1 slots gives worker 0 ~2/(C+1) of the ops and
     * every other worker ~1/(C+1) (spec §2.4, §8.6). C = 5: 1/3 and 1/6. */
    struct world_opts o = small_opts(5, 60, 50);
    o.seed = 7;
    struct world *w = run_virt(&o, NULL);
    const struct history *h = world_history(w);
    uint64_t per[5] = { 0 }, total = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->type != HT_INVOKE || op->final || op->process < 0) continue;
        per[op->process % 5]++;
        total++;
    }
    ck_assert_uint_gt(total, 2500);
    double share0 = (double)per[0] / (double)total;
    ck_assert_double_eq_tol(share0, 1.0 / 3.0, 0.02);
    for (int k = 1; k < 5; k++)
        ck_assert_double_eq_tol((double)per[k] / (double)total, 1.0 / 6.0, 0.02);
    world_free(w);
}
END_TEST

START_TEST(head_of_line_blocking_delays_clients)
{
    /* Client messages have no latency of their own, but wait behind the server message a
     * node's delivery thread is sleeping on: round trips up to the server latency (spec §3.2). */
    struct world_opts o = small_opts(25, 10, 100);
    o.latency_ms = 100;
    struct world *w = run_virt(&o, NULL);
    struct rtt_stats r = rtts(world_history(w));
    ck_assert_int_le(r.max_ns, 100 * 1000000LL);
    ck_assert_int_gt(r.max_ns, 50 * 1000000LL);
    ck_assert_uint_gt(r.delayed, 100);
    world_free(w);
    /* Without latency nothing waits longer than the two delivery threads' wake-ups (spec §3.2);
     * a thread that is busy with a node's message takes the request without one. */
    o.latency_ms = 0;
    w = run_virt(&o, NULL);
    r = rtts(world_history(w));
    ck_assert_uint_gt(r.ops, 100);
    ck_assert_int_eq(r.max_ns, 2 * (int64_t)o.net_timing.wake_us * 1000);
    ck_assert_int_gt(r.min_ns, 0);
    world_free(w);
}
END_TEST

START_TEST(node_delay_is_bounded_and_seeded)
{
    /* Latency 0: every round trip is the two delivery threads' wake-ups plus the node's
     * handling delay, in [0, 1 ms). */
    struct world_opts o = small_opts(5, 10, 50);
    o.seed = 11;
    int64_t wakes_ns = 2 * (int64_t)o.net_timing.wake_us * 1000;
    struct cfg c;
    char err[256];
    cfg_defaults(&c);
    struct world *a = drv_virt_run(&o, &c, NULL, 1000, err, sizeof(err));
    struct world *b = drv_virt_run(&o, &c, NULL, 1000, err, sizeof(err));
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    struct rtt_stats r = rtts(world_history(a));
    ck_assert_int_ge(r.min_ns, wakes_ns);
    ck_assert_int_lt(r.max_ns, wakes_ns + 1000000);
    ck_assert_int_gt(r.max_ns, wakes_ns + 500000);
    size_t la, lb;
    char *ha = history_text_of(a, &la), *hb = history_text_of(b, &lb);
    ck_assert_uint_eq(la, lb);
    ck_assert_int_eq(memcmp(ha, hb, la), 0);
    free(ha);
    free(hb);
    world_free(a);
    world_free(b);
}
END_TEST

START_TEST(partitions_lose_values_without_acks_only)
{
    struct world_opts o = small_opts(5, 20, 10);
    o.seed = (uint64_t)_i;
    o.nemesis_partition = true;
    o.nemesis_interval_s = 2;
    struct checker_opts co = { .avail = AVAIL_NONE };
    struct results r;
    char err[256];

    struct world *w = run_virt(&o, "[topology]\nstrategy = grid\n[delivery]\nmode = acks\n");
    co.net = world_net(w);
    ck_assert_int_eq(checker_run(world_history(w), &co, &r, err, sizeof(err)), 0);
    ck_assert_int_eq(r.valid, VALID_TRUE);
    ck_assert_uint_eq(r.lost.n, 0);
    results_release(&r);
    world_free(w);

    w = run_virt(&o, "[topology]\nstrategy = grid\n[delivery]\nmode = fire-and-forget\n");
    co.net = world_net(w);
    ck_assert_int_eq(checker_run(world_history(w), &co, &r, err, sizeof(err)), 0);
    ck_assert_int_eq(r.valid, VALID_FALSE);
    ck_assert_uint_gt(r.lost.n, 0);
    results_release(&r);
    world_free(w);
}
END_TEST

START_TEST(nemesis_schedule)
{
    /* Partitions start at the very beginning of the main phase and alternate with heals; the
     * final phase always heals (spec §3.3). */
    struct world_opts o = small_opts(5, 20, 10);
    o.nemesis_partition = true;
    struct world *w = run_virt(&o, NULL);
    const struct history *h = world_history(w);
    int64_t first_client = -1, first_nemesis = -1;
    enum hist_f last = HF_STOP_PARTITION;
    uint64_t starts = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->process != HIST_NEMESIS) {
            if (first_client < 0) first_client = op->time_ns;
            continue;
        }
        ck_assert_int_eq(op->type, HT_INFO);
        if (first_nemesis < 0) first_nemesis = op->time_ns;
        if (i + 1 < history_len(h) && history_op(h, i + 1)->process == HIST_NEMESIS &&
            history_op(h, i + 1)->f == op->f) {
            i++; /* invocation and completion of the same op */
        }
        if (op->f == HF_START_PARTITION) {
            ck_assert_int_eq(last, HF_STOP_PARTITION);
            starts++;
        }
        last = op->f;
    }
    /* Relative time 0 is the last init_ok; the main phase starts after the topology round trip:
     * two idle delivery threads' wake-ups. */
    ck_assert_int_eq(first_nemesis, 2 * (int64_t)o.net_timing.wake_us * 1000);
    ck_assert_int_ge(first_client, first_nemesis);
    ck_assert_int_eq(last, HF_STOP_PARTITION);
    ck_assert_uint_ge(starts, 1);
    world_free(w);
}
END_TEST

/* ---- a scripted driver: nodes that misbehave on purpose -------------------------------------- */

enum script {
    SCRIPT_NO_INIT,       /* never answers init */
    SCRIPT_SILENT_OPS,    /* answers init/topology, never broadcasts or reads */
    SCRIPT_EXTRA_KEYS,    /* answers broadcast_ok with a key outside the schema */
    SCRIPT_ERROR_REPLIES, /* answers reads with error 11 and broadcasts with error 13 */
};

struct scripted {
    struct world *w;
    enum script script;
};

static void scripted_deliver(void *ctx, uint32_t node, struct wmsg *m, time_us now_us)
{
    struct scripted *s = ctx;
    const struct msg *in = &m->m;
    struct msg r;
    msg_init(&r);
    switch (in->type) {
    case MSG_INIT:
        if (s->script == SCRIPT_NO_INIT) return;
        msg_reply(&r, in, MSG_INIT_OK);
        break;
    case MSG_TOPOLOGY:
        msg_reply(&r, in, MSG_TOPOLOGY_OK);
        break;
    case MSG_BROADCAST:
    case MSG_READ:
        if (s->script == SCRIPT_SILENT_OPS) return;
        if (s->script == SCRIPT_EXTRA_KEYS) {
            msg_reply(&r, in, in->type == MSG_READ ? MSG_READ_OK : MSG_BROADCAST_OK);
            r.flags |= MSG_F_EXTRA_KEYS;
        } else {
            msg_reply(&r, in, MSG_ERROR);
            r.code = in->type == MSG_READ ? 11 : 13;
            snprintf(r.text, sizeof(r.text), "scripted");
        }
        break;
    case MSG_INIT_OK:
    case MSG_TOPOLOGY_OK:
    case MSG_BROADCAST_OK:
    case MSG_READ_OK:
    case MSG_INTERNAL:
    case MSG_INTERNAL_OK:
    case MSG_ERROR:
    case MSG_OTHER:
        return;
    }
    world_on_node_msg(s->w, node, &r, now_us);
    msg_release(&r);
}

static void scripted_timer(void *ctx, uint64_t tag, time_us now_us)
{
    (void)ctx;
    (void)tag;
    (void)now_us;
}

static struct world *run_scripted(struct world_opts *o, enum script script)
{
    static struct scripted s;
    s.script = script;
    struct world_driver drv = { .ctx = &s,
                                .deliver = scripted_deliver,
                                .on_timer = scripted_timer };
    char err[256];
    s.w = world_new(o, &drv, err, sizeof(err));
    ck_assert_ptr_nonnull(s.w);
    world_start(s.w, 0);
    world_advance(s.w, 0);
    while (!world_done(s.w)) {
        time_us t = world_next_deadline_us(s.w);
        ck_assert_uint_ne(t, TIME_NEVER);
        world_advance(s.w, t);
    }
    return s.w;
}

START_TEST(init_never_answered_aborts)
{
    struct world_opts o = small_opts(3, 5, 10);
    struct world *w = run_scripted(&o, SCRIPT_NO_INIT);
    const char *detail;
    ck_assert_int_eq(world_abort_reason(w, &detail), WORLD_INIT_FAILED);
    ck_assert_ptr_nonnull(strstr(detail, "no init_ok reply within 10000 ms"));
    ck_assert_ptr_nonnull(strstr(detail, "n0"));
    ck_assert_ptr_nonnull(strstr(detail, "n2"));
    world_free(w);
}
END_TEST

START_TEST(timeouts_fail_reads_and_crash_broadcasts)
{
    /* No replies: reads :fail and broadcasts :info with :net-timeout after exactly 5 s; every
     * :info gives the worker a new process (old + C) and, at its next op, a new client. */
    struct world_opts o = small_opts(2, 30, 1);
    o.seed = 3;
    struct world *w = run_scripted(&o, SCRIPT_SILENT_OPS);
    const struct history *h = world_history(w);
    struct rtt_stats r = rtts(h);
    ck_assert_int_eq(r.min_ns, 5 * 1000000000LL);
    ck_assert_int_eq(r.max_ns, 5 * 1000000000LL);
    uint64_t fails = 0, infos = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->type == HT_INVOKE) continue;
        ck_assert_str_eq(history_text(h, op->error_off), ":net-timeout");
        if (op->f == HF_READ) {
            ck_assert_int_eq(op->type, HT_FAIL);
            fails++;
        } else {
            ck_assert_int_eq(op->type, HT_INFO);
            infos++;
        }
    }
    ck_assert_uint_gt(fails, 0);
    ck_assert_uint_gt(infos, 0);
    /* Processes after a crash: thread t's processes are t, t + 2, t + 4, ... */
    int64_t max_process = 0;
    for (size_t i = 0; i < history_len(h); i++)
        if (history_op(h, i)->process > max_process) max_process = history_op(h, i)->process;
    ck_assert_int_ge(max_process, 2);
    world_free(w);
}
END_TEST

START_TEST(malformed_and_error_replies)
{
    struct world_opts o = small_opts(2, 10, 5);
    struct world *w = run_scripted(&o, SCRIPT_EXTRA_KEYS);
    const struct history *h = world_history(w);
    uint64_t completions = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->type == HT_INVOKE) continue;
        completions++;
        ck_assert_int_eq(op->type, HT_INFO); /* closed schemas: indeterminate */
        ck_assert_ptr_nonnull(strstr(history_text(h, op->error_off), "indeterminate"));
    }
    ck_assert_uint_gt(completions, 10);
    /* As Maelstrom: :exceptions groups them as clojure.lang.ExceptionInfo (spec §5.5). */
    struct checker_opts co = { .net = world_net(w), .avail = AVAIL_NONE };
    struct results r;
    char err[256];
    ck_assert_int_eq(checker_run(h, &co, &r, err, sizeof(err)), 0);
    ck_assert_uint_eq(r.n_exceptions, 1);
    ck_assert_uint_eq(r.exceptions[0].count, completions);
    ck_assert_str_eq(r.exceptions[0].class_name, "clojure.lang.ExceptionInfo");
    ck_assert_int_eq(r.workload_valid, VALID_UNKNOWN);
    results_release(&r);
    world_free(w);

    /* Error 11 (definite) on reads => :fail; error 13 (crash, indefinite) on broadcasts => :info */
    w = run_scripted(&o, SCRIPT_ERROR_REPLIES);
    h = world_history(w);
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->type == HT_INVOKE) continue;
        ck_assert_int_eq(op->type, op->f == HF_READ ? HT_FAIL : HT_INFO);
        const char *e = history_text(h, op->error_off);
        ck_assert_ptr_nonnull(strstr(e, op->f == HF_READ ? ":temporarily-unavailable" : ":crash"));
    }
    world_free(w);
}
END_TEST

static Suite *world_suite(void)
{
    Suite *s = suite_create("world");
    TCase *tc = tcase_create("generator");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, same_seed_same_history, 0, 3);
    tcase_add_loop_test(tc, rate_values_cutoff_and_final_reads, 0, 3);
    tcase_add_loop_test(tc, client_messages_are_two_per_op_plus_four_per_node, 0, 3);
    tcase_add_test(tc, worker_zero_gets_two_shares);
    tcase_add_test(tc, head_of_line_blocking_delays_clients);
    tcase_add_test(tc, nemesis_schedule);
    tcase_add_test(tc, node_delay_is_bounded_and_seeded);
    tcase_add_loop_test(tc, partitions_lose_values_without_acks_only, 0, 3);
    suite_add_tcase(s, tc);
    TCase *tf = tcase_create("faults");
    tcase_set_timeout(tf, 30);
    tcase_add_test(tf, init_never_answered_aborts);
    tcase_add_test(tf, timeouts_fail_reads_and_crash_broadcasts);
    tcase_add_test(tf, malformed_and_error_replies);
    suite_add_tcase(s, tf);
    return s;
}

int main(void)
{
    return check_run(world_suite());
}
