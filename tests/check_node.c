/*
 * check_node: proves the broadcast node core behaves as core.h promises, by running N real node
 * cores in one process on a fake clock with a tiny message pump (instant, FIFO delivery): the
 * exact number of internal messages one client broadcast causes under every strategy and from
 * every origin of a 25-node cluster, batching that flushes only on ticks of a grid anchored at
 * init or at process start ([batch] phase), retries until acknowledged, duplicates ignored,
 * reads in first-seen order and the exact replies to init, topology, unknown types and bad
 * requests.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "check_run.h"
#include "core.h"
#include "core_int.h" /* canonical_ids looks at how the cluster is kept */
#include "msg.h"
#include "node_cluster.h"
#include "topo.h"

/*
 * Expected broadcast_internal count for one client broadcast at origin in 25 nodes (5x5 grid
 * layout, node k at row k/5, column k%5), every message delivered:
 *  - grid (flood): the origin sends to its deg(origin) neighbours and every other node, on
 *    first sight, to its neighbours but the sender: deg(o) + sum over v != o of (deg(v) - 1)
 *    = 2 * 40 edges - 24 = 56, whatever the origin and whatever the delivery order.
 *  - tree (centred, rooted at n12, children n7 n17 n11 n13): every one of the 24 tree edges
 *    carries the value once, as long as the origin is the root (24) or a child of the root: it
 *    sends to its children and the root, and the root skips that child (24 - 1 + 1 = 24). A
 *    deeper node also sends to the root, which sends down the whole tree including the branch
 *    back to the origin: 24 + 1 = 25, the origin getting its own value back once.
 *  - star (hub n12): from the hub 24; from a leaf 1 to the hub + 23 onwards = 24.
 *  - flat: the origin sends to the 24 others, who send nothing.
 * With acks every broadcast_internal is answered by exactly one broadcast_internal_ok; with
 * fire-and-forget by none.
 */
static unsigned expected_internal(enum topo_kind kind, uint32_t origin)
{
    switch (kind) {
    case TOPO_GRID:
        return 56;
    case TOPO_TREE:
        return origin == 12 || origin == 7 || origin == 17 || origin == 11 || origin == 13 ? 24
                                                                                           : 25;
    case TOPO_STAR:
    case TOPO_FLAT:
        return 24;
    case TOPO_LINE:
    case TOPO_TREE2:
    case TOPO_TREE3:
    case TOPO_TREE4:
    case TOPO_TOTAL:
    case TOPO_HUBS:
    case TOPO_KARY:
    case TOPO_CUSTOM:
        break;
    }
    ck_abort_msg("no expectation for this kind");
    return 0;
}

/* Every count, with the peers' messages handed over by name and by index (node_on_message_at). */

/* The k-th value n knows (node_values_copy of them all). */
static int64_t nth_value(const struct node *n, size_t k)
{
    size_t nv = node_value_count(n);
    ck_assert_uint_lt(k, nv);
    int64_t *v = malloc(nv * sizeof *v);
    ck_assert_ptr_nonnull(v);
    node_values_copy(n, v);
    int64_t x = v[k];
    free(v);
    return x;
}

START_TEST(fanout_counts_every_strategy_and_origin)
{
    const enum topo_kind kinds[] = { TOPO_GRID, TOPO_TREE, TOPO_STAR, TOPO_FLAT };
    const enum delivery_mode modes[] = { DELIVERY_ACKS, DELIVERY_FIRE_AND_FORGET };
    uint32_t origin = (uint32_t)_i % 25;
    for (size_t ki = 0; ki < sizeof kinds / sizeof kinds[0]; ki++) {
        for (size_t mi = 0; mi < 2; mi++) {
            struct cfg cfg = make_cfg(kinds[ki], 0, modes[mi]);
            struct cluster cl;
            cluster_new(&cl, 25, &cfg);
            cl.by_index = _i >= 25;
            size_t mark = cl.n_log;
            client_broadcast(&cl, origin, 1000);
            unsigned want = expected_internal(kinds[ki], origin);
            ck_assert_msg(count_from(&cl, mark, MSG_INTERNAL) == want,
                          "%s from n%u: %u broadcast_internal, expected %u",
                          topo_kind_name(kinds[ki]), origin, count_from(&cl, mark, MSG_INTERNAL),
                          want);
            ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL_OK),
                              modes[mi] == DELIVERY_ACKS ? want : 0);
            ck_assert_uint_eq(count_from(&cl, mark, MSG_BROADCAST_OK), 1);
            uint64_t dups = 0;
            for (uint32_t k = 0; k < 25; k++) {
                size_t nv = node_value_count(cl.node[k]);
                ck_assert_uint_eq(nv, 1);
                ck_assert_int_eq(nth_value(cl.node[k], 0), 1000);
                /* Acknowledged everything, so nothing is left to retry. */
                ck_assert_uint_eq(node_next_deadline_us(cl.node[k]), TIME_NEVER);
                dups += node_get_stats(cl.node[k])->duplicates;
            }
            ck_assert_uint_eq(dups, want - 24); /* every message beyond the 24 needed */
            cluster_free(&cl);
        }
    }
}
END_TEST

