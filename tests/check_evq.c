/*
 * check_evq: proves the laned event queue runs events in exactly the order one heap of all of
 * them would — (time, push order), ties FIFO across lanes — whatever lanes they are pushed on,
 * in order or not, with lanes added while it runs; against common/heap as the reference on
 * seeded random workloads. Also: clear, and a lane whose head moves up.
 */
#include <check.h>
#include <stdlib.h>

#include "check_run.h"
#include "evq.h"
#include "heap.h"
#include "rng.h"

START_TEST(empty_and_clear)
{
    struct evq q;
    evq_init(&q);
    struct heap_entry e;
    ck_assert_ptr_null(evq_peek(&q, NULL));
    ck_assert_int_eq(evq_pop(&q, &e, NULL), -1);
    ck_assert_int_eq(evq_add_lanes(&q, 3), 0);
    ck_assert_int_eq(evq_add_lanes(&q, 2), 3);
    ck_assert_uint_eq(evq_lanes(&q), 5);
    ck_assert_int_eq(evq_push(&q, 4, 10, NULL, 1), 0);
    ck_assert_int_eq(evq_push(&q, 0, 10, NULL, 2), 0);
    ck_assert_uint_eq(evq_size(&q), 2);
    evq_clear(&q);
    ck_assert_uint_eq(evq_size(&q), 0);
    ck_assert_ptr_null(evq_peek(&q, NULL));
    ck_assert_int_eq(evq_push(&q, 1, 5, NULL, 3), 0);
    uint32_t lane = 99;
    ck_assert_int_eq(evq_pop(&q, &e, &lane), 0);
    ck_assert_uint_eq(e.tag, 3);
    ck_assert_uint_eq(lane, 1);
    evq_release(&q);
}
END_TEST

START_TEST(ties_are_fifo_across_lanes)
{
    struct evq q;
    evq_init(&q);
    ck_assert_int_eq(evq_add_lanes(&q, 4), 0);
    for (uint64_t k = 0; k < 40; k++)
        ck_assert_int_eq(evq_push(&q, (uint32_t)(k * 7 % 4), 5, NULL, k), 0);
    /* An earlier event pushed last onto a busy lane moves that lane to the front. */
    ck_assert_int_eq(evq_push(&q, 2, 1, NULL, 1000), 0);
    struct heap_entry e;
    uint32_t lane;
    ck_assert_int_eq(evq_pop(&q, &e, &lane), 0);
    ck_assert_uint_eq(e.tag, 1000);
    ck_assert_uint_eq(lane, 2);
    for (uint64_t k = 0; k < 40; k++) {
        ck_assert_int_eq(evq_pop(&q, &e, &lane), 0);
        ck_assert_uint_eq(e.tag, k);
        ck_assert_uint_eq(lane, k * 7 % 4);
    }
    evq_release(&q);
}
END_TEST

/*
 * Many lanes, each fed mostly in time order with now and then an early event, events due popped
 * as the clock advances, lanes added on the way: the stream must equal a single heap's.
 */
START_TEST(same_order_as_one_heap)
{
    struct rng r;
    rng_seed(&r, 1000 + (uint64_t)_i);
    struct evq q;
    struct heap ref;
    evq_init(&q);
    heap_init(&ref);
    uint32_t lanes = 1 + (uint32_t)rng_below(&r, 20);
    ck_assert_int_eq(evq_add_lanes(&q, lanes), 0);
    time_us now = 0;
    for (uint64_t k = 0; k < 5000; k++) {
        if (rng_below(&r, 500) == 0) {
            ck_assert_int_ge(evq_add_lanes(&q, 1), 0);
            lanes++;
        }
        now += rng_below(&r, 3);
        uint32_t lane = (uint32_t)rng_below(&r, lanes);
        time_us at = now + (rng_below(&r, 8) == 0 ? rng_below(&r, 50) : 40 + lane % 3);
        ck_assert_int_eq(evq_push(&q, lane, at, NULL, k), 0);
        ck_assert_int_eq(heap_push(&ref, at, NULL, k), 0);
        ck_assert_uint_eq(evq_size(&q), heap_size(&ref));
        const struct heap_entry *top;
        while ((top = heap_peek(&ref)) && top->at_us <= now) {
            struct heap_entry a, b;
            ck_assert_int_eq(heap_pop(&ref, &a), 0);
            ck_assert_int_eq(evq_pop(&q, &b, NULL), 0);
            ck_assert_uint_eq(b.tag, a.tag);
            ck_assert_uint_eq(b.at_us, a.at_us);
        }
    }
    struct heap_entry a, b;
    while (heap_pop(&ref, &a) == 0) {
        ck_assert_int_eq(evq_pop(&q, &b, NULL), 0);
        ck_assert_uint_eq(b.tag, a.tag);
    }
    ck_assert_int_eq(evq_pop(&q, &b, NULL), -1);
    heap_release(&ref);
    evq_release(&q);
}
END_TEST

static Suite *evq_suite(void)
{
    Suite *s = suite_create("evq");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, empty_and_clear);
    tcase_add_test(tc, ties_are_fifo_across_lanes);
    tcase_add_loop_test(tc, same_order_as_one_heap, 0, 24);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(evq_suite());
}
