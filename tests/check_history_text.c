/*
 * check_history_text: proves that every text a history holds is written as EDN (and JSON) that
 * reads back to the same history, whatever the text: a property test over texts drawn from a
 * seeded rng, rich in what breaks EDN (quotes, backslashes, ';' comments, newlines, brackets,
 * '#_', control bytes, UTF-8 and stray bytes), given as node error texts, partition descriptions,
 * exceptions and :f names. Written as history.edn, read back and written again, the bytes are
 * identical, every record reads back field for field, and so does the JSON lines form.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "edn.h"
#include "history.h"
#include "rng.h"

/* A NUL-free text of up to 40 bytes, mostly characters that matter to EDN. */
static void random_text(struct rng *r, char *out, size_t cap)
{
    static const char *const pieces[] = {
        "\"",      "\\", ";",  "\n",   "\r",   "\t",       "}",
        "]",       "{",  "[",  "(",    ")",    "#",        "#_",
        ",",       " ",  ":",  "\x01", "\x7f", "\xc3\xa9", "\xf0\x9f\x98\x80",
        "\xff",    "a",  "n0", "19",   "nil",  "\\u0000",  "#{",
        "\"] ; y", "x",
    };
    size_t n = (size_t)rng_below(r, 16), len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *p = pieces[rng_below(r, sizeof(pieces) / sizeof(pieces[0]))];
        size_t k = strlen(p);
        if (len + k + 1 > cap) break;
        memcpy(out + len, p, k + 1);
        len += k;
    }
}

static char *edn_of(const struct history *h, enum history_format fmt, size_t *len)
{
    char *buf = NULL;
    FILE *mem = open_memstream(&buf, len);
    ck_assert_int_eq(history_write(h, fmt, mem), 0);
    fclose(mem);
    return buf;
}

static void same_text(const char *what, size_t i, const char *a, const char *b)
{
    ck_assert_msg((!a && !b) || (a && b && !strcmp(a, b)), "record %zu: %s '%s', read back '%s'", i,
                  what, a ? a : "(none)", b ? b : "(none)");
}

/* The records of a and b are the same, field for field (a value's EDN kind may differ). */
static void same_history(const struct history *a, const struct history *b)
{
    ck_assert_uint_eq(history_len(a), history_len(b));
    for (size_t i = 0; i < history_len(a); i++) {
        const struct hist_op *x = history_op(a, i), *y = history_op(b, i);
        ck_assert_int_eq(x->index, y->index);
        ck_assert_int_eq(x->time_ns, y->time_ns);
        ck_assert_int_eq(x->process, y->process);
        ck_assert_int_eq(x->type, y->type);
        ck_assert_int_eq(x->f, y->f);
        ck_assert_int_eq(x->final, y->final);
        same_text(":f", i, history_f_name(a, x), history_f_name(b, y));
        same_text(":error", i, history_text(a, x->error_off), history_text(b, y->error_off));
        same_text(":exception", i, history_text(a, x->exc_off), history_text(b, y->exc_off));
        if (x->vkind == HV_EDN && y->vkind == HV_EDN)
            same_text(":value", i, history_text(a, x->text_off), history_text(b, y->text_off));
    }
}

/* A history of 30 records whose texts come from r. */
static struct history *random_history(struct rng *r)
{
    struct history *h = history_new();
    ck_assert_ptr_nonnull(h);
    char t1[256], t2[256];
    time_us t = 0;
    for (int k = 0; k < 10; k++) {
        t += 1 + rng_below(r, 1000);
        random_text(r, t1, sizeof(t1));
        random_text(r, t2, sizeof(t2));
        int64_t p = (int64_t)rng_below(r, 5);
        ck_assert_int_eq(history_invoke(h, p, HF_BROADCAST, true, k, false, t), 0);
        /* A node's error text, as the workload records it: [:name "text"] or any text. */
        ck_assert_int_eq(
            history_complete(h, p, HT_INFO, HF_BROADCAST, true, k, NULL, false, t1, t + 1), 0);
        ck_assert_int_eq(history_set_exception(h, history_len(h) - 1, t2), 0);
        /* A partition: its shape and a description such as "n0:n19;n1:n19". */
        random_text(r, t1, sizeof(t1));
        random_text(r, t2, sizeof(t2));
        ck_assert_int_eq(history_nemesis(h, rng_below(r, 2) == 0, t1, t2, t + 2), 0);
        /* An :f that is no keyword name, behind a prefix that keeps it unknown. */
        char f[300] = "x";
        random_text(r, f + 1, sizeof(f) - 1);
        struct hist_op op = { .index = -1,
                              .time_ns = (int64_t)(t + 3) * 1000,
                              .process = p,
                              .type = HT_INVOKE,
                              .f = HF_OTHER,
                              .vkind = HV_NIL };
        ck_assert_int_eq(history_push(h, &op, NULL, 0, NULL, f, NULL, NULL, NULL), 0);
    }
    return h;
}

