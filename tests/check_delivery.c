/*
 * check_delivery: proves the delivery seam's modes (node/delivery.c, node/cumack.c) stamp,
 * record, acknowledge and re-send as delivery.h says. Two ends of one link are wired by hand:
 * what one end sends is handed to the other's on_receive, or dropped, or reordered, and each
 * end's port records what it asked for (values handed back, stand-alone acks). Cumulative: the
 * sequence numbers, the piggy-backed ack, losses repaired by a retry whose "base" lets the
 * receiver's ack pass the abandoned numbers, reordering held back until contiguous, the
 * stand-alone ack after ack_delay and never when a message carries it; acks: a msg_id per
 * message, a retry per unacknowledged message.
 */
#include <check.h>
#include <string.h>

#include "check_run.h"
#include "delivery.h"
#include "msg.h"
#include "timers.h"

#define MS US_PER_MS

struct end {
    struct delivery d;
    struct timers t;
    int64_t requeued[64];
    size_t n_requeued;
    unsigned bare;      /* stand-alone acks asked for */
    uint32_t last_peer; /* of the last requeue or stand-alone ack */
};

static int requeue(void *ctx, uint32_t peer, const int64_t *vals, size_t n, time_us now)
{
    struct end *e = ctx;
    (void)now;
    for (size_t k = 0; k < n; k++)
        e->requeued[e->n_requeued++] = vals[k];
    e->last_peer = peer;
    return 0;
}

static int send_bare(void *ctx, uint32_t peer, time_us now)
{
    struct end *e = ctx;
    (void)now;
    e->bare++;
    e->last_peer = peer;
    return 0;
}

/* An end in a cluster of n_peers nodes. */
static void end_setup_n(struct end *e, enum delivery_mode mode, uint32_t n_peers)
{
    memset(e, 0, sizeof *e);
    struct cfg c;
    cfg_defaults(&c);
    c.delivery = mode;
    c.retry_us = 500 * MS;
    c.ack_delay_us = 200 * MS;
    timers_init(&e->t);
    ck_assert_int_eq(timers_setup(&e->t, delivery_slots(mode, n_peers)), 0);
    struct delivery_port port = { e, requeue, send_bare };
    ck_assert_int_eq(delivery_setup(&e->d, &c, n_peers, &e->t, 0, port), 0);
}

static void end_setup(struct end *e, enum delivery_mode mode)
{
    end_setup_n(e, mode, 2);
}

static void end_release(struct end *e)
{
    delivery_release(&e->d);
    timers_release(&e->t);
}

/* A broadcast_internal with the given values, stamped by from's delivery towards peer. */
static struct msg sent(struct end *from, uint32_t peer, const int64_t *vals, size_t n, time_us now)
{
    struct msg m;
    msg_init(&m);
    m.type = MSG_INTERNAL;
    for (size_t k = 0; k < n; k++)
        ck_assert_int_eq(msg_values_push(&m.values, vals[k]), 0);
    ck_assert_int_eq(delivery_on_send(&from->d, peer, &m, true, now), 0);
    return m;
}

static void arrive(struct end *to, uint32_t from, struct msg *m, time_us now)
{
    ck_assert_int_eq(delivery_on_receive(&to->d, from, m, now), 0);
    msg_release(m);
}

/* Runs e's due timers up to now. */
static void tick(struct end *e, time_us now)
{
    uint32_t slot;
    while (timers_pop_due(&e->t, now, &slot))
        ck_assert_int_eq(delivery_on_timer(&e->d, slot, now), 0);
}

