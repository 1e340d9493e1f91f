/*
 * score: a topology's cost under the node's routing (see score.h). Pure.
 */
#include "score.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

#include "banned.h"

#define UNSEEN UINT32_MAX

const char *tg_routing_name(enum tg_routing r)
{
    switch (r) {
    case TG_ROUTE_FLOOD:
        return "flood";
    case TG_ROUTE_ROOTED:
        return "rooted";
    case TG_ROUTE_FLAT:
        return "flat";
    case TG_ROUTE_MESH:
        return "mesh";
    }
    return "?";
}

/* Scratch space for one simulation. */
struct sim {
    const struct topo *t;
    struct route *routes;    /* every node's routes, as the node builds them */
    uint32_t *targets;       /* route_client / route_relay output */
    uint32_t *from;          /* peer a node first heard the value from; UNSEEN: not yet */
    uint32_t *sent;          /* messages each node sent */
    uint32_t *qnode, *qfrom; /* messages in flight, FIFO: destination, sender */
    size_t qcap, head, tail;
};

/* Names the nodes not reached (at most 8) into err. */
static void unreachable(const struct topo *t, const uint32_t *from, uint32_t origin, char *err,
                        size_t errlen)
{
    size_t used = 0;
    uint32_t missing = 0;
    err[0] = '\0';
    for (uint32_t v = 0; v < t->n; v++) {
        if (from[v] != UNSEEN) continue;
        if (missing++ < 8) {
            int w = snprintf(err + used, errlen - used, "%s%s", used ? ", " : "", t->nodes[v].name);
            if (w > 0 && (size_t)w < errlen - used) used += (size_t)w;
        }
    }
    snprintf(err + used, errlen - used, "%s cannot be reached from %s", missing > 8 ? ", ..." : "",
             t->nodes[origin].name);
}

/* Queues what v sends: k targets from s->targets. */
static void push(struct sim *s, uint32_t v, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        assert(s->tail < s->qcap); /* one message per route link and node at most */
        s->qnode[s->tail] = s->targets[i];
        s->qfrom[s->tail++] = v;
        s->sent[v]++;
    }
}

/* One broadcast from origin x; returns the number of messages, or -1 if a node is missed. */
static int64_t simulate(struct sim *s, uint32_t x)
{
    const struct topo *t = s->t;
    for (uint32_t v = 0; v < t->n; v++)
        s->from[v] = UNSEEN, s->sent[v] = 0;
    s->head = s->tail = 0;
    s->from[x] = x;
    push(s, x, route_client(&s->routes[x], s->targets));
    while (s->head < s->tail) {
        uint32_t w = s->qnode[s->head], v = s->qfrom[s->head++];
        if (s->from[w] != UNSEEN) continue;
        s->from[w] = v;
        push(s, w, route_relay(&s->routes[w], (int32_t)v, s->targets));
    }
    for (uint32_t v = 0; v < t->n; v++)
        if (s->from[v] == UNSEEN) return -1;
    return (int64_t)s->tail;
}

static void record(struct tg_score *sc, const struct sim *s, uint32_t x, uint64_t msgs)
{
    if (x == 0 || msgs < sc->msgs_min) sc->msgs_min = msgs, sc->min_origin = x;
    if (x == 0 || msgs > sc->msgs_max) sc->msgs_max = msgs, sc->max_origin = x;
    for (uint32_t v = 0; v < s->t->n; v++)
        if (s->sent[v] > sc->fanout || (x == 0 && v == 0))
            sc->fanout = s->sent[v], sc->fanout_node = v, sc->fanout_origin = x;
}

/* Every node's routes under the shape the node would use. */
static int build_routes(struct sim *s, enum tg_routing routing)
{
    const struct topo *t = s->t;
    static const enum route_shape shapes[] = { [TG_ROUTE_FLOOD] = ROUTE_SHAPE_FLOOD,
                                               [TG_ROUTE_ROOTED] = ROUTE_SHAPE_ROOTED,
                                               [TG_ROUTE_FLAT] = ROUTE_SHAPE_FLAT,
                                               [TG_ROUTE_MESH] = ROUTE_SHAPE_MESH };
    s->routes = calloc(t->n, sizeof(*s->routes));
    if (!s->routes) return -1;
    for (uint32_t v = 0; v < t->n; v++) {
        route_init(&s->routes[v]);
        int rc = routing == TG_ROUTE_FLAT ? route_build_flat(&s->routes[v], t->n, v)
                                          : route_build(&s->routes[v], t, shapes[routing], t->root,
                                                        (int32_t)v, NULL, t->n, v);
        if (rc != 0) return -1;
        s->qcap += s->routes[v].n_links;
    }
    return 0;
}

static void release_routes(struct sim *s)
{
    for (uint32_t v = 0; s->routes && v < s->t->n; v++)
        route_release(&s->routes[v]);
    free(s->routes);
}

