/*
 * topo: topology graphs and the strategies that build them. One implementation shared by the
 * node, the harness (Maelstrom's --topology) and topogen.
 *
 * A topology is a list of named nodes, each with an ordered list of out-neighbours (indices).
 * Maelstrom's built-ins (grid, line, tree2/3/4, total) are symmetric neighbour maps, exactly as
 * Maelstrom computes them (spec §2.2, fixtures/maelstrom/topologies.txt). Our own strategies are
 * rooted and directed: `tree` (the centred spanning tree of design.md) and `star` list only the
 * children of each node; `flat` is the complete graph used by "the origin sends to everyone"
 * (symmetric: directed = false, root = -1).
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
 * order. root: the root/hub index for tree and star, -1 for the default (the grid centre,
 * topo_centre()); ignored by the other kinds. Returns 0, or -1 with a message in err.
 */
int topo_build(struct topo *t, enum topo_kind kind, uint32_t n, const char (*names)[GL_ID_MAX],
               int32_t root, char *err, size_t errlen);

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
