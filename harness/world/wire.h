/*
 * wire: validates one line of node output as Maelstrom's network does (spec §1.2, §1.6(1)),
 * splits it into its envelope and its raw body, and makes the message the network carries.
 * Bodies between nodes are unconstrained, so they travel as JSON text; the harness decodes only
 * what is addressed to its clients. cJSON stays inside wire.c. Pure: no IO, no clock.
 */
#ifndef GL_WIRE_H
#define GL_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "msg.h"
#include "strbuf.h"

struct wire_env {
    char src[GL_ID_MAX];
    char dest[GL_ID_MAX];
    char type[GL_TYPE_MAX]; /* body.type, or "" when the body has none */
    bool has_in_reply_to;
    int64_t in_reply_to;
    char *body; /* the body as compact JSON, malloc'd: the caller frees */
};

/*
 * Parses a line: exactly one JSON object on one line with string "src" and "dest", a "body" and
 * optionally an integer "id"; nothing else. Returns 0, or -1 with the reason in err.
 */
int wire_parse(const char *line, size_t len, struct wire_env *env, char *err, size_t errlen);

/*
 * Turns a parsed line into the message the network carries; m is msg_init()ed first. A message
 * to a client (to_client) is decoded fully from the line, since the world judges replies (spec
 * §1.5, §1.6(3)); a body that breaks its schema becomes MSG_OTHER flagged MSG_F_EXTRA_KEYS with
 * in_reply_to kept, so its op becomes indeterminate. Its raw body is freed and NULL returned.
 * Anything else keeps the raw body, which is returned (the caller owns it). Either way m's src,
 * dest and type_name are env's and env->body is NULL afterwards.
 */
char *wire_to_msg(struct wire_env *env, const char *line, size_t len, bool to_client,
                  struct msg *m);

/*
 * Appends the stdin line for a node to sb: {"id":id,"src":..,"dest":..,"body":body_json}, with a
 * trailing newline. Returns 0, or -1 when memory ran out (sb->failed).
 */
int wire_line(struct strbuf *sb, uint64_t id, const char *src, const char *dest,
              const char *body_json);

#endif
