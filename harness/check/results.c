/*
 * results.c: the results writers. Both files are printed from one EDN value built from the
 * struct results (results_to_edn), so results.edn and results.json cannot disagree: the EDN one
 * wrapped like fipp, the JSON one with keywords turned into strings.
 */
#include "results.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "edn.h"
#include "file.h"
#include "results_int.h"
#include "strbuf.h"

/* Parses EDN text (edn_parse_text) into a value, or keeps it as a string when it is not. */
static struct edn *edn_of_text(struct edn_arena *a, const char *text)
{
    struct edn *v;
    char err[128];
    if (edn_parse_text(text, strlen(text), a, &v, err, sizeof(err)) == 0) return v;
    return edn_new_str(a, EDN_STRING, text);
}

struct edn *results_op_to_edn(struct edn_arena *a, const struct history *h, size_t i, bool f_as_add)
{
    const struct hist_op *op = history_op(h, i);
    struct edn *m = edn_new(a, EDN_MAP);
    int rc = m ? 0 : -1;
    rc |= edn_assoc(a, m, "index", edn_new_int(a, op->index));
    rc |= edn_assoc(a, m, "time", edn_new_int(a, op->time_ns));
    rc |= edn_assoc(a, m, "type", edn_new_str(a, EDN_KEYWORD, hist_type_name(op->type)));
    rc |= edn_assoc(a, m, "process",
                    op->process == HIST_NEMESIS ? edn_new_str(a, EDN_KEYWORD, "nemesis")
                                                : edn_new_int(a, op->process));
    const char *f = f_as_add && op->f == HF_BROADCAST ? "add" : history_f_name(h, op);
    /* An :f read from a string that is no keyword name ("a b") stays a string. */
    rc |= edn_assoc(a, m, "f",
                    edn_new_str(a, edn_name_ok(f, strlen(f)) ? EDN_KEYWORD : EDN_STRING, f));
    struct edn *value = NULL;
    size_t n;
    const int64_t *vals = history_vals(h, op, &n);
    switch (op->vkind) {
    case HV_NIL:
        value = edn_new(a, EDN_NIL);
        break;
    case HV_INT:
        value = edn_new_int(a, op->value);
        break;
    case HV_INTS:
        value = edn_new(a, EDN_VECTOR);
        for (size_t k = 0; value && k < n; k++)
            rc |= edn_push(a, value, edn_new_int(a, vals[k]));
        break;
    case HV_EDN:
        value = edn_of_text(a, history_text(h, op->text_off));
        break;
    }
    rc |= edn_assoc(a, m, "value", value);
    if (op->final) rc |= edn_assoc(a, m, "final?", edn_new_bool(a, true));
    if (op->exc_off != HIST_NONE)
        rc |= edn_assoc(a, m, "exception", edn_of_text(a, history_text(h, op->exc_off)));
    if (op->error_off != HIST_NONE)
        rc |= edn_assoc(a, m, "error", edn_of_text(a, history_text(h, op->error_off)));
    return rc ? NULL : edn_new_tagged(a, "jepsen.history.Op", m);
}

static struct edn *valid_map(struct edn_arena *a)
{
    struct edn *m = edn_new(a, EDN_MAP);
    return m && edn_assoc(a, m, "valid?", edn_new_bool(a, true)) == 0 ? m : NULL;
}

static struct edn *validity_edn(struct edn_arena *a, enum validity v)
{
    return v == VALID_UNKNOWN ? edn_new_str(a, EDN_KEYWORD, "unknown")
                              : edn_new_bool(a, v == VALID_TRUE);
}

static struct edn *perf_edn(struct edn_arena *a)
{
    struct edn *m = edn_new(a, EDN_MAP);
    int rc = m ? 0 : -1;
    rc |= edn_assoc(a, m, "latency-graph", valid_map(a));
    rc |= edn_assoc(a, m, "rate-graph", valid_map(a));
    rc |= edn_assoc(a, m, "valid?", edn_new_bool(a, true));
    return rc ? NULL : m;
}

static struct edn *exceptions_edn(struct edn_arena *a, const struct results *r)
{
    struct edn *m = valid_map(a);
    if (!m || r->n_exceptions == 0) return m;
    struct edn *list = edn_new(a, EDN_LIST);
    int rc = list ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < r->n_exceptions; i++) {
        const struct exception_group *g = &r->exceptions[i];
        struct edn *e = edn_new(a, EDN_MAP);
        rc |= edn_assoc(a, e, "count", edn_new_int(a, (int64_t)g->count));
        rc |= edn_assoc(a, e, "class", edn_of_text(a, g->class_name));
        rc |= edn_assoc(a, e, "example", results_op_to_edn(a, r->ops, g->example_op, false));
        rc |= edn_push(a, list, e);
    }
    rc |= edn_assoc(a, m, "exceptions", list);
    return rc ? NULL : m;
}

