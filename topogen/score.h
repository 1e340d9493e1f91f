/*
 * score: what a topology costs under the node's routing (node/core.h): the out-degree vector,
 * sum f(out-degree), hops from the root, messages per broadcast (averaged over the origin node,
 * with min and max), and the largest fan-out (most messages one node sends for one broadcast).
 *
 * Routing is the node's own, from common/route.h (one rule for both): `flat` (the origin sends
 * to every other node: N-1 messages); rooted (a directed topology with a root, e.g. tree, star,
 * kary or a file holding an arborescence: the origin sends to its children and, unless it is the
 * root, to the root; a node first seeing a value from a peer sends it to its children except
 * that peer); mesh (hubs: a leaf sends to its hub, a hub relays its leaves' values to the other
 * hubs and its leaves, other hubs' values to its leaves only); flood otherwise (the origin sends
 * to all its neighbours, a node first seeing a value from a peer sends it to all its neighbours
 * except that peer; on a symmetric graph that is deg(origin) + sum over the others of (deg - 1)
 * = 2E - (N - 1) for every origin). Messages are simulated with unit latency in FIFO order,
 * which decides "first seen" where it matters. Pure.
 */
#ifndef GL_TG_SCORE_H
#define GL_TG_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "fn.h"
#include "topo.h"

enum tg_routing { TG_ROUTE_FLOOD, TG_ROUTE_ROOTED, TG_ROUTE_FLAT, TG_ROUTE_MESH };

struct tg_score {
    enum tg_routing routing;
    uint32_t root;              /* depth is measured from here */
    uint32_t cnt[GL_MAX_NODES]; /* cnt[d]: nodes with out-degree d */
    uint32_t maxdeg;
    double sumf;
    uint32_t depth_max;
    double depth_mean; /* over the nodes other than the root */
    double msgs_mean;
    uint64_t msgs_min, msgs_max;
    uint32_t min_origin, max_origin;
    uint32_t fanout;                     /* largest fan-out */
    uint32_t fanout_node, fanout_origin; /* who sends it, for which origin */
};

const char *tg_routing_name(enum tg_routing r);

/*
 * Scores t. root: where depth is measured from (-1: t->root, else the graph centre, i.e. the
 * node of least eccentricity, lowest index on ties). Returns 0,
 * or -1 with err naming unreachable nodes ("n5, n6 cannot be reached from n0") or memory.
 */
int tg_score(const struct topo *t, int32_t root, const struct tg_fn *f, struct tg_score *s,
             char *err, size_t errlen);

#endif
