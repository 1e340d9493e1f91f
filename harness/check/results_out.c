/*
 * results_out.c: results.json (the results' EDN value with keywords as strings, built in a
 * strbuf and written whole), the short human summary and the CSV line of the key figures.
 */
#include "results.h"

#include <errno.h>
#include <string.h>

#include "errmsg.h"
#include "file.h"
#include "json.h"
#include "results_int.h"
#include "strbuf.h"

static void json_indent(struct strbuf *out, unsigned depth)
{
    strbuf_addch(out, '\n');
    for (unsigned i = 0; i < depth; i++)
        strbuf_addstr(out, "  ");
}

/* v's compact EDN text as a JSON string. */
static void add_edn_as_string(struct strbuf *out, const struct edn *v)
{
    struct strbuf b = STRBUF_INIT;
    edn_print(&b, v, 0);
    if (b.failed) out->failed = true;
    json_add_str(out, strbuf_str(&b));
    strbuf_release(&b);
}

/* The name of an EDN value used as a JSON key or string: keywords lose their colon. */
static void json_key(struct strbuf *out, const struct edn *k)
{
    char buf[64];
    switch (k->type) {
    case EDN_KEYWORD:
    case EDN_SYMBOL:
    case EDN_STRING:
        json_add_str(out, k->s);
        return;
    case EDN_INT:
        strbuf_addf(out, "\"%lld\"", (long long)k->i);
        return;
    case EDN_FLOAT:
        if (k->f32)
            edn_format_float((float)k->f, buf, sizeof(buf));
        else
            edn_format_double(k->f, buf, sizeof(buf));
        strbuf_addf(out, "\"%s\"", buf);
        return;
    case EDN_NIL:
    case EDN_BOOL:
    case EDN_CHAR:
    case EDN_LIST:
    case EDN_VECTOR:
    case EDN_SET:
    case EDN_MAP:
    case EDN_TAGGED:
        break;
    }
    add_edn_as_string(out, k);
}

static bool int_vector(const struct edn *v)
{
    if (v->type != EDN_VECTOR) return false;
    for (size_t i = 0; i < v->n; i++)
        if (v->items[i]->type != EDN_INT) return false;
    return true;
}

static void json_value(struct strbuf *out, const struct edn *v, unsigned depth, bool op);

/* An op's :value / :error / :exception: plain when JSON can say it, else its EDN text. */
static void json_op_field(struct strbuf *out, const struct edn *v, unsigned depth)
{
    if (v->type == EDN_NIL || v->type == EDN_INT || int_vector(v)) {
        json_value(out, v, depth, false);
        return;
    }
    add_edn_as_string(out, v);
}

static bool is_nested(const struct edn *v)
{
    return v->type == EDN_MAP || v->type == EDN_TAGGED || v->type == EDN_LIST ||
           v->type == EDN_VECTOR || v->type == EDN_SET;
}

/* Scalars on one line; collections of collections one element per line. */
static void json_array(struct strbuf *out, const struct edn *v, unsigned depth)
{
    bool nested = false;
    for (size_t i = 0; i < v->n && !nested; i++)
        nested = is_nested(v->items[i]);
    strbuf_addch(out, '[');
    for (size_t i = 0; i < v->n; i++) {
        if (i) strbuf_addstr(out, nested ? "," : ", ");
        if (nested) json_indent(out, depth + 1);
        json_value(out, v->items[i], depth + 1, false);
    }
    if (nested) json_indent(out, depth);
    strbuf_addch(out, ']');
}

static void json_map(struct strbuf *out, const struct edn *v, unsigned depth, bool op)
{
    if (v->n == 0) {
        strbuf_addstr(out, "{}");
        return;
    }
    strbuf_addch(out, '{');
    for (size_t i = 0; i + 1 < v->n; i += 2) {
        if (i) strbuf_addch(out, ',');
        json_indent(out, depth + 1);
        const struct edn *k = v->items[i];
        json_key(out, k);
        strbuf_addstr(out, ": ");
        bool special =
            op && k->type == EDN_KEYWORD &&
            (!strcmp(k->s, "value") || !strcmp(k->s, "error") || !strcmp(k->s, "exception"));
        if (special)
            json_op_field(out, v->items[i + 1], depth + 1);
        else
            json_value(out, v->items[i + 1], depth + 1, false);
    }
    json_indent(out, depth);
    strbuf_addch(out, '}');
}

