/*
 * fit: least squares for latency = k * T + b. The formulas are in fit.h; this file only
 * evaluates them, with centred sums for precision.
 */
#include "fit.h"

#include <math.h>
#include <stdio.h>

#include "errmsg.h"

#include "banned.h"

int fit_linear(const double *x, const double *y, size_t n, struct fit_line *out, char *err,
               size_t errlen)
{
    if (n < 2) {
        return gl_errorf(err, errlen, "a line needs at least 2 points, got %zu", n);
    }
    double sx = 0.0, sy = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) {
            return gl_errorf(err, errlen, "point %zu is not finite", i + 1);
        }
        sx += x[i];
        sy += y[i];
    }
    const double dn = (double)n;
    const double xm = sx / dn, ym = sy / dn;
    double sxx = 0.0, sxy = 0.0, syy = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double dx = x[i] - xm, dy = y[i] - ym;
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    if (!(sxx > 0.0)) {
        return gl_errorf(err, errlen, "all %zu points have the same x (%g): no slope to fit", n,
                         xm);
    }
    const double k = sxy / sxx;
    const double b = ym - k * xm;
    double sse = 0.0;
    for (size_t i = 0; i < n; i++) {
        /* Centred, so that k * x and b, both large under an offset, never cancel. */
        const double r = (y[i] - ym) - k * (x[i] - xm);
        sse += r * r;
    }
    out->n = n;
    out->k = k;
    out->b = b;
    /* Every y equal: the horizontal line explains everything there is to explain. */
    out->r2 = syy > 0.0 ? 1.0 - sse / syy : 1.0;
    if (out->r2 < 0.0) /* only rounding can push it below 0 */
        out->r2 = 0.0;
    if (n >= 3) {
        const double s2 = sse / (dn - 2.0);
        out->se_k = sqrt(s2 / sxx);
        out->se_b = sqrt(s2 * (1.0 / dn + xm * xm / sxx));
    } else {
        out->se_k = NAN;
        out->se_b = NAN;
    }
    return 0;
}
