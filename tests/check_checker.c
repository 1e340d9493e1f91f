/*
 * check_checker: proves the checker computes Maelstrom's numbers: both real histories give every
 * :workload, :stats and :availability value of their real results.edn (read from the fixture
 * and also asserted literally as in spec §7), the worked example of spec §5.7 gives its figures
 * (with :net), and each rule of §4-§5 holds on a small history made for it.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "checker.h"
#include "edn.h"
#include "history.h"
#include "results.h"

#define FIX GL_SOURCE_DIR "/tests/fixtures/maelstrom/"
#define F2_HIST \
    FIX "Emmanuel32__distributed-systems-practice__broadcast-3d-n25-rate100-lat100.history.edn"
#define F2_RES  FIX "Emmanuel32__distributed-systems-practice__broadcast-3d-n25-rate100-lat100.edn"
#define F3_HIST FIX "imperfect-fourth__gossip-glomers__broadcast-3c-n5-partition-lost.history.edn"
#define F3_RES  FIX "imperfect-fourth__gossip-glomers__broadcast-3c-n5-partition-lost.edn"

static struct history *load(const char *path)
{
    struct history *h = history_new();
    char err[512] = "";
    ck_assert_ptr_nonnull(h);
    ck_assert_msg(history_load(h, path, err, sizeof(err)) == 0, "%s", err);
    return h;
}

static void check_file(const char *path, const struct checker_opts *o, struct results *r)
{
    struct history *h = load(path);
    char err[256];
    ck_assert_int_eq(checker_run(h, o, r, err, sizeof(err)), 0);
    history_free(h);
}

static void assert_list(const struct int_list *got, const struct int_list *want)
{
    ck_assert_uint_eq(got->n, want->n);
    for (size_t i = 0; i < got->n; i++)
        ck_assert_int_eq(got->v[i], want->v[i]);
}

static void assert_quantiles(const struct quantiles *got, const struct quantiles *want)
{
    ck_assert_int_eq(got->present, want->present);
    for (int k = 0; got->present && k < QUANTILE_N; k++)
        ck_assert_int_eq(got->q[k], want->q[k]);
}

static void assert_counts(const struct stats_counts *got, const struct stats_counts *want)
{
    ck_assert_int_eq(got->present, want->present);
    ck_assert_int_eq(got->valid, want->valid);
    ck_assert_uint_eq(got->count, want->count);
    ck_assert_uint_eq(got->ok_count, want->ok_count);
    ck_assert_uint_eq(got->fail_count, want->fail_count);
    ck_assert_uint_eq(got->info_count, want->info_count);
}

static void assert_same_op(const struct results *got, size_t gi, const struct results *want,
                           size_t wi)
{
    const struct hist_op *a = history_op(got->ops, gi), *b = history_op(want->ops, wi);
    ck_assert_int_eq(a->index, b->index);
    ck_assert_int_eq(a->time_ns, b->time_ns);
    ck_assert_int_eq(a->type, b->type);
    ck_assert_int_eq(a->process, b->process);
    ck_assert_int_eq(a->f, b->f);
    ck_assert_int_eq(a->vkind, b->vkind);
    ck_assert_int_eq(a->final, b->final);
    if (a->vkind == HV_INT) ck_assert_int_eq(a->value, b->value);
}

/* Every :workload, :stats and :availability value of want (and :net when both have it). */
static void assert_same_results(const struct results *got, const struct results *want)
{
    assert_counts(&got->stats, &want->stats);
    assert_counts(&got->by_broadcast, &want->by_broadcast);
    assert_counts(&got->by_read, &want->by_read);
    ck_assert_int_eq(got->avail_valid, want->avail_valid);
    ck_assert(got->ok_fraction == want->ok_fraction);
    ck_assert_int_eq(got->has_workload, want->has_workload);
    ck_assert_int_eq(got->workload_valid, want->workload_valid);
    ck_assert_uint_eq(got->attempt_count, want->attempt_count);
    ck_assert_uint_eq(got->stable_count, want->stable_count);
    assert_list(&got->lost, &want->lost);
    assert_list(&got->stale, &want->stale);
    assert_list(&got->never_read, &want->never_read);
    assert_quantiles(&got->stable_latencies, &want->stable_latencies);
    assert_quantiles(&got->lost_latencies, &want->lost_latencies);
    ck_assert_uint_eq(got->n_worst_stale, want->n_worst_stale);
    for (size_t i = 0; i < got->n_worst_stale; i++) {
        const struct stale_entry *a = &got->worst_stale[i], *b = &want->worst_stale[i];
        ck_assert_int_eq(a->element, b->element);
        ck_assert_int_eq(a->stable_latency_ms, b->stable_latency_ms);
        assert_same_op(got, a->known_op, want, b->known_op);
        assert_same_op(got, a->last_absent_op, want, b->last_absent_op);
    }
    ck_assert_uint_eq(got->n_exceptions, want->n_exceptions);
    if (got->has_net && want->has_net) {
        ck_assert(got->msgs_per_op_all == want->msgs_per_op_all);
        ck_assert(got->msgs_per_op_servers == want->msgs_per_op_servers);
    }
}

