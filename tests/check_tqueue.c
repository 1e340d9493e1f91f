/*
 * check_tqueue: proves the FIFO-plus-heap queue pops exactly in (at_us, seq) order whatever the
 * push pattern — in order (all on the ring), out of order (the heap), mixed and interleaved with
 * pops, across ring growth and wrap-around — against a sorted reference over seeded workloads.
 */
#include <check.h>
#include <stdlib.h>

#include "check_run.h"
#include "rng.h"
#include "tqueue.h"

START_TEST(empty_queue)
{
    struct tqueue q;
    tqueue_init(&q);
    struct heap_entry e;
    ck_assert_ptr_null(tqueue_peek(&q));
    ck_assert_int_eq(tqueue_pop(&q, &e), -1);
    ck_assert_uint_eq(tqueue_len(&q), 0);
    tqueue_release(&q);
}
END_TEST

START_TEST(in_order_stays_on_the_ring)
{
    struct tqueue q;
    tqueue_init(&q);
    /* Pops interleaved with pushes make the ring wrap around before it grows. */
    uint64_t seq = 0, next_pop = 0;
    for (int k = 0; k < 1000; k++) {
        ck_assert_int_eq(tqueue_push(&q, (time_us)(k / 3), seq, NULL, seq), 0);
        seq++;
        if (k % 4 == 3) {
            struct heap_entry e;
            ck_assert_int_eq(tqueue_pop(&q, &e), 0);
            ck_assert_uint_eq(e.seq, next_pop++);
        }
    }
    ck_assert_uint_eq(heap_size(&q.late), 0);
    struct heap_entry e;
    while (tqueue_pop(&q, &e) == 0)
        ck_assert_uint_eq(e.tag, next_pop++);
    ck_assert_uint_eq(next_pop, seq);
    tqueue_release(&q);
}
END_TEST

START_TEST(an_earlier_entry_overtakes)
{
    struct tqueue q;
    tqueue_init(&q);
    ck_assert_int_eq(tqueue_push(&q, 100, 0, NULL, 0), 0);
    ck_assert_int_eq(tqueue_push(&q, 200, 1, NULL, 1), 0);
    ck_assert_int_eq(tqueue_push(&q, 100, 2, NULL, 2), 0); /* out of order: the heap */
    ck_assert_int_eq(tqueue_push(&q, 50, 3, NULL, 3), 0);
    ck_assert_uint_eq(tqueue_len(&q), 4);
    uint64_t want[] = { 3, 0, 2, 1 };
    for (int k = 0; k < 4; k++) {
        struct heap_entry e;
        ck_assert_int_eq(tqueue_pop(&q, &e), 0);
        ck_assert_uint_eq(e.tag, want[k]);
    }
    tqueue_release(&q);
}
END_TEST

struct ref {
    time_us at;
    uint64_t seq;
};

static int ref_cmp(const void *pa, const void *pb)
{
    const struct ref *a = pa, *b = pb;
    if (a->at != b->at) return a->at < b->at ? -1 : 1;
    return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

/* Pushes at a moving clock: mostly now + a constant, sometimes now + a random latency. */
START_TEST(random_against_sorted_reference)
{
    struct rng r;
    rng_seed(&r, (uint64_t)_i);
    struct tqueue q;
    tqueue_init(&q);
    enum { N = 3000 };
    struct ref *pushed = malloc(N * sizeof(*pushed)), *popped = malloc(N * sizeof(*popped));
    size_t np = 0, no = 0;
    time_us now = 0;
    unsigned odd = (unsigned)_i % 4; /* 0: never out of order; else one push in 2^odd */
    for (uint64_t seq = 0; seq < N; seq++) {
        now += rng_below(&r, 5);
        time_us at = now + 100;
        if (odd && rng_below(&r, 1u << odd) == 0) at = now + rng_below(&r, 200);
        pushed[np++] = (struct ref){ at, seq };
        ck_assert_int_eq(tqueue_push(&q, at, seq, NULL, seq), 0);
        /* Pop what is due, as a simulator would. */
        const struct heap_entry *top;
        while ((top = tqueue_peek(&q)) && top->at_us <= now) {
            struct heap_entry e;
            ck_assert_int_eq(tqueue_pop(&q, &e), 0);
            popped[no++] = (struct ref){ e.at_us, e.seq };
        }
    }
    struct heap_entry e;
    while (tqueue_pop(&q, &e) == 0)
        popped[no++] = (struct ref){ e.at_us, e.seq };
    ck_assert_uint_eq(no, np);
    qsort(pushed, np, sizeof(*pushed), ref_cmp);
    for (size_t k = 0; k < np; k++) {
        ck_assert_uint_eq(popped[k].at, pushed[k].at);
        ck_assert_uint_eq(popped[k].seq, pushed[k].seq);
    }
    free(pushed);
    free(popped);
    tqueue_release(&q);
}
END_TEST

static Suite *tqueue_suite(void)
{
    Suite *s = suite_create("tqueue");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, empty_queue);
    tcase_add_test(tc, in_order_stays_on_the_ring);
    tcase_add_test(tc, an_earlier_entry_overtakes);
    tcase_add_loop_test(tc, random_against_sorted_reference, 0, 24);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(tqueue_suite());
}
