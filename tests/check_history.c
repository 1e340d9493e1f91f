/*
 * check_history: proves packed integer vectors come back exactly — order, duplicates, negative
 * values, the int64 extremes, random and empty vectors — that they are written exactly, and
 * that typical reads (consecutive values) are stored in a few bytes, so long runs fit in memory.
 */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "history.h"
#include "rng.h"

static void roundtrip(struct history *h, const int64_t *v, size_t n)
{
    struct hist_op op = {
        .index = -1, .process = 0, .type = HT_OK, .f = HF_READ, .vkind = HV_INTS
    };
    ck_assert_int_eq(history_push(h, &op, v, n, NULL, NULL, NULL, NULL, NULL), 0);
    size_t got_n;
    const int64_t *got = history_vals(h, history_op(h, history_len(h) - 1), &got_n);
    ck_assert_uint_eq(got_n, n);
    /* One assertion per vector: Check records every passing assertion, and there are millions
     * of values here. */
    size_t first_diff = 0;
    while (first_diff < n && got[first_diff] == v[first_diff])
        first_diff++;
    ck_assert_msg(first_diff == n, "value %zu: got %lld, pushed %lld", first_diff,
                  first_diff < n ? (long long)got[first_diff] : 0LL,
                  first_diff < n ? (long long)v[first_diff] : 0LL);
}

START_TEST(edge_vectors)
{
    struct history *h = history_new();
    const int64_t a[] = { 0, 1, 2, 3, 3, 3, 2, 1, -1, -5, 100 };
    const int64_t b[] = { INT64_MAX, INT64_MIN, 0, INT64_MIN, INT64_MAX, -1, 1 };
    const int64_t c[] = { 7 };
    roundtrip(h, a, sizeof(a) / sizeof(a[0]));
    roundtrip(h, b, sizeof(b) / sizeof(b[0]));
    roundtrip(h, c, 1);
    roundtrip(h, NULL, 0);
    /* Earlier records still unpack after later pushes moved the pool. */
    size_t n;
    const int64_t *got = history_vals(h, history_op(h, 1), &n);
    ck_assert_uint_eq(n, 7);
    ck_assert_int_eq(got[1], INT64_MIN);
    history_free(h);
}
END_TEST

START_TEST(random_vectors)
{
    struct rng r;
    rng_seed(&r, (uint64_t)_i);
    struct history *h = history_new();
    int64_t *v = malloc(5000 * sizeof(*v));
    for (int k = 0; k < 20; k++) {
        size_t n = (size_t)rng_below(&r, 5000);
        for (size_t i = 0; i < n; i++) {
            switch (rng_below(&r, 3)) {
            case 0:
                v[i] = (int64_t)rng_next(&r);
                break;
            case 1:
                v[i] = i ? v[i - 1] + 1 : 0;
                break;
            default:
                v[i] = (int64_t)rng_below(&r, 100) - 50;
                break;
            }
        }
        roundtrip(h, v, n);
    }
    free(v);
    history_free(h);
}
END_TEST

/*
 * A read in first-seen order: every delta differs from the last, so each value is a run of one,
 * packed without a run length: a delta within +-31 takes one byte (it took two).
 */
START_TEST(runs_of_one_take_a_byte)
{
    struct history *h = history_new();
    int64_t v[4000];
    v[0] = 0; /* 0, 20, 1, 21, 2 ...: deltas +20 and -19 by turns */
    for (size_t i = 1; i < 4000; i++)
        v[i] = v[i - 1] + (i % 2 ? 20 : -19);
    roundtrip(h, v, 4000);
    ck_assert_uint_lt(history_packed_bytes(h), 4000 + 16);
    history_free(h);
}
END_TEST

START_TEST(consecutive_reads_are_small)
{
    /* 1000 reads of 0..14999 with two values swapped: 120 MB as raw integers; packed, a few
     * runs per read. */
    struct history *h = history_new();
    int64_t *v = malloc(15000 * sizeof(*v));
    for (int64_t i = 0; i < 15000; i++)
        v[i] = i;
    v[100] = 14999;
    v[14999] = 100;
    for (int k = 0; k < 1000; k++)
        roundtrip(h, v, 15000);
    ck_assert_uint_lt(history_packed_bytes(h), 1000 * 64);
    free(v);
    history_free(h);
}
END_TEST

START_TEST(written_exactly)
{
    struct history *h = history_new();
    const int64_t v[] = { INT64_MIN, -1, 0, 7, 10, INT64_MAX };
    roundtrip(h, v, 6);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(history_write(h, HISTORY_JSON, f), 0);
    ck_assert_int_eq(history_write(h, HISTORY_EDN, f), 0);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "[-9223372036854775808,-1,0,7,10,9223372036854775807]"));
    ck_assert_ptr_nonnull(strstr(buf, "[-9223372036854775808 -1 0 7 10 9223372036854775807]"));
    free(buf);
    history_free(h);
}
END_TEST

