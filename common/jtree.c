/*
 * jtree.c: cJSON with exact integers and visible NULs (jtree.h). The scan runs over text cJSON
 * has already accepted, so it only has to tell literals apart: outside strings a number is the
 * only token that starts with '-' or a digit, and it runs over exactly the characters cJSON's
 * parse_number consumes.
 */
#include "jtree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "strbuf.h"

#include "banned.h"

static bool is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

int jtree_parse(struct jtree *t, const char *text, size_t len, char *err, size_t errlen,
                size_t *err_at)
{
    memset(t, 0, sizeof(*t));
    t->text = text;
    t->tok = t->small;
    t->cap = sizeof(t->small) / sizeof(t->small[0]);
    const char *end = NULL;
    t->root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    size_t at = end && end >= text ? (size_t)(end - text) : 0;
    if (!t->root) {
        if (err_at) *err_at = at;
        return gl_errorf(err, errlen, "not JSON (error at byte %zu)", at);
    }
    for (size_t i = at; i < len; i++) {
        if (!is_json_space(text[i])) {
            if (err_at) *err_at = i;
            return gl_errorf(err, errlen, "not one JSON value (trailing data at byte %zu)", i);
        }
    }
    /* Only the literals inside the parsed value: past it there is nothing but whitespace. */
    t->len = at;
    return 0;
}

/* Skips the string literal that starts at s[*pos] == '"'; notes it when it holds a \u0000. */
static int scan_string(struct jtree *t, size_t *pos, size_t len)
{
    const char *s = t->text;
    bool nul = false;
    size_t i = *pos;
    for (i++; i < len && s[i] != '"'; i++) {
        if (s[i] != '\\') continue;
        if (i + 5 < len && memcmp(s + i + 1, "u0000", 5) == 0) nul = true;
        i++;
    }
    *pos = i + 1;
    if (nul) {
        if (GL_GROW(t->nul_str, t->n_nul + 1, t->nul_cap) != 0) return -1;
        t->nul_str[t->n_nul++] = t->nstr;
    }
    t->nstr++;
    return 0;
}

/* Collects the number literals of text[0..len) in document order and counts its strings. */
static int scan(struct jtree *t, size_t len)
{
    const char *s = t->text;
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '"') {
            if (scan_string(t, &i, len) != 0) return -1;
            continue;
        }
        if (c != '-' && !(c >= '0' && c <= '9')) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && is_number_char(s[i]))
            i++;
        if (t->ntok == t->cap) {
            /* Past the inline array the tokens move to the heap, which grows by GL_GROW. */
            bool in_small = t->tok == t->small;
            struct jtree_tok *heap = in_small ? NULL : t->tok;
            size_t cap = in_small ? 0 : t->cap;
            if (GL_GROW(heap, t->ntok + 1, cap) != 0) return -1;
            if (in_small) memcpy(heap, t->small, sizeof(t->small));
            t->tok = heap;
            t->cap = cap;
        }
        t->tok[t->ntok++] = (struct jtree_tok){ (uint32_t)start, (uint32_t)(i - start) };
    }
    return 0;
}

/* Where the walk is: the next number literal, the next string literal, the next NUL string. */
struct walk {
    size_t num, str, nul;
};

/* Takes the next string literal; true when it holds a \u0000. */
static bool next_string_has_nul(const struct jtree *t, struct walk *w)
{
    bool nul = w->nul < t->n_nul && t->nul_str[w->nul] == w->str;
    w->nul += nul;
    w->str++;
    return nul;
}

/*
 * Tags every number node with the index of its literal and marks every string node holding a
 * \u0000 (valueint 1), walking the tree in document order: in an object each member's key
 * literal comes right before its value. Returns 0, -1 when the tree does not match the scan, or
 * -2 with a message when a key holds a NUL. Recursion depth is bounded by cJSON's
 * CJSON_NESTING_LIMIT (1000).
 */
static int tag(struct jtree *t, cJSON *item, struct walk *w, char *err, size_t errlen)
{
    for (; item; item = item->next) {
        if (item->string && next_string_has_nul(t, w)) {
            gl_errorf(err, errlen, "key '%.40s' contains a NUL character (\\u0000)", item->string);
            return -2;
        }
        if (cJSON_IsNumber(item)) {
            if (w->num >= t->ntok) return -1;
            item->valueint = (int)w->num++;
        } else if (cJSON_IsString(item)) {
            item->valueint = next_string_has_nul(t, w);
        } else if (item->child) {
            int rc = tag(t, item->child, w, err, errlen);
            if (rc < 0) return rc;
        }
    }
    return 0;
}

int jtree_tag(struct jtree *t, char *err, size_t errlen)
{
    if (scan(t, t->len) != 0) return gl_errorf(err, errlen, "out of memory");
    struct walk w = { 0, 0, 0 };
    int rc = tag(t, t->root, &w, err, errlen);
    if (rc == -1 || (rc == 0 && (w.num != t->ntok || w.str != t->nstr)))
        return gl_errorf(err, errlen, "literals do not match cJSON's parse");
    return rc == 0 ? 0 : -1;
}

int jtree_load(struct jtree *t, const char *text, size_t len, char *err, size_t errlen,
               size_t *err_at)
{
    if (jtree_parse(t, text, len, err, errlen, err_at) != 0) return -1;
    if (jtree_tag(t, err, errlen) == 0) return 0;
    if (err_at) *err_at = 0;
    return -1;
}

void jtree_release(struct jtree *t)
{
    cJSON_Delete(t->root);
    if (t->tok != t->small) free(t->tok);
    free(t->nul_str);
    memset(t, 0, sizeof(*t));
}

/* Reads an integer literal exactly: -?(0|[1-9][0-9]*) within int64. */
static enum jtree_int parse_i64(const char *s, size_t len, int64_t *out)
{
    bool neg = len > 0 && s[0] == '-';
    size_t i = neg ? 1 : 0;
    if (i == len) return JTREE_NOT_INT;
    if (s[i] == '0' && len - i > 1) return JTREE_NOT_INT; /* "01": not JSON, not an integer */
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t u = 0;
    bool range = false;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return JTREE_NOT_INT;
        unsigned digit = (unsigned)(s[i] - '0');
        if (u > (limit - digit) / 10)
            range = true; /* keep scanning: "1e999" is NOT_INT */
        else
            u = u * 10 + digit;
    }
    if (range) return JTREE_RANGE;
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return JTREE_INT;
}

enum jtree_int jtree_int(const struct jtree *t, const cJSON *item, int64_t *out)
{
    if (!cJSON_IsNumber(item)) return JTREE_NOT_INT;
    if (item->valueint < 0 || (size_t)item->valueint >= t->ntok) return JTREE_NOT_INT;
    const struct jtree_tok *k = &t->tok[item->valueint];
    return parse_i64(t->text + k->off, k->len, out);
}

bool jtree_has_nul(const cJSON *item)
{
    return cJSON_IsString(item) && item->valueint != 0;
}
