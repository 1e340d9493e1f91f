/*
 * check_network: proves the network module delivers as Maelstrom's per-node delivery threads do
 * (spec §3.1–§3.3, §4.1): constant latency gives exact delivery times and client messages none;
 * a delivery thread takes the earliest queued message at once and sleeps on it, so a message with
 * an earlier deadline queued behind it waits (head-of-line blocking), and the next one taken is
 * the earliest queued, ties in send order; a partition drops at dequeue (journaled, counted as
 * sent only), a message already taken is still delivered, heal restores; counters; drain journals
 * what is left; latency draws use the rng passed in, once per server<->server message only; the
 * delivery thread's timing (wake-up, sleep truncated to whole ms, overshoot) moves each delivery
 * exactly as Maelstrom's thread would, and all zero is the exact model; thousands of messages in
 * flight (ring and pooled heap, packed or whole) all come out, in order, with their ids and
 * values.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "heap.h"
#include "network.h"
#include "topo.h"

enum { N0, N1, N2, C0, N_EP };

#define MS(x)   ((time_us)(x)*US_PER_MS)
#define MAX_REC 64

struct rec {
    uint32_t ep;      /* deliveries: the endpoint */
    int64_t label;    /* m.message, set by the test to tell messages apart */
    uint64_t id;      /* network message id */
    time_us at_us;    /* delivery or journal time */
    bool delivered;   /* journal records */
    time_us sent_us;  /* journal records */
    time_us deadline; /* journal records */
};

/* The network's owner: a timer heap for the wake-ups, and what was delivered and journaled. */
struct owner {
    struct network *net;
    struct heap wakes; /* tag = endpoint */
    struct rec got[MAX_REC], jr[MAX_REC];
    size_t n_got, n_jr;
    bool stop; /* deliver() answers "the run has ended" */
    struct rng rng;
    bool raw_check; /* deliver() checks each raw body is "r<label>" and counts, records nothing */
    size_t raw_ok;
};

static void o_wake(void *ctx, uint32_t endpoint, time_us at_us)
{
    struct owner *o = ctx;
    ck_assert_int_eq(heap_push(&o->wakes, at_us, NULL, endpoint), 0);
}

static bool o_deliver(void *ctx, uint32_t endpoint, struct wmsg *m, time_us now_us)
{
    struct owner *o = ctx;
    ck_assert_uint_eq(m->dest, endpoint);
    if (o->raw_check) {
        char want[32];
        network_unpack(o->net, m);
        snprintf(want, sizeof want, "r%lld", (long long)m->m.message);
        ck_assert_ptr_nonnull(m->raw_body);
        ck_assert_str_eq(m->raw_body, want);
        o->raw_ok++;
        return true;
    }
    ck_assert_uint_lt(o->n_got, MAX_REC);
    o->got[o->n_got++] =
        (struct rec){ .ep = endpoint, .label = m->m.message, .id = m->id, .at_us = now_us };
    return !o->stop;
}

static void o_journal(void *ctx, const struct wmsg *m, bool delivered, time_us recv_us)
{
    struct owner *o = ctx;
    if (o->raw_check) { /* the journal sees the raw body too */
        char want[32];
        snprintf(want, sizeof want, "r%lld", (long long)m->m.message);
        ck_assert_str_eq(m->raw_body, want);
        return;
    }
    ck_assert_uint_lt(o->n_jr, MAX_REC);
    o->jr[o->n_jr++] = (struct rec){ .ep = m->dest,
                                     .label = m->m.message,
                                     .id = m->id,
                                     .at_us = recv_us,
                                     .delivered = delivered,
                                     .sent_us = m->sent_us,
                                     .deadline = m->deadline_us };
}

static struct topo shared; /* a map messages borrow: the network must never free it */

