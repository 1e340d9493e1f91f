/*
 * check_world_timing: proves the timing Maelstrom's setup and delivery threads give a test
 * (spec §2.3 step 1, §3.2, §3.4), in virtual time with our node cores: each node's init goes out
 * at its own seeded offset U[0, spread), clients named in the order they send, and relative time
 * begins at the last init_ok; the virtual driver starts each node when its init goes out, so
 * [batch] phase = start puts every flush on that grid and phase = init on the init's arrival;
 * and the race that decides a whole batch period at T = 2 x latency: a client broadcast queued
 * behind an ack makes the sender's next tick when delivery is truncated to whole ms, and misses
 * it by exactly one period when every message arrives on its deadline.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "check_run.h"
#include "drv_virt.h"
#include "history.h"
#include "world.h"

#define MAX_N   25
#define MAX_VAL 4096

/* What the journal saw, per node (endpoint indices < n are the nodes). */
struct seen {
    uint32_t n;
    time_us init_sent[MAX_N], init_recv[MAX_N];
    char init_src[MAX_N][GL_ID_MAX];
    time_us last_init_ok_recv, last_topology_ok_recv;
    time_us topology_sent_min, topology_sent_max;
    /* Batch flushes: (node, send time) of every broadcast_internal. */
    uint32_t flush_node[MAX_VAL];
    time_us flush_at[MAX_VAL];
    size_t n_flush;
    /* Per value: its client broadcast's arrival at its origin, and whether that arrival was
     * queued behind an ack (delivered at once after a broadcast_internal_ok, same time). */
    time_us bcast_recv[MAX_VAL], first_sent[MAX_VAL];
    uint32_t origin[MAX_VAL];
    bool behind_ack[MAX_VAL], have_bcast[MAX_VAL];
    /* Per node: the type and time of the last message delivered to it. */
    enum msg_type last_type[MAX_N];
    time_us last_recv[MAX_N];
};

static struct seen seen;

static void journal(void *ctx, const struct wmsg *m, bool delivered, time_us recv_us)
{
    struct seen *s = ctx;
    const struct msg *b = &m->m;
    if (b->type == MSG_INIT) {
        s->init_sent[m->dest] = m->sent_us;
        s->init_recv[m->dest] = recv_us;
        snprintf(s->init_src[m->dest], GL_ID_MAX, "%s", b->src);
    } else if (b->type == MSG_INIT_OK && recv_us > s->last_init_ok_recv) {
        s->last_init_ok_recv = recv_us;
    } else if (b->type == MSG_TOPOLOGY) {
        if (m->sent_us < s->topology_sent_min) s->topology_sent_min = m->sent_us;
        if (m->sent_us > s->topology_sent_max) s->topology_sent_max = m->sent_us;
    } else if (b->type == MSG_TOPOLOGY_OK && recv_us > s->last_topology_ok_recv) {
        s->last_topology_ok_recv = recv_us;
    } else if (b->type == MSG_INTERNAL && s->n_flush < MAX_VAL) {
        s->flush_node[s->n_flush] = m->src;
        s->flush_at[s->n_flush++] = m->sent_us;
        for (size_t k = 0; k < b->values.n; k++) {
            int64_t v = b->values.v[k];
            if (v >= 0 && v < MAX_VAL && m->src == s->origin[v] && s->have_bcast[v] &&
                s->first_sent[v] == TIME_NEVER)
                s->first_sent[v] = m->sent_us;
        }
    } else if (b->type == MSG_BROADCAST && delivered && b->message >= 0 && b->message < MAX_VAL) {
        int64_t v = b->message;
        s->have_bcast[v] = true;
        s->origin[v] = m->dest;
        s->bcast_recv[v] = recv_us;
        s->behind_ack[v] =
            s->last_type[m->dest] == MSG_INTERNAL_OK && s->last_recv[m->dest] == recv_us;
    }
    if (delivered && m->dest < s->n) {
        s->last_type[m->dest] = b->type;
        s->last_recv[m->dest] = recv_us;
    }
}

