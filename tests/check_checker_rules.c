/*
 * check_checker_rules: one small history per rule of spec §4-§5 — the lost/stale boundaries,
 * the order of simultaneous final reads, duplicates, :info and :fail ops, reads that never
 * succeed, an empty history, availability, exceptions, quantiles and worst-stale order — each
 * proving the checker decides it exactly as Jepsen's code does.
 */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "checker.h"
#include "history.h"
#include "results.h"
#include "rng.h"

/* A history written as EDN lines; index is the line number. */
struct hb {
    char *buf;
    size_t len;
    FILE *f;
    int index;
};

static void hb_init(struct hb *b)
{
    memset(b, 0, sizeof(*b));
    b->f = open_memstream(&b->buf, &b->len);
}

/* One record: time in ns, type, process, f, the value's EDN text, extra EDN (or ""). */
static void op(struct hb *b, long long t, const char *type, int process, const char *f,
               const char *value, const char *extra)
{
    fprintf(b->f, "{:index %d, :time %lld, :type :%s, :process %d, :f :%s, :value %s%s}\n",
            b->index++, t, type, process, f, value, extra);
}

static void run(struct hb *b, const struct checker_opts *o, struct results *r)
{
    fclose(b->f);
    struct history *h = history_new();
    char err[256] = "";
    ck_assert_msg(history_parse(h, b->buf, b->len, err, sizeof(err)) == 0, "%s", err);
    struct checker_opts none = { 0 };
    ck_assert_int_eq(checker_run(h, o ? o : &none, r, err, sizeof(err)), 0);
    history_free(h);
    free(b->buf);
}

#define MS 1000000LL

START_TEST(lost_needs_a_read_begun_after_known)
{
    /* Element 0: the only read missing it began before the ack: never-read, not lost. */
    struct hb b;
    hb_init(&b);
    op(&b, 0, "invoke", 0, "broadcast", "0", "");
    op(&b, 1 * MS, "invoke", 1, "read", "nil", "");
    op(&b, 2 * MS, "ok", 0, "broadcast", "0", "");
    op(&b, 3 * MS, "ok", 1, "read", "[]", "");
    struct results r;
    run(&b, NULL, &r);
    ck_assert_uint_eq(r.never_read.n, 1);
    ck_assert_uint_eq(r.lost.n, 0);
    ck_assert_int_eq(r.workload_valid, VALID_UNKNOWN);
    results_release(&r);

    /* The same read begun after the ack: lost, lost-latency 0 (never present). */
    hb_init(&b);
    op(&b, 0, "invoke", 0, "broadcast", "0", "");
    op(&b, 2 * MS, "ok", 0, "broadcast", "0", "");
    op(&b, 3 * MS, "invoke", 1, "read", "nil", "");
    op(&b, 4 * MS, "ok", 1, "read", "[]", "");
    run(&b, NULL, &r);
    ck_assert_uint_eq(r.lost.n, 1);
    ck_assert(r.lost_latencies.present);
    ck_assert_int_eq(r.lost_latencies.q[0], 0);
    ck_assert_int_eq(r.workload_valid, VALID_FALSE);
    ck_assert_int_eq(r.valid, VALID_FALSE);
    results_release(&r);
}
END_TEST

START_TEST(stale_starts_at_one_whole_millisecond)
{
    /* Known at 10 ms; element 0 last missed by a read invoked 999 998 ns later (+1 ns: under
     * 1 ms, latency 0, not stale); element 1 by one invoked 999 999 ns later (exactly 1 ms). */
    struct hb b;
    hb_init(&b);
    op(&b, 0, "invoke", 0, "broadcast", "0", "");
    op(&b, 0, "invoke", 1, "broadcast", "1", "");
    op(&b, 10 * MS, "ok", 0, "broadcast", "0", "");
    op(&b, 10 * MS, "ok", 1, "broadcast", "1", "");
    op(&b, 10 * MS + 999998, "invoke", 2, "read", "nil", "");
    op(&b, 11 * MS, "ok", 2, "read", "[1]", "");
    op(&b, 10 * MS + 999999, "invoke", 3, "read", "nil", "");
    op(&b, 11 * MS, "ok", 3, "read", "[0]", "");
    op(&b, 20 * MS, "invoke", 4, "read", "nil", "");
    op(&b, 21 * MS, "ok", 4, "read", "[0 1]", "");
    struct results r;
    run(&b, NULL, &r);
    ck_assert_uint_eq(r.stable_count, 2);
    ck_assert_uint_eq(r.stale.n, 1);
    ck_assert_int_eq(r.stale.v[0], 1);
    ck_assert_int_eq(r.stable_latencies.q[0], 0);
    ck_assert_int_eq(r.stable_latencies.q[4], 1);
    ck_assert_int_eq(r.workload_valid, VALID_TRUE);
    results_release(&r);
}
END_TEST

