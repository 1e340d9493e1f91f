/*
 * fuzz_history: the history reader (harness/check history_io: our JSON lines through check/jsonl,
 * or Maelstrom's history.edn through the EDN reader), the checker on whatever it accepts, and the
 * results writers on the checker's output. Built twice: fuzz_history_edn starts from history.edn
 * seeds, fuzz_history_jsonl (FUZZ_JSONL) from history.jsonl and journal.jsonl seeds and also
 * feeds the input to the journal reader (journal_parse_counts, the other user of check/jsonl).
 *
 * Properties: a refused input comes with "LINE:COL: what"; the checker runs on every accepted
 * history (it fails only when memory runs out), with and without the convergence report (whose
 * counts must add up), and its verdict is one of the three; its results
 * write as JSON, EDN, summary and CSV, and the JSON reads back (results_parse) to the same JSON;
 * the history written in either format reads back and writes the same bytes (write(read(write(h)))
 * == write(h)), and both formats carry the same history (EDN read back writes the JSON we wrote).
 */
#include <stdbool.h>
#include <string.h>

#include "checker.h"
#include "fuzz.h"
#include "history.h"
#include "journal.h"
#include "results.h"

/* "LINE:COL: what" */
static void check_message(const char *err)
{
    unsigned line = 0, col = 0;
    if (sscanf(err, "%u:%u: ", &line, &col) != 2 || line < 1 || col < 1)
        fprintf(stderr, "fuzz: message without LINE:COL: '%s'\n", err);
    FUZZ_CHECK(sscanf(err, "%u:%u: ", &line, &col) == 2 && line >= 1 && col >= 1);
}

static void write_history(const struct history *h, enum history_format fmt, struct fuzz_mem *m)
{
    FUZZ_CHECK(history_write(h, fmt, fuzz_mem_open(m)) == 0);
    fuzz_mem_close(m);
}

/* Our own output must read back: a history in memory from text we wrote. */
static struct history *read_back(const struct fuzz_mem *m)
{
    struct history *h = history_new();
    FUZZ_CHECK(h != NULL);
    char err[512] = "";
    int rc = history_parse(h, m->buf, m->len, err, sizeof err);
    if (rc != 0) fprintf(stderr, "fuzz: reading back our history: %s\n", err);
    FUZZ_CHECK(rc == 0);
    return h;
}

static void check_formats(const struct history *h)
{
    struct fuzz_mem json, edn, json2, edn2, json3;
    write_history(h, HISTORY_JSON, &json);
    write_history(h, HISTORY_EDN, &edn);
    struct history *hj = read_back(&json), *he = read_back(&edn);
    FUZZ_CHECK(history_len(hj) == history_len(h) && history_len(he) == history_len(h));
    write_history(hj, HISTORY_JSON, &json2);
    write_history(he, HISTORY_EDN, &edn2);
    write_history(he, HISTORY_JSON, &json3);
    FUZZ_SAME("JSON: write(read(write(h))) == write(h)", json.buf, json.len, json2.buf, json2.len);
    FUZZ_SAME("EDN: write(read(write(h))) == write(h)", edn.buf, edn.len, edn2.buf, edn2.len);
    FUZZ_SAME("the EDN and the JSON carry the same history", json.buf, json.len, json3.buf,
              json3.len);
    fuzz_mem_free(&json);
    fuzz_mem_free(&edn);
    fuzz_mem_free(&json2);
    fuzz_mem_free(&edn2);
    fuzz_mem_free(&json3);
    history_free(hj);
    history_free(he);
}

/* The convergence report (harness test's) over 5 nodes and 7 workers: every process maps. */
static const char conv_names[5][GL_ID_MAX] = { "n0", "n1", "n2", "n3", "n4" };
static const struct convergence_opts conv = { .node_count = 5,
                                              .concurrency = 7,
                                              .node_names = conv_names };

static void check_results(const struct history *h, const struct net_counts *net)
{
    struct checker_opts o = {
        .net = net, .avail = AVAIL_TOTAL, .avail_min = 0, .convergence = net ? &conv : NULL
    };
    struct results r;
    char err[512] = "";
    FUZZ_CHECK(checker_run(h, &o, &r, err, sizeof err) == 0);
    FUZZ_CHECK(r.valid == VALID_TRUE || r.valid == VALID_FALSE || r.valid == VALID_UNKNOWN);
    if (net) {
        const struct convergence *c = &r.convergence;
        FUZZ_CHECK(c->present && c->nodes == 5 && c->nodes_read + c->n_unread == 5);
        FUZZ_CHECK(c->n_lacking <= c->nodes_read && c->lacking_max <= c->values);
        FUZZ_CHECK(c->lacking_total <= c->values * c->n_lacking);
    }
    struct fuzz_mem json, edn, text, json2;
    FUZZ_CHECK(results_write_json(&r, fuzz_mem_open(&json)) == 0);
    fuzz_mem_close(&json);
    FUZZ_CHECK(results_write_edn(&r, fuzz_mem_open(&edn)) == 0);
    fuzz_mem_close(&edn);
    FILE *f = fuzz_mem_open(&text);
    FUZZ_CHECK(results_write_summary(&r, f) == 0 && results_write_csv(&r, f) == 0);
    fuzz_mem_close(&text);

    struct results back;
    int rc = results_parse(&back, json.buf, json.len, err, sizeof err);
    if (rc != 0) fprintf(stderr, "fuzz: reading back our results.json: %s\n", err);
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(back.valid == r.valid);
    FUZZ_CHECK(results_write_json(&back, fuzz_mem_open(&json2)) == 0);
    fuzz_mem_close(&json2);
    FUZZ_SAME("results.json: write(read(write(r))) == write(r)", json.buf, json.len, json2.buf,
              json2.len);
    results_release(&back);
    fuzz_mem_free(&json);
    fuzz_mem_free(&edn);
    fuzz_mem_free(&text);
    fuzz_mem_free(&json2);
    results_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    char err[512] = "";
#ifdef FUZZ_JSONL
    struct net_counts counts;
    memset(&counts, 0, sizeof counts);
    if (journal_parse_counts(buf, size, &counts, err, sizeof err) != 0) {
        check_message(err);
    } else {
        FUZZ_CHECK(counts.all.recv_count <= counts.all.send_count);
        FUZZ_CHECK(counts.all.msg_count <= counts.all.send_count);
        FUZZ_CHECK(counts.clients.send_count + counts.servers.send_count == counts.all.send_count);
    }
#endif
    struct history *h = history_new();
    FUZZ_CHECK(h != NULL);
    if (history_parse(h, buf, size, err, sizeof err) != 0) {
        check_message(err);
        history_free(h);
        return 0;
    }
    check_formats(h);
    struct net_counts net = { { 10, 9, 8 }, { 4, 4, 4 }, { 6, 5, 4 } };
    check_results(h, NULL);
    check_results(h, &net);
    history_free(h);
    return 0;
}
