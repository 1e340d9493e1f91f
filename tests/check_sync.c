/*
 * check_sync: proves anti-entropy (node/sync.c) builds its digest from the values known for at
 * least sync_age, gives only what it has known for twice that and the digest lacks (up to the
 * digest's top), asks for exactly the digest's intervals it lacks, answers a need with what it
 * has, takes repaired values as old at once and hurries its next round after a repair, and sends
 * stand-alone digests round robin only when no digest went out for a period.
 */
#include <check.h>
#include <string.h>

#include "check_run.h"
#include "sync.h"
#include "timers.h"

#define MS US_PER_MS

struct fixture {
    struct sync s;
    struct timers t;
    struct sync_reply r;
};

static void setup(struct fixture *f)
{
    sync_init(&f->s);
    timers_init(&f->t);
    sync_reply_init(&f->r);
    ck_assert_int_eq(timers_setup(&f->t, 1), 0);
    const uint32_t peers[2] = { 1, 2 };
    ck_assert_int_eq(sync_setup(&f->s, 1000 * MS, 1000 * MS, 3, peers, 2, &f->t, 0, 0), 0);
    ck_assert_uint_eq(timers_at(&f->t, 0), 1000 * MS);
}

static void teardown(struct fixture *f)
{
    sync_release(&f->s);
    timers_release(&f->t);
    sync_reply_release(&f->r);
}

static void expect_values(const struct msg_values *v, const int64_t *want, size_t n)
{
    ck_assert_uint_eq(v->n, n);
    for (size_t k = 0; k < n; k++)
        ck_assert_int_eq(v->v[k], want[k]);
}

/* A broadcast_internal carrying a digest (and a need). */
static struct msg digest(const int64_t *have, size_t n_have, const int64_t *need, size_t n_need)
{
    struct msg m;
    msg_init(&m);
    m.type = MSG_INTERNAL;
    m.has_have = have != NULL;
    for (size_t k = 0; k < n_have; k++)
        msg_values_push(&m.have, have[k]);
    for (size_t k = 0; k < n_need; k++)
        msg_values_push(&m.need, need[k]);
    return m;
}

START_TEST(digest_holds_the_mature_values)
{
    struct fixture f;
    setup(&f);
    for (int64_t v = 1; v <= 3; v++)
        ck_assert_int_eq(sync_learned(&f.s, v, false, 0), 0);
    ck_assert_int_eq(sync_learned(&f.s, 5, false, 500 * MS), 0);
    struct msg m;
    msg_init(&m);
    ck_assert_int_eq(sync_stamp(&f.s, 1, &m, false, 1200 * MS), 0);
    ck_assert(m.has_have);
    expect_values(&m.have, (const int64_t[]){ 1, 3 }, 2); /* 5 is too young */
    msg_release(&m);
    msg_init(&m);
    ck_assert_int_eq(sync_stamp(&f.s, 1, &m, false, 1300 * MS), 0);
    ck_assert(!m.has_have); /* one digest per period per peer */
    ck_assert_int_eq(sync_stamp(&f.s, 2, &m, false, 1600 * MS), 0);
    expect_values(&m.have, (const int64_t[]){ 1, 3, 5, 5 }, 4); /* another peer; 5 of age */
    msg_release(&m);
    msg_init(&m);
    m.repair = true; /* a repair never carries one */
    ck_assert_int_eq(sync_stamp(&f.s, 1, &m, true, 5000 * MS), 0);
    ck_assert(!m.has_have);
    msg_release(&m);
    ck_assert_uint_eq(f.s.digests, 2);
    teardown(&f);
}
END_TEST

