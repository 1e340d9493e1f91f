/*
 * fn: the convex cost functions f(out-degree) topogen sums over a topology's nodes: square,
 * cube, exp, power:P (P >= 1) and hinge:K (max(0, d - K)). Every convex function of an integer
 * degree is, up to terms that are constant over trees with the same number of nodes, a
 * non-negative combination of hinges, which is why the majorization verdict (degvec.h) speaks
 * for all of them at once. Pure.
 */
#ifndef GL_TG_FN_H
#define GL_TG_FN_H

#include <stddef.h>
#include <stdint.h>

enum tg_fn_kind { TG_FN_SQUARE, TG_FN_CUBE, TG_FN_EXP, TG_FN_POWER, TG_FN_HINGE };

struct tg_fn {
    enum tg_fn_kind kind;
    double p;      /* exponent of power:P, knee of hinge:K */
    char name[32]; /* as the user wrote it, normalised ("power:2.5") */
};

/* Parses "square", "cube", "exp", "power:P" or "hinge:K"; returns 0 or -1 with err. */
int tg_fn_parse(const char *s, struct tg_fn *f, char *err, size_t errlen);

/* f(d). */
double tg_fn_eval(const struct tg_fn *f, uint32_t d);

/* A hinge function max(0, d - k). */
struct tg_fn tg_fn_hinge(uint32_t k);

#endif
