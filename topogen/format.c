/*
 * format: output formats for topologies and trees (see format.h).
 */
#include "format.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"

int tg_format_json(FILE *out, const struct topo *t)
{
    char *text = NULL;
    size_t len = 0;
    if (codec_topo_encode(t, &text, &len) != 0) return -1;
    int rc = fwrite(text, 1, len, out) == len && fputc('\n', out) != EOF ? 0 : -1;
    free(text);
    return rc;
}

int tg_format_ini(FILE *out, const struct topo *t, const char *json_path)
{
    int w;
    if (t->kind == TOPO_CUSTOM) {
        w = fprintf(out, "[topology]\nstrategy = file\nfile     = %s\n",
                    json_path ? json_path : "topology.json");
    } else {
        w = fprintf(out, "[topology]\nstrategy = %s\n", topo_kind_name(t->kind));
        if (w >= 0 && t->root >= 0) w = fprintf(out, "root     = %s\n", t->nodes[t->root].name);
        if (w >= 0 && t->kind == TOPO_HUBS) w = fprintf(out, "hubs     = %u\n", t->k);
        if (w >= 0 && t->kind == TOPO_KARY) w = fprintf(out, "fanout   = %u\n", t->k);
    }
    return w < 0 ? -1 : 0;
}

static uint32_t layout_cols(const struct topo *t, uint32_t cols)
{
    return cols ? cols : topo_grid_side(t->n);
}

/* Whether w lists v (so the arc v -> w has its opposite). */
static bool lists(const struct topo *t, uint32_t w, uint32_t v)
{
    for (uint32_t k = 0; k < t->nodes[w].deg; k++)
        if (t->nodes[w].adj[k] == v) return true;
    return false;
}

int tg_format_gnuplot(FILE *out, const struct topo *t, uint32_t cols, const char *title)
{
    uint32_t c = layout_cols(t, cols);
    fprintf(out, "# topogen drawing data: %s\n# block 0: x y name is_root\n", title);
    for (uint32_t v = 0; v < t->n; v++)
        fprintf(out, "%u %u %s %d\n", v % c, v / c, t->nodes[v].name, (int32_t)v == t->root);
    fprintf(out, "\n\n# block 1: x0 y0 dx dy directed\n");
    const double gap = 0.21; /* node marker radius in grid units */
    for (uint32_t v = 0; v < t->n; v++)
        for (uint32_t k = 0; k < t->nodes[v].deg; k++) {
            uint32_t w = t->nodes[v].adj[k];
            bool both = !t->directed && lists(t, w, v);
            if (both && w < v) continue; /* drawn once, from the lower index */
            double x0 = v % c, y0 = v / c, dx = (double)(w % c) - x0, dy = (double)(w / c) - y0;
            double len = sqrt(dx * dx + dy * dy);
            if (len == 0.0) continue;
            double ux = dx / len, uy = dy / len, shrink = len > 2 * gap ? 2 * gap : 0.0;
            fprintf(out, "%.3f %.3f %.3f %.3f %d\n", x0 + ux * gap, y0 + uy * gap, dx - ux * shrink,
                    dy - uy * shrink, both ? 0 : 1);
        }
    return ferror(out) ? -1 : 0;
}

int tg_format_dot(FILE *out, const struct topo *t, uint32_t cols)
{
    uint32_t c = layout_cols(t, cols), rows = (t->n + c - 1) / c;
    bool dir = t->directed;
    fprintf(out, "%s topology {\n  node [shape=circle];\n", dir ? "digraph" : "graph");
    for (uint32_t v = 0; v < t->n; v++)
        fprintf(out, "  \"%s\" [pos=\"%u,%u!\"%s];\n", t->nodes[v].name, v % c * 72,
                (rows - 1 - v / c) * 72, (int32_t)v == t->root ? ", shape=doublecircle" : "");
    for (uint32_t v = 0; v < t->n; v++)
        for (uint32_t k = 0; k < t->nodes[v].deg; k++) {
            uint32_t w = t->nodes[v].adj[k];
            if (!dir && lists(t, w, v) && w < v) continue;
            fprintf(out, "  \"%s\" %s \"%s\";\n", t->nodes[v].name, dir ? "->" : "--",
                    t->nodes[w].name);
        }
    fprintf(out, "}\n");
    return ferror(out) ? -1 : 0;
}

int tg_draw_tree(FILE *out, uint32_t rows, uint32_t cols, uint32_t root, const uint8_t *par)
{
    for (uint32_t r = 0; r < rows; r++) {
        for (uint32_t c = 0; c < cols; c++) { /* cells and horizontal edges */
            uint32_t v = r * cols + c;
            fputs(v == root ? "R" : "o", out);
            if (c + 1 == cols) break;
            fputs(par[v + 1] == v ? "->" : par[v] == v + 1 ? "<-" : "  ", out);
        }
        fputc('\n', out);
        for (uint32_t c = 0; r + 1 < rows && c < cols; c++) { /* vertical edges */
            uint32_t v = r * cols + c;
            fputs(par[v + cols] == v ? "v" : par[v] == v + cols ? "^" : " ", out);
            if (c + 1 < cols) fputs("  ", out);
        }
        if (r + 1 < rows) fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

int tg_tree_topo(struct topo *t, uint32_t rows, uint32_t cols, uint32_t root, const uint8_t *par)
{
    uint32_t n = rows * cols;
    topo_init(t);
    for (uint32_t v = 0; v < n; v++) {
        char name[GL_ID_MAX];
        snprintf(name, sizeof(name), "n%u", v);
        if (topo_add_node(t, name) < 0) goto fail;
    }
    for (uint32_t v = 0; v < n; v++) {
        /* children in Maelstrom's order: down, up, right, left */
        int64_t cand[4] = { v + cols < n ? (int64_t)v + cols : -1,
                            v >= cols ? (int64_t)v - cols : -1,
                            v % cols + 1 < cols ? (int64_t)v + 1 : -1,
                            v % cols > 0 ? (int64_t)v - 1 : -1 };
        for (int k = 0; k < 4; k++)
            if (cand[k] >= 0 && (uint32_t)cand[k] != root && par[cand[k]] == v &&
                topo_add_arc(t, v, (uint32_t)cand[k]) != 0)
                goto fail;
    }
    t->root = (int32_t)root;
    t->directed = true;
    return 0;
fail:
    topo_release(t);
    return -1;
}
