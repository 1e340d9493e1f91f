/*
 * jtree: one JSON value parsed by cJSON, with its integers read exactly and its NULs visible. The
 * one place that works around cJSON's two losses, for every JSON reader of the code base (the
 * codec's protocol lines, check/'s JSON lines and results.json):
 *
 *   - cJSON keeps every number as a double, which cannot tell 5 from 5.0 (Clojure, and so
 *     Maelstrom, does: spec §1.6(5)) and silently rounds integers above 2^53. After cJSON has
 *     accepted the text, one linear scan collects the text of every number literal in document
 *     order, and each number node of the tree is tagged with the index of its literal (in
 *     valueint, which the tree's owner may use since the tree is private). jtree_int then reads an
 *     integer exactly from its text: -?(0|[1-9][0-9]*) within int64. Literals with a fraction or
 *     an exponent (5.0, 1e3) are not integers, whatever their value, exactly like Clojure's reader.
 *   - cJSON decodes the escape \u0000 into a NUL byte inside valuestring, so C sees "c1\u0000x" as
 *     "c1". The same scan notes every string literal holding a \u0000 escape, and the walk marks
 *     such a string node (jtree_has_nul). A key holding one fails the parse.
 *
 * The tree belongs to the struct jtree and is deleted by jtree_release: it never outlives its
 * reader. Pure: no IO.
 */
#ifndef GL_JTREE_H
#define GL_JTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct jtree_tok {
    uint32_t off, len;
};

struct jtree {
    cJSON *root; /* the value, or NULL */
    /* The scan: private. */
    const char *text;
    size_t len; /* the parsed value's bytes (trailing whitespace excluded) */
    struct jtree_tok *tok;
    size_t ntok, cap;
    struct jtree_tok small[64]; /* most lines have a handful of numbers: no malloc for them */
    size_t nstr;                /* string literals (keys and values) */
    size_t *nul_str;            /* the ordinals of those holding a \u0000 escape, ascending */
    size_t n_nul, nul_cap;
};

/*
 * Parses text[0..len) with cJSON as exactly one JSON value (trailing whitespace allowed) into
 * t->root. Returns 0, or -1 with "not JSON (error at byte N)" or "not one JSON value (trailing
 * data at byte N)" in err and N (0-based) in *err_at (may be NULL). Release t after either.
 */
int jtree_parse(struct jtree *t, const char *text, size_t len, char *err, size_t errlen,
                size_t *err_at);

/*
 * Tags t->root's numbers and NUL strings (above); call it once, after jtree_parse. Returns 0, or
 * -1 with "key '...' contains a NUL character (\u0000)", "out of memory" or "literals do not
 * match cJSON's parse" in err.
 */
int jtree_tag(struct jtree *t, char *err, size_t errlen);

/* Both: the usual way to read a JSON value. */
int jtree_load(struct jtree *t, const char *text, size_t len, char *err, size_t errlen,
               size_t *err_at);

/* Deletes the tree; t may then be parsed again. Safe after a failed parse. */
void jtree_release(struct jtree *t);

enum jtree_int {
    JTREE_INT,     /* *out holds it exactly */
    JTREE_NOT_INT, /* not a number, or a literal with a fraction or an exponent */
    JTREE_RANGE,   /* an integer literal outside int64 */
};

/* A number node of t (tagged) read as an integer. */
enum jtree_int jtree_int(const struct jtree *t, const cJSON *item, int64_t *out);

/* True when item is a string whose literal holds a \u0000 (valuestring stops there). */
bool jtree_has_nul(const cJSON *item);

#endif
