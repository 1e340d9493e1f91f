/*
 * check_results: proves the results files are Maelstrom's: the four real results.edn fixtures
 * parse to the values of spec §7 and print back byte for byte; results.json and results.edn
 * written by us parse back to the same values; the summary and CSV lines carry the key figures.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "checker.h"
#include "results.h"

#define FIX GL_SOURCE_DIR "/tests/fixtures/maelstrom/"
#define F1  FIX "pankajads__maelstrom_test__broadcast-3b-n5-rate10.edn"
#define F2  FIX "Emmanuel32__distributed-systems-practice__broadcast-3d-n25-rate100-lat100.edn"
#define F3  FIX "imperfect-fourth__gossip-glomers__broadcast-3c-n5-partition-lost.edn"
#define F4  FIX "imperfect-fourth__gossip-glomers__broadcast-3a-n1-malformed-exceptions.edn"

static void load(const char *path, struct results *r)
{
    char err[512] = "";
    ck_assert_msg(results_load(r, path, err, sizeof(err)) == 0, "%s", err);
}

struct expect {
    const char *path;
    enum validity valid, workload;
    uint64_t count, ok, fail, info;
    uint64_t all_send, all_recv, all_msg;
    float mpo_all;
    uint64_t clients, servers_send, servers_recv;
    float mpo_servers;
    uint64_t attempt, stable, lost, stale, never_read;
    bool has_stable;
    int64_t sq[QUANTILE_N];
    size_t worst;
    float ok_fraction;
    size_t exceptions;
};

/* Spec §7's table. */
static const struct expect table[] = {
    { F1,  VALID_TRUE, VALID_TRUE, 182,        182, 0,  0, 2650, 2650, 2650, 14.560439f,
      384, 2266,       2266,       12.450549f, 84,  84, 0, 0,    0,    true, { 0, 0, 0, 0, 0 },
      0,   1.0f,       0 },
    { F2,         VALID_TRUE,
      VALID_TRUE, 2009,
      2009,       0,
      0,          60118,
      60118,      60118,
      29.924341f, 4118,
      56000,      56000,
      27.874565f, 1000,
      1000,       0,
      998,        0,
      true,       { 0, 450, 677, 744, 795 },
      8,          1.0f,
      0 },
    { F3,
      VALID_FALSE,
      VALID_FALSE,
      201,
      201,
      0,
      0,
      1433,
      1364,
      1433,
      7.129353f,
      422,
      1011,
      942,
      5.029851f,
      104,
      98,
      6,
      25,
      0,
      true,
      { 0, 0, 29004, 29975, 29975 },
      8,
      1.0f,
      0 },
    { F4, VALID_FALSE, VALID_UNKNOWN, 201, 0, 0, 201, 406,   406,   406, 2.0199006f, 406, 0,
      0,  0.0f,        100,           0,   0, 0, 100, false, { 0 }, 0,   0.0f,       1 },
};

START_TEST(fixtures_parse_to_spec_values)
{
    const struct expect *e = &table[_i];
    struct results r;
    load(e->path, &r);
    ck_assert_int_eq(r.valid, e->valid);
    ck_assert_int_eq(r.workload_valid, e->workload);
    ck_assert_uint_eq(r.stats.count, e->count);
    ck_assert_uint_eq(r.stats.ok_count, e->ok);
    ck_assert_uint_eq(r.stats.fail_count, e->fail);
    ck_assert_uint_eq(r.stats.info_count, e->info);
    ck_assert_int_eq(r.stats.valid, e->ok > 0);
    ck_assert_uint_eq(r.net.all.send_count, e->all_send);
    ck_assert_uint_eq(r.net.all.recv_count, e->all_recv);
    ck_assert_uint_eq(r.net.all.msg_count, e->all_msg);
    ck_assert(r.msgs_per_op_all == e->mpo_all);
    ck_assert_uint_eq(r.net.clients.msg_count, e->clients);
    ck_assert_uint_eq(r.net.servers.send_count, e->servers_send);
    ck_assert_uint_eq(r.net.servers.recv_count, e->servers_recv);
    ck_assert(r.msgs_per_op_servers == e->mpo_servers);
    ck_assert_uint_eq(r.attempt_count, e->attempt);
    ck_assert_uint_eq(r.stable_count, e->stable);
    ck_assert_uint_eq(r.lost.n, e->lost);
    ck_assert_uint_eq(r.stale.n, e->stale);
    ck_assert_uint_eq(r.never_read.n, e->never_read);
    ck_assert_int_eq(r.stable_latencies.present, e->has_stable);
    for (int k = 0; e->has_stable && k < QUANTILE_N; k++)
        ck_assert_int_eq(r.stable_latencies.q[k], e->sq[k]);
    ck_assert_uint_eq(r.n_worst_stale, e->worst);
    ck_assert(r.ok_fraction == e->ok_fraction);
    ck_assert_uint_eq(r.n_exceptions, e->exceptions);
    results_release(&r);
}
END_TEST

