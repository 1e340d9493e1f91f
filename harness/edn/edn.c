/*
 * edn.c: the EDN reader's structure: whitespace, collections, strings, dispatch forms, and the
 * entry points (atoms are in edn_atom.c, the arena in edn_print.c). A recursive-descent reader
 * with an explicit depth bound; collections collect their elements on a scratch stack shared by
 * every level and are copied into the arena once, when they close.
 */
#include "edn.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "edn_int.h"

#include "banned.h"

/* ---- reader ------------------------------------------------------------------------------- */

void edn_reader_init(struct edn_reader *r, const char *buf, size_t len)
{
    memset(r, 0, sizeof(*r));
    r->buf = buf;
    r->len = len;
    r->line = 1;
}

void edn_reader_release(struct edn_reader *r)
{
    free(r->iscratch);
    r->iscratch = NULL;
    r->capi = 0;
    free(r->stack);
    r->stack = NULL;
    r->nstack = r->capstack = 0;
}

uint32_t edn_col_at(const struct edn_reader *r, size_t pos, size_t line_start)
{
    (void)r;
    return (uint32_t)(pos - line_start + 1);
}

int edn_fail_at(struct edn_ctx *c, uint32_t line, uint32_t col, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(c->err, c->errlen, "%u:%u: %s", line, col, msg);
    return -1;
}

static bool is_ws(char ch)
{
    return ch == ' ' || ch == ',' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f';
}

bool edn_is_delim(char ch)
{
    return is_ws(ch) || ch == '(' || ch == ')' || ch == '[' || ch == ']' || ch == '{' ||
           ch == '}' || ch == '"' || ch == ';';
}

void edn_skip_ws(struct edn_reader *r)
{
    while (r->pos < r->len) {
        char ch = r->buf[r->pos];
        if (ch == '\n') {
            r->pos++;
            r->line++;
            r->line_start = r->pos;
        } else if (is_ws(ch)) {
            r->pos++;
        } else if (ch == ';' && !r->no_comments) {
            while (r->pos < r->len && r->buf[r->pos] != '\n')
                r->pos++;
        } else {
            break;
        }
    }
}

struct edn *edn_new_node(struct edn_ctx *c, enum edn_type t, uint32_t line, uint32_t col)
{
    struct edn *v = edn_arena_alloc(c->a, sizeof(*v));
    if (!v) return NULL;
    v->type = t;
    v->line = line;
    v->col = col;
    return v;
}

