/*
 * route: where a value goes, for one node, under a strategy's topology. One rule, shared by the
 * node (node/core.c) and topogen's score, so what topogen counts is what the node sends.
 *
 * A node has out-links, each with a role (the role of the link self -> peer):
 *   UP     towards the root: a rooted node's link to the root, a hubs leaf's link to its hub;
 *   DOWN   away from the root: a rooted node's children, a hub's leaves;
 *   PEER   a mutual arc of a mesh (hub <-> hub), and flat's link to every other node;
 *   FLOOD  a neighbour of an undirected graph (Maelstrom's maps, files that are not trees).
 * The rule:
 *   - a client broadcast goes over every out-link;
 *   - a value first seen from peer p goes over every DOWN and FLOOD link, and over PEER links
 *     unless p is itself a PEER; never back to p, never UP.
 * So flood floods, a rooted tree sends a client value to the node's children and the root and
 * the root sends it down the whole tree, flat's origin sends to everyone and nobody relays, and a
 * hub relays its own leaves' values to the other hubs and its leaves, and other hubs' values to
 * its leaves only.
 *
 * The roles also tell the batcher which flush schedule a link follows ([batch] up_ms, down_ms,
 * across_ms: PEER and FLOOD links are "across"), and depth (hops from the root) staggers the
 * DOWN flushes of a multi-level tree. Pure: no IO, no clock.
 */
#ifndef GL_ROUTE_H
#define GL_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topo.h"

enum route_shape {
    ROUTE_SHAPE_FLOOD,  /* undirected: a node's own list plus every node that lists it */
    ROUTE_SHAPE_ROOTED, /* an arborescence: out-arcs DOWN, the root UP */
    ROUTE_SHAPE_FLAT,   /* everyone PEER: the origin sends to all, nobody relays */
    ROUTE_SHAPE_MESH,   /* directed, unrooted (hubs): mutual arcs PEER, out-arcs DOWN, in-arcs UP */
};

enum route_role {
    ROLE_NONE, /* no link */
    ROLE_UP,
    ROLE_DOWN,
    ROLE_PEER,
    ROLE_FLOOD,
};
#define ROLE_COUNT 5

struct route {
    enum route_shape shape;
    uint32_t n;      /* cluster size */
    uint32_t self;   /* this node's cluster index */
    uint32_t *links; /* out-links (cluster indices), in topology order */
    uint32_t n_links;
    uint8_t *role;  /* role[peer]: the link self -> peer, ROLE_NONE when there is none */
    int32_t parent; /* rooted: the node whose DOWN link reaches us (-1: none, at the root) */
    uint32_t depth; /* hops from the root (rooted), 1 for a mesh leaf, else 0 */
};

/* The shape the node uses for a built topology: flat, mesh (hubs), rooted (a root), else flood. */
enum route_shape route_shape_of(const struct topo *t);

/* "flood", "rooted", "flat", "mesh". */
const char *route_shape_name(enum route_shape s);

/* "up", "down", "peer", "flood", "none". */
const char *route_role_name(enum route_role r);

/* Whether a value first seen over a link of role from_role goes on over a link of role link. */
bool route_relays(enum route_role link, enum route_role from_role);

void route_init(struct route *r);
void route_release(struct route *r);

/*
 * Builds self's routes from t (not for ROUTE_SHAPE_FLAT: route_build_flat). map[j] is the cluster
 * index of t's node j, or -1 for a node outside the cluster, which gets no link (NULL: t's node j
 * is cluster node j, and t->n == n). self_t: self's index in t, or -1 when t does not name it (no
 * links). root: the root's index in t (ROUTE_SHAPE_ROOTED). Replaces what r held. Returns 0, or
 * -1 when memory runs out (r is then empty).
 */
int route_build(struct route *r, const struct topo *t, enum route_shape shape, int32_t root,
                int32_t self_t, const int32_t *map, uint32_t n, uint32_t self);

/* flat over n nodes: a PEER link to every other node, in index order. */
int route_build_flat(struct route *r, uint32_t n, uint32_t self);

/* Where a client broadcast goes: every out-link, into out (room for n_links). Returns the count. */
size_t route_client(const struct route *r, uint32_t *out);

/*
 * Where a value first seen from peer `from` goes (from = -1: a sender outside the cluster, whose
 * role is ROLE_NONE), into out (room for n_links). Returns the count.
 */
size_t route_relay(const struct route *r, int32_t from, uint32_t *out);

#endif