START_TEST(fixture_details)
{
    struct results r;
    load(F2, &r);
    ck_assert_int_eq(r.worst_stale[0].element, 286);
    ck_assert_int_eq(r.worst_stale[0].stable_latency_ms, 795);
    const struct hist_op *known = history_op(r.ops, r.worst_stale[0].known_op);
    ck_assert_int_eq(known->index, 1138);
    ck_assert_int_eq(known->f, HF_BROADCAST); /* :f :add */
    results_release(&r);
    load(F3, &r);
    const int64_t lost[] = { 1, 5, 14, 19, 26, 27 }, lq[] = { 24979, 27201, 29893, 29893, 29893 };
    for (size_t i = 0; i < 6; i++)
        ck_assert_int_eq(r.lost.v[i], lost[i]);
    for (int k = 0; k < QUANTILE_N; k++)
        ck_assert_int_eq(r.lost_latencies.q[k], lq[k]);
    ck_assert_int_eq(r.worst_stale[0].element, 0);
    ck_assert_int_eq(r.worst_stale[0].stable_latency_ms, 29975);
    ck_assert(history_op(r.ops, r.worst_stale[0].last_absent_op)->final);
    results_release(&r);
    load(F4, &r);
    ck_assert_str_eq(r.exceptions[0].class_name, "clojure.lang.ExceptionInfo");
    ck_assert_uint_eq(r.exceptions[0].count, 201);
    const struct hist_op *ex = history_op(r.ops, r.exceptions[0].example_op);
    ck_assert_int_eq(ex->type, HT_INFO);
    ck_assert_ptr_nonnull(strstr(history_text(r.ops, ex->error_off), "indeterminate: Malformed"));
    ck_assert(!r.by_read.valid);
    results_release(&r);
}
END_TEST

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char *buf = NULL;
    FILE *mem = open_memstream(&buf, len);
    int ch;
    while ((ch = fgetc(f)) != EOF)
        fputc(ch, mem);
    fclose(f);
    fclose(mem);
    return buf;
}

typedef int (*write_fn)(const struct results *, FILE *);

static char *written(const struct results *r, write_fn fn, size_t *len)
{
    char *buf = NULL;
    FILE *mem = open_memstream(&buf, len);
    ck_assert_int_eq(fn(r, mem), 0);
    fclose(mem);
    return buf;
}

START_TEST(edn_prints_back_byte_for_byte)
{
    /* Maelstrom's files, read and written again, come out identical (layout included). */
    struct results r;
    load(table[_i].path, &r);
    size_t len, olen;
    char *text = written(&r, results_write_edn, &len);
    char *orig = slurp(table[_i].path, &olen);
    ck_assert_uint_eq(len, olen);
    ck_assert(memcmp(text, orig, len) == 0);
    free(text);
    free(orig);
    results_release(&r);
}
END_TEST