/* An owner whose network's delivery threads have the given timing (network.h). */
static void owner_init_timed(struct owner *o, uint64_t latency_ms, enum latency_dist dist,
                             struct network_timing timing)
{
    memset(o, 0, sizeof(*o));
    heap_init(&o->wakes);
    rng_seed(&o->rng, 42);
    struct network_opts no = {
        .n_nodes = 3,
        .latency_ms = latency_ms,
        .latency_dist = dist,
        .timing = timing,
        .rng = &o->rng,
        .shared_topology = &shared,
        .journal = o_journal,
        .journal_ctx = o,
    };
    struct network_cbs cb = { .ctx = o, .wake = o_wake, .deliver = o_deliver };
    o->net = network_new(&no, &cb);
    ck_assert_ptr_nonnull(o->net);
    for (uint32_t i = 0; i < N_EP; i++)
        ck_assert_int_eq(network_add_endpoint(o->net, i == C0), (int32_t)i);
    ck_assert_uint_eq(network_endpoint_count(o->net), N_EP);
}

/* The exact model: every message delivered on its deadline. */
static void owner_init(struct owner *o, uint64_t latency_ms, enum latency_dist dist)
{
    owner_init_timed(o, latency_ms, dist, (struct network_timing){ 0 });
}

static void owner_release(struct owner *o)
{
    network_free(o->net);
    heap_release(&o->wakes);
}

/* Sends a message labelled `label` (in m.message) from src to dest at now_us. */
static void send(struct owner *o, uint32_t src, uint32_t dest, int64_t label, time_us now_us)
{
    struct msg m;
    msg_init(&m);
    m.type = MSG_OTHER;
    m.message = label;
    ck_assert_int_eq(network_send(o->net, src, dest, &m, NULL, now_us), 0);
}

/* Runs every wake-up due at or before t, at its own time (a virtual-time driver). */
static void run_until(struct owner *o, time_us t)
{
    const struct heap_entry *top;
    while ((top = heap_peek(&o->wakes)) && top->at_us <= t) {
        struct heap_entry he;
        heap_pop(&o->wakes, &he);
        network_on_wake(o->net, (uint32_t)he.tag, he.at_us);
    }
}

static void assert_got(const struct owner *o, size_t i, uint32_t ep, int64_t label, time_us at)
{
    ck_assert_uint_gt(o->n_got, i);
    ck_assert_uint_eq(o->got[i].ep, ep);
    ck_assert_int_eq(o->got[i].label, label);
    ck_assert_uint_eq(o->got[i].at_us, at);
}

START_TEST(constant_latency_delivery_times)
{
    struct owner o;
    owner_init(&o, 100, LATENCY_CONSTANT);
    struct rng before = o.rng;
    send(&o, N0, N1, 1, 0);
    send(&o, N0, N2, 2, MS(10));
    send(&o, C0, N0, 3, MS(20)); /* a client's message: no latency */
    send(&o, N2, C0, 4, MS(30)); /* to a client: none either */
    run_until(&o, MS(1000));
    ck_assert_uint_eq(o.n_got, 4);
    assert_got(&o, 0, N0, 3, MS(20));
    assert_got(&o, 1, C0, 4, MS(30));
    assert_got(&o, 2, N1, 1, MS(100));
    assert_got(&o, 3, N2, 2, MS(110));
    /* Message ids are Maelstrom's global counter from 0, in send order. */
    ck_assert_uint_eq(o.got[2].id, 0);
    ck_assert_uint_eq(o.got[3].id, 1);
    ck_assert_uint_eq(o.got[0].id, 2);
    ck_assert_uint_eq(o.got[1].id, 3);
    /* Journaled once each, delivered, with send time and deadline. */
    ck_assert_uint_eq(o.n_jr, 4);
    ck_assert(o.jr[2].delivered);
    ck_assert_uint_eq(o.jr[2].sent_us, 0);
    ck_assert_uint_eq(o.jr[2].deadline, MS(100));
    ck_assert_uint_eq(o.jr[2].at_us, MS(100));
    /* A constant latency draws nothing. */
    ck_assert_int_eq(memcmp(&before, &o.rng, sizeof(before)), 0);
    owner_release(&o);
}
END_TEST

