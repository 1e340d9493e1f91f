/*
 * grid: the R x C grid graph and its exact counts (see grid.h). Pure: no IO.
 */
#include "grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 tg_i128;

int tg_grid_parse(const char *s, uint32_t *rows, uint32_t *cols, char *err, size_t errlen)
{
    unsigned r = 0, c = 0;
    int off = 0;
    if (sscanf(s, "%3ux%3u%n", &r, &c, &off) != 2 || s[off] != '\0' || r == 0 || c == 0) {
        snprintf(err, errlen, "bad grid '%s' (expected RxC, e.g. 5x5)", s);
        return -1;
    }
    *rows = r;
    *cols = c;
    return 0;
}

int tg_grid_init(struct tg_grid *g, uint32_t rows, uint32_t cols, char *err, size_t errlen)
{
    memset(g, 0, sizeof(*g));
    if (rows == 0 || cols == 0 || (uint64_t)rows * cols > TG_MAX_ENUM_NODES) {
        snprintf(err, errlen, "grid %ux%u out of range (at most %u cells)", rows, cols,
                 (unsigned)TG_MAX_ENUM_NODES);
        return -1;
    }
    g->rows = rows;
    g->cols = cols;
    g->n = rows * cols;
    for (uint32_t v = 0; v < g->n; v++) {
        uint32_t i = v / cols, j = v % cols;
        if (j + 1 < cols) {
            g->eu[g->m] = (uint8_t)v;
            g->ev[g->m++] = (uint8_t)(v + 1);
        }
        if (i + 1 < rows) {
            g->eu[g->m] = (uint8_t)v;
            g->ev[g->m++] = (uint8_t)(v + cols);
        }
        /* Maelstrom's neighbour order: down, up, right, left. */
        if (i + 1 < rows) g->nbr[v][g->nnbr[v]++] = (uint8_t)(v + cols);
        if (i > 0) g->nbr[v][g->nnbr[v]++] = (uint8_t)(v - cols);
        if (j + 1 < cols) g->nbr[v][g->nnbr[v]++] = (uint8_t)(v + 1);
        if (j > 0) g->nbr[v][g->nnbr[v]++] = (uint8_t)(v - 1);
    }
    return 0;
}

uint32_t tg_grid_centre(const struct tg_grid *g)
{
    return ((g->rows - 1) / 2) * g->cols + (g->cols - 1) / 2;
}

static uint32_t absdiff(uint32_t a, uint32_t b)
{
    return a > b ? a - b : b - a;
}

uint32_t tg_grid_dist(const struct tg_grid *g, uint32_t a, uint32_t b)
{
    return absdiff(a / g->cols, b / g->cols) + absdiff(a % g->cols, b % g->cols);
}

uint32_t tg_grid_eccentricity(const struct tg_grid *g, uint32_t root)
{
    uint32_t e = 0;
    for (uint32_t v = 0; v < g->n; v++) {
        uint32_t d = tg_grid_dist(g, root, v);
        if (d > e) e = d;
    }
    return e;
}

int tg_grid_adjacent(const struct tg_grid *g, uint32_t a, uint32_t b)
{
    return a < g->n && b < g->n && tg_grid_dist(g, a, b) == 1;
}

/* Image of (r, c) under symmetry s of the dihedral group; returns -1 if s does not map the
 * grid onto itself (the four transposing ones on a non-square grid). */
static int32_t sym_apply(const struct tg_grid *g, uint32_t s, uint32_t v)
{
    uint32_t R = g->rows, C = g->cols, r = v / C, c = v % C;
    uint32_t nr, nc;
    if (s >= 4 && R != C) return -1;
    switch (s) {
    case 0:
        nr = r, nc = c;
        break;
    case 1:
        nr = R - 1 - r, nc = c;
        break;
    case 2:
        nr = r, nc = C - 1 - c;
        break;
    case 3:
        nr = R - 1 - r, nc = C - 1 - c;
        break;
    case 4:
        nr = c, nc = r;
        break;
    case 5:
        nr = C - 1 - c, nc = R - 1 - r;
        break;
    case 6:
        nr = c, nc = C - 1 - r;
        break;
    default:
        nr = R - 1 - c, nc = r;
        break;
    }
    return (int32_t)(nr * C + nc);
}

uint32_t tg_grid_symmetries(const struct tg_grid *g, uint32_t root,
                            uint8_t perm[TG_MAX_SYM][TG_MAX_ENUM_NODES])
{
    uint32_t k = 0;
    for (uint32_t s = 0; s < TG_MAX_SYM; s++) {
        if (sym_apply(g, s, root) != (int32_t)root) continue;
        for (uint32_t v = 0; v < g->n; v++)
            perm[k][v] = (uint8_t)sym_apply(g, s, v);
        k++;
    }
    return k;
}

/* a*b - c*d with overflow detection; returns 0 or -1. */
static int mul_sub(tg_i128 a, tg_i128 b, tg_i128 c, tg_i128 d, tg_i128 *out)
{
    tg_i128 x, y;
    if (__builtin_mul_overflow(a, b, &x) || __builtin_mul_overflow(c, d, &y) ||
        __builtin_sub_overflow(x, y, out))
        return -1;
    return 0;
}

int tg_grid_matrix_tree(const struct tg_grid *g, tg_u128 *count, char *err, size_t errlen)
{
    uint32_t n = g->n - 1; /* drop the last vertex's row and column */
    if (n == 0) {
        *count = 1;
        return 0;
    }
    tg_i128 *a = calloc((size_t)n * n, sizeof(*a));
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (uint32_t k = 0; k < g->m; k++) {
        uint32_t u = g->eu[k], v = g->ev[k];
        if (u < n) a[u * n + u]++;
        if (v < n) a[v * n + v]++;
        if (u < n && v < n) a[u * n + v]--, a[v * n + u]--;
    }
    /* Bareiss: a reduced Laplacian is positive definite, so no pivot is ever zero. */
    tg_i128 prev = 1;
    int rc = 0;
    for (uint32_t k = 0; k + 1 < n && rc == 0; k++) {
        for (uint32_t i = k + 1; i < n && rc == 0; i++)
            for (uint32_t j = k + 1; j < n; j++) {
                tg_i128 num;
                if (mul_sub(a[k * n + k], a[i * n + j], a[i * n + k], a[k * n + j], &num)) {
                    rc = -1;
                    break;
                }
                a[i * n + j] = num / prev;
            }
        prev = a[k * n + k];
    }
    if (rc == 0)
        *count = (tg_u128)a[(n - 1) * n + (n - 1)];
    else
        snprintf(err, errlen, "Matrix-Tree determinant overflows 128 bits");
    free(a);
    return rc;
}

tg_u128 tg_grid_shortest_count(const struct tg_grid *g, uint32_t root)
{
    tg_u128 c = 1;
    for (uint32_t v = 0; v < g->n; v++) {
        if (v == root) continue;
        uint32_t d = tg_grid_dist(g, root, v), choices = 0;
        for (uint32_t k = 0; k < g->nnbr[v]; k++)
            if (tg_grid_dist(g, root, g->nbr[v][k]) + 1 == d) choices++;
        c *= choices;
    }
    return c;
}

char *tg_u128_str(tg_u128 v, char *buf)
{
    char tmp[48];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    for (int i = 0; i < k; i++)
        buf[i] = tmp[k - 1 - i];
    buf[k] = '\0';
    return buf;
}