START_TEST(json_and_edn_round_trip)
{
    struct results r;
    load(table[_i].path, &r);
    write_fn fns[2] = { results_write_json, results_write_edn };
    for (int k = 0; k < 2; k++) {
        size_t len, len2;
        char *text = written(&r, fns[k], &len);
        struct results back;
        char err[256] = "";
        ck_assert_msg(results_parse(&back, text, len, err, sizeof(err)) == 0, "%s", err);
        /* Same values: written again, the text is identical. */
        char *again = written(&back, fns[k], &len2);
        ck_assert_uint_eq(len, len2);
        ck_assert(memcmp(text, again, len) == 0);
        ck_assert_int_eq(back.valid, r.valid);
        ck_assert_uint_eq(back.stale.n, r.stale.n);
        free(text);
        free(again);
        results_release(&back);
    }
    results_release(&r);
}
END_TEST

START_TEST(summary_and_csv)
{
    struct results r;
    load(F2, &r);
    size_t len;
    char *s = written(&r, results_write_summary, &len);
    ck_assert_ptr_nonnull(strstr(s, "valid?            true\n"));
    ck_assert_ptr_nonnull(strstr(s, "ops               2009 (ok 2009, fail 0, info 0)\n"));
    ck_assert_ptr_nonnull(strstr(s, "msgs-per-op       servers 27.874565, all 29.924341\n"));
    ck_assert_ptr_nonnull(
        strstr(s, "stable-latencies  {0 0, 0.5 450, 0.95 677, 0.99 744, 1 795} ms\n"));
    ck_assert_ptr_nonnull(strstr(s, "lost              0 of 1000 broadcasts"));
    ck_assert_ptr_nonnull(strstr(s, "\nEverything looks good! "));
    free(s);
    s = written(&r, results_write_csv, &len);
    ck_assert_str_eq(s, "2009,27.874565,29.924341,0,450,677,744,795,0,true,,\n");
    free(s);
    results_release(&r);
    load(F4, &r);
    s = written(&r, results_write_csv, &len);
    ck_assert_str_eq(s, "201,0.0,2.0199006,,,,,,0,false,,\n");
    free(s);
    results_release(&r);
    char *h = NULL;
    FILE *mem = open_memstream(&h, &len);
    results_write_csv_header(mem);
    fclose(mem);
    ck_assert_str_eq(h, "ops,msgs_per_op_servers,msgs_per_op_all,stable_p0,stable_p50,stable_p95,"
                        "stable_p99,stable_max,lost,valid,nodes_lacking,values_lacking\n");
    free(h);
    ck_assert_ptr_nonnull(strstr(results_closing_line(VALID_FALSE), "Analysis invalid!"));
    ck_assert_ptr_nonnull(strstr(results_closing_line(VALID_UNKNOWN), "no anomalies found"));
}
END_TEST

START_TEST(malformed_results_fail_with_position)
{
    const char *bad[] = { "{:valid? true", "{\"valid?\": tru}", "[1 2]", "{:a}", "" };
    const char *want[] = { "1:14: end of input in map", "1:", "results must be a map",
                           "1:1: map with an odd number", "no form" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct results r;
        char err[256] = "";
        ck_assert_int_ne(results_parse(&r, bad[i], strlen(bad[i]), err, sizeof(err)), 0);
        ck_assert_msg(strstr(err, want[i]) != NULL, "got '%s', want '%s'", err, want[i]);
    }
}
END_TEST

/* A results.edn with every key `harness results` prints, and nothing else. */
static const char minimal[] =
    "{:valid? false,\n"
    " :stats {:valid? true, :count 7, :ok-count 6, :fail-count 1, :info-count 0, :by-f {}},\n"
    " :availability {:valid? true, :ok-fraction 0.85714287},\n"
    " :workload {:valid? false, :attempt-count 4, :stable-count 2, :lost-count 2, :lost (4 9),\n"
    "            :stale-count 0, :stale (), :never-read-count 0, :never-read ()}}\n";

START_TEST(csv_takes_lost_from_lost_count)
{
    struct results r;
    char err[256] = "";
    ck_assert_msg(results_parse(&r, minimal, strlen(minimal), err, sizeof(err)) == 0, "%s", err);
    size_t len;
    char *s = written(&r, results_write_csv, &len);
    ck_assert_str_eq(s, "7,,,,,,,,2,false,,\n");
    free(s);
    results_release(&r);
    /* A :lost-count that is not the length of :lost is an error, not one of the two. */
    char text[sizeof(minimal) + 8];
    snprintf(text, sizeof(text), "%s", minimal);
    memcpy(strstr(text, ":lost-count 2"), ":lost-count 3", 13);
    ck_assert_int_ne(results_parse(&r, text, strlen(text), err, sizeof(err)), 0);
    ck_assert_str_eq(err, "4:84: :workload :lost has 2 elements, but :lost-count is 3");
}
END_TEST

