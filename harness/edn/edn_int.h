/*
 * edn_int: what the EDN reader's two files share (edn.c: structure, strings, dispatch;
 * edn_atom.c: numbers, characters, keywords, symbols). Not part of the edn API.
 */
#ifndef GL_EDN_INT_H
#define GL_EDN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edn.h"

/* One read: the reader, the arena values go to, and where errors are written. */
struct edn_ctx {
    struct edn_reader *r;
    struct edn_arena *a;
    char *err;
    size_t errlen;
};

uint32_t edn_col_at(const struct edn_reader *r, size_t pos, size_t line_start);
/* Writes "LINE:COL: message" to c->err; returns -1. */
__attribute__((format(printf, 4, 5))) int edn_fail_at(struct edn_ctx *c, uint32_t line,
                                                      uint32_t col, const char *fmt, ...);
#define EDN_FAIL_HERE(c, ...) \
    edn_fail_at((c), (c)->r->line, edn_col_at((c)->r, (c)->r->pos, (c)->r->line_start), __VA_ARGS__)
#define EDN_OOM(c) EDN_FAIL_HERE((c), "out of memory")

bool edn_is_delim(char ch);
/* Skips whitespace, commas and ; comments, counting lines. */
void edn_skip_ws(struct edn_reader *r);
struct edn *edn_new_node(struct edn_ctx *c, enum edn_type t, uint32_t line, uint32_t col);
char *edn_arena_strndup(struct edn_arena *a, const char *s, size_t len);
int edn_hexval(char ch);
/* The end of the token starting at from (the first delimiter). */
size_t edn_token_end(const struct edn_reader *r, size_t from);

/* A decimal integer of at most 18 digits followed by a delimiter at *p (moved past it). */
bool edn_small_int_at(const struct edn_reader *r, size_t *p, int64_t *out);
/* Readers of one atom at r->pos (after the backslash, for characters): 1 with *out, or -1. */
int edn_read_char(struct edn_ctx *c, uint32_t line, uint32_t col, struct edn **out);
int edn_read_token(struct edn_ctx *c, uint32_t line, uint32_t col, struct edn **out);
/* The fast path for small integers: 1 with *out, 0 when the token is something else. */
int edn_read_small_int(struct edn_ctx *c, uint32_t line, uint32_t col, struct edn **out);

#endif