START_TEST(head_of_line_blocking)
{
    struct owner o;
    owner_init(&o, 100, LATENCY_CONSTANT);
    /* n1's thread takes the first message at once and sleeps until its deadline (100 ms). */
    send(&o, N0, N1, 1, 0);
    /* Queued while it sleeps: server messages due at 105 and 110 ms, then two client messages
     * due at once (20 ms, sent in this order). */
    send(&o, N0, N1, 5, MS(5));
    send(&o, N2, N1, 2, MS(10));
    send(&o, C0, N1, 3, MS(20));
    send(&o, C0, N1, 4, MS(20));
    run_until(&o, MS(99));
    ck_assert_uint_eq(o.n_got, 0); /* the client messages wait, although they are due */
    run_until(&o, MS(1000));
    ck_assert_uint_eq(o.n_got, 5);
    assert_got(&o, 0, N1, 1, MS(100));
    /* Then the earliest deadline first, ties in send order; overdue ones go out at once. */
    assert_got(&o, 1, N1, 3, MS(100));
    assert_got(&o, 2, N1, 4, MS(100));
    assert_got(&o, 3, N1, 5, MS(105));
    assert_got(&o, 4, N1, 2, MS(110));
    owner_release(&o);
}
END_TEST

START_TEST(taken_message_blocks_an_earlier_one)
{
    /* Uniform latency: the first message draws a long delay, a later one to the same node a
     * shorter one; the later waits for the first (spec §3.2: "a long draw at the head delays
     * everything behind it"). Find a seed giving such a pair by replaying the draws. */
    struct owner o;
    owner_init(&o, 100, LATENCY_UNIFORM);
    struct rng r;
    time_us d0 = 0, d1 = 0;
    for (uint64_t seed = 0; seed < 1000; seed++) {
        rng_seed(&o.rng, seed);
        r = o.rng;
        d0 = network_draw_latency_us(&r, 100, LATENCY_UNIFORM);
        d1 = network_draw_latency_us(&r, 100, LATENCY_UNIFORM);
        if (d0 > MS(1) + d1 + MS(10)) break;
    }
    ck_assert_uint_gt(d0, MS(1) + d1 + MS(10));
    send(&o, N0, N2, 1, 0);
    send(&o, N1, N2, 2, MS(1));
    run_until(&o, MS(1000));
    ck_assert_uint_eq(o.n_got, 2);
    assert_got(&o, 0, N2, 1, d0);
    assert_got(&o, 1, N2, 2, d0); /* due at 1 ms + d1, delivered with the head */
    /* Exactly one draw per server message, in send order. */
    ck_assert_int_eq(memcmp(&r, &o.rng, sizeof(r)), 0);
    owner_release(&o);
}
END_TEST

START_TEST(late_wake_delivers_at_wake_time)
{
    /* A real-time driver may wake late: the message goes out then, and the next one taken is
     * due no earlier than that moment. */
    struct owner o;
    owner_init(&o, 10, LATENCY_CONSTANT);
    send(&o, N0, N1, 1, 0);
    send(&o, N0, N1, 2, MS(1));
    struct heap_entry he;
    ck_assert_int_eq(heap_pop(&o.wakes, &he), 0);
    ck_assert_uint_eq(he.at_us, MS(10));
    network_on_wake(o.net, (uint32_t)he.tag, MS(25));
    assert_got(&o, 0, N1, 1, MS(25));
    ck_assert_int_eq(heap_pop(&o.wakes, &he), 0);
    ck_assert_uint_eq(he.at_us, MS(25)); /* due at 11 ms, taken at 25 ms */
    /* A spurious wake-up (nothing in flight) delivers nothing. */
    network_on_wake(o.net, N2, MS(26));
    ck_assert_uint_eq(o.n_got, 1);
    network_on_wake(o.net, (uint32_t)he.tag, he.at_us);
    assert_got(&o, 1, N1, 2, MS(25));
    owner_release(&o);
}
END_TEST

/* Maelstrom's delivery thread, as measured (network.h): wake 50 us, whole ms, 200 us late. */
static const struct network_timing jvm = { .wake_us = 50,
                                           .sleep_quantum_us = 1000,
                                           .overshoot_us = 200 };

