/*
 * history_fmt.c: a history record as a line of our JSON lines or of Maelstrom's history.edn
 * (history_int.h), for history_io.c's writers. Pure: no IO.
 */
#include <stdlib.h>
#include <string.h>

#include "edn.h"
#include "history.h"
#include "history_int.h"
#include "json.h"
#include "strbuf.h"

#include "banned.h"

/*
 * What history_write remembers of each process's last integer vector: its position + 1 and its
 * values as written, without brackets. A read that extends it (history_vals_suffix: a node
 * returns what it returned before and more) is written as that text and its new values, so a
 * long run's reads are neither unpacked nor formatted again from their first value.
 */
struct vec_text {
    size_t pos1;
    struct strbuf text;
};

struct hist_fmt {
    struct vec_text *v;
    size_t cap;
    struct vals_scratch *sc; /* its own (history_write may run beside other readers of h) */
};

/* Processes beyond this are written without the cache (their numbers are the workers'). */
#define VEC_TEXT_MAX_PROCESS 65536

struct hist_fmt *hist_fmt_new(void)
{
    struct hist_fmt *c = calloc(1, sizeof(*c));
    if (c && !(c->sc = history_scratch_new())) {
        free(c);
        return NULL;
    }
    return c;
}

void hist_fmt_free(struct hist_fmt *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->cap; i++)
        strbuf_release(&c->v[i].text);
    free(c->v);
    history_scratch_free(c->sc);
    free(c);
}

/* The cache's entry for op's process, or NULL (no cache, a process beyond it, out of memory). */
static struct vec_text *vec_text_of(struct hist_fmt *c, const struct hist_op *op)
{
    if (!c || op->process < 0 || op->process >= VEC_TEXT_MAX_PROCESS) return NULL;
    size_t p = (size_t)op->process, old = c->cap;
    if (GL_GROW(c->v, p + 1, c->cap) != 0) return NULL;
    for (size_t i = old; i < c->cap; i++)
        c->v[i] = (struct vec_text){ 0, STRBUF_INIT };
    return &c->v[p];
}

/* Appends '[', text[0..len) and ']' (one growth: a line has a vector or two). */
static void put_bracketed(struct strbuf *sb, const char *text, size_t len)
{
    if (len > SIZE_MAX - 3) {
        sb->failed = true;
        return;
    }
    if (!strbuf_grow(sb, len + 2)) return; /* failed is latched */
    char *p = sb->buf + sb->len;
    *p++ = '[';
    if (len) memcpy(p, text, len);
    p += len;
    *p++ = ']';
    sb->len = (size_t)(p - sb->buf);
    sb->buf[sb->len] = '\0';
}

/* The values of op (HV_INTS, at position pos) joined by sep in brackets, through the cache when
 * it can. */
static void add_ints(struct strbuf *sb, const struct history *h, const struct hist_op *op,
                     size_t pos, char sep, struct hist_fmt *cache)
{
    struct vec_text *t = vec_text_of(cache, op);
    struct vals_scratch *sc = cache ? cache->sc : NULL;
    size_t n, base;
    const int64_t *v;
    if (!t) {
        v = sc ? history_vals_in(h, op, &n, sc) : history_vals(h, op, &n);
        strbuf_addch(sb, '[');
        strbuf_add_i64s(sb, v, n, sep);
        strbuf_addch(sb, ']');
        return;
    }
    bool ext = history_vals_suffix_in(h, op, &n, &base, &v, sc);
    if (ext && t->pos1 == base + 1) {
        if (n && t->text.len) strbuf_addch(&t->text, sep);
    } else {
        if (ext) v = history_vals_in(h, op, &n, sc); /* it extends a vector the cache lacks */
        strbuf_reset(&t->text);
        t->text.failed = false;
    }
    strbuf_add_i64s(&t->text, v, n, sep);
    t->pos1 = t->text.failed ? 0 : pos + 1;
    if (t->text.failed) sb->failed = true; /* out of memory: the write fails */
    put_bracketed(sb, t->text.buf ? t->text.buf : "", t->text.len);
}

/* The op's :value as JSON (text values as strings) or EDN; pos and cache: see add_ints. */
static void add_value(struct strbuf *sb, const struct history *h, const struct hist_op *op,
                      size_t pos, bool json, struct hist_fmt *cache)
{
    switch (op->vkind) {
    case HV_NIL:
        strbuf_addstr(sb, json ? "null" : "nil");
        break;
    case HV_INT:
        strbuf_add_i64(sb, op->value);
        break;
    case HV_INTS:
        add_ints(sb, h, op, pos, json ? ',' : ' ', cache);
        break;
    case HV_EDN:
        if (json)
            json_add_str(sb, history_text(h, op->text_off));
        else
            strbuf_addstr(sb, history_text(h, op->text_off));
        break;
    }
}

/* The bytes a record's line takes at most before its :value, besides the :f name. */
#define OP_HEAD_MAX (64 + 3 * STRBUF_NUM_MAX)

