/*
 * check_convergence: gossip-lab's convergence check (harness/check/convergence.h) on small
 * histories, one rule each: which values a node should have (acknowledged or read anywhere), which
 * node a final read belongs to (crashed processes, more workers than nodes), nodes without an ok
 * final read, and that Maelstrom's :valid? is the same with or without it; then the check as
 * results.json, the summary and the CSV show it, and results.json read back.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "checker.h"
#include "convergence.h"
#include "history.h"
#include "results.h"

static const char names[4][GL_ID_MAX] = { "n0", "n1", "n2", "n3" };

/* A history written as EDN lines. */
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

/* One record: type, process, f, the value's EDN text, and whether it is a final read. */
static void op(struct hb *b, const char *type, int process, const char *f, const char *value,
               bool final)
{
    fprintf(b->f, "{:index %d, :time %d, :type :%s, :process %d, :f :%s, :value %s%s}\n", b->index,
            b->index * 1000000, type, process, f, value, final ? ", :final? true" : "");
    b->index++;
}

/* A broadcast of v by process p, acknowledged. */
static void acked(struct hb *b, int p, int v)
{
    char text[32];
    snprintf(text, sizeof(text), "%d", v);
    op(b, "invoke", p, "broadcast", text, false);
    op(b, "ok", p, "broadcast", text, false);
}

/* A final read by process p that returned `values` (EDN vector text), or failed when NULL. */
static void final_read(struct hb *b, int p, const char *values)
{
    op(b, "invoke", p, "read", "nil", true);
    if (values)
        op(b, "ok", p, "read", values, true);
    else
        op(b, "fail", p, "read", "nil", true);
}

static struct history *parse(struct hb *b)
{
    fclose(b->f);
    struct history *h = history_new();
    char err[256] = "";
    ck_assert_msg(history_parse(h, b->buf, b->len, err, sizeof(err)) == 0, "%s", err);
    free(b->buf);
    return h;
}

/* Runs the checker with the convergence check over `nodes` nodes and `workers` workers. */
static void check(struct hb *b, uint32_t nodes, uint32_t workers, struct results *r)
{
    struct history *h = parse(b);
    struct convergence_opts co = { .node_count = nodes,
                                   .concurrency = workers,
                                   .node_names = names };
    struct checker_opts o = { .convergence = &co };
    char err[256] = "";
    ck_assert_int_eq(checker_run(h, &o, r, err, sizeof(err)), 0);
    ck_assert(r->convergence.present);
    history_free(h);
}

START_TEST(every_node_has_every_value)
{
    struct hb b;
    hb_init(&b);
    acked(&b, 0, 1);
    acked(&b, 1, 2);
    final_read(&b, 0, "[1 2]");
    final_read(&b, 1, "[2 1]");
    struct results r;
    check(&b, 2, 2, &r);
    const struct convergence *c = &r.convergence;
    ck_assert_int_eq(convergence_verdict(c), CONVERGED);
    ck_assert_uint_eq(c->nodes, 2);
    ck_assert_uint_eq(c->nodes_read, 2);
    ck_assert_uint_eq(c->values, 2);
    ck_assert_uint_eq(c->n_lacking, 0);
    ck_assert_uint_eq(c->lacking_total, 0);
    ck_assert_uint_eq(c->n_unread, 0);
    results_release(&r);
}
END_TEST

/*
 * Values of every kind count once: small ones (a bitset), negative and large ones (a hash table),
 * and a value that went to the hash table before the bitset grew over it (9000: beyond the
 * bitset's reach while few values are known, within it once 200 more are).
 */
START_TEST(values_small_large_and_negative)
{
    struct hb b;
    hb_init(&b);
    acked(&b, 0, 9000);
    acked(&b, 0, -5);
    char all[2048], most[2048];
    int na = snprintf(all, sizeof(all), "[9000 -5"), nm = snprintf(most, sizeof(most), "[-5");
    for (int v = 0; v < 200; v++) {
        acked(&b, v % 2, v);
        na += snprintf(all + na, sizeof(all) - (size_t)na, " %d", v);
        nm += snprintf(most + nm, sizeof(most) - (size_t)nm, " %d", v);
    }
    snprintf(all + na, sizeof(all) - (size_t)na, " 9000]");
    snprintf(most + nm, sizeof(most) - (size_t)nm, "]");
    final_read(&b, 0, all);
    final_read(&b, 1, most);
    struct results r;
    check(&b, 2, 2, &r);
    const struct convergence *c = &r.convergence;
    ck_assert_uint_eq(c->values, 202);
    ck_assert_uint_eq(c->n_lacking, 1);
    ck_assert_str_eq(c->lacking[0].name, "n1");
    ck_assert_uint_eq(c->lacking[0].lacking, 1);
    results_release(&r);
}
END_TEST