/* Two final reads invoked at the same time; `first_has` says whether the first-invoked one
 * contains element 0. The last-invoked read decides. */
static void final_reads(bool first_has, struct results *r)
{
    struct hb b;
    hb_init(&b);
    op(&b, 0, "invoke", 0, "broadcast", "0", "");
    op(&b, 1 * MS, "ok", 0, "broadcast", "0", "");
    op(&b, 100 * MS, "invoke", 0, "read", "nil", ", :final? true");
    op(&b, 100 * MS, "invoke", 1, "read", "nil", ", :final? true");
    op(&b, 101 * MS, "ok", 0, "read", first_has ? "[0]" : "[]", ", :final? true");
    op(&b, 101 * MS, "ok", 1, "read", first_has ? "[]" : "[0]", ", :final? true");
    run(&b, NULL, r);
}

START_TEST(last_invoked_final_read_decides)
{
    struct results r;
    final_reads(false, &r);
    ck_assert_uint_eq(r.stable_count, 1);
    ck_assert_int_eq(r.stable_latencies.q[0], 99); /* 100 ms + 1 ns - 1 ms */
    ck_assert_int_eq(r.valid, VALID_TRUE);
    results_release(&r);
    final_reads(true, &r);
    ck_assert_uint_eq(r.stable_count, 0);
    ck_assert_uint_eq(r.lost.n, 1);
    ck_assert_int_eq(r.lost_latencies.q[0], 99); /* last present: 100 ms + 1 ns - 1 ms */
    ck_assert_int_eq(r.valid, VALID_FALSE);
    results_release(&r);
}
END_TEST

START_TEST(duplicates_are_never_reported)
{
    struct hb b;
    hb_init(&b);
    op(&b, 0, "invoke", 0, "broadcast", "0", "");
    op(&b, 1 * MS, "ok", 0, "broadcast", "0", "");
    op(&b, 2 * MS, "invoke", 1, "read", "nil", "");
    op(&b, 3 * MS, "ok", 1, "read", "[0 0 0 7]", "");
    struct results r;
    run(&b, NULL, &r);
    ck_assert_uint_eq(r.stable_count, 1);
    ck_assert_uint_eq(r.attempt_count, 1); /* 7 was never added: ignored */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_int_eq(results_write_edn(&r, f), 0);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(text, ":duplicated-count 0,"));
    ck_assert_ptr_nonnull(strstr(text, ":duplicated {}}"));
    free(text);
    results_release(&r);
}
END_TEST

START_TEST(info_and_fail_ops)
{
    /* An indeterminate broadcast still creates its element; a failed read is ignored. */
    struct hb b;
    hb_init(&b);
    op(&b, 0, "invoke", 0, "broadcast", "0", "");
    op(&b, 5000 * MS, "info", 0, "broadcast", "0", ", :error :net-timeout");
    op(&b, 5001 * MS, "invoke", 1, "read", "nil", "");
    op(&b, 5002 * MS, "fail", 1, "read", "nil", ", :error [:crash \"boom\"]");
    op(&b, 5003 * MS, "invoke", 1, "read", "nil", "");
    op(&b, 5004 * MS, "ok", 1, "read", "[0]", "");
    struct results r;
    run(&b, NULL, &r);
    ck_assert_uint_eq(r.attempt_count, 1);
    ck_assert_uint_eq(r.stable_count, 1); /* known from the read that saw it */
    ck_assert_int_eq(r.stable_latencies.q[0], 0);
    ck_assert_uint_eq(r.stats.count, 3);
    ck_assert_uint_eq(r.stats.ok_count, 1);
    ck_assert_uint_eq(r.stats.fail_count, 1);
    ck_assert_uint_eq(r.stats.info_count, 1);
    ck_assert(!r.by_broadcast.valid); /* no :ok broadcast */
    ck_assert(r.by_read.valid);
    ck_assert(!r.stats.valid);
    ck_assert_int_eq(r.valid, VALID_FALSE);
    ck_assert(r.ok_fraction == (float)(1.0 / 3.0));
    results_release(&r);
}
END_TEST

