/*
 * results_read.c: reads results.edn (Maelstrom's or ours) and results.json into a struct
 * results. JSON is first turned into the same EDN value the EDN reader gives (object keys
 * become keywords), so one extractor serves both. cJSON stays inside this file.
 */
#include "results.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "file.h"
#include "results_int.h"

/* ---- JSON -> EDN value ---------------------------------------------------------------------- */

static struct edn *from_json(struct edn_arena *a, const cJSON *j, unsigned depth)
{
    if (depth > EDN_MAX_DEPTH) return NULL;
    if (cJSON_IsNull(j)) return edn_new(a, EDN_NIL);
    if (cJSON_IsBool(j)) return edn_new_bool(a, cJSON_IsTrue(j));
    if (cJSON_IsNumber(j)) {
        double d = j->valuedouble;
        if (fabs(d) <= 9007199254740992.0 && d == floor(d)) return edn_new_int(a, (int64_t)d);
        return edn_new_float(a, d, false);
    }
    if (cJSON_IsString(j)) return edn_new_str(a, EDN_STRING, j->valuestring);
    bool obj = cJSON_IsObject(j);
    if (!obj && !cJSON_IsArray(j)) return NULL;
    struct edn *v = edn_new(a, obj ? EDN_MAP : EDN_VECTOR);
    for (const cJSON *it = j->child; v && it; it = it->next) {
        if (obj && edn_push(a, v, edn_new_str(a, EDN_KEYWORD, it->string)) != 0) return NULL;
        if (edn_push(a, v, from_json(a, it, depth + 1)) != 0) return NULL;
    }
    return v;
}

/* ---- extraction --------------------------------------------------------------------------- */

static enum validity validity_of(const struct edn *v)
{
    if (v && v->type == EDN_BOOL) return v->b ? VALID_TRUE : VALID_FALSE;
    if (v && (v->type == EDN_KEYWORD || v->type == EDN_STRING) && !strcmp(v->s, "true"))
        return VALID_TRUE;
    if (v && (v->type == EDN_KEYWORD || v->type == EDN_STRING) && !strcmp(v->s, "false"))
        return VALID_FALSE;
    return VALID_UNKNOWN;
}

static uint64_t uint_of(const struct edn *v)
{
    return v && v->type == EDN_INT && v->i > 0 ? (uint64_t)v->i : 0;
}

static int64_t int_of(const struct edn *v)
{
    return v && v->type == EDN_INT ? v->i : 0;
}

static bool float_of(const struct edn *v, float *out)
{
    if (v && v->type == EDN_FLOAT) *out = (float)v->f;
    if (v && v->type == EDN_INT) *out = (float)v->i;
    return v && (v->type == EDN_FLOAT || v->type == EDN_INT);
}

static void counts_of(const struct edn *m, struct stats_counts *c)
{
    c->present = m != NULL;
    if (!m) return;
    c->valid = validity_of(edn_get(m, "valid?")) == VALID_TRUE;
    c->count = uint_of(edn_get(m, "count"));
    c->ok_count = uint_of(edn_get(m, "ok-count"));
    c->fail_count = uint_of(edn_get(m, "fail-count"));
    c->info_count = uint_of(edn_get(m, "info-count"));
}

static void net_group_of(const struct edn *m, struct net_count *c)
{
    c->send_count = uint_of(edn_get(m, "send-count"));
    c->recv_count = uint_of(edn_get(m, "recv-count"));
    c->msg_count = uint_of(edn_get(m, "msg-count"));
}

static void net_of(const struct edn *net, struct results *r)
{
    r->has_net = net != NULL;
    if (!net) return;
    const struct edn *all = edn_get(net, "all"), *servers = edn_get(net, "servers");
    net_group_of(all, &r->net.all);
    net_group_of(edn_get(net, "clients"), &r->net.clients);
    net_group_of(servers, &r->net.servers);
    r->has_msgs_per_op = float_of(edn_get(all, "msgs-per-op"), &r->msgs_per_op_all);
    float_of(edn_get(servers, "msgs-per-op"), &r->msgs_per_op_servers);
}

static int list_of(const struct edn *v, struct int_list *l)
{
    v = edn_untag(v);
    if (!v || (v->type != EDN_LIST && v->type != EDN_VECTOR && v->type != EDN_SET)) return 0;
    l->v = malloc((v->n ? v->n : 1) * sizeof(*l->v));
    if (!l->v) return -1;
    for (size_t i = 0; i < v->n; i++)
        if (v->items[i]->type == EDN_INT) l->v[l->n++] = v->items[i]->i;
    return 0;
}

