/*
 * check_node_modes: proves the node core (over node_cluster's instant, FIFO pump) in the design
 * space's new modes: hubs and kary reach every node from every origin at their message counts;
 * the pipelined star flushes leaves on the clock's grid and the hub one offset later, so a value
 * crosses both hops within one period; cumulative delivery costs no acks while messages flow,
 * acknowledges alone after ack_delay, and re-sends what a partition dropped until it arrives;
 * anti-entropy repairs a fire-and-forget loss; phase = start anchors on the process start; the
 * size trigger flushes early; and the maelstrom strategy gets its sync peers with its map.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "check_run.h"
#include "core.h"
#include "msg.h"
#include "node_cluster.h"
#include "topo.h"

#define MS US_PER_MS

/* Whether every node holds exactly the values 1..count. */
static void everyone_has(const struct cluster *cl, int64_t count)
{
    for (uint32_t k = 0; k < cl->n; k++) {
        size_t nv = node_value_count(cl->node[k]);
        ck_assert_msg(nv == (size_t)count, "n%u holds %zu values, expected %lld", k, nv,
                      (long long)count);
        int64_t *v = malloc((nv ? nv : 1) * sizeof *v);
        ck_assert_ptr_nonnull(v);
        node_values_copy(cl->node[k], v);
        for (size_t j = 0; j < nv; j++)
            ck_assert(v[j] >= 1 && v[j] <= count);
        free(v);
    }
}

static const struct msg *nth_of(const struct cluster *cl, size_t from, enum msg_type t,
                                const char *src, size_t nth, time_us *at)
{
    for (size_t k = from; k < cl->n_log; k++) {
        const struct msg *m = &cl->log[k].m;
        if (m->type != t || (src && strcmp(m->src, src) != 0)) continue;
        if (nth-- == 0) {
            if (at) *at = cl->log[k].at;
            return m;
        }
    }
    return NULL;
}

/* hubs (5 of 25) and kary (2): one broadcast from every origin, immediate, fire-and-forget. */
START_TEST(hubs_and_kary_fanout)
{
    const struct {
        enum topo_kind kind;
        uint32_t k;
    } cases[] = { { TOPO_HUBS, 5 }, { TOPO_HUBS, 1 }, { TOPO_KARY, 2 }, { TOPO_KARY, 4 } };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct cfg cfg = make_cfg(cases[c].kind, 0, DELIVERY_FIRE_AND_FORGET);
        cfg.topo_k = cases[c].k;
        for (uint32_t origin = 0; origin < 25; origin++) {
            struct cluster cl;
            cluster_new(&cl, 25, &cfg);
            size_t mark = cl.n_log;
            client_broadcast(&cl, origin, 1);
            unsigned sent = count_from(&cl, mark, MSG_INTERNAL);
            everyone_has(&cl, 1);
            /* hubs: every node but the origin gets it once (the clique is crossed once);
             * kary: N - 1, or N when the origin is below the root's children (the root sends
             * back down its branch). */
            if (cases[c].kind == TOPO_HUBS)
                ck_assert_uint_eq(sent, 24);
            else
                ck_assert_uint_eq(sent, origin <= cases[c].k ? 24 : 25);
            cluster_free(&cl);
        }
    }
}
END_TEST

/*
 * The pipelined star: 25 nodes, P = 440 ms, the hub's down flush 105 ms after the leaves' up
 * flush, on the clock's grid (not init's: the nodes are initialised at 7 ms). A value broadcast
 * at a leaf at 50 ms leaves at 440, reaches the hub at once (instant pump) and leaves it at
 * 545 = 440 + 105, not at 880.
 */
START_TEST(pipelined_star_on_the_clock)
{
    struct cfg cfg = make_cfg(TOPO_STAR, 440 * MS, DELIVERY_FIRE_AND_FORGET);
    cfg.batch_offset_us[BATCH_DOWN] = 105 * MS;
    cfg.batch_phase = BATCH_PHASE_CLOCK;
    struct cluster cl;
    cl.now = 0;
    cluster_new(&cl, 25, &cfg);
    run_until(&cl, 7 * MS);
    size_t mark = cl.n_log;
    cl.now = 50 * MS;
    client_broadcast(&cl, 3, 1);
    cl.now = 60 * MS;
    client_broadcast(&cl, 12, 2); /* at the hub: leaves with its down flush at 105 */
    run_until(&cl, 2 * US_PER_SEC);
    time_us at;
    const struct msg *m = nth_of(&cl, mark, MSG_INTERNAL, "n3", 0, &at);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(at, 440 * MS);
    m = nth_of(&cl, mark, MSG_INTERNAL, "n12", 0, &at);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(at, 105 * MS);
    ck_assert_uint_eq(m->values.n, 1);
    ck_assert_int_eq(m->values.v[0], 2);
    m = nth_of(&cl, mark, MSG_INTERNAL, "n12", 24, &at); /* the second flush */
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(at, 545 * MS);
    ck_assert_int_eq(m->values.v[0], 1);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 1 + 24 + 23);
    everyone_has(&cl, 2);
    cluster_free(&cl);
}
END_TEST