START_TEST(reads_that_never_succeed)
{
    struct hb b;
    hb_init(&b);
    op(&b, 0, "invoke", 0, "broadcast", "0", "");
    op(&b, 1 * MS, "ok", 0, "broadcast", "0", "");
    op(&b, 2 * MS, "invoke", 1, "read", "nil", "");
    op(&b, 7002 * MS, "fail", 1, "read", "nil", ", :error :net-timeout");
    op(&b, 8000 * MS, "invoke", 1, "read", "nil", ", :final? true");
    op(&b, 9000 * MS, "fail", 1, "read", "nil", ", :final? true, :error :net-timeout");
    struct results r;
    run(&b, NULL, &r);
    ck_assert_uint_eq(r.never_read.n, 1);
    ck_assert_uint_eq(r.stable_count, 0);
    ck_assert(!r.stable_latencies.present);
    ck_assert_int_eq(r.workload_valid, VALID_UNKNOWN);
    ck_assert(!r.by_read.valid);
    ck_assert_int_eq(r.valid, VALID_FALSE); /* :stats false beats :unknown */
    results_release(&r);
}
END_TEST

START_TEST(empty_history)
{
    struct hb b;
    hb_init(&b);
    struct net_counts net = { 0 };
    struct checker_opts o = { .net = &net };
    struct results r;
    run(&b, &o, &r);
    ck_assert_uint_eq(r.attempt_count, 0);
    ck_assert_int_eq(r.workload_valid, VALID_UNKNOWN);
    ck_assert(r.stats.valid);
    ck_assert_uint_eq(r.stats.count, 0);
    ck_assert(r.ok_fraction == 1.0f);
    ck_assert(!r.has_msgs_per_op);
    ck_assert_int_eq(r.valid, VALID_UNKNOWN);
    ck_assert_int_eq(validity_exit_status(r.valid), 2);
    results_release(&r);
}
END_TEST

START_TEST(availability_option)
{
    struct results r;
    for (int mode = 0; mode < 3; mode++) {
        struct hb b;
        hb_init(&b);
        op(&b, 0, "invoke", 0, "broadcast", "0", "");
        op(&b, 1 * MS, "ok", 0, "broadcast", "0", "");
        op(&b, 2 * MS, "invoke", 0, "read", "nil", "");
        op(&b, 3 * MS, "ok", 0, "read", "[0]", "");
        op(&b, 4 * MS, "invoke", 0, "read", "nil", "");
        op(&b, 5 * MS, "fail", 0, "read", "nil", ", :error :net-timeout");
        struct checker_opts o = { .avail = (enum avail_mode)mode, .avail_min = 0.6 };
        run(&b, &o, &r);
        ck_assert(r.ok_fraction == (float)(2.0 / 3.0));
        ck_assert_int_eq(r.avail_valid, mode != AVAIL_TOTAL);
        ck_assert_int_eq(r.valid, mode == AVAIL_TOTAL ? VALID_FALSE : VALID_TRUE);
        results_release(&r);
    }
}
END_TEST

START_TEST(exceptions_grouped_by_class)
{
    struct hb b;
    hb_init(&b);
    const char *x = ", :exception {:via [{:type clojure.lang.ExceptionInfo, :message \"m\"}]}";
    const char *y = ", :exception {:via [{:type java.io.IOException}], :trace []}";
    op(&b, 0, "invoke", 0, "read", "nil", "");
    op(&b, 1, "info", 0, "read", "nil", y);
    op(&b, 2, "invoke", 1, "read", "nil", "");
    op(&b, 3, "info", 1, "read", "nil", x);
    op(&b, 4, "invoke", 2, "read", "nil", "");
    op(&b, 5, "info", 2, "read", "nil", x);
    op(&b, 6, "invoke", 3, "read", "nil", "");
    op(&b, 7, "info", 3, "read", "nil", ", :error :no-exception");
    struct results r;
    run(&b, NULL, &r);
    ck_assert_uint_eq(r.n_exceptions, 2);
    ck_assert_str_eq(r.exceptions[0].class_name, "clojure.lang.ExceptionInfo");
    ck_assert_uint_eq(r.exceptions[0].count, 2);
    ck_assert_int_eq(history_op(r.ops, r.exceptions[0].example_op)->index, 3);
    ck_assert_str_eq(r.exceptions[1].class_name, "java.io.IOException");
    ck_assert_uint_eq(r.exceptions[1].count, 1);
    ck_assert_int_eq(r.valid, VALID_FALSE); /* no :ok read */
    results_release(&r);
}
END_TEST

