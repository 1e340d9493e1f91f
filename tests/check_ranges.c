/*
 * check_ranges: proves the interval set (node/ranges.c) holds exactly the values added, as
 * sorted, disjoint, non-adjacent intervals (merging on touch, at the ends of int64 too), and that
 * subtract, drop_below, count and the validity check agree with a plain set on random inputs.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "ranges.h"
#include "rng.h"

static void expect(const struct ranges *r, const int64_t *want, size_t n_entries)
{
    ck_assert_uint_eq(2 * r->n, n_entries);
    for (size_t i = 0; i < n_entries; i++)
        ck_assert_int_eq(r->v[i], want[i]);
    ck_assert(ranges_valid(r->v, 2 * r->n));
}

START_TEST(add_merges_what_touches)
{
    struct ranges r;
    ranges_init(&r);
    ck_assert_int_eq(ranges_add(&r, 5), 1);
    ck_assert_int_eq(ranges_add(&r, 5), 0);
    ck_assert_int_eq(ranges_add(&r, 7), 1);
    expect(&r, (const int64_t[]){ 5, 5, 7, 7 }, 4);
    ck_assert_int_eq(ranges_add(&r, 6), 1); /* fills the hole: one interval */
    expect(&r, (const int64_t[]){ 5, 7 }, 2);
    ck_assert_int_eq(ranges_add(&r, 4), 1);
    ck_assert_int_eq(ranges_add(&r, 8), 1);
    ck_assert_int_eq(ranges_add(&r, 20), 1);
    ck_assert_int_eq(ranges_add(&r, -3), 1);
    expect(&r, (const int64_t[]){ -3, -3, 4, 8, 20, 20 }, 6);
    ck_assert_int_eq(ranges_add_range(&r, -2, 19), 0); /* swallows and joins everything */
    expect(&r, (const int64_t[]){ -3, 20 }, 2);
    ck_assert(ranges_contains(&r, -3) && ranges_contains(&r, 20) && ranges_contains(&r, 0));
    ck_assert(!ranges_contains(&r, 21) && !ranges_contains(&r, -4));
    ck_assert_uint_eq(ranges_count(&r), 24);
    ranges_release(&r);
}
END_TEST

START_TEST(int64_ends)
{
    struct ranges r;
    ranges_init(&r);
    ck_assert_int_eq(ranges_add(&r, INT64_MAX), 1);
    ck_assert_int_eq(ranges_add(&r, INT64_MIN), 1);
    ck_assert_int_eq(ranges_add(&r, INT64_MAX - 1), 1);
    ck_assert_int_eq(ranges_add(&r, INT64_MIN + 1), 1);
    expect(&r, (const int64_t[]){ INT64_MIN, INT64_MIN + 1, INT64_MAX - 1, INT64_MAX }, 4);
    struct ranges out;
    ranges_init(&out);
    const int64_t all[2] = { INT64_MIN, INT64_MAX };
    ck_assert_int_eq(ranges_subtract(all, 1, r.v, r.n, INT64_MAX, &out), 0);
    expect(&out, (const int64_t[]){ INT64_MIN + 2, INT64_MAX - 2 }, 2);
    ck_assert_int_eq(ranges_subtract(r.v, r.n, all, 1, INT64_MAX, &out), 0);
    ck_assert_uint_eq(out.n, 0);
    ranges_drop_below(&r, INT64_MIN + 1);
    expect(&r, (const int64_t[]){ INT64_MIN + 1, INT64_MIN + 1, INT64_MAX - 1, INT64_MAX }, 4);
    ranges_release(&r);
    ranges_release(&out);
}
END_TEST

START_TEST(drop_below_and_valid)
{
    struct ranges r;
    ranges_init(&r);
    ranges_add_range(&r, 1, 5);
    ranges_add_range(&r, 8, 9);
    ranges_drop_below(&r, 3);
    expect(&r, (const int64_t[]){ 3, 5, 8, 9 }, 4);
    ranges_drop_below(&r, 7);
    expect(&r, (const int64_t[]){ 8, 9 }, 2);
    ranges_drop_below(&r, 100);
    ck_assert_uint_eq(r.n, 0);
    ck_assert(ranges_valid((const int64_t[]){ 1, 2, 4, 4 }, 4));
    ck_assert(!ranges_valid((const int64_t[]){ 1, 2, 4 }, 3));    /* odd */
    ck_assert(!ranges_valid((const int64_t[]){ 2, 1 }, 2));       /* lo > hi */
    ck_assert(!ranges_valid((const int64_t[]){ 1, 4, 4, 6 }, 4)); /* overlapping */
    ranges_release(&r);
}
END_TEST

/* Random sets over a small domain against a plain bitmap: add, contains, subtract with a bound. */
START_TEST(random_against_a_bitmap)
{
    struct rng g;
    rng_seed(&g, (uint64_t)_i + 1);
    enum { D = 200 };
    bool a_bits[D] = { false }, b_bits[D] = { false };
    struct ranges a, b, out;
    ranges_init(&a);
    ranges_init(&b);
    ranges_init(&out);
    for (int k = 0; k < 150; k++) {
        int64_t v = (int64_t)rng_below(&g, D);
        ck_assert_int_eq(ranges_add(&a, v), a_bits[v] ? 0 : 1);
        a_bits[v] = true;
        int64_t w = (int64_t)rng_below(&g, D);
        ranges_add(&b, w);
        b_bits[w] = true;
    }
    size_t count = 0;
    for (int64_t v = 0; v < D; v++) {
        ck_assert(ranges_contains(&a, v) == a_bits[v]);
        count += a_bits[v];
    }
    ck_assert_uint_eq(ranges_count(&a), count);
    int64_t upto = (int64_t)rng_below(&g, D);
    ck_assert_int_eq(ranges_subtract(a.v, a.n, b.v, b.n, upto, &out), 0);
    ck_assert(ranges_valid(out.v, 2 * out.n));
    for (int64_t v = -1; v <= D; v++) {
        bool want = v >= 0 && v < D && v <= upto && a_bits[v] && !b_bits[v];
        ck_assert_msg(ranges_contains(&out, v) == want, "value %lld", (long long)v);
    }
    ranges_release(&a);
    ranges_release(&b);
    ranges_release(&out);
}
END_TEST

static Suite *ranges_suite(void)
{
    Suite *s = suite_create("ranges");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, add_merges_what_touches);
    tcase_add_test(tc, int64_ends);
    tcase_add_test(tc, drop_below_and_valid);
    tcase_add_loop_test(tc, random_against_a_bitmap, 0, 50);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(ranges_suite());
}