START_TEST(results_without_the_printed_keys_fail)
{
    /* Each key `harness results` prints, removed from the minimal file, is reported. */
    static const struct {
        const char *key, *err;
    } keys[] = {
        { ":valid? false,", "1:1: no :valid?" },
        { ":count 7,", "2:9: no :stats :count" },
        { ":ok-fraction 0.85714287", "3:16: no :availability :ok-fraction" },
        { ":lost-count 2,", "4:12: no :workload :lost-count" },
        { ":lost (4 9),", "4:12: no :workload :lost" },
        { ":stale-count 0,", "4:12: no :workload :stale-count" },
        { ":never-read ()", "4:12: no :workload :never-read" },
        { ":attempt-count 4,", "4:12: no :workload :attempt-count" },
        { ":valid? false, :attempt", "4:12: no :workload :valid?" },
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        char text[sizeof(minimal)];
        snprintf(text, sizeof(text), "%s", minimal);
        char *at = strstr(text, keys[i].key);
        ck_assert_ptr_nonnull(at);
        size_t n = strlen(keys[i].key) - (strstr(keys[i].key, ":attempt") ? 8 : 0);
        memset(at, ' ', n);
        struct results r;
        char err[256] = "";
        ck_assert_msg(results_parse(&r, text, strlen(text), err, sizeof(err)) != 0, "%s",
                      keys[i].key);
        ck_assert_str_eq(err, keys[i].err);
    }
    /* Wrong types and the two files. */
    static const struct {
        const char *text, *err;
    } bad[] = {
        { "{}", " no :valid?" },
        { "{:valid? 5}", "1:10: :valid? must be true, false or :unknown, not 5" },
        { "{\"valid?\": \"yes\"}", " :valid? must be true, false or :unknown, not \"yes\"" },
        { "{:valid? true, :stats {:by-f {}, :valid? true, :count -1}}",
          "1:55: :stats :count must be a non-negative integer, not -1" },
        { "{:valid? true, :stats []}", "1:23: :stats must be a map, not []" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct results r;
        char err[256] = "";
        ck_assert_int_ne(results_parse(&r, bad[i].text, strlen(bad[i].text), err, sizeof(err)), 0);
        ck_assert_str_eq(err, bad[i].err);
    }
}
END_TEST

/* Found by fuzz_results: an op missing from a :worst-stale entry was "an op is missing", and a
 * bad op of a results.json was "0:0: ...": neither said where. */
static const char ws_head[] = "{:valid? true, :stats {:valid? true, :count 1, :ok-count 1, "
                              ":fail-count 0, :info-count 0, :by-f {}}, :availability "
                              "{:valid? true, :ok-fraction 1.0}, :workload {:valid? true, "
                              ":attempt-count 1, :stable-count 1, :lost-count 0, :lost (), "
                              ":stale-count 0, :stale (), :never-read-count 0, :never-read (),\n"
                              ":worst-stale ({:element 0, :stable-latency 1";

/* ws_head, then the entry's :known and :last-absent ops of the given types (NULL: none). */
static void ws_text(char *text, size_t len, const char *known, const char *last_absent)
{
    int n = snprintf(text, len, "%s", ws_head);
    const char *types[2] = { known, last_absent }, *keys[2] = { "known", "last-absent" };
    for (int k = 0; k < 2 && types[k]; k++)
        n += snprintf(text + n, len - (size_t)n,
                      ", :%s {:index 0, :time 1, :type :%s, :process 0, :f :broadcast, :value 0}",
                      keys[k], types[k]);
    snprintf(text + n, len - (size_t)n, "})}}");
}

START_TEST(bad_ops_are_placed)
{
    static const struct {
        const char *known, *last_absent, *err;
    } cases[] = {
        { NULL, NULL, "2:15: no :worst-stale entry :known" },
        { "ok", NULL, "2:15: no :worst-stale entry :last-absent" },
        { "ok", "okay", "2:136: record without a valid :type" },
    };
    struct results r;
    char err[256] = "", text[2048];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ws_text(text, sizeof(text), cases[i].known, cases[i].last_absent);
        ck_assert_int_ne(results_parse(&r, text, strlen(text), err, sizeof(err)), 0);
        ck_assert_str_eq(err, cases[i].err);
    }
    /* The same bad op in a results.json: no position, so the message says where it is. */
    ws_text(text, sizeof(text), "ok", "ok");
    ck_assert_msg(results_parse(&r, text, strlen(text), err, sizeof(err)) == 0, "%s", err);
    char *json = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&json, &len);
    ck_assert_int_eq(results_write_json(&r, f), 0);
    fclose(f);
    results_release(&r);
    char *at = strstr(json, "\"type\": \"ok\"");
    ck_assert_ptr_nonnull(at);
    memcpy(at, "\"type\": \"no\"", 12);
    ck_assert_int_ne(results_parse(&r, json, len, err, sizeof(err)), 0);
    ck_assert_str_eq(err, " :worst-stale entry :known: record without a valid :type");
    free(json);
}
END_TEST