static void against_fixture(const char *hist, const char *res, const struct net_counts *net,
                            struct results *got)
{
    struct checker_opts o = { .net = net };
    check_file(hist, &o, got);
    struct results want;
    char err[512] = "";
    ck_assert_msg(results_load(&want, res, err, sizeof(err)) == 0, "%s", err);
    assert_same_results(got, &want);
    ck_assert_int_eq(got->valid, want.valid);
    results_release(&want);
}

START_TEST(f2_matches_its_results_edn)
{
    struct net_counts net = { { 60118, 60118, 60118 },
                              { 4118, 4118, 4118 },
                              { 56000, 56000, 56000 } };
    struct results r;
    against_fixture(F2_HIST, F2_RES, &net, &r);
    /* Spec §7, literally. */
    ck_assert_int_eq(r.valid, VALID_TRUE);
    ck_assert_uint_eq(r.stats.count, 2009);
    ck_assert_uint_eq(r.stats.ok_count, 2009);
    ck_assert_uint_eq(r.attempt_count, 1000);
    ck_assert_uint_eq(r.stable_count, 1000);
    ck_assert_uint_eq(r.lost.n, 0);
    ck_assert_uint_eq(r.stale.n, 998);
    ck_assert_uint_eq(r.never_read.n, 0);
    const int64_t q[] = { 0, 450, 677, 744, 795 };
    for (int k = 0; k < QUANTILE_N; k++)
        ck_assert_int_eq(r.stable_latencies.q[k], q[k]);
    ck_assert(!r.lost_latencies.present);
    ck_assert_uint_eq(r.n_worst_stale, 8);
    ck_assert_int_eq(r.worst_stale[0].element, 286);
    ck_assert_int_eq(r.worst_stale[0].stable_latency_ms, 795);
    ck_assert(r.ok_fraction == 1.0f);
    ck_assert(r.msgs_per_op_servers == 27.874565f);
    ck_assert(r.msgs_per_op_all == 29.924341f);
    results_release(&r);
}
END_TEST

START_TEST(f3_matches_its_results_edn)
{
    struct results r;
    against_fixture(F3_HIST, F3_RES, NULL, &r);
    ck_assert_int_eq(r.valid, VALID_FALSE);
    ck_assert_int_eq(r.workload_valid, VALID_FALSE);
    ck_assert_uint_eq(r.stats.count, 201);
    ck_assert_uint_eq(r.attempt_count, 104);
    ck_assert_uint_eq(r.stable_count, 98);
    ck_assert_uint_eq(r.stale.n, 25);
    const int64_t lost[] = { 1, 5, 14, 19, 26, 27 };
    ck_assert_uint_eq(r.lost.n, 6);
    for (size_t i = 0; i < 6; i++)
        ck_assert_int_eq(r.lost.v[i], lost[i]);
    const int64_t sq[] = { 0, 0, 29004, 29975, 29975 },
                  lq[] = { 24979, 27201, 29893, 29893, 29893 };
    for (int k = 0; k < QUANTILE_N; k++) {
        ck_assert_int_eq(r.stable_latencies.q[k], sq[k]);
        ck_assert_int_eq(r.lost_latencies.q[k], lq[k]);
    }
    ck_assert_uint_eq(r.n_worst_stale, 8);
    ck_assert_int_eq(r.worst_stale[0].element, 0);
    ck_assert_int_eq(r.worst_stale[0].stable_latency_ms, 29975);
    ck_assert(history_op(r.ops, r.worst_stale[0].last_absent_op)->final);
    results_release(&r);
}
END_TEST