static char *written_as(const struct history *h, enum history_format fmt);

/* h written record by record (history_write_op_*: no cache of earlier vectors), as fmt. */
static char *written_op_by_op(const struct history *h, enum history_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    for (size_t i = 0; i < history_len(h); i++)
        ck_assert_int_eq(fmt == HISTORY_JSON ? history_write_op_json(h, history_op(h, i), f)
                                             : history_write_op_edn(h, history_op(h, i), false, f),
                         0);
    fclose(f);
    return buf;
}

/*
 * Reads that share a long prefix and differ only above the low 32 bits of a value must not be
 * taken for extensions of one another (a copy narrowed to 32 bits would take them so).
 */
START_TEST(extensions_compare_all_64_bits)
{
    enum { P = 3000, MAX = P + 4 };
    const int64_t high = (int64_t)1 << 32;
    const int64_t tails[][4] = {
        { high + 1 }, { 1, 9 }, { high + 1, 9, 4 }, { high + 1, 9, 4, -3 }, { 1 }
    };
    const size_t tail_len[] = { 1, 2, 3, 4, 1 };
    /* Whether each read extends the one before: r2 differs from r1 above 32 bits only. */
    const bool extends[] = { false, false, false, true, false };
    enum { READS = sizeof(tail_len) / sizeof(tail_len[0]) };
    int64_t(*reads)[MAX] = malloc(READS * sizeof(*reads));
    ck_assert_ptr_nonnull(reads);
    struct history *h = history_new();
    for (size_t k = 0; k < READS; k++) {
        for (size_t i = 0; i < P; i++)
            reads[k][i] = (int64_t)(i * 7 % P);
        memcpy(reads[k] + P, tails[k], tail_len[k] * sizeof(int64_t));
        struct hist_op op = {
            .index = -1, .process = 0, .type = HT_OK, .f = HF_READ, .vkind = HV_INTS
        };
        ck_assert_int_eq(
            history_push(h, &op, reads[k], P + tail_len[k], NULL, NULL, NULL, NULL, NULL), 0);
    }
    for (size_t k = 0; k < READS; k++) {
        size_t n, base;
        const int64_t *got;
        ck_assert_int_eq(history_vals_suffix(h, history_op(h, k), &n, &base, &got), extends[k]);
        if (extends[k]) ck_assert_uint_eq(base, k - 1);
        got = history_vals(h, history_op(h, k), &n);
        ck_assert_uint_eq(n, P + tail_len[k]);
        ck_assert_int_eq(memcmp(got, reads[k], n * sizeof(*got)), 0);
    }
    history_free(h);
    free(reads);
}
END_TEST