START_TEST(quantile_index_rule)
{
    /* Latencies 1..n ms (element k last missed by a read invoked k ms after its ack). */
    for (int n = 1; n <= 40; n++) {
        struct hb b;
        hb_init(&b);
        for (int k = 0; k < n; k++) {
            char v[16];
            snprintf(v, sizeof(v), "%d", k);
            op(&b, 0, "invoke", 0, "broadcast", v, "");
            op(&b, 0, "ok", 0, "broadcast", v, "");
        }
        for (int k = 0; k < n; k++) {
            char seen[512] = "[";
            for (int e = 0; e < n; e++) {
                if (e == k) continue;
                size_t l = strlen(seen);
                snprintf(seen + l, sizeof(seen) - l, "%d ", e);
            }
            strcat(seen, "]");
            op(&b, (k + 1) * MS - 1, "invoke", 1, "read", "nil", "");
            op(&b, (k + 1) * MS, "ok", 1, "read", seen, "");
        }
        op(&b, 100 * MS, "invoke", 1, "read", "nil", "");
        char all[512] = "[";
        for (int e = 0; e < n; e++) {
            size_t l = strlen(all);
            snprintf(all + l, sizeof(all) - l, "%d ", e);
        }
        strcat(all, "]");
        op(&b, 101 * MS, "ok", 1, "read", all, "");
        struct results r;
        run(&b, NULL, &r);
        ck_assert_uint_eq(r.stable_count, (size_t)n);
        for (int q = 0; q < QUANTILE_N; q++) {
            size_t idx = (size_t)((double)n * quantile_points[q]);
            if (idx > (size_t)n - 1) idx = (size_t)n - 1;
            ck_assert_int_eq(r.stable_latencies.q[q], (int64_t)idx + 1);
        }
        /* Worst-stale: the 8 largest latencies, largest first. */
        ck_assert_uint_eq(r.n_worst_stale, n < 8 ? (size_t)n : 8);
        for (size_t i = 0; i < r.n_worst_stale; i++)
            ck_assert_int_eq(r.worst_stale[i].element, n - 1 - (int)i);
        results_release(&r);
    }
}
END_TEST

START_TEST(worst_stale_ties_put_the_larger_element_first)
{
    struct hb b;
    hb_init(&b);
    for (int k = 0; k < 10; k++) {
        char v[16];
        snprintf(v, sizeof(v), "%d", k);
        op(&b, 0, "invoke", 0, "broadcast", v, "");
        op(&b, 0, "ok", 0, "broadcast", v, "");
    }
    op(&b, 5 * MS, "invoke", 1, "read", "nil", "");
    op(&b, 6 * MS, "ok", 1, "read", "[]", "");
    op(&b, 7 * MS, "invoke", 1, "read", "nil", "");
    op(&b, 8 * MS, "ok", 1, "read", "[0 1 2 3 4 5 6 7 8 9]", "");
    struct results r;
    run(&b, NULL, &r);
    ck_assert_uint_eq(r.stale.n, 10);
    ck_assert_uint_eq(r.n_worst_stale, 8);
    for (size_t i = 0; i < 8; i++) {
        ck_assert_int_eq(r.worst_stale[i].element, 9 - (int64_t)i);
        ck_assert_int_eq(r.worst_stale[i].stable_latency_ms, 5);
    }
    results_release(&r);
}
END_TEST

START_TEST(known_is_the_first_read_when_earlier_than_the_ack)
{
    struct hb b;
    hb_init(&b);
    op(&b, 0, "invoke", 0, "broadcast", "0", "");
    op(&b, 1 * MS, "invoke", 1, "read", "nil", "");
    op(&b, 2 * MS, "ok", 1, "read", "[0]", "");
    op(&b, 3 * MS, "invoke", 2, "read", "nil", "");
    op(&b, 9 * MS, "ok", 0, "broadcast", "0", "");
    op(&b, 10 * MS, "ok", 2, "read", "[]", "");
    op(&b, 20 * MS, "invoke", 1, "read", "nil", "");
    op(&b, 21 * MS, "ok", 1, "read", "[0]", "");
    struct results r;
    run(&b, NULL, &r);
    /* known = the read ok at 2 ms; last absent = read invoked at 3 ms: 1 ms + 1 ns -> 1 ms. */
    ck_assert_uint_eq(r.stable_count, 1);
    ck_assert_int_eq(r.stable_latencies.q[0], 1);
    ck_assert_int_eq(history_op(r.ops, r.worst_stale[0].known_op)->index, 2);
    ck_assert_int_eq(history_op(r.ops, r.worst_stale[0].known_op)->f, HF_READ);
    results_release(&r);
}
END_TEST

