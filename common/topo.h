/*
 * topo: topology graphs and the strategies that build them. One implementation shared by the
 * node, the harness (Maelstrom's --topology) and topogen.
 *
 * A topology is a list of named nodes, each with an ordered list of out-neighbours (indices).
 * Maelstrom's built-ins (grid, line, tree2/3/4, total) are symmetric neighbour maps, exactly as
 * Maelstrom computes them (spec §2.2, fixtures/maelstrom/topologies.txt). Our own strategies are
 * rooted and directed: `tree` (the centred spanning tree of design.md), `star` and `kary` list only
 * the children of each node; `flat` is the complete graph used by "the origin sends to everyone"
 * (symmetric: directed = false, root = -1); `hubs` is directed but not rooted: every hub lists the
 * other hubs (so hub pairs are mutual arcs) and then its own leaves, a leaf lists nothing.
 *
 * hubs(K): the nodes in order are cut into K blocks [floor(b n / K), floor((b + 1) n / K));
 * each block's hub is its middle node (index start + (len - 1) / 2), the others are its leaves.
 * For 25 nodes and K = 5 the hubs are n2 n7 n12 n17 n22 (the grid's centre column); K = 1 is
 * the star on n12. kary(K): node i sits at position p = (i - root) mod n and the children of
 * position p are positions K*p + 1 .. K*p + K (Maelstrom's treeK layout, rooted at n0 unless
 * root says otherwise, arcs parent -> child only).
 *
 * The centred tree for any n: lay the nodes out as Maelstrom's grid (side = ceil(sqrt n), node i
 * at row i/side, column i%side); the root (default topo_centre(n)) sits at (r0, c0) and column c0
 * is the spine, running from the root away from it; every spine node feeds its row outwards; a
 * row without a spine cell (only a short last row) hangs off the node above its cell nearest the
 * spine column and feeds outwards from there. Children are listed up, down, left, right.
 * Pure: no IO, no clock. Topology files are read and written by topo_json.h.
 */
#ifndef GL_TOPO_H
#define GL_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"

enum topo_kind {
    TOPO_GRID,
    TOPO_LINE,
    TOPO_TREE2,
    TOPO_TREE3,
    TOPO_TREE4,
    TOPO_TOTAL,
    TOPO_TREE,   /* centred spanning tree (ours, directed, rooted) */
    TOPO_STAR,   /* one hub -> every other node (directed, rooted) */
    TOPO_FLAT,   /* complete graph; routing: the origin sends to every node */
    TOPO_HUBS,   /* K hubs fully connected, each other node a leaf of one hub (directed) */
    TOPO_KARY,   /* K-ary tree on node order, heap layout from the root (directed, rooted) */
    TOPO_CUSTOM, /* loaded from JSON or built by hand */
};

struct topo_node {
    char name[GL_ID_MAX];
    uint32_t *adj; /* out-neighbours, in order */
    uint32_t deg;
    size_t cap;
    bool listed; /* has an entry in the JSON map (Maelstrom's line of 1 node has none) */
};

struct topo {
    struct topo_node *nodes;
    uint32_t n;
    size_t cap;
    int32_t root;  /* -1 when not rooted */
    bool directed; /* adjacency lists children only */
    enum topo_kind kind;
    uint32_t k;         /* hubs: the number of hubs, kary: the fan-out (0 for other kinds) */
    uint32_t *index;    /* name hash -> node index + 1 (0 = empty), kept by topo_add_node */
    uint32_t index_cap; /* a power of two, at least twice n */
};

/* "grid", "tree", ...; NULL for an invalid kind. */
const char *topo_kind_name(enum topo_kind k);
/* Parses a kind name; returns 0 or -1. "custom" is not accepted. */
int topo_kind_parse(const char *name, enum topo_kind *out);

void topo_init(struct topo *t);
void topo_release(struct topo *t);

/* Appends a node (listed = true); returns its index, or -1 (duplicate name, limit, memory). */
int32_t topo_add_node(struct topo *t, const char *name);
/* Appends the arc from -> to; returns 0 or -1 (bad index, memory). */
int topo_add_arc(struct topo *t, uint32_t from, uint32_t to);
/* Index of a node by name, or -1. */
int32_t topo_find(const struct topo *t, const char *name);

/*
 * Builds a strategy's topology over n nodes named names[0..n) (NULL: "n0".."n<n-1>"), in that
 * order. root: the root/hub index for tree, star and kary, -1 for the default (tree and star:
 * the grid centre, topo_centre(); kary: node 0); ignored by the other kinds. Returns 0, or -1
 * with a message in err. topo_build_k also takes the kind's size parameter k: the number of
 * hubs (hubs, 1..n) or the fan-out (kary, >= 1); 0 is the default (topo_default_k).
 */
int topo_build(struct topo *t, enum topo_kind kind, uint32_t n, const char (*names)[GL_ID_MAX],
               int32_t root, char *err, size_t errlen);
int topo_build_k(struct topo *t, enum topo_kind kind, uint32_t n, const char (*names)[GL_ID_MAX],
                 int32_t root, uint32_t k, char *err, size_t errlen);

/* The default size parameter of a kind for n nodes: hubs ceil(sqrt n), kary 2, else 0. */
uint32_t topo_default_k(enum topo_kind kind, uint32_t n);

/* hubs(k) over n nodes: the hub of node i (itself when i is a hub). */
uint32_t topo_hub_of(uint32_t n, uint32_t k, uint32_t i);

/* Side of Maelstrom's grid layout for n nodes: ceil(sqrt(n)). Node i sits at (i/side, i%side). */
uint32_t topo_grid_side(uint32_t n);
/* The default root: the node nearest the centre of the grid layout (n12 for 25 nodes). */
int32_t topo_centre(uint32_t n);

/*
 * The root of an arborescence (one node with in-degree 0, every other in-degree 1, all
 * reachable from it), or -1 if t is not one.
 */
int32_t topo_arborescence_root(const struct topo *t);

#endif