START_TEST(random_texts_round_trip)
{
    struct rng r;
    rng_seed(&r, 9000 + (uint64_t)_i);
    struct history *h = random_history(&r);
    size_t len, len2, jlen;
    char *edn = edn_of(h, HISTORY_EDN, &len);
    /* Read back: the same records, and written again, the same bytes. */
    struct history *back = history_new();
    char err[256] = "";
    ck_assert_msg(history_parse(back, edn, len, err, sizeof(err)) == 0, "seed %d: %s\n%s", _i, err,
                  edn);
    same_history(h, back);
    char *again = edn_of(back, HISTORY_EDN, &len2);
    ck_assert_msg(len == len2 && !memcmp(edn, again, len), "seed %d: written again:\n%s\n%s", _i,
                  edn, again);
    /* The JSON lines form reads back to the same history too. */
    char *json = edn_of(h, HISTORY_JSON, &jlen);
    struct history *fromj = history_new();
    ck_assert_msg(history_parse(fromj, json, jlen, err, sizeof(err)) == 0, "seed %d: %s", _i, err);
    same_history(h, fromj);
    char *jedn = edn_of(fromj, HISTORY_EDN, &len2);
    ck_assert(len == len2 && !memcmp(edn, jedn, len));
    free(edn);
    free(again);
    free(json);
    free(jedn);
    history_free(h);
    history_free(back);
    history_free(fromj);
}
END_TEST

START_TEST(the_issue_texts)
{
    /* The texts of the issue, whole: each is kept as a string and reads back unchanged. */
    const char *texts[] = { "n0:n19;n1:n19",         "x\"] ; y", "a \\",  "line\nbreak",
                            "[:crash \"x\"] ; y\"]", "#_ 1",     "1 #_ 2" };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        struct history *h = history_new();
        ck_assert_int_eq(history_nemesis(h, true, "one", texts[i], 5), 0);
        ck_assert_int_eq(
            history_complete(h, 0, HT_FAIL, HF_READ, false, 0, NULL, false, texts[i], 6), 0);
        size_t len;
        char *edn = edn_of(h, HISTORY_EDN, &len);
        struct history *back = history_new();
        char err[256] = "";
        ck_assert_msg(history_parse(back, edn, len, err, sizeof(err)) == 0, "%s: %s", texts[i],
                      err);
        ck_assert_uint_eq(history_len(back), 3);
        struct edn_arena a;
        edn_arena_init(&a);
        struct edn *v;
        const char *got[2] = { history_text(back, history_op(back, 1)->text_off),
                               history_text(back, history_op(back, 2)->error_off) };
        for (int k = 0; k < 2; k++) {
            ck_assert_int_eq(edn_parse_one(got[k], strlen(got[k]), &a, &v, err, sizeof(err)), 0);
            ck_assert_int_eq(v->type, EDN_STRING);
            ck_assert_str_eq(v->s, texts[i]);
        }
        edn_arena_release(&a);
        free(edn);
        history_free(h);
        history_free(back);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("history_text");
    TCase *tc = tcase_create("texts");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, random_texts_round_trip, 0, 200);
    tcase_add_test(tc, the_issue_texts);
    suite_add_tcase(s, tc);
    return check_run(s);
}