START_TEST(a_node_lacks_values_yet_maelstrom_says_valid)
{
    /* n1's final read misses 2 and 3, but n0's, invoked later, has them: set-full calls both
     * stable and the run valid. The convergence check sees n1 lacking two values. */
    struct hb b;
    hb_init(&b);
    acked(&b, 0, 1);
    acked(&b, 0, 2);
    acked(&b, 1, 3);
    final_read(&b, 1, "[1]");
    final_read(&b, 0, "[1 2 3]");
    struct results r;
    check(&b, 2, 2, &r);
    ck_assert_int_eq(r.valid, VALID_TRUE);
    ck_assert_uint_eq(r.lost.n, 0);
    const struct convergence *c = &r.convergence;
    ck_assert_int_eq(convergence_verdict(c), NOT_CONVERGED);
    ck_assert_uint_eq(c->values, 3);
    ck_assert_uint_eq(c->n_lacking, 1);
    ck_assert_str_eq(c->lacking[0].name, "n1");
    ck_assert_uint_eq(c->lacking[0].lacking, 2);
    ck_assert_uint_eq(c->lacking_total, 2);
    ck_assert_uint_eq(c->lacking_max, 2);
    results_release(&r);
}
END_TEST

START_TEST(known_values_are_acknowledged_or_read)
{
    /* 7's broadcast timed out but n0 read it: known, and n1 lacks it. 8 timed out and nobody
     * read it: not known, so nobody lacks it. A non-final read counts for known values only. */
    struct hb b;
    hb_init(&b);
    op(&b, "invoke", 0, "broadcast", "7", false);
    op(&b, "info", 0, "broadcast", "7", false);
    op(&b, "invoke", 1, "broadcast", "8", false);
    op(&b, "info", 1, "broadcast", "8", false);
    op(&b, "invoke", 3, "read", "nil", false);
    op(&b, "ok", 3, "read", "[9]", false);
    final_read(&b, 2, "[7 9]");
    final_read(&b, 3, "[]");
    struct results r;
    check(&b, 2, 2, &r);
    const struct convergence *c = &r.convergence;
    ck_assert_uint_eq(c->values, 2);
    ck_assert_uint_eq(c->nodes_read, 2);
    ck_assert_uint_eq(c->n_lacking, 1);
    ck_assert_str_eq(c->lacking[0].name, "n1");
    ck_assert_uint_eq(c->lacking[0].lacking, 2);
    results_release(&r);
}
END_TEST

START_TEST(reads_that_extend_earlier_ones)
{
    /* The history stores a read that extends its process's previous vector as that vector plus
     * the new values; the check takes only the new ones when the earlier vector was an ok read
     * (counted already), and all of them when it was not (here an invocation carrying one). */
    struct hb b;
    hb_init(&b);
    op(&b, "invoke", 0, "read", "[1 2]", false);
    op(&b, "ok", 0, "read", "[1 2 3]", false);
    op(&b, "invoke", 1, "read", "nil", false);
    op(&b, "ok", 1, "read", "[4]", false);
    op(&b, "invoke", 1, "read", "nil", false);
    op(&b, "ok", 1, "read", "[4 5]", false);
    op(&b, "invoke", 1, "read", "nil", false);
    op(&b, "ok", 1, "read", "[4 5 6]", false);
    final_read(&b, 0, "[6 1 1]");
    struct results r;
    check(&b, 1, 1, &r);
    const struct convergence *c = &r.convergence;
    ck_assert_uint_eq(c->values, 6);
    ck_assert_uint_eq(c->n_lacking, 1);
    ck_assert_uint_eq(c->lacking[0].lacking, 4); /* 2 3 4 5: a value read twice counts once */
    results_release(&r);
}
END_TEST

