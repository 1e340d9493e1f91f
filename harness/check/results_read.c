/*
 * results_read.c: reads results.edn (Maelstrom's or ours) and results.json into a struct
 * results. JSON is first turned into the same EDN value the EDN reader gives (object keys
 * become keywords), so one extractor serves both. cJSON stays inside this file.
 */
#include "results.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "file.h"
#include "jtree.h"
#include "results_int.h"

/* ---- JSON -> EDN value ---------------------------------------------------------------------- */

/* The JSON tree as an EDN value; NULL with *why. Integers are read exactly (jtree.h). */
static struct edn *from_json(struct edn_arena *a, const struct jtree *t, const cJSON *j,
                             unsigned depth, const char **why)
{
    if (depth > EDN_MAX_DEPTH) {
        *why = "nesting too deep";
        return NULL;
    }
    *why = "out of memory";
    if (cJSON_IsNull(j)) return edn_new(a, EDN_NIL);
    if (cJSON_IsBool(j)) return edn_new_bool(a, cJSON_IsTrue(j));
    if (cJSON_IsNumber(j)) {
        int64_t i;
        switch (jtree_int(t, j, &i)) {
        case JTREE_INT:
            return edn_new_int(a, i);
        case JTREE_RANGE:
            *why = "an integer out of range";
            return NULL;
        case JTREE_NOT_INT:
            break;
        }
        return edn_new_float(a, j->valuedouble, false);
    }
    if (jtree_has_nul(j)) {
        *why = "a string holds a NUL character (\\u0000)";
        return NULL;
    }
    if (cJSON_IsString(j)) return edn_new_str(a, EDN_STRING, j->valuestring);
    bool obj = cJSON_IsObject(j);
    if (!obj && !cJSON_IsArray(j)) return NULL;
    struct edn *v = edn_new(a, obj ? EDN_MAP : EDN_VECTOR);
    for (const cJSON *it = j->child; v && it; it = it->next) {
        if (obj && edn_push(a, v, edn_new_str(a, EDN_KEYWORD, it->string)) != 0) return NULL;
        struct edn *item = from_json(a, t, it, depth + 1, why);
        if (!item || edn_push(a, v, item) != 0) return NULL;
    }
    *why = "out of memory";
    return v;
}

/* ---- extraction --------------------------------------------------------------------------- */

/*
 * The extractor is strict: every key that `harness results` prints (and results_write_* write)
 * must be there with the right type, so that a file without them is an error, never a
 * valid-looking summary of zeros. Only what Maelstrom itself leaves out may be absent: :net
 * (no counters), :msgs-per-op (no ops), :stable-latencies / :lost-latencies (none of either),
 * :exceptions' list and :worst-stale. The first problem is reported as "LINE:COL: what" (the
 * position of the value, or of the map that lacks the key; JSON values have no position).
 */
struct rd {
    char *err;
    size_t errlen;
    bool json;
    bool failed;
};

__attribute__((format(printf, 3, 4))) static int rd_fail(struct rd *d, const struct edn *at,
                                                         const char *fmt, ...)
{
    if (d->failed) return -1;
    d->failed = true;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (at && at->line) return gl_errorf(d->err, d->errlen, "%u:%u: %s", at->line, at->col, msg);
    /* A JSON value has no position: "PATH: what", as for a file's other whole-file errors. */
    return gl_errorf(d->err, d->errlen, " %s", msg);
}

/* "... must be WANT, not V" at v. */
static int rd_bad(struct rd *d, const struct edn *v, const char *where, const char *key,
                  const char *want)
{
    char *got = edn_print_text(v, 0);
    rd_fail(d, v, "%s%s%s must be %s, not %.40s", where, *where ? " " : "", key, want,
            got ? got : "that");
    free(got);
    return -1;
}

/* The value under key in map m, or NULL after "no WHERE KEY" (when required). */
static const struct edn *rd_get(struct rd *d, const struct edn *m, const char *where,
                                const char *key, bool required)
{
    const struct edn *v = edn_get(m, key + 1); /* key with its ':' */
    if (!v && required) rd_fail(d, m, "no %s%s%s", where, *where ? " " : "", key);
    return v;
}

