/*
 * json: the one JSON string escaper of gossip-lab, used by the codec and by every writer of
 * JSON files (history, journal, results, test.json). It appends to a strbuf; writers that go to
 * a FILE * build the text first and write it whole. Not a JSON encoder or parser: the codec
 * (codec.h) encodes messages and only it sees cJSON.
 *
 * Behaviour (RFC 8259 §7): '"' and '\\' are escaped with a backslash; the control bytes 0x0a,
 * 0x0d and 0x09 as \n, \r and \t; every other byte below 0x20 as \u00xx (lowercase hex). All
 * other bytes, 0x7f and bytes >= 0x80 (UTF-8) included, are copied as they are: the text is
 * not validated as UTF-8. Pure: no IO.
 */
#ifndef GL_JSON_H
#define GL_JSON_H

#include <stddef.h>

#include "strbuf.h"

/* Appends s[0..len) escaped as above, without quotes (embedded NULs become \u0000). */
void json_escape(struct strbuf *sb, const char *s, size_t len);
/* Appends the NUL-terminated s as a JSON string literal: '"', json_escape(s), '"'. */
void json_add_str(struct strbuf *sb, const char *s);
/*
 * s[0..len) as a JSON string literal ('"', escaped, '"') written at p, a place in sb's buffer
 * with room after it for the longest that can be (6 * len + 2 bytes, made with strbuf_grow);
 * returns the end. For writers that make room for a whole line once and fill it in place (the
 * journal, the history): sb->len is not moved.
 */
char *json_put_str(struct strbuf *sb, char *p, const char *s, size_t len);

#endif