/* A quantile map's key as a double: 0, 1, 0.5 or "0.5" (JSON). */
static bool key_point(const struct edn *k, double *p)
{
    if (k->type == EDN_INT) *p = (double)k->i;
    if (k->type == EDN_FLOAT) *p = k->f;
    if (k->type == EDN_KEYWORD || k->type == EDN_STRING) *p = strtod(k->s, NULL);
    return k->type == EDN_INT || k->type == EDN_FLOAT || k->type == EDN_KEYWORD ||
           k->type == EDN_STRING;
}

static void quantiles_of(const struct edn *m, struct quantiles *q)
{
    m = edn_untag(m);
    if (!m || m->type != EDN_MAP) return;
    q->present = true;
    for (size_t i = 0; i + 1 < m->n; i += 2) {
        double p = -1.0;
        if (!key_point(m->items[i], &p)) continue;
        for (int k = 0; k < QUANTILE_N; k++)
            if (p == quantile_points[k]) q->q[k] = int_of(m->items[i + 1]);
    }
}

static int op_of(struct results *r, const struct edn *v, bool json, size_t *pos, char *err,
                 size_t errlen)
{
    *pos = history_len(r->ops);
    if (!v) {
        return gl_errorf(err, errlen, "an op is missing");
    }
    return history_push_edn(r->ops, v, json, err, errlen);
}

static int worst_stale_of(const struct edn *w, struct results *r, bool json, char *err,
                          size_t errlen)
{
    w = edn_untag(w);
    if (!w || (w->type != EDN_LIST && w->type != EDN_VECTOR)) return 0;
    for (size_t i = 0; i < w->n && r->n_worst_stale < WORST_STALE_MAX; i++) {
        struct stale_entry *e = &r->worst_stale[r->n_worst_stale++];
        e->element = int_of(edn_get(w->items[i], "element"));
        e->stable_latency_ms = int_of(edn_get(w->items[i], "stable-latency"));
        if (op_of(r, edn_get(w->items[i], "known"), json, &e->known_op, err, errlen) != 0 ||
            op_of(r, edn_get(w->items[i], "last-absent"), json, &e->last_absent_op, err, errlen) !=
                0)
            return -1;
    }
    return 0;
}

static int workload_of(const struct edn *wl, struct results *r, bool json, char *err, size_t errlen)
{
    r->has_workload = wl != NULL;
    if (!wl) return 0;
    r->workload_valid = validity_of(edn_get(wl, "valid?"));
    r->attempt_count = uint_of(edn_get(wl, "attempt-count"));
    r->stable_count = uint_of(edn_get(wl, "stable-count"));
    if (list_of(edn_get(wl, "lost"), &r->lost) != 0 ||
        list_of(edn_get(wl, "stale"), &r->stale) != 0 ||
        list_of(edn_get(wl, "never-read"), &r->never_read) != 0) {
        return gl_errorf(err, errlen, "out of memory");
    }
    quantiles_of(edn_get(wl, "stable-latencies"), &r->stable_latencies);
    quantiles_of(edn_get(wl, "lost-latencies"), &r->lost_latencies);
    return worst_stale_of(edn_get(wl, "worst-stale"), r, json, err, errlen);
}

/* The class of an exception group as text: a symbol's name or a JSON string. */
static char *class_text(const struct edn *v)
{
    if (!v) return strdup("nil");
    if (v->type == EDN_SYMBOL || v->type == EDN_STRING) return strdup(v->s);
    return edn_print_text(v, 0);
}

static int exceptions_of(const struct edn *ex, struct results *r, bool json, char *err,
                         size_t errlen)
{
    const struct edn *l = edn_untag(edn_get(ex, "exceptions"));
    if (!l || (l->type != EDN_LIST && l->type != EDN_VECTOR) || l->n == 0) return 0;
    r->exceptions = calloc(l->n, sizeof(*r->exceptions));
    if (!r->exceptions) return -1;
    for (size_t i = 0; i < l->n; i++) {
        struct exception_group *g = &r->exceptions[r->n_exceptions];
        g->count = uint_of(edn_get(l->items[i], "count"));
        g->class_name = class_text(edn_get(l->items[i], "class"));
        if (!g->class_name) return -1;
        r->n_exceptions++;
        if (op_of(r, edn_get(l->items[i], "example"), json, &g->example_op, err, errlen) != 0)
            return -1;
    }
    return 0;
}

/* A node name of "lacking" or "unread" into name; false when it is not one. */
static bool node_name_of(const struct edn *v, char name[GL_ID_MAX])
{
    if (!v || (v->type != EDN_STRING && v->type != EDN_KEYWORD) || v->len == 0 ||
        v->len >= GL_ID_MAX)
        return false;
    memcpy(name, v->s, v->len + 1);
    return true;
}

