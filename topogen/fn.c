/*
 * fn: convex cost functions of an out-degree (see fn.h). Pure.
 */
#include "fn.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"

#include "banned.h"

/* Parses the number after "name:"; returns 0 or -1. */
static int parse_arg(const char *s, double min, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= min) || v > 64.0) return -1;
    *out = v;
    return 0;
}

int tg_fn_parse(const char *s, struct tg_fn *f, char *err, size_t errlen)
{
    memset(f, 0, sizeof(*f));
    if (strcmp(s, "square") == 0) {
        f->kind = TG_FN_SQUARE;
    } else if (strcmp(s, "cube") == 0) {
        f->kind = TG_FN_CUBE;
    } else if (strcmp(s, "exp") == 0) {
        f->kind = TG_FN_EXP;
    } else if (strncmp(s, "power:", 6) == 0) {
        f->kind = TG_FN_POWER;
        if (parse_arg(s + 6, 1.0, &f->p) != 0) {
            return gl_errorf(err, errlen, "bad exponent in '%s' (need 1 <= P <= 64 for convexity)",
                             s);
        }
    } else if (strncmp(s, "hinge:", 6) == 0) {
        f->kind = TG_FN_HINGE;
        if (parse_arg(s + 6, 0.0, &f->p) != 0) {
            return gl_errorf(err, errlen, "bad knee in '%s' (need 0 <= K <= 64)", s);
        }
    } else {
        return gl_errorf(err, errlen, "unknown function '%s' (square, cube, exp, power:P, hinge:K)",
                         s);
    }
    if (f->kind == TG_FN_POWER || f->kind == TG_FN_HINGE)
        snprintf(f->name, sizeof(f->name), "%s:%g", f->kind == TG_FN_POWER ? "power" : "hinge",
                 f->p);
    else
        snprintf(f->name, sizeof(f->name), "%s", s);
    return 0;
}

double tg_fn_eval(const struct tg_fn *f, uint32_t d)
{
    double x = (double)d;
    switch (f->kind) {
    case TG_FN_SQUARE:
        return x * x;
    case TG_FN_CUBE:
        return x * x * x;
    case TG_FN_EXP:
        return exp(x);
    case TG_FN_POWER:
        return pow(x, f->p);
    case TG_FN_HINGE:
        return x > f->p ? x - f->p : 0.0;
    }
    return 0.0;
}

struct tg_fn tg_fn_hinge(uint32_t k)
{
    struct tg_fn f = { .kind = TG_FN_HINGE, .p = (double)k };
    snprintf(f.name, sizeof(f.name), "hinge:%u", k);
    return f;
}
