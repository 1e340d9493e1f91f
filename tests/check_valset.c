/*
 * check_valset: proves the node's value set keeps first-seen order and answers membership
 * exactly for every kind of int64 — Maelstrom's dense values on the bitset, negative and huge
 * ones on the hash table, values that move from the table to the bitset when its range grows —
 * against a naive reference on seeded mixes; that dense values cost bits, not a table; and the
 * GL_MAX_VALUES limit; and that the order is stored at the narrowest width per chunk (2 bytes
 * per dense value below 65,536), widened mid-chunk by a value that does not fit without
 * changing the order or any earlier value, and copied out (valset_copy) exactly.
 */
#include <check.h>
#include <stdlib.h>

#include "check_run.h"
#include "limits.h"
#include "rng.h"
#include "valset.h"

START_TEST(dense_values_use_the_bitset)
{
    struct valset s;
    valset_init(&s);
    struct rng r;
    rng_seed(&r, 3);
    enum { N = 20000 };
    int64_t *v = malloc(N * sizeof(*v));
    for (int64_t k = 0; k < N; k++)
        v[k] = k;
    for (size_t k = N; k > 1; k--) { /* shuffled: values arrive out of order */
        size_t j = (size_t)rng_below(&r, k);
        int64_t t = v[k - 1];
        v[k - 1] = v[j];
        v[j] = t;
    }
    for (size_t k = 0; k < N; k++)
        ck_assert_int_eq(valset_add(&s, v[k]), VALSET_NEW);
    for (size_t k = 0; k < N; k++)
        ck_assert_int_eq(valset_add(&s, v[k]), VALSET_DUP);
    ck_assert_uint_eq(s.n, N);
    for (size_t k = 0; k < N; k++)
        ck_assert_int_eq(valset_at(&s, k), v[k]);
    ck_assert_uint_eq(s.n_sparse, 0);
    ck_assert_ptr_null(s.table);
    ck_assert_uint_le(s.words * 8, 4 * N / 8 + 8 * 1024); /* a few bits per value */
    ck_assert(!valset_contains(&s, N));
    ck_assert(!valset_contains(&s, -1));
    free(v);
    valset_release(&s);
}
END_TEST

START_TEST(sparse_values_use_the_table)
{
    struct valset s;
    valset_init(&s);
    const int64_t odd[] = { -1, INT64_MIN, INT64_MAX, 1000000000000000, -77, 1 << 30 };
    for (size_t k = 0; k < sizeof(odd) / sizeof(odd[0]); k++)
        ck_assert_int_eq(valset_add(&s, odd[k]), VALSET_NEW);
    ck_assert_uint_eq(s.n_sparse, sizeof(odd) / sizeof(odd[0]));
    ck_assert_uint_eq(s.words, 0); /* no bitset for values it could not cover cheaply */
    for (size_t k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
        ck_assert(valset_contains(&s, odd[k]));
        ck_assert_int_eq(valset_add(&s, odd[k]), VALSET_DUP);
        ck_assert_int_eq(valset_at(&s, k), odd[k]);
    }
    ck_assert(!valset_contains(&s, 0));
    ck_assert(!valset_contains(&s, -2));
    valset_release(&s);
}
END_TEST

START_TEST(table_values_move_to_the_bitset)
{
    struct valset s;
    valset_init(&s);
    /* Too far for an empty set's range: the table. */
    ck_assert_int_eq(valset_add(&s, 300000), VALSET_NEW);
    ck_assert_uint_eq(s.n_sparse, 1);
    /* As dense values come in, the range grows past it and takes it over. */
    for (int64_t k = 0; k < 300000; k++)
        ck_assert_int_eq(valset_add(&s, k), VALSET_NEW);
    ck_assert_uint_eq(s.n_sparse, 0);
    ck_assert_uint_gt(s.words * 64, 300000);
    ck_assert(valset_contains(&s, 300000));
    ck_assert_int_eq(valset_add(&s, 300000), VALSET_DUP);
    ck_assert_int_eq(valset_at(&s, 0), 300000);
    ck_assert_int_eq(valset_at(&s, 300000), 299999);
    valset_release(&s);
}
END_TEST