START_TEST(extending_reads_share_their_prefix)
{
    /* Three processes read in turn; each read extends that process's previous read by a few
     * values in a jumbled order (as a node that learns values out of order returns them), every
     * 7th read is a fresh permutation and every 11th changes the last value it repeats: those
     * extend nothing. Every record must come back exactly at the end, and the extensions must
     * cost about their new values only. Whether a read extends the last one is seen from a copy
     * of it, or from a fingerprint when the copies would take too much: the loop runs with room
     * for all copies, for none, and for some, with values that all fit 32 bits (_i / 3 == 0),
     * with a few negative ones among the first (1), and with values beyond 32 bits (2). */
    struct rng r;
    rng_seed(&r, (uint64_t)_i);
    struct history *h = history_new();
    if (_i % 3) history_set_copy_max(h, _i % 3 == 1 ? 0 : 40000);
    int64_t shift = _i / 3 == 1 ? -7 : 7;
    enum { PROCS = 3, READS = 200, STEP = 20 };
    int64_t *vec[PROCS * READS];
    size_t len[PROCS * READS], appended = 0;
    int64_t *cur[PROCS] = { 0 };
    size_t cur_n[PROCS] = { 0 };
    for (int k = 0; k < PROCS * READS; k++) {
        int p = k % PROCS;
        size_t n = cur_n[p] + STEP;
        cur[p] = realloc(cur[p], n * sizeof(int64_t));
        for (size_t i = cur_n[p]; i < n; i++)
            cur[p][i] = (int64_t)(i + rng_below(&r, 50)) * 3 + shift;
        if (_i / 3 == 2 && k % 13 == 12) cur[p][n - 1] += (int64_t)1 << 32;
        appended += STEP;
        if (k % 11 == 10 && cur_n[p]) { /* one repeated value changed: extends nothing */
            cur[p][cur_n[p] - 1] += _i / 3 == 2 ? (int64_t)1 << 32 : 1; /* (2): beyond 32 bits */
            appended += n;
        } else if (k % 7 == 6) { /* a permutation: shares no prefix */
            for (size_t i = n; i > 1; i--) {
                size_t j = (size_t)rng_below(&r, i);
                int64_t t = cur[p][i - 1];
                cur[p][i - 1] = cur[p][j];
                cur[p][j] = t;
            }
            appended += n;
        }
        cur_n[p] = n;
        vec[k] = malloc(n * sizeof(int64_t));
        memcpy(vec[k], cur[p], n * sizeof(int64_t));
        len[k] = n;
        struct hist_op op = {
            .index = -1, .process = p, .type = HT_OK, .f = HF_READ, .vkind = HV_INTS
        };
        ck_assert_int_eq(history_push(h, &op, vec[k], n, NULL, NULL, NULL, NULL, NULL), 0);
    }
    /* history_vals_suffix: an extension is the same process's earlier read plus the values
     * handed out; anything else is the whole vector. */
    int extensions = 0;
    for (int k = 0; k < PROCS * READS; k++) {
        size_t n, base = SIZE_MAX;
        const int64_t *got;
        if (history_vals_suffix(h, history_op(h, (size_t)k), &n, &base, &got)) {
            ck_assert_uint_lt(base, (size_t)k);
            ck_assert_int_eq((int)(base % PROCS), k % PROCS);
            ck_assert_uint_eq(len[base] + n, len[k]);
            ck_assert_int_eq(memcmp(vec[base], vec[k], len[base] * sizeof(int64_t)), 0);
            ck_assert(n == 0 || memcmp(got, vec[k] + len[base], n * sizeof(int64_t)) == 0);
            extensions++;
        } else {
            ck_assert_uint_eq(n, len[k]);
            ck_assert_int_eq(memcmp(got, vec[k], n * sizeof(int64_t)), 0);
        }
    }
    ck_assert_int_gt(extensions, PROCS * READS / 2);
    /* history_write writes an extension as the text of the vector it extends and its new
     * values: the same bytes as writing every record from scratch. */
    for (int fmt = 0; fmt < 2; fmt++) {
        enum history_format hf = fmt ? HISTORY_JSON : HISTORY_EDN;
        char *whole = written_as(h, hf), *by_op = written_op_by_op(h, hf);
        ck_assert_str_eq(whole, by_op);
        free(whole);
        free(by_op);
    }
    for (int k = 0; k < PROCS * READS; k++) {
        size_t n;
        const int64_t *got = history_vals(h, history_op(h, (size_t)k), &n);
        ck_assert_uint_eq(n, len[k]);
        ck_assert_int_eq(memcmp(got, vec[k], n * sizeof(int64_t)), 0);
        free(vec[k]);
    }
    /* ~3 bytes per appended value at most; the full vectors would take 8 x 12M bytes. */
    ck_assert_uint_lt(history_packed_bytes(h), appended * 4);
    for (int p = 0; p < PROCS; p++)
        free(cur[p]);
    history_free(h);
}
END_TEST

/* The text history_write prints for h in format fmt (malloc'd). */
static char *written_as(const struct history *h, enum history_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(history_write(h, fmt, f), 0);
    fclose(f);
    return buf;
}

/* A history_write on a thread of its own, for written_beside_other_readers. */
struct writer {
    const struct history *h;
    enum history_format fmt;
    char *text;
};

static void *write_whole(void *arg)
{
    struct writer *w = arg;
    w->text = written_as(w->h, w->fmt);
    return NULL;
}