START_TEST(give_and_need)
{
    struct fixture f;
    setup(&f);
    for (int64_t v = 1; v <= 3; v++)
        sync_learned(&f.s, v, false, 0);
    sync_learned(&f.s, 5, false, 500 * MS);
    sync_learned(&f.s, 9, false, 500 * MS);
    /* At 2 s: 1..3 are old (2 * age), 5 and 9 only mature. The peer has 1, 3, 4..6. */
    struct msg m = digest((const int64_t[]){ 1, 1, 3, 6 }, 4, NULL, 0);
    ck_assert_int_eq(sync_on_receive(&f.s, &m, &f.r, 2000 * MS), 0);
    expect_values(&f.r.give, (const int64_t[]){ 2 }, 1); /* 5 is in the digest, 9 too young */
    ck_assert_uint_eq(f.r.need.n, 2);                    /* it has 4 and 6, we do not */
    ck_assert_int_eq(f.r.need.v[0], 4);
    ck_assert_int_eq(f.r.need.v[1], 4);
    ck_assert_int_eq(f.r.need.v[2], 6);
    ck_assert_int_eq(f.r.need.v[3], 6);
    ck_assert(f.s.hurry); /* we gave: the next round goes at once */
    ck_assert_uint_le(timers_at(&f.t, 0), 2000 * MS);
    msg_release(&m);
    /* At 3 s 9 is old too, but above the digest's top (6): the peer said nothing about it. */
    m = digest((const int64_t[]){ 1, 6 }, 2, NULL, 0);
    ck_assert_int_eq(sync_on_receive(&f.s, &m, &f.r, 3000 * MS), 0);
    expect_values(&f.r.give, (const int64_t[]){ 2, 3 }, 0);
    msg_release(&m);
    /* A need is answered with what we have of it, whatever its age. */
    m = digest(NULL, 0, (const int64_t[]){ 2, 6, 8, 10 }, 4);
    ck_assert_int_eq(sync_on_receive(&f.s, &m, &f.r, 600 * MS), 0);
    expect_values(&f.r.give, (const int64_t[]){ 2, 3, 5, 9 }, 4);
    ck_assert_uint_eq(f.r.need.n, 0);
    msg_release(&m);
    teardown(&f);
}
END_TEST

START_TEST(repaired_values_are_old_and_hurry)
{
    struct fixture f;
    setup(&f);
    ck_assert_int_eq(sync_learned(&f.s, 7, true, 100 * MS), 0);
    ck_assert_uint_eq(timers_at(&f.t, 0), 100 * MS);
    ck_assert_int_eq(sync_on_timer(&f.s, 100 * MS), 1); /* at once, to the first peer */
    ck_assert_uint_eq(timers_at(&f.t, 0), 1100 * MS);
    struct msg m = digest((const int64_t[]){ 1, 1 }, 2, NULL, 0);
    ck_assert_int_eq(sync_on_receive(&f.s, &m, &f.r, 100 * MS), 0);
    ck_assert_uint_eq(f.r.give.n, 0); /* 7 > the digest's top */
    msg_release(&m);
    m = digest((const int64_t[]){ 1, 1, 9, 9 }, 4, NULL, 0);
    ck_assert_int_eq(sync_on_receive(&f.s, &m, &f.r, 100 * MS), 0);
    expect_values(&f.r.give, (const int64_t[]){ 7 }, 1); /* old at once */
    msg_release(&m);
    teardown(&f);
}
END_TEST

START_TEST(standalone_rounds)
{
    struct fixture f;
    setup(&f);
    ck_assert_int_eq(sync_on_timer(&f.s, 1000 * MS), 1);
    ck_assert_int_eq(sync_on_timer(&f.s, 2000 * MS), 2);
    ck_assert_int_eq(sync_on_timer(&f.s, 3000 * MS), 1);
    /* A digest riding on a message at 3.5 s: the round at 4 s stays quiet, the next is due at
     * 4.5 s. The timer fires at last digest + period. */
    struct msg m;
    msg_init(&m);
    sync_stamp(&f.s, 2, &m, false, 3500 * MS);
    msg_release(&m);
    ck_assert_int_eq(sync_on_timer(&f.s, 4000 * MS), -1);
    ck_assert_uint_eq(timers_at(&f.t, 0), 4500 * MS);
    ck_assert_int_eq(sync_on_timer(&f.s, 4500 * MS), 2);
    teardown(&f);
}
END_TEST

START_TEST(off_does_nothing)
{
    struct sync s;
    struct msg m;
    struct sync_reply r;
    sync_init(&s);
    sync_reply_init(&r);
    msg_init(&m);
    ck_assert(!sync_enabled(&s));
    ck_assert_int_eq(sync_learned(&s, 1, false, 0), 0);
    ck_assert_int_eq(sync_stamp(&s, 0, &m, true, 0), 0);
    ck_assert(!m.has_have);
    ck_assert_int_eq(sync_on_receive(&s, &m, &r, 0), 0);
    ck_assert_int_eq(sync_on_timer(&s, 0), -1);
    sync_release(&s);
    sync_reply_release(&r);
}
END_TEST

static Suite *sync_suite(void)
{
    Suite *s = suite_create("sync");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, digest_holds_the_mature_values);
    tcase_add_test(tc, give_and_need);
    tcase_add_test(tc, repaired_values_are_old_and_hurry);
    tcase_add_test(tc, standalone_rounds);
    tcase_add_test(tc, off_does_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(sync_suite());
}
