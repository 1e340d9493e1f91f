/*
 * fit: ordinary least squares for a straight line, latency = k * T + b, with the coefficient of
 * determination and the standard errors of both coefficients. Pure arithmetic: no I/O.
 *
 * For n points (x_i, y_i), with means xm and ym and the centred sums
 *
 *     Sxx = sum (x_i - xm)^2,   Sxy = sum (x_i - xm)(y_i - ym),   Syy = sum (y_i - ym)^2,
 *
 * the least-squares line is
 *
 *     k = Sxy / Sxx,            b = ym - k * xm,
 *
 * the residual sum of squares SSE = sum (y_i - k x_i - b)^2, summed in centred form as
 * sum ((y_i - ym) - k (x_i - xm))^2 (not as Syy - k Sxy, which loses digits when the fit is
 * nearly exact), and
 *
 *     R^2  = 1 - SSE / Syy      (defined as 1 when Syy = 0: every y equal, the fit is exact),
 *     s^2  = SSE / (n - 2)      (the residual variance),
 *     se_k = sqrt(s^2 / Sxx),
 *     se_b = sqrt(s^2 * (1/n + xm^2 / Sxx)).
 *
 * Sums are centred (two passes) so that large offsets, e.g. timestamps, cost no precision.
 * The fit needs at least two distinct x; the standard errors need n >= 3 (with two points the
 * line is exact and the residual variance undefined: se_k and se_b are then NaN).
 */
#ifndef GL_FIT_H
#define GL_FIT_H

#include <stddef.h>

struct fit_line {
    size_t n;    /* points used */
    double k;    /* slope: y units per x unit */
    double b;    /* intercept: y at x = 0 */
    double r2;   /* coefficient of determination, in [0, 1] */
    double se_k; /* standard error of k; NaN when n < 3 */
    double se_b; /* standard error of b; NaN when n < 3 */
};

/*
 * Fits y = k x + b to n points. Returns 0, or -1 with a message in err when n < 2, when every
 * x is equal (no slope can be fitted), or when a value is not finite.
 */
int fit_linear(const double *x, const double *y, size_t n, struct fit_line *out, char *err,
               size_t errlen);

#endif