START_TEST(delivery_time_truncates_the_sleep)
{
    static const struct {
        time_us take, deadline;
        bool woke;
        time_us want;
    } cases[] = {
        /* A 100 ms message to an idle thread: dt = 99.95 ms after waking, sleep(99) + 200 us. */
        { 0, MS(100), true, 50 + MS(99) + 200 },
        /* A busy thread takes it without a wake-up: dt = 100 ms exactly, sleep(100). */
        { 0, MS(100), false, MS(100) + 200 },
        /* dt = 1.25 ms: sleep(1); dt = 0.95 ms: sleep(0) returns at once, no overshoot. */
        { MS(7), MS(7) + 1300, true, MS(7) + 50 + MS(1) + 200 },
        { MS(7), MS(7) + 1000, true, MS(7) + 50 },
        /* Due already (a client's message, or overdue behind another): no sleep at all. */
        { MS(7), MS(7), true, MS(7) + 50 },
        { MS(7), MS(3), false, MS(7) },
        /* Due within the wake-up: delivered after it, a little late. */
        { MS(7), MS(7) + 20, true, MS(7) + 50 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        ck_assert_msg(network_delivery_time_us(&jvm, cases[i].take, cases[i].woke,
                                               cases[i].deadline) == cases[i].want,
                      "case %zu", i);
    /* All zero: exactly max(take, deadline), today's model. */
    const struct network_timing exact = { 0 };
    ck_assert_uint_eq(network_delivery_time_us(&exact, 5, true, MS(100)), MS(100));
    ck_assert_uint_eq(network_delivery_time_us(&exact, MS(101), true, MS(100)), MS(101));
    /* Exact sleeps with a wake-up and overshoot: on the deadline plus the overshoot. */
    const struct network_timing no_quantum = { .wake_us = 50, .overshoot_us = 200 };
    ck_assert_uint_eq(network_delivery_time_us(&no_quantum, 0, true, MS(100)), MS(100) + 200);
}
END_TEST

START_TEST(delivery_thread_timing)
{
    /* The same through the network: when each message reaches n1's node and in what order. */
    struct owner o;
    owner_init_timed(&o, 100, LATENCY_CONSTANT, jvm);
    send(&o, N0, N1, 1, 0);            /* idle thread: 99.25 ms */
    send(&o, N2, N1, 2, MS(10));       /* due 110 ms, taken busy at 99.25: sleep(10) */
    send(&o, N0, N1, 3, MS(10) + 700); /* due 110.7, taken at 109.45: dt 1.25, sleep(1) */
    send(&o, N0, N1, 4, MS(10) + 900); /* due 110.9, taken at 110.65: sleep(0) */
    send(&o, C0, N0, 5, MS(20));       /* a client's, to an idle thread: the wake-up only */
    run_until(&o, MS(1000));
    ck_assert_uint_eq(o.n_got, 5);
    assert_got(&o, 0, N0, 5, MS(20) + 50);
    assert_got(&o, 1, N1, 1, MS(99) + 250);
    assert_got(&o, 2, N1, 2, MS(109) + 450);
    assert_got(&o, 3, N1, 3, MS(110) + 650);
    assert_got(&o, 4, N1, 4, MS(110) + 650);
    /* The journal has the true receive times; deadlines are unchanged (send + latency). */
    ck_assert_uint_eq(o.jr[0].deadline, MS(20));
    ck_assert_uint_eq(o.jr[1].deadline, MS(100));
    ck_assert_uint_eq(o.jr[1].at_us, MS(99) + 250);
    owner_release(&o);
}
END_TEST

START_TEST(partition_drops_at_dequeue)
{
    struct owner o;
    owner_init(&o, 10, LATENCY_CONSTANT);
    network_cut(o.net, N1, N0); /* n1 ignores n0 */
    ck_assert(network_is_cut(o.net, N1, N0));
    ck_assert(!network_is_cut(o.net, N0, N1));
    ck_assert(!network_is_cut(o.net, C0, N0)); /* clients are never cut */
    ck_assert(!network_is_cut(o.net, N1, C0));
    send(&o, N0, N1, 1, 0); /* n1's thread is idle: taken and dropped at once */
    ck_assert_uint_eq(o.n_jr, 1);
    ck_assert(!o.jr[0].delivered);
    ck_assert_int_eq(o.jr[0].label, 1);
    ck_assert_uint_eq(heap_size(&o.wakes), 0);
    send(&o, N1, N0, 2, 0); /* the other direction is open */
    send(&o, C0, N1, 3, 0); /* and clients */
    send(&o, N2, N1, 4, 0); /* and other nodes */
    run_until(&o, MS(100));
    ck_assert_uint_eq(o.n_got, 3);
    network_heal(o.net);
    ck_assert(!network_is_cut(o.net, N1, N0));
    send(&o, N0, N1, 5, MS(100));
    run_until(&o, MS(200));
    assert_got(&o, 3, N1, 5, MS(110));
    const struct net_counts *c = network_counts(o.net);
    ck_assert_uint_eq(c->all.send_count, 5);
    ck_assert_uint_eq(c->all.recv_count, 4);
    ck_assert_uint_eq(c->servers.send_count, 4);
    ck_assert_uint_eq(c->servers.recv_count, 3);
    owner_release(&o);
}
END_TEST

START_TEST(partition_spares_the_message_in_flight)
{
    struct owner o;
    owner_init(&o, 10, LATENCY_CONSTANT);
    send(&o, N0, N1, 1, 0);     /* taken at once, due at 10 ms */
    send(&o, N0, N1, 2, MS(1)); /* queued behind it, due at 11 ms */
    send(&o, N2, N1, 3, MS(2)); /* queued, due at 12 ms */
    network_cut(o.net, N1, N0);
    run_until(&o, MS(100));
    /* The one in flight is delivered; the queued one from n0 is dropped when taken. */
    ck_assert_uint_eq(o.n_got, 2);
    assert_got(&o, 0, N1, 1, MS(10));
    assert_got(&o, 1, N1, 3, MS(12));
    ck_assert_uint_eq(o.n_jr, 3);
    ck_assert(o.jr[0].delivered);
    ck_assert_int_eq(o.jr[1].label, 2);
    ck_assert(!o.jr[1].delivered);
    ck_assert(o.jr[2].delivered);
    owner_release(&o);

    /* Cut and healed while a message waits in the queue: it is delivered. */
    owner_init(&o, 10, LATENCY_CONSTANT);
    send(&o, N0, N1, 1, 0);
    send(&o, N0, N1, 2, MS(1));
    network_cut(o.net, N1, N0);
    network_heal(o.net);
    run_until(&o, MS(100));
    ck_assert_uint_eq(o.n_got, 2);
    assert_got(&o, 1, N1, 2, MS(11));
    owner_release(&o);
}
END_TEST

START_TEST(counters_by_group)
{
    struct owner o;
    owner_init(&o, 5, LATENCY_CONSTANT);
    send(&o, C0, N0, 1, 0);
    send(&o, N0, C0, 2, 0);
    send(&o, N0, N1, 3, 0);
    send(&o, N1, N2, 4, 0);
    send(&o, N1, N2, 5, MS(1)); /* due at 6 ms: still queued at the end */
    run_until(&o, MS(5));
    const struct net_counts *c = network_counts(o.net);
    ck_assert_uint_eq(c->all.send_count, 5);
    ck_assert_uint_eq(c->all.msg_count, 5);
    ck_assert_uint_eq(c->all.recv_count, 4);
    ck_assert_uint_eq(c->clients.send_count, 2);
    ck_assert_uint_eq(c->clients.recv_count, 2);
    ck_assert_uint_eq(c->clients.msg_count, 2);
    ck_assert_uint_eq(c->servers.send_count, 3);
    ck_assert_uint_eq(c->servers.recv_count, 2);
    ck_assert_uint_eq(c->servers.msg_count, 3);
    owner_release(&o);
}
END_TEST

START_TEST(drain_journals_what_is_left)
{
    struct owner o;
    owner_init(&o, 50, LATENCY_CONSTANT);
    send(&o, N0, N2, 1, 0);     /* n2: in flight */
    send(&o, N1, N2, 2, MS(5)); /* n2: queued, due at 55 ms */
    send(&o, C0, N2, 3, MS(6)); /* n2: queued, due at 6 ms: taken before 2 */
    send(&o, N2, N1, 4, 0);     /* n1: in flight */
    struct msg m;               /* a topology message borrowing the shared map, and a raw body */
    msg_init(&m);
    m.type = MSG_TOPOLOGY;
    m.message = 5;
    m.topology = &shared;
    char *raw = strdup("{\"type\":\"topology\"}");
    ck_assert_int_eq(network_send(o.net, C0, N0, &m, raw, MS(7)), 0);
    ck_assert_ptr_null(m.topology); /* moved to the network */
    network_drain(o.net);
    ck_assert_uint_eq(o.n_got, 0);
    ck_assert_uint_eq(o.n_jr, 5);
    /* Endpoint order; per endpoint the message in flight, then the queue by deadline. */
    int64_t want[] = { 5, 4, 1, 3, 2 };
    for (size_t i = 0; i < 5; i++) {
        ck_assert_int_eq(o.jr[i].label, want[i]);
        ck_assert(!o.jr[i].delivered);
    }
    ck_assert_uint_eq(network_counts(o.net)->all.recv_count, 0);
    ck_assert_uint_eq(network_counts(o.net)->all.send_count, 5);
    /* The wake-ups armed before the drain find nothing. */
    run_until(&o, MS(1000));
    ck_assert_uint_eq(o.n_got, 0);
    owner_release(&o);
}
END_TEST

/*
 * Raw bodies wait beside the messages (the network's map by message id, out of the 64-byte
 * slots): thousands in flight at once between every pair, delivered out of send order by random
 * latencies, each arrives with its own body; what is left at the end is freed (LeakSanitizer).
 */
/* Sends message label from src to dest at t with the raw body "r<label>". */
static void send_raw(struct owner *o, uint32_t src, uint32_t dest, int64_t label, time_us t)
{
    struct msg m;
    msg_init(&m);
    m.type = MSG_OTHER;
    m.message = label;
    char *raw = malloc(32);
    ck_assert_ptr_nonnull(raw);
    snprintf(raw, 32, "r%lld", (long long)label);
    ck_assert_int_eq(network_send(o->net, src, dest, &m, raw, t), 0);
}

START_TEST(raw_bodies_travel_with_their_messages)
{
    struct owner o;
    owner_init(&o, 40, LATENCY_UNIFORM);
    o.raw_check = true;
    struct rng r;
    rng_seed(&r, 11);
    int64_t label = 0;
    for (time_us t = 0; t < MS(200); t += 20) {
        uint32_t src = (uint32_t)rng_below(&r, N_EP), dest = (uint32_t)rng_below(&r, N_EP);
        send_raw(&o, src, dest, ++label, t);
        run_until(&o, t);
    }
    ck_assert_uint_gt(o.raw_ok, 0);
    run_until(&o, MS(10000));
    ck_assert_uint_eq(o.raw_ok, (size_t)label); /* every one, each with its own body */
    for (int k = 0; k < 300; k++)               /* and some left in flight for the free */
        send_raw(&o, N0, N1, ++label, MS(20000));
    owner_release(&o);
}
END_TEST

START_TEST(ended_run_takes_nothing_more)
{
    /* When deliver() says the run has ended, the endpoint's thread takes no next message. */
    struct owner o;
    owner_init(&o, 0, LATENCY_CONSTANT);
    send(&o, C0, N0, 1, 0);
    send(&o, C0, N0, 2, 0);
    o.stop = true;
    run_until(&o, MS(10));
    ck_assert_uint_eq(o.n_got, 1);
    ck_assert_uint_eq(heap_size(&o.wakes), 0);
    network_drain(o.net);
    ck_assert_uint_eq(o.n_jr, 2);
    ck_assert_int_eq(o.jr[1].label, 2);
    ck_assert(!o.jr[1].delivered);
    owner_release(&o);
}
END_TEST

START_TEST(latency_draws)
{
    /* Uniform: whole ms in [0, 2 * mean); exponential: whole ms, mean ~ mean - 0.5. One draw per
     * server<->server message, none for client messages. */
    struct rng r;
    rng_seed(&r, (uint64_t)_i);
    uint64_t sum_u = 0, sum_e = 0, n = 20000;
    for (uint64_t i = 0; i < n; i++) {
        time_us u = network_draw_latency_us(&r, 100, LATENCY_UNIFORM);
        time_us e = network_draw_latency_us(&r, 100, LATENCY_EXPONENTIAL);
        ck_assert_uint_eq(u % US_PER_MS, 0);
        ck_assert_uint_eq(e % US_PER_MS, 0);
        ck_assert_uint_lt(u, MS(200));
        sum_u += u;
        sum_e += e;
    }
    ck_assert_double_eq_tol((double)sum_u / (double)n / US_PER_MS, 99.5, 2.0);
    ck_assert_double_eq_tol((double)sum_e / (double)n / US_PER_MS, 99.5, 3.0);
    ck_assert_uint_eq(network_draw_latency_us(&r, 0, LATENCY_EXPONENTIAL), 0);
    ck_assert_uint_eq(network_draw_latency_us(&r, 7, LATENCY_CONSTANT), MS(7));

    struct owner o;
    owner_init(&o, 100, LATENCY_EXPONENTIAL);
    struct rng replay = o.rng;
    send(&o, C0, N0, 1, 0);
    send(&o, N0, C0, 2, 0);
    ck_assert_int_eq(memcmp(&replay, &o.rng, sizeof(replay)), 0);
    send(&o, N0, N0, 3, 0); /* a node to itself draws too */
    send(&o, N0, N1, 4, 0);
    network_draw_latency_us(&replay, 100, LATENCY_EXPONENTIAL);
    network_draw_latency_us(&replay, 100, LATENCY_EXPONENTIAL);
    ck_assert_int_eq(memcmp(&replay, &o.rng, sizeof(replay)), 0);
    owner_release(&o);
}
END_TEST

START_TEST(latency_dist_names)
{
    /* One table: every name parses back to its distribution; anything else is refused. */
    const enum latency_dist all[] = { LATENCY_CONSTANT, LATENCY_UNIFORM, LATENCY_EXPONENTIAL };
    const char *names[] = { "constant", "uniform", "exponential" };
    for (size_t i = 0; i < 3; i++) {
        enum latency_dist d;
        ck_assert_str_eq(latency_dist_name(all[i]), names[i]);
        ck_assert_int_eq(latency_dist_parse(names[i], &d), 0);
        ck_assert_int_eq(d, all[i]);
    }
    enum latency_dist d = LATENCY_UNIFORM;
    ck_assert_int_eq(latency_dist_parse("normal", &d), -1);
    ck_assert_int_eq(latency_dist_parse("", &d), -1);
    ck_assert_int_eq(latency_dist_parse("Constant", &d), -1);
    ck_assert_int_eq(d, LATENCY_UNIFORM);
}
END_TEST

/*
 * Thousands of messages in flight at once, in order (the ring) and out of order (the pooled
 * heap, several slabs of it), packed (the owner names the endpoints) or whole: every one is
 * delivered once, in (deadline, id) order, with its ids and values back.
 */
struct bulk {
    struct heap wakes;
    const char *names[N_EP];
    size_t got;
    time_us last_at;
    uint64_t last_id;
    bool packed_ids; /* deliveries carry the owner's names */
};

static const char *bulk_name(void *ctx, uint32_t endpoint)
{
    return ((struct bulk *)ctx)->names[endpoint];
}

static void bulk_wake(void *ctx, uint32_t endpoint, time_us at_us)
{
    ck_assert_int_eq(heap_push(&((struct bulk *)ctx)->wakes, at_us, NULL, endpoint), 0);
}

static bool bulk_deliver(void *ctx, uint32_t endpoint, struct wmsg *m, time_us now_us)
{
    struct bulk *b = ctx;
    ck_assert_uint_eq(m->dest, endpoint);
    /* Head-of-line blocking aside, one sender's messages leave in (deadline, id) order. */
    ck_assert(m->deadline_us > b->last_at || (m->deadline_us == b->last_at && m->id > b->last_id) ||
              b->got == 0);
    ck_assert_uint_ge(now_us, m->deadline_us);
    b->last_at = m->deadline_us;
    b->last_id = m->id;
    ck_assert_int_eq(m->m.type, MSG_INTERNAL);
    ck_assert_uint_eq(m->m.values.n, 2);
    ck_assert_int_eq(m->m.values.v[0], (int64_t)m->id);
    ck_assert_int_eq(m->m.values.v[1], -(int64_t)m->id);
    if (b->packed_ids) {
        ck_assert_str_eq(m->m.src, "n0");
        ck_assert_str_eq(m->m.dest, "n1");
    }
    b->got++;
    return true;
}

START_TEST(many_messages_in_flight)
{
    struct bulk b = { .names = { "n0", "n1", "n2", "c0" }, .packed_ids = _i & 1 };
    heap_init(&b.wakes);
    struct rng r;
    rng_seed(&r, 9);
    struct network_opts no = {
        .n_nodes = 3,
        .latency_ms = 100,
        .latency_dist = _i < 2 ? LATENCY_UNIFORM : LATENCY_CONSTANT,
        .rng = &r,
    };
    struct network_cbs cb = { .ctx = &b,
                              .name = b.packed_ids ? bulk_name : NULL,
                              .wake = bulk_wake,
                              .deliver = bulk_deliver };
    struct network *net = network_new(&no, &cb);
    for (uint32_t i = 0; i < N_EP; i++)
        ck_assert_int_eq(network_add_endpoint(net, i == C0), (int32_t)i);
    enum { N = 5000 };
    for (int64_t k = 0; k < N; k++) {
        struct msg m;
        msg_init(&m);
        msg_address(&m, "n0", "n1", MSG_INTERNAL);
        ck_assert_int_eq(msg_values_push(&m.values, k), 0);
        ck_assert_int_eq(msg_values_push(&m.values, -k), 0);
        ck_assert_int_eq(network_send(net, N0, N1, &m, NULL, (time_us)k * 10), 0);
        ck_assert_ptr_null(m.values.v); /* moved into the network */
    }
    struct heap_entry he;
    while (heap_pop(&b.wakes, &he) == 0)
        network_on_wake(net, (uint32_t)he.tag, he.at_us);
    ck_assert_uint_eq(b.got, N);
    ck_assert_uint_eq(network_counts(net)->servers.recv_count, N);
    network_free(net);
    heap_release(&b.wakes);
}
END_TEST

static Suite *network_suite(void)
{
    Suite *s = suite_create("network");
    TCase *tc = tcase_create("delivery");
    tcase_add_test(tc, constant_latency_delivery_times);
    tcase_add_test(tc, latency_dist_names);
    tcase_add_test(tc, head_of_line_blocking);
    tcase_add_test(tc, taken_message_blocks_an_earlier_one);
    tcase_add_test(tc, late_wake_delivers_at_wake_time);
    tcase_add_test(tc, delivery_time_truncates_the_sleep);
    tcase_add_test(tc, delivery_thread_timing);
    tcase_add_test(tc, counters_by_group);
    tcase_add_test(tc, drain_journals_what_is_left);
    tcase_add_test(tc, ended_run_takes_nothing_more);
    tcase_add_test(tc, raw_bodies_travel_with_their_messages);
    tcase_add_loop_test(tc, latency_draws, 0, 3);
    tcase_add_loop_test(tc, many_messages_in_flight, 0, 4);
    suite_add_tcase(s, tc);
    TCase *tp = tcase_create("partitions");
    tcase_add_test(tp, partition_drops_at_dequeue);
    tcase_add_test(tp, partition_spares_the_message_in_flight);
    suite_add_tcase(s, tp);
    return s;
}

int main(void)
{
    return check_run(network_suite());
}