/* Maelstrom's own grid sent by the controller gives the same 56 as the built-in grid. */
START_TEST(maelstrom_strategy_uses_received_topology)
{
    struct cfg cfg = make_cfg(TOPO_GRID, 0, DELIVERY_ACKS);
    cfg.strategy = CFG_STRATEGY_MAELSTROM;
    struct cluster cl;
    cluster_new(&cl, 25, &cfg);
    for (uint32_t k = 0; k < 25; k++) {
        char dest[GL_ID_MAX];
        snprintf(dest, sizeof dest, "n%u", k);
        struct msg m = request("c30", dest, MSG_TOPOLOGY, 1);
        char err[256];
        m.topology = malloc(sizeof *m.topology);
        ck_assert_int_eq(topo_build(m.topology, TOPO_GRID, 25, NULL, -1, err, sizeof err), 0);
        inject(&cl, k, &m);
        const struct msg *r = last(&cl);
        ck_assert_int_eq(r->type, MSG_TOPOLOGY_OK);
        ck_assert_str_eq(r->src, dest);
        ck_assert_str_eq(r->dest, "c30");
        ck_assert(r->has_in_reply_to);
        ck_assert_int_eq(r->in_reply_to, 1);
        ck_assert(!r->has_msg_id);
    }
    size_t mark = cl.n_log;
    client_broadcast(&cl, 3, 5);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 56);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL_OK), 56);
    cluster_free(&cl);
}
END_TEST

/* The controller's map is flooded as an undirected graph: n2 reaches n0 against the arrows. */
START_TEST(maelstrom_topology_is_undirected)
{
    struct cfg cfg = make_cfg(TOPO_GRID, 0, DELIVERY_FIRE_AND_FORGET);
    cfg.strategy = CFG_STRATEGY_MAELSTROM;
    struct cluster cl;
    cluster_new(&cl, 3, &cfg);
    for (uint32_t k = 0; k < 3; k++) {
        char dest[GL_ID_MAX];
        snprintf(dest, sizeof dest, "n%u", k);
        struct msg m = request("c5", dest, MSG_TOPOLOGY, 1);
        m.topology = malloc(sizeof *m.topology);
        topo_init(m.topology);
        for (int j = 0; j < 3; j++) {
            char name[GL_ID_MAX];
            snprintf(name, sizeof name, "n%d", j);
            ck_assert_int_eq(topo_add_node(m.topology, name), j);
        }
        ck_assert_int_eq(topo_add_arc(m.topology, 0, 1), 0); /* n0 -> n1 -> n2 only */
        ck_assert_int_eq(topo_add_arc(m.topology, 1, 2), 0);
        inject(&cl, k, &m);
    }
    size_t mark = cl.n_log;
    client_broadcast(&cl, 2, 9);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 2); /* n2 -> n1 -> n0 */
    size_t nv = node_value_count(cl.node[0]);
    ck_assert_uint_eq(nv, 1);
    cluster_free(&cl);
}
END_TEST

/*
 * Batching, 200 ms, tree, all nodes initialised at t = 0 so every ticker runs on the grid
 * 200, 400, 600 ms. Two broadcasts at the root before the first tick leave nothing on the wire
 * until 200 ms, then exactly one message per child carrying both values; each further tree
 * level goes out one tick later (a value arriving on a grid point waits for the next one).
 */
START_TEST(batching_flushes_only_on_ticks)
{
    const time_us T = 200 * US_PER_MS;
    struct cfg cfg = make_cfg(TOPO_TREE, T, DELIVERY_ACKS);
    struct cluster cl;
    cluster_new(&cl, 25, &cfg);
    size_t mark = cl.n_log;
    ck_assert_uint_eq(node_next_deadline_us(cl.node[12]), TIME_NEVER); /* idle: no ticks */
    cl.now = 10 * US_PER_MS;
    client_broadcast(&cl, 12, 1);
    ck_assert_uint_eq(node_next_deadline_us(cl.node[12]), T);
    cl.now = 50 * US_PER_MS;
    client_broadcast(&cl, 12, 2);
    run_until(&cl, T - 1);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 0);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_BROADCAST_OK), 2);

    mark = cl.n_log;
    run_until(&cl, T);
    /* n12's children n7, n17, n11, n13: one message each, both values, in pending order. */
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 4);
    const char *want[] = { "n7", "n17", "n11", "n13" };
    size_t seen = 0;
    for (size_t k = mark; k < cl.n_log; k++) {
        const struct msg *m = &cl.log[k].m;
        if (m->type != MSG_INTERNAL) continue;
        ck_assert_str_eq(m->src, "n12");
        ck_assert_str_eq(m->dest, want[seen++]);
        ck_assert_uint_eq(m->values.n, 2);
        ck_assert_int_eq(m->values.v[0], 1);
        ck_assert_int_eq(m->values.v[1], 2);
        ck_assert(m->has_msg_id);
        ck_assert_uint_eq(cl.log[k].at, T);
    }
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL_OK), 4); /* acks are not batched */

    /* Level 2 (n7 -> n2 n6 n8, n17 -> n22 n16 n18, n11 -> n10, n13 -> n14): 8 at 400 ms. */
    mark = cl.n_log;
    run_until(&cl, 2 * T - 1);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 0);
    run_until(&cl, 2 * T);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 8);
    /* Level 3 (n2 -> n1 n3, n6 -> n5, n8 -> n9, and the same below): 8 at 600 ms; level 4
     * (n1 -> n0, n3 -> n4, n21 -> n20, n23 -> n24): 4 at 800 ms; 4 + 8 + 8 + 4 = 24 edges. */
    mark = cl.n_log;
    run_until(&cl, 10 * T);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 12);
    unsigned at3 = 0, at4 = 0;
    for (size_t k = mark; k < cl.n_log; k++) {
        if (cl.log[k].m.type != MSG_INTERNAL) continue;
        at3 += cl.log[k].at == 3 * T;
        at4 += cl.log[k].at == 4 * T;
    }
    ck_assert_uint_eq(at3, 8);
    ck_assert_uint_eq(at4, 4);
    for (uint32_t k = 0; k < 25; k++) {
        size_t nv = node_value_count(cl.node[k]);
        ck_assert_uint_eq(nv, 2);
        ck_assert_uint_eq(node_next_deadline_us(cl.node[k]), TIME_NEVER);
    }
    cluster_free(&cl);
}
END_TEST

