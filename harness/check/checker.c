/*
 * checker.c: Maelstrom's broadcast checkers, pure (no IO, no clock, no globals): :stats,
 * :availability, :net and :exceptions here, the set-full :workload check (spec §5.1) in
 * checker_setfull.c.
 */
#include "checker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker_int.h"
#include "errmsg.h"
#include "strbuf.h"

#include "banned.h"

const double quantile_points[QUANTILE_N] = { 0.0, 0.5, 0.95, 0.99, 1.0 };

enum validity validity_merge(enum validity a, enum validity b)
{
    if (a == VALID_FALSE || b == VALID_FALSE) return VALID_FALSE;
    if (a == VALID_UNKNOWN || b == VALID_UNKNOWN) return VALID_UNKNOWN;
    return VALID_TRUE;
}

int validity_exit_status(enum validity v)
{
    return v == VALID_TRUE ? 0 : v == VALID_FALSE ? 1 : 2;
}

void results_init(struct results *r)
{
    memset(r, 0, sizeof(*r));
}

void results_release(struct results *r)
{
    for (size_t i = 0; i < r->n_exceptions; i++)
        free(r->exceptions[i].class_name);
    free(r->exceptions);
    free(r->lost.v);
    free(r->stale.v);
    free(r->never_read.v);
    history_free(r->ops);
    convergence_release(&r->convergence);
    memset(r, 0, sizeof(*r));
}

/* ---- :stats, :availability, :net, :exceptions --------------------------------------------- */

static void count_into(struct stats_counts *c, enum hist_type t)
{
    c->present = true;
    c->count++;
    c->ok_count += t == HT_OK;
    c->fail_count += t == HT_FAIL;
    c->info_count += t == HT_INFO;
}

/* Spec §4.2: client completions, overall and by :f; an :f is valid iff it has an :ok. */
static void check_stats(const struct history *h, struct results *r)
{
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->process < 0 || op->type == HT_INVOKE) continue;
        count_into(&r->stats, op->type);
        if (op->f == HF_BROADCAST) count_into(&r->by_broadcast, op->type);
        if (op->f == HF_READ) count_into(&r->by_read, op->type);
    }
    r->stats.present = true;
    r->by_broadcast.valid = r->by_broadcast.ok_count > 0;
    r->by_read.valid = r->by_read.ok_count > 0;
    r->stats.valid = (!r->by_broadcast.present || r->by_broadcast.valid) &&
                     (!r->by_read.present || r->by_read.valid);
}

uint64_t checker_op_count(const struct history *h)
{
    uint64_t n = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        n += op->type == HT_INVOKE && op->process >= 0;
    }
    return n;
}

/* Spec §4.3. */
static void check_availability(const struct history *h, const struct checker_opts *o,
                               struct results *r)
{
    uint64_t oks = 0, invokes = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        oks += op->type == HT_OK;
        invokes += op->type == HT_INVOKE;
    }
    r->ok_fraction = invokes ? (float)((double)oks / (double)invokes) : 1.0f;
    r->avail_valid = true;
    if (o->avail == AVAIL_TOTAL) r->avail_valid = r->ok_fraction == 1.0f;
    if (o->avail == AVAIL_FRACTION) r->avail_valid = (double)r->ok_fraction >= o->avail_min;
}

/* Spec §4.1. */
static void check_net(const struct history *h, const struct net_counts *net, struct results *r)
{
    r->has_net = true;
    r->net = *net;
    uint64_t ops = checker_op_count(h);
    r->has_msgs_per_op = ops > 0;
    if (ops) {
        r->msgs_per_op_all = (float)((double)net->all.msg_count / (double)ops);
        r->msgs_per_op_servers = (float)((double)net->servers.msg_count / (double)ops);
    }
}

/* Spec §5.5: :info ops with an :exception, grouped by class, most frequent first. */
static int check_exceptions(const struct history *h, struct results *r)
{
    size_t cap = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->type != HT_INFO || op->exc_off == HIST_NONE) continue;
        const char *cls = history_text(h, op->exc_class_off);
        if (!cls) cls = "nil";
        size_t g = 0;
        while (g < r->n_exceptions && strcmp(r->exceptions[g].class_name, cls))
            g++;
        if (g == r->n_exceptions) {
            if (GL_GROW(r->exceptions, g + 1, cap) != 0) return -1;
            struct exception_group *x = &r->exceptions[r->n_exceptions];
            x->count = 0;
            x->example_op = history_len(r->ops);
            x->class_name = malloc(strlen(cls) + 1);
            if (!x->class_name) return -1;
            memcpy(x->class_name, cls, strlen(cls) + 1);
            r->n_exceptions++;
            if (history_copy_op(r->ops, h, i) != 0) return -1;
        }
        r->exceptions[g].count++;
    }
    /* Jepsen sorts by count ascending (stably) and reverses: ties put later groups first. */
    for (size_t i = 0; i < r->n_exceptions / 2; i++) {
        struct exception_group t = r->exceptions[i];
        r->exceptions[i] = r->exceptions[r->n_exceptions - 1 - i];
        r->exceptions[r->n_exceptions - 1 - i] = t;
    }
    for (size_t i = 1; i < r->n_exceptions; i++) {
        struct exception_group t = r->exceptions[i];
        size_t k = i;
        for (; k > 0 && r->exceptions[k - 1].count < t.count; k--)
            r->exceptions[k] = r->exceptions[k - 1];
        r->exceptions[k] = t;
    }
    return 0;
}

int checker_run(const struct history *h, const struct checker_opts *o, struct results *r, char *err,
                size_t errlen)
{
    results_init(r);
    r->ops = history_new();
    int rc = r->ops ? 0 : -1;
    if (rc == 0) rc = check_exceptions(h, r);
    if (rc == 0) rc = checker_setfull(h, SETFULL_AUTO, r, NULL);
    if (rc == 0 && o->convergence) rc = convergence_run(h, o->convergence, &r->convergence);
    if (rc != 0) {
        results_release(r);
        return gl_errorf(err, errlen, "out of memory");
    }
    check_stats(h, r);
    check_availability(h, o, r);
    if (o->net) check_net(h, o->net, r);
    enum validity v = r->workload_valid;
    v = validity_merge(v, r->stats.valid ? VALID_TRUE : VALID_FALSE);
    v = validity_merge(v, r->avail_valid ? VALID_TRUE : VALID_FALSE);
    r->valid = v;
    return 0;
}