/* Messages per broadcast for every origin (flat: N-1 by construction, no simulation). */
static int messages(const struct topo *t, struct tg_score *sc, char *err, size_t errlen)
{
    struct sim s = { .t = t, .qcap = 1 };
    int rc = build_routes(&s, sc->routing);
    s.targets = malloc(t->n * sizeof(*s.targets));
    s.from = malloc(t->n * sizeof(*s.from));
    s.sent = malloc(t->n * sizeof(*s.sent));
    s.qnode = malloc(s.qcap * sizeof(*s.qnode));
    s.qfrom = malloc(s.qcap * sizeof(*s.qfrom));
    double total = 0.0;
    if (rc != 0 || !s.targets || !s.from || !s.sent || !s.qnode || !s.qfrom) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    for (uint32_t x = 0; x < t->n && rc == 0; x++) {
        /* flat: one simulation proves reachability; every origin costs the same */
        int64_t m = sc->routing == TG_ROUTE_FLAT && x > 0 ? 0 : simulate(&s, x);
        if (m < 0) {
            unreachable(t, s.from, x, err, errlen);
            rc = -1;
            break;
        }
        if (sc->routing == TG_ROUTE_FLAT) { /* the origin alone sends, to everyone */
            m = t->n - 1;
            memset(s.sent, 0, t->n * sizeof(*s.sent));
            s.sent[x] = t->n - 1;
        }
        record(sc, &s, x, (uint64_t)m);
        total += (double)m;
    }
    sc->msgs_mean = total / t->n;
    release_routes(&s);
    free(s.targets);
    free(s.from);
    free(s.sent);
    free(s.qnode);
    free(s.qfrom);
    return rc;
}

/* Hops from the root along arcs; returns the nodes reached (unreachable nodes are reported by
 * messages() first). */
static uint32_t depths(const struct topo *t, struct tg_score *sc);

/*
 * The default place to measure depth from in an unrooted topology: its graph centre (least
 * eccentricity among the nodes that reach every node along the arcs, lowest index on ties; a
 * hubs leaf reaches nobody): n12 of the 5x5 grid, n0 of Maelstrom's trees. Beyond 1e8
 * arc visits it falls back to the grid-layout centre.
 */
static uint32_t graph_centre(const struct topo *t, uint64_t arcs)
{
    if ((uint64_t)t->n * (arcs + t->n) > 100000000ull) return (uint32_t)topo_centre(t->n);
    struct tg_score probe;
    uint32_t best = 0, best_ecc = UINT32_MAX;
    for (uint32_t v = 0; v < t->n; v++) {
        probe.root = v;
        probe.depth_max = 0;
        if (depths(t, &probe) == t->n && probe.depth_max < best_ecc)
            best_ecc = probe.depth_max, best = v;
    }
    return best;
}

static uint32_t depths(const struct topo *t, struct tg_score *sc)
{
    uint32_t *d = malloc(t->n * sizeof(*d)), *q = malloc(t->n * sizeof(*q));
    if (!d || !q) {
        free(d);
        free(q);
        return 0;
    }
    uint32_t head = 0, tail = 0;
    uint64_t sum = 0;
    for (uint32_t v = 0; v < t->n; v++)
        d[v] = UNSEEN;
    d[sc->root] = 0;
    q[tail++] = sc->root;
    while (head < tail) {
        uint32_t v = q[head++];
        sum += d[v];
        if (d[v] > sc->depth_max) sc->depth_max = d[v];
        for (uint32_t k = 0; k < t->nodes[v].deg; k++) {
            uint32_t w = t->nodes[v].adj[k];
            if (d[w] == UNSEEN) d[w] = d[v] + 1, q[tail++] = w;
        }
    }
    sc->depth_mean = t->n > 1 ? (double)sum / (t->n - 1) : 0.0;
    free(d);
    free(q);
    return tail;
}

int tg_score(const struct topo *t, int32_t root, const struct tg_fn *f, struct tg_score *s,
             char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    if (t->n == 0) {
        snprintf(err, errlen, "empty topology");
        return -1;
    }
    if (root >= (int32_t)t->n) {
        snprintf(err, errlen, "root index %d outside the topology", root);
        return -1;
    }
    switch (route_shape_of(t)) {
    case ROUTE_SHAPE_FLAT:
        s->routing = TG_ROUTE_FLAT;
        break;
    case ROUTE_SHAPE_MESH:
        s->routing = TG_ROUTE_MESH;
        break;
    case ROUTE_SHAPE_ROOTED:
        s->routing = TG_ROUTE_ROOTED;
        break;
    case ROUTE_SHAPE_FLOOD:
        s->routing = TG_ROUTE_FLOOD;
        break;
    }
    uint64_t arcs = 0;
    for (uint32_t v = 0; v < t->n; v++)
        arcs += t->nodes[v].deg;
    s->root = (uint32_t)(s->routing == TG_ROUTE_ROOTED ? t->root
                         : root >= 0                   ? root
                         : t->root >= 0                ? t->root
                                                       : (int32_t)graph_centre(t, arcs));
    for (uint32_t v = 0; v < t->n; v++) {
        uint32_t d = t->nodes[v].deg < GL_MAX_NODES ? t->nodes[v].deg : GL_MAX_NODES - 1;
        s->cnt[d]++;
        if (d > s->maxdeg) s->maxdeg = d;
    }
    for (uint32_t d = 0; d <= s->maxdeg; d++)
        if (s->cnt[d]) s->sumf += (double)s->cnt[d] * tg_fn_eval(f, d);
    if (messages(t, s, err, errlen) != 0) return -1;
    depths(t, s);
    return 0;
}
