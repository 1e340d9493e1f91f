/*
 * route: a node's out-links and their roles (see route.h). Built once per topology: the flood
 * and mesh shapes scan every node's list for the ones naming self (O(E)), the rooted shape walks
 * the tree once for self's depth. Pure: no IO, no clock.
 */
#include "route.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

enum route_shape route_shape_of(const struct topo *t)
{
    if (t->kind == TOPO_FLAT) return ROUTE_SHAPE_FLAT;
    if (t->kind == TOPO_HUBS) return ROUTE_SHAPE_MESH;
    if (t->directed && t->root >= 0) return ROUTE_SHAPE_ROOTED;
    return ROUTE_SHAPE_FLOOD;
}

const char *route_shape_name(enum route_shape s)
{
    switch (s) {
    case ROUTE_SHAPE_FLOOD:
        return "flood";
    case ROUTE_SHAPE_ROOTED:
        return "rooted";
    case ROUTE_SHAPE_FLAT:
        return "flat";
    case ROUTE_SHAPE_MESH:
        return "mesh";
    }
    return "?";
}

const char *route_role_name(enum route_role r)
{
    switch (r) {
    case ROLE_UP:
        return "up";
    case ROLE_DOWN:
        return "down";
    case ROLE_PEER:
        return "peer";
    case ROLE_FLOOD:
        return "flood";
    case ROLE_NONE:
        break;
    }
    return "none";
}

bool route_relays(enum route_role link, enum route_role from_role)
{
    switch (link) {
    case ROLE_DOWN:
    case ROLE_FLOOD:
        return true;
    case ROLE_PEER:
        return from_role != ROLE_PEER; /* a mesh is crossed once: hub -> hub, never on */
    case ROLE_UP:
    case ROLE_NONE:
        break;
    }
    return false;
}

void route_init(struct route *r)
{
    memset(r, 0, sizeof(*r));
    r->parent = -1;
}

void route_release(struct route *r)
{
    free(r->links);
    free(r->role);
    route_init(r);
}

static int route_alloc(struct route *r, uint32_t n, uint32_t self, enum route_shape shape)
{
    route_release(r);
    r->shape = shape;
    r->n = n;
    r->self = self;
    r->links = malloc((n ? n : 1) * sizeof(*r->links));
    r->role = calloc(n ? n : 1, sizeof(*r->role));
    if (r->links && r->role) return 0;
    route_release(r);
    return -1;
}

/* Adds the link self -> peer with role unless peer is self, outside the cluster or linked. */
static void add_link(struct route *r, int32_t peer, enum route_role role)
{
    if (peer < 0 || (uint32_t)peer >= r->n || (uint32_t)peer == r->self) return;
    if (r->role[peer] != ROLE_NONE) return;
    r->role[peer] = (uint8_t)role;
    r->links[r->n_links++] = (uint32_t)peer;
}

/* Gives back the room links had for every node of the cluster: a node of a tree has a few. */
static void fit_links(struct route *r)
{
    uint32_t *l = realloc(r->links, (r->n_links ? r->n_links : 1) * sizeof(*l));
    if (l) r->links = l;
}

static int32_t cluster_index(const int32_t *map, uint32_t j)
{
    return map ? map[j] : (int32_t)j;
}

/* Whether t's node j lists node k. */
static bool lists(const struct topo *t, uint32_t j, uint32_t k)
{
    for (uint32_t a = 0; a < t->nodes[j].deg; a++)
        if (t->nodes[j].adj[a] == k) return true;
    return false;
}

/* Hops from root to target along t's arcs (breadth first), or 0 when unreachable. */
static int depth_from(const struct topo *t, uint32_t root, uint32_t target, uint32_t *depth)
{
    uint32_t *d = malloc(t->n * sizeof(*d)), *q = malloc(t->n * sizeof(*q));
    if (!d || !q) {
        free(d);
        free(q);
        return -1;
    }
    for (uint32_t v = 0; v < t->n; v++)
        d[v] = UINT32_MAX;
    uint32_t head = 0, tail = 0;
    d[root] = 0;
    q[tail++] = root;
    while (head < tail) {
        uint32_t v = q[head++];
        for (uint32_t a = 0; a < t->nodes[v].deg; a++) {
            uint32_t w = t->nodes[v].adj[a];
            if (d[w] == UINT32_MAX) d[w] = d[v] + 1, q[tail++] = w;
        }
    }
    *depth = d[target] == UINT32_MAX ? 0 : d[target];
    free(d);
    free(q);
    return 0;
}

int route_build(struct route *r, const struct topo *t, enum route_shape shape, int32_t root,
                int32_t self_t, const int32_t *map, uint32_t n, uint32_t self)
{
    if (route_alloc(r, n, self, shape) != 0) return -1;
    if (self_t < 0 || (uint32_t)self_t >= t->n) {
        fit_links(r);
        return 0;
    }
    uint32_t me = (uint32_t)self_t;
    const struct topo_node *tn = &t->nodes[me];
    for (uint32_t a = 0; a < tn->deg; a++) {
        uint32_t w = tn->adj[a];
        enum route_role role = shape == ROUTE_SHAPE_FLOOD    ? ROLE_FLOOD
                               : shape == ROUTE_SHAPE_ROOTED ? ROLE_DOWN
                               : lists(t, w, me)             ? ROLE_PEER
                                                             : ROLE_DOWN;
        add_link(r, cluster_index(map, w), role);
    }
    if (shape == ROUTE_SHAPE_ROOTED) {
        if (root >= 0 && (uint32_t)root < t->n && root != self_t) {
            add_link(r, cluster_index(map, (uint32_t)root), ROLE_UP);
            if (depth_from(t, (uint32_t)root, me, &r->depth) != 0) goto nomem;
        }
        for (uint32_t j = 0; j < t->n && r->parent < 0; j++)
            if (j != me && lists(t, j, me)) r->parent = cluster_index(map, j);
        fit_links(r);
        return 0;
    }
    /* flood: every node listing self is a neighbour; mesh: a one-way arc into self is UP. */
    for (uint32_t j = 0; j < t->n; j++) {
        if (j == me || !lists(t, j, me)) continue;
        if (shape == ROUTE_SHAPE_FLOOD) {
            add_link(r, cluster_index(map, j), ROLE_FLOOD);
        } else if (!lists(t, me, j)) {
            add_link(r, cluster_index(map, j), ROLE_UP);
            r->depth = 1;
        }
    }
    fit_links(r);
    return 0;
nomem:
    route_release(r);
    return -1;
}

int route_build_flat(struct route *r, uint32_t n, uint32_t self)
{
    if (route_alloc(r, n, self, ROUTE_SHAPE_FLAT) != 0) return -1;
    for (uint32_t k = 0; k < n; k++)
        add_link(r, (int32_t)k, ROLE_PEER);
    return 0;
}

size_t route_client(const struct route *r, uint32_t *out)
{
    memcpy(out, r->links, r->n_links * sizeof(*out));
    return r->n_links;
}

size_t route_relay(const struct route *r, int32_t from, uint32_t *out)
{
    enum route_role fr =
        from >= 0 && (uint32_t)from < r->n ? (enum route_role)r->role[from] : ROLE_NONE;
    size_t k = 0;
    for (uint32_t l = 0; l < r->n_links; l++) {
        uint32_t peer = r->links[l];
        if ((int32_t)peer != from && route_relays((enum route_role)r->role[peer], fr))
            out[k++] = peer;
    }
    return k;
}