/* Every value of s, through both readers, equals want[0..n). */
static void same_order(const struct valset *s, const int64_t *want, size_t n)
{
    ck_assert_uint_eq(s->n, n);
    int64_t *copy = malloc((n ? n : 1) * sizeof(*copy));
    ck_assert_ptr_nonnull(copy);
    valset_copy(s, copy);
    for (size_t k = 0; k < n; k++) {
        ck_assert_int_eq(valset_at(s, k), want[k]);
        ck_assert_int_eq(copy[k], want[k]);
    }
    free(copy);
}

/* Dense values below 65,536 take 2 bytes each; the order has no doubling slack. */
START_TEST(dense_values_take_two_bytes)
{
    struct valset s;
    valset_init(&s);
    enum { N = 5 * VALSET_CHUNK + 7 };
    int64_t *want = malloc(N * sizeof(*want));
    for (size_t k = 0; k < N; k++) {
        want[k] = (int64_t)(N - 1 - k); /* descending: the order is not the values' */
        ck_assert_int_eq(valset_add(&s, want[k]), VALSET_NEW);
    }
    same_order(&s, want, N);
    ck_assert_uint_eq(s.n_chunks, 6);
    for (size_t c = 0; c < s.n_chunks; c++)
        ck_assert_uint_eq(s.chunk[c].width, 2);
    ck_assert_uint_eq(valset_order_bytes(&s), 6 * VALSET_CHUNK * 2);
    free(want);
    valset_release(&s);
}
END_TEST

/*
 * Values that do not fit a chunk's width widen that chunk, at whatever point of the chunk they
 * come (first, middle, last), to 32 bits for [65536, 2^32) and to 64 for negative or larger
 * values; the chunks before keep their width, every value keeps its place.
 */
START_TEST(a_wide_value_widens_its_chunk_only)
{
    static const struct {
        size_t at;     /* index in its chunk */
        int64_t v;     /* the value that does not fit */
        uint8_t width; /* the chunk's width after it */
    } cases[] = {
        { 0, 65536, 4 },        { 1, 65535, 2 }, /* fits: no widening */
        { 500, UINT32_MAX, 4 }, { VALSET_CHUNK - 1, (int64_t)UINT32_MAX + 1, 8 },
        { 3, -1, 8 },           { 700, INT64_MIN, 8 },
        { 9, INT64_MAX, 8 },    { 0, -5, 8 },
    };
    size_t n_cases = sizeof(cases) / sizeof(cases[0]);
    for (size_t t = 0; t < n_cases; t++) {
        struct valset s;
        valset_init(&s);
        enum { N = 3 * VALSET_CHUNK };
        int64_t want[N];
        size_t n = 0;
        /* A full chunk of small values, then the case's chunk up to its index, the wide value,
         * and small values to the end of a third chunk. */
        size_t pos = VALSET_CHUNK + cases[t].at;
        for (; n < N; n++) {
            /* Distinct small values: 7 is prime to 65000, so 7n mod 65000 never repeats here. */
            int64_t v = n == pos ? cases[t].v : (int64_t)(n * 7 % 65000);
            ck_assert_int_eq(valset_add(&s, v), VALSET_NEW);
            want[n] = v;
        }
        same_order(&s, want, N);
        ck_assert_uint_eq(s.chunk[0].width, 2);
        ck_assert_uint_eq(s.chunk[1].width, cases[t].width);
        ck_assert_uint_eq(s.chunk[2].width, 2);
        ck_assert(valset_contains(&s, cases[t].v));
        ck_assert_int_eq(valset_add(&s, cases[t].v), VALSET_DUP);
        valset_release(&s);
    }
}
END_TEST

