/*
 * check_evq: proves the laned event queue runs events in exactly the order one heap of all of
 * them would — (time, push order), ties FIFO across lanes — whatever lanes they are pushed on,
 * in order or not, with lanes added while it runs; against common/heap as the reference on
 * seeded random workloads, near (the wheel) and far (the heap) and across the wheel's wrap; and
 * every operation (taken seqs, a lone timer rescheduled, lanes dropped, a popped lane refilled)
 * against a reference queue; and all of them at once on 300 lanes against one binary heap of
 * every event (timers moved later and earlier in the far heap, lanes of one event and of many
 * dropped). Also: clear, and a lane whose head moves up.
 */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

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
        /* Mostly small steps; now and then a leap, so the wheel wraps round many times. */
        now += rng_below(&r, 100) == 0 ? rng_below(&r, EVQ_WHEEL) : rng_below(&r, 3);
        uint32_t lane = (uint32_t)rng_below(&r, lanes);
        time_us at = now + (rng_below(&r, 8) == 0 ? rng_below(&r, 50) : 40 + lane % 3);
        if (rng_below(&r, 10) == 0) at = now + rng_below(&r, 3 * EVQ_WHEEL); /* far: the heap */
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

/* A reference queue: every pending event in an array, the next one found by a linear scan. */
struct ref_ev {
    time_us at;
    uint64_t seq, tag;
    uint32_t lane;
};

struct ref {
    struct ref_ev v[4096];
    size_t n;
};

static size_t ref_min(const struct ref *r)
{
    size_t m = 0;
    for (size_t k = 1; k < r->n; k++)
        if (r->v[k].at < r->v[m].at || (r->v[k].at == r->v[m].at && r->v[k].seq < r->v[m].seq))
            m = k;
    return m;
}

static void ref_drop_lane(struct ref *r, uint32_t lane)
{
    size_t w = 0;
    for (size_t k = 0; k < r->n; k++)
        if (r->v[k].lane != lane) r->v[w++] = r->v[k];
    r->n = w;
}

/*
 * Pushes (with fresh or taken seqs), pops, reschedules of a lone timer, lanes dropped, a popped
 * lane refilled at once (its slot reused): the order is the reference's throughout.
 */
START_TEST(every_operation_against_a_reference)
{
    struct rng r;
    rng_seed(&r, 2000 + (uint64_t)_i);
    struct evq q;
    evq_init(&q);
    static struct ref ref;
    ref.n = 0;
    enum { LANES = 12, TICK = 11 };
    ck_assert_int_eq(evq_add_lanes(&q, LANES), 0);
    time_us now = 0;
    uint64_t tag = 0;
    for (int k = 0; k < 20000; k++) {
        uint64_t op = rng_below(&r, 10);
        uint32_t lane = (uint32_t)rng_below(&r, TICK);
        time_us at =
            now + (rng_below(&r, 6) == 0 ? rng_below(&r, 2 * EVQ_WHEEL) : rng_below(&r, 30));
        if (op < 4 && ref.n < 4000) {
            uint64_t seq = q.next_seq;
            ck_assert_int_eq(evq_push(&q, lane, at, NULL, tag), 0);
            ref.v[ref.n++] = (struct ref_ev){ at, seq, tag++, lane };
        } else if (op == 4 && ref.n < 4000) {
            /* A seq taken now and used later keeps its place among equal times. */
            uint64_t seq = evq_take_seq(&q);
            ck_assert_int_eq(evq_push(&q, lane, at, NULL, tag), 0);
            ref.v[ref.n++] = (struct ref_ev){ at, seq + 1, tag++, lane };
            ck_assert_int_eq(evq_push_seq(&q, lane, at + 1, seq, NULL, tag), 0);
            ref.v[ref.n++] = (struct ref_ev){ at + 1, seq, tag++, lane };
        } else if (op == 5) {
            uint64_t seq = evq_take_seq(&q);
            ck_assert_int_eq(evq_reschedule(&q, TICK, at, seq, NULL, tag), 0);
            ref_drop_lane(&ref, TICK);
            ref.v[ref.n++] = (struct ref_ev){ at, seq, tag++, TICK };
        } else if (op == 6 && rng_below(&r, 4) == 0) {
            evq_drop_lane(&q, lane);
            ref_drop_lane(&ref, lane);
        } else if (ref.n > 0) {
            size_t m = ref_min(&ref);
            struct heap_entry e;
            uint32_t got_lane;
            ck_assert_int_eq(evq_pop(&q, &e, &got_lane), 0);
            ck_assert_uint_eq(e.tag, ref.v[m].tag);
            ck_assert_uint_eq(e.at_us, ref.v[m].at);
            ck_assert_uint_eq(got_lane, ref.v[m].lane);
            now = e.at_us;
            ref.v[m] = ref.v[--ref.n];
            if (rng_below(&r, 2) == 0 && ref.n < 4000) { /* the popped lane goes on at once */
                time_us next = now + (rng_below(&r, 2) ? rng_below(&r, 30) : EVQ_WHEEL - 1);
                uint64_t seq = q.next_seq;
                ck_assert_int_eq(evq_push(&q, got_lane, next, NULL, tag), 0);
                ref.v[ref.n++] = (struct ref_ev){ next, seq, tag++, got_lane };
            }
        }
        ck_assert_uint_eq(evq_size(&q), ref.n);
        const struct heap_entry *top = evq_peek(&q, NULL);
        if (ref.n == 0) {
            ck_assert_ptr_null(top);
        } else {
            ck_assert_ptr_nonnull(top);
            ck_assert_uint_eq(top->tag, ref.v[ref_min(&ref)].tag);
        }
    }
    evq_release(&q);
}
END_TEST