/*
 * [batch] phase: the ticker's grid starts at init (default) or at the process start the driver
 * gave. Started at 30 ms, initialised at 100 ms, a value at 120 ms with T = 200 ms goes out at
 * 300 ms (init + T) by default and at 230 ms (start + T) with phase = start.
 */
START_TEST(batch_phase_anchors_the_ticker)
{
    const time_us T = 200 * US_PER_MS;
    for (int start = 0; start <= 1; start++) {
        struct cfg cfg = make_cfg(TOPO_FLAT, T, DELIVERY_FIRE_AND_FORGET);
        cfg.batch_phase = start ? BATCH_PHASE_START : BATCH_PHASE_INIT;
        char err[256];
        struct node *n = node_new(&cfg, NULL, err, sizeof err);
        ck_assert_ptr_nonnull(n);
        node_set_start_us(n, 30 * US_PER_MS);
        static const char ids[2][GL_ID_MAX] = { "n0", "n1" };
        struct msg m = request("c0", "n0", MSG_INIT, 1);
        snprintf(m.node_id, sizeof m.node_id, "n0");
        ck_assert_int_eq(msg_set_node_ids(&m, ids, 2), 0);
        struct outbox out;
        outbox_init(&out);
        ck_assert_int_eq(node_on_message(n, 100 * US_PER_MS, &m, &out, err, sizeof err), 0);
        msg_release(&m);
        m = request("c1", "n0", MSG_BROADCAST, 2);
        m.message = 5;
        ck_assert_int_eq(node_on_message(n, 120 * US_PER_MS, &m, &out, err, sizeof err), 0);
        msg_release(&m);
        time_us want = (start ? 30 : 100) * US_PER_MS + T;
        ck_assert_uint_eq(node_next_deadline_us(n), want);
        outbox_clear(&out);
        node_on_tick(n, want, &out);
        ck_assert_uint_eq(out.n, 1);
        ck_assert_int_eq(out.v[0].type, MSG_INTERNAL);
        ck_assert_str_eq(out.v[0].dest, "n1");
        outbox_release(&out);
        node_free(n);
    }
}
END_TEST

/*
 * Acks without batching: n0 -> n1 (flat, 2 nodes); the first k deliveries are lost. The value
 * is re-sent every retry_us (500 ms) after the previous send, each time as a new message, and
 * the re-sending stops with the first acknowledgement.
 */
START_TEST(retries_until_acknowledged)
{
    unsigned k = (unsigned)_i;
    struct cfg cfg = make_cfg(TOPO_FLAT, 0, DELIVERY_ACKS);
    struct cluster cl;
    cluster_new(&cl, 2, &cfg);
    cl.now = 1000;
    size_t mark = cl.n_log;
    cl.drop_internal = k;
    client_broadcast(&cl, 0, 42);
    run_until(&cl, 100 * US_PER_SEC);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), k + 1);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL_OK), 1);
    unsigned nth = 0;
    int64_t last_id = 0;
    for (size_t j = mark; j < cl.n_log; j++) {
        const struct msg *m = &cl.log[j].m;
        if (m->type != MSG_INTERNAL) continue;
        ck_assert_uint_eq(cl.log[j].at, 1000 + nth * 500 * US_PER_MS);
        ck_assert_uint_eq(m->values.n, 1);
        ck_assert_int_eq(m->values.v[0], 42);
        ck_assert_int_gt(m->msg_id, last_id); /* a fresh msg_id each time */
        last_id = m->msg_id;
        nth++;
    }
    const struct node_stats *s = node_get_stats(cl.node[0]);
    ck_assert_uint_eq(s->internal_sent, k + 1);
    ck_assert_uint_eq(s->retries, k);
    ck_assert_uint_eq(node_next_deadline_us(cl.node[0]), TIME_NEVER);
    size_t nv = node_value_count(cl.node[1]);
    ck_assert_uint_eq(nv, 1);
    cluster_free(&cl);
}
END_TEST

/*
 * Acks with batching (100 ms ticks, 500 ms retry): a lost batch comes back due at send + 500 ms
 * and goes out on the next tick together with whatever else is pending for that peer.
 */