/* Writes the type name at p; returns the end. */
static char *put_type(char *p, enum hist_type t)
{
    const char *name = hist_type_name(t);
    size_t len = strlen(name);
    memcpy(p, name, len);
    return p + len;
}

/* Ends a line's part made in place at p (sb's room made for it). */
static void put_done(struct strbuf *sb, char *p)
{
    sb->len = (size_t)(p - sb->buf);
    sb->buf[sb->len] = '\0';
}

static void op_json(struct strbuf *sb, const struct history *h, const struct hist_op *op,
                    size_t pos, struct hist_fmt *cache)
{
    /* Up to the :value in place, in room made once (a strbuf call per field was slower). */
    const char *f = history_f_name(h, op);
    size_t flen = strlen(f);
    if (flen > (SIZE_MAX - OP_HEAD_MAX) / 6 - 1 || !strbuf_grow(sb, OP_HEAD_MAX + 6 * flen + 2))
        return;
    char *p = sb->buf + sb->len;
    STRBUF_PUT_LIT(p, "{\"index\":");
    p += strbuf_fmt_i64(p, op->index);
    STRBUF_PUT_LIT(p, ",\"time\":");
    p += strbuf_fmt_i64(p, op->time_ns);
    STRBUF_PUT_LIT(p, ",\"type\":\"");
    p = put_type(p, op->type);
    STRBUF_PUT_LIT(p, "\",\"process\":");
    if (op->process == HIST_NEMESIS)
        STRBUF_PUT_LIT(p, "\"nemesis\"");
    else
        p += strbuf_fmt_i64(p, op->process);
    STRBUF_PUT_LIT(p, ",\"f\":");
    p = json_put_str(sb, p, f, flen);
    STRBUF_PUT_LIT(p, ",\"value\":");
    put_done(sb, p);
    add_value(sb, h, op, pos, true, cache);
    if (op->final) strbuf_add(sb, ",\"final?\":true", 14);
    if (op->exc_off != HIST_NONE) {
        strbuf_addstr(sb, ",\"exception\":");
        json_add_str(sb, history_text(h, op->exc_off));
    }
    if (op->error_off != HIST_NONE) {
        strbuf_addstr(sb, ",\"error\":");
        json_add_str(sb, history_text(h, op->error_off));
    }
    strbuf_add(sb, "}\n", 2);
}

static void put_edn_string(struct strbuf *sb, const char *s, size_t len)
{
    char *q = edn_quote(s, len);
    if (q)
        strbuf_addstr(sb, q);
    else
        sb->failed = true;
    free(q);
}

static void op_edn(struct strbuf *sb, const struct history *h, const struct hist_op *op,
                   bool f_as_add, size_t pos, struct hist_fmt *cache)
{
    if (!strbuf_grow(sb, OP_HEAD_MAX)) return;
    char *p = sb->buf + sb->len;
    STRBUF_PUT_LIT(p, "{:index ");
    p += strbuf_fmt_i64(p, op->index);
    STRBUF_PUT_LIT(p, ", :time ");
    p += strbuf_fmt_i64(p, op->time_ns);
    STRBUF_PUT_LIT(p, ", :type :");
    p = put_type(p, op->type);
    STRBUF_PUT_LIT(p, ", :process ");
    if (op->process == HIST_NEMESIS)
        STRBUF_PUT_LIT(p, ":nemesis");
    else
        p += strbuf_fmt_i64(p, op->process);
    STRBUF_PUT_LIT(p, ", :f ");
    const char *f = f_as_add && op->f == HF_BROADCAST ? "add" : history_f_name(h, op);
    size_t flen = strlen(f);
    /* The workload's own names are keyword names; one read from a file may not be ("a b"). */
    if (op->f != HF_OTHER || edn_name_ok(f, flen)) {
        put_done(sb, p);
        if (!strbuf_grow(sb, flen + 10)) return;
        p = sb->buf + sb->len;
        *p++ = ':';
        memcpy(p, f, flen);
        p += flen;
        STRBUF_PUT_LIT(p, ", :value ");
        put_done(sb, p);
    } else {
        put_done(sb, p);
        put_edn_string(sb, f, flen);
        strbuf_add(sb, ", :value ", 9);
    }
    add_value(sb, h, op, pos, false, cache);
    if (op->final) strbuf_add(sb, ", :final? true", 14);
    if (op->exc_off != HIST_NONE) {
        strbuf_addstr(sb, ", :exception ");
        strbuf_addstr(sb, history_text(h, op->exc_off));
    }
    if (op->error_off != HIST_NONE) {
        strbuf_addstr(sb, ", :error ");
        strbuf_addstr(sb, history_text(h, op->error_off));
    }
    strbuf_add(sb, "}\n", 2);
}

void hist_fmt_op(struct strbuf *sb, const struct history *h, const struct hist_op *op, size_t pos,
                 enum history_format fmt, bool f_as_add, struct hist_fmt *cache)
{
    if (fmt == HISTORY_EDN)
        op_edn(sb, h, op, f_as_add, pos, cache);
    else
        op_json(sb, h, op, pos, cache);
}
