/*
 * edn: a reader and a printer for the EDN that Maelstrom and Jepsen write (history.edn,
 * results.edn): maps, vectors, lists, sets, keywords, symbols, strings with escapes, integers,
 * floats, booleans, nil, characters, tagged forms (`#jepsen.history.Op{...}` keeps its tag and its
 * inner form) and `#_` discards. Not a Clojure reader: no syntax-quote, no metadata, no regexes
 * beyond skipping `#"..."` as a tagged string.
 *
 * Values live in an arena (struct edn_arena) that the caller resets or releases; nothing in a
 * value is freed on its own. Integers that do not fit in int64 are an error (with the position),
 * not saturated: a history with such values is not one Maelstrom wrote. Nesting deeper than
 * EDN_MAX_DEPTH is an error, so hostile input cannot exhaust the stack.
 */
#ifndef GL_EDN_H
#define GL_EDN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "strbuf.h"

/* Jepsen's results nest about 10 deep (exception traces); 256 leaves room and bounds the stack. */
#define EDN_MAX_DEPTH 256

enum edn_type {
    EDN_NIL,
    EDN_BOOL,
    EDN_INT,
    EDN_FLOAT,
    EDN_STRING,
    EDN_CHAR,
    EDN_KEYWORD, /* s = the name without ':' */
    EDN_SYMBOL,
    EDN_LIST,
    EDN_VECTOR,
    EDN_SET,
    EDN_MAP,    /* items = k0, v0, k1, v1, ...; n = 2 * entries */
    EDN_TAGGED, /* s = the tag without '#', form = the tagged form */
};

/* One value. Only the fields of its type are meaningful (they share storage). */
struct edn {
    enum edn_type type;
    uint32_t line, col; /* where the form starts (1-based); 0 for built values */
    bool b;             /* EDN_BOOL */
    bool f32;           /* EDN_FLOAT: print as a Java float (Float.toString) */
    union {
        int64_t i;   /* EDN_INT */
        double f;    /* EDN_FLOAT */
        uint32_t ch; /* EDN_CHAR: a code point */
        struct {
            const char *s; /* EDN_STRING, EDN_KEYWORD, EDN_SYMBOL, EDN_TAGGED; NUL-terminated */
            size_t len;
            struct edn *form; /* EDN_TAGGED: the tagged form */
        };
        struct {
            struct edn **items; /* collections */
            size_t n, cap;
            int64_t *ints; /* a compact vector of n integers (items is NULL); see compact_ints */
        };
    };
};

/* A bump allocator in chunks. */
struct edn_arena {
    struct edn_chunk *head;
};

void edn_arena_init(struct edn_arena *a);
/* Frees everything but keeps one chunk for reuse. */
void edn_arena_reset(struct edn_arena *a);
void edn_arena_release(struct edn_arena *a);
/* size bytes, 16-aligned, zeroed; NULL when out of memory. */
void *edn_arena_alloc(struct edn_arena *a, size_t size);

/* ---- reading ---------------------------------------------------------------------------- */

/* Reads the top-level forms of a buffer one at a time (e.g. one history record per call). */
struct edn_reader {
    const char *buf;
    size_t len, pos;
    uint32_t line;
    size_t line_start;
    unsigned depth;
    struct edn **stack; /* scratch for collections being read */
    size_t nstack, capstack;
    /*
     * When set, a vector of integers directly inside a top-level form (a history record's
     * :value) is read compactly: v->ints holds its n integers and v->items is NULL. This saves
     * one value per integer on the hot path of history reading. Off by default.
     */
    bool compact_ints;
    /*
     * When set, a ';' comment or a '#_' discard is an error: text read this way is exactly the
     * forms it shows, so that printing them back loses nothing (edn_parse_text). Off by default.
     */
    bool no_comments;
    int64_t *iscratch;
    size_t capi;
};

void edn_reader_init(struct edn_reader *r, const char *buf, size_t len);
void edn_reader_release(struct edn_reader *r);
/*
 * Reads the next top-level form into *out, allocated in a. Returns 1 with a form, 0 at the end of
 * the input, -1 with "LINE:COL: what" in err.
 */
int edn_read(struct edn_reader *r, struct edn_arena *a, struct edn **out, char *err, size_t errlen);

/* Parses exactly one form (surrounding whitespace allowed); 0 or -1 with err. */
int edn_parse_one(const char *buf, size_t len, struct edn_arena *a, struct edn **out, char *err,
                  size_t errlen);
/*
 * Parses EDN text kept inside a record (a history op's :value, :error or :exception): exactly one
 * form, surrounding whitespace allowed, and no ';' comment or '#_' discard anywhere, since either
 * would swallow what follows the text once it is embedded in a line. 0, or -1 with err.
 */
int edn_parse_text(const char *text, size_t len, struct edn_arena *a, struct edn **out, char *err,
                   size_t errlen);
/*
 * text made safe to embed in an EDN record, malloc'd: the compact print of its form when
 * edn_parse_text accepts it, else text as an EDN string literal (edn_quote). Printing and
 * reading back the result gives the same text again. NULL only when out of memory.
 */
char *edn_text_or_string(const char *text, size_t len);
/*
 * True when name printed after ':' (or alone) reads back as the same keyword (symbol) name:
 * not empty and no whitespace, comma, bracket, '"' or ';'.
 */
bool edn_name_ok(const char *name, size_t len);

/* ---- looking at values -------------------------------------------------------------------- */

/* The inner form of a tagged value (repeatedly), or v itself. */
const struct edn *edn_untag(const struct edn *v);
/* The value under keyword key in map m (tags are looked through), or NULL. */
const struct edn *edn_get(const struct edn *m, const char *key);
/* True when v is the keyword :name. */
bool edn_is_kw(const struct edn *v, const char *name);

/* ---- building and printing (edn_print.c) -------------------------------------------------- */

/* A new value of type t (NULL when out of memory); s is copied for the string-like types. */
struct edn *edn_new(struct edn_arena *a, enum edn_type t);
struct edn *edn_new_int(struct edn_arena *a, int64_t i);
struct edn *edn_new_float(struct edn_arena *a, double f, bool f32);
struct edn *edn_new_bool(struct edn_arena *a, bool b);
struct edn *edn_new_str(struct edn_arena *a, enum edn_type t, const char *s);
struct edn *edn_new_tagged(struct edn_arena *a, const char *tag, struct edn *form);
/* Appends v to collection c; 0 or -1 when out of memory (or v is NULL). */
int edn_push(struct edn_arena *a, struct edn *c, struct edn *v);
/* Appends the entry :key v to map m; 0 or -1. */
int edn_assoc(struct edn_arena *a, struct edn *m, const char *key, struct edn *v);

/*
 * Prints v: width 0 prints on one line, as Clojure's pr does; otherwise wrapped like fipp
 * (Jepsen's pretty printer) at that width: a collection that does not fit on the rest of the line
 * puts every element on its own line, aligned after its opening bracket.
 */
void edn_print(struct strbuf *b, const struct edn *v, unsigned width);
/* edn_print into a malloc'd string the caller frees; NULL for a NULL v or out of memory. */
char *edn_print_text(const struct edn *v, unsigned width);
/* Java's Float.toString / Double.toString (shortest round-trip digits); buf >= 32 bytes. */
void edn_format_float(float f, char *buf, size_t len);
void edn_format_double(double d, char *buf, size_t len);
/* A malloc'd EDN string literal for text (quotes and escapes added); NULL when out of memory. */
char *edn_quote(const char *text, size_t len);

#endif
