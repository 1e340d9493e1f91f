/*
 * check_jtree: the JSON reader every JSON input goes through (common/jtree.h) reads integers
 * exactly from their literals over all of int64 (cJSON's doubles round above 2^53), tells 5 from
 * 5.0 and 1e3, reports integers beyond int64, marks strings holding \u0000 and refuses keys
 * holding one, and refuses trailing data with its offset.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "check_run.h"
#include "jtree.h"

static void load(struct jtree *t, const char *text)
{
    char err[128] = "";
    ck_assert_msg(jtree_load(t, text, strlen(text), err, sizeof(err), NULL) == 0, "%s: %s", text,
                  err);
}

START_TEST(integers_are_exact)
{
    struct jtree t;
    load(&t, "[9007199254740993, -9223372036854775808, 9223372036854775807, 0, -0, 5.0, 1e3, "
             "9223372036854775808, {\"a\": [[12345678901234567]]}]");
    static const struct {
        enum jtree_int want;
        int64_t v;
    } items[] = {
        { JTREE_INT, 9007199254740993LL },
        { JTREE_INT, INT64_MIN },
        { JTREE_INT, INT64_MAX },
        { JTREE_INT, 0 },
        { JTREE_INT, 0 },
        { JTREE_NOT_INT, 0 },
        { JTREE_NOT_INT, 0 },
        { JTREE_RANGE, 0 },
    };
    const cJSON *it = t.root->child;
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++, it = it->next) {
        int64_t v = -1;
        ck_assert_int_eq(jtree_int(&t, it, &v), items[i].want);
        if (items[i].want == JTREE_INT) ck_assert_int_eq(v, items[i].v);
    }
    int64_t v = 0;
    const cJSON *deep = cJSON_GetObjectItemCaseSensitive(it, "a")->child->child;
    ck_assert_int_eq(jtree_int(&t, deep, &v), JTREE_INT);
    ck_assert_int_eq(v, 12345678901234567LL);
    ck_assert_int_eq(jtree_int(&t, t.root, &v), JTREE_NOT_INT); /* not a number */
    jtree_release(&t);

    load(&t, " 42 "); /* a number alone, whitespace around */
    ck_assert_int_eq(jtree_int(&t, t.root, &v), JTREE_INT);
    ck_assert_int_eq(v, 42);
    jtree_release(&t);
}
END_TEST

START_TEST(nul_strings_are_marked)
{
    struct jtree t;
    load(&t, "{\"a\": \"x\\u0000y\", \"b\": \"x\\\\u0000\", \"c\": 1}");
    ck_assert(jtree_has_nul(cJSON_GetObjectItemCaseSensitive(t.root, "a")));
    ck_assert(!jtree_has_nul(cJSON_GetObjectItemCaseSensitive(t.root, "b"))); /* an escaped \ */
    ck_assert(!jtree_has_nul(cJSON_GetObjectItemCaseSensitive(t.root, "c")));
    jtree_release(&t);

    char err[128] = "";
    const char *bad = "{\"k\\u0000\": 1}";
    ck_assert_int_eq(jtree_load(&t, bad, strlen(bad), err, sizeof(err), NULL), -1);
    ck_assert_str_eq(err, "key 'k' contains a NUL character (\\u0000)");
    jtree_release(&t);
}
END_TEST

START_TEST(bad_json_says_where)
{
    struct jtree t;
    char err[128] = "";
    size_t at = 99;
    ck_assert_int_eq(jtree_load(&t, "[1, 2] x", 8, err, sizeof(err), &at), -1);
    ck_assert_str_eq(err, "not one JSON value (trailing data at byte 7)");
    ck_assert_uint_eq(at, 7);
    jtree_release(&t);
    ck_assert_int_eq(jtree_load(&t, "[1, }", 5, err, sizeof(err), &at), -1);
    ck_assert_str_eq(err, "not JSON (error at byte 4)");
    ck_assert_uint_eq(at, 4);
    jtree_release(&t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jtree");
    TCase *tc = tcase_create("jtree");
    tcase_add_test(tc, integers_are_exact);
    tcase_add_test(tc, nul_strings_are_marked);
    tcase_add_test(tc, bad_json_says_where);
    suite_add_tcase(s, tc);
    return check_run(s);
}
