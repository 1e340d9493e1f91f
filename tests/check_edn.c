/*
 * check_edn: proves the EDN reader reads every form Maelstrom and Jepsen write (and skips tagged
 * and discarded ones), reports malformed input with its line:column, bounds nesting, and never
 * crashes on random or truncated input (a seeded fuzz loop, run under ASan in the asan preset);
 * that the printer writes numbers exactly as Java does; and that every string it writes reads
 * back byte for byte and EDN text with a comment or a discard is kept as a string.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "edn.h"
#include "history.h"
#include "journal.h"
#include "results.h"
#include "rng.h"

static struct edn_arena arena;

static const struct edn *parse(const char *text)
{
    struct edn *v = NULL;
    char err[256] = "";
    ck_assert_msg(edn_parse_one(text, strlen(text), &arena, &v, err, sizeof(err)) == 0, "'%s': %s",
                  text, err);
    return v;
}

static void parse_fails(const char *text, const char *want_err)
{
    struct edn *v = NULL;
    char err[256] = "";
    ck_assert_msg(edn_parse_one(text, strlen(text), &arena, &v, err, sizeof(err)) != 0, "'%s'",
                  text);
    ck_assert_msg(strstr(err, want_err) != NULL, "'%s': got '%s', want '%s'", text, err, want_err);
}

static void setup(void)
{
    edn_arena_init(&arena);
}

static void teardown(void)
{
    edn_arena_release(&arena);
}

START_TEST(scalars)
{
    ck_assert_int_eq(parse("nil")->type, EDN_NIL);
    ck_assert(parse("true")->b);
    ck_assert(!parse("false")->b);
    ck_assert_int_eq(parse("-42")->i, -42);
    ck_assert_int_eq(parse("+7")->i, 7);
    ck_assert_int_eq(parse("42N")->i, 42);
    ck_assert_int_eq(parse("9223372036854775807")->i, INT64_MAX);
    ck_assert_int_eq(parse("-9223372036854775808")->i, INT64_MIN);
    ck_assert(parse("0.95")->f == 0.95);
    ck_assert(parse("1.0E-4")->f == 1.0e-4);
    ck_assert(parse("27.874565")->type == EDN_FLOAT);
    ck_assert(parse("1/4")->f == 0.25);
    ck_assert(parse("2.5M")->f == 2.5);
    ck_assert_str_eq(parse(":valid?")->s, "valid?");
    ck_assert_int_eq(parse(":valid?")->type, EDN_KEYWORD);
    ck_assert_str_eq(parse("slingshot.support$stack_trace")->s, "slingshot.support$stack_trace");
    ck_assert_int_eq(parse("invoke_BANG_")->type, EDN_SYMBOL);
    ck_assert_str_eq(parse("\"a\\\"b\\\\c\\nd\\te\\u00e9\"")->s, "a\"b\\c\nd\te\xc3\xa9");
    ck_assert_uint_eq(parse("\\a")->ch, 'a');
    ck_assert_uint_eq(parse("\\newline")->ch, '\n');
    ck_assert_uint_eq(parse("\\space")->ch, ' ');
    ck_assert_uint_eq(parse("\\u00e9")->ch, 0xe9);
    ck_assert_uint_eq(parse("\\(")->ch, '(');
    ck_assert(parse("##Inf")->f > 1e308);
}
END_TEST

START_TEST(collections_and_tags)
{
    const struct edn *v = parse("{:a [1 2 3], :b (x y), :c #{\"s\"}, :d {}, 1 0.5}");
    ck_assert_int_eq(v->type, EDN_MAP);
    ck_assert_uint_eq(v->n, 10);
    ck_assert_uint_eq(edn_get(v, "a")->n, 3);
    ck_assert_int_eq(edn_get(v, "b")->type, EDN_LIST);
    ck_assert_int_eq(edn_get(v, "c")->type, EDN_SET);
    ck_assert_ptr_null(edn_get(v, "zz"));
    v = parse("#jepsen.history.Op{:index 1, :f :add}");
    ck_assert_int_eq(v->type, EDN_TAGGED);
    ck_assert_str_eq(v->s, "jepsen.history.Op");
    ck_assert_int_eq(edn_get(v, "index")->i, 1);
    ck_assert(edn_is_kw(edn_get(v, "f"), "add"));
    v = parse("[1 #_ 2 #_ #_ 3 4 5]");
    ck_assert_uint_eq(v->n, 2);
    ck_assert_int_eq(v->items[1]->i, 5);
    v = parse("[#inst \"2023-05-11\" #uuid \"x\" #object[java.lang.Thread 0x1 \"t\"]]");
    ck_assert_uint_eq(v->n, 3);
    ck_assert_str_eq(v->items[0]->s, "inst");
    v = parse("; comment\n[1, 2,, 3] ; trailing");
    ck_assert_uint_eq(v->n, 3);
    v = parse("#:ns{:a 1}");
    ck_assert_int_eq(edn_untag(v)->type, EDN_MAP);
    v = parse("#\"re.*\"");
    ck_assert_str_eq(v->s, "regex");
}
END_TEST

START_TEST(errors_have_positions)
{
    parse_fails("[1 2", "1:5: end of input in vector opened at 1:1");
    parse_fails("{:a 1\n :b}", "1:1: map with an odd number of forms (3)");
    parse_fails("{:a 1\n :b 2]", "2:6: unexpected ']' in map opened at 1:1");
    parse_fails("\"abc", "1:1: end of input in a string");
    parse_fails("\"a\\qb\"", "unknown string escape");
    parse_fails("99999999999999999999", "1:1: integer '99999999999999999999' out of range");
    parse_fails("-9223372036854775809", "out of range");
    parse_fails("1.2.3", "1:1: invalid number");
    parse_fails(":", "1:1: empty keyword");
    parse_fails("#", "end of input after '#'");
    parse_fails("#(inc %)", "unsupported reader form");
    parse_fails("\\bogus", "unknown character literal");
    parse_fails(")", "1:1: unexpected ')'");
    parse_fails("", "no form");
    parse_fails("1 2", "1:3: more than one form");
    parse_fails("#foo", "end of input after tag");
    parse_fails("[#_]", "unexpected ']'");
}
END_TEST

/* Found by fuzz_edn and fuzz_history_edn: a NUL byte in a symbol, keyword or tag was read into a
 * name that C strings end at, so the value printed back as another one (`:f :\0` as `:f :`, an
 * unreadable history.edn). A NUL is refused outside strings, and kept inside them. */