START_TEST(written_beside_other_readers)
{
    /* harness test writes history.jsonl and history.edn on threads of their own while the
     * checker reads the history: each reader unpacks into its own buffers, so every text comes
     * out as written alone, however the readers interleave. */
    struct rng r;
    rng_seed(&r, 7);
    struct history *h = history_new();
    int64_t cur[4][400];
    size_t cur_n[4] = { 0 };
    for (int k = 0; k < 1200; k++) {
        int p = k % 4;
        for (int j = 0; j < 1 + k % 3 && cur_n[p] < 400; j++)
            cur[p][cur_n[p]++] = (int64_t)rng_below(&r, 100000);
        if (k % 13 == 12) cur[p][0] += 1; /* extends nothing */
        struct hist_op op = {
            .index = -1, .process = p, .type = HT_OK, .f = HF_READ, .vkind = HV_INTS
        };
        ck_assert_int_eq(history_push(h, &op, cur[p], cur_n[p], NULL, NULL, NULL, NULL, NULL), 0);
    }
    char *want[2] = { written_as(h, HISTORY_JSON), written_as(h, HISTORY_EDN) };
    for (int round = 0; round < 5; round++) {
        struct writer w[2] = { { h, HISTORY_JSON, NULL }, { h, HISTORY_EDN, NULL } };
        pthread_t t[2];
        for (int k = 0; k < 2; k++)
            ck_assert_int_eq(pthread_create(&t[k], NULL, write_whole, &w[k]), 0);
        int64_t sum = 0; /* the main thread unpacks every vector meanwhile, as the checker does */
        for (int pass = 0; pass < 20; pass++) {
            for (size_t i = 0; i < history_len(h); i++) {
                size_t n, base;
                const int64_t *v = history_vals(h, history_op(h, i), &n);
                sum += n ? v[n - 1] : 0;
                (void)history_vals_suffix(h, history_op(h, i), &n, &base, &v);
            }
        }
        ck_assert_int_ne(sum, 0);
        for (int k = 0; k < 2; k++) {
            ck_assert_int_eq(pthread_join(t[k], NULL), 0);
            ck_assert_msg(strcmp(w[k].text, want[k]) == 0, "round %d: text %d differs", round, k);
            free(w[k].text);
        }
    }
    free(want[0]);
    free(want[1]);
    history_free(h);
}
END_TEST

/* Found by fuzz_history_edn: integers beyond 2^53 (a :time of 1.1e16 ns, a value 2^53 + 1) read
 * from history.edn were written to history.jsonl, whose reader, through cJSON's doubles, refused
 * them or rounded 2^53 + 1 to 2^53. Both formats now carry every int64 exactly. */
START_TEST(json_integers_beyond_2_53_are_exact)
{
    static const char edn[] =
        "{:index 0, :time 11341000269623000, :type :invoke, :process 9007199254740993, :f :read, "
        ":value nil}\n"
        "{:index 1, :time 11341000269623001, :type :ok, :process 9007199254740993, :f :read, "
        ":value [9007199254740993 -9223372036854775808]}\n";
    struct history *h = history_new();
    char err[256] = "";
    ck_assert_msg(history_parse(h, edn, strlen(edn), err, sizeof(err)) == 0, "%s", err);
    char *json = written_as(h, HISTORY_JSON);
    struct history *back = history_new();
    ck_assert_msg(history_parse(back, json, strlen(json), err, sizeof(err)) == 0, "%s", err);
    const struct hist_op *op = history_op(back, 1);
    ck_assert_int_eq(op->time_ns, 11341000269623001LL);
    ck_assert_int_eq(op->process, 9007199254740993LL);
    size_t n;
    const int64_t *v = history_vals(back, op, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(v[0], 9007199254740993LL);
    ck_assert_int_eq(v[1], INT64_MIN);
    char *edn2 = written_as(back, HISTORY_EDN);
    ck_assert_str_eq(edn2, edn);
    free(json);
    free(edn2);
    history_free(back);
    history_free(h);
}
END_TEST

/* cJSON cuts a string at \u0000: a JSON record whose string field holds one is refused. */
START_TEST(json_strings_with_nul_are_refused)
{
    static const struct {
        const char *line, *err;
    } cases[] = {
        { "{\"index\":0,\"time\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"re\\u0000ad\","
          "\"value\":null}",
          "1:1: \"f\" contains a NUL character (\\u0000)" },
        { "{\"index\":0,\"time\":0,\"type\":\"info\",\"process\":0,\"f\":\"read\","
          "\"value\":null,\"error\":\":x\\u0000\"}",
          "1:1: \"error\" contains a NUL character (\\u0000)" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct history *h = history_new();
        char err[256] = "";
        ck_assert_int_eq(history_parse(h, cases[i].line, strlen(cases[i].line), err, sizeof(err)),
                         -1);
        ck_assert_str_eq(err, cases[i].err);
        history_free(h);
    }
}
END_TEST

static Suite *history_suite(void)
{
    Suite *s = suite_create("history");
    TCase *tc = tcase_create("packing");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, edge_vectors);
    tcase_add_loop_test(tc, random_vectors, 0, 5);
    tcase_add_test(tc, consecutive_reads_are_small);
    tcase_add_test(tc, runs_of_one_take_a_byte);
    tcase_add_test(tc, written_exactly);
    tcase_add_loop_test(tc, extending_reads_share_their_prefix, 0, 9);
    tcase_add_test(tc, extensions_compare_all_64_bits);
    tcase_add_test(tc, written_beside_other_readers);
    tcase_add_test(tc, json_integers_beyond_2_53_are_exact);
    tcase_add_test(tc, json_strings_with_nul_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(history_suite());
}