/* Found by fuzz_results: results.json read its integers through cJSON's doubles, so 2^53 + 1 in
 * a list came back as 2^53. */
START_TEST(json_integers_are_exact)
{
    static const char text[] =
        "{:valid? true, :stats {:valid? true, :count 1, :ok-count 1, :fail-count 0, "
        ":info-count 0, :by-f {}}, :availability {:valid? true, :ok-fraction 1.0}, :workload "
        "{:valid? true, :attempt-count 1, :stable-count 0, :lost-count 0, :lost (), "
        ":stale-count 0, :stale (), :never-read-count 2, :never-read (9007199254740993 "
        "-9223372036854775808)}}";
    struct results r, back;
    char err[256] = "";
    ck_assert_msg(results_parse(&r, text, strlen(text), err, sizeof(err)) == 0, "%s", err);
    char *json = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&json, &len);
    ck_assert_int_eq(results_write_json(&r, f), 0);
    fclose(f);
    ck_assert_msg(results_parse(&back, json, len, err, sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(back.never_read.n, 2);
    ck_assert_int_eq(back.never_read.v[0], 9007199254740993LL);
    ck_assert_int_eq(back.never_read.v[1], INT64_MIN);
    results_release(&back);
    /* An integer beyond int64 is refused, not rounded. */
    char *big = strstr(json, "-9223372036854775808");
    ck_assert_ptr_nonnull(big);
    memcpy(big, "-9223372036854775809", 20);
    ck_assert_int_ne(results_parse(&back, json, len, err, sizeof(err)), 0);
    ck_assert_str_eq(err, " an integer out of range");
    /* Nothing may follow the value. */
    static const char trailing[] = "{\"valid?\": true} {}";
    ck_assert_int_ne(results_parse(&back, trailing, strlen(trailing), err, sizeof(err)), 0);
    ck_assert_str_eq(err, "1:18: not one JSON value (trailing data at byte 17)");
    free(json);
    results_release(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("results");
    TCase *tc = tcase_create("results");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, fixtures_parse_to_spec_values, 0, 4);
    tcase_add_test(tc, fixture_details);
    tcase_add_loop_test(tc, edn_prints_back_byte_for_byte, 0, 4);
    tcase_add_loop_test(tc, json_and_edn_round_trip, 0, 4);
    tcase_add_test(tc, summary_and_csv);
    tcase_add_test(tc, malformed_results_fail_with_position);
    tcase_add_test(tc, csv_takes_lost_from_lost_count);
    tcase_add_test(tc, results_without_the_printed_keys_fail);
    tcase_add_test(tc, bad_ops_are_placed);
    tcase_add_test(tc, json_integers_are_exact);
    suite_add_tcase(s, tc);
    return check_run(s);
}