START_TEST(final_reads_find_their_node)
{
    /* 4 workers on 2 nodes: workers 0 and 2 read n0, 1 and 3 read n1; process 5 is worker 1
     * after a crash. A node has a value when any of its ok final reads has it. */
    struct hb b;
    hb_init(&b);
    acked(&b, 0, 1);
    acked(&b, 0, 2);
    final_read(&b, 0, "[1]");
    final_read(&b, 2, "[2]");
    final_read(&b, 5, "[1 2]");
    final_read(&b, 3, "[]");
    struct results r;
    check(&b, 2, 4, &r);
    const struct convergence *c = &r.convergence;
    ck_assert_int_eq(convergence_verdict(c), CONVERGED);
    ck_assert_uint_eq(c->nodes_read, 2);
    results_release(&r);

    /* Without process 5's read, n1 has only worker 3's empty one. */
    hb_init(&b);
    acked(&b, 0, 1);
    acked(&b, 0, 2);
    final_read(&b, 0, "[1]");
    final_read(&b, 2, "[2]");
    final_read(&b, 3, "[]");
    check(&b, 2, 4, &r);
    ck_assert_uint_eq(r.convergence.n_lacking, 1);
    ck_assert_str_eq(r.convergence.lacking[0].name, "n1");
    ck_assert_uint_eq(r.convergence.lacking[0].lacking, 2);
    results_release(&r);
}
END_TEST

START_TEST(nodes_without_an_ok_final_read)
{
    /* n2's final read failed and n3 has no worker (2 workers on 4 nodes): both unread; n0 and n1
     * have everything, so the verdict is unknown, not converged. */
    struct hb b;
    hb_init(&b);
    acked(&b, 0, 1);
    final_read(&b, 0, "[1]");
    final_read(&b, 1, "[1]");
    struct results r;
    check(&b, 4, 2, &r);
    const struct convergence *c = &r.convergence;
    ck_assert_int_eq(convergence_verdict(c), CONVERGENCE_UNKNOWN);
    ck_assert_uint_eq(c->nodes_read, 2);
    ck_assert_uint_eq(c->n_unread, 2);
    ck_assert_str_eq(c->unread[0], "n2");
    ck_assert_str_eq(c->unread[1], "n3");
    results_release(&r);

    hb_init(&b);
    acked(&b, 0, 1);
    final_read(&b, 0, "[]");
    final_read(&b, 1, NULL);
    check(&b, 2, 2, &r);
    ck_assert_int_eq(convergence_verdict(&r.convergence), NOT_CONVERGED);
    ck_assert_uint_eq(r.convergence.n_unread, 1);
    ck_assert_str_eq(r.convergence.unread[0], "n1");
    results_release(&r);

    hb_init(&b); /* nothing at all */
    check(&b, 2, 2, &r);
    ck_assert_int_eq(convergence_verdict(&r.convergence), CONVERGENCE_UNKNOWN);
    ck_assert_uint_eq(r.convergence.n_unread, 2);
    results_release(&r);
}
END_TEST

/* Found by fuzz_history_jsonl: final reads that all returned nothing left no (node, value) pair,
 * and the count pointed into the missing array (UBSan). Nothing known, nothing lacking. */
START_TEST(only_empty_final_reads)
{
    struct hb b;
    hb_init(&b);
    final_read(&b, 0, "[]");
    final_read(&b, 1, "[]");
    struct results r;
    check(&b, 2, 2, &r);
    ck_assert_int_eq(convergence_verdict(&r.convergence), CONVERGED);
    ck_assert_uint_eq(r.convergence.values, 0);
    ck_assert_uint_eq(r.convergence.nodes_read, 2);
    results_release(&r);
}
END_TEST