/* phase = start: the grid is anchored on the process start the driver gives, not on init. */
START_TEST(phase_start_anchors_on_process_start)
{
    struct cfg cfg = make_cfg(TOPO_FLAT, 100 * MS, DELIVERY_FIRE_AND_FORGET);
    cfg.batch_phase = BATCH_PHASE_START;
    char err[256];
    struct node *n = node_new(&cfg, NULL, err, sizeof err);
    node_set_start_us(n, 30 * MS);
    struct outbox out;
    outbox_init(&out);
    const char ids[2][GL_ID_MAX] = { "n0", "n1" };
    struct msg m = request("c0", "n0", MSG_INIT, 1);
    snprintf(m.node_id, sizeof m.node_id, "n0");
    msg_set_node_ids(&m, ids, 2);
    ck_assert_int_eq(node_on_message(n, 55 * MS, &m, &out, err, sizeof err), 0);
    msg_release(&m);
    m = request("c1", "n0", MSG_BROADCAST, 2);
    m.message = 4;
    ck_assert_int_eq(node_on_message(n, 60 * MS, &m, &out, err, sizeof err), 0);
    ck_assert_uint_eq(node_next_deadline_us(n), 130 * MS); /* 30 + 100, not 55 + 100 */
    msg_release(&m);
    outbox_release(&out);
    node_free(n);
}
END_TEST

/* The size trigger: a peer's list leaves as soon as it holds max_values values. */
START_TEST(size_trigger_flushes_early)
{
    struct cfg cfg = make_cfg(TOPO_FLAT, 1000 * MS, DELIVERY_FIRE_AND_FORGET);
    cfg.batch_max_values = 3;
    struct cluster cl;
    cluster_new(&cl, 2, &cfg);
    size_t mark = cl.n_log;
    client_broadcast(&cl, 0, 1);
    client_broadcast(&cl, 0, 2);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 0);
    cl.now = 10 * MS;
    client_broadcast(&cl, 0, 3);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 1);
    ck_assert_uint_eq(last(&cl)->type, MSG_BROADCAST_OK);
    ck_assert_uint_eq(node_next_deadline_us(cl.node[0]), TIME_NEVER); /* nothing left */
    everyone_has(&cl, 3);
    cluster_free(&cl);
}
END_TEST

/*
 * Cumulative, star, no batching: while values flow both ways the acks ride on them (no
 * broadcast_internal_ok at all); what is owed at the end goes alone after ack_delay, once per
 * link; then every node is idle.
 */
START_TEST(cumulative_acks_ride_then_go_alone)
{
    struct cfg cfg = make_cfg(TOPO_STAR, 0, DELIVERY_CUMULATIVE);
    cfg.ack_delay_us = 200 * MS;
    cfg.retry_us = 1000 * MS;
    struct cluster cl;
    cluster_new(&cl, 5, &cfg); /* hub n2 */
    size_t mark = cl.n_log;
    for (int64_t v = 1; v <= 8; v++) {
        run_until(&cl, (time_us)v * 10 * MS);
        client_broadcast(&cl, (uint32_t)(v % 5), v);
    }
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL_OK), 0);
    everyone_has(&cl, 8);
    size_t data = count_from(&cl, mark, MSG_INTERNAL);
    run_until(&cl, 10 * US_PER_SEC);
    unsigned alone = count_from(&cl, mark, MSG_INTERNAL) - (unsigned)data;
    /* The last value (8, from n3) went n3 -> n2 -> n0, n1, n4, each message carrying the ack for
     * the one before: what is left owed is n2's ack to n3 and n0's, n1's, n4's to n2. */
    ck_assert_uint_eq(alone, 4);
    uint64_t retries = 0, acks = 0;
    for (uint32_t k = 0; k < 5; k++) {
        ck_assert_uint_eq(node_next_deadline_us(cl.node[k]), TIME_NEVER);
        retries += node_get_stats(cl.node[k])->retries;
        acks += node_get_stats(cl.node[k])->acks_sent;
    }
    ck_assert_uint_eq(retries, 0);
    ck_assert_uint_eq(acks, 4);
    /* every data message carried its sequence numbers */
    const struct msg *m = nth_of(&cl, mark, MSG_INTERNAL, "n0", 0, NULL);
    ck_assert_ptr_nonnull(m);
    ck_assert(m && m->has_seq && m->seq == 1 && m->has_base && !m->has_msg_id);
    cluster_free(&cl);
}
END_TEST

