/*
 * check_checker_io: proves the checker's inputs are read exactly: the journal's counters (groups,
 * distinct ids, undelivered messages) from the journal file and from --net-counts, the bulk
 * journal writer's bytes equal to journal_write's (across chunks, on its thread) and its write
 * errors reported, our JSON
 * history with its errors reported at line:column, and exceptions attached by the world.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "checker.h"
#include "history.h"
#include "journal.h"

START_TEST(journal_counts)
{
    struct journal_rec recs[] = {
        { 0, 10, 20, "c0", "n0", "init" },
        { 1, 11, 21, "n0", "c0", "init_ok" },
        { 2, 12, 22, "n0", "n1", "gossip" },
        { 3, 13, -1, "n1", "n0", "gossip" },   /* never delivered */
        { 4, 14, 24, "n1", "seq-kv", "read" }, /* a service counts as a server */
        { 4, 15, 25, "n1", "seq-kv", "read" }, /* a repeated id counts once in msg-count */
    };
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++)
        ck_assert_int_eq(journal_write(mem, &recs[i]), 0);
    fclose(mem);
    ck_assert_ptr_nonnull(strstr(buf, "{\"id\":3,\"send_ns\":13,\"recv_ns\":null,\"src\":\"n1\","
                                      "\"dest\":\"n0\",\"type\":\"gossip\"}\n"));
    struct net_counts c;
    char err[128] = "";
    ck_assert_msg(journal_parse_counts(buf, len, &c, err, sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(c.all.send_count, 6);
    ck_assert_uint_eq(c.all.recv_count, 5);
    ck_assert_uint_eq(c.all.msg_count, 5);
    ck_assert_uint_eq(c.clients.send_count, 2);
    ck_assert_uint_eq(c.clients.msg_count, 2);
    ck_assert_uint_eq(c.servers.send_count, 4);
    ck_assert_uint_eq(c.servers.recv_count, 3);
    ck_assert_uint_eq(c.servers.msg_count, 3);
    /* The incremental counters agree on the same messages (ids are fresh there). */
    struct net_counts inc = { 0 };
    for (size_t i = 0; i < 5; i++) {
        journal_note_send(&inc, recs[i].src, recs[i].dest);
        if (recs[i].recv_ns >= 0) journal_note_recv(&inc, recs[i].src, recs[i].dest);
    }
    ck_assert_uint_eq(inc.all.msg_count, c.all.msg_count);
    ck_assert_uint_eq(inc.servers.recv_count, 2);
    free(buf);
}
END_TEST

START_TEST(journal_errors)
{
    const char *bad[] = {
        "{\"id\":0,\"src\":\"c0\",\"dest\":\"n0\"}\n{\"id\":1,\"src\":\"c0\"",
        "{\"id\":-1,\"src\":\"c0\",\"dest\":\"n0\"}",
        "{\"id\":0,\"src\":1,\"dest\":\"n0\"}",
        "[1]",
    };
    const char *want[] = { "2:", "1:1: \"id\" must be", "1:1: \"src\" and \"dest\"",
                           "1:1: a journal record must be" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct net_counts c;
        char err[128] = "";
        ck_assert_int_ne(journal_parse_counts(bad[i], strlen(bad[i]), &c, err, sizeof(err)), 0);
        ck_assert_msg(strstr(err, want[i]) == err, "got '%s', want '%s'", err, want[i]);
    }
}
END_TEST

START_TEST(net_counts_text)
{
    struct net_counts c;
    char err[128];
    ck_assert_int_eq(net_counts_parse("60118,4118,56000", &c, err, sizeof(err)), 0);
    ck_assert_uint_eq(c.all.recv_count, 60118);
    ck_assert_uint_eq(c.servers.msg_count, 56000);
    ck_assert_int_eq(net_counts_parse("1,2,3,4,5,6,7,8,9", &c, err, sizeof(err)), 0);
    ck_assert_uint_eq(c.all.recv_count, 2);
    ck_assert_uint_eq(c.clients.msg_count, 6);
    ck_assert_uint_eq(c.servers.send_count, 7);
    const char *bad[] = { "",
                          "1,2",
                          "1,2,3,4",
                          "a,b,c",
                          "1,2,3,",
                          "-1,2,3",
                          "1,2,99999999999999999999999",
                          "9223372036854775808,1,1" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_int_ne(net_counts_parse(bad[i], &c, err, sizeof(err)), 0);
    ck_assert_int_eq(net_counts_parse("9223372036854775807,0,1", &c, err, sizeof(err)), 0);
    ck_assert_uint_eq(c.all.send_count, 9223372036854775807u);
    ck_assert(journal_is_client("c12"));
    ck_assert(!journal_is_client("n12"));
}
END_TEST

static void history_fails(const char *text, const char *want)
{
    struct history *h = history_new();
    char err[256] = "";
    ck_assert_int_ne(history_parse(h, text, strlen(text), err, sizeof(err)), 0);
    ck_assert_msg(strstr(err, want) == err, "got '%s', want '%s'", err, want);
    history_free(h);
}

START_TEST(history_errors_have_positions)
{
    history_fails("{\"index\":0,\"time\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n\n"
                  "{\"index\":1,\"type\":\"ok\",",
                  "3:");
    history_fails("{\"index\":0,\"type\":\"done\"}", "1:1: record without a valid \"type\"");
    history_fails("{\"index\":0,\"time\":0,\"type\":\"ok\",\"process\":0,\"value\":{\"a\":1}}",
                  "1:1: \"value\" must be");
    history_fails("{\"index\":0,\"time\":0,\"type\":\"ok\",\"process\":0,\"value\":[1,2.5]}",
                  "1:1: \"value\" must be");
    history_fails("{:index 0, :time 0, :type :invoke, :process 0}\n{:index 1 :type}",
                  "2:1: map with an odd number");
    history_fails("{:index 0, :time 0, :type :invoke, :process 0}\n[1 2]",
                  "2:1: a history record must be a map");
    history_fails("{:index 0, :time 1, :type :ok, :value [1 2}",
                  "1:43: unexpected '}' in vector opened at 1:39");
    /* Bad :process, :time and :index are refused where they are, never guessed (issue 12). */
    const char *rec = "{:index 0, :time 0, :type :ok, :f :read, :value [], :process ";
    const char *bad_process[] = { "\"1\"}", "1.0}", ":other}", "-1}" };
    for (size_t i = 0; i < sizeof(bad_process) / sizeof(bad_process[0]); i++) {
        char text[256];
        snprintf(text, sizeof(text), "%s%s", rec, bad_process[i]);
        history_fails(text, "1:62: :process must be a non-negative integer or :nemesis, not ");
    }
    history_fails("{:index 0, :time 0, :type :ok, :f :read}",
                  "1:1: record without :process (a non-negative integer or :nemesis)");
    history_fails("{:index 0, :time 1.0, :type :ok, :process 0}",
                  "1:18: :time must be a non-negative integer (ns), not 1.0");
    history_fails("{:index 0, :type :ok, :process 0}", "1:1: record without :time");
    history_fails("{:index 1.5, :time 0, :type :ok, :process 0}",
                  "1:9: :index must be a non-negative integer, not 1.5");
    history_fails("{:time 0, :type :ok, :process 0}", "1:1: record without :index");
    const char *json = "{\"index\":0,\"time\":0,\"type\":\"ok\",\"f\":\"read\"";
    const char *bad_json[] = { ",\"process\":\"1\"}", ",\"process\":1.5}", "}",
                               ",\"process\":\"other\"}" };
    for (size_t i = 0; i < sizeof(bad_json) / sizeof(bad_json[0]); i++) {
        char text[256];
        snprintf(text, sizeof(text), "%s%s", json, bad_json[i]);
        history_fails(text, "1:1: \"process\" must be a non-negative integer or \"nemesis\"");
    }
    history_fails("{\"index\":0,\"time\":1e30,\"type\":\"ok\",\"process\":0}",
                  "1:1: \"time\" must be a non-negative integer (ns)");
    history_fails("{\"index\":0,\"time\":1.5,\"type\":\"ok\",\"process\":0}",
                  "1:1: \"time\" must be a non-negative integer (ns)");
    history_fails("{\"index\":\"0\",\"time\":0,\"type\":\"ok\",\"process\":0}",
                  "1:1: \"index\" must be a non-negative integer");
    history_fails("{:index 0, :type :invoke, :value 123456789012345678901234}",
                  "1:34: integer '123456789012345678901234' out of range");
}
END_TEST

START_TEST(int_vectors_anywhere_in_a_record)
{
    /* Vectors of integers are read compactly at the top of a record; any field may hold one. */
    const char *text = "{:index 0, :time 5, :type :invoke, :process 0, :f :read, :value nil}\n"
                       "{:index 1, :time 6, :type :fail, :process 0, :f :read, :value [], "
                       ":error [1 -2 3], :exception [4 5], :extra [[6] 7]}\n"
                       "{:index 2, :time 7, :type :ok, :process 0, :f :read, :value [1, 2 ,3]}\n"
                       "{:index 3, :time 8, :type :ok, :process 0, :f :read, :value [1 x 2]}\n";
    struct history *h = history_new();
    char err[128] = "";
    ck_assert_msg(history_parse(h, text, strlen(text), err, sizeof(err)) == 0, "%s", err);
    const struct hist_op *op = history_op(h, 1);
    ck_assert_int_eq(op->vkind, HV_INTS);
    ck_assert_uint_eq(op->nvals, 0);
    ck_assert_str_eq(history_text(h, op->error_off), "[1 -2 3]");
    ck_assert_str_eq(history_text(h, op->exc_off), "[4 5]");
    size_t n;
    const int64_t *v = history_vals(h, history_op(h, 2), &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(v[2], 3);
    op = history_op(h, 3);
    ck_assert_int_eq(op->vkind, HV_EDN);
    ck_assert_str_eq(history_text(h, op->text_off), "[1 x 2]");
    v = history_vals(h, op, &n);
    ck_assert_uint_eq(n, 2);
    history_free(h);
}
END_TEST

START_TEST(world_exceptions_are_grouped)
{
    struct history *h = history_new();
    for (int p = 0; p < 3; p++) {
        ck_assert_int_eq(history_invoke(h, p, HF_READ, false, 0, false, 10), 0);
        ck_assert_int_eq(history_complete(h, p, HT_INFO, HF_READ, false, 0, NULL, false,
                                          "indeterminate: malformed read_ok", 20),
                         0);
        ck_assert_int_eq(history_set_exception(h, history_len(h) - 1,
                                               "{:via [{:type clojure.lang.ExceptionInfo, "
                                               ":message \"Malformed RPC response\"}]}"),
                         0);
    }
    char err[64];
    struct checker_opts o = { 0 };
    struct results r;
    ck_assert_int_eq(checker_run(h, &o, &r, err, sizeof(err)), 0);
    ck_assert_uint_eq(r.n_exceptions, 1);
    ck_assert_uint_eq(r.exceptions[0].count, 3);
    ck_assert_str_eq(r.exceptions[0].class_name, "clojure.lang.ExceptionInfo");
    ck_assert_uint_eq(r.stats.info_count, 3);
    results_release(&r);
    history_free(h);
}
END_TEST

/*
 * Writes recs[0..n) both with journal_write and through a journal writer (keys[i] each, or none)
 * and checks the bytes are the same; the writer's status is returned.
 */
static int writer_matches(const struct journal_rec *recs, const struct journal_keys *keys, size_t n,
                          size_t *bytes)
{
    char *one = NULL, *bulk = NULL;
    size_t one_len = 0, bulk_len = 0;
    FILE *a = open_memstream(&one, &one_len), *b = open_memstream(&bulk, &bulk_len);
    struct journal_writer *jw = journal_writer_new(b);
    ck_assert_ptr_nonnull(jw);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(journal_write(a, &recs[i]), 0);
        journal_writer_add(jw, &recs[i], keys ? &keys[i] : NULL);
    }
    int rc = journal_writer_finish(jw);
    fclose(a);
    fclose(b);
    ck_assert_uint_eq(bulk_len, one_len);
    ck_assert(memcmp(one, bulk, one_len) == 0);
    *bytes = bulk_len;
    free(one);
    free(bulk);
    return rc;
}

/*
 * The writer's file is journal_write's lines, byte for byte, across many chunks of records and
 * of text (more than JOURNAL_CHUNKS chunks: the run waits for spare ones), with names first seen
 * late in the run, names that need escaping, NULL names, keys that lie (a key's name changes)
 * and keys beyond the cache.
 */
START_TEST(journal_writer_matches_journal_write)
{
    const char *types[] = { "broadcast_internal", "init", "we\"ird\n", NULL, "read_ok" };
    const char *ends[] = { "n12", "c4", "n3", "seq-kv", "c\u00e9", "" };
    size_t n = (JOURNAL_CHUNKS + 3) * JOURNAL_CHUNK_RECS + 17;
    struct journal_rec *recs = calloc(n, sizeof(*recs));
    struct journal_keys *keys = calloc(n, sizeof(*keys));
    ck_assert_ptr_nonnull(recs);
    ck_assert_ptr_nonnull(keys);
    char(*late)[16] = calloc(n, sizeof(*late));
    ck_assert_ptr_nonnull(late);
    for (uint64_t id = 0; id < n; id++) {
        struct journal_rec *r = &recs[id];
        r->id = id;
        r->send_ns = id % 11 ? (int64_t)id * 1000 : (int64_t)id;
        r->recv_ns = id % 7 ? (int64_t)id * 1000 + 99 : -1;
        r->src = ends[id % 6];
        r->dest = ends[(id / 6) % 6];
        r->type = types[id % 5];
        /* A new name every 1000 records, under a key another name had. */
        if (id % 1000 == 999) {
            snprintf(late[id], sizeof(late[id]), "n%llu", (unsigned long long)id);
            r->dest = late[id];
        }
        keys[id].src = (uint32_t)(id % 6);
        keys[id].dest = id % 13 == 0 ? JOURNAL_NO_KEY : (uint32_t)((id / 6) % 6);
        keys[id].type = id % 17 == 0 ? UINT32_MAX - 1 : (uint32_t)(id % 5);
    }
    size_t bytes;
    ck_assert_int_eq(writer_matches(recs, keys, n, &bytes), 0);
    ck_assert_uint_gt(bytes, 2 * JOURNAL_CHUNK);
    ck_assert_int_eq(writer_matches(recs, NULL, n, &bytes), 0);
    ck_assert_int_eq(writer_matches(recs, keys, 1, &bytes), 0);
    ck_assert_int_eq(writer_matches(recs, keys, 0, &bytes), 0);
    ck_assert_uint_eq(bytes, 0);
    free(recs);
    free(keys);
    free(late);
}
END_TEST

/* A file that cannot be written: the writer says so when it finishes, whatever the size. */
START_TEST(journal_writer_reports_write_errors)
{
    size_t sizes[] = { 1, JOURNAL_CHUNK_RECS, 40 * JOURNAL_CHUNK_RECS };
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        FILE *f = fopen("/dev/null", "r");
        ck_assert_ptr_nonnull(f);
        struct journal_writer *jw = journal_writer_new(f);
        for (uint64_t id = 0; id < sizes[k]; id++) {
            struct journal_rec r = { id, 1000, 2000, "n0", "n1", "gossip" };
            journal_writer_add(jw, &r, NULL);
        }
        ck_assert_int_eq(journal_writer_finish(jw), -1);
        fclose(f);
    }
    ck_assert_int_eq(journal_writer_finish(NULL), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("checker_io");
    TCase *tc = tcase_create("io");
    tcase_add_test(tc, journal_counts);
    tcase_add_test(tc, journal_writer_matches_journal_write);
    tcase_add_test(tc, journal_writer_reports_write_errors);
    tcase_add_test(tc, journal_errors);
    tcase_add_test(tc, net_counts_text);
    tcase_add_test(tc, history_errors_have_positions);
    tcase_add_test(tc, int_vectors_anywhere_in_a_record);
    tcase_add_test(tc, world_exceptions_are_grouped);
    suite_add_tcase(s, tc);
    return check_run(s);
}