START_TEST(retry_is_rebatched_on_next_tick)
{
    const time_us T = 100 * US_PER_MS;
    struct cfg cfg = make_cfg(TOPO_FLAT, T, DELIVERY_ACKS);
    cfg.retry_us = 450 * US_PER_MS;
    struct cluster cl;
    cluster_new(&cl, 2, &cfg);
    size_t mark = cl.n_log;
    cl.drop_internal = 1;
    cl.now = 20 * US_PER_MS;
    client_broadcast(&cl, 0, 1);
    run_until(&cl, 500 * US_PER_MS); /* sent (and lost) at 100 ms; due again at 550 ms */
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 1);
    ck_assert_uint_eq(node_next_deadline_us(cl.node[0]), 550 * US_PER_MS);
    run_until(&cl, 555 * US_PER_MS); /* the retry moves the value back to pending... */
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 1);
    ck_assert_uint_eq(node_next_deadline_us(cl.node[0]), 600 * US_PER_MS); /* ...for the tick */
    cl.now = 560 * US_PER_MS;
    client_broadcast(&cl, 0, 2);
    run_until(&cl, 599 * US_PER_MS);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 1); /* nothing between ticks */
    mark = cl.n_log;
    run_until(&cl, 10 * US_PER_SEC);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 1);
    const struct msg *m = NULL;
    for (size_t j = mark; j < cl.n_log; j++)
        if (cl.log[j].m.type == MSG_INTERNAL) m = &cl.log[j].m;
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->values.n, 2);
    ck_assert_int_eq(m->values.v[0], 1); /* the retry, then the new value */
    ck_assert_int_eq(m->values.v[1], 2);
    ck_assert_uint_eq(node_get_stats(cl.node[0])->retries, 1);
    ck_assert_uint_eq(node_next_deadline_us(cl.node[0]), TIME_NEVER);
    cluster_free(&cl);
}
END_TEST

/* Fire-and-forget: no msg_id on broadcast_internal, no ok, no retry, the loss is final. */
START_TEST(fire_and_forget_never_retries)
{
    struct cfg cfg = make_cfg(TOPO_FLAT, 0, DELIVERY_FIRE_AND_FORGET);
    struct cluster cl;
    cluster_new(&cl, 2, &cfg);
    size_t mark = cl.n_log;
    cl.drop_internal = 1;
    client_broadcast(&cl, 0, 3);
    ck_assert(!cl.log[cl.n_log - 1].m.has_msg_id);
    ck_assert_uint_eq(node_next_deadline_us(cl.node[0]), TIME_NEVER);
    run_until(&cl, 100 * US_PER_SEC);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 1);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL_OK), 0);
    size_t nv = node_value_count(cl.node[1]);
    ck_assert_uint_eq(nv, 0);
    cluster_free(&cl);
}
END_TEST

static void read_and_expect(struct cluster *cl, uint32_t k, const int64_t *want, size_t n_want)
{
    char dest[GL_ID_MAX];
    snprintf(dest, sizeof dest, "n%u", k);
    struct msg m = request("c3", dest, MSG_READ, 77);
    inject(cl, k, &m);
    const struct msg *r = last(cl);
    ck_assert_int_eq(r->type, MSG_READ_OK);
    ck_assert_int_eq(r->in_reply_to, 77);
    ck_assert_str_eq(r->dest, "c3");
    ck_assert_uint_eq(r->values.n, n_want);
    for (size_t j = 0; j < n_want; j++)
        ck_assert_int_eq(r->values.v[j], want[j]);
}

/* Reads list values in first-seen order; values seen again (client or peer) are counted only. */
START_TEST(duplicates_ignored_read_in_first_seen_order)
{
    struct cfg cfg = make_cfg(TOPO_FLAT, 0, DELIVERY_ACKS);
    struct cluster cl;
    cluster_new(&cl, 2, &cfg);
    read_and_expect(&cl, 0, NULL, 0);
    client_broadcast(&cl, 0, 5);
    client_broadcast(&cl, 0, -3);
    client_broadcast(&cl, 0, INT64_MAX);
    client_broadcast(&cl, 0, 5);
    size_t mark = cl.n_log;
    struct msg m = request("n1", "n0", MSG_INTERNAL, 900);
    const int64_t batch[] = { 1, -3, 7, 1 };
    for (size_t j = 0; j < 4; j++)
        ck_assert_int_eq(msg_values_push(&m.values, batch[j]), 0);
    inject(&cl, 0, &m);
    const struct msg *ok = &cl.log[mark].m;
    ck_assert_int_eq(ok->type, MSG_INTERNAL_OK);
    ck_assert_str_eq(ok->dest, "n1");
    ck_assert_int_eq(ok->in_reply_to, 900);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 0); /* flat: peers' values stay */
    const int64_t want[] = { 5, -3, INT64_MAX, 1, 7 };
    read_and_expect(&cl, 0, want, 5);
    ck_assert_uint_eq(node_get_stats(cl.node[0])->duplicates, 3);
    /* The client's duplicate 5 was not sent again: n1 got 3 broadcasts' worth of messages. */
    ck_assert_uint_eq(node_get_stats(cl.node[0])->internal_sent, 3);
    cluster_free(&cl);
}
END_TEST

/*
 * The cluster's ids are kept packed (core_int.h): ids of every length up to GL_ID_MAX - 1, in
 * any order, come back whole from node_cluster_id, name the destinations of what the node sends
 * (flat: a client's value goes to every other node), and find their sender by name.
 */
