/*
 * check_wire: proves the harness validates node output lines exactly as Maelstrom's network does
 * (closed envelope, string ids, one object per line) and forwards each body byte for byte, even
 * with nested values, escaped quotes and brackets inside strings, and odd whitespace.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "wire.h"

static int parse(const char *line, struct wire_env *env, char *err)
{
    return wire_parse(line, strlen(line), env, err, 256);
}

START_TEST(body_is_forwarded_verbatim)
{
    static const struct {
        const char *line, *body;
    } cases[] = {
        { "{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":\"gossip\",\"v\":[1,2,3]}}",
          "{\"type\":\"gossip\",\"v\":[1,2,3]}" },
        { "{\"body\": {\"type\":\"x\",\"s\":\"a \\\"}]\\\\\",\"n\":{\"m\":[{}]}} , \"src\":\"n1\","
          "\"dest\":\"n2\"}",
          "{\"type\":\"x\",\"s\":\"a \\\"}]\\\\\",\"n\":{\"m\":[{}]}}" },
        { "{\"id\":3,\"src\":\"n1\",\"dest\":\"n2\",\"body\":12345678901234567890}",
          "12345678901234567890" },
        { " { \"src\" : \"n1\" , \"dest\" : \"n2\" , \"body\" : \"text\" } ", "\"text\"" },
        { "{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":\"t\",\"f\":1.50}}",
          "{\"type\":\"t\",\"f\":1.50}" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct wire_env env;
        char err[256];
        ck_assert_msg(parse(cases[i].line, &env, err) == 0, "%zu: %s", i, err);
        ck_assert_str_eq(env.body, cases[i].body);
        ck_assert_str_eq(env.src, "n1");
        ck_assert_str_eq(env.dest, "n2");
        free(env.body);
    }
}
END_TEST

START_TEST(envelope_fields)
{
    struct wire_env env;
    char err[256];
    ck_assert_int_eq(parse("{\"src\":\"n1\",\"dest\":\"c4\",\"body\":{\"type\":\"read_ok\","
                           "\"messages\":[],\"in_reply_to\":7}}",
                           &env, err),
                     0);
    ck_assert_str_eq(env.type, "read_ok");
    ck_assert(env.has_in_reply_to);
    ck_assert_int_eq(env.in_reply_to, 7);
    free(env.body);
    ck_assert_int_eq(parse("{\"src\":\"n1\",\"dest\":\"n2\",\"body\":[1]}", &env, err), 0);
    ck_assert_str_eq(env.type, "");
    ck_assert(!env.has_in_reply_to);
    free(env.body);
}
END_TEST

START_TEST(rejections)
{
    static const struct {
        const char *line, *why;
    } cases[] = {
        { "", "empty line" },
        { "hello", "not valid JSON" },
        { "[1,2]", "not a JSON object" },
        { "{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{},\"extra\":1}", "disallowed key \"extra\"" },
        { "{\"src\":\"n1\",\"dest\":\"n2\"}", "no \"body\"" },
        { "{\"src\":1,\"dest\":\"n2\",\"body\":{}}", "\"src\" missing or not a string" },
        { "{\"src\":\"n1\",\"body\":{}}", "\"dest\" missing or not a string" },
        { "{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{}} {}", "trailing data" },
        { "{\"id\":1.5,\"src\":\"n1\",\"dest\":\"n2\",\"body\":{}}", "\"id\" is not an integer" },
        { "{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"a\":", "not valid JSON" },
        /* cJSON would read these ids as n1 and c1: they name no endpoint (spec §1.6(1)) */
        { "{\"src\":\"n1\\u0000x\",\"dest\":\"n2\",\"body\":{}}",
          "\"src\" contains a NUL character" },
        { "{\"src\":\"n1\",\"dest\":\"c1\\u0000\",\"body\":{}}",
          "\"dest\" contains a NUL character" },
        { "{\"src\":\"n1\",\"d\\u0065st\":\"c1\\u0000\",\"body\":{}}",
          "\"dest\" contains a NUL character" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct wire_env env;
        char err[256] = "";
        ck_assert_msg(parse(cases[i].line, &env, err) == -1, "%zu accepted", i);
        ck_assert_msg(strstr(err, cases[i].why) != NULL, "%zu: '%s'", i, err);
        ck_assert_ptr_null(env.body);
    }
}
END_TEST

/* A NUL elsewhere, or an escaped backslash before "u0000", leaves the ids alone. */
START_TEST(nul_outside_ids)
{
    static const char *const lines[] = {
        "{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":\"error\",\"text\":\"a\\u0000b\"}}",
        "{\"src\":\"n1\",\"dest\":\"n\\\\u0000\",\"body\":{}}",
    };
    static const char *const dest[] = { "n2", "n\\u0000" };
    for (size_t i = 0; i < 2; i++) {
        struct wire_env env;
        char err[256] = "";
        ck_assert_msg(parse(lines[i], &env, err) == 0, "%zu: %s", i, err);
        ck_assert_str_eq(env.dest, dest[i]);
        free(env.body);
    }
}
END_TEST

START_TEST(stdin_line)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_addstr(&sb, "kept|"); /* appended to what the builder holds */
    ck_assert_int_eq(wire_line(&sb, 42, "c3", "n0", "{\"type\":\"read\",\"msg_id\":1}"), 0);
    ck_assert_str_eq(sb.buf, "kept|{\"id\":42,\"src\":\"c3\",\"dest\":\"n0\",\"body\":{\"type\":"
                             "\"read\",\"msg_id\":1}}\n");
    ck_assert_uint_eq(sb.len, strlen(sb.buf));
    strbuf_reset(&sb);
    ck_assert_int_eq(wire_line(&sb, UINT64_MAX, "n1", "n2", "{}"), 0);
    ck_assert_str_eq(sb.buf,
                     "{\"id\":18446744073709551615,\"src\":\"n1\",\"dest\":\"n2\",\"body\":{}}\n");
    strbuf_release(&sb);
}
END_TEST

static Suite *wire_suite(void)
{
    Suite *s = suite_create("wire");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, body_is_forwarded_verbatim);
    tcase_add_test(tc, envelope_fields);
    tcase_add_test(tc, rejections);
    tcase_add_test(tc, nul_outside_ids);
    tcase_add_test(tc, stdin_line);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(wire_suite());
}
