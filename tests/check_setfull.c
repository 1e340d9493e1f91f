/*
 * check_setfull: proves the set-full check's fast path (checker_int.h: per-process read suffixes,
 * settled at the end) computes exactly what the reference path (Jepsen's per-read update of
 * every element) does. Random histories of growing reads (processes learning values in random
 * order, reads interleaved, some adds failing or lost, several processes per node) must take
 * the fast path and agree on every :workload value and :worst-stale op; the same histories with
 * a shape the fast path refuses (a read that drops or reorders values, an empty read after a
 * full one, a value read before its add, a read value added again, :index going back, a read
 * extending an ok read that had no invocation) must fall back to the reference and agree too. A
 * real Maelstrom history (reads in map order) falls back.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "checker_int.h"
#include "history.h"
#include "msg.h"
#include "rng.h"

#define F2_HIST                                                                                \
    GL_SOURCE_DIR "/tests/fixtures/maelstrom/"                                                 \
                  "Emmanuel32__distributed-systems-practice__broadcast-3d-n25-rate100-lat100." \
                  "history.edn"

/* The ways a generated history may leave the fast path's shape. */
enum defect {
    D_NONE,
    D_DROP,   /* a read returns its process's values without one of them */
    D_SWAP,   /* ... with two of them swapped */
    D_EMPTY,  /* ... with none (an ok read of nil) */
    D_EARLY,  /* a process knows a value before its add is invoked */
    D_READD,  /* a value already read is added again */
    D_INDEX,  /* a read invocation's :index goes back */
    D_ORPHAN, /* an ok read without an invocation (ignored), then the process's next */
    D_N,
};

struct proc {
    int64_t known[64];
    size_t n;
    bool busy;
    bool reading;
    int64_t value; /* of a pending broadcast */
};

static void learn(struct proc *p, int64_t v)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->known[i] == v) return;
    if (p->n < 64) p->known[p->n++] = v;
}

/* A read's values as the process knows them, with the defect applied when asked. */
static void read_values(struct rng *r, const struct proc *p, enum defect d, struct msg_values *mv)
{
    mv->n = 0;
    size_t skip = d == D_DROP && p->n ? (size_t)rng_below(r, p->n) : SIZE_MAX;
    for (size_t i = 0; d != D_EMPTY && i < p->n; i++)
        if (i != skip) ck_assert_int_eq(msg_values_push(mv, p->known[i]), 0);
    if (d == D_SWAP && mv->n >= 2) {
        int64_t t = mv->v[0];
        mv->v[0] = mv->v[mv->n - 1];
        mv->v[mv->n - 1] = t;
    }
}

/*
 * nproc processes, `steps` steps: each step completes or starts one process's op, or lets a
 * process learn a value (in a random order per process). Defect d (if any) once, midway.
 */
static struct history *generate(uint64_t seed, size_t nproc, size_t steps, enum defect d)
{
    struct rng r;
    rng_seed(&r, seed);
    struct history *h = history_new();
    struct proc procs[8];
    memset(procs, 0, sizeof(procs));
    struct msg_values mv = { NULL, 0, 0 };
    int64_t next_value = 0, added[256];
    size_t nadded = 0;
    time_us t = 0;
    bool done = d == D_NONE;
    for (size_t step = 0; step < steps; step++) {
        t += 1000 + rng_below(&r, 50000);
        struct proc *p = &procs[rng_below(&r, nproc)];
        int64_t pid = p - procs;
        bool defect_now = !done && step >= steps / 2;
        uint64_t what = rng_below(&r, 10);
        if (defect_now && d == D_EARLY) {
            learn(p, next_value); /* the next value to be added */
            done = true;
        } else if (defect_now && d == D_ORPHAN && !p->busy && nadded) {
            learn(p, added[rng_below(&r, nadded)]);
            read_values(&r, p, D_NONE, &mv);
            ck_assert_int_eq(
                history_complete(h, pid, HT_OK, HF_READ, false, 0, &mv, false, NULL, t), 0);
            done = true;
        } else if (what < 4 && nadded) {
            learn(p, added[rng_below(&r, nadded)]);
        } else if (p->busy && p->reading) {
            enum defect now = defect_now && d <= D_EMPTY ? d : D_NONE;
            done = done || now != D_NONE;
            read_values(&r, p, now, &mv);
            enum hist_type ty = rng_below(&r, 12) ? HT_OK : HT_INFO;
            bool nil = ty != HT_OK || now == D_EMPTY || (mv.n == 0 && rng_below(&r, 2));
            ck_assert_int_eq(history_complete(h, pid, ty, HF_READ, false, 0, nil ? NULL : &mv,
                                              false, ty == HT_OK ? NULL : ":net-timeout", t),
                             0);
            p->busy = false;
        } else if (p->busy) {
            enum hist_type ty = rng_below(&r, 8) ? HT_OK : HT_FAIL;
            ck_assert_int_eq(
                history_complete(h, pid, ty, HF_BROADCAST, true, p->value, NULL, false, NULL, t),
                0);
            if (ty == HT_OK) learn(p, p->value);
            p->busy = false;
        } else if (what < 7 && nadded < 256) {
            p->value = defect_now && d == D_READD && nadded ? added[0] : next_value++;
            done = done || (defect_now && d == D_READD);
            if (p->value == next_value - 1) added[nadded++] = p->value;
            ck_assert_int_eq(history_invoke(h, pid, HF_BROADCAST, true, p->value, false, t), 0);
            p->busy = true;
            p->reading = false;
        } else {
            struct hist_op o;
            memset(&o, 0, sizeof(o));
            o.index = defect_now && d == D_INDEX ? 0 : -1;
            done = done || (defect_now && d == D_INDEX);
            o.time_ns = (int64_t)t * 1000;
            o.process = pid;
            o.type = HT_INVOKE;
            o.f = HF_READ;
            o.vkind = HV_NIL;
            ck_assert_int_eq(history_push(h, &o, NULL, 0, NULL, NULL, NULL, NULL, NULL), 0);
            p->busy = true;
            p->reading = true;
        }
    }
    free(mv.v);
    return h;
}