START_TEST(any_integer_values)
{
    /* Negative, huge and sparse values (the checker's direct table and its hash map fallback,
     * including a value that the growing table later covers). */
    static const long long vals[] = { 20000, -5, 1LL << 40, 123456789, 5000, 16000, 19999, 3 };
    size_t nv = sizeof(vals) / sizeof(vals[0]);
    struct hb b;
    hb_init(&b);
    for (int k = 0; k < 2600; k++) {
        char v[16];
        snprintf(v, sizeof(v), "%d", 10 + k);
        op(&b, 0, "invoke", 0, "broadcast", v, "");
        op(&b, 0, "ok", 0, "broadcast", v, "");
        if (k == 0)
            for (size_t i = 0; i < nv; i++) {
                snprintf(v, sizeof(v), "%lld", vals[i]);
                op(&b, 0, "invoke", 1, "broadcast", v, "");
                op(&b, 0, "ok", 1, "broadcast", v, "");
            }
    }
    op(&b, 1 * MS, "invoke", 2, "read", "nil", "");
    fprintf(b.f, "{:index %d, :time %lld, :type :ok, :process 2, :f :read, :value [", b.index++,
            3 * MS);
    for (size_t i = 0; i < nv; i++)
        fprintf(b.f, "%lld ", vals[i]);
    fprintf(b.f, "]}\n");
    struct results r;
    run(&b, NULL, &r);
    ck_assert_uint_eq(r.attempt_count, 2600 + nv);
    ck_assert_uint_eq(r.stable_count, nv);
    ck_assert_uint_eq(r.lost.n, 2600);
    ck_assert_int_eq(r.lost.v[0], 10);
    ck_assert_uint_eq(r.never_read.n, 0);
    results_release(&r);
}
END_TEST