START_TEST(nul_outside_strings_is_refused)
{
    static const struct {
        const char *text;
        size_t len;
        const char *err;
    } cases[] = {
        { "\0", 1, "1:1: NUL byte outside a string" },
        { "{:value \0}", 10, "1:9: NUL byte outside a string" },
        { "ab\0c", 4, "1:1: NUL byte in a symbol or keyword" },
        { "[:f\0]", 5, "1:2: NUL byte in a symbol or keyword" },
        { "#\0\te", 4, "1:1: NUL byte in a tag" },
        { "#ab\0 1", 6, "1:1: NUL byte in a tag" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct edn *v = NULL;
        char err[256] = "";
        ck_assert_int_eq(edn_parse_one(cases[i].text, cases[i].len, &arena, &v, err, sizeof(err)),
                         -1);
        ck_assert_str_eq(err, cases[i].err);
    }
    struct edn *v = NULL;
    char err[256] = "";
    ck_assert_int_eq(edn_parse_one("\"a\0b\"", 5, &arena, &v, err, sizeof(err)), 0);
    ck_assert_uint_eq(v->len, 3);
    char *text = edn_print_text(v, 0);
    ck_assert_str_eq(text, "\"a\\u0000b\"");
    free(text);
}
END_TEST

/* Found by fuzz_edn: a tagged set printed glued to its tag (#foo#{1 2}) read back as the tag
 * "foo#" on a map. A set gets a space after its tag; a map, vector or list is still glued. */
START_TEST(tagged_sets_print_apart)
{
    static const struct {
        const char *text, *flat;
    } cases[] = {
        { "#foo #{1 2}", "#foo #{1 2}" },
        { "#: #{}", "#: #{}" },
        { "#jepsen.history.Op {:a 1}", "#jepsen.history.Op{:a 1}" },
        { "#t [1]", "#t[1]" },
        { "#t (1)", "#t(1)" },
        { "#t 1", "#t 1" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct edn *v = parse(cases[i].text);
        for (unsigned width = 0; width <= 80; width += 80) {
            char *text = edn_print_text(v, width);
            ck_assert_str_eq(text, cases[i].flat);
            const struct edn *back = parse(text);
            ck_assert_int_eq(back->type, EDN_TAGGED);
            ck_assert_str_eq(back->s, v->s);
            ck_assert_int_eq(back->form->type, v->form->type);
            free(text);
        }
    }
}
END_TEST

START_TEST(depth_is_bounded)
{
    size_t n = EDN_MAX_DEPTH + 10;
    char *deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    parse_fails(deep, "nesting deeper than 256");
    free(deep);
    /* Exactly EDN_MAX_DEPTH levels are fine. */
    char *ok = malloc(2 * EDN_MAX_DEPTH + 1);
    memset(ok, '(', EDN_MAX_DEPTH);
    memset(ok + EDN_MAX_DEPTH, ')', EDN_MAX_DEPTH);
    ok[2 * EDN_MAX_DEPTH] = '\0';
    parse(ok);
    free(ok);
}
END_TEST

static void float_is(float f, const char *want)
{
    char buf[32];
    edn_format_float(f, buf, sizeof(buf));
    ck_assert_str_eq(buf, want);
}

static void double_is(double d, const char *want)
{
    char buf[32];
    edn_format_double(d, buf, sizeof(buf));
    ck_assert_str_eq(buf, want);
}

START_TEST(java_number_format)
{
    float_is(27.874565f, "27.874565");
    float_is(2.0199006f, "2.0199006");
    float_is(0.0f, "0.0");
    float_is(1.0f, "1.0");
    float_is(1.0e-4f, "1.0E-4");
    float_is(0.001f, "0.001");
    float_is(1.0e7f, "1.0E7");
    float_is(9999999.0f, "9999999.0");
    float_is(12345678.0f, "1.2345678E7");
    float_is(14.560439f, "14.560439");
    float_is((float)(32.0 / 9.0), "3.5555556");
    float_is((float)(6.0 / 9.0), "0.6666667");
    float_is(-2.5f, "-2.5");
    float_is(100.0f, "100.0");
    double_is(0.5, "0.5");
    double_is(0.95, "0.95");
    double_is(0.99, "0.99");
    double_is(1.0 / 3.0, "0.3333333333333333");
    double_is(1e21, "1.0E21");
    double_is(123456.75, "123456.75");
}
END_TEST

START_TEST(printer_round_trips)
{
    const char *texts[] = {
        "{:a [1 2 3], :b (x y), :c #{\"s\"}, :d {}, 1 0.5}",
        "#jepsen.history.Op{:index 1, :time 2, :value nil, :final? true}",
        "[\"a\\\"b\\\\c\\nd\" \\a \\newline \\space nil true false -3 :k sym]",
        "{0 0, 0.5 450, 0.95 677, 0.99 744, 1 795}",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        struct strbuf b = STRBUF_INIT;
        edn_print(&b, parse(texts[i]), 0);
        ck_assert_str_eq(strbuf_str(&b), texts[i]);
        strbuf_release(&b);
    }
    /* Wrapped: a map that does not fit puts one entry per line, aligned after '{'. */
    struct strbuf b = STRBUF_INIT;
    edn_print(&b, parse("{:alpha [1 2 3], :beta {:x 1, :y 2}}"), 20);
    ck_assert_str_eq(strbuf_str(&b), "{:alpha [1 2 3],\n :beta {:x 1, :y 2}}");
    strbuf_release(&b);
}
END_TEST

/* ---- EDN text: strings escaped, text embedded safely (property tests over seeded texts) ---- */

/* A NUL-free text of up to 64 bytes drawn mostly from what matters to EDN. */
static size_t random_text(struct rng *r, char *out)
{
    static const char alphabet[] = "\"\\;\n\r\t\b\f}{][)(#_, :\x01\x1f\x7f\xc3\xa9\xff"
                                   "az09u";
    size_t n = (size_t)rng_below(r, 64);
    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[rng_below(r, sizeof(alphabet) - 1)];
    out[n] = '\0';
    return n;
}

START_TEST(strings_and_texts_round_trip)
{
    struct rng r;
    rng_seed(&r, 77);
    char text[80], err[256];
    for (int k = 0; k < 20000; k++) {
        size_t n = random_text(&r, text);
        /* A quoted string reads back to exactly its bytes. */
        char *q = edn_quote(text, n);
        struct edn *v;
        ck_assert_msg(edn_parse_one(q, strlen(q), &arena, &v, err, sizeof(err)) == 0, "%s", err);
        ck_assert_int_eq(v->type, EDN_STRING);
        ck_assert_uint_eq(v->len, n);
        ck_assert(!memcmp(v->s, text, n));
        /*
         * Text made safe reads back strictly and prints back the same; text that is no EDN text
         * is kept whole as a string.
         */
        bool form = edn_parse_text(text, n, &arena, &v, err, sizeof(err)) == 0;
        char *t = edn_text_or_string(text, n);
        ck_assert_msg(edn_parse_text(t, strlen(t), &arena, &v, err, sizeof(err)) == 0, "'%s': %s",
                      t, err);
        char *again = edn_print_text(v, 0);
        ck_assert_str_eq(again, t);
        if (!form) ck_assert_str_eq(v->s, text);
        free(q);
        free(t);
        free(again);
        edn_arena_reset(&arena);
    }
}
END_TEST

START_TEST(texts_with_comments_are_strings)
{
    /* One form followed by a comment or a discard is not EDN text: it becomes a string. */
    const char *texts[] = { "n0:n19;n1:n19", "[:crash \"x\"] ; y\"]", "1 #_ 2", "#_ 1 2", "a ;" };
    struct edn *v;
    char err[256];
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        ck_assert_int_ne(edn_parse_text(texts[i], strlen(texts[i]), &arena, &v, err, sizeof(err)),
                         0);
        char *t = edn_text_or_string(texts[i], strlen(texts[i]));
        ck_assert_str_eq(parse(t)->s, texts[i]);
        free(t);
    }
    /* Whitespace around one form is fine, and the form is printed compactly. */
    char *t = edn_text_or_string(" {:a 1 :b [2 3]}\n", 17);
    ck_assert_str_eq(t, "{:a 1, :b [2 3]}");
    free(t);
    /* NUL and other control bytes are escaped: no printed string holds a NUL. */
    char *p = edn_print_text(parse("\"a\\u0000b\\u0001\""), 0);
    ck_assert_str_eq(p, "\"a\\u0000b\\u0001\"");
    free(p);
    /* Characters beyond U+FFFF print as themselves. */
    p = edn_print_text(parse("\\\xf0\x9f\x98\x80"), 0);
    ck_assert_str_eq(p, "\\\xf0\x9f\x98\x80");
    free(p);
    ck_assert(edn_name_ok("start-partition", 15));
    ck_assert(!edn_name_ok("a b", 3) && !edn_name_ok("", 0) && !edn_name_ok("x;", 2));
}
END_TEST

/* ---- fuzz: random bytes, fixture mutations and truncations --------------------------------- */

static char *slurp_fixture(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/fixtures/maelstrom/%s", GL_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* Feeds one input to every reader; they may fail but must not crash or leak. */
static void feed(const char *buf, size_t len)
{
    struct edn_arena a;
    edn_arena_init(&a);
    struct edn_reader r;
    edn_reader_init(&r, buf, len);
    struct edn *v;
    char err[256];
    while (edn_read(&r, &a, &v, err, sizeof(err)) == 1)
        edn_arena_reset(&a);
    edn_reader_release(&r);
    edn_arena_release(&a);
    struct history *h = history_new();
    if (history_parse(h, buf, len, err, sizeof(err)) != 0)
        ck_assert_msg(strchr(err, ':') != NULL, "error without a position: %s", err);
    history_free(h);
    struct results res;
    if (results_parse(&res, buf, len, err, sizeof(err)) == 0) results_release(&res);
    struct net_counts c;
    if (journal_parse_counts(buf, len, &c, err, sizeof(err)) != 0)
        ck_assert_msg(strchr(err, ':') != NULL, "error without a position: %s", err);
}

/* Our JSON forms of the fixtures: a history (JSON lines), results.json, a journal. */
static char *json_text(int which, size_t *len)
{
    char *buf = NULL;
    FILE *mem = open_memstream(&buf, len);
    char err[256];
    if (which == 0) {
        struct history *h = history_new();
        ck_assert_int_eq(history_load(h,
                                      GL_SOURCE_DIR "/tests/fixtures/maelstrom/"
                                                    "worked-example.history.edn",
                                      err, sizeof(err)),
                         0);
        history_write(h, HISTORY_JSON, mem);
        history_free(h);
    } else if (which == 1) {
        struct results r;
        ck_assert_int_eq(results_load(&r,
                                      GL_SOURCE_DIR
                                      "/tests/fixtures/maelstrom/imperfect-fourth__"
                                      "gossip-glomers__broadcast-3a-n1-malformed-exceptions.edn",
                                      err, sizeof(err)),
                         0);
        results_write_json(&r, mem);
        results_release(&r);
    } else {
        for (uint64_t id = 0; id < 40; id++) {
            struct journal_rec rec = {
                id, (int64_t)id, id % 3 ? (int64_t)id + 5 : -1, id % 2 ? "c1" : "n0", "n1", "gossip"
            };
            journal_write(mem, &rec);
        }
    }
    fclose(mem);
    return buf;
}

START_TEST(fuzz_random_and_truncated)
{
    const char *names[] = {
        "worked-example.history.edn",
        "pankajads__maelstrom_test__broadcast-3b-n5-rate10.edn",
        "imperfect-fourth__gossip-glomers__broadcast-3a-n1-malformed-exceptions.edn",
    };
    static const char alphabet[] = "{}[]()#_:\"\\ ,;\n0123456789-+.eENM/abc?!^'`~@nulltrue";
    struct rng g;
    rng_seed(&g, 20261121);
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]) + 3; k++) {
        size_t len;
        char *text = k < 3 ? slurp_fixture(names[k], &len) : json_text((int)k - 3, &len);
        char *buf = malloc(len + 1);
        for (int i = 0; i < 600; i++) {
            size_t cut = (size_t)rng_below(&g, len + 1);
            memcpy(buf, text, cut); /* truncated, exactly sized: ASan sees any over-read */
            if (i % 2) {
                for (int m = 0; m < 4 && cut; m++)
                    buf[rng_below(&g, cut)] = alphabet[rng_below(&g, sizeof(alphabet) - 1)];
            }
            char *exact = malloc(cut ? cut : 1);
            memcpy(exact, buf, cut);
            feed(exact, cut);
            free(exact);
        }
        free(buf);
        free(text);
    }
    for (int i = 0; i < 2000; i++) {
        size_t n = (size_t)rng_below(&g, 64);
        char *exact = malloc(n ? n : 1);
        for (size_t j = 0; j < n; j++)
            exact[j] = alphabet[rng_below(&g, sizeof(alphabet) - 1)];
        feed(exact, n);
        free(exact);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("edn");
    TCase *tc = tcase_create("reader");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, scalars);
    tcase_add_test(tc, collections_and_tags);
    tcase_add_test(tc, errors_have_positions);
    tcase_add_test(tc, nul_outside_strings_is_refused);
    tcase_add_test(tc, tagged_sets_print_apart);
    tcase_add_test(tc, depth_is_bounded);
    tcase_add_test(tc, java_number_format);
    tcase_add_test(tc, printer_round_trips);
    tcase_add_test(tc, strings_and_texts_round_trip);
    tcase_add_test(tc, texts_with_comments_are_strings);
    tcase_add_test(tc, fuzz_random_and_truncated);
    suite_add_tcase(s, tc);
    return check_run(s);
}
