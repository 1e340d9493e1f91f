/*
 * format: topogen's outputs. A topology as Maelstrom JSON, as an INI snippet for the node, as
 * drawing data for plots/topology.gp, as Graphviz dot; a grid arborescence as ASCII art. The
 * layout is Maelstrom's grid: node i at column i % cols, row i / cols (cols 0: ceil(sqrt N)).
 * These write to a FILE and return 0, or -1 on a write error.
 */
#ifndef GL_TG_FORMAT_H
#define GL_TG_FORMAT_H

#include <stdint.h>
#include <stdio.h>

#include "topo.h"

int tg_format_json(FILE *out, const struct topo *t);

/* The node's [topology] section: the strategy (with its root), or `file` for custom ones. */
int tg_format_ini(FILE *out, const struct topo *t, const char *json_path);

/*
 * Drawing data: a comment header, block 0 "x y name is_root" per node, two blank lines, block 1
 * "x0 y0 dx dy directed" per edge (shortened so arrows stop at the node markers; an undirected
 * edge, i.e. a pair of opposite arcs in a symmetric map, appears once with directed = 0).
 */
int tg_format_gnuplot(FILE *out, const struct topo *t, uint32_t cols, const char *title);

int tg_format_dot(FILE *out, const struct topo *t, uint32_t cols);

/*
 * ASCII drawing of an arborescence of the rows x cols grid given as parent pointers: "R" at the
 * root, edges as "-" and "|" between cells, arrow heads pointing from parent to child.
 */
int tg_draw_tree(FILE *out, uint32_t rows, uint32_t cols, uint32_t root, const uint8_t *par);

/* The arborescence par of a rows x cols grid as a rooted, directed struct topo ("n0".."nN-1",
 * children in Maelstrom's neighbour order). Returns 0 or -1 (memory). */
int tg_tree_topo(struct topo *t, uint32_t rows, uint32_t cols, uint32_t root, const uint8_t *par);

#endif