/* RESULTS_CONVERGENCE_KEY's map; entries that are not a node name (and a count) are skipped. */
static int convergence_of(const struct edn *m, struct convergence *c)
{
    m = edn_untag(m);
    if (!m || m->type != EDN_MAP) return 0;
    c->present = true;
    uint64_t nodes = uint_of(edn_get(m, "nodes")), read = uint_of(edn_get(m, "nodes-read"));
    c->nodes = nodes > UINT32_MAX ? UINT32_MAX : (uint32_t)nodes;
    c->nodes_read = read > UINT32_MAX ? UINT32_MAX : (uint32_t)read;
    c->values = uint_of(edn_get(m, "values"));
    c->lacking_total = uint_of(edn_get(m, "lacking-count"));
    c->lacking_max = uint_of(edn_get(m, "lacking-max"));
    const struct edn *lacking = edn_untag(edn_get(m, "lacking"));
    if (lacking && lacking->type == EDN_MAP && lacking->n > 0) {
        if (!(c->lacking = calloc(lacking->n / 2, sizeof(*c->lacking)))) return -1;
        for (size_t i = 0; i + 1 < lacking->n; i += 2) {
            struct convergence_node *n = &c->lacking[c->n_lacking];
            if (!node_name_of(lacking->items[i], n->name)) continue;
            n->lacking = uint_of(lacking->items[i + 1]);
            c->n_lacking++;
        }
    }
    const struct edn *unread = edn_untag(edn_get(m, "unread"));
    if (unread && (unread->type == EDN_VECTOR || unread->type == EDN_LIST) && unread->n > 0) {
        if (!(c->unread = calloc(unread->n, sizeof(*c->unread)))) return -1;
        for (size_t i = 0; i < unread->n; i++)
            if (node_name_of(unread->items[i], c->unread[c->n_unread])) c->n_unread++;
    }
    return 0;
}

int results_from_edn(struct results *r, const struct edn *v, bool json, char *err, size_t errlen)
{
    v = edn_untag(v);
    if (!v || v->type != EDN_MAP) {
        return gl_errorf(err, errlen, "1:1: results must be a map");
    }
    r->ops = history_new();
    if (!r->ops) {
        return gl_errorf(err, errlen, "out of memory");
    }
    const struct edn *stats = edn_get(v, "stats"), *by = edn_get(stats, "by-f");
    counts_of(stats, &r->stats);
    counts_of(edn_get(by, "broadcast"), &r->by_broadcast);
    counts_of(edn_get(by, "read"), &r->by_read);
    const struct edn *av = edn_get(v, "availability");
    r->avail_valid = validity_of(edn_get(av, "valid?")) == VALID_TRUE;
    r->ok_fraction = 1.0f;
    float_of(edn_get(av, "ok-fraction"), &r->ok_fraction);
    net_of(edn_get(v, "net"), r);
    r->valid = validity_of(edn_get(v, "valid?"));
    if (exceptions_of(edn_get(v, "exceptions"), r, json, err, errlen) != 0) return -1;
    if (convergence_of(edn_get(v, RESULTS_CONVERGENCE_KEY), &r->convergence) != 0)
        return gl_errorf(err, errlen, "out of memory");
    return workload_of(edn_get(v, "workload"), r, json, err, errlen);
}

static bool looks_like_json(const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", buf[i]))
        i++;
    if (i >= len || buf[i] != '{') return false;
    i++;
    while (i < len && strchr(" \t\r\n", buf[i]))
        i++;
    return i < len && (buf[i] == '"' || buf[i] == '}');
}

int results_parse(struct results *r, const char *buf, size_t len, char *err, size_t errlen)
{
    results_init(r);
    struct edn_arena a;
    edn_arena_init(&a);
    struct edn *v = NULL;
    bool json = looks_like_json(buf, len);
    int rc = 0;
    if (json) {
        const char *stop = NULL;
        cJSON *j = cJSON_ParseWithLengthOpts(buf, len, &stop, false);
        if (!j) {
            size_t off = stop && stop >= buf ? (size_t)(stop - buf) : 0, line = 1, col = 1;
            for (size_t i = 0; i < off && i < len; i++, col++)
                if (buf[i] == '\n') line++, col = 0;
            rc = gl_errorf(err, errlen, "%zu:%zu: invalid JSON", line, col);
        } else if (!(v = from_json(&a, j, 0))) {
            rc = gl_errorf(err, errlen, "1:1: out of memory or nesting too deep");
        }
        cJSON_Delete(j);
    } else {
        rc = edn_parse_one(buf, len, &a, &v, err, errlen);
    }
    if (rc == 0) rc = results_from_edn(r, v, json, err, errlen);
    edn_arena_release(&a);
    if (rc != 0) results_release(r);
    return rc;
}

static int parse_cb(void *r, const char *buf, size_t len, char *err, size_t errlen)
{
    return results_parse(r, buf, len, err, errlen);
}

int results_load(struct results *r, const char *path, char *err, size_t errlen)
{
    results_init(r);
    return file_load(path, parse_cb, r, err, errlen);
}
