/*
 * grid: the R x C grid graph and its exact counts (see grid.h). Pure: no IO.
 */
#include "grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"

#include "banned.h"

int tg_grid_parse(const char *s, uint32_t *rows, uint32_t *cols, char *err, size_t errlen)
{
    unsigned r = 0, c = 0;
    int off = 0;
    if (sscanf(s, "%3ux%3u%n", &r, &c, &off) != 2 || s[off] != '\0' || r == 0 || c == 0) {
        return gl_errorf(err, errlen, "bad grid '%s' (expected RxC, e.g. 5x5)", s);
    }
    *rows = r;
    *cols = c;
    return 0;
}

int tg_grid_init(struct tg_grid *g, uint32_t rows, uint32_t cols, char *err, size_t errlen)
{
    memset(g, 0, sizeof(*g));
    if (rows == 0 || cols == 0 || (uint64_t)rows * cols > TG_MAX_ENUM_NODES) {
        return gl_errorf(err, errlen, "grid %ux%u out of range (at most %u cells)", rows, cols,
                         (unsigned)TG_MAX_ENUM_NODES);
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

/*
 * The Matrix-Tree determinant, exactly: a spanning-tree count of a grid of at most 64 cells is
 * below 4^63 = 2^126 (each non-root vertex picks one of at most 4 parents), so the determinant
 * modulo three primes near 2^62 (product ~2^186) and the Chinese remainder theorem give it
 * exactly, with no intermediate growth (fraction-free Bareiss overflows 128 bits from 7x7 on).
 */
static const uint64_t crt_primes[3] = { 9223372036854775783ull, 4611686018427387847ull,
                                        2305843009213693951ull };

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t p)
{
    return (uint64_t)((tg_u128)a * b % p);
}

static uint64_t powmod(uint64_t a, uint64_t e, uint64_t p)
{
    uint64_t r = 1;
    for (; e; e >>= 1, a = mulmod(a, a, p))
        if (e & 1) r = mulmod(r, a, p);
    return r;
}

/* det(a) mod p by Gaussian elimination; a (n x n, entries already reduced) is destroyed. */
static uint64_t det_mod(uint64_t *a, uint32_t n, uint64_t p)
{
    uint64_t det = 1;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t piv = k;
        while (piv < n && a[piv * n + k] == 0)
            piv++;
        if (piv == n) return 0;
        if (piv != k) {
            for (uint32_t j = 0; j < n; j++) {
                uint64_t t = a[k * n + j];
                a[k * n + j] = a[piv * n + j];
                a[piv * n + j] = t;
            }
            det = p - det == p ? 0 : p - det; /* a row swap negates */
        }
        det = mulmod(det, a[k * n + k], p);
        uint64_t inv = powmod(a[k * n + k], p - 2, p);
        for (uint32_t i = k + 1; i < n; i++) {
            uint64_t m = mulmod(a[i * n + k], inv, p);
            for (uint32_t j = k; j < n && m; j++)
                a[i * n + j] = (a[i * n + j] + p - mulmod(m, a[k * n + j], p)) % p;
        }
    }
    return det;
}

/* The reduced Laplacian (last vertex dropped) modulo p. */
static void laplacian_mod(const struct tg_grid *g, uint32_t n, uint64_t p, uint64_t *a)
{
    memset(a, 0, (size_t)n * n * sizeof(*a));
    for (uint32_t k = 0; k < g->m; k++) {
        uint32_t u = g->eu[k], v = g->ev[k];
        if (u < n) a[u * n + u]++;
        if (v < n) a[v * n + v]++;
        if (u < n && v < n) a[u * n + v] = p - 1, a[v * n + u] = p - 1;
    }
}

int tg_grid_matrix_tree(const struct tg_grid *g, tg_u128 *count, char *err, size_t errlen)
{
    uint32_t n = g->n - 1;
    uint64_t a[(TG_MAX_ENUM_NODES - 1) * (TG_MAX_ENUM_NODES - 1)], r[3];
    (void)err, (void)errlen; /* exact for every grid tg_grid_init accepts */
    for (int k = 0; k < 3; k++) {
        laplacian_mod(g, n, crt_primes[k], a);
        r[k] = n ? det_mod(a, n, crt_primes[k]) : 1;
    }
    /* x = r0 (mod p0), then lift through p1 and p2 (Garner); the true value is < 2^126 */
    const uint64_t *p = crt_primes;
    uint64_t t1 =
        mulmod((r[1] + p[1] - r[0] % p[1]) % p[1], powmod(p[0] % p[1], p[1] - 2, p[1]), p[1]);
    tg_u128 x = (tg_u128)r[0] + (tg_u128)p[0] * t1; /* < p0 * p1 */
    uint64_t x2 = (uint64_t)(x % p[2]), m2 = mulmod(p[0] % p[2], p[1] % p[2], p[2]);
    uint64_t t2 = mulmod((r[2] + p[2] - x2) % p[2], powmod(m2, p[2] - 2, p[2]), p[2]);
    *count = x + (tg_u128)p[0] * p[1] * t2;
    return 0;
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