START_TEST(ids_of_every_length)
{
    struct cfg cfg = make_cfg(TOPO_FLAT, 0, DELIVERY_ACKS);
    char err[256];
    struct node *n = node_new(&cfg, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(n);
    struct outbox out;
    outbox_init(&out);
    char ids[5][GL_ID_MAX] = { "zz", "a", "", "n10", "" };
    memset(ids[2], 'L', GL_ID_MAX - 1); /* the longest id there is */
    ids[2][GL_ID_MAX - 1] = '\0';
    memset(ids[4], 'm', GL_ID_MAX - 2);
    ids[4][GL_ID_MAX - 2] = '\0';
    struct msg m = request("c0", "n10", MSG_INIT, 1);
    snprintf(m.node_id, sizeof m.node_id, "n10");
    ck_assert_int_eq(msg_set_node_ids(&m, (const char(*)[GL_ID_MAX])ids, 5), 0);
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
    msg_release(&m);
    outbox_clear(&out);
    ck_assert_uint_eq(node_cluster_size(n), 5);
    char buf[GL_ID_MAX];
    for (uint32_t k = 0; k < 5; k++)
        ck_assert_str_eq(node_cluster_id(n, k, buf), ids[k]);

    m = request("c1", "n10", MSG_BROADCAST, 2);
    m.message = 7;
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
    msg_release(&m);
    ck_assert_uint_eq(out.n, 5); /* broadcast_ok and one broadcast_internal per other node */
    uint32_t to = 0;
    for (size_t j = 0; j < out.n; j++) {
        if (out.v[j].type != MSG_INTERNAL) continue;
        if (to == 3) to++; /* itself */
        ck_assert_str_eq(out.v[j].dest, ids[to++]);
    }
    ck_assert_uint_eq(to, 5);
    outbox_clear(&out);

    m = request(ids[2], "n10", MSG_INTERNAL, 9);
    ck_assert_int_eq(msg_values_push(&m.values, 8), 0);
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
    msg_release(&m);
    ck_assert_uint_eq(out.n, 1); /* flat: nobody relays */
    ck_assert_int_eq(out.v[0].type, MSG_INTERNAL_OK);
    ck_assert_str_eq(out.v[0].dest, ids[2]);
    ck_assert_uint_eq(node_value_count(n), 2);
    outbox_release(&out);
    node_free(n);
}
END_TEST

/*
 * Maelstrom's own naming, n0 .. n11 in order, is kept as nothing at all (the canonical cluster):
 * ids are written out on demand, a client's value goes to every other node by name, and a
 * sender is found by its number, never by a name that only looks like one (a leading zero, a
 * number past the cluster, a suffix); the same ids out of order take the packed path and still
 * find every node.
 */
START_TEST(canonical_ids)
{
    for (int shuffled = 0; shuffled < 2; shuffled++) {
        struct cfg cfg = make_cfg(TOPO_FLAT, 0, DELIVERY_ACKS);
        char err[256], buf[GL_ID_MAX];
        struct node *n = node_new(&cfg, NULL, err, sizeof err);
        ck_assert_ptr_nonnull(n);
        struct outbox out;
        outbox_init(&out);
        char ids[12][GL_ID_MAX];
        for (uint32_t k = 0; k < 12; k++)
            snprintf(ids[k], GL_ID_MAX, "n%u", shuffled ? 11 - k : k);
        struct msg m = request("c0", "n3", MSG_INIT, 1);
        snprintf(m.node_id, sizeof m.node_id, "n3");
        ck_assert_int_eq(msg_set_node_ids(&m, (const char(*)[GL_ID_MAX])ids, 12), 0);
        ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
        msg_release(&m);
        outbox_clear(&out);
        ck_assert(n->canonical == !shuffled);
        ck_assert(shuffled ? n->id_text != NULL : n->id_text == NULL && n->names == NULL);
        for (uint32_t k = 0; k < 12; k++)
            ck_assert_str_eq(node_cluster_id(n, k, buf), ids[k]);

        /* Twice: the second round names peers whose names the first wrote (and overwrote:
         * the node keeps eight). */
        for (int round = 0; round < 2; round++) {
            m = request("c1", "n3", MSG_BROADCAST, 2);
            m.message = 7 + round;
            ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
            msg_release(&m);
            ck_assert_uint_eq(out.n, 12); /* broadcast_ok and 11 broadcast_internal */
            uint32_t to = 0;
            for (size_t j = 0; j < out.n; j++) {
                if (out.v[j].type != MSG_INTERNAL) continue;
                if (strcmp(ids[to], "n3") == 0) to++;
                ck_assert_str_eq(out.v[j].dest, ids[to++]);
            }
            outbox_clear(&out);
        }

        static const char *const good[] = { "n0", "n10", "n11" };
        static const char *const bad[] = { "n010", "n00", "n12", "n100", "n", "nx",
                                           "n1x",  "m1",  "N1",  "n-1",  "" };
        for (size_t j = 0; j < sizeof(good) / sizeof(good[0]); j++) {
            m = request(good[j], "n3", MSG_INTERNAL, 9);
            ck_assert_int_eq(msg_values_push(&m.values, 100 + (int64_t)j), 0);
            ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
            msg_release(&m);
            ck_assert_uint_eq(out.n, 1);
            ck_assert_int_eq(out.v[0].type, MSG_INTERNAL_OK);
            ck_assert_str_eq(out.v[0].dest, good[j]);
            outbox_clear(&out);
        }
        for (size_t j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
            m = request(bad[j], "n3", MSG_INTERNAL, 9);
            ck_assert_int_eq(msg_values_push(&m.values, 200), 0);
            ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), -1);
            ck_assert_msg(strstr(err, "not a node of this cluster") != NULL, "%s: %s", bad[j], err);
            msg_release(&m);
            outbox_clear(&out);
        }
        ck_assert_uint_eq(node_value_count(n), 5);
        outbox_release(&out);
        node_free(n);
    }
}
END_TEST

/* The canonical cluster at its largest, GL_MAX_NODES ids of one to four digits, every one written
 * out right; its last node found by name. */