static const struct edn *rd_map(struct rd *d, const struct edn *m, const char *where,
                                const char *key, bool required)
{
    const struct edn *v = rd_get(d, m, where, key, required);
    if (v && edn_untag(v)->type != EDN_MAP) {
        rd_bad(d, v, where, key, "a map");
        return NULL;
    }
    return v ? edn_untag(v) : NULL;
}

static void rd_uint(struct rd *d, const struct edn *m, const char *where, const char *key,
                    uint64_t *out)
{
    const struct edn *v = rd_get(d, m, where, key, true);
    if (v && (v->type != EDN_INT || v->i < 0))
        rd_bad(d, v, where, key, "a non-negative integer");
    else if (v)
        *out = (uint64_t)v->i;
}

static void rd_bool(struct rd *d, const struct edn *m, const char *where, const char *key,
                    bool *out)
{
    const struct edn *v = rd_get(d, m, where, key, true);
    if (v && v->type != EDN_BOOL)
        rd_bad(d, v, where, key, "true or false");
    else if (v)
        *out = v->b;
}

/* true, false or :unknown ("unknown" in JSON). */
static void rd_validity(struct rd *d, const struct edn *m, const char *where, enum validity *out)
{
    const struct edn *v = rd_get(d, m, where, ":valid?", true);
    if (!v) return;
    if (v->type == EDN_BOOL)
        *out = v->b ? VALID_TRUE : VALID_FALSE;
    else if ((v->type == EDN_KEYWORD || (d->json && v->type == EDN_STRING)) &&
             !strcmp(v->s, "unknown"))
        *out = VALID_UNKNOWN;
    else
        rd_bad(d, v, where, ":valid?", "true, false or :unknown");
}

/* A number, or nothing when absent and not required: true when one was read. */
static bool rd_float(struct rd *d, const struct edn *m, const char *where, const char *key,
                     bool required, float *out)
{
    const struct edn *v = rd_get(d, m, where, key, required);
    if (!v) return false;
    if (v->type == EDN_FLOAT)
        *out = (float)v->f;
    else if (v->type == EDN_INT)
        *out = (float)v->i;
    else
        rd_bad(d, v, where, key, "a number");
    return v->type == EDN_FLOAT || v->type == EDN_INT;
}

static void counts_of(struct rd *d, const struct edn *m, const char *where, struct stats_counts *c)
{
    c->present = m != NULL;
    if (!m) return;
    rd_bool(d, m, where, ":valid?", &c->valid);
    rd_uint(d, m, where, ":count", &c->count);
    rd_uint(d, m, where, ":ok-count", &c->ok_count);
    rd_uint(d, m, where, ":fail-count", &c->fail_count);
    rd_uint(d, m, where, ":info-count", &c->info_count);
}

static void net_group_of(struct rd *d, const struct edn *m, const char *where, struct net_count *c)
{
    if (!m) return;
    rd_uint(d, m, where, ":send-count", &c->send_count);
    rd_uint(d, m, where, ":recv-count", &c->recv_count);
    rd_uint(d, m, where, ":msg-count", &c->msg_count);
}

static void net_of(struct rd *d, const struct edn *net, struct results *r)
{
    r->has_net = net != NULL;
    if (!net) return;
    const struct edn *all = rd_map(d, net, ":net", ":all", true);
    const struct edn *servers = rd_map(d, net, ":net", ":servers", true);
    net_group_of(d, all, ":net :all", &r->net.all);
    net_group_of(d, rd_map(d, net, ":net", ":clients", true), ":net :clients", &r->net.clients);
    net_group_of(d, servers, ":net :servers", &r->net.servers);
    if (!all || !servers) return;
    r->has_msgs_per_op = rd_float(d, all, ":net :all", ":msgs-per-op", false, &r->msgs_per_op_all);
    /* Maelstrom writes both or neither (neither when no op ran). */
    rd_float(d, servers, ":net :servers", ":msgs-per-op", r->has_msgs_per_op,
             &r->msgs_per_op_servers);
}

