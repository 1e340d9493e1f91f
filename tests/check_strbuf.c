/*
 * check_strbuf: proves the one string builder and array growth of common/: heap builders grow
 * and keep every byte, fixed builders never write past their array and say they cut, integers
 * are exact at the int64 extremes, and GL_GROW keeps elements and reports overflow.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "strbuf.h"

START_TEST(heap_builder_grows_and_detaches)
{
    struct strbuf sb = STRBUF_INIT;
    ck_assert_str_eq(strbuf_str(&sb), "");
    for (int i = 0; i < 1000; i++)
        strbuf_addch(&sb, (char)('a' + i % 26));
    strbuf_addstr(&sb, "|");
    strbuf_addf(&sb, "%d-%s", 42, "x");
    ck_assert_uint_eq(sb.len, 1000 + 1 + 4);
    ck_assert(!sb.failed);
    ck_assert_int_eq(sb.buf[999], 'a' + 999 % 26);
    ck_assert_str_eq(sb.buf + 1000, "|42-x");
    size_t len = 0;
    char *s = strbuf_detach(&sb, &len);
    ck_assert_uint_eq(len, 1005);
    ck_assert_uint_eq(strlen(s), 1005);
    ck_assert_ptr_null(sb.buf);
    free(s);
    s = strbuf_detach(&sb, &len); /* an empty builder gives "" */
    ck_assert_str_eq(s, "");
    ck_assert_uint_eq(len, 0);
    free(s);
}
END_TEST

START_TEST(fixed_builder_cuts_and_never_overruns)
{
    /* _i is the array size: every size from 1 to 24 over a 20-byte text in pieces. */
    size_t cap = (size_t)_i;
    char area[40];
    memset(area, 'Z', sizeof(area));
    struct strbuf sb;
    strbuf_fixed(&sb, area, cap);
    strbuf_addstr(&sb, "abcde");
    strbuf_addf(&sb, "%s%d", "fghij", 12345);
    strbuf_add_i64(&sb, -6789);
    strbuf_addch(&sb, '!');
    const char *want = "abcdefghij12345-6789!";
    size_t fit = cap - 1 < strlen(want) ? cap - 1 : strlen(want);
    ck_assert_uint_eq(sb.len, fit);
    ck_assert_int_eq(memcmp(area, want, fit), 0);
    ck_assert_int_eq(area[fit], '\0');
    for (size_t k = cap; k < sizeof(area); k++)
        ck_assert_int_eq(area[k], 'Z');
    ck_assert(sb.failed == (fit < strlen(want)));
    strbuf_reset(&sb);
    ck_assert(!sb.failed);
    ck_assert_str_eq(area, "");
}
END_TEST

START_TEST(integers_exact)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_add_i64(&sb, INT64_MIN);
    strbuf_addch(&sb, ' ');
    strbuf_add_i64(&sb, INT64_MAX);
    strbuf_addch(&sb, ' ');
    strbuf_add_u64(&sb, UINT64_MAX);
    strbuf_addch(&sb, ' ');
    strbuf_add_i64(&sb, 0);
    ck_assert_str_eq(sb.buf, "-9223372036854775808 9223372036854775807 18446744073709551615 0");
    strbuf_release(&sb);
}
END_TEST

