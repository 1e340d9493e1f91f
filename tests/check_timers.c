/*
 * check_timers: proves the node's timer slots (node/timers.c) fire in time order with ties in
 * arming order, that re-arming or disarming a slot leaves no second firing behind, that an idle
 * table reports no deadline, that heavy re-arming keeps the heap bounded, and that the next
 * deadline is exact after a settle whatever changed (the settle skips work when nothing did).
 */
#include <check.h>

#include "check_run.h"
#include "timers.h"

START_TEST(fire_in_order_ties_fifo)
{
    struct timers t;
    timers_init(&t);
    ck_assert_int_eq(timers_setup(&t, 4), 0);
    ck_assert_uint_eq(timers_next_us(&t), TIME_NEVER);
    timers_arm(&t, 2, 50);
    timers_arm(&t, 0, 30);
    timers_arm(&t, 3, 30);
    timers_arm(&t, 1, 70);
    ck_assert_uint_eq(timers_next_us(&t), 30);
    uint32_t slot;
    ck_assert(!timers_pop_due(&t, 29, &slot));
    ck_assert(timers_pop_due(&t, 60, &slot));
    ck_assert_uint_eq(slot, 0); /* armed before slot 3 at the same time */
    ck_assert(timers_pop_due(&t, 60, &slot));
    ck_assert_uint_eq(slot, 3);
    ck_assert(timers_pop_due(&t, 60, &slot));
    ck_assert_uint_eq(slot, 2);
    ck_assert(!timers_pop_due(&t, 60, &slot));
    ck_assert_uint_eq(timers_at(&t, 2), TIME_NEVER); /* popped slots are disarmed */
    ck_assert_uint_eq(timers_next_us(&t), 70);
    timers_release(&t);
}
END_TEST

START_TEST(rearm_and_disarm_leave_nothing_behind)
{
    struct timers t;
    timers_init(&t);
    ck_assert_int_eq(timers_setup(&t, 2), 0);
    timers_arm(&t, 0, 10);
    timers_arm(&t, 0, 40); /* later: the entry at 10 is stale */
    timers_arm(&t, 1, 20);
    timers_disarm(&t, 1);
    timers_settle(&t);
    ck_assert_uint_eq(timers_next_us(&t), 40);
    uint32_t slot;
    ck_assert(!timers_pop_due(&t, 39, &slot));
    ck_assert(timers_pop_due(&t, 40, &slot));
    ck_assert_uint_eq(slot, 0);
    timers_arm(&t, 1, 50);
    timers_arm(&t, 1, 60);
    timers_arm(&t, 1, 50); /* back again: two live-looking entries, one firing */
    ck_assert(timers_pop_due(&t, 100, &slot));
    ck_assert_uint_eq(slot, 1);
    ck_assert(!timers_pop_due(&t, 100, &slot));
    timers_settle(&t);
    ck_assert_uint_eq(timers_next_us(&t), TIME_NEVER);
    /* arm_min only moves a slot earlier */
    timers_arm_min(&t, 0, 80);
    timers_arm_min(&t, 0, 90);
    ck_assert_uint_eq(timers_at(&t, 0), 80);
    timers_arm_min(&t, 0, 70);
    ck_assert_uint_eq(timers_at(&t, 0), 70);
    timers_release(&t);
}
END_TEST

START_TEST(heap_stays_bounded)
{
    struct timers t;
    timers_init(&t);
    ck_assert_int_eq(timers_setup(&t, 3), 0);
    for (time_us k = 1; k < 100000; k++)
        timers_arm(&t, (uint32_t)(k % 3), 1000000 - k);
    ck_assert_uint_le(heap_size(&t.heap), 2 * 3 + 64 + 1);
    uint32_t slot;
    ck_assert(timers_pop_due(&t, TIME_NEVER - 1, &slot));
    ck_assert_uint_eq(slot, 99999 % 3); /* the last armed, earliest */
    timers_release(&t);
}
END_TEST

/*
 * After timers_settle the next deadline is exact whatever changed since the last settle: the
 * earliest slot disarmed, moved later, fired; and a settle with nothing changed keeps it.
 */
START_TEST(settle_after_every_kind_of_change)
{
    struct timers t;
    timers_init(&t);
    ck_assert_int_eq(timers_setup(&t, 3), 0);
    ck_assert_int_eq(timers_arm(&t, 0, 10), 0);
    ck_assert_int_eq(timers_arm(&t, 1, 20), 0);
    ck_assert_int_eq(timers_arm(&t, 2, 30), 0);
    timers_settle(&t);
    ck_assert_uint_eq(timers_next_us(&t), 10);
    timers_disarm(&t, 0);
    timers_settle(&t);
    ck_assert_uint_eq(timers_next_us(&t), 20);
    ck_assert_int_eq(timers_arm(&t, 1, 40), 0); /* later */
    timers_settle(&t);
    ck_assert_uint_eq(timers_next_us(&t), 30);
    timers_settle(&t);
    ck_assert_uint_eq(timers_next_us(&t), 30);
    ck_assert_int_eq(timers_arm(&t, 0, 35), 0); /* armed again, not the earliest */
    timers_settle(&t);
    ck_assert_uint_eq(timers_next_us(&t), 30);
    uint32_t slot;
    ck_assert(timers_pop_due(&t, 30, &slot));
    ck_assert_uint_eq(slot, 2);
    timers_settle(&t);
    ck_assert_uint_eq(timers_next_us(&t), 35);
    ck_assert(timers_pop_due(&t, 100, &slot));
    ck_assert_uint_eq(slot, 0);
    ck_assert(timers_pop_due(&t, 100, &slot));
    ck_assert_uint_eq(slot, 1);
    ck_assert(!timers_pop_due(&t, 100, &slot));
    timers_settle(&t);
    ck_assert_uint_eq(timers_next_us(&t), TIME_NEVER);
    /* A firing that uncovers a stale entry: slot 1's old 20 under slot 0's 10. */
    ck_assert_int_eq(timers_arm(&t, 0, 110), 0);
    ck_assert_int_eq(timers_arm(&t, 1, 120), 0);
    timers_settle(&t);
    ck_assert_int_eq(timers_arm(&t, 1, 150), 0);
    timers_settle(&t);
    ck_assert_uint_eq(timers_next_us(&t), 110);
    ck_assert(timers_pop_due(&t, 110, &slot));
    ck_assert_uint_eq(slot, 0);
    timers_settle(&t);
    ck_assert_uint_eq(timers_next_us(&t), 150);
    timers_release(&t);
}
END_TEST

static Suite *timers_suite(void)
{
    Suite *s = suite_create("timers");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, fire_in_order_ties_fifo);
    tcase_add_test(tc, rearm_and_disarm_leave_nothing_behind);
    tcase_add_test(tc, heap_stays_bounded);
    tcase_add_test(tc, settle_after_every_kind_of_change);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(timers_suite());
}
