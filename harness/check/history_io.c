/*
 * history_io.c: reads and writes a history as Maelstrom's history.edn (one op map per line) and
 * as our JSON lines (docs/formats.md); the records' text is made by history_fmt.c. The JSON reader
 * uses cJSON per line; trees never leave this file. Unknown op keys are ignored, as Jepsen's
 * checkers ignore them.
 */
#include "history.h"
#include "history_int.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "edn.h"
#include "errmsg.h"
#include "file.h"
#include "jsonl.h"
#include "strbuf.h"

/* Scratch shared by the readers, the integer members of one value, is a struct msg_values. */

static bool parse_type(const char *s, enum hist_type *t)
{
    static const char *names[] = { "invoke", "ok", "fail", "info" };
    for (int i = 0; i < 4; i++) {
        if (!strcmp(s, names[i])) {
            *t = (enum hist_type)i;
            return true;
        }
    }
    return false;
}

static enum hist_f parse_f(const char *s)
{
    if (!strcmp(s, "broadcast") || !strcmp(s, "add")) return HF_BROADCAST;
    if (!strcmp(s, "read")) return HF_READ;
    if (!strcmp(s, "start-partition")) return HF_START_PARTITION;
    if (!strcmp(s, "stop-partition")) return HF_STOP_PARTITION;
    return HF_OTHER;
}

/* The exception's class, (-> exception :via first :type), printed; NULL when absent. */
static char *exception_class(const struct edn *exc)
{
    const struct edn *via = edn_get(exc, "via");
    via = edn_untag(via);
    if (!via || (via->type != EDN_VECTOR && via->type != EDN_LIST) || via->n == 0 || !via->items)
        return NULL;
    return edn_print_text(edn_get(via->items[0], "type"), 0);
}

/* Compact EDN text of v, malloc'd (NULL for NULL or out of memory). */
static char *edn_text(const struct edn *v)
{
    return edn_print_text(v, 0);
}

struct op_texts {
    char *value, *error, *exception, *exc_class;
    const char *f_name;
};

static void op_texts_release(struct op_texts *t)
{
    free(t->value);
    free(t->error);
    free(t->exception);
    free(t->exc_class);
}

/* Fills op's value from an EDN value: nil, an integer, integers, or kept as EDN text. */
static int edn_value(const struct edn *v, struct hist_op *op, struct msg_values *s,
                     struct op_texts *t)
{
    s->n = 0;
    if (!v || v->type == EDN_NIL) {
        op->vkind = HV_NIL;
        return 0;
    }
    if (v->type == EDN_INT) {
        op->vkind = HV_INT;
        op->value = v->i;
        return 0;
    }
    if (v->type == EDN_VECTOR && !v->items) {
        /* A compact vector of integers (edn_reader.compact_ints). */
        op->vkind = HV_INTS;
        for (size_t i = 0; i < v->n; i++)
            if (msg_values_push(s, v->ints[i]) != 0) return -1;
        return 0;
    }
    bool coll = v->type == EDN_VECTOR || v->type == EDN_LIST || v->type == EDN_SET;
    bool all_ints = coll;
    for (size_t i = 0; coll && i < v->n; i++) {
        if (v->items[i]->type == EDN_INT) {
            if (msg_values_push(s, v->items[i]->i) != 0) return -1;
        } else {
            all_ints = false;
        }
    }
    op->vkind = all_ints && v->type == EDN_VECTOR ? HV_INTS : HV_EDN;
    if (op->vkind == HV_EDN && !(t->value = edn_text(v))) return -1;
    return 0;
}

static char *class_of_text(const char *exc);

static bool is_name(const struct edn *v)
{
    return v && (v->type == EDN_KEYWORD || v->type == EDN_SYMBOL || v->type == EDN_STRING);
}

/*
 * A field's EDN text: when texts_are_edn a string holds EDN text, kept as edn_text_or_string
 * makes it (never raw: a comment in it would swallow the rest of the record once written);
 * otherwise the value printed.
 */
static int field_text(const struct edn *v, bool texts_are_edn, char **out)
{
    if (!v) return 0;
    *out = texts_are_edn && v->type == EDN_STRING ? edn_text_or_string(v->s, v->len) : edn_text(v);
    return *out ? 0 : -1;
}

