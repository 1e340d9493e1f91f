/*
 * check_batch: proves the batch seam (node/batch.c) schedules each direction of a link on its own
 * grid: anchor + offset + k * period, the first tick strictly after the value was queued, the
 * down offset multiplied by depth + 1, a period of 0 meaning "at once"; that queuing arms exactly
 * the tick of the peer's schedule, that the size trigger fires at max_values, and that the dirty
 * list keeps the order in which peers got their first value.
 */
#include <check.h>
#include <string.h>

#include "batch.h"
#include "cfg.h"
#include "check_run.h"
#include "timers.h"

#define MS US_PER_MS

static struct cfg base_cfg(void)
{
    struct cfg c;
    cfg_defaults(&c);
    return c;
}

START_TEST(grid_strictly_after)
{
    struct cfg c = base_cfg();
    c.batch_timeout_us = 200 * MS;
    struct timers t;
    struct batch b;
    timers_init(&t);
    batch_init(&b);
    const uint8_t dir[2] = { BATCH_ACROSS, BATCH_ACROSS };
    ck_assert_int_eq(timers_setup(&t, BATCH_DIRS), 0);
    const uint32_t links[2] = { 0, 1 };
    ck_assert_int_eq(batch_setup(&b, &c, 2, links, dir, 2, 0, 1000, &t, 0), 0); /* at 1 ms */
    ck_assert_uint_eq(batch_next_tick_us(&b, BATCH_ACROSS, 1000), 201000);
    ck_assert_uint_eq(batch_next_tick_us(&b, BATCH_ACROSS, 200999), 201000);
    ck_assert_uint_eq(batch_next_tick_us(&b, BATCH_ACROSS, 201000), 401000); /* strictly after */
    ck_assert_uint_eq(batch_next_tick_us(&b, BATCH_ACROSS, 0), 1000); /* before the anchor too */
    batch_release(&b);
    timers_release(&t);
}
END_TEST

/* The pipelined star: leaves up on k * P, the hub down on k * P + lag; deeper levels later. */
START_TEST(clock_phase_offsets_and_depth)
{
    struct cfg c = base_cfg();
    c.batch_timeout_us = 440 * MS;
    c.batch_offset_us[BATCH_DOWN] = 105 * MS;
    c.batch_offset_us[BATCH_ACROSS] = 500 * MS; /* more than a period: taken modulo */
    c.batch_phase = BATCH_PHASE_CLOCK;
    struct timers t;
    struct batch b;
    timers_init(&t);
    batch_init(&b);
    const uint8_t dir[3] = { BATCH_UP, BATCH_DOWN, BATCH_ACROSS };
    ck_assert_int_eq(timers_setup(&t, BATCH_DIRS), 0);
    const uint32_t links[3] = { 0, 1, 2 };
    ck_assert_int_eq(batch_setup(&b, &c, 3, links, dir, 3, 0, 0, &t, 0), 0);
    ck_assert_uint_eq(batch_next_tick_us(&b, BATCH_UP, 5 * MS), 440 * MS);
    ck_assert_uint_eq(batch_next_tick_us(&b, BATCH_DOWN, 5 * MS), 105 * MS);
    ck_assert_uint_eq(batch_next_tick_us(&b, BATCH_DOWN, 105 * MS), 545 * MS);
    ck_assert_uint_eq(batch_next_tick_us(&b, BATCH_ACROSS, 0), 60 * MS);
    ck_assert_int_eq(batch_setup(&b, &c, 3, links, dir, 3, 2, 0, &t, 0), 0); /* depth 2: 3 lags */
    ck_assert_uint_eq(batch_next_tick_us(&b, BATCH_DOWN, 0), 315 * MS);
    batch_release(&b);
    timers_release(&t);
}
END_TEST