START_TEST(integer_vectors_exact)
{
    const int64_t v[] = { 0, 7, -7, 10, 99, 100, -1000, 123456789, INT64_MIN, INT64_MAX };
    const char *want = "0 7 -7 10 99 100 -1000 123456789 -9223372036854775808 9223372036854775807";
    struct strbuf sb = STRBUF_INIT;
    strbuf_add_i64s(&sb, v, 10, ' ');
    ck_assert_str_eq(sb.buf, want);
    strbuf_add_i64s(&sb, v, 0, ','); /* nothing */
    ck_assert_uint_eq(sb.len, strlen(want));
    /* Every value from -100000 to 100000 formats as printf does. */
    for (int64_t x = -100000; x <= 100000; x++) {
        char ref[32];
        snprintf(ref, sizeof(ref), "%lld", (long long)x);
        strbuf_reset(&sb);
        strbuf_add_i64s(&sb, &x, 1, ',');
        if (strcmp(sb.buf, ref) != 0) ck_abort_msg("%lld formats as '%s'", (long long)x, sb.buf);
    }
    strbuf_release(&sb);
    /* A fixed builder short of the worst case keeps what fits, and says it cut. */
    char area[16];
    strbuf_fixed(&sb, area, sizeof(area));
    strbuf_add_i64s(&sb, v, 10, ' ');
    ck_assert_str_eq(area, "0 7 -7 10 99 10");
    ck_assert(sb.failed);
    /* ... and one with room for the worst case formats in place. */
    char big[512];
    strbuf_fixed(&sb, big, sizeof(big));
    strbuf_add_i64s(&sb, v, 10, ' ');
    ck_assert_str_eq(big, want);
    ck_assert(!sb.failed);
}
END_TEST

START_TEST(grow_keeps_elements)
{
    int64_t *v = NULL;
    size_t cap = 0;
    for (int64_t i = 0; i < 10000; i++) {
        ck_assert_int_eq(GL_GROW(v, (size_t)i + 1, cap), 0);
        ck_assert_uint_ge(cap, (size_t)i + 1);
        v[i] = i * 3;
    }
    for (int64_t i = 0; i < 10000; i++)
        ck_assert_int_eq(v[i], i * 3);
    size_t before = cap;
    ck_assert_int_eq(GL_GROW(v, 5, cap), 0); /* room already: nothing changes */
    ck_assert_uint_eq(cap, before);
    free(v);
}
END_TEST

START_TEST(grow_reports_overflow)
{
    int64_t *v = NULL;
    size_t cap = 0;
    ck_assert_int_eq(GL_GROW(v, SIZE_MAX / 4, cap), -1);
    ck_assert_ptr_null(v);
    ck_assert_uint_eq(cap, 0);
}
END_TEST

/* A ring grown at every head position keeps its entries in FIFO order, from index 0. */
START_TEST(ring_grow_unwraps)
{
    size_t head0 = (size_t)_i;
    int32_t *ring = NULL;
    size_t head = 0, cap = 0;
    ck_assert_int_eq(gl_ring_grow(&ring, sizeof(*ring), &head, 0, &cap, 8), 0);
    ck_assert_uint_eq(cap, 8);
    /* 8 entries 100..107 starting at head0, wrapping past the end. */
    for (size_t k = 0; k < 8; k++)
        ring[(head0 + k) & 7] = (int32_t)(100 + k);
    head = head0;
    ck_assert_int_eq(gl_ring_grow(&ring, sizeof(*ring), &head, 8, &cap, 8), 0);
    ck_assert_uint_eq(cap, 16);
    ck_assert_uint_eq(head, 0);
    for (size_t k = 0; k < 8; k++)
        ck_assert_int_eq(ring[k], (int32_t)(100 + k));
    free(ring);
}
END_TEST

START_TEST(ring_grow_reports_overflow)
{
    int64_t *ring = NULL;
    size_t head = 0, cap = (SIZE_MAX >> 1) + 1; /* doubling overflows; never dereferenced */
    ck_assert_int_eq(gl_ring_grow(&ring, sizeof(*ring), &head, 0, &cap, 8), -1);
    ck_assert_ptr_null(ring);
    ck_assert_uint_eq(cap, (SIZE_MAX >> 1) + 1);
}
END_TEST

static Suite *strbuf_suite(void)
{
    Suite *s = suite_create("strbuf");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, heap_builder_grows_and_detaches);
    tcase_add_loop_test(tc, fixed_builder_cuts_and_never_overruns, 1, 25);
    tcase_add_test(tc, integers_exact);
    tcase_add_test(tc, integer_vectors_exact);
    tcase_add_test(tc, grow_keeps_elements);
    tcase_add_test(tc, grow_reports_overflow);
    tcase_add_loop_test(tc, ring_grow_unwraps, 0, 8);
    tcase_add_test(tc, ring_grow_reports_overflow);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(strbuf_suite());
}
