/*
 * node-fanout: the messages-per-broadcast figure of each strategy, measured on the real node
 * cores. For every strategy and delivery mode it builds an N-node cluster in one process
 * (instant FIFO delivery, no batching, no losses), injects one client broadcast at each origin
 * in turn into a fresh cluster, and counts the broadcast_internal and broadcast_internal_ok
 * messages it causes. Prints min / mean / max over the origins. Not a harness: no clock, no
 * network model; a counting tool (bench/msgs_per_broadcast.sh runs it).
 *
 *   node-fanout [-n NODES]      default 25
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "core.h"
#include "msg.h"
#include "strbuf.h"
#include "topo.h"

#define PROG "node-fanout"

struct cluster {
    struct node **node;
    char (*ids)[GL_ID_MAX];
    uint32_t n;
    struct msg *q; /* messages between nodes, delivered in FIFO order */
    size_t q_head, q_n, q_cap;
    uint64_t internal, internal_ok;
};

static void die(const char *what)
{
    fprintf(stderr, PROG ": %s\n", what);
    exit(1);
}

/* Counts a node's output and queues what goes to other nodes (client replies are dropped). */
static void collect(struct cluster *cl, struct outbox *out)
{
    for (size_t k = 0; k < out->n; k++) {
        struct msg *m = &out->v[k];
        cl->internal += m->type == MSG_INTERNAL;
        cl->internal_ok += m->type == MSG_INTERNAL_OK;
        if (m->dest[0] != 'n') continue;
        if (cl->q_head + cl->q_n == cl->q_cap) {
            if (cl->q_head > 0) { /* reuse the consumed front first */
                memmove(cl->q, cl->q + cl->q_head, cl->q_n * sizeof *cl->q);
                cl->q_head = 0;
            } else {
                if (GL_GROW(cl->q, cl->q_n + 1, cl->q_cap) != 0) die("out of memory");
            }
        }
        if (msg_own_values(m) != 0) die("out of memory"); /* a lent value stays with the outbox */
        cl->q[cl->q_head + cl->q_n++] = *m;
        msg_init(m); /* moved into the queue */
    }
    outbox_clear(out);
}

static void deliver(struct cluster *cl, uint32_t k, const struct msg *m, struct outbox *out)
{
    char err[256];
    if (node_on_message(cl->node[k], 0, m, out, err, sizeof err) != 0) die(err);
    collect(cl, out);
}

static void pump(struct cluster *cl, struct outbox *out)
{
    while (cl->q_n > 0) {
        struct msg m = cl->q[cl->q_head++];
        cl->q_n--;
        uint32_t k = (uint32_t)strtoul(m.dest + 1, NULL, 10);
        if (k >= cl->n) die("message to an unknown node");
        deliver(cl, k, &m, out);
        msg_release(&m);
    }
    cl->q_head = 0;
}

static void cluster_start(struct cluster *cl, uint32_t n, const struct cfg *cfg, struct outbox *out)
{
    memset(cl, 0, sizeof *cl);
    cl->n = n;
    cl->node = calloc(n, sizeof *cl->node);
    cl->ids = calloc(n, sizeof *cl->ids);
    if (!cl->node || !cl->ids) die("out of memory");
    for (uint32_t k = 0; k < n; k++)
        snprintf(cl->ids[k], GL_ID_MAX, "n%u", k);
    for (uint32_t k = 0; k < n; k++) {
        char err[256];
        cl->node[k] = node_new(cfg, NULL, err, sizeof err);
        if (!cl->node[k]) die(err);
        struct msg m;
        msg_init(&m);
        snprintf(m.src, sizeof m.src, "c%u", k);
        snprintf(m.dest, sizeof m.dest, "%s", cl->ids[k]);
        m.type = MSG_INIT;
        m.has_msg_id = true;
        m.msg_id = 1;
        snprintf(m.node_id, sizeof m.node_id, "%s", cl->ids[k]);
        if (msg_set_node_ids(&m, (const char(*)[GL_ID_MAX])cl->ids, n) != 0) die("out of memory");
        deliver(cl, k, &m, out);
        msg_release(&m);
    }
    cl->internal = cl->internal_ok = 0;
}