/* The text results_write_* print for r. */
static char *written(const struct results *r, int (*fn)(const struct results *, FILE *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(fn(r, f), 0);
    ck_assert_int_eq(fclose(f), 0);
    /* A copy on the heap: inlining this, GCC -O3 (release preset) took the returned pointer
     * for the address of the local buf (-Wdangling-pointer). */
    char *copy = strdup(buf);
    free(buf);
    ck_assert_ptr_nonnull(copy);
    return copy;
}

static struct results lacking_results(void)
{
    struct hb b;
    hb_init(&b);
    acked(&b, 0, 1);
    acked(&b, 0, 2);
    acked(&b, 1, 3);
    final_read(&b, 1, "[1]");
    final_read(&b, 2, NULL);
    final_read(&b, 0, "[1 2 3]");
    struct results r;
    check(&b, 4, 3, &r);
    return r;
}

START_TEST(results_show_it_outside_maelstrom_keys)
{
    struct results r = lacking_results();
    char *json = written(&r, results_write_json);
    const char *key = strstr(json, "\n  \"gossip-lab/convergence\": {");
    ck_assert_msg(key != NULL, "%s", json);
    ck_assert_ptr_nonnull(strstr(key, "\"converged?\": false,\n"));
    ck_assert_ptr_nonnull(strstr(key, "\"nodes\": 4,\n"));
    ck_assert_ptr_nonnull(strstr(key, "\"nodes-read\": 2,\n"));
    ck_assert_ptr_nonnull(strstr(key, "\"nodes-lacking\": 1,\n"));
    ck_assert_ptr_nonnull(strstr(key, "\"values\": 3,\n"));
    ck_assert_ptr_nonnull(strstr(key, "\"lacking-count\": 2,\n"));
    ck_assert_ptr_nonnull(strstr(key, "\"lacking-max\": 2,\n"));
    ck_assert_ptr_nonnull(strstr(key, "\"n1\": 2"));
    ck_assert_ptr_nonnull(strstr(key, "\"unread\": [\"n2\", \"n3\"]"));
    /* results.edn keeps Maelstrom's layout: none of it there. */
    char *edn = written(&r, results_write_edn);
    ck_assert_ptr_null(strstr(edn, "convergence"));
    char *summary = written(&r, results_write_summary);
    ck_assert_msg(strstr(summary, "\nconverged         no: 1 of 4 nodes lack values (n1 2; 2 "
                                  "missing in all, of 3 known values; 2 nodes not read)\n"),
                  "%s", summary);
    char *csv = written(&r, results_write_csv);
    ck_assert_msg(strstr(csv, ",true,1,2\n"), "%s", csv);

    /* Read back from results.json, it prints the same. */
    struct results back;
    char err[256] = "";
    ck_assert_msg(results_parse(&back, json, strlen(json), err, sizeof(err)) == 0, "%s", err);
    char *json2 = written(&back, results_write_json);
    ck_assert_str_eq(json2, json);
    results_release(&back);
    free(json);
    free(json2);
    free(edn);
    free(summary);
    free(csv);
    results_release(&r);
}
END_TEST

START_TEST(results_without_it)
{
    /* `harness check` does not compute it: no key, no summary line, empty CSV fields. */
    struct hb b;
    hb_init(&b);
    acked(&b, 0, 1);
    final_read(&b, 0, "[1]");
    struct history *h = parse(&b);
    struct checker_opts o = { 0 };
    struct results r;
    char err[256];
    ck_assert_int_eq(checker_run(h, &o, &r, err, sizeof(err)), 0);
    ck_assert(!r.convergence.present);
    char *json = written(&r, results_write_json), *summary = written(&r, results_write_summary),
         *csv = written(&r, results_write_csv);
    ck_assert_ptr_null(strstr(json, "convergence"));
    ck_assert_ptr_null(strstr(summary, "converged"));
    ck_assert_msg(strstr(csv, ",true,,\n"), "%s", csv);
    free(json);
    free(summary);
    free(csv);
    results_release(&r);
    history_free(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("convergence");
    TCase *tc = tcase_create("convergence");
    tcase_add_test(tc, every_node_has_every_value);
    tcase_add_test(tc, values_small_large_and_negative);
    tcase_add_test(tc, a_node_lacks_values_yet_maelstrom_says_valid);
    tcase_add_test(tc, known_values_are_acknowledged_or_read);
    tcase_add_test(tc, reads_that_extend_earlier_ones);
    tcase_add_test(tc, final_reads_find_their_node);
    tcase_add_test(tc, nodes_without_an_ok_final_read);
    tcase_add_test(tc, only_empty_final_reads);
    tcase_add_test(tc, results_show_it_outside_maelstrom_keys);
    tcase_add_test(tc, results_without_it);
    suite_add_tcase(s, tc);
    return check_run(s);
}