static int op_fields(const struct edn *m, bool texts_are_edn, struct hist_op *op,
                     struct msg_values *s, struct op_texts *t)
{
    const struct edn *value = edn_get(m, "value"), *exc = edn_get(m, "exception");
    int rc;
    if (texts_are_edn && value && value->type == EDN_STRING) {
        op->vkind = HV_EDN;
        s->n = 0;
        rc = (t->value = edn_text_or_string(value->s, value->len)) ? 0 : -1;
    } else {
        rc = edn_value(value, op, s, t);
    }
    if (rc == 0) rc = field_text(edn_get(m, "error"), texts_are_edn, &t->error);
    if (rc == 0) rc = field_text(exc, texts_are_edn, &t->exception);
    if (rc == 0 && exc)
        t->exc_class = exc->type == EDN_STRING ? class_of_text(t->exception) : exception_class(exc);
    return rc;
}

/* "LINE:COL: KEY must be WANT, not V" at v, or "record without KEY (WANT)" at the record m. */
static int bad_field(const struct edn *m, const struct edn *v, const char *key, const char *want,
                     char *err, size_t errlen)
{
    if (!v)
        return gl_errorf(err, errlen, "%u:%u: record without %s (%s)", m->line, m->col, key, want);
    char *got = edn_print_text(v, 0);
    int rc = gl_errorf(err, errlen, "%u:%u: %s must be %s, not %.40s", v->line, v->col, key, want,
                       got ? got : "that");
    free(got);
    return rc;
}

/*
 * :index and :time must be non-negative integers and :process a non-negative integer or
 * :nemesis (Maelstrom's nemesis, spec §2.7); anything else is refused rather than guessed, since
 * a process taken for the nemesis drops its ops from the check. from_json: the record came from
 * results.json, where :nemesis is the string "nemesis".
 */
static int edn_numbers(const struct edn *m, bool from_json, struct hist_op *op, char *err,
                       size_t errlen)
{
    const struct edn *index = edn_get(m, "index"), *time = edn_get(m, "time");
    const struct edn *process = edn_get(m, "process");
    if (!index || index->type != EDN_INT || index->i < 0)
        return bad_field(m, index, ":index", "a non-negative integer", err, errlen);
    if (!time || time->type != EDN_INT || time->i < 0)
        return bad_field(m, time, ":time", "a non-negative integer (ns)", err, errlen);
    bool nemesis = process &&
                   (from_json ? process->type == EDN_STRING : process->type == EDN_KEYWORD) &&
                   !strcmp(process->s, "nemesis");
    if (!process || (!nemesis && (process->type != EDN_INT || process->i < 0)))
        return bad_field(m, process, ":process", "a non-negative integer or :nemesis", err, errlen);
    op->index = index->i;
    op->time_ns = time->i;
    op->process = nemesis ? HIST_NEMESIS : process->i;
    return 0;
}

int history_push_edn(struct history *h, const struct edn *form, bool texts_are_edn, char *err,
                     size_t errlen)
{
    struct msg_values s = { 0 };
    const struct edn *m = edn_untag(form);
    if (!m || m->type != EDN_MAP) {
        return gl_errorf(err, errlen, "%u:%u: a history record must be a map", form->line,
                         form->col);
    }
    struct hist_op op;
    memset(&op, 0, sizeof(op));
    const struct edn *type = edn_get(m, "type");
    const struct edn *f = edn_get(m, "f"), *final = edn_get(m, "final?");
    if (!is_name(type) || !parse_type(type->s, &op.type)) {
        return gl_errorf(err, errlen, "%u:%u: record without a valid :type", m->line, m->col);
    }
    if (edn_numbers(m, texts_are_edn, &op, err, errlen) != 0) return -1;
    struct op_texts t = { 0 };
    t.f_name = is_name(f) ? f->s : "nil";
    op.f = parse_f(t.f_name);
    op.final = final && final->type == EDN_BOOL && final->b;
    int rc = op_fields(m, texts_are_edn, &op, &s, &t);
    if (rc == 0)
        rc = history_push(h, &op, s.v, s.n, t.value, t.f_name, t.error, t.exception, t.exc_class);
    op_texts_release(&t);
    free(s.v);
    if (rc != 0) snprintf(err, errlen, "%u:%u: out of memory", m->line, m->col);
    return rc;
}

static int parse_edn(struct history *h, const char *buf, size_t len, char *err, size_t errlen)
{
    struct edn_reader r;
    struct edn_arena a;
    edn_reader_init(&r, buf, len);
    r.compact_ints = true;
    edn_arena_init(&a);
    int rc;
    struct edn *form;
    while ((rc = edn_read(&r, &a, &form, err, errlen)) == 1) {
        if (history_push_edn(h, form, false, err, errlen) != 0) {
            rc = -1;
            break;
        }
        edn_arena_reset(&a);
    }
    edn_arena_release(&a);
    edn_reader_release(&r);
    return rc < 0 ? -1 : 0;
}