char *edn_arena_strndup(struct edn_arena *a, const char *s, size_t len)
{
    char *p = edn_arena_alloc(a, len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

static int read_form(struct edn_ctx *c, struct edn **out);

static int push_scratch(struct edn_ctx *c, struct edn *v)
{
    struct edn_reader *r = c->r;
    if (GL_GROW(r->stack, r->nstack + 1, r->capstack) != 0) return EDN_OOM(c);
    r->stack[r->nstack++] = v;
    return 0;
}

static const char *coll_name(enum edn_type t)
{
    switch (t) {
    case EDN_LIST:
        return "list";
    case EDN_VECTOR:
        return "vector";
    case EDN_SET:
        return "set";
    case EDN_MAP:
        return "map";
    case EDN_NIL:
    case EDN_BOOL:
    case EDN_INT:
    case EDN_FLOAT:
    case EDN_STRING:
    case EDN_CHAR:
    case EDN_KEYWORD:
    case EDN_SYMBOL:
    case EDN_TAGGED:
        break;
    }
    return "form";
}

/*
 * The compact fast path for a vector of small integers (see compact_ints): 1 with *out, 0 when
 * the vector holds anything else (the reader is left where it was), -1 when out of memory.
 */
static int read_int_vector(struct edn_ctx *c, uint32_t line, uint32_t col, struct edn **out)
{
    struct edn_reader *r = c->r;
    struct edn_reader saved = *r;
    size_t n = 0;
    for (;;) {
        edn_skip_ws(r);
        if (r->pos < r->len && r->buf[r->pos] == ']') break;
        int64_t x;
        if (r->pos >= r->len || !edn_small_int_at(r, &r->pos, &x)) {
            saved.iscratch = r->iscratch;
            saved.capi = r->capi;
            *r = saved;
            return 0;
        }
        if (GL_GROW(r->iscratch, n + 1, r->capi) != 0) return EDN_OOM(c);
        r->iscratch[n++] = x;
    }
    r->pos++;
    struct edn *v = edn_new_node(c, EDN_VECTOR, line, col);
    if (!v) return EDN_OOM(c);
    v->ints = edn_arena_alloc(c->a, (n ? n : 1) * sizeof(*v->ints));
    if (!v->ints) return EDN_OOM(c);
    if (n) memcpy(v->ints, r->iscratch, n * sizeof(*v->ints));
    v->n = v->cap = n;
    *out = v;
    return 1;
}

/* Reads elements up to `close`; r->pos is just after the opening bracket. */
static int read_coll(struct edn_ctx *c, enum edn_type t, char close, uint32_t line, uint32_t col,
                     struct edn **out)
{
    struct edn_reader *r = c->r;
    if (t == EDN_VECTOR && r->compact_ints && r->depth == 2) {
        int rc = read_int_vector(c, line, col, out);
        if (rc != 0) return rc;
    }
    size_t base = r->nstack;
    for (;;) {
        edn_skip_ws(r);
        if (r->pos >= r->len)
            return EDN_FAIL_HERE(c, "end of input in %s opened at %u:%u", coll_name(t), line, col);
        char ch = r->buf[r->pos];
        if (ch == close) {
            r->pos++;
            break;
        }
        if (ch == ')' || ch == ']' || ch == '}')
            return EDN_FAIL_HERE(c, "unexpected '%c' in %s opened at %u:%u", ch, coll_name(t), line,
                                 col);
        struct edn *v = NULL;
        int rc = read_form(c, &v);
        if (rc < 0) return -1;
        if (rc > 0 && push_scratch(c, v) != 0) return -1;
    }
    size_t n = r->nstack - base;
    if (t == EDN_MAP && n % 2)
        return edn_fail_at(c, line, col, "map with an odd number of forms (%zu)", n);
    struct edn *v = edn_new_node(c, t, line, col);
    if (!v) return EDN_OOM(c);
    if (n) {
        v->items = edn_arena_alloc(c->a, n * sizeof(*v->items));
        if (!v->items) return EDN_OOM(c);
        memcpy(v->items, r->stack + base, n * sizeof(*v->items));
    }
    v->n = v->cap = n;
    r->nstack = base;
    *out = v;
    return 1;
}

static size_t put_utf8(char *p, uint32_t cp)
{
    if (cp < 0x80) {
        p[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = (char)(0xc0 | (cp >> 6));
        p[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    p[0] = (char)(0xe0 | (cp >> 12));
    p[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    p[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
}

/* One escape after '\' at r->pos; appends its bytes at *q. */
static int read_escape(struct edn_ctx *c, char **q)
{
    struct edn_reader *r = c->r;
    if (r->pos >= r->len) return EDN_FAIL_HERE(c, "end of input in a string escape");
    char ch = r->buf[r->pos];
    const char *from = "\"\\/ntrbf", *to = "\"\\/\n\t\r\b\f";
    const char *k = strchr(from, ch);
    if (k && ch) {
        *(*q)++ = to[k - from];
        r->pos++;
        return 0;
    }
    if (ch != 'u') return EDN_FAIL_HERE(c, "unknown string escape '\\%c'", ch);
    uint32_t cp = 0;
    for (int i = 1; i <= 4; i++) {
        int h = r->pos + (size_t)i < r->len ? edn_hexval(r->buf[r->pos + (size_t)i]) : -1;
        if (h < 0) return EDN_FAIL_HERE(c, "bad \\u escape in a string");
        cp = cp * 16u + (uint32_t)h;
    }
    r->pos += 5;
    *q += put_utf8(*q, cp);
    return 0;
}

static int read_string(struct edn_ctx *c, enum edn_type t, uint32_t line, uint32_t col,
                       struct edn **out)
{
    struct edn_reader *r = c->r;
    size_t start = r->pos; /* after the opening quote */
    size_t end = start;
    while (end < r->len && r->buf[end] != '"')
        end += r->buf[end] == '\\' ? 2 : 1;
    if (end >= r->len) return edn_fail_at(c, line, col, "end of input in a string");
    char *s = edn_arena_alloc(c->a, end - start + 1);
    if (!s) return EDN_OOM(c);
    char *q = s;
    while (r->pos < end) {
        char ch = r->buf[r->pos];
        if (ch == '\\') {
            r->pos++;
            if (read_escape(c, &q) != 0) return -1;
            continue;
        }
        if (ch == '\n') {
            r->line++;
            r->line_start = r->pos + 1;
        }
        *q++ = ch;
        r->pos++;
    }
    *q = '\0';
    r->pos = end + 1;
    struct edn *v = edn_new_node(c, t, line, col);
    if (!v) return EDN_OOM(c);
    v->s = s;
    v->len = (size_t)(q - s);
    *out = v;
    return 1;
}

/* After '#': sets, discards, ##Inf, #"regex", #:ns{map} and tagged forms. */
static int read_dispatch(struct edn_ctx *c, uint32_t line, uint32_t col, struct edn **out)
{
    struct edn_reader *r = c->r;
    if (r->pos >= r->len) return edn_fail_at(c, line, col, "end of input after '#'");
    char ch = r->buf[r->pos];
    if (ch == '{') {
        r->pos++;
        return read_coll(c, EDN_SET, '}', line, col, out);
    }
    if (ch == '_') {
        if (r->no_comments) return edn_fail_at(c, line, col, "'#_' discard in EDN text");
        /* Discards the next form; a nested #_ discards one more (#_ #_ a b drops both). */
        r->pos++;
        for (;;) {
            edn_skip_ws(r);
            if (r->pos >= r->len) return edn_fail_at(c, line, col, "end of input after '#_'");
            char next = r->buf[r->pos];
            if (next == ')' || next == ']' || next == '}')
                return EDN_FAIL_HERE(c, "unexpected '%c' after '#_'", next);
            struct edn *dropped = NULL;
            int rc = read_form(c, &dropped);
            if (rc != 0) return rc < 0 ? -1 : 0;
        }
    }
    if (ch == '#') {
        size_t end = edn_token_end(r, r->pos + 1);
        const char *t = r->buf + r->pos + 1;
        size_t n = end - r->pos - 1;
        double d;
        if (n == 3 && !memcmp(t, "Inf", 3))
            d = (double)INFINITY;
        else if (n == 4 && !memcmp(t, "-Inf", 4))
            d = -(double)INFINITY;
        else if (n == 3 && !memcmp(t, "NaN", 3))
            d = (double)NAN;
        else
            return edn_fail_at(c, line, col, "unknown symbolic value '##%.*s'", (int)n, t);
        r->pos = end;
        struct edn *v = edn_new_node(c, EDN_FLOAT, line, col);
        if (!v) return EDN_OOM(c);
        v->f = d;
        *out = v;
        return 1;
    }
    const char *tag;
    if (ch == '"') {
        tag = "regex";
    } else if (ch == ':' || (ch != '(' && ch != '?' && ch != '\'' && ch != '=' && ch != '^' &&
                             !edn_is_delim(ch))) {
        size_t end = edn_token_end(r, r->pos);
        if (ch == ':' && end > r->pos + 1 && r->buf[end - 1] == '{') end--;
        if (memchr(r->buf + r->pos, '\0', end - r->pos))
            return edn_fail_at(c, line, col, "NUL byte in a tag");
        tag = edn_arena_strndup(c->a, r->buf + r->pos, end - r->pos);
        if (!tag) return EDN_OOM(c);
        r->pos = end;
    } else {
        return edn_fail_at(c, line, col, "unsupported reader form '#%c'", ch);
    }
    edn_skip_ws(r);
    if (r->pos >= r->len) return edn_fail_at(c, line, col, "end of input after tag '#%s'", tag);
    struct edn *form = NULL;
    int rc = read_form(c, &form);
    if (rc < 0) return -1;
    if (rc == 0) return edn_fail_at(c, line, col, "tag '#%s' without a form", tag);
    struct edn *v = edn_new_node(c, EDN_TAGGED, line, col);
    if (!v) return EDN_OOM(c);
    v->s = tag;
    v->len = strlen(tag);
    v->form = form;
    *out = v;
    return 1;
}

/* Reads one form at r->pos (after whitespace): 1 with *out, 0 when it was discarded, -1. */
static int read_form(struct edn_ctx *c, struct edn **out)
{
    struct edn_reader *r = c->r;
    uint32_t line = r->line, col = edn_col_at(r, r->pos, r->line_start);
    if (r->depth >= EDN_MAX_DEPTH)
        return edn_fail_at(c, line, col, "nesting deeper than %d", EDN_MAX_DEPTH);
    r->depth++;
    char ch = r->buf[r->pos++];
    int rc;
    /* EDN has no NUL outside strings; a name holding one would print as a shorter name. */
    if (ch == '\0') {
        r->depth--;
        return edn_fail_at(c, line, col, "NUL byte outside a string");
    }
    switch (ch) {
    case '(':
        rc = read_coll(c, EDN_LIST, ')', line, col, out);
        break;
    case '[':
        rc = read_coll(c, EDN_VECTOR, ']', line, col, out);
        break;
    case '{':
        rc = read_coll(c, EDN_MAP, '}', line, col, out);
        break;
    case '"':
        rc = read_string(c, EDN_STRING, line, col, out);
        break;
    case '\\':
        rc = edn_read_char(c, line, col, out);
        break;
    case '#':
        rc = read_dispatch(c, line, col, out);
        break;
    case ')':
    case ']':
    case '}':
        rc = edn_fail_at(c, line, col, "unexpected '%c'", ch);
        break;
    default:
        r->pos--;
        rc = edn_read_small_int(c, line, col, out);
        if (rc == 0) rc = edn_read_token(c, line, col, out);
        break;
    }
    r->depth--;
    return rc;
}

int edn_read(struct edn_reader *r, struct edn_arena *a, struct edn **out, char *err, size_t errlen)
{
    struct edn_ctx c = { r, a, err, errlen };
    for (;;) {
        edn_skip_ws(r);
        if (r->pos >= r->len) return 0;
        r->depth = 0;
        r->nstack = 0;
        int rc = read_form(&c, out);
        if (rc != 0) return rc;
    }
}

static int parse_one(const char *buf, size_t len, bool no_comments, struct edn_arena *a,
                     struct edn **out, char *err, size_t errlen)
{
    struct edn_reader r;
    edn_reader_init(&r, buf, len);
    r.no_comments = no_comments;
    int rc = edn_read(&r, a, out, err, errlen);
    if (rc == 0)
        snprintf(err, errlen, "%u:%u: no form", r.line, edn_col_at(&r, r.pos, r.line_start));
    if (rc == 1) {
        edn_skip_ws(&r);
        if (r.pos < r.len) {
            snprintf(err, errlen, "%u:%u: %s", r.line, edn_col_at(&r, r.pos, r.line_start),
                     r.buf[r.pos] == ';' ? "';' comment in EDN text" : "more than one form");
            rc = 0;
        }
    }
    edn_reader_release(&r);
    return rc == 1 ? 0 : -1;
}

int edn_parse_one(const char *buf, size_t len, struct edn_arena *a, struct edn **out, char *err,
                  size_t errlen)
{
    return parse_one(buf, len, false, a, out, err, errlen);
}

int edn_parse_text(const char *text, size_t len, struct edn_arena *a, struct edn **out, char *err,
                   size_t errlen)
{
    return parse_one(text, len, true, a, out, err, errlen);
}

char *edn_text_or_string(const char *text, size_t len)
{
    struct edn_arena a;
    edn_arena_init(&a);
    struct edn *v;
    char err[128];
    char *out = edn_parse_text(text, len, &a, &v, err, sizeof(err)) == 0 ? edn_print_text(v, 0)
                                                                         : edn_quote(text, len);
    edn_arena_release(&a);
    return out;
}

bool edn_name_ok(const char *name, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (edn_is_delim(name[i]) || name[i] == '\\' || name[i] == '\0') return false;
    return len > 0;
}
