/*
 * edn_print.c: the arena, value construction and lookup, and the printer of EDN values: compact
 * (Clojure's pr) or wrapped the way fipp wraps Jepsen's results.edn. Numbers print as Java does
 * (Double.toString / Float.toString: the shortest digits that read back to the same value).
 */
#include "edn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* ---- arena -------------------------------------------------------------------------------- */

struct edn_chunk {
    struct edn_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

#define CHUNK_MIN ((size_t)64 * 1024)

void edn_arena_init(struct edn_arena *a)
{
    a->head = NULL;
}

void edn_arena_release(struct edn_arena *a)
{
    struct edn_chunk *c = a->head;
    while (c) {
        struct edn_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

void edn_arena_reset(struct edn_arena *a)
{
    if (!a->head) return;
    /* Keep the most recent (largest) chunk. */
    struct edn_chunk *keep = a->head;
    struct edn_chunk *c = keep->next;
    while (c) {
        struct edn_chunk *next = c->next;
        free(c);
        c = next;
    }
    keep->next = NULL;
    keep->used = 0;
}

void *edn_arena_alloc(struct edn_arena *a, size_t size)
{
    size = (size + 15u) & ~(size_t)15u;
    struct edn_chunk *c = a->head;
    if (!c || c->cap - c->used < size) {
        size_t cap = CHUNK_MIN;
        while (cap < size) {
            if (cap > SIZE_MAX / 4) return NULL;
            cap *= 2;
        }
        c = malloc(sizeof(*c) + cap);
        if (!c) return NULL;
        c->cap = cap;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

const struct edn *edn_untag(const struct edn *v)
{
    while (v && v->type == EDN_TAGGED)
        v = v->form;
    return v;
}

const struct edn *edn_get(const struct edn *m, const char *key)
{
    m = edn_untag(m);
    if (!m || m->type != EDN_MAP) return NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i + 1 < m->n; i += 2) {
        const struct edn *k = m->items[i];
        if (k->type == EDN_KEYWORD && k->len == klen && !memcmp(k->s, key, klen))
            return m->items[i + 1];
    }
    return NULL;
}

bool edn_is_kw(const struct edn *v, const char *name)
{
    return v && v->type == EDN_KEYWORD && !strcmp(v->s, name);
}

/* ---- construction ------------------------------------------------------------------------- */

struct edn *edn_new(struct edn_arena *a, enum edn_type t)
{
    struct edn *v = edn_arena_alloc(a, sizeof(*v));
    if (v) v->type = t;
    return v;
}

struct edn *edn_new_int(struct edn_arena *a, int64_t i)
{
    struct edn *v = edn_new(a, EDN_INT);
    if (v) v->i = i;
    return v;
}

struct edn *edn_new_float(struct edn_arena *a, double f, bool f32)
{
    struct edn *v = edn_new(a, EDN_FLOAT);
    if (v) {
        v->f = f;
        v->f32 = f32;
    }
    return v;
}

struct edn *edn_new_bool(struct edn_arena *a, bool b)
{
    struct edn *v = edn_new(a, EDN_BOOL);
    if (v) v->b = b;
    return v;
}

struct edn *edn_new_str(struct edn_arena *a, enum edn_type t, const char *s)
{
    struct edn *v = edn_new(a, t);
    if (!v) return NULL;
    v->len = strlen(s);
    char *p = edn_arena_alloc(a, v->len + 1);
    if (!p) return NULL;
    memcpy(p, s, v->len + 1);
    v->s = p;
    return v;
}

struct edn *edn_new_tagged(struct edn_arena *a, const char *tag, struct edn *form)
{
    if (!form) return NULL;
    struct edn *v = edn_new_str(a, EDN_TAGGED, tag);
    if (v) v->form = form;
    return v;
}

int edn_push(struct edn_arena *a, struct edn *c, struct edn *v)
{
    if (!c || !v) return -1;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 8;
        struct edn **items = edn_arena_alloc(a, ncap * sizeof(*items));
        if (!items) return -1;
        if (c->n) memcpy(items, c->items, c->n * sizeof(*items));
        c->items = items;
        c->cap = ncap;
    }
    c->items[c->n++] = v;
    return 0;
}

int edn_assoc(struct edn_arena *a, struct edn *m, const char *key, struct edn *v)
{
    if (!v) return -1;
    struct edn *k = edn_new_str(a, EDN_KEYWORD, key);
    if (edn_push(a, m, k) != 0) return -1;
    return edn_push(a, m, v);
}

/* ---- numbers as Java prints them ---------------------------------------------------------- */

/* Shortest round-trip digits of d (as a float when f32): digits in dig (no dot), exponent e. */
static void shortest_digits(double d, bool f32, char *dig, size_t diglen, int *exp10)
{
    char buf[64];
    int maxp = f32 ? 9 : 17;
    for (int p = 1; p <= maxp; p++) {
        snprintf(buf, sizeof(buf), "%.*e", p - 1, d);
        bool same = f32 ? strtof(buf, NULL) == (float)d : strtod(buf, NULL) == d;
        if (same || p == maxp) break;
    }
    /* buf = "D.DDDDe[+-]XX" (d > 0) */
    size_t k = 0;
    const char *q = buf;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9' && k + 1 < diglen) dig[k++] = *q;
    while (k > 1 && dig[k - 1] == '0')
        k--;
    dig[k] = '\0';
    *exp10 = *q == 'e' ? atoi(q + 1) : 0;
}

static void java_number(double d, bool f32, char *out, size_t len)
{
    if (isnan(d)) {
        snprintf(out, len, "##NaN");
        return;
    }
    if (isinf(d)) {
        snprintf(out, len, d > 0 ? "##Inf" : "##-Inf");
        return;
    }
    const char *sign = signbit(d) ? "-" : "";
    double mag = fabs(d);
    if (mag == 0.0) {
        snprintf(out, len, "%s0.0", sign);
        return;
    }
    char dig[32];
    int e;
    shortest_digits(mag, f32, dig, sizeof(dig), &e);
    int nd = (int)strlen(dig);
    if (e >= -3 && e < 7) {
        char ip[32] = "", fp[40] = "";
        if (e >= 0) {
            for (int i = 0; i <= e; i++)
                ip[i] = i < nd ? dig[i] : '0';
            ip[e + 1] = '\0';
            snprintf(fp, sizeof(fp), "%s", nd > e + 1 ? dig + e + 1 : "0");
        } else {
            snprintf(ip, sizeof(ip), "0");
            int z = -e - 1;
            memset(fp, '0', (size_t)z);
            snprintf(fp + z, sizeof(fp) - (size_t)z, "%s", dig);
        }
        snprintf(out, len, "%s%s.%s", sign, ip, fp);
    } else {
        snprintf(out, len, "%s%c.%sE%d", sign, dig[0], nd > 1 ? dig + 1 : "0", e);
    }
}

void edn_format_float(float f, char *buf, size_t len)
{
    java_number((double)f, true, buf, len);
}

void edn_format_double(double d, char *buf, size_t len)
{
    java_number(d, false, buf, len);
}

/* ---- output ------------------------------------------------------------------------------- */

static void put_str(struct strbuf *b, const char *s)
{
    strbuf_add(b, s, strlen(s));
}

static void put_quoted(struct strbuf *b, const char *s, size_t len)
{
    strbuf_add(b, "\"", 1);
    char ubuf[8];
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        const char *esc = NULL;
        switch (s[i]) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        default:
            /* Other control bytes (NUL included) as \u00XX, so that a string never holds a NUL
             * and reads back byte for byte. */
            if ((unsigned char)s[i] >= 0x20 && s[i] != 0x7f) continue;
            snprintf(ubuf, sizeof(ubuf), "\\u%04x", (unsigned)(unsigned char)s[i]);
            esc = ubuf;
            break;
        }
        strbuf_add(b, s + run, i - run);
        put_str(b, esc);
        run = i + 1;
    }
    strbuf_add(b, s + run, len - run);
    strbuf_add(b, "\"", 1);
}

/* The builder's text, malloc'd, or NULL (and the builder freed) when memory ran out. */
static char *finish_text(struct strbuf *b)
{
    if (b->failed) {
        strbuf_release(b);
        return NULL;
    }
    return strbuf_detach(b, NULL);
}

char *edn_quote(const char *text, size_t len)
{
    struct strbuf b = STRBUF_INIT;
    put_quoted(&b, text, len);
    return finish_text(&b);
}

char *edn_print_text(const struct edn *v, unsigned width)
{
    if (!v) return NULL;
    struct strbuf b = STRBUF_INIT;
    edn_print(&b, v, width);
    return finish_text(&b);
}

static void put_char(struct strbuf *b, uint32_t cp)
{
    static const struct {
        uint32_t cp;
        const char *name;
    } names[] = { { '\n', "\\newline" }, { ' ', "\\space" },      { '\t', "\\tab" },
                  { '\r', "\\return" },  { '\b', "\\backspace" }, { '\f', "\\formfeed" } };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (names[i].cp == cp) {
            put_str(b, names[i].name);
            return;
        }
    }
    char buf[16];
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
        snprintf(buf, sizeof(buf), "\\u%04x", (unsigned)cp);
    else if (cp > 0xffff)
        snprintf(buf, sizeof(buf), "\\%c%c%c%c", (char)(0xf0 | ((cp >> 18) & 0x07)),
                 (char)(0x80 | ((cp >> 12) & 0x3f)), (char)(0x80 | ((cp >> 6) & 0x3f)),
                 (char)(0x80 | (cp & 0x3f)));
    else if (cp < 0x80)
        snprintf(buf, sizeof(buf), "\\%c", (char)cp);
    else if (cp < 0x800)
        snprintf(buf, sizeof(buf), "\\%c%c", (char)(0xc0 | (cp >> 6)), (char)(0x80 | (cp & 0x3f)));
    else
        snprintf(buf, sizeof(buf), "\\%c%c%c", (char)(0xe0 | (cp >> 12)),
                 (char)(0x80 | ((cp >> 6) & 0x3f)), (char)(0x80 | (cp & 0x3f)));
    put_str(b, buf);
}

