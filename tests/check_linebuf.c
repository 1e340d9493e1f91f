/*
 * check_linebuf: proves the one bounded line framer (common/linebuf.h) used by the node's stdin
 * and the harness's node stdout: lines split across feeds in every possible way come out whole
 * and numbered, an over-long line is reported once (with its first max bytes) and skipped up to
 * its newline, the next line is fine again, a line of exactly max bytes passes, and a last line
 * without a newline comes out at the end of the stream.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "linebuf.h"

#define MAX_EVENTS 16

struct seen {
    int n;
    enum linebuf_event ev[MAX_EVENTS];
    char line[MAX_EVENTS][64];
    uint64_t lineno[MAX_EVENTS];
    const struct linebuf *lb;
};

static void on_line(void *ctx, enum linebuf_event ev, const char *line, size_t len)
{
    struct seen *s = ctx;
    ck_assert_int_lt(s->n, MAX_EVENTS);
    ck_assert_uint_lt(len, sizeof(s->line[0]));
    s->ev[s->n] = ev;
    if (len) memcpy(s->line[s->n], line, len);
    s->line[s->n][len] = '\0';
    s->lineno[s->n] = s->lb->lineno;
    s->n++;
}

/* Feeds text in pieces of `step` bytes (the loop index), then ends the stream. */
static void feed_in_steps(struct linebuf *lb, struct seen *s, const char *text, size_t step)
{
    size_t len = strlen(text);
    for (size_t off = 0; off < len; off += step) {
        size_t n = len - off < step ? len - off : step;
        linebuf_feed(lb, text + off, n, on_line, s);
    }
    linebuf_finish(lb, on_line, s);
}

START_TEST(lines_split_across_feeds)
{
    struct linebuf lb;
    linebuf_init(&lb, 0);
    struct seen s = { .lb = &lb };
    feed_in_steps(&lb, &s, "{\"a\":1}\n\nsecond line\nlast", (size_t)_i);
    ck_assert_int_eq(s.n, 4);
    const char *want[] = { "{\"a\":1}", "", "second line", "last" };
    for (int k = 0; k < 4; k++) {
        ck_assert_int_eq(s.ev[k], LINEBUF_LINE);
        ck_assert_str_eq(s.line[k], want[k]);
        ck_assert_uint_eq(s.lineno[k], (uint64_t)k + 1);
    }
    linebuf_release(&lb);
}
END_TEST

START_TEST(over_long_line_skipped_then_recovery)
{
    struct linebuf lb;
    linebuf_init(&lb, 8);
    struct seen s = { .lb = &lb };
    feed_in_steps(&lb, &s, "ok\n12345678\n123456789abcdef\nfine\n0123456789", (size_t)_i);
    ck_assert_int_eq(s.n, 5);
    ck_assert_int_eq(s.ev[0], LINEBUF_LINE);
    ck_assert_str_eq(s.line[0], "ok");
    ck_assert_int_eq(s.ev[1], LINEBUF_LINE); /* exactly max bytes is fine */
    ck_assert_str_eq(s.line[1], "12345678");
    ck_assert_int_eq(s.ev[2], LINEBUF_TOO_LONG);
    ck_assert_str_eq(s.line[2], "12345678"); /* its first max bytes */
    ck_assert_uint_eq(s.lineno[2], 3);
    ck_assert_int_eq(s.ev[3], LINEBUF_LINE);
    ck_assert_str_eq(s.line[3], "fine");
    ck_assert_uint_eq(s.lineno[3], 4);
    ck_assert_int_eq(s.ev[4], LINEBUF_TOO_LONG); /* an over-long last line is not a line */
    ck_assert_uint_eq(s.lineno[4], 5);
    linebuf_release(&lb);
}
END_TEST

START_TEST(no_trailing_newline_at_eof)
{
    struct linebuf lb;
    linebuf_init(&lb, 0);
    struct seen s = { .lb = &lb };
    linebuf_feed(&lb, "par", 3, on_line, &s);
    ck_assert_int_eq(s.n, 0);
    linebuf_feed(&lb, "tial", 4, on_line, &s);
    linebuf_finish(&lb, on_line, &s);
    ck_assert_int_eq(s.n, 1);
    ck_assert_str_eq(s.line[0], "partial");
    linebuf_finish(&lb, on_line, &s); /* nothing left: nothing more */
    ck_assert_int_eq(s.n, 1);
    linebuf_release(&lb);
}
END_TEST

static Suite *linebuf_suite(void)
{
    Suite *s = suite_create("linebuf");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, lines_split_across_feeds, 1, 30);
    tcase_add_loop_test(tc, over_long_line_skipped_then_recovery, 1, 45);
    tcase_add_test(tc, no_trailing_newline_at_eof);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(linebuf_suite());
}