START_TEST(world_appenders)
{
    /* The world's API: times in µs become ns; errors and nemesis values become EDN. */
    struct history *h = history_new();
    int64_t v[] = { 5, 6 };
    struct msg_values vals = { v, 2, 2 };
    ck_assert_int_eq(history_nemesis(h, true, "majority", "[:isolated {}]", 10), 0);
    ck_assert_int_eq(history_invoke(h, 0, HF_BROADCAST, true, 5, false, 20), 0);
    ck_assert_int_eq(history_complete(h, 0, HT_OK, HF_BROADCAST, true, 5, NULL, false, NULL, 30),
                     0);
    ck_assert_int_eq(history_invoke(h, 1, HF_READ, false, 0, true, 40), 0);
    ck_assert_int_eq(history_complete(h, 1, HT_OK, HF_READ, false, 0, &vals, true, NULL, 50), 0);
    ck_assert_int_eq(history_invoke(h, 1, HF_READ, false, 0, false, 60), 0);
    ck_assert_int_eq(history_complete(h, 1, HT_FAIL, HF_READ, false, 0, NULL, false,
                                      "indeterminate: malformed reply", 70),
                     0);
    ck_assert_int_eq(history_nemesis(h, false, NULL, "network-healed", 80), 0);
    ck_assert_uint_eq(history_len(h), 10);
    const struct hist_op *o = history_op(h, 0);
    ck_assert_str_eq(history_text(h, o->text_off), ":majority");
    ck_assert_int_eq(history_op(h, 3)->time_ns, 30000);
    ck_assert_int_eq(history_op(h, 4)->index, 4);
    size_t n;
    const int64_t *got = history_vals(h, history_op(h, 5), &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(got[1], 6);
    ck_assert_str_eq(history_text(h, history_op(h, 7)->error_off),
                     "\"indeterminate: malformed reply\"");
    ck_assert_int_eq(history_op(h, 8)->vkind, HV_NIL);
    ck_assert_str_eq(history_text(h, history_op(h, 9)->text_off), ":network-healed");
    char err[64];
    struct checker_opts opts = { 0 };
    struct results r;
    ck_assert_int_eq(checker_run(h, &opts, &r, err, sizeof(err)), 0);
    ck_assert_uint_eq(r.stable_count, 1);
    ck_assert_uint_eq(checker_op_count(h), 3);
    results_release(&r);
    history_free(h);
}
END_TEST

/*
 * Builds a history of 200 processes with many reads in flight at once (their pending
 * invocations fill the checker's process map, and completing them deletes from it), with
 * process ids renamed by `rename` (a bijection): the results must not depend on the names.
 */
static struct history *busy_history(uint64_t seed, int64_t (*rename)(int64_t))
{
    enum { PROCS = 200, STEPS = 6000 };
    struct rng r;
    rng_seed(&r, seed);
    struct history *h = history_new();
    bool pending[PROCS] = { false };
    struct msg_values seen = { 0 };
    int64_t next_value = 0;
    for (int k = 0; k < STEPS; k++) {
        int64_t p = (int64_t)rng_below(&r, PROCS);
        time_us t = (time_us)k * 1000;
        if (pending[p]) { /* complete its read with most of the values seen so far */
            struct msg_values got = { 0 };
            int rc = 0; /* one assertion per read: Check records every passing one */
            for (size_t i = 0; i < seen.n; i++)
                if (rng_below(&r, 10) != 0) rc |= msg_values_push(&got, seen.v[i]);
            ck_assert_int_eq(rc, 0);
            ck_assert_int_eq(
                history_complete(h, rename(p), HT_OK, HF_READ, false, 0, &got, false, NULL, t), 0);
            free(got.v);
            pending[p] = false;
        } else if (rng_below(&r, 2)) {
            ck_assert_int_eq(history_invoke(h, rename(p), HF_READ, false, 0, false, t), 0);
            pending[p] = true;
        } else {
            int64_t v = next_value++;
            ck_assert_int_eq(history_invoke(h, rename(p), HF_BROADCAST, true, v, false, t), 0);
            ck_assert_int_eq(history_complete(h, rename(p), HT_OK, HF_BROADCAST, true, v, NULL,
                                              false, NULL, t + 1),
                             0);
            ck_assert_int_eq(msg_values_push(&seen, v), 0);
        }
    }
    free(seen.v);
    return h;
}

static int64_t same_name(int64_t p)
{
    return p;
}

static int64_t other_name(int64_t p)
{
    return p * 7919 + 13;
}

START_TEST(results_do_not_depend_on_process_names)
{
    struct history *a = busy_history((uint64_t)_i, same_name);
    struct history *b = busy_history((uint64_t)_i, other_name);
    struct checker_opts o = { .avail = AVAIL_NONE };
    struct results ra, rb;
    char err[256];
    ck_assert_int_eq(checker_run(a, &o, &ra, err, sizeof(err)), 0);
    ck_assert_int_eq(checker_run(b, &o, &rb, err, sizeof(err)), 0);
    ck_assert_uint_gt(ra.stale.n, 0);
    ck_assert_uint_eq(ra.stable_count, rb.stable_count);
    ck_assert_uint_eq(ra.stale.n, rb.stale.n);
    ck_assert_uint_eq(ra.lost.n, rb.lost.n);
    ck_assert_uint_eq(ra.never_read.n, rb.never_read.n);
    for (int q = 0; q < QUANTILE_N; q++)
        ck_assert_int_eq(ra.stable_latencies.q[q], rb.stable_latencies.q[q]);
    results_release(&ra);
    results_release(&rb);
    history_free(a);
    history_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("checker_rules");
    TCase *tc = tcase_create("rules");
    tcase_add_test(tc, lost_needs_a_read_begun_after_known);
    tcase_add_test(tc, stale_starts_at_one_whole_millisecond);
    tcase_add_test(tc, last_invoked_final_read_decides);
    tcase_add_test(tc, duplicates_are_never_reported);
    tcase_add_test(tc, info_and_fail_ops);
    tcase_add_test(tc, reads_that_never_succeed);
    tcase_add_test(tc, empty_history);
    tcase_add_test(tc, availability_option);
    tcase_add_test(tc, exceptions_grouped_by_class);
    tcase_add_test(tc, quantile_index_rule);
    tcase_add_test(tc, worst_stale_ties_put_the_larger_element_first);
    tcase_add_test(tc, known_is_the_first_read_when_earlier_than_the_ack);
    tcase_add_test(tc, any_integer_values);
    tcase_add_test(tc, world_appenders);
    tcase_add_loop_test(tc, results_do_not_depend_on_process_names, 0, 4);
    suite_add_tcase(s, tc);
    return check_run(s);
}