/* A (index 0) sends to B (index 1): A's peer is 1, B's peer is 0. */
START_TEST(cumulative_stamps_and_piggybacks)
{
    struct end a, b;
    end_setup(&a, DELIVERY_CUMULATIVE);
    end_setup(&b, DELIVERY_CUMULATIVE);
    struct msg m = sent(&a, 1, (const int64_t[]){ 10, 11 }, 2, 0);
    ck_assert(m.has_seq && m.seq == 1 && m.has_base && m.base == 1 && !m.has_ack);
    ck_assert(!m.has_msg_id);
    ck_assert_uint_eq(timers_at(&a.t, 0), 500 * MS); /* A's retry for B, its first link */
    arrive(&b, 0, &m, 100 * MS);
    ck_assert_uint_eq(timers_at(&b.t, 1), 300 * MS); /* B owes A (its first link) an ack */
    m = sent(&a, 1, (const int64_t[]){ 12 }, 1, 150 * MS);
    ck_assert_int_eq(m.seq, 3);
    ck_assert_int_eq(m.base, 1);
    arrive(&b, 0, &m, 250 * MS);
    /* B's own message to A carries the ack and cancels the stand-alone one. */
    struct msg r = sent(&b, 0, (const int64_t[]){ 99 }, 1, 260 * MS);
    ck_assert(r.has_ack && r.ack == 3);
    ck_assert_uint_eq(timers_at(&b.t, 1), TIME_NEVER);
    arrive(&a, 1, &r, 360 * MS);
    ck_assert_uint_eq(timers_at(&a.t, 0), TIME_NEVER); /* all acknowledged: no retry */
    tick(&a, 10 * US_PER_SEC);
    tick(&b, 10 * US_PER_SEC);
    ck_assert_uint_eq(a.n_requeued, 0);
    ck_assert_uint_eq(b.bare, 0);
    ck_assert_uint_eq(a.d.retries, 0);
    /* A owed B an ack for 99 and nothing went to B: it went alone, after ack_delay. */
    ck_assert_uint_eq(a.bare, 1);
    end_release(&a);
    end_release(&b);
}
END_TEST

START_TEST(cumulative_loss_is_resent_and_base_lets_the_ack_pass)
{
    struct end a, b;
    end_setup(&a, DELIVERY_CUMULATIVE);
    end_setup(&b, DELIVERY_CUMULATIVE);
    struct msg lost = sent(&a, 1, (const int64_t[]){ 1, 2 }, 2, 0);
    msg_release(&lost);
    struct msg m = sent(&a, 1, (const int64_t[]){ 3 }, 1, 10 * MS); /* seq 3 */
    arrive(&b, 0, &m, 110 * MS);
    ck_assert_uint_eq(timers_at(&b.t, 1), TIME_NEVER); /* 1..2 missing: nothing to ack yet */
    tick(&a, 499 * MS);
    ck_assert_uint_eq(a.n_requeued, 0);
    tick(&a, 500 * MS); /* 1 and 2 are due, 3 (sent at 10 ms) not yet */
    ck_assert_uint_eq(a.n_requeued, 2);
    ck_assert_int_eq(a.requeued[0], 1);
    ck_assert_int_eq(a.requeued[1], 2);
    ck_assert_uint_eq(a.d.retries, 1);
    ck_assert_uint_eq(timers_at(&a.t, 0), 510 * MS); /* now 3's retry */
    m = sent(&a, 1, a.requeued, 2, 520 * MS);        /* the batcher sends them again: seq 4, 5 */
    ck_assert_int_eq(m.seq, 4);
    ck_assert_int_eq(m.base, 3); /* 1 and 2 are given up under their old numbers */
    arrive(&b, 0, &m, 620 * MS);
    struct msg r = sent(&b, 0, NULL, 0, 630 * MS);
    ck_assert(r.has_ack && r.ack == 5 && !r.has_seq);
    arrive(&a, 1, &r, 730 * MS);
    ck_assert_uint_eq(timers_at(&a.t, 0), TIME_NEVER);
    end_release(&a);
    end_release(&b);
}
END_TEST