/* ---- JSON lines ----------------------------------------------------------------------------- */

/* A JSON integer literal within int64, read exactly (jtree.h: no 2^53 limit). */
static bool json_int(const struct jtree *t, const cJSON *v, int64_t *out)
{
    return jtree_int(t, v, out) == JTREE_INT;
}

/* The exception's class parsed from its EDN text, or NULL. */
static char *class_of_text(const char *exc)
{
    struct edn_arena a;
    edn_arena_init(&a);
    struct edn *v;
    char e[64];
    char *cls = NULL;
    if (edn_parse_one(exc, strlen(exc), &a, &v, e, sizeof(e)) == 0) cls = exception_class(v);
    edn_arena_release(&a);
    return cls;
}

static int json_value(const struct jtree *jt, const cJSON *v, struct hist_op *op,
                      struct msg_values *s, struct op_texts *t)
{
    s->n = 0;
    int64_t x;
    if (!v || cJSON_IsNull(v)) {
        op->vkind = HV_NIL;
    } else if (json_int(jt, v, &x)) {
        op->vkind = HV_INT;
        op->value = x;
    } else if (cJSON_IsArray(v)) {
        op->vkind = HV_INTS;
        for (const cJSON *it = v->child; it; it = it->next) {
            if (!json_int(jt, it, &x)) return 1;
            if (msg_values_push(s, x) != 0) return -1;
        }
    } else if (cJSON_IsString(v)) {
        op->vkind = HV_EDN;
        if (!(t->value = edn_text_or_string(v->valuestring, strlen(v->valuestring)))) return -1;
    } else {
        return 1;
    }
    return 0;
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "index", "time" and "process" as edn_numbers wants them ("nemesis" for the nemesis). */
static const char *json_numbers(const struct jtree *t, const cJSON *o, struct hist_op *op)
{
    const cJSON *process = cJSON_GetObjectItemCaseSensitive(o, "process");
    if (!json_int(t, cJSON_GetObjectItemCaseSensitive(o, "index"), &op->index) || op->index < 0)
        return "\"index\" must be a non-negative integer";
    if (!json_int(t, cJSON_GetObjectItemCaseSensitive(o, "time"), &op->time_ns) || op->time_ns < 0)
        return "\"time\" must be a non-negative integer (ns)";
    if (cJSON_IsString(process) && !strcmp(process->valuestring, "nemesis"))
        op->process = HIST_NEMESIS;
    else if (!json_int(t, process, &op->process) || op->process < 0)
        return "\"process\" must be a non-negative integer or \"nemesis\"";
    return NULL;
}

/* A JSON string of EDN text as history_push wants it (see field_text); NULL for none. */
static int json_edn_text(const cJSON *o, const char *key, char **out)
{
    const char *s = json_str(o, key);
    if (!s) return 0;
    *out = edn_text_or_string(s, strlen(s));
    return *out ? 0 : -1;
}

/* A string field holding a \u0000 (cJSON would cut it there): its message, or NULL. */
static const char *json_nul_field(const cJSON *o)
{
    static const char *const keys[] = { "type", "f", "process", "value", "error", "exception" };
    static const char *const why[] = {
        "\"type\" contains a NUL character (\\u0000)",
        "\"f\" contains a NUL character (\\u0000)",
        "\"process\" contains a NUL character (\\u0000)",
        "\"value\" contains a NUL character (\\u0000)",
        "\"error\" contains a NUL character (\\u0000)",
        "\"exception\" contains a NUL character (\\u0000)",
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (jtree_has_nul(cJSON_GetObjectItemCaseSensitive(o, keys[i]))) return why[i];
    return NULL;
}

static const char *op_from_json(struct history *h, const struct jtree *jt, struct msg_values *s)
{
    const cJSON *o = jt->root;
    if (!cJSON_IsObject(o)) return "a history record must be a JSON object";
    const char *nul = json_nul_field(o);
    if (nul) return nul;
    struct hist_op op;
    memset(&op, 0, sizeof(op));
    const char *type = json_str(o, "type");
    if (!type || !parse_type(type, &op.type)) return "record without a valid \"type\"";
    const char *why = json_numbers(jt, o, &op);
    if (why) return why;
    struct op_texts t = { 0 };
    t.f_name = json_str(o, "f") ? json_str(o, "f") : "nil";
    op.f = parse_f(t.f_name);
    const cJSON *final = cJSON_GetObjectItemCaseSensitive(o, "final?");
    if (!final) final = cJSON_GetObjectItemCaseSensitive(o, "final");
    op.final = cJSON_IsTrue(final);
    int rc = json_value(jt, cJSON_GetObjectItemCaseSensitive(o, "value"), &op, s, &t);
    if (rc > 0) return "\"value\" must be null, an integer, integers or an EDN string";
    if (rc == 0) rc = json_edn_text(o, "error", &t.error);
    if (rc == 0) rc = json_edn_text(o, "exception", &t.exception);
    if (rc == 0 && t.exception) t.exc_class = class_of_text(t.exception);
    if (rc == 0)
        rc = history_push(h, &op, s->v, s->n, t.value, t.f_name, t.error, t.exception, t.exc_class);
    op_texts_release(&t);
    return rc ? "out of memory" : NULL;
}

struct json_reader {
    struct history *h;
    struct msg_values s; /* scratch for a read's values, reused line to line */
};

static const char *op_line(void *ctx, const struct jtree *t)
{
    struct json_reader *r = ctx;
    return op_from_json(r->h, t, &r->s);
}

static int parse_json(struct history *h, const char *buf, size_t len, char *err, size_t errlen)
{
    struct json_reader r = { h, { 0 } };
    int rc = jsonl_each(buf, len, op_line, &r, err, errlen);
    free(r.s.v);
    return rc;
}

enum history_format history_detect(const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n,", buf[i]))
        i++;
    if (i < len && buf[i] == '#') return HISTORY_EDN;
    if (i < len && buf[i] == '{') i++;
    while (i < len && strchr(" \t\r\n,", buf[i]))
        i++;
    return i < len && buf[i] != '"' && buf[i] != '}' ? HISTORY_EDN : HISTORY_JSON;
}

int history_parse(struct history *h, const char *buf, size_t len, char *err, size_t errlen)
{
    if (history_detect(buf, len) == HISTORY_EDN) return parse_edn(h, buf, len, err, errlen);
    return parse_json(h, buf, len, err, errlen);
}

int history_set_exception(struct history *h, size_t i, const char *exception)
{
    char *text = edn_text_or_string(exception, strlen(exception));
    char *cls = text ? class_of_text(text) : NULL;
    int rc = text ? history_attach_exception(h, i, text, cls) : -1;
    free(cls);
    free(text);
    return rc;
}

static int parse_cb(void *h, const char *buf, size_t len, char *err, size_t errlen)
{
    return history_parse(h, buf, len, err, errlen);
}

int history_load(struct history *h, const char *path, char *err, size_t errlen)
{
    return file_load(path, parse_cb, h, err, errlen);
}

/* ---- writing ------------------------------------------------------------------------------ */

int history_write_op_json(const struct history *h, const struct hist_op *op, FILE *out)
{
    struct strbuf sb = STRBUF_INIT;
    hist_fmt_op(&sb, h, op, 0, HISTORY_JSON, false, NULL);
    int rc = file_write_strbuf(out, &sb);
    strbuf_release(&sb);
    return rc;
}

int history_write_op_edn(const struct history *h, const struct hist_op *op, bool f_as_add,
                         FILE *out)
{
    struct strbuf sb = STRBUF_INIT;
    hist_fmt_op(&sb, h, op, 0, HISTORY_EDN, f_as_add, NULL);
    int rc = file_write_strbuf(out, &sb);
    strbuf_release(&sb);
    return rc;
}

int history_write(const struct history *h, enum history_format fmt, FILE *out)
{
    struct strbuf sb = STRBUF_INIT;
    struct hist_fmt *f = hist_fmt_new();
    int rc = f ? 0 : -1;
    for (size_t i = 0; i < history_len(h) && rc == 0; i++) {
        hist_fmt_op(&sb, h, history_op(h, i), i, fmt, false, f);
        /* Written in blocks of about 64 KiB: one fwrite per op was slower, one per file big. */
        if (sb.len >= 65536 || i + 1 == history_len(h)) {
            rc = file_write_strbuf(out, &sb);
            strbuf_reset(&sb);
        }
    }
    strbuf_release(&sb);
    hist_fmt_free(f);
    return rc;
}

int history_save(const struct history *h, enum history_format fmt, const char *path, char *err,
                 size_t errlen)
{
    FILE *f = fopen(path, "w");
    if (!f) return gl_errorf(err, errlen, "%s: %s", path, strerror(errno));
    int rc = history_write(h, fmt, f);
    if (fclose(f) != 0) rc = -1;
    return rc != 0 ? gl_errorf(err, errlen, "%s: write error", path) : 0;
}
