/*
 * edn.c: the EDN reader and the arena. A recursive-descent reader with an explicit depth bound;
 * collections collect their elements on a scratch stack shared by every level and are copied
 * into the arena once, when they close, so reading allocates nothing per element.
 */
#include "edn.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

struct ctx {
    struct edn_reader *r;
    struct edn_arena *a;
    char *err;
    size_t errlen;
};

static uint32_t col_at(const struct edn_reader *r, size_t pos, size_t line_start)
{
    (void)r;
    return (uint32_t)(pos - line_start + 1);
}

__attribute__((format(printf, 4, 5))) static int fail_at(struct ctx *c, uint32_t line, uint32_t col,
                                                         const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(c->err, c->errlen, "%u:%u: %s", line, col, msg);
    return -1;
}

#define FAIL_HERE(c, ...) \
    fail_at((c), (c)->r->line, col_at((c)->r, (c)->r->pos, (c)->r->line_start), __VA_ARGS__)

static bool is_ws(char ch)
{
    return ch == ' ' || ch == ',' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f';
}

static bool is_delim(char ch)
{
    return is_ws(ch) || ch == '(' || ch == ')' || ch == '[' || ch == ']' || ch == '{' ||
           ch == '}' || ch == '"' || ch == ';';
}

static void skip_ws(struct edn_reader *r)
{
    while (r->pos < r->len) {
        char ch = r->buf[r->pos];
        if (ch == '\n') {
            r->pos++;
            r->line++;
            r->line_start = r->pos;
        } else if (is_ws(ch)) {
            r->pos++;
        } else if (ch == ';') {
            while (r->pos < r->len && r->buf[r->pos] != '\n')
                r->pos++;
        } else {
            break;
        }
    }
}

static struct edn *new_node(struct ctx *c, enum edn_type t, uint32_t line, uint32_t col)
{
    struct edn *v = edn_arena_alloc(c->a, sizeof(*v));
    if (!v) return NULL;
    v->type = t;
    v->line = line;
    v->col = col;
    return v;
}