START_TEST(cumulative_reordering_waits_for_the_gap)
{
    struct end a, b;
    end_setup(&a, DELIVERY_CUMULATIVE);
    end_setup(&b, DELIVERY_CUMULATIVE);
    struct msg m1 = sent(&a, 1, (const int64_t[]){ 7 }, 1, 0);
    struct msg m2 = sent(&a, 1, (const int64_t[]){ 8, 9 }, 2, 1 * MS);
    arrive(&b, 0, &m2, 100 * MS); /* 2..3 before 1 */
    struct msg probe = sent(&b, 0, NULL, 0, 101 * MS);
    ck_assert(!probe.has_ack); /* nothing contiguous yet */
    msg_release(&probe);
    arrive(&b, 0, &m1, 102 * MS);
    probe = sent(&b, 0, NULL, 0, 103 * MS);
    ck_assert(probe.has_ack && probe.ack == 3);
    msg_release(&probe);
    end_release(&a);
    end_release(&b);
}
END_TEST

START_TEST(cumulative_standalone_ack_after_delay)
{
    struct end a, b;
    end_setup(&a, DELIVERY_CUMULATIVE);
    end_setup(&b, DELIVERY_CUMULATIVE);
    struct msg m = sent(&a, 1, (const int64_t[]){ 1 }, 1, 0);
    arrive(&b, 0, &m, 100 * MS);
    m = sent(&a, 1, (const int64_t[]){ 2 }, 1, 150 * MS);
    arrive(&b, 0, &m, 250 * MS); /* still owed since 100 ms: the timer does not move */
    tick(&b, 299 * MS);
    ck_assert_uint_eq(b.bare, 0);
    tick(&b, 300 * MS);
    ck_assert_uint_eq(b.bare, 1); /* the port sends an empty message, stamped: */
    struct msg r = sent(&b, 0, NULL, 0, 300 * MS);
    ck_assert(r.has_ack && r.ack == 2);
    msg_release(&r);
    tick(&b, 10 * US_PER_SEC);
    ck_assert_uint_eq(b.bare, 1); /* told: nothing owed any more */
    ck_assert_uint_eq(b.d.acks_alone, 1);
    /* An ack for numbers never sent is capped; an old one changes nothing. */
    struct msg bogus;
    msg_init(&bogus);
    bogus.type = MSG_INTERNAL;
    bogus.has_ack = true;
    bogus.ack = 1000;
    arrive(&a, 1, &bogus, 400 * MS);
    ck_assert_uint_eq(timers_at(&a.t, 2), TIME_NEVER);
    m = sent(&a, 1, (const int64_t[]){ 3 }, 1, 500 * MS);
    ck_assert_int_eq(m.seq, 3);
    msg_release(&m);
    end_release(&a);
    end_release(&b);
}
END_TEST

/* A repair (record = false) carries the ack but no sequence number, and is never re-sent. */
START_TEST(cumulative_unrecorded_message)
{
    struct end a;
    end_setup(&a, DELIVERY_CUMULATIVE);
    struct msg m;
    msg_init(&m);
    m.type = MSG_INTERNAL;
    msg_values_push(&m.values, 5);
    ck_assert_int_eq(delivery_on_send(&a.d, 1, &m, false, 0), 0);
    ck_assert(!m.has_seq && !m.has_base);
    ck_assert_uint_eq(timers_at(&a.t, 2), TIME_NEVER);
    msg_release(&m);
    end_release(&a);
}
END_TEST