START_TEST(worked_example)
{
    /* Spec §5.7, with 6 server messages and every client request answered. */
    struct net_counts net = { 0 };
    for (int i = 0; i < 6; i++) {
        journal_note_send(&net, "n0", "n1");
        journal_note_recv(&net, "n0", "n1");
    }
    for (int i = 0; i < 26; i++) {
        journal_note_send(&net, i % 2 ? "n0" : "c1", i % 2 ? "c1" : "n0");
        journal_note_recv(&net, i % 2 ? "n0" : "c1", i % 2 ? "c1" : "n0");
    }
    struct checker_opts o = { .net = &net };
    struct results r;
    check_file(FIX "worked-example.history.edn", &o, &r);
    ck_assert_uint_eq(r.attempt_count, 3);
    ck_assert_uint_eq(r.stable_count, 2);
    ck_assert_uint_eq(r.lost.n, 1);
    ck_assert_int_eq(r.lost.v[0], 2);
    ck_assert_uint_eq(r.stale.n, 1);
    ck_assert_int_eq(r.stale.v[0], 0);
    ck_assert_uint_eq(r.never_read.n, 0);
    const int64_t sq[] = { 0, 8, 8, 8, 8 };
    for (int k = 0; k < QUANTILE_N; k++) {
        ck_assert_int_eq(r.stable_latencies.q[k], sq[k]);
        ck_assert_int_eq(r.lost_latencies.q[k], 10009);
    }
    ck_assert_uint_eq(r.n_worst_stale, 1);
    ck_assert_int_eq(r.worst_stale[0].element, 0);
    ck_assert_int_eq(history_op(r.ops, r.worst_stale[0].known_op)->index, 1);
    ck_assert_int_eq(history_op(r.ops, r.worst_stale[0].last_absent_op)->index, 2);
    ck_assert_int_eq(r.workload_valid, VALID_FALSE);
    ck_assert_int_eq(r.valid, VALID_FALSE);
    ck_assert_uint_eq(r.net.clients.msg_count, 26);
    ck_assert_uint_eq(r.net.servers.msg_count, 6);
    ck_assert(r.msgs_per_op_all == 3.5555556f);
    ck_assert(r.msgs_per_op_servers == 0.6666667f);
    char buf[32];
    edn_format_float(r.msgs_per_op_all, buf, sizeof(buf));
    ck_assert_str_eq(buf, "3.5555556");
    edn_format_float(r.msgs_per_op_servers, buf, sizeof(buf));
    ck_assert_str_eq(buf, "0.6666667");
    results_release(&r);
}
END_TEST

START_TEST(json_history_checks_the_same)
{
    /* F3 written as our JSON lines and read back checks to the same results. */
    struct history *h = load(F3_HIST);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    ck_assert_int_eq(history_write(h, HISTORY_JSON, mem), 0);
    fclose(mem);
    ck_assert_int_eq(history_detect(buf, len), HISTORY_JSON);
    struct history *back = history_new();
    char err[256] = "";
    ck_assert_msg(history_parse(back, buf, len, err, sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(history_len(back), history_len(h));
    struct checker_opts o = { 0 };
    struct results a, b;
    ck_assert_int_eq(checker_run(h, &o, &a, err, sizeof(err)), 0);
    ck_assert_int_eq(checker_run(back, &o, &b, err, sizeof(err)), 0);
    assert_same_results(&a, &b);
    /* The nemesis values survive as EDN text. */
    const struct hist_op *op = history_op(back, 2);
    ck_assert_int_eq(op->process, HIST_NEMESIS);
    ck_assert_int_eq(op->f, HF_START_PARTITION);
    ck_assert_str_eq(history_text(back, op->text_off),
                     "[:isolated {\"n2\" #{\"n1\" \"n4\" \"n0\"}, \"n3\" #{\"n1\" \"n4\" \"n0\"}, "
                     "\"n1\" #{\"n2\" \"n3\"}, \"n4\" #{\"n2\" \"n3\"}, \"n0\" #{\"n2\" \"n3\"}}]");
    results_release(&a);
    results_release(&b);
    history_free(back);
    history_free(h);
    free(buf);
}
END_TEST

static char *slurp(const char *path, size_t *len)
{
    char *buf = NULL;
    FILE *mem = open_memstream(&buf, len);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    int ch;
    while ((ch = fgetc(f)) != EOF)
        fputc(ch, mem);
    fclose(f);
    fclose(mem);
    return buf;
}

START_TEST(edn_history_round_trips)
{
    /* Maelstrom's own history.edn files are written back byte for byte. */
    const char *paths[] = { F2_HIST, F3_HIST, FIX "worked-example.history.edn" };
    for (size_t i = 0; i < 3; i++) {
        struct history *h = load(paths[i]);
        char *buf = NULL;
        size_t len = 0, olen = 0;
        FILE *mem = open_memstream(&buf, &len);
        ck_assert_int_eq(history_write(h, HISTORY_EDN, mem), 0);
        fclose(mem);
        char *orig = slurp(paths[i], &olen);
        ck_assert_uint_eq(len, olen);
        ck_assert(memcmp(buf, orig, len) == 0);
        free(buf);
        free(orig);
        history_free(h);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("checker");
    TCase *tc = tcase_create("fixtures");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, f2_matches_its_results_edn);
    tcase_add_test(tc, f3_matches_its_results_edn);
    tcase_add_test(tc, worked_example);
    tcase_add_test(tc, json_history_checks_the_same);
    tcase_add_test(tc, edn_history_round_trips);
    suite_add_tcase(s, tc);
    return check_run(s);
}