static char *arena_strndup(struct edn_arena *a, const char *s, size_t len)
{
    char *p = edn_arena_alloc(a, len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

static int read_form(struct ctx *c, struct edn **out);

#define OOM(c) FAIL_HERE((c), "out of memory")

static int push_scratch(struct ctx *c, struct edn *v)
{
    struct edn_reader *r = c->r;
    if (r->nstack == r->capstack) {
        size_t ncap = r->capstack ? r->capstack * 2 : 256;
        struct edn **ns = realloc(r->stack, ncap * sizeof(*ns));
        if (!ns) return OOM(c);
        r->stack = ns;
        r->capstack = ncap;
    }
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

/* Parses a decimal integer of at most 18 digits followed by a delimiter at *p; false if not. */
static bool small_int_at(const struct edn_reader *r, size_t *p, int64_t *out)
{
    size_t q = *p;
    bool neg = q < r->len && r->buf[q] == '-';
    q += neg;
    size_t start = q;
    uint64_t v = 0;
    while (q < r->len && q - start < 18) {
        unsigned d = (unsigned)(unsigned char)r->buf[q] - '0';
        if (d > 9) break;
        v = v * 10u + d;
        q++;
    }
    if (q == start || (q < r->len && !is_delim(r->buf[q]))) return false;
    *out = neg ? -(int64_t)v : (int64_t)v;
    *p = q;
    return true;
}

/*
 * The compact fast path for a vector of small integers (see compact_ints): 1 with *out, 0 when
 * the vector holds anything else (the reader is left where it was), -1 when out of memory.
 */
static int read_int_vector(struct ctx *c, uint32_t line, uint32_t col, struct edn **out)
{
    struct edn_reader *r = c->r;
    struct edn_reader saved = *r;
    size_t n = 0;
    for (;;) {
        skip_ws(r);
        if (r->pos < r->len && r->buf[r->pos] == ']') break;
        int64_t x;
        if (r->pos >= r->len || !small_int_at(r, &r->pos, &x)) {
            saved.iscratch = r->iscratch;
            saved.capi = r->capi;
            *r = saved;
            return 0;
        }
        if (n == r->capi) {
            size_t ncap = r->capi ? r->capi * 2 : 1024;
            int64_t *ni = realloc(r->iscratch, ncap * sizeof(*ni));
            if (!ni) return OOM(c);
            r->iscratch = ni;
            r->capi = ncap;
        }
        r->iscratch[n++] = x;
    }
    r->pos++;
    struct edn *v = new_node(c, EDN_VECTOR, line, col);
    if (!v) return OOM(c);
    v->ints = edn_arena_alloc(c->a, (n ? n : 1) * sizeof(*v->ints));
    if (!v->ints) return OOM(c);
    if (n) memcpy(v->ints, r->iscratch, n * sizeof(*v->ints));
    v->n = v->cap = n;
    *out = v;
    return 1;
}

/* Reads elements up to `close`; r->pos is just after the opening bracket. */
static int read_coll(struct ctx *c, enum edn_type t, char close, uint32_t line, uint32_t col,
                     struct edn **out)
{
    struct edn_reader *r = c->r;
    if (t == EDN_VECTOR && r->compact_ints && r->depth == 2) {
        int rc = read_int_vector(c, line, col, out);
        if (rc != 0) return rc;
    }
    size_t base = r->nstack;
    for (;;) {
        skip_ws(r);
        if (r->pos >= r->len)
            return FAIL_HERE(c, "end of input in %s opened at %u:%u", coll_name(t), line, col);
        char ch = r->buf[r->pos];
        if (ch == close) {
            r->pos++;
            break;
        }
        if (ch == ')' || ch == ']' || ch == '}')
            return FAIL_HERE(c, "unexpected '%c' in %s opened at %u:%u", ch, coll_name(t), line,
                             col);
        struct edn *v = NULL;
        int rc = read_form(c, &v);
        if (rc < 0) return -1;
        if (rc > 0 && push_scratch(c, v) != 0) return -1;
    }
    size_t n = r->nstack - base;
    if (t == EDN_MAP && n % 2)
        return fail_at(c, line, col, "map with an odd number of forms (%zu)", n);
    struct edn *v = new_node(c, t, line, col);
    if (!v) return OOM(c);
    if (n) {
        v->items = edn_arena_alloc(c->a, n * sizeof(*v->items));
        if (!v->items) return OOM(c);
        memcpy(v->items, r->stack + base, n * sizeof(*v->items));
    }
    v->n = v->cap = n;
    r->nstack = base;
    *out = v;
    return 1;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
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
static int read_escape(struct ctx *c, char **q)
{
    struct edn_reader *r = c->r;
    if (r->pos >= r->len) return FAIL_HERE(c, "end of input in a string escape");
    char ch = r->buf[r->pos];
    const char *from = "\"\\/ntrbf", *to = "\"\\/\n\t\r\b\f";
    const char *k = strchr(from, ch);
    if (k && ch) {
        *(*q)++ = to[k - from];
        r->pos++;
        return 0;
    }
    if (ch != 'u') return FAIL_HERE(c, "unknown string escape '\\%c'", ch);
    uint32_t cp = 0;
    for (int i = 1; i <= 4; i++) {
        int h = r->pos + (size_t)i < r->len ? hexval(r->buf[r->pos + (size_t)i]) : -1;
        if (h < 0) return FAIL_HERE(c, "bad \\u escape in a string");
        cp = cp * 16u + (uint32_t)h;
    }
    r->pos += 5;
    *q += put_utf8(*q, cp);
    return 0;
}

static int read_string(struct ctx *c, enum edn_type t, uint32_t line, uint32_t col,
                       struct edn **out)
{
    struct edn_reader *r = c->r;
    size_t start = r->pos; /* after the opening quote */
    size_t end = start;
    while (end < r->len && r->buf[end] != '"')
        end += r->buf[end] == '\\' ? 2 : 1;
    if (end >= r->len) return fail_at(c, line, col, "end of input in a string");
    char *s = edn_arena_alloc(c->a, end - start + 1);
    if (!s) return OOM(c);
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
    struct edn *v = new_node(c, t, line, col);
    if (!v) return OOM(c);
    v->s = s;
    v->len = (size_t)(q - s);
    *out = v;
    return 1;
}

static size_t token_end(const struct edn_reader *r, size_t from)
{
    size_t e = from;
    while (e < r->len && !is_delim(r->buf[e]))
        e++;
    return e;
}

static int read_char(struct ctx *c, uint32_t line, uint32_t col, struct edn **out)
{
    struct edn_reader *r = c->r;
    size_t start = r->pos; /* after the backslash */
    if (start >= r->len) return fail_at(c, line, col, "end of input after '\\'");
    size_t end = token_end(r, start + 1);
    const char *t = r->buf + start;
    size_t n = end - start;
    static const struct {
        const char *name;
        uint32_t cp;
    } names[] = { { "newline", '\n' }, { "space", ' ' },      { "tab", '\t' },
                  { "return", '\r' },  { "backspace", '\b' }, { "formfeed", '\f' } };
    uint32_t cp = (unsigned char)t[0];
    bool ok = n == 1;
    for (size_t i = 0; !ok && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strlen(names[i].name) == n && !memcmp(t, names[i].name, n)) {
            cp = names[i].cp;
            ok = true;
        }
    }
    if (!ok && n == 5 && t[0] == 'u') {
        cp = 0;
        ok = true;
        for (size_t i = 1; i < 5; i++) {
            int h = hexval(t[i]);
            ok = ok && h >= 0;
            cp = cp * 16u + (uint32_t)(h < 0 ? 0 : h);
        }
    }
    if (!ok && (unsigned char)t[0] >= 0xc0 && n <= 4) {
        /* One UTF-8 encoded character. */
        cp = (unsigned char)t[0] & (n == 2 ? 0x1fu : n == 3 ? 0x0fu : 0x07u);
        ok = true;
        for (size_t i = 1; i < n; i++) {
            ok = ok && ((unsigned char)t[i] & 0xc0u) == 0x80u;
            cp = (cp << 6) | ((unsigned char)t[i] & 0x3fu);
        }
    }
    if (!ok) return fail_at(c, line, col, "unknown character literal '\\%.*s'", (int)n, t);
    struct edn *v = new_node(c, EDN_CHAR, line, col);
    if (!v) return OOM(c);
    v->ch = cp;
    r->pos = end;
    *out = v;
    return 1;
}

/* Parses an integer token [+-]?[0-9]+N? ; returns 1 (integer), 0 (not one), -1 (overflow). */
static int parse_int(const char *t, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (n && (t[0] == '+' || t[0] == '-')) {
        neg = t[0] == '-';
        i = 1;
    }
    if (n && t[n - 1] == 'N') n--;
    unsigned base = 10;
    if (n - i > 2 && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X')) {
        base = 16; /* Clojure prints hashes and addresses as 0x... */
        i += 2;
    }
    if (i >= n) return 0;
    uint64_t v = 0;
    if (base == 10 && n - i <= 18) {
        /* Fast path: 18 decimal digits cannot overflow. */
        for (; i < n; i++) {
            unsigned d = (unsigned)(unsigned char)t[i] - '0';
            if (d > 9) return 0;
            v = v * 10u + d;
        }
        *out = neg ? -(int64_t)v : (int64_t)v;
        return 1;
    }
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        int d = hexval(t[i]);
        if (d < 0 || (unsigned)d >= base) return 0;
        if (v > (limit - (unsigned)d) / base) return -1;
        v = v * base + (unsigned)d;
    }
    *out = neg ? (int64_t)(0u - v) : (int64_t)v;
    return 1;
}

/* Parses a float token (optionally with M) or a ratio a/b; true on success. */
static bool parse_float(const char *t, size_t n, double *out)
{
    char buf[128];
    if (n && t[n - 1] == 'M') n--;
    if (n == 0 || n >= sizeof(buf)) return false;
    memcpy(buf, t, n);
    buf[n] = '\0';
    const char *slash = strchr(buf, '/');
    if (slash) {
        int64_t a, b;
        size_t la = (size_t)(slash - buf);
        if (parse_int(buf, la, &a) != 1 || parse_int(slash + 1, n - la - 1, &b) != 1 || b == 0)
            return false;
        *out = (double)a / (double)b;
        return true;
    }
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789+-.eE", buf[i])) return false;
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (end != buf + n) return false;
    *out = d;
    return true;
}

static int read_number(struct ctx *c, const char *t, size_t n, uint32_t line, uint32_t col,
                       struct edn **out)
{
    int64_t i;
    int rc = parse_int(t, n, &i);
    if (rc < 0) return fail_at(c, line, col, "integer '%.*s' out of range", (int)n, t);
    struct edn *v = new_node(c, rc ? EDN_INT : EDN_FLOAT, line, col);
    if (!v) return OOM(c);
    if (rc) {
        v->i = i;
    } else if (!parse_float(t, n, &v->f)) {
        return fail_at(c, line, col, "invalid number '%.*s'", (int)(n > 40 ? 40 : n), t);
    }
    *out = v;
    return 1;
}

/*
 * The common case of history values, fast: a decimal integer of at most 18 digits, optionally
 * negative, followed by a delimiter. Returns 1 with *out, 0 when the token is something else
 * (r->pos unchanged), -1 when out of memory.
 */
static int read_small_int(struct ctx *c, uint32_t line, uint32_t col, struct edn **out)
{
    struct edn_reader *r = c->r;
    size_t p = r->pos;
    int64_t x;
    if (!small_int_at(r, &p, &x)) return 0;
    struct edn *n = new_node(c, EDN_INT, line, col);
    if (!n) return OOM(c);
    n->i = x;
    r->pos = p;
    *out = n;
    return 1;
}

/* A token: number, keyword, nil/true/false or symbol. */
static int read_token(struct ctx *c, uint32_t line, uint32_t col, struct edn **out)
{
    struct edn_reader *r = c->r;
    size_t start = r->pos, end = token_end(r, start);
    const char *t = r->buf + start;
    size_t n = end - start;
    r->pos = end;
    if (n == 0) return fail_at(c, line, col, "unexpected '%c'", t[0]);
    bool digit = t[0] >= '0' && t[0] <= '9';
    if (!digit && n > 1 && (t[0] == '+' || t[0] == '-')) digit = t[1] >= '0' && t[1] <= '9';
    if (digit) return read_number(c, t, n, line, col, out);
    enum edn_type type = EDN_SYMBOL;
    if (t[0] == ':') {
        if (n == 1) return fail_at(c, line, col, "empty keyword");
        type = EDN_KEYWORD;
        t++;
        n--;
    } else if (n == 3 && !memcmp(t, "nil", 3)) {
        type = EDN_NIL;
    } else if ((n == 4 && !memcmp(t, "true", 4)) || (n == 5 && !memcmp(t, "false", 5))) {
        type = EDN_BOOL;
    }
    struct edn *v = new_node(c, type, line, col);
    if (!v) return OOM(c);
    v->b = type == EDN_BOOL && n == 4;
    if (type == EDN_KEYWORD || type == EDN_SYMBOL) {
        v->s = arena_strndup(c->a, t, n);
        if (!v->s) return OOM(c);
        v->len = n;
    }
    *out = v;
    return 1;
}

/* After '#': sets, discards, ##Inf, #"regex", #:ns{map} and tagged forms. */
static int read_dispatch(struct ctx *c, uint32_t line, uint32_t col, struct edn **out)
{
    struct edn_reader *r = c->r;
    if (r->pos >= r->len) return fail_at(c, line, col, "end of input after '#'");
    char ch = r->buf[r->pos];
    if (ch == '{') {
        r->pos++;
        return read_coll(c, EDN_SET, '}', line, col, out);
    }
    if (ch == '_') {
        /* Discards the next form; a nested #_ discards one more (#_ #_ a b drops both). */
        r->pos++;
        for (;;) {
            skip_ws(r);
            if (r->pos >= r->len) return fail_at(c, line, col, "end of input after '#_'");
            char next = r->buf[r->pos];
            if (next == ')' || next == ']' || next == '}')
                return FAIL_HERE(c, "unexpected '%c' after '#_'", next);
            struct edn *dropped = NULL;
            int rc = read_form(c, &dropped);
            if (rc != 0) return rc < 0 ? -1 : 0;
        }
    }
    if (ch == '#') {
        size_t end = token_end(r, r->pos + 1);
        const char *t = r->buf + r->pos + 1;
        size_t n = end - r->pos - 1;
        double d;
        if (n == 3 && !memcmp(t, "Inf", 3))
            d = INFINITY;
        else if (n == 4 && !memcmp(t, "-Inf", 4))
            d = -INFINITY;
        else if (n == 3 && !memcmp(t, "NaN", 3))
            d = NAN;
        else
            return fail_at(c, line, col, "unknown symbolic value '##%.*s'", (int)n, t);
        r->pos = end;
        struct edn *v = new_node(c, EDN_FLOAT, line, col);
        if (!v) return OOM(c);
        v->f = d;
        *out = v;
        return 1;
    }
    const char *tag;
    if (ch == '"') {
        tag = "regex";
    } else if (ch == ':' ||
               (ch != '(' && ch != '?' && ch != '\'' && ch != '=' && ch != '^' && !is_delim(ch))) {
        size_t end = token_end(r, r->pos);
        if (ch == ':' && end > r->pos + 1 && r->buf[end - 1] == '{') end--;
        tag = arena_strndup(c->a, r->buf + r->pos, end - r->pos);
        if (!tag) return OOM(c);
        r->pos = end;
    } else {
        return fail_at(c, line, col, "unsupported reader form '#%c'", ch);
    }
    skip_ws(r);
    if (r->pos >= r->len) return fail_at(c, line, col, "end of input after tag '#%s'", tag);
    struct edn *form = NULL;
    int rc = read_form(c, &form);
    if (rc < 0) return -1;
    if (rc == 0) return fail_at(c, line, col, "tag '#%s' without a form", tag);
    struct edn *v = new_node(c, EDN_TAGGED, line, col);
    if (!v) return OOM(c);
    v->s = tag;
    v->len = strlen(tag);
    v->form = form;
    *out = v;
    return 1;
}

/* Reads one form at r->pos (after whitespace): 1 with *out, 0 when it was discarded, -1. */
static int read_form(struct ctx *c, struct edn **out)
{
    struct edn_reader *r = c->r;
    uint32_t line = r->line, col = col_at(r, r->pos, r->line_start);
    if (r->depth >= EDN_MAX_DEPTH)
        return fail_at(c, line, col, "nesting deeper than %d", EDN_MAX_DEPTH);
    r->depth++;
    char ch = r->buf[r->pos++];
    int rc;
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
        rc = read_char(c, line, col, out);
        break;
    case '#':
        rc = read_dispatch(c, line, col, out);
        break;
    case ')':
    case ']':
    case '}':
        rc = fail_at(c, line, col, "unexpected '%c'", ch);
        break;
    default:
        r->pos--;
        rc = read_small_int(c, line, col, out);
        if (rc == 0) rc = read_token(c, line, col, out);
        break;
    }
    r->depth--;
    return rc;
}

int edn_read(struct edn_reader *r, struct edn_arena *a, struct edn **out, char *err, size_t errlen)
{
    struct ctx c = { r, a, err, errlen };
    for (;;) {
        skip_ws(r);
        if (r->pos >= r->len) return 0;
        r->depth = 0;
        r->nstack = 0;
        int rc = read_form(&c, out);
        if (rc != 0) return rc;
    }
}

int edn_parse_one(const char *buf, size_t len, struct edn_arena *a, struct edn **out, char *err,
                  size_t errlen)
{
    struct edn_reader r;
    edn_reader_init(&r, buf, len);
    int rc = edn_read(&r, a, out, err, errlen);
    if (rc == 0) snprintf(err, errlen, "%u:%u: no form", r.line, col_at(&r, r.pos, r.line_start));
    if (rc == 1) {
        skip_ws(&r);
        if (r.pos < r.len) {
            snprintf(err, errlen, "%u:%u: more than one form", r.line,
                     col_at(&r, r.pos, r.line_start));
            rc = 0;
        }
    }
    edn_reader_release(&r);
    return rc == 1 ? 0 : -1;
}

bool edn_is_one_form(const char *text, size_t len)
{
    struct edn_arena a;
    edn_arena_init(&a);
    struct edn *v;
    char err[128];
    int rc = edn_parse_one(text, len, &a, &v, err, sizeof(err));
    edn_arena_release(&a);
    return rc == 0;
}