/* 32-bit values widen to 64 bits in the same chunk: two widenings, order kept. */
START_TEST(widening_twice)
{
    struct valset s;
    valset_init(&s);
    const int64_t v[] = { 1, 2, 70000, 3, (int64_t)1 << 40, 4, 65536, -9, UINT16_MAX, 0 };
    size_t n = sizeof(v) / sizeof(v[0]);
    for (size_t k = 0; k < n; k++) {
        ck_assert_int_eq(valset_add(&s, v[k]), VALSET_NEW);
        ck_assert_uint_eq(s.chunk[0].width, k < 2 ? 2 : k < 4 ? 4 : 8);
    }
    same_order(&s, v, n);
    for (size_t k = 0; k < n; k++)
        ck_assert_int_eq(valset_add(&s, v[k]), VALSET_DUP);
    ck_assert(!valset_contains(&s, 5));
    valset_release(&s);
}
END_TEST

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return a < b ? -1 : a > b;
}

/* Mixes of dense, negative, huge and repeated values against a sorted reference. */
START_TEST(random_mix_against_reference)
{
    struct rng r;
    rng_seed(&r, 100 + (uint64_t)_i);
    struct valset s;
    valset_init(&s);
    enum { N = 6000 };
    int64_t *ref = malloc(N * sizeof(*ref)), *order = malloc(N * sizeof(*order));
    size_t n = 0;
    uint64_t spread = 1u << rng_below(&r, 20); /* how far dense values scatter */
    for (int k = 0; k < N; k++) {
        int64_t v;
        switch (rng_below(&r, 8)) {
        case 0:
            v = -(int64_t)rng_below(&r, 1000);
            break;
        case 1:
            v = (int64_t)(rng_next(&r) >> 1);
            break;
        case 2:
            v = n ? order[rng_below(&r, n)] : 0; /* a repeat */
            break;
        default:
            v = (int64_t)rng_below(&r, spread + (uint64_t)k * 4);
        }
        int64_t *hit = n ? bsearch(&v, ref, n, sizeof(*ref), cmp_i64) : NULL;
        ck_assert_int_eq(valset_contains(&s, v), hit != NULL);
        ck_assert_int_eq(valset_add(&s, v), hit ? VALSET_DUP : VALSET_NEW);
        if (!hit) {
            order[n] = v;
            ref[n++] = v;
            qsort(ref, n, sizeof(*ref), cmp_i64);
        }
    }
    ck_assert_uint_eq(s.n, n);
    for (size_t k = 0; k < n; k++) {
        ck_assert_int_eq(valset_at(&s, k), order[k]);
        ck_assert(valset_contains(&s, order[k]));
    }
    free(ref);
    free(order);
    valset_release(&s);
}
END_TEST

START_TEST(limit)
{
    struct valset s;
    valset_init(&s);
    for (int64_t v = 0; v < GL_MAX_VALUES; v++)
        ck_assert_int_eq(valset_add(&s, v * 3), VALSET_NEW);
    ck_assert_int_eq(valset_add(&s, -5), VALSET_FULL);
    ck_assert_int_eq(valset_add(&s, 3), VALSET_DUP);
    ck_assert(!valset_contains(&s, -5));
    ck_assert_uint_eq(s.n, GL_MAX_VALUES);
    valset_release(&s);
}
END_TEST

static Suite *valset_suite(void)
{
    Suite *s = suite_create("valset");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, dense_values_use_the_bitset);
    tcase_add_test(tc, dense_values_take_two_bytes);
    tcase_add_test(tc, a_wide_value_widens_its_chunk_only);
    tcase_add_test(tc, widening_twice);
    tcase_add_test(tc, sparse_values_use_the_table);
    tcase_add_test(tc, table_values_move_to_the_bitset);
    tcase_add_loop_test(tc, random_mix_against_reference, 0, 16);
    tcase_add_test(tc, limit);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(valset_suite());
}
