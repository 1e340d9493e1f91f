/*
 * check_json: proves the one JSON string escaper's documented behaviour (common/json.h): quotes,
 * backslashes and every control byte escaped (short forms for \n \r \t, \u00xx otherwise),
 * 0x7f and UTF-8 bytes copied as they are, embedded NULs escaped when a length is given, and
 * gl_errorf (common/errmsg.h) formatting, cutting and returning -1.
 */
#include <check.h>
#include <string.h>

#include "check_run.h"
#include "errmsg.h"
#include "json.h"
#include "strbuf.h"

START_TEST(escapes_quotes_backslashes_and_controls)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        { "", "\"\"" },
        { "plain n12", "\"plain n12\"" },
        { "say \"hi\"", "\"say \\\"hi\\\"\"" },
        { "a\\b", "\"a\\\\b\"" },
        { "l1\nl2\r\tx", "\"l1\\nl2\\r\\tx\"" },
        { "\x01\x08\x0c\x1f", "\"\\u0001\\u0008\\u000c\\u001f\"" },
        { "del\x7f", "\"del\x7f\"" },
        { "h\xc3\xa9llo \xe2\x9c\x93", "\"h\xc3\xa9llo \xe2\x9c\x93\"" },
        { "\xff\xfe", "\"\xff\xfe\"" }, /* not UTF-8: still copied as is */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct strbuf sb = STRBUF_INIT;
        json_add_str(&sb, cases[i].in);
        ck_assert_str_eq(strbuf_str(&sb), cases[i].want);
        strbuf_release(&sb);
    }
}
END_TEST

START_TEST(escape_takes_a_length)
{
    struct strbuf sb = STRBUF_INIT;
    json_escape(&sb, "a\0b\"", 4);
    ck_assert_str_eq(strbuf_str(&sb), "a\\u0000b\\\"");
    strbuf_release(&sb);
}
END_TEST

START_TEST(escape_into_a_fixed_buffer_cuts)
{
    char area[8];
    struct strbuf sb;
    strbuf_fixed(&sb, area, sizeof(area));
    json_add_str(&sb, "abc\ndefgh");
    ck_assert(sb.failed);
    ck_assert_str_eq(area, "\"abc\\nd");
}
END_TEST

/* json_put_str writes what json_add_str appends, whatever byte needs escaping and wherever:
 * every length up to 40 with each kind of byte at each place, and plain texts with bytes
 * >= 0x80 (UTF-8) and 0x7f, which stay as they are. */
START_TEST(put_str_is_add_str)
{
    static const char specials[] = { '"', '\\', '\n', '\x01', '\x1f', '\0' };
    static const char plains[] = { 'a', '\x20', '\x7f', '\x80', '\xff', '!', '#', '[', ']' };
    char text[41];
    for (size_t len = 0; len <= 40; len++) {
        for (size_t at = 0; at <= len; at++) {
            for (size_t k = 0; k < sizeof(specials) + sizeof(plains); k++) {
                for (size_t i = 0; i < len; i++)
                    text[i] = plains[(i * 7 + k) % sizeof(plains)];
                if (at < len)
                    text[at] = k < sizeof(specials) ? specials[k] : plains[k - sizeof(specials)];
                struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
                strbuf_addch(&want, '"');
                json_escape(&want, text, len);
                strbuf_addch(&want, '"');
                strbuf_addstr(&got, "x"); /* written after what is there */
                ck_assert(strbuf_grow(&got, 6 * len + 2));
                char *end = json_put_str(&got, got.buf + got.len, text, len);
                got.len = (size_t)(end - got.buf);
                ck_assert_uint_eq(got.len, 1 + want.len);
                ck_assert_int_eq(memcmp(got.buf + 1, want.buf, want.len), 0);
                strbuf_release(&want);
                strbuf_release(&got);
            }
        }
    }
}
END_TEST

START_TEST(errorf_formats_cuts_and_returns_minus_one)
{
    char err[10];
    ck_assert_int_eq(gl_errorf(err, sizeof(err), "%s: %d", "x.ini", 7), -1);
    ck_assert_str_eq(err, "x.ini: 7");
    ck_assert_int_eq(gl_errorf(err, sizeof(err), "%s", "a long message"), -1);
    ck_assert_str_eq(err, "a long me");
    ck_assert_int_eq(gl_errorf(NULL, 0, "%s", "nowhere"), -1);
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, escapes_quotes_backslashes_and_controls);
    tcase_add_test(tc, escape_takes_a_length);
    tcase_add_test(tc, escape_into_a_fixed_buffer_cuts);
    tcase_add_test(tc, put_str_is_add_str);
    tcase_add_test(tc, errorf_formats_cuts_and_returns_minus_one);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(json_suite());
}
