/*
 * codec: JSON lines <-> struct msg, and Maelstrom topology JSON <-> struct topo. The only module
 * that sees cJSON: trees are parsed with cJSON_ParseWithLength, decoded into plain structs and
 * deleted before returning. Encoded replies carry only the keys Maelstrom's closed schemas allow
 * (spec §1.6(3)).
 */
#ifndef GL_CODEC_H
#define GL_CODEC_H

#include <stddef.h>

#include "msg.h"
#include "strbuf.h"
#include "topo.h"

enum codec_status {
    CODEC_OK = 0,
    CODEC_BAD_LINE = -1, /* not one JSON object, or a bad envelope: skip the line */
    CODEC_BAD_BODY = -2, /* envelope and type fine, body invalid for that type: src, dest,
                            type and msg_id are filled so the node can answer error 12 */
};

/*
 * Decodes one line (without its newline) into *m, which the callee msg_init()s. The envelope is
 * closed: "src", "dest" (strings), "body" (object with a string "type") and an optional integer
 * "id"; anything else is CODEC_BAD_LINE. Unknown body types decode as MSG_OTHER. err gets a
 * precise message on failure ("body.message: expected an integer").
 * Integers are read from their text, exactly over all of int64 (no 2^53 limit); literals with a
 * fraction or exponent (5.0, 1e3) are not integers, as in Clojure. On CODEC_BAD_BODY the owned
 * arrays are already freed; msg_release() is safe after any status.
 */
enum codec_status codec_decode(const char *line, size_t len, struct msg *m, char *err,
                               size_t errlen);

/*
 * Encodes *m as one JSON object on one line, without a trailing newline, into a malloc'd
 * NUL-terminated string the caller frees. Returns 0, or -1 (memory, unencodable MSG_OTHER).
 */
int codec_encode(const struct msg *m, char **out, size_t *out_len);

/*
 * The same encoding appended to b (a driver appends its newline and writes the whole line, with
 * no copy in between). Returns 0, or -1 (memory, unencodable MSG_OTHER) with b as it was, its
 * `failed` flag set when memory ran out.
 */
int codec_encode_to(const struct msg *m, struct strbuf *b);

/*
 * Maelstrom topology map {"n0": ["n1", ...], ...} <-> struct topo (kind TOPO_CUSTOM). Decode
 * topo_init()s *t; nodes are the keys in order, then names seen only as neighbours (listed =
 * false). On failure *t is left empty and err says why.
 */
int codec_topo_decode(const char *json, size_t len, struct topo *t, char *err, size_t errlen);
/* One line, keys in node order, only listed nodes; malloc'd, caller frees. */
int codec_topo_encode(const struct topo *t, char **out, size_t *out_len);

#endif