static struct world *run(struct world_opts *o, const char *ini)
{
    memset(&seen, 0, sizeof(seen));
    seen.n = o->node_count;
    seen.topology_sent_min = TIME_NEVER;
    for (size_t v = 0; v < MAX_VAL; v++)
        seen.first_sent[v] = TIME_NEVER;
    o->journal = journal;
    o->journal_ctx = &seen;
    struct cfg c;
    char err[512] = "";
    cfg_defaults(&c);
    ck_assert_msg(cfg_parse_string(&c, ini, "test.ini", err, sizeof(err)) == 0, "%s", err);
    struct world *w = drv_virt_run(o, &c, NULL, 0, err, sizeof(err));
    ck_assert_msg(w != NULL, "%s", err);
    ck_assert_int_eq(world_abort_reason(w, NULL), WORLD_OK);
    return w;
}

static struct world_opts opts(uint32_t nodes, uint64_t time_limit_s, double rate)
{
    struct world_opts o;
    world_opts_defaults(&o);
    o.node_count = nodes;
    o.default_names = false;
    o.time_limit_s = time_limit_s;
    o.rate = rate;
    o.latency_ms = 100;
    o.recovery_us = US_PER_SEC;
    return o;
}

START_TEST(init_offsets_per_node)
{
    struct world_opts o = opts(25, 1, 10);
    o.seed = (uint64_t)_i;
    ck_assert_uint_eq(o.init_spread_us, 10000); /* the documented default */
    struct world *w = run(&o, "[topology]\nstrategy = tree\n");
    time_us off[MAX_N], lo = TIME_NEVER, hi = 0;
    for (uint32_t i = 0; i < 25; i++) {
        off[i] = world_node_init_offset_us(w, i);
        /* Sent at the node's own offset, received after an idle thread's wake-up. */
        ck_assert_uint_eq(seen.init_sent[i], off[i]);
        ck_assert_uint_eq(seen.init_recv[i], off[i] + o.net_timing.wake_us);
        ck_assert_uint_lt(off[i], 10000);
        if (off[i] < lo) lo = off[i];
        if (off[i] > hi) hi = off[i];
    }
    ck_assert_uint_gt(hi - lo, 5000); /* 25 draws of U[0, 10 ms): spread out */
    /* Clients are named in the order their threads send: c0 first, c24 last. */
    for (uint32_t i = 0; i < 25; i++) {
        unsigned rank = 0;
        for (uint32_t j = 0; j < 25; j++)
            rank += off[j] < off[i] ||
                    (off[j] == off[i] && strcmp(seen.init_src[j], seen.init_src[i]) < 0);
        char want[GL_ID_MAX];
        snprintf(want, sizeof(want), "c%u", rank);
        ck_assert_str_eq(seen.init_src[i], want);
    }
    /* Relative time begins at the last init_ok: topology goes out then, and the first op's
     * relative time is the topology phase's length. */
    ck_assert_uint_eq(seen.topology_sent_min, seen.last_init_ok_recv);
    ck_assert_uint_eq(seen.topology_sent_max, seen.last_init_ok_recv);
    const struct history *h = world_history(w);
    ck_assert_uint_gt(history_len(h), 0);
    ck_assert_int_eq(history_op(h, 0)->time_ns,
                     (int64_t)(seen.last_topology_ok_recv - seen.last_init_ok_recv) * 1000);
    /* The same seed draws the same offsets; another seed others. */
    struct world *again = run(&o, "[topology]\nstrategy = tree\n");
    o.seed += 100;
    struct world *other = run(&o, "[topology]\nstrategy = tree\n");
    bool differ = false;
    for (uint32_t i = 0; i < 25; i++) {
        ck_assert_uint_eq(world_node_init_offset_us(again, i), off[i]);
        differ |= world_node_init_offset_us(other, i) != off[i];
    }
    ck_assert(differ);
    world_free(w);
    world_free(again);
    world_free(other);
}
END_TEST

START_TEST(no_spread_sends_every_init_at_once)
{
    struct world_opts o = opts(5, 1, 10);
    o.init_spread_us = 0;
    struct world *w = run(&o, "[topology]\nstrategy = tree\n");
    for (uint32_t i = 0; i < 5; i++) {
        ck_assert_uint_eq(world_node_init_offset_us(w, i), 0);
        ck_assert_uint_eq(seen.init_sent[i], 0);
    }
    world_free(w);
    /* Out of range: refused with a message. */
    o.init_spread_us = WORLD_INIT_SPREAD_US_MAX + 1;
    char err[256] = "";
    struct cfg c;
    cfg_defaults(&c);
    ck_assert_ptr_null(drv_virt_run(&o, &c, NULL, 0, err, sizeof(err)));
    ck_assert_str_eq(err, "init spread 1000001 us out of range 0..1000000");
}
END_TEST