/* Cumulative under loss: the first k messages to n3 are lost; retries deliver everything. */
START_TEST(cumulative_resends_what_was_lost)
{
    unsigned k = (unsigned)_i;
    struct cfg cfg = make_cfg(TOPO_STAR, 100 * MS, DELIVERY_CUMULATIVE);
    cfg.ack_delay_us = 200 * MS;
    cfg.retry_us = 500 * MS;
    struct cluster cl;
    cluster_new(&cl, 5, &cfg);
    cl.drop_internal = k;
    cl.drop_dest = "n3";
    for (int64_t v = 1; v <= 6; v++) {
        run_until(&cl, (time_us)v * 70 * MS);
        client_broadcast(&cl, (uint32_t)(v % 5), v);
    }
    run_until(&cl, 30 * US_PER_SEC);
    everyone_has(&cl, 6);
    uint64_t retries = 0;
    for (uint32_t j = 0; j < 5; j++) {
        ck_assert_uint_eq(node_next_deadline_us(cl.node[j]), TIME_NEVER);
        retries += node_get_stats(cl.node[j])->retries;
    }
    ck_assert_uint_eq(retries > 0, k > 0);
    cluster_free(&cl);
}
END_TEST

/*
 * Anti-entropy with fire-and-forget, flat: n1 misses a value; the next digest exchange repairs
 * it with a message marked "repair", and the cluster converges; without sync it would not.
 */
START_TEST(sync_repairs_a_loss)
{
    for (int with_sync = 0; with_sync <= 1; with_sync++) {
        struct cfg cfg = make_cfg(TOPO_FLAT, 0, DELIVERY_FIRE_AND_FORGET);
        cfg.sync_us = with_sync ? 1000 * MS : 0;
        cfg.sync_age_us = 300 * MS;
        struct cluster cl;
        cluster_new(&cl, 4, &cfg);
        cl.drop_internal = 1;
        cl.drop_dest = "n1";
        size_t mark = cl.n_log;
        cl.now = 10 * MS;
        client_broadcast(&cl, 0, 1);
        cl.now = 20 * MS;
        client_broadcast(&cl, 2, 2);
        run_until(&cl, 10 * US_PER_SEC);
        size_t nv = node_value_count(cl.node[1]);
        if (!with_sync) {
            ck_assert_uint_eq(nv, 1); /* fire-and-forget: the loss is final */
        } else {
            everyone_has(&cl, 2);
            bool repaired = false;
            for (size_t j = mark; j < cl.n_log; j++) {
                const struct msg *m = &cl.log[j].m;
                if (m->type == MSG_INTERNAL && m->repair && strcmp(m->dest, "n1") == 0 &&
                    m->values.n == 1 && m->values.v[0] == 1)
                    repaired = true;
                ck_assert(!(m->repair && m->has_have)); /* a repair never carries a digest */
            }
            ck_assert(repaired);
            uint64_t repairs = 0;
            for (uint32_t j = 0; j < 4; j++)
                repairs += node_get_stats(cl.node[j])->repairs_sent;
            ck_assert_uint_ge(repairs, 1);
            ck_assert_uint_ne(node_next_deadline_us(cl.node[0]), TIME_NEVER); /* rounds go on */
        }
        cluster_free(&cl);
    }
}
END_TEST

/* The maelstrom strategy has no links (and no sync peers) until its map arrives. */
START_TEST(maelstrom_sync_peers_follow_the_map)
{
    struct cfg cfg = make_cfg(TOPO_GRID, 0, DELIVERY_FIRE_AND_FORGET);
    cfg.strategy = CFG_STRATEGY_MAELSTROM;
    cfg.sync_us = 500 * MS;
    struct cluster cl;
    cluster_new(&cl, 3, &cfg);
    size_t mark = cl.n_log;
    run_until(&cl, 2 * US_PER_SEC);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 0); /* nobody to sync with */
    for (uint32_t k = 0; k < 3; k++) {
        char dest[GL_ID_MAX];
        snprintf(dest, sizeof dest, "n%u", k);
        struct msg m = request("c9", dest, MSG_TOPOLOGY, 1);
        char err[256];
        m.topology = malloc(sizeof *m.topology);
        ck_assert_int_eq(topo_build(m.topology, TOPO_LINE, 3, NULL, -1, err, sizeof err), 0);
        inject(&cl, k, &m);
    }
    mark = cl.n_log;
    run_until(&cl, 4 * US_PER_SEC);
    const struct msg *d = nth_of(&cl, mark, MSG_INTERNAL, "n1", 0, NULL);
    ck_assert_ptr_nonnull(d); /* stand-alone digests along the line */
    ck_assert(d->has_have);
    cluster_free(&cl);
}
END_TEST

static Suite *modes_suite(void)
{
    Suite *s = suite_create("node_modes");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, hubs_and_kary_fanout);
    tcase_add_test(tc, pipelined_star_on_the_clock);
    tcase_add_test(tc, phase_start_anchors_on_process_start);
    tcase_add_test(tc, size_trigger_flushes_early);
    tcase_add_test(tc, cumulative_acks_ride_then_go_alone);
    tcase_add_loop_test(tc, cumulative_resends_what_was_lost, 0, 5);
    tcase_add_test(tc, sync_repairs_a_loss);
    tcase_add_test(tc, maelstrom_sync_peers_follow_the_map);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(modes_suite());
}