START_TEST(acks_msg_id_per_message_and_retry)
{
    struct end a;
    end_setup(&a, DELIVERY_ACKS);
    struct msg m1 = sent(&a, 1, (const int64_t[]){ 1, 2 }, 2, 0);
    struct msg m2 = sent(&a, 1, (const int64_t[]){ 3 }, 1, 100 * MS);
    ck_assert(m1.has_msg_id && m1.msg_id == 1 && m2.msg_id == 2);
    ck_assert(!m1.has_seq && !m1.has_ack);
    struct msg ok;
    msg_init(&ok);
    ok.type = MSG_INTERNAL_OK;
    ok.has_in_reply_to = true;
    ok.in_reply_to = 2;
    ck_assert_int_eq(delivery_on_ok(&a.d, 1, &ok, 150 * MS), 0);
    tick(&a, 500 * MS); /* message 1 is overdue, 2 was acknowledged */
    ck_assert_uint_eq(a.n_requeued, 2);
    ck_assert_uint_eq(a.d.retries, 1);
    ck_assert_uint_eq(timers_at(&a.t, 0), TIME_NEVER);
    msg_release(&m1);
    msg_release(&m2);
    end_release(&a);
}
END_TEST

START_TEST(fire_and_forget_stamps_nothing)
{
    struct end a;
    end_setup(&a, DELIVERY_FIRE_AND_FORGET);
    ck_assert_uint_eq(delivery_slots(DELIVERY_FIRE_AND_FORGET, 2), 0);
    struct msg m = sent(&a, 1, (const int64_t[]){ 1 }, 1, 0);
    ck_assert(!m.has_msg_id && !m.has_seq && !m.has_ack);
    msg_release(&m);
    end_release(&a);
}
END_TEST

/*
 * In a 1,000-node cluster a node keeps cumulative state only for the links it uses, their timer
 * slots in the order they were first used: A sends to 999 then to 3 and hears from 500; a retry
 * and a stand-alone ack on those slots go to the right peers, and only their slots have entries.
 */
START_TEST(cumulative_state_for_used_links_only)
{
    struct end a;
    end_setup_n(&a, DELIVERY_CUMULATIVE, 1000);
    struct msg m = sent(&a, 999, (const int64_t[]){ 1 }, 1, 0);
    msg_release(&m);
    m = sent(&a, 3, (const int64_t[]){ 2, 3 }, 2, 10 * MS);
    msg_release(&m);
    ck_assert_uint_eq(timers_at(&a.t, 0), 500 * MS); /* 999: link 0 */
    ck_assert_uint_eq(timers_at(&a.t, 2), 510 * MS); /* 3: link 1 */
    struct msg in;
    msg_init(&in);
    in.type = MSG_INTERNAL;
    in.has_seq = true;
    in.seq = 1;
    ck_assert_int_eq(msg_values_push(&in.values, 7), 0);
    arrive(&a, 500, &in, 20 * MS);
    ck_assert_uint_eq(timers_at(&a.t, 5), 220 * MS); /* 500: link 2, its owed ack */
    ck_assert_uint_le(a.t.n_at, 16);                 /* entries for the slots used, not 2,000 */
    tick(&a, 220 * MS);
    ck_assert_uint_eq(a.bare, 1);
    ck_assert_uint_eq(a.last_peer, 500);
    tick(&a, 505 * MS);
    ck_assert_uint_eq(a.n_requeued, 1);
    ck_assert_int_eq(a.requeued[0], 1);
    ck_assert_uint_eq(a.last_peer, 999);
    tick(&a, 515 * MS);
    ck_assert_uint_eq(a.n_requeued, 3);
    ck_assert_uint_eq(a.last_peer, 3);
    end_release(&a);
}
END_TEST

static Suite *delivery_suite(void)
{
    Suite *s = suite_create("delivery");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, cumulative_stamps_and_piggybacks);
    tcase_add_test(tc, cumulative_state_for_used_links_only);
    tcase_add_test(tc, cumulative_loss_is_resent_and_base_lets_the_ack_pass);
    tcase_add_test(tc, cumulative_reordering_waits_for_the_gap);
    tcase_add_test(tc, cumulative_standalone_ack_after_delay);
    tcase_add_test(tc, cumulative_unrecorded_message);
    tcase_add_test(tc, acks_msg_id_per_message_and_retry);
    tcase_add_test(tc, fire_and_forget_stamps_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(delivery_suite());
}