static void json_value(struct strbuf *out, const struct edn *v, unsigned depth, bool op)
{
    char buf[64];
    switch (v->type) {
    case EDN_NIL:
        strbuf_addstr(out, "null");
        break;
    case EDN_BOOL:
        strbuf_addstr(out, v->b ? "true" : "false");
        break;
    case EDN_INT:
        strbuf_add_i64(out, v->i);
        break;
    case EDN_FLOAT:
        if (v->f != v->f || v->f - v->f != 0.0) {
            strbuf_addstr(out, "null");
            break;
        }
        if (v->f32)
            edn_format_float((float)v->f, buf, sizeof(buf));
        else
            edn_format_double(v->f, buf, sizeof(buf));
        strbuf_addstr(out, buf);
        break;
    case EDN_STRING:
    case EDN_KEYWORD:
    case EDN_SYMBOL:
    case EDN_CHAR:
        json_key(out, v);
        break;
    case EDN_TAGGED:
        json_value(out, v->form, depth, !strcmp(v->s, "jepsen.history.Op"));
        break;
    case EDN_MAP:
        json_map(out, v, depth, op);
        break;
    case EDN_LIST:
    case EDN_VECTOR:
    case EDN_SET:
        json_array(out, v, depth);
        break;
    }
}

/* The value of "gossip-lab/convergence" (docs/formats.md). */
static struct edn *convergence_edn(struct edn_arena *a, const struct convergence *c)
{
    struct edn *m = edn_new(a, EDN_MAP), *lacking = edn_new(a, EDN_MAP),
               *unread = edn_new(a, EDN_VECTOR);
    int rc = m && lacking && unread ? 0 : -1;
    enum convergence_verdict v = convergence_verdict(c);
    rc |= edn_assoc(a, m, "converged?",
                    v == CONVERGENCE_UNKNOWN ? edn_new_str(a, EDN_KEYWORD, "unknown")
                                             : edn_new_bool(a, v == CONVERGED));
    rc |= edn_assoc(a, m, "nodes", edn_new_int(a, c->nodes));
    rc |= edn_assoc(a, m, "nodes-read", edn_new_int(a, c->nodes_read));
    rc |= edn_assoc(a, m, "nodes-lacking", edn_new_int(a, (int64_t)c->n_lacking));
    rc |= edn_assoc(a, m, "values", edn_new_int(a, (int64_t)c->values));
    rc |= edn_assoc(a, m, "lacking-count", edn_new_int(a, (int64_t)c->lacking_total));
    rc |= edn_assoc(a, m, "lacking-max", edn_new_int(a, (int64_t)c->lacking_max));
    for (size_t i = 0; rc == 0 && i < c->n_lacking; i++) {
        rc |= edn_push(a, lacking, edn_new_str(a, EDN_STRING, c->lacking[i].name));
        rc |= edn_push(a, lacking, edn_new_int(a, (int64_t)c->lacking[i].lacking));
    }
    rc |= edn_assoc(a, m, "lacking", lacking);
    for (size_t i = 0; rc == 0 && i < c->n_unread; i++)
        rc |= edn_push(a, unread, edn_new_str(a, EDN_STRING, c->unread[i]));
    rc |= edn_assoc(a, m, "unread", unread);
    return rc ? NULL : m;
}

int results_format_json(const struct results *r, struct strbuf *sb)
{
    struct edn_arena a;
    edn_arena_init(&a);
    struct edn *v = results_to_edn(&a, r);
    /* Our own key, after Maelstrom's; only here: results.edn keeps Maelstrom's eight keys. */
    if (v && r->convergence.present &&
        edn_assoc(&a, v, RESULTS_CONVERGENCE_KEY, convergence_edn(&a, &r->convergence)) != 0)
        v = NULL;
    if (v) {
        json_value(sb, v, 0, false);
        strbuf_addch(sb, '\n');
    } else {
        sb->failed = true;
    }
    edn_arena_release(&a);
    return sb->failed ? -1 : 0;
}

int results_write_json(const struct results *r, FILE *out)
{
    struct strbuf sb = STRBUF_INIT;
    results_format_json(r, &sb);
    int rc = file_write_strbuf(out, &sb);
    strbuf_release(&sb);
    return rc;
}

int results_save(const struct strbuf *sb, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "w");
    if (!f) return gl_errorf(err, errlen, "%s: %s", path, strerror(errno));
    int rc = file_write_strbuf(f, sb);
    if (fclose(f) != 0) rc = -1;
    return rc != 0 ? gl_errorf(err, errlen, "%s: write error", path) : 0;
}

const char *results_closing_line(enum validity v)
{
    switch (v) {
    case VALID_TRUE:
        return "Everything looks good! ヽ(‘ー`)ノ";
    case VALID_FALSE:
        return "Analysis invalid! (ﾉಥ益ಥ）ﾉ ┻━┻";
    case VALID_UNKNOWN:
        break;
    }
    return "Errors occurred during analysis, but no anomalies found. ಠ~ಠ";
}