static void put_atom(struct strbuf *b, const struct edn *v)
{
    char buf[64];
    switch (v->type) {
    case EDN_NIL:
        put_str(b, "nil");
        break;
    case EDN_BOOL:
        put_str(b, v->b ? "true" : "false");
        break;
    case EDN_INT:
        strbuf_add_i64(b, v->i);
        break;
    case EDN_FLOAT:
        java_number(v->f, v->f32, buf, sizeof(buf));
        put_str(b, buf);
        break;
    case EDN_STRING:
        put_quoted(b, v->s, v->len);
        break;
    case EDN_CHAR:
        put_char(b, v->ch);
        break;
    case EDN_KEYWORD:
        strbuf_add(b, ":", 1);
        strbuf_add(b, v->s, v->len);
        break;
    case EDN_SYMBOL:
        strbuf_add(b, v->s, v->len);
        break;
    case EDN_LIST:
    case EDN_VECTOR:
    case EDN_SET:
    case EDN_MAP:
    case EDN_TAGGED:
        break;
    }
}

static const char *opener(enum edn_type t)
{
    return t == EDN_LIST ? "(" : t == EDN_VECTOR ? "[" : t == EDN_SET ? "#{" : "{";
}

static const char *closer(enum edn_type t)
{
    return t == EDN_LIST ? ")" : t == EDN_VECTOR ? "]" : "}";
}