START_TEST(add_arms_its_schedule_only)
{
    struct cfg c = base_cfg();
    c.batch_timeout_us = 100 * MS;
    c.batch_period_us[BATCH_UP] = 300 * MS;
    c.batch_period_us[BATCH_DOWN] = 0;
    c.batch_period_set = 1u << BATCH_UP | 1u << BATCH_DOWN;
    c.batch_max_values = 3;
    struct timers t;
    struct batch b;
    timers_init(&t);
    batch_init(&b);
    const uint8_t dir[4] = { BATCH_UP, BATCH_DOWN, BATCH_ACROSS, BATCH_ACROSS };
    ck_assert_int_eq(timers_setup(&t, 10), 0);
    const uint32_t links[4] = { 0, 1, 2, 3 };
    ck_assert_int_eq(batch_setup(&b, &c, 4, links, dir, 4, 0, 0, &t, 7), 0); /* slots 7, 8, 9 */
    ck_assert_int_eq(batch_add(&b, 3, 10, 50 * MS), 0);
    ck_assert_uint_eq(timers_at(&t, 7 + BATCH_ACROSS), 100 * MS);
    ck_assert_uint_eq(timers_at(&t, 7 + BATCH_UP), TIME_NEVER);
    ck_assert_int_eq(batch_add(&b, 0, 11, 60 * MS), 0);
    ck_assert_uint_eq(timers_at(&t, 7 + BATCH_UP), 300 * MS);
    ck_assert_int_eq(batch_add(&b, 1, 12, 70 * MS), 0); /* down: immediate, no tick */
    ck_assert(batch_immediate(&b, BATCH_DOWN) && !batch_immediate(&b, BATCH_UP));
    ck_assert_uint_eq(timers_at(&t, 7 + BATCH_DOWN), TIME_NEVER);
    ck_assert_int_eq(batch_add(&b, 2, 13, 80 * MS), 0);
    ck_assert_int_eq(batch_add(&b, 3, 14, 90 * MS), 0);
    ck_assert_int_eq(batch_add(&b, 3, 15, 95 * MS), 1); /* the third value: size trigger */
    /* the dirty list: in the order of the first value */
    ck_assert_uint_eq(b.n_dirty, 4);
    const uint32_t order[4] = { 3, 0, 1, 2 };
    for (int k = 0; k < 4; k++)
        ck_assert_uint_eq(batch_dirty(&b, (uint32_t)k)->peer, order[k]);
    size_t n;
    const int64_t *v = batch_pending(batch_peer_of(&b, 3), &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(v[0], 10);
    ck_assert_int_eq(v[2], 15);
    batch_clear(batch_peer_of(&b, 3));
    batch_clear(batch_peer_of(&b, 1));
    batch_compact(&b);
    ck_assert_uint_eq(b.n_dirty, 2);
    ck_assert_uint_eq(batch_dirty(&b, 0)->peer, 0);
    ck_assert_uint_eq(batch_dirty(&b, 1)->peer, 2);
    ck_assert(!batch_peer_of(&b, 3)->dirty);
    batch_release(&b);
    timers_release(&t);
}
END_TEST

/*
 * State only for the peers a node sends to: in a 1,000-node cluster a node with links 999
 * (up) and 5 (down) holds two lists; a value for another peer (a link learned later) gives it
 * a list of its own on the across schedule, and the dirty list keeps the order of first values
 * whatever the order the peers got their state in.
 */
START_TEST(state_for_links_only)
{
    struct cfg c = base_cfg();
    c.batch_timeout_us = 100 * MS;
    c.batch_period_us[BATCH_UP] = 300 * MS;
    c.batch_period_us[BATCH_DOWN] = 0;
    c.batch_period_set = 1u << BATCH_UP | 1u << BATCH_DOWN;
    struct timers t;
    struct batch b;
    timers_init(&t);
    batch_init(&b);
    const uint32_t links[2] = { 999, 5 };
    const uint8_t dir[2] = { BATCH_UP, BATCH_DOWN };
    ck_assert_int_eq(timers_setup(&t, BATCH_DIRS), 0);
    ck_assert_int_eq(batch_setup(&b, &c, 1000, links, dir, 2, 0, 0, &t, 0), 0);
    ck_assert_uint_eq(b.n_slots, 2);
    ck_assert_ptr_null(batch_peer_of(&b, 77));
    ck_assert_uint_eq(batch_peer_of(&b, 999)->dir, BATCH_UP);
    ck_assert_uint_eq(batch_peer_of(&b, 5)->dir, BATCH_DOWN);
    ck_assert_int_eq(batch_add(&b, 77, 1, 10 * MS), 0);
    ck_assert_int_eq(batch_add(&b, 5, 2, 20 * MS), 0);
    ck_assert_int_eq(batch_add(&b, 999, 3, 30 * MS), 0);
    ck_assert_int_eq(batch_add(&b, 77, 4, 40 * MS), 0);
    ck_assert_uint_eq(b.n_slots, 3);
    ck_assert_uint_eq(batch_peer_of(&b, 77)->dir, BATCH_ACROSS);
    ck_assert_uint_eq(timers_at(&t, BATCH_ACROSS), 100 * MS);
    ck_assert_uint_eq(timers_at(&t, BATCH_UP), 300 * MS);
    ck_assert_uint_eq(timers_at(&t, BATCH_DOWN), TIME_NEVER);
    const uint32_t order[3] = { 77, 5, 999 };
    ck_assert_uint_eq(b.n_dirty, 3);
    for (uint32_t k = 0; k < 3; k++)
        ck_assert_uint_eq(batch_dirty(&b, k)->peer, order[k]);
    size_t n;
    const int64_t *v = batch_pending(batch_peer_of(&b, 77), &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(v[0], 1);
    ck_assert_int_eq(v[1], 4);
    batch_release(&b);
    timers_release(&t);
}
END_TEST

static Suite *batch_suite(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, grid_strictly_after);
    tcase_add_test(tc, clock_phase_offsets_and_depth);
    tcase_add_test(tc, add_arms_its_schedule_only);
    tcase_add_test(tc, state_for_links_only);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(batch_suite());
}