static void cluster_stop(struct cluster *cl)
{
    for (uint32_t k = 0; k < cl->n; k++)
        node_free(cl->node[k]);
    free(cl->node);
    free(cl->ids);
    free(cl->q);
}

struct range {
    uint64_t min, max, sum;
};

static void range_add(struct range *r, uint64_t v)
{
    if (v < r->min) r->min = v;
    if (v > r->max) r->max = v;
    r->sum += v;
}

static void print_range(const struct range *r, uint32_t n)
{
    printf("  %4llu %8.2f %4llu", (unsigned long long)r->min, (double)r->sum / (double)n,
           (unsigned long long)r->max);
}

/* One line of the table: kind x mode, every origin. */
static void measure(enum topo_kind kind, enum delivery_mode mode, uint32_t n)
{
    struct cfg cfg;
    cfg_defaults(&cfg);
    cfg.strategy = CFG_STRATEGY_BUILTIN;
    cfg.kind = kind;
    cfg.batch_timeout_us = 0;
    cfg.delivery = mode;
    struct range in = { UINT64_MAX, 0, 0 }, ok = in, all = in;
    struct outbox out;
    outbox_init(&out);
    for (uint32_t origin = 0; origin < n; origin++) {
        struct cluster cl;
        cluster_start(&cl, n, &cfg, &out);
        struct msg m;
        msg_init(&m);
        snprintf(m.src, sizeof m.src, "c%u", n);
        snprintf(m.dest, sizeof m.dest, "%s", cl.ids[origin]);
        m.type = MSG_BROADCAST;
        m.has_msg_id = true;
        m.msg_id = 1;
        m.message = 1;
        deliver(&cl, origin, &m, &out);
        pump(&cl, &out);
        for (uint32_t k = 0; k < n; k++) {
            if (node_value_count(cl.node[k]) != 1)
                die("a node missed the value: the topology does not reach every node");
        }
        range_add(&in, cl.internal);
        range_add(&ok, cl.internal_ok);
        range_add(&all, cl.internal + cl.internal_ok);
        cluster_stop(&cl);
    }
    outbox_release(&out);
    printf("%-8s %-16s", topo_kind_name(kind), mode == DELIVERY_ACKS ? "acks" : "fire-and-forget");
    print_range(&in, n);
    print_range(&ok, n);
    print_range(&all, n);
    printf("\n");
}

int main(int argc, char **argv)
{
    uint32_t n = 25;
    if (argc == 3 && strcmp(argv[1], "-n") == 0) {
        char *end;
        unsigned long v = strtoul(argv[2], &end, 10);
        if (*end || v < 2 || v > 256) die("-n: expected a node count from 2 to 256");
        n = (uint32_t)v;
    } else if (argc != 1) {
        fprintf(stderr, "usage: " PROG " [-n NODES]\n");
        return 2;
    }
    printf("# internal messages caused by one client broadcast, %u nodes, one run per origin\n"
           "# (instant delivery, no batching, no loss); min mean max over the %u origins\n",
           n, n);
    printf("%-8s %-16s  %-18s  %-18s  %s\n", "", "", "broadcast_internal", "..._ok (acks)", "both");
    printf("%-8s %-16s", "strategy", "delivery");
    for (int k = 0; k < 3; k++)
        printf("  %4s %8s %4s", "min", "mean", "max");
    printf("\n");
    const enum topo_kind kinds[] = { TOPO_GRID,  TOPO_TREE,  TOPO_STAR, TOPO_FLAT,
                                     TOPO_HUBS,  TOPO_KARY,  TOPO_LINE, TOPO_TREE2,
                                     TOPO_TREE3, TOPO_TREE4, TOPO_TOTAL };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        measure(kinds[k], DELIVERY_ACKS, n);
        measure(kinds[k], DELIVERY_FIRE_AND_FORGET, n);
    }
    return 0;
}