static const char *validity_name(enum validity v)
{
    return v == VALID_TRUE ? "true" : v == VALID_FALSE ? "false" : "unknown";
}

/* The summary's convergence line: the verdict, then who lacks how many of the known values. */
static void write_convergence(const struct convergence *c, FILE *out)
{
    unsigned long long values = (unsigned long long)c->values;
    switch (convergence_verdict(c)) {
    case CONVERGED:
        fprintf(out, "converged         yes: all %u nodes have the %llu known values\n", c->nodes,
                values);
        return;
    case CONVERGENCE_UNKNOWN:
        fprintf(out,
                "converged         unknown: %zu of %u nodes not read; the %u read have the %llu "
                "known values\n",
                c->n_unread, c->nodes, c->nodes_read, values);
        return;
    case NOT_CONVERGED:
        break;
    }
    fprintf(out, "converged         no: %zu of %u nodes lack values (", c->n_lacking, c->nodes);
    /* The first few by name; the totals say the rest. */
    for (size_t i = 0; i < c->n_lacking && i < 8; i++)
        fprintf(out, "%s%s %llu", i ? ", " : "", c->lacking[i].name,
                (unsigned long long)c->lacking[i].lacking);
    fprintf(out, "%s; %llu missing in all, of %llu known values", c->n_lacking > 8 ? ", ..." : "",
            (unsigned long long)c->lacking_total, values);
    if (c->n_unread) fprintf(out, "; %zu nodes not read", c->n_unread);
    fprintf(out, ")\n");
}

int results_write_summary(const struct results *r, FILE *out)
{
    char a[32], s[32];
    fprintf(out, "valid?            %s\n", validity_name(r->valid));
    if (r->stats.present)
        fprintf(out, "ops               %llu (ok %llu, fail %llu, info %llu)\n",
                (unsigned long long)r->stats.count, (unsigned long long)r->stats.ok_count,
                (unsigned long long)r->stats.fail_count, (unsigned long long)r->stats.info_count);
    if (r->has_net && r->has_msgs_per_op) {
        edn_format_float(r->msgs_per_op_servers, s, sizeof(s));
        edn_format_float(r->msgs_per_op_all, a, sizeof(a));
        fprintf(out, "msgs-per-op       servers %s, all %s\n", s, a);
    } else {
        fprintf(out, "msgs-per-op       unknown (no message counts)\n");
    }
    const struct quantiles *q = &r->stable_latencies;
    if (q->present)
        fprintf(out, "stable-latencies  {0 %lld, 0.5 %lld, 0.95 %lld, 0.99 %lld, 1 %lld} ms\n",
                (long long)q->q[0], (long long)q->q[1], (long long)q->q[2], (long long)q->q[3],
                (long long)q->q[4]);
    else
        fprintf(out, "stable-latencies  none (nothing became stable)\n");
    if (r->has_workload)
        fprintf(
            out,
            "lost              %zu of %llu broadcasts (stable %llu, stale %zu, never read %zu)\n",
            r->lost.n, (unsigned long long)r->attempt_count, (unsigned long long)r->stable_count,
            r->stale.n, r->never_read.n);
    if (r->convergence.present) write_convergence(&r->convergence, out);
    fprintf(out, "\n%s\n", results_closing_line(r->valid));
    return ferror(out) ? -1 : 0;
}

int results_write_csv_header(FILE *out)
{
    fputs("ops,msgs_per_op_servers,msgs_per_op_all,stable_p0,stable_p50,stable_p95,stable_p99,"
          "stable_max,lost,valid,nodes_lacking,values_lacking\n",
          out);
    return ferror(out) ? -1 : 0;
}

int results_write_csv(const struct results *r, FILE *out)
{
    char a[32] = "", s[32] = "";
    if (r->stats.present) fprintf(out, "%llu", (unsigned long long)r->stats.count);
    if (r->has_net && r->has_msgs_per_op) {
        edn_format_float(r->msgs_per_op_servers, s, sizeof(s));
        edn_format_float(r->msgs_per_op_all, a, sizeof(a));
    }
    fprintf(out, ",%s,%s", s, a);
    for (int k = 0; k < QUANTILE_N; k++) {
        if (r->stable_latencies.present)
            fprintf(out, ",%lld", (long long)r->stable_latencies.q[k]);
        else
            fputc(',', out);
    }
    if (r->has_workload)
        fprintf(out, ",%zu", r->lost.n);
    else
        fputc(',', out);
    fprintf(out, ",%s", validity_name(r->valid));
    if (r->convergence.present)
        fprintf(out, ",%zu,%llu\n", r->convergence.n_lacking,
                (unsigned long long)r->convergence.lacking_total);
    else
        fputs(",,\n", out);
    return ferror(out) ? -1 : 0;
}
