/*
 * degvec: degree vectors, majorization and the class verdict (see degvec.h). Pure.
 */
#include "degvec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enum.h"

#include "banned.h"

void tg_degvec_format(const uint32_t *cnt, uint32_t len, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (uint32_t d = len; d-- > 0;) {
        if (cnt[d] == 0) continue;
        int w = snprintf(buf + used, size - used, "%s%u^%u", used ? " " : "", d, cnt[d]);
        if (w < 0 || (size_t)w >= size - used) return;
        used += (size_t)w;
    }
}

double tg_degvec_sumf(const struct tg_fn *f, const uint32_t *cnt, uint32_t len)
{
    double s = 0.0;
    for (uint32_t d = 0; d < len; d++)
        if (cnt[d]) s += (double)cnt[d] * tg_fn_eval(f, d);
    return s;
}

/* sum_i max(0, x_i - k) */
static uint64_t hinge_sum(const uint32_t *x, uint32_t len, uint32_t k)
{
    uint64_t s = 0;
    for (uint32_t d = k + 1; d < len; d++)
        s += (uint64_t)x[d] * (d - k);
    return s;
}

bool tg_majorized(const uint32_t *x, const uint32_t *y, uint32_t len)
{
    uint64_t nx = 0, ny = 0;
    for (uint32_t d = 0; d < len; d++)
        nx += x[d], ny += y[d];
    if (nx != ny || hinge_sum(x, len, 0) != hinge_sum(y, len, 0)) return false;
    for (uint32_t k = 1; k < len; k++)
        if (hinge_sum(x, len, k) > hinge_sum(y, len, k)) return false;
    return true;
}

/* Marks the minimisers of f among the vectors; returns one of them. */
static int32_t argmin(const struct tg_fn *f, const uint32_t *vecs, uint32_t nv, uint32_t len,
                      bool *is_min)
{
    double best = INFINITY;
    int32_t arg = -1;
    for (uint32_t i = 0; i < nv; i++) {
        double s = tg_degvec_sumf(f, vecs + (size_t)i * len, len);
        if (arg < 0 || (s < best && !tg_sum_eq(s, best))) best = s, arg = (int32_t)i;
    }
    for (uint32_t i = 0; i < nv; i++)
        is_min[i] = tg_sum_eq(tg_degvec_sumf(f, vecs + (size_t)i * len, len), best);
    return arg;
}

/* The candidate convex functions: the hinges that are not constant over a class, then the
 * smooth ones. */
static uint32_t candidates(uint32_t len, struct tg_fn *fns)
{
    uint32_t k = 0;
    char err[8];
    for (uint32_t K = 1; K + 1 < len; K++)
        fns[k++] = tg_fn_hinge(K);
    tg_fn_parse("square", &fns[k++], err, sizeof(err));
    tg_fn_parse("cube", &fns[k++], err, sizeof(err));
    tg_fn_parse("exp", &fns[k++], err, sizeof(err));
    return k;
}

/* The first index with a[i] && !b[i], or -1. */
static int32_t only_in(const bool *a, const bool *b, uint32_t nv)
{
    for (uint32_t i = 0; i < nv; i++)
        if (a[i] && !b[i]) return (int32_t)i;
    return -1;
}

/* Two candidates whose minimiser sets differ, disjoint ones preferred; f1's reported minimiser
 * does not minimise f2. */
static void find_pair(const uint32_t *vecs, uint32_t nv, uint32_t len, bool *mins,
                      struct tg_verdict *out)
{
    struct tg_fn fns[80];
    uint32_t nf = candidates(len, fns);
    for (uint32_t a = 0; a < nf; a++)
        argmin(&fns[a], vecs, nv, len, mins + (size_t)a * nv);
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t a = 0; a < nf; a++)
            for (uint32_t b = a + 1; b < nf; b++) {
                const bool *ma = mins + (size_t)a * nv, *mb = mins + (size_t)b * nv;
                bool common = false;
                for (uint32_t i = 0; i < nv; i++)
                    common |= ma[i] && mb[i];
                int32_t x = only_in(ma, mb, nv), y = only_in(mb, ma, nv);
                if ((pass == 0 && common) || (x < 0 && y < 0)) continue;
                if (x < 0) { /* swap so that f1 has a minimiser f2 lacks */
                    const bool *t = ma;
                    ma = mb, mb = t;
                    uint32_t u = a;
                    a = b, b = u;
                    x = y, y = -1;
                }
                out->f1 = fns[a], out->f2 = fns[b];
                out->disjoint = !common;
                out->min1 = x;
                out->min2 = y;
                if (out->min2 < 0)
                    for (uint32_t i = 0; i < nv && out->min2 < 0; i++)
                        if (mb[i]) out->min2 = (int32_t)i;
                return;
            }
}

int tg_majorization_verdict(const uint32_t *vecs, uint32_t nv, uint32_t len, struct tg_verdict *out)
{
    memset(out, 0, sizeof(*out));
    out->universal = out->min1 = out->min2 = -1;
    if (nv == 0 || len > 64) return -1;
    for (uint32_t i = 0; i < nv && out->universal < 0; i++) {
        bool all = true;
        for (uint32_t j = 0; j < nv && all; j++)
            all = tg_majorized(vecs + (size_t)i * len, vecs + (size_t)j * len, len);
        if (all) out->universal = (int32_t)i;
    }
    if (out->universal >= 0) return 0;
    bool *mins = calloc((size_t)80 * nv, sizeof(*mins));
    if (!mins) return -1;
    find_pair(vecs, nv, len, mins, out);
    free(mins);
    return 0;
}