static struct edn *counts_edn(struct edn_arena *a, const struct stats_counts *c)
{
    struct edn *m = edn_new(a, EDN_MAP);
    int rc = m ? 0 : -1;
    rc |= edn_assoc(a, m, "valid?", edn_new_bool(a, c->valid));
    rc |= edn_assoc(a, m, "count", edn_new_int(a, (int64_t)c->count));
    rc |= edn_assoc(a, m, "ok-count", edn_new_int(a, (int64_t)c->ok_count));
    rc |= edn_assoc(a, m, "fail-count", edn_new_int(a, (int64_t)c->fail_count));
    rc |= edn_assoc(a, m, "info-count", edn_new_int(a, (int64_t)c->info_count));
    return rc ? NULL : m;
}

static struct edn *stats_edn(struct edn_arena *a, const struct results *r)
{
    struct edn *m = counts_edn(a, &r->stats);
    struct edn *by = edn_new(a, EDN_MAP);
    int rc = m && by ? 0 : -1;
    if (r->by_broadcast.present)
        rc |= edn_assoc(a, by, "broadcast", counts_edn(a, &r->by_broadcast));
    if (r->by_read.present) rc |= edn_assoc(a, by, "read", counts_edn(a, &r->by_read));
    rc |= edn_assoc(a, m, "by-f", by);
    return rc ? NULL : m;
}

static struct edn *availability_edn(struct edn_arena *a, const struct results *r)
{
    struct edn *m = edn_new(a, EDN_MAP);
    int rc = m ? 0 : -1;
    rc |= edn_assoc(a, m, "valid?", edn_new_bool(a, r->avail_valid));
    rc |= edn_assoc(a, m, "ok-fraction", edn_new_float(a, (double)r->ok_fraction, true));
    return rc ? NULL : m;
}

static struct edn *net_group_edn(struct edn_arena *a, const struct net_count *c, bool mpo,
                                 float msgs_per_op)
{
    struct edn *m = edn_new(a, EDN_MAP);
    int rc = m ? 0 : -1;
    rc |= edn_assoc(a, m, "send-count", edn_new_int(a, (int64_t)c->send_count));
    rc |= edn_assoc(a, m, "recv-count", edn_new_int(a, (int64_t)c->recv_count));
    rc |= edn_assoc(a, m, "msg-count", edn_new_int(a, (int64_t)c->msg_count));
    if (mpo) rc |= edn_assoc(a, m, "msgs-per-op", edn_new_float(a, (double)msgs_per_op, true));
    return rc ? NULL : m;
}

static struct edn *net_edn(struct edn_arena *a, const struct results *r)
{
    struct edn *m = edn_new(a, EDN_MAP);
    int rc = m ? 0 : -1;
    bool mpo = r->has_msgs_per_op;
    rc |= edn_assoc(a, m, "all", net_group_edn(a, &r->net.all, mpo, r->msgs_per_op_all));
    rc |= edn_assoc(a, m, "clients", net_group_edn(a, &r->net.clients, false, 0.0f));
    rc |=
        edn_assoc(a, m, "servers", net_group_edn(a, &r->net.servers, mpo, r->msgs_per_op_servers));
    rc |= edn_assoc(a, m, "valid?", edn_new_bool(a, true));
    return rc ? NULL : m;
}

static struct edn *list_edn(struct edn_arena *a, const struct int_list *l)
{
    struct edn *v = edn_new(a, EDN_LIST);
    for (size_t i = 0; v && i < l->n; i++)
        if (edn_push(a, v, edn_new_int(a, l->v[i])) != 0) return NULL;
    return v;
}

static struct edn *quantiles_edn(struct edn_arena *a, const struct quantiles *q)
{
    struct edn *m = edn_new(a, EDN_MAP);
    for (int k = 0; m && k < QUANTILE_N; k++) {
        double p = quantile_points[k];
        struct edn *key =
            p == 0.0 || p == 1.0 ? edn_new_int(a, (int64_t)p) : edn_new_float(a, p, false);
        if (edn_push(a, m, key) != 0 || edn_push(a, m, edn_new_int(a, q->q[k])) != 0) return NULL;
    }
    return m;
}