static bool is_coll(const struct edn *v)
{
    return v->type == EDN_LIST || v->type == EDN_VECTOR || v->type == EDN_SET || v->type == EDN_MAP;
}

/*
 * A tag is glued to a form that opens with a delimiter ('(', '[', '{': #jepsen.history.Op{...});
 * before anything else, a set's "#{" included, it needs a space, or the form's first characters
 * would read as part of the tag.
 */
static const char *after_tag(const struct edn *form)
{
    return form->type == EDN_LIST || form->type == EDN_VECTOR || form->type == EDN_MAP ? "" : " ";
}

/* Separator between elements i-1 and i of a collection printed flat. */
static const char *flat_sep(const struct edn *c, size_t i)
{
    return c->type == EDN_MAP && i % 2 == 0 ? ", " : " ";
}

static void print_flat(struct strbuf *b, const struct edn *v)
{
    if (v->type == EDN_TAGGED) {
        strbuf_add(b, "#", 1);
        strbuf_add(b, v->s, v->len);
        put_str(b, after_tag(v->form));
        print_flat(b, v->form);
        return;
    }
    if (!is_coll(v)) {
        put_atom(b, v);
        return;
    }
    put_str(b, opener(v->type));
    for (size_t i = 0; i < v->n; i++) {
        if (i) put_str(b, flat_sep(v, i));
        if (v->items) {
            print_flat(b, v->items[i]);
        } else {
            strbuf_add_i64(b, v->ints[i]);
        }
    }
    put_str(b, closer(v->type));
}