START_TEST(canonical_ids_of_every_width)
{
    struct cfg cfg = make_cfg(TOPO_TREE, 0, DELIVERY_ACKS);
    char err[256], buf[GL_ID_MAX], want[GL_ID_MAX];
    struct node *n = node_new(&cfg, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(n);
    struct outbox out;
    outbox_init(&out);
    char(*ids)[GL_ID_MAX] = calloc(GL_MAX_NODES, sizeof *ids);
    ck_assert_ptr_nonnull(ids);
    for (uint32_t k = 0; k < GL_MAX_NODES; k++)
        snprintf(ids[k], GL_ID_MAX, "n%u", k);
    struct msg m = request("c0", "n0", MSG_INIT, 1);
    snprintf(m.node_id, sizeof m.node_id, "n0");
    ck_assert_int_eq(msg_set_node_ids(&m, (const char(*)[GL_ID_MAX])ids, GL_MAX_NODES), 0);
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
    msg_release(&m);
    outbox_clear(&out);
    ck_assert(n->canonical);
    for (uint32_t k = 0; k < GL_MAX_NODES; k++) {
        snprintf(want, sizeof want, "n%u", k);
        ck_assert_str_eq(node_cluster_id(n, k, buf), want);
    }
    snprintf(want, sizeof want, "n%u", GL_MAX_NODES - 1);
    m = request(want, "n0", MSG_INTERNAL, 9);
    ck_assert_int_eq(msg_values_push(&m.values, 5), 0);
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
    msg_release(&m);
    ck_assert_int_eq(out.v[0].type, MSG_INTERNAL_OK);
    ck_assert_str_eq(out.v[0].dest, want);
    free(ids);
    outbox_release(&out);
    node_free(n);
}
END_TEST

/*
 * node_on_message_at: before init the names count (an init by index works); after it the ends
 * are the indices given, not the names: a peer's message refused as from a non-node when src is
 * -1, taken when src is its index, dropped as not for this node when dest is another index.
 */
START_TEST(ends_by_index)
{
    struct cfg cfg = make_cfg(TOPO_GRID, 0, DELIVERY_ACKS);
    char err[256];
    struct node *n = node_new(&cfg, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(n);
    struct outbox out;
    outbox_init(&out);
    ck_assert_uint_eq(node_cluster_size(n), 0);
    const char ids[3][GL_ID_MAX] = { "n0", "n1", "n2" };
    struct msg m = request("c0", "n1", MSG_INIT, 1);
    snprintf(m.node_id, sizeof m.node_id, "n1");
    ck_assert_int_eq(msg_set_node_ids(&m, ids, 3), 0);
    ck_assert_int_eq(node_on_message_at(n, 0, &m, -1, 1, &out, err, sizeof err), 0);
    ck_assert_int_eq(out.v[0].type, MSG_INIT_OK);
    outbox_clear(&out);
    msg_release(&m);
    ck_assert_uint_eq(node_cluster_size(n), 3);
    char buf[GL_ID_MAX];
    for (uint32_t k = 0; k < 3; k++)
        ck_assert_str_eq(node_cluster_id(n, k, buf), ids[k]);

    m = request("n0", "n1", MSG_INTERNAL, 5);
    ck_assert_int_eq(msg_values_push(&m.values, 42), 0);
    ck_assert_int_eq(node_on_message_at(n, 0, &m, -1, 1, &out, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "not a node of this cluster") != NULL, "%s", err);
    ck_assert_int_eq(out.v[0].code, 12);
    outbox_clear(&out);
    ck_assert_int_eq(node_on_message_at(n, 0, &m, 0, 2, &out, err, sizeof err), -1);
    ck_assert_msg(strncmp(err, "dropped a '", 11) == 0, "%s", err);
    ck_assert_uint_eq(out.n, 0);
    ck_assert_int_eq(node_on_message_at(n, 0, &m, 0, 1, &out, err, sizeof err), 0);
    ck_assert_uint_eq(out.n, 1);
    ck_assert_int_eq(out.v[0].type, MSG_INTERNAL_OK);
    ck_assert_str_eq(out.v[0].dest, "n0");
    size_t nv = node_value_count(n);
    ck_assert_uint_eq(nv, 1);
    ck_assert_int_eq(nth_value(n, 0), 42);
    outbox_release(&out);
    msg_release(&m);
    node_free(n);
}
END_TEST

/* Exact replies: init_ok, unknown type -> error 10, bad request -> 12, before init -> 11. */
START_TEST(replies_exact)
{
    struct cfg cfg = make_cfg(TOPO_GRID, 0, DELIVERY_ACKS);
    char err[256];
    struct node *n = node_new(&cfg, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(n);
    ck_assert_str_eq(node_id(n), "");
    struct outbox out;
    outbox_init(&out);

    struct msg m = request("c1", "n1", MSG_READ, 4);
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
    ck_assert_uint_eq(out.n, 1);
    ck_assert_int_eq(out.v[0].type, MSG_ERROR);
    ck_assert_int_eq(out.v[0].code, 11);
    ck_assert_str_eq(out.v[0].src, "n1");
    ck_assert_int_eq(out.v[0].in_reply_to, 4);
    outbox_clear(&out);
    msg_release(&m);

    const char ids[3][GL_ID_MAX] = { "n0", "n1", "n2" };
    m = request("c0", "n1", MSG_INIT, 1);
    snprintf(m.node_id, sizeof m.node_id, "n1");
    ck_assert_int_eq(msg_set_node_ids(&m, ids, 3), 0);
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
    ck_assert_uint_eq(out.n, 1);
    const struct msg *r = &out.v[0];
    ck_assert_int_eq(r->type, MSG_INIT_OK);
    ck_assert_str_eq(r->type_name, "init_ok");
    ck_assert_str_eq(r->src, "n1");
    ck_assert_str_eq(r->dest, "c0");
    ck_assert(r->has_in_reply_to && r->in_reply_to == 1 && !r->has_msg_id);
    ck_assert_str_eq(node_id(n), "n1");
    outbox_clear(&out);
    /* A second init is refused. */
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), -1);
    ck_assert_int_eq(out.v[0].code, 22);
    outbox_clear(&out);
    msg_release(&m);

    m = request("c7", "n1", MSG_OTHER, 12);
    snprintf(m.type_name, sizeof m.type_name, "cas");
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
    ck_assert_uint_eq(out.n, 1);
    r = &out.v[0];
    ck_assert_int_eq(r->type, MSG_ERROR);
    ck_assert_int_eq(r->code, 10);
    ck_assert_int_eq(r->in_reply_to, 12);
    ck_assert_str_eq(r->dest, "c7");
    ck_assert_ptr_nonnull(strstr(r->text, "'cas'"));
    outbox_clear(&out);
    m.has_msg_id = false; /* no msg_id: nobody to answer */
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
    ck_assert_uint_eq(out.n, 0);
    msg_release(&m);

    m = request("c7", "n1", MSG_BROADCAST, 13);
    ck_assert_int_eq(node_reply_malformed(n, &m, "body.message: expected an integer", &out), 0);
    ck_assert_uint_eq(out.n, 1);
    ck_assert_int_eq(out.v[0].code, 12);
    ck_assert_int_eq(out.v[0].in_reply_to, 13);
    ck_assert_str_eq(out.v[0].text, "body.message: expected an integer");
    msg_release(&m);

    ck_assert_uint_eq(node_get_stats(n)->errors_sent, 4);
    outbox_release(&out);
    node_free(n);
}
END_TEST

/* init fails with an error reply when the configured root is not a node of the cluster. */
START_TEST(init_rejects_unknown_root)
{
    struct cfg cfg = make_cfg(TOPO_TREE, 0, DELIVERY_ACKS);
    snprintf(cfg.root, sizeof cfg.root, "n99");
    char err[256];
    struct node *n = node_new(&cfg, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(n);
    struct outbox out;
    outbox_init(&out);
    const char ids[2][GL_ID_MAX] = { "n0", "n1" };
    struct msg m = request("c0", "n0", MSG_INIT, 1);
    snprintf(m.node_id, sizeof m.node_id, "n0");
    ck_assert_int_eq(msg_set_node_ids(&m, ids, 2), 0);
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "'n99'"));
    ck_assert_uint_eq(out.n, 1);
    ck_assert_int_eq(out.v[0].type, MSG_ERROR);
    ck_assert_int_eq(out.v[0].code, 13);
    ck_assert_str_eq(node_id(n), "");
    msg_release(&m);
    outbox_release(&out);
    node_free(n);
}
END_TEST