/*
 * The reference for many lanes: one binary heap of every event ever pushed (heap.h, by (at_us,
 * seq)); a dropped lane's events stay in it, dead (their lane's epoch moved on), and are
 * skipped when they reach the top.
 */
enum { BIG_LANES = 300, BIG_EVENTS = 40000 };

struct big_ref {
    struct heap h;
    uint32_t lane[BIG_EVENTS], epoch[BIG_EVENTS]; /* by tag */
    uint32_t lane_epoch[BIG_LANES];
    size_t live;
};

static const struct heap_entry *big_top(struct big_ref *r)
{
    const struct heap_entry *top;
    struct heap_entry dead;
    while ((top = heap_peek(&r->h)) && r->epoch[top->tag] != r->lane_epoch[r->lane[top->tag]])
        heap_pop(&r->h, &dead);
    return top;
}

static void big_push(struct evq *q, struct big_ref *r, uint32_t lane, time_us at, uint64_t seq,
                     uint64_t tag, bool reschedule)
{
    if (reschedule) {
        ck_assert_int_eq(evq_reschedule(q, lane, at, seq, NULL, tag), 0);
    } else {
        ck_assert_int_eq(evq_push_seq(q, lane, at, seq, NULL, tag), 0);
    }
    ck_assert_int_eq(heap_push_seq(&r->h, at, seq, NULL, tag), 0);
    r->lane[tag] = lane;
    r->epoch[tag] = r->lane_epoch[lane];
    r->live++;
}

/*
 * Pushes near, far and beyond the wheel, with fresh and taken seqs, reschedules, drops, pops
 * due and peeks on 300 lanes: every pop and peek is the single heap's.
 */
START_TEST(many_lanes_against_one_heap)
{
    struct rng r;
    rng_seed(&r, 3000 + (uint64_t)_i);
    struct evq q;
    evq_init(&q);
    static struct big_ref ref;
    memset(&ref, 0, sizeof(ref));
    heap_init(&ref.h);
    static size_t per_lane[BIG_LANES];
    memset(per_lane, 0, sizeof(per_lane));
    ck_assert_int_eq(evq_add_lanes(&q, BIG_LANES), 0);
    time_us now = 0;
    uint64_t tag = 0;
    while (tag < BIG_EVENTS - 2) {
        uint64_t op = rng_below(&r, 16);
        uint32_t lane = (uint32_t)rng_below(&r, BIG_LANES);
        uint64_t how = rng_below(&r, 8);
        time_us at = now + (how < 5   ? rng_below(&r, 300)
                            : how < 7 ? rng_below(&r, EVQ_WHEEL + 10)
                                      : rng_below(&r, 4 * EVQ_WHEEL));
        if (op < 7) {
            big_push(&q, &ref, lane, at, evq_take_seq(&q), tag++, false);
        } else if (op == 7) { /* a seq taken earlier, used after fresh ones */
            uint64_t seq = evq_take_seq(&q);
            big_push(&q, &ref, lane, at, evq_take_seq(&q), tag++, false);
            big_push(&q, &ref, lane, at + rng_below(&r, 2), seq, tag++, false);
        } else if (op == 8 || op == 9) {
            ref.lane_epoch[lane]++;
            ref.live -= per_lane[lane];
            per_lane[lane] = 0;
            if (op == 8) {
                evq_drop_lane(&q, lane);
            } else {
                big_push(&q, &ref, lane, at, evq_take_seq(&q), tag++, true);
                per_lane[lane]++;
            }
            ck_assert_uint_eq(evq_size(&q), ref.live);
            continue;
        } else {
            time_us until = now + (rng_below(&r, 4) == 0 ? rng_below(&r, 2 * EVQ_WHEEL) : 20);
            const struct heap_entry *want;
            while ((want = big_top(&ref)) && want->at_us <= until) {
                uint32_t got_lane;
                const struct heap_entry *peek = evq_peek(&q, &got_lane);
                ck_assert_ptr_nonnull(peek);
                ck_assert_uint_eq(peek->tag, want->tag);
                struct heap_entry a, b;
                ck_assert_int_eq(evq_pop_due(&q, until, &b, &got_lane), 0);
                ck_assert_int_eq(heap_pop(&ref.h, &a), 0);
                ck_assert_uint_eq(b.tag, a.tag);
                ck_assert_uint_eq(b.at_us, a.at_us);
                ck_assert_uint_eq(b.seq, a.seq);
                ck_assert_uint_eq(got_lane, ref.lane[a.tag]);
                per_lane[got_lane]--;
                ref.live--;
                now = a.at_us;
            }
            struct heap_entry none;
            ck_assert_int_eq(evq_pop_due(&q, until, &none, NULL), -1);
            if (until > now) now = until;
            continue;
        }
        per_lane[lane] += op == 7 ? 2 : 1;
        ck_assert_uint_eq(evq_size(&q), ref.live);
    }
    const struct heap_entry *want;
    while ((want = big_top(&ref))) {
        struct heap_entry a, b;
        ck_assert_int_eq(evq_pop(&q, &b, NULL), 0);
        ck_assert_int_eq(heap_pop(&ref.h, &a), 0);
        ck_assert_uint_eq(b.tag, a.tag);
    }
    ck_assert_ptr_null(evq_peek(&q, NULL));
    heap_release(&ref.h);
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
    tcase_add_loop_test(tc, every_operation_against_a_reference, 0, 12);
    tcase_add_loop_test(tc, many_lanes_against_one_heap, 0, 4);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(evq_suite());
}