/*
 * The length of v printed flat, counted no further than past `limit`: print_wrapped only asks
 * whether it fits (printing every collection flat to measure it printed a long vector once per
 * collection around it).
 */
static size_t flat_len(const struct edn *v, size_t limit)
{
    if (v->type == EDN_TAGGED)
        return 1 + v->len + strlen(after_tag(v->form)) + flat_len(v->form, limit);
    if (!is_coll(v)) {
        char room[64];
        struct strbuf t;
        strbuf_fixed(&t, room, sizeof(room));
        put_atom(&t, v);
        if (!t.failed) return t.len;
        strbuf_init(&t);
        put_atom(&t, v);
        size_t n = t.len;
        strbuf_release(&t);
        return n;
    }
    size_t n = strlen(opener(v->type)) + strlen(closer(v->type));
    char num[STRBUF_NUM_MAX];
    for (size_t i = 0; i < v->n && n <= limit; i++) {
        if (i) n += strlen(flat_sep(v, i));
        n += v->items ? flat_len(v->items[i], limit) : strbuf_fmt_i64(num, v->ints[i]);
    }
    return n;
}

static void put_newline(struct strbuf *b, size_t col)
{
    /* The indentation at once, not a call a column: it is most of results.edn's bytes. */
    if (!b->fixed) {
        if (!strbuf_grow(b, col + 1)) return; /* failed is latched */
        char *p = b->buf + b->len;
        *p++ = '\n';
        memset(p, ' ', col);
        b->len += col + 1;
        b->buf[b->len] = '\0';
        return;
    }
    strbuf_add(b, "\n", 1); /* a fixed builder keeps what fits */
    for (size_t i = 0; i < col; i++)
        strbuf_add(b, " ", 1);
}

/* Prints v starting at column col; returns the column after it. */
static size_t print_wrapped(struct strbuf *b, const struct edn *v, size_t col, unsigned width)
{
    size_t start = b->len;
    if (v->type == EDN_TAGGED) {
        strbuf_add(b, "#", 1);
        strbuf_add(b, v->s, v->len);
        put_str(b, after_tag(v->form));
        return print_wrapped(b, v->form, col + (b->len - start), width);
    }
    size_t flat = is_coll(v) ? flat_len(v, col <= width ? width - col : 0) : 0;
    if (!is_coll(v) || col + flat <= width || !v->items) {
        print_flat(b, v);
        return col + (b->len - start);
    }
    put_str(b, opener(v->type));
    size_t inner = col + strlen(opener(v->type)), c = inner;
    for (size_t i = 0; i < v->n; i++) {
        if (i && (v->type != EDN_MAP || i % 2 == 0)) {
            if (v->type == EDN_MAP) strbuf_add(b, ",", 1);
            put_newline(b, inner);
            c = inner;
        } else if (i) {
            strbuf_add(b, " ", 1);
            c++;
        }
        c = print_wrapped(b, v->items[i], c, width);
    }
    put_str(b, closer(v->type));
    return c + 1;
}

void edn_print(struct strbuf *b, const struct edn *v, unsigned width)
{
    if (width == 0)
        print_flat(b, v);
    else
        print_wrapped(b, v, 0, width);
}