/* A file holding an arborescence routes as a rooted tree: a chain n0 -> n1 -> n2 from n2. */
START_TEST(file_arborescence_is_rooted)
{
    struct topo t;
    topo_init(&t);
    for (int j = 0; j < 3; j++) {
        char name[GL_ID_MAX];
        snprintf(name, sizeof name, "n%d", j);
        ck_assert_int_eq(topo_add_node(&t, name), j);
    }
    ck_assert_int_eq(topo_add_arc(&t, 0, 1), 0);
    ck_assert_int_eq(topo_add_arc(&t, 1, 2), 0);
    struct cfg cfg = make_cfg(TOPO_GRID, 0, DELIVERY_ACKS);
    cfg.strategy = CFG_STRATEGY_FILE;
    struct cluster cl;
    memset(&cl, 0, sizeof cl);
    cl.n = 3;
    const char ids[3][GL_ID_MAX] = { "n0", "n1", "n2" };
    for (uint32_t k = 0; k < 3; k++) {
        char err[256];
        cl.node[k] = node_new(&cfg, &t, err, sizeof err);
        ck_assert_ptr_nonnull(cl.node[k]);
        struct msg m = request("c0", ids[k], MSG_INIT, 1);
        memcpy(m.node_id, ids[k], GL_ID_MAX);
        ck_assert_int_eq(msg_set_node_ids(&m, ids, 3), 0);
        inject(&cl, k, &m);
    }
    topo_release(&t); /* the nodes hold copies */
    size_t mark = cl.n_log;
    client_broadcast(&cl, 2, 8); /* n2 -> root n0 -> n1 -> n2 (back to the origin) */
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 3);
    ck_assert_uint_eq(node_get_stats(cl.node[2])->duplicates, 1);
    cluster_free(&cl);
}
END_TEST