/* A list of integers whose length is the count under count_key (both required). */
static int list_of(struct rd *d, const struct edn *wl, const char *key, const char *count_key,
                   struct int_list *l)
{
    uint64_t count = 0;
    rd_uint(d, wl, ":workload", count_key, &count);
    const struct edn *v = rd_get(d, wl, ":workload", key, true);
    if (d->failed) return -1;
    const struct edn *u = edn_untag(v);
    if (u->type != EDN_LIST && u->type != EDN_VECTOR && u->type != EDN_SET)
        return rd_bad(d, v, ":workload", key, "a list of integers");
    l->v = malloc((u->n ? u->n : 1) * sizeof(*l->v));
    if (!l->v) return rd_fail(d, NULL, "out of memory");
    for (size_t i = 0; i < u->n; i++) {
        if (u->items[i]->type != EDN_INT)
            return rd_bad(d, u->items[i], ":workload", key, "integers");
        l->v[l->n++] = u->items[i]->i;
    }
    if (l->n != count)
        return rd_fail(d, v, ":workload %s has %zu elements, but %s is %llu", key, l->n, count_key,
                       (unsigned long long)count);
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

/* {0 a, 0.5 b, 0.95 c, 0.99 d, 1 e}, every point with an integer; absent is fine. */
static void quantiles_of(struct rd *d, const struct edn *wl, const char *key, struct quantiles *q)
{
    const struct edn *m = rd_map(d, wl, ":workload", key, false);
    if (!m) return;
    q->present = true;
    bool seen[QUANTILE_N] = { false };
    for (size_t i = 0; i + 1 < m->n; i += 2) {
        double p = -1.0;
        if (!key_point(m->items[i], &p)) continue;
        for (int k = 0; k < QUANTILE_N; k++) {
            if (p != quantile_points[k]) continue;
            if (m->items[i + 1]->type != EDN_INT) {
                rd_bad(d, m->items[i + 1], ":workload", key, "a map of integers");
                return;
            }
            q->q[k] = m->items[i + 1]->i;
            seen[k] = true;
        }
    }
    for (int k = 0; k < QUANTILE_N; k++)
        if (!seen[k]) {
            rd_fail(d, m, ":workload %s lacks the quantile %g", key, quantile_points[k]);
            return;
        }
}

/* The op under key in entry (of list `where`), appended to r->ops; *pos is its record. */
static int op_of(struct rd *d, struct results *r, const struct edn *entry, const char *where,
                 const char *key, size_t *pos)
{
    *pos = history_len(r->ops);
    const struct edn *v = rd_get(d, entry, where, key, true);
    if (!v) return -1;
    char msg[256];
    if (history_push_edn(r->ops, v, d->json, msg, sizeof(msg)) == 0) return 0;
    /* The history's "LINE:COL: what"; a JSON value has no position (0:0): say where it is. */
    if (strncmp(msg, "0:0: ", 5) != 0) return gl_errorf(d->err, d->errlen, "%s", msg);
    return rd_fail(d, v, "%s %s: %s", where, key, msg + 5);
}

static int worst_stale_of(struct rd *d, const struct edn *w, struct results *r)
{
    w = edn_untag(w);
    if (!w || (w->type != EDN_LIST && w->type != EDN_VECTOR)) return 0;
    for (size_t i = 0; i < w->n && r->n_worst_stale < WORST_STALE_MAX; i++) {
        struct stale_entry *e = &r->worst_stale[r->n_worst_stale++];
        uint64_t element = 0, latency = 0;
        rd_uint(d, w->items[i], ":worst-stale entry", ":element", &element);
        rd_uint(d, w->items[i], ":worst-stale entry", ":stable-latency", &latency);
        if (d->failed) return -1;
        e->element = (int64_t)element;
        e->stable_latency_ms = (int64_t)latency;
        if (op_of(d, r, w->items[i], ":worst-stale entry", ":known", &e->known_op) != 0 ||
            op_of(d, r, w->items[i], ":worst-stale entry", ":last-absent", &e->last_absent_op) != 0)
            return -1;
    }
    return 0;
}

static int workload_of(struct rd *d, const struct edn *wl, struct results *r)
{
    r->has_workload = true;
    rd_validity(d, wl, ":workload", &r->workload_valid);
    rd_uint(d, wl, ":workload", ":attempt-count", &r->attempt_count);
    rd_uint(d, wl, ":workload", ":stable-count", &r->stable_count);
    if (d->failed || list_of(d, wl, ":lost", ":lost-count", &r->lost) != 0 ||
        list_of(d, wl, ":stale", ":stale-count", &r->stale) != 0 ||
        list_of(d, wl, ":never-read", ":never-read-count", &r->never_read) != 0)
        return -1;
    quantiles_of(d, wl, ":stable-latencies", &r->stable_latencies);
    quantiles_of(d, wl, ":lost-latencies", &r->lost_latencies);
    if (d->failed) return -1;
    return worst_stale_of(d, edn_get(wl, "worst-stale"), r);
}

/* The class of an exception group as text: a symbol's name or a JSON string. */
static char *class_text(const struct edn *v)
{
    if (!v) return strdup("nil");
    if (v->type == EDN_SYMBOL || v->type == EDN_STRING) return strdup(v->s);
    return edn_print_text(v, 0);
}

static int exceptions_of(struct rd *d, const struct edn *ex, struct results *r)
{
    const struct edn *l = edn_untag(edn_get(ex, "exceptions"));
    if (!l || (l->type != EDN_LIST && l->type != EDN_VECTOR) || l->n == 0) return 0;
    r->exceptions = calloc(l->n, sizeof(*r->exceptions));
    if (!r->exceptions) return rd_fail(d, NULL, "out of memory");
    for (size_t i = 0; i < l->n; i++) {
        struct exception_group *g = &r->exceptions[r->n_exceptions];
        rd_uint(d, l->items[i], ":exceptions entry", ":count", &g->count);
        if (d->failed) return -1;
        g->class_name = class_text(edn_get(l->items[i], "class"));
        if (!g->class_name) return rd_fail(d, NULL, "out of memory");
        r->n_exceptions++;
        if (op_of(d, r, l->items[i], ":exceptions entry", ":example", &g->example_op) != 0)
            return -1;
    }
    return 0;
}

/* Where the convergence key's problems are, in messages. */
#define CONV_WHERE ":" RESULTS_CONVERGENCE_KEY

/* A node name (a string, or a keyword: a JSON object's key) into name; -1 after the error. */
static int rd_node_name(struct rd *d, const struct edn *v, const char *key, char name[GL_ID_MAX])
{
    if ((v->type != EDN_STRING && v->type != EDN_KEYWORD) || v->len == 0 || v->len >= GL_ID_MAX ||
        memchr(v->s, '\0', v->len))
        return rd_bad(d, v, CONV_WHERE, key, "node names");
    memcpy(name, v->s, v->len + 1);
    return 0;
}

/* RESULTS_CONVERGENCE_KEY's map (ours, optional; docs/formats.md): every key required. */
static int convergence_of(struct rd *d, const struct edn *m, struct results *r)
{
    struct convergence *c = &r->convergence;
    if (!m) return 0;
    c->present = true;
    uint64_t nodes = 0, read = 0, n_lacking = 0;
    rd_get(d, m, CONV_WHERE, ":converged?", true);
    rd_uint(d, m, CONV_WHERE, ":nodes", &nodes);
    rd_uint(d, m, CONV_WHERE, ":nodes-read", &read);
    rd_uint(d, m, CONV_WHERE, ":nodes-lacking", &n_lacking);
    rd_uint(d, m, CONV_WHERE, ":values", &c->values);
    rd_uint(d, m, CONV_WHERE, ":lacking-count", &c->lacking_total);
    rd_uint(d, m, CONV_WHERE, ":lacking-max", &c->lacking_max);
    const struct edn *lacking = rd_map(d, m, CONV_WHERE, ":lacking", true);
    const struct edn *unread = rd_get(d, m, CONV_WHERE, ":unread", true);
    if (d->failed) return -1;
    if (nodes > UINT32_MAX || read > nodes)
        return rd_fail(d, m, "%s :nodes-read (%llu) must be at most :nodes (%llu, < 2^32)",
                       CONV_WHERE, (unsigned long long)read, (unsigned long long)nodes);
    c->nodes = (uint32_t)nodes;
    c->nodes_read = (uint32_t)read;
    if (lacking->n / 2 != n_lacking)
        return rd_fail(d, lacking, "%s :lacking has %zu nodes, but :nodes-lacking is %llu",
                       CONV_WHERE, lacking->n / 2, (unsigned long long)n_lacking);
    if (lacking->n && !(c->lacking = calloc(lacking->n / 2, sizeof(*c->lacking))))
        return rd_fail(d, NULL, "out of memory");
    for (size_t i = 0; i + 1 < lacking->n; i += 2) {
        struct convergence_node *n = &c->lacking[c->n_lacking++];
        const struct edn *count = lacking->items[i + 1];
        if (rd_node_name(d, lacking->items[i], ":lacking", n->name) != 0) return -1;
        if (count->type != EDN_INT || count->i < 0)
            return rd_bad(d, count, CONV_WHERE, ":lacking", "a map of node names to counts");
        n->lacking = (uint64_t)count->i;
    }
    const struct edn *u = edn_untag(unread);
    if (u->type != EDN_VECTOR && u->type != EDN_LIST)
        return rd_bad(d, unread, CONV_WHERE, ":unread", "a list of node names");
    if (u->n && !(c->unread = calloc(u->n, sizeof(*c->unread))))
        return rd_fail(d, NULL, "out of memory");
    for (size_t i = 0; i < u->n; i++)
        if (rd_node_name(d, u->items[i], ":unread", c->unread[c->n_unread++]) != 0) return -1;
    return 0;
}

int results_from_edn(struct results *r, const struct edn *v, bool json, char *err, size_t errlen)
{
    struct rd d = { err, errlen, json, false };
    v = edn_untag(v);
    if (!v || v->type != EDN_MAP) {
        return gl_errorf(err, errlen, "1:1: results must be a map");
    }
    r->ops = history_new();
    if (!r->ops) {
        return gl_errorf(err, errlen, "out of memory");
    }
    rd_validity(&d, v, "", &r->valid);
    const struct edn *stats = rd_map(&d, v, "", ":stats", true);
    const struct edn *by = stats ? rd_map(&d, stats, ":stats", ":by-f", true) : NULL;
    counts_of(&d, stats, ":stats", &r->stats);
    counts_of(&d, by ? rd_map(&d, by, ":stats :by-f", ":broadcast", false) : NULL,
              ":stats :by-f :broadcast", &r->by_broadcast);
    counts_of(&d, by ? rd_map(&d, by, ":stats :by-f", ":read", false) : NULL, ":stats :by-f :read",
              &r->by_read);
    const struct edn *av = rd_map(&d, v, "", ":availability", true);
    if (av) {
        rd_bool(&d, av, ":availability", ":valid?", &r->avail_valid);
        rd_float(&d, av, ":availability", ":ok-fraction", true, &r->ok_fraction);
    }
    net_of(&d, rd_map(&d, v, "", ":net", false), r);
    const struct edn *wl = rd_map(&d, v, "", ":workload", true);
    if (d.failed) return -1;
    if (exceptions_of(&d, rd_map(&d, v, "", ":exceptions", false), r) != 0) return -1;
    if (convergence_of(&d, rd_map(&d, v, "", ":" RESULTS_CONVERGENCE_KEY, false), r) != 0)
        return -1;
    return workload_of(&d, wl, r);
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
        struct jtree t;
        char why_buf[128];
        const char *why = why_buf;
        size_t off = 0, line = 1, col = 1;
        if (jtree_parse(&t, buf, len, why_buf, sizeof(why_buf), &off) != 0) {
            if (!t.root) why = "invalid JSON"; /* else trailing data, as jtree says */
            for (size_t i = 0; i < off && i < len; i++, col++)
                if (buf[i] == '\n') line++, col = 0;
            rc = gl_errorf(err, errlen, "%zu:%zu: %s", line, col, why);
        } else if (jtree_tag(&t, why_buf, sizeof(why_buf)) != 0) {
            rc = gl_errorf(err, errlen, "1:1: %s", why_buf);
        } else if (!(v = from_json(&a, &t, t.root, 0, &why))) {
            /* A JSON value has no position: "PATH: what", as the extractor's messages. */
            rc = gl_errorf(err, errlen, " %s", why);
        }
        jtree_release(&t);
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