static struct edn *stale_entry_edn(struct edn_arena *a, const struct results *r,
                                   const struct stale_entry *w)
{
    struct edn *m = edn_new(a, EDN_MAP);
    int rc = m ? 0 : -1;
    rc |= edn_assoc(a, m, "element", edn_new_int(a, w->element));
    rc |= edn_assoc(a, m, "outcome", edn_new_str(a, EDN_KEYWORD, "stable"));
    rc |= edn_assoc(a, m, "stable-latency", edn_new_int(a, w->stable_latency_ms));
    rc |= edn_assoc(a, m, "lost-latency", edn_new(a, EDN_NIL));
    rc |= edn_assoc(a, m, "known", results_op_to_edn(a, r->ops, w->known_op, true));
    rc |= edn_assoc(a, m, "last-absent", results_op_to_edn(a, r->ops, w->last_absent_op, true));
    return rc ? NULL : m;
}

/* :workload in the key order of Maelstrom's files (a hash order; spec §6.2). */
static struct edn *workload_edn(struct edn_arena *a, const struct results *r)
{
    struct edn *m = edn_new(a, EDN_MAP), *worst = edn_new(a, EDN_LIST);
    int rc = m && worst ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < r->n_worst_stale; i++)
        rc |= edn_push(a, worst, stale_entry_edn(a, r, &r->worst_stale[i]));
    rc |= edn_assoc(a, m, "worst-stale", worst);
    rc |= edn_assoc(a, m, "duplicated-count", edn_new_int(a, 0));
    rc |= edn_assoc(a, m, "valid?", validity_edn(a, r->workload_valid));
    rc |= edn_assoc(a, m, "lost-count", edn_new_int(a, (int64_t)r->lost.n));
    rc |= edn_assoc(a, m, "lost", list_edn(a, &r->lost));
    rc |= edn_assoc(a, m, "stable-count", edn_new_int(a, (int64_t)r->stable_count));
    rc |= edn_assoc(a, m, "stale-count", edn_new_int(a, (int64_t)r->stale.n));
    rc |= edn_assoc(a, m, "stale", list_edn(a, &r->stale));
    rc |= edn_assoc(a, m, "never-read-count", edn_new_int(a, (int64_t)r->never_read.n));
    if (r->stable_latencies.present)
        rc |= edn_assoc(a, m, "stable-latencies", quantiles_edn(a, &r->stable_latencies));
    rc |= edn_assoc(a, m, "attempt-count", edn_new_int(a, (int64_t)r->attempt_count));
    if (r->lost_latencies.present)
        rc |= edn_assoc(a, m, "lost-latencies", quantiles_edn(a, &r->lost_latencies));
    rc |= edn_assoc(a, m, "never-read", list_edn(a, &r->never_read));
    rc |= edn_assoc(a, m, "duplicated", edn_new(a, EDN_MAP));
    return rc ? NULL : m;
}

struct edn *results_to_edn(struct edn_arena *a, const struct results *r)
{
    struct edn *m = edn_new(a, EDN_MAP);
    int rc = m ? 0 : -1;
    rc |= edn_assoc(a, m, "perf", perf_edn(a));
    rc |= edn_assoc(a, m, "timeline", valid_map(a));
    rc |= edn_assoc(a, m, "exceptions", exceptions_edn(a, r));
    if (r->stats.present) rc |= edn_assoc(a, m, "stats", stats_edn(a, r));
    rc |= edn_assoc(a, m, "availability", availability_edn(a, r));
    if (r->has_net) rc |= edn_assoc(a, m, "net", net_edn(a, r));
    if (r->has_workload) rc |= edn_assoc(a, m, "workload", workload_edn(a, r));
    rc |= edn_assoc(a, m, "valid?", validity_edn(a, r->valid));
    return rc ? NULL : m;
}

/* Fipp's width for Jepsen's results (inferred from the fixtures: 70 columns). */
#define RESULTS_EDN_WIDTH 70

int results_format_edn(const struct results *r, struct strbuf *sb)
{
    struct edn_arena a;
    edn_arena_init(&a);
    struct edn *v = results_to_edn(&a, r);
    if (v) {
        edn_print(sb, v, RESULTS_EDN_WIDTH);
        strbuf_addch(sb, '\n');
    } else {
        sb->failed = true;
    }
    edn_arena_release(&a);
    return sb->failed ? -1 : 0;
}

int results_write_edn(const struct results *r, FILE *out)
{
    struct strbuf b = STRBUF_INIT;
    results_format_edn(r, &b);
    int rc = file_write_strbuf(out, &b);
    strbuf_release(&b);
    return rc;
}
