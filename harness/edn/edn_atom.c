/*
 * edn_atom.c: the EDN reader's atoms: numbers (int64 or an error with the position; floats,
 * ratios, N and M suffixes, 0x hex), characters, keywords, symbols, nil and booleans. Part of
 * the reader of edn.c; see edn_int.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "edn.h"
#include "edn_int.h"

#include "banned.h"

int edn_hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Parses a decimal integer of at most 18 digits followed by a delimiter at *p; false if not. */
bool edn_small_int_at(const struct edn_reader *r, size_t *p, int64_t *out)
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
    if (q == start || (q < r->len && !edn_is_delim(r->buf[q]))) return false;
    *out = neg ? -(int64_t)v : (int64_t)v;
    *p = q;
    return true;
}

size_t edn_token_end(const struct edn_reader *r, size_t from)
{
    size_t e = from;
    while (e < r->len && !edn_is_delim(r->buf[e]))
        e++;
    return e;
}

int edn_read_char(struct edn_ctx *c, uint32_t line, uint32_t col, struct edn **out)
{
    struct edn_reader *r = c->r;
    size_t start = r->pos; /* after the backslash */
    if (start >= r->len) return edn_fail_at(c, line, col, "end of input after '\\'");
    size_t end = edn_token_end(r, start + 1);
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
            int h = edn_hexval(t[i]);
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
    if (!ok) return edn_fail_at(c, line, col, "unknown character literal '\\%.*s'", (int)n, t);
    struct edn *v = edn_new_node(c, EDN_CHAR, line, col);
    if (!v) return EDN_OOM(c);
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
        int d = edn_hexval(t[i]);
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

static int read_number(struct edn_ctx *c, const char *t, size_t n, uint32_t line, uint32_t col,
                       struct edn **out)
{
    int64_t i;
    int rc = parse_int(t, n, &i);
    if (rc < 0) return edn_fail_at(c, line, col, "integer '%.*s' out of range", (int)n, t);
    struct edn *v = edn_new_node(c, rc ? EDN_INT : EDN_FLOAT, line, col);
    if (!v) return EDN_OOM(c);
    if (rc) {
        v->i = i;
    } else if (!parse_float(t, n, &v->f)) {
        return edn_fail_at(c, line, col, "invalid number '%.*s'", (int)(n > 40 ? 40 : n), t);
    }
    *out = v;
    return 1;
}

/*
 * The common case of history values, fast: a decimal integer of at most 18 digits, optionally
 * negative, followed by a delimiter. Returns 1 with *out, 0 when the token is something else
 * (r->pos unchanged), -1 when out of memory.
 */
int edn_read_small_int(struct edn_ctx *c, uint32_t line, uint32_t col, struct edn **out)
{
    struct edn_reader *r = c->r;
    size_t p = r->pos;
    int64_t x;
    if (!edn_small_int_at(r, &p, &x)) return 0;
    struct edn *n = edn_new_node(c, EDN_INT, line, col);
    if (!n) return EDN_OOM(c);
    n->i = x;
    r->pos = p;
    *out = n;
    return 1;
}

/* A token: number, keyword, nil/true/false or symbol. */
int edn_read_token(struct edn_ctx *c, uint32_t line, uint32_t col, struct edn **out)
{
    struct edn_reader *r = c->r;
    size_t start = r->pos, end = edn_token_end(r, start);
    const char *t = r->buf + start;
    size_t n = end - start;
    r->pos = end;
    if (n == 0) return edn_fail_at(c, line, col, "unexpected '%c'", t[0]);
    bool digit = t[0] >= '0' && t[0] <= '9';
    if (!digit && n > 1 && (t[0] == '+' || t[0] == '-')) digit = t[1] >= '0' && t[1] <= '9';
    if (digit) return read_number(c, t, n, line, col, out);
    if (memchr(t, '\0', n)) return edn_fail_at(c, line, col, "NUL byte in a symbol or keyword");
    enum edn_type type = EDN_SYMBOL;
    if (t[0] == ':') {
        if (n == 1) return edn_fail_at(c, line, col, "empty keyword");
        type = EDN_KEYWORD;
        t++;
        n--;
    } else if (n == 3 && !memcmp(t, "nil", 3)) {
        type = EDN_NIL;
    } else if ((n == 4 && !memcmp(t, "true", 4)) || (n == 5 && !memcmp(t, "false", 5))) {
        type = EDN_BOOL;
    }
    struct edn *v = edn_new_node(c, type, line, col);
    if (!v) return EDN_OOM(c);
    v->b = type == EDN_BOOL && n == 4;
    if (type == EDN_KEYWORD || type == EDN_SYMBOL) {
        v->s = edn_arena_strndup(c->a, t, n);
        if (!v->s) return EDN_OOM(c);
        v->len = n;
    }
    *out = v;
    return 1;
}