/* Every flush of every node lies on its grid: origin + k * 100 ms. */
static void assert_flush_grid(const time_us *origin)
{
    ck_assert_uint_gt(seen.n_flush, 50);
    for (size_t k = 0; k < seen.n_flush; k++) {
        time_us o = origin[seen.flush_node[k]];
        ck_assert_uint_ge(seen.flush_at[k], o);
        ck_assert_msg((seen.flush_at[k] - o) % (100 * US_PER_MS) == 0,
                      "node %u flushed at %llu us, origin %llu us", seen.flush_node[k],
                      (unsigned long long)seen.flush_at[k], (unsigned long long)o);
    }
}

START_TEST(batch_phase_start_and_init)
{
    /* Without acks, flushes are the only broadcast_internal messages. */
    struct world_opts o = opts(9, 3, 20);
    o.seed = 5;
    struct world *w = run(&o, "[topology]\nstrategy = tree\n[batch]\ntimeout_ms = 100\n"
                              "phase = start\n[delivery]\nmode = fire-and-forget\n");
    time_us origin[MAX_N];
    for (uint32_t i = 0; i < 9; i++) /* the process started when its init went out */
        origin[i] = world_node_init_offset_us(w, i);
    assert_flush_grid(origin);
    world_free(w);
    w = run(&o, "[topology]\nstrategy = tree\n[batch]\ntimeout_ms = 100\nphase = init\n"
                "[delivery]\nmode = fire-and-forget\n");
    assert_flush_grid(seen.init_recv); /* init arrived a wake-up after it went out */
    world_free(w);
}
END_TEST

/*
 * T = 2 x latency with acks, two nodes that each send their clients' values to the other: a node
 * flushes at g, the ack comes back after two hops, and a client broadcast that arrives meanwhile
 * waits behind the ack (head-of-line blocking). Returns how many values did, and their largest
 * and smallest wait from arrival to the flush that carried them.
 */
static size_t behind_ack_waits(struct world_opts *o, time_us *min_wait, time_us *max_wait)
{
    struct world *w = run(o, "[topology]\nstrategy = flat\n[batch]\ntimeout_ms = 200\n"
                             "[delivery]\nmode = acks\n");
    size_t n = 0;
    *min_wait = TIME_NEVER;
    *max_wait = 0;
    for (size_t v = 0; v < MAX_VAL; v++) {
        if (!seen.have_bcast[v] || !seen.behind_ack[v]) continue;
        ck_assert_uint_ne(seen.first_sent[v], TIME_NEVER);
        time_us wait = seen.first_sent[v] - seen.bcast_recv[v];
        if (wait < *min_wait) *min_wait = wait;
        if (wait > *max_wait) *max_wait = wait;
        n++;
    }
    world_free(w);
    return n;
}

START_TEST(ack_tick_race_at_twice_the_latency)
{
    struct world_opts o = opts(2, 10, 20);
    o.seed = (uint64_t)_i;
    time_us lo, hi;
    /* Maelstrom's thread: the ack arrives up to 2 x 0.75 ms early, so the value makes the tick
     * (by 1.5 ms, or less when the ack's way was held up behind other messages). */
    size_t n = behind_ack_waits(&o, &lo, &hi);
    ck_assert_uint_ge(n, 5);
    ck_assert_uint_le(hi, 2 * US_PER_MS);
    /* Every message on its deadline: the ack arrives on the tick, the value misses it. */
    o.net_timing = (struct network_timing){ 0 };
    n = behind_ack_waits(&o, &lo, &hi);
    ck_assert_uint_ge(n, 5);
    ck_assert_uint_eq(lo, 200 * US_PER_MS);
    ck_assert_uint_eq(hi, 200 * US_PER_MS);
}
END_TEST

static Suite *world_timing_suite(void)
{
    Suite *s = suite_create("world_timing");
    TCase *tc = tcase_create("timing");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, init_offsets_per_node, 0, 3);
    tcase_add_test(tc, no_spread_sends_every_init_at_once);
    tcase_add_test(tc, batch_phase_start_and_init);
    tcase_add_loop_test(tc, ack_tick_race_at_twice_the_latency, 0, 3);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(world_timing_suite());
}