/* A file that leaves a cluster node out is refused at init, by every node, naming the node. */
START_TEST(file_must_name_every_node)
{
    struct topo t;
    topo_init(&t);
    ck_assert_int_eq(topo_add_node(&t, "n0"), 0);
    ck_assert_int_eq(topo_add_node(&t, "n1"), 1);
    ck_assert_int_eq(topo_add_arc(&t, 0, 1), 0);
    struct cfg cfg = make_cfg(TOPO_GRID, 0, DELIVERY_ACKS);
    cfg.strategy = CFG_STRATEGY_FILE;
    const char ids[3][GL_ID_MAX] = { "n0", "n1", "n2" };
    for (uint32_t k = 0; k < 3; k++) {
        char err[256];
        struct node *n = node_new(&cfg, &t, err, sizeof err);
        ck_assert_ptr_nonnull(n);
        struct outbox out;
        outbox_init(&out);
        struct msg m = request("c0", ids[k], MSG_INIT, 1);
        memcpy(m.node_id, ids[k], GL_ID_MAX);
        ck_assert_int_eq(msg_set_node_ids(&m, ids, 3), 0);
        ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), -1);
        ck_assert_ptr_nonnull(strstr(err, "names 2 nodes but not 'n2'"));
        ck_assert_uint_eq(out.n, 1); /* the error reply that fails the run's setup */
        ck_assert_int_eq(out.v[0].type, MSG_ERROR);
        ck_assert_ptr_nonnull(strstr(out.v[0].text, "names 2 nodes but not 'n2'"));
        msg_release(&m);
        outbox_release(&out);
        node_free(n);
    }
    topo_release(&t);
}
END_TEST

/* The value limit is reported, not grown past: the 1 000 001st distinct value is refused. */
START_TEST(value_limit_reported)
{
    struct cfg cfg = make_cfg(TOPO_FLAT, 0, DELIVERY_ACKS);
    char err[256];
    struct node *n = node_new(&cfg, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(n);
    struct outbox out;
    outbox_init(&out);
    const char ids[2][GL_ID_MAX] = { "n0", "n1" };
    struct msg m = request("c0", "n0", MSG_INIT, 1);
    snprintf(m.node_id, sizeof m.node_id, "n0");
    ck_assert_int_eq(msg_set_node_ids(&m, ids, 2), 0);
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), 0);
    msg_release(&m);
    outbox_clear(&out);
    m = request("n1", "n0", MSG_INTERNAL, 3);
    for (int64_t v = 0; v <= GL_MAX_VALUES; v++)
        ck_assert_int_eq(msg_values_push(&m.values, v * 7919), 0);
    ck_assert_int_eq(node_on_message(n, 0, &m, &out, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "GL_MAX_VALUES"));
    ck_assert_uint_eq(out.n, 1); /* acknowledged all the same: a re-send would not fit either */
    ck_assert_int_eq(out.v[0].type, MSG_INTERNAL_OK);
    size_t nv = node_value_count(n);
    ck_assert_uint_eq(nv, GL_MAX_VALUES);
    ck_assert_int_eq(nth_value(n, GL_MAX_VALUES - 1), (int64_t)(GL_MAX_VALUES - 1) * 7919);
    msg_release(&m);
    outbox_release(&out);
    node_free(n);
}
END_TEST

/* A peer's pending list longer than GL_MAX_BATCH_VALUES leaves as several full messages. */
START_TEST(batches_split_at_limit)
{
    struct cfg cfg = make_cfg(TOPO_GRID, 0, DELIVERY_FIRE_AND_FORGET);
    struct cluster cl;
    cluster_new(&cl, 3, &cfg); /* grid of 3: n0 is the neighbour of n1 and of n2 */
    size_t mark = cl.n_log;
    /* From n2: n0 floods it all to n1, its other neighbour (n1 has no other one). */
    struct msg m = request("n2", "n0", MSG_INTERNAL, 0);
    for (int64_t v = 0; v < GL_MAX_BATCH_VALUES + 1; v++)
        ck_assert_int_eq(msg_values_push(&m.values, v), 0);
    inject(&cl, 0, &m);
    ck_assert_uint_eq(count_from(&cl, mark, MSG_INTERNAL), 2);
    ck_assert_uint_eq(cl.log[mark].m.values.n, GL_MAX_BATCH_VALUES);
    ck_assert_uint_eq(cl.log[mark + 1].m.values.n, 1);
    ck_assert_int_eq(cl.log[mark + 1].m.values.v[0], GL_MAX_BATCH_VALUES);
    size_t nv = node_value_count(cl.node[1]);
    ck_assert_uint_eq(nv, GL_MAX_BATCH_VALUES + 1);
    cluster_free(&cl);
}
END_TEST

static Suite *node_suite(void)
{
    Suite *s = suite_create("node");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, fanout_counts_every_strategy_and_origin, 0, 50);
    tcase_add_test(tc, ends_by_index);
    tcase_add_test(tc, ids_of_every_length);
    tcase_add_test(tc, canonical_ids);
    tcase_add_test(tc, canonical_ids_of_every_width);
    tcase_add_test(tc, maelstrom_strategy_uses_received_topology);
    tcase_add_test(tc, maelstrom_topology_is_undirected);
    tcase_add_test(tc, batching_flushes_only_on_ticks);
    tcase_add_test(tc, batch_phase_anchors_the_ticker);
    tcase_add_loop_test(tc, retries_until_acknowledged, 0, 6);
    tcase_add_test(tc, retry_is_rebatched_on_next_tick);
    tcase_add_test(tc, fire_and_forget_never_retries);
    tcase_add_test(tc, duplicates_ignored_read_in_first_seen_order);
    tcase_add_test(tc, replies_exact);
    tcase_add_test(tc, init_rejects_unknown_root);
    tcase_add_test(tc, file_arborescence_is_rooted);
    tcase_add_test(tc, file_must_name_every_node);
    tcase_add_test(tc, value_limit_reported);
    tcase_add_test(tc, batches_split_at_limit);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(node_suite());
}
