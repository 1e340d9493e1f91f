/*
 * check_nemesis: proves the partition nemesis's grudges have the shapes of spec §3.3 for small
 * and large clusters — :one isolates one node, :minority-third and :majority split off
 * ⌊(N−1)/3⌋ and ⌊N/2⌋ nodes completely, :majorities-ring lets every node hear exactly (N ≤ 5) or
 * at least (N > 5, symmetrically) a majority including itself —, that the shape is the first draw
 * (uniform over the four), and that the description has Jepsen's content in a fixed format,
 * cut with "..." when it does not fit.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "nemesis.h"

#define MAX_N 25

static const char *const shapes[] = { "one", "minority-third", "majority", "majorities-ring" };

/* Checks one partition of the named shape over n nodes. */
static void check_grudge(const char *shape, const uint8_t *cut, uint32_t n)
{
    uint32_t m = n / 2 + 1;
    for (uint32_t d = 0; d < n; d++)
        ck_assert(!cut[d * n + d]);
    if (!strcmp(shape, "majorities-ring")) {
        for (uint32_t d = 0; d < n; d++) {
            uint32_t hears = 0;
            for (uint32_t s = 0; s < n; s++)
                hears += !cut[d * n + s];
            if (n <= 5)
                ck_assert_uint_eq(hears, m);
            else
                ck_assert_uint_ge(hears, m);
            for (uint32_t s = 0; s < n && n > 5; s++)
                ck_assert_uint_eq(cut[d * n + s], cut[s * n + d]);
        }
        return;
    }
    /* A complete split: x is on the other side iff node 0 ignores x. */
    uint32_t other = 0;
    for (uint32_t s = 0; s < n; s++)
        other += cut[s];
    for (uint32_t d = 0; d < n; d++)
        for (uint32_t s = 0; s < n; s++)
            ck_assert_uint_eq(cut[d * n + s], cut[d] != cut[s]);
    uint32_t small = other < n - other ? other : n - other;
    if (!strcmp(shape, "one"))
        ck_assert_uint_eq(small, n > 1 ? 1 : 0);
    else if (!strcmp(shape, "minority-third"))
        ck_assert_uint_eq(small, (n - 1) / 3);
    else if (!strcmp(shape, "majority"))
        ck_assert_uint_eq(small, n / 2);
    else
        ck_abort_msg("unknown shape %s", shape);
}

START_TEST(grudge_shapes)
{
    static const uint32_t sizes[] = { 1, 2, 3, 4, 5, 6, 7, 10, 25 };
    uint32_t n = sizes[_i];
    struct rng r;
    rng_seed(&r, 1000 + (uint64_t)_i);
    uint32_t seen[4] = { 0 };
    for (int k = 0; k < 400; k++) {
        static uint8_t cut[MAX_N * MAX_N];
        memset(cut, 0, sizeof(cut));
        /* The shape is the first draw: uniform over the four. */
        struct rng replay = r;
        uint64_t pick = rng_below(&replay, 4);
        const char *shape = nemesis_grudge(&r, n, cut);
        ck_assert_ptr_nonnull(shape);
        ck_assert_str_eq(shape, shapes[pick]);
        seen[pick]++;
        check_grudge(shape, cut, n);
    }
    for (int s = 0; s < 4; s++)
        ck_assert_uint_gt(seen[s], 60);
}
END_TEST

START_TEST(same_rng_same_grudges)
{
    struct rng a, b;
    rng_seed(&a, 5);
    rng_seed(&b, 5);
    for (int k = 0; k < 50; k++) {
        uint8_t ca[MAX_N * MAX_N] = { 0 }, cb[MAX_N * MAX_N] = { 0 };
        ck_assert_str_eq(nemesis_grudge(&a, 25, ca), nemesis_grudge(&b, 25, cb));
        ck_assert_int_eq(memcmp(ca, cb, sizeof(ca)), 0);
    }
    ck_assert_int_eq(memcmp(&a, &b, sizeof(a)), 0);
}
END_TEST

static const char names[4][GL_ID_MAX] = { "n0", "n1", "n2", "n3" };

START_TEST(description_format)
{
    /* n0 and n1 vs n2 and n3, plus n3 ignoring n1 only one way round. */
    uint8_t cut[16] = { 0 };
    cut[0 * 4 + 2] = cut[0 * 4 + 3] = 1;
    cut[2 * 4 + 0] = cut[2 * 4 + 1] = 1;
    cut[3 * 4 + 1] = 1;
    char desc[64];
    nemesis_describe(names, 4, cut, desc, sizeof(desc));
    ck_assert_str_eq(desc, "n0:n2,n3;n2:n0,n1;n3:n1");
    uint8_t none[16] = { 0 };
    nemesis_describe(names, 4, none, desc, sizeof(desc));
    ck_assert_str_eq(desc, "");
    /* Exactly fitting: no mark; one byte short: cut and marked. */
    char fit[24];
    nemesis_describe(names, 4, cut, fit, sizeof(fit));
    ck_assert_str_eq(fit, "n0:n2,n3;n2:n0,n1;n3:n1");
    char shorter[23];
    nemesis_describe(names, 4, cut, shorter, sizeof(shorter));
    ck_assert_str_eq(shorter, "n0:n2,n3;n2:n0,n1;n...");
    char tiny[5];
    nemesis_describe(names, 4, cut, tiny, sizeof(tiny));
    ck_assert_str_eq(tiny, "n...");
    /* NEEDSWORK (see nemesis.h): filled exactly after a name, the rest goes without the mark. */
    char exact[6];
    nemesis_describe(names, 4, cut, exact, sizeof(exact));
    ck_assert_str_eq(exact, "n0:n2");
}
END_TEST

static Suite *nemesis_suite(void)
{
    Suite *s = suite_create("nemesis");
    TCase *tc = tcase_create("grudges");
    tcase_add_loop_test(tc, grudge_shapes, 0, 9);
    tcase_add_test(tc, same_rng_same_grudges);
    tcase_add_test(tc, description_format);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(nemesis_suite());
}