static void same_op(const struct results *a, size_t ia, const struct results *b, size_t ib)
{
    ck_assert_int_eq(history_op(a->ops, ia)->index, history_op(b->ops, ib)->index);
}

static void same_list(const struct int_list *a, const struct int_list *b)
{
    ck_assert_uint_eq(a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        ck_assert_int_eq(a->v[i], b->v[i]);
}

static void same_quantiles(const struct quantiles *a, const struct quantiles *b)
{
    ck_assert_int_eq(a->present, b->present);
    for (int k = 0; a->present && k < QUANTILE_N; k++)
        ck_assert_int_eq(a->q[k], b->q[k]);
}

/* Checks h both ways: the same :workload; returns the path AUTO took. */
static enum setfull_path both_ways(const struct history *h)
{
    struct results a, b;
    results_init(&a);
    results_init(&b);
    a.ops = history_new();
    b.ops = history_new();
    enum setfull_path used, ref;
    ck_assert_int_eq(checker_setfull(h, SETFULL_AUTO, &a, &used), 0);
    ck_assert_int_eq(checker_setfull(h, SETFULL_REFERENCE, &b, &ref), 0);
    ck_assert_int_eq(ref, SETFULL_REFERENCE);
    ck_assert_int_eq(a.workload_valid, b.workload_valid);
    ck_assert_uint_eq(a.attempt_count, b.attempt_count);
    ck_assert_uint_eq(a.stable_count, b.stable_count);
    same_list(&a.lost, &b.lost);
    same_list(&a.stale, &b.stale);
    same_list(&a.never_read, &b.never_read);
    same_quantiles(&a.stable_latencies, &b.stable_latencies);
    same_quantiles(&a.lost_latencies, &b.lost_latencies);
    ck_assert_uint_eq(a.n_worst_stale, b.n_worst_stale);
    for (size_t i = 0; i < a.n_worst_stale; i++) {
        ck_assert_int_eq(a.worst_stale[i].element, b.worst_stale[i].element);
        ck_assert_int_eq(a.worst_stale[i].stable_latency_ms, b.worst_stale[i].stable_latency_ms);
        same_op(&a, a.worst_stale[i].known_op, &b, b.worst_stale[i].known_op);
        same_op(&a, a.worst_stale[i].last_absent_op, &b, b.worst_stale[i].last_absent_op);
    }
    results_release(&a);
    results_release(&b);
    return used;
}

START_TEST(growing_reads_take_the_fast_path_and_agree)
{
    size_t stale = 0, lost = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        struct history *h = generate(seed, 1 + seed % 8, 50 + seed * 3, D_NONE);
        ck_assert_msg(both_ways(h) == SETFULL_FAST, "seed %llu", (unsigned long long)seed);
        struct results r;
        results_init(&r);
        r.ops = history_new();
        ck_assert_int_eq(checker_setfull(h, SETFULL_AUTO, &r, NULL), 0);
        stale += r.stale.n;
        lost += r.lost.n;
        results_release(&r);
        history_free(h);
    }
    /* The histories exercise every outcome, not only "all stable at once". */
    ck_assert_uint_gt(stale, 100);
    ck_assert_uint_gt(lost, 20);
}
END_TEST

START_TEST(other_shapes_fall_back_and_agree)
{
    for (int d = D_DROP; d < D_N; d++) {
        size_t fell_back = 0;
        for (uint64_t seed = 1; seed <= 60; seed++) {
            struct history *h = generate(seed * 7919 + (uint64_t)d, 2 + seed % 6, 200, d);
            fell_back += both_ways(h) == SETFULL_REFERENCE;
            history_free(h);
        }
        ck_assert_msg(fell_back >= 10, "defect %d: %zu of 60 fell back", d, fell_back);
    }
}
END_TEST

START_TEST(maelstrom_history_falls_back)
{
    struct history *h = history_new();
    char err[512] = "";
    ck_assert_msg(history_load(h, F2_HIST, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(both_ways(h), SETFULL_REFERENCE);
    history_free(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("setfull");
    TCase *tc = tcase_create("paths");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, growing_reads_take_the_fast_path_and_agree);
    tcase_add_test(tc, other_shapes_fall_back_and_agree);
    tcase_add_test(tc, maelstrom_history_falls_back);
    suite_add_tcase(s, tc);
    return check_run(s);
}
