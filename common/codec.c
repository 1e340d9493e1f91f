/*
 * codec.c: JSON lines <-> struct msg, and Maelstrom topology maps <-> struct topo. Every tree
 * is parsed here (through jtree.h), decoded into plain structs and deleted before returning.
 * Encoding (codec_write.c) does not use cJSON at all.
 *
 * Integers and NULs: cJSON rounds integers above 2^53, cannot tell 5 from 5.0, and cuts strings
 * at a \u0000; the line is read through jtree.h, which reads every integer exactly from its
 * literal (no 2^53 limit: every int64 round-trips; 5.0 and 1e3 are not integers, as in Clojure,
 * spec §1.6(5)) and marks every string holding a \u0000. A key holding one fails the line; an id
 * (src, dest, type, node ids, topology names) holding one is rejected where it is read. Other
 * strings (an error's text) are merely cut at the NUL.
 */
#include "codec.h"

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jtree.h"
#include "strbuf.h"

#include "banned.h"

/* ---------------------------------------------------------------------------------------- */
/* Decoding context: the line, its number literals, the error buffer                        */

struct dec {
    struct jtree jt; /* the line's tree, its integers and NULs (jtree.h) */
    char *err;
    size_t errlen;
};

__attribute__((format(printf, 2, 3))) static void dec_fail(struct dec *d, const char *fmt, ...)
{
    if (!d->errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err, d->errlen, fmt, ap);
    va_end(ap);
}

static enum jtree_int get_i64(const struct dec *d, const cJSON *item, int64_t *out)
{
    return jtree_int(&d->jt, item, out);
}

/* An integer-valued key; the failure message names it as path ("body.msg_id"). */
static int dec_int(struct dec *d, const cJSON *item, const char *path, int64_t *out)
{
    switch (get_i64(d, item, out)) {
    case JTREE_INT:
        return 0;
    case JTREE_RANGE:
        dec_fail(d, "%s: integer out of range", path);
        return -1;
    case JTREE_NOT_INT:
        break;
    }
    dec_fail(d, "%s: expected an integer", path);
    return -1;
}

/* A node id: a non-empty string shorter than GL_ID_MAX, copied into out. */
static int dec_id(struct dec *d, const cJSON *item, const char *path, char out[GL_ID_MAX])
{
    if (!cJSON_IsString(item)) {
        dec_fail(d, "%s: expected a string", path);
        return -1;
    }
    if (jtree_has_nul(item)) {
        dec_fail(d, "%s: contains a NUL character (\\u0000)", path);
        return -1;
    }
    size_t len = strlen(item->valuestring);
    if (len == 0 || len >= GL_ID_MAX) {
        dec_fail(d, "%s: id must have 1 to %d bytes", path, GL_ID_MAX - 1);
        return -1;
    }
    memcpy(out, item->valuestring, len + 1);
    return 0;
}

static const char *json_kind(const cJSON *item)
{
    if (cJSON_IsArray(item)) return "an array";
    if (cJSON_IsObject(item)) return "an object";
    if (cJSON_IsString(item)) return "a string";
    if (cJSON_IsNumber(item)) return "a number";
    if (cJSON_IsBool(item)) return "a boolean";
    return "null";
}

/* ---------------------------------------------------------------------------------------- */
/* Topology maps                                                                            */

/* Names are looked up with topo_find, which is hashed: a 500-node "total" map (250 000 arcs)
 * costs a hash per arc, not a linear search. */

/* Adds a node unless the limit is reached; returns its index or -1 with a message. */
static int32_t topo_dec_add(struct dec *d, struct topo *t, const char *name, const char *path)
{
    if (t->n >= GL_MAX_NODES) {
        dec_fail(d, "%s: more than %d nodes", path, GL_MAX_NODES);
        return -1;
    }
    int32_t idx = topo_add_node(t, name);
    if (idx < 0) {
        dec_fail(d, "%s: cannot add node '%s'", path, name);
        return -1;
    }
    return idx;
}

/*
 * Decodes a topology object into t (topo_init()ed here). Nodes are the keys in order, then
 * names met only as neighbours, unlisted, in order of first appearance. path prefixes messages.
 */
static int topo_from_json(struct dec *d, const cJSON *obj, struct topo *t, const char *path)
{
    topo_init(t);
    t->kind = TOPO_CUSTOM;
    if (!cJSON_IsObject(obj)) {
        dec_fail(d, "%s: expected an object, got %s", path, json_kind(obj));
        return -1;
    }
    char name[GL_ID_MAX];
    char where[GL_ID_MAX + 64];
    for (const cJSON *it = obj->child; it; it = it->next) {
        size_t len = strlen(it->string);
        if (len == 0 || len >= GL_ID_MAX) {
            dec_fail(d, "%s: node name '%.40s' must have 1 to %d bytes", path, it->string,
                     GL_ID_MAX - 1);
            goto fail;
        }
        if (topo_find(t, it->string) >= 0) {
            dec_fail(d, "%s: duplicate node '%s'", path, it->string);
            goto fail;
        }
        if (topo_dec_add(d, t, it->string, path) < 0) goto fail;
    }
    uint32_t from = 0;
    for (const cJSON *it = obj->child; it; it = it->next, from++) {
        snprintf(where, sizeof(where), "%s.%s", path, it->string);
        if (!cJSON_IsArray(it)) {
            dec_fail(d, "%s: expected an array, got %s", where, json_kind(it));
            goto fail;
        }
        for (const cJSON *nb = it->child; nb; nb = nb->next) {
            if (dec_id(d, nb, where, name) < 0) goto fail;
            int32_t to = topo_find(t, name);
            if (to < 0) {
                to = topo_dec_add(d, t, name, where);
                if (to < 0) goto fail;
                t->nodes[to].listed = false; /* a name that is only ever a neighbour */
            }
            if (topo_add_arc(t, from, (uint32_t)to) < 0) {
                dec_fail(d, "%s: cannot add arc to '%s'", where, name);
                goto fail;
            }
        }
    }
    return 0;
fail:
    topo_release(t);
    topo_init(t);
    t->kind = TOPO_CUSTOM;
    return -1;
}

/* ---------------------------------------------------------------------------------------- */
/* Message bodies                                                                           */

/* Body keys that mean something for some type (type, msg_id and in_reply_to are universal). */
enum field {
    F_MESSAGE,
    F_MESSAGES,
    F_NODE_ID,
    F_NODE_IDS,
    F_TOPOLOGY,
    F_CODE,
    F_TEXT,
    F_SEQ, /* broadcast_internal's optional keys (the node's delivery modes, anti-entropy) */
    F_BASE,
    F_ACK,
    F_HAVE,
    F_NEED,
    F_REPAIR,
    F_COUNT
};

static const char *const field_names[F_COUNT] = {
    [F_MESSAGE] = "message",   [F_MESSAGES] = "messages", [F_NODE_ID] = "node_id",
    [F_NODE_IDS] = "node_ids", [F_TOPOLOGY] = "topology", [F_CODE] = "code",
    [F_TEXT] = "text",         [F_SEQ] = "seq",           [F_BASE] = "base",
    [F_ACK] = "ack",           [F_HAVE] = "have",         [F_NEED] = "need",
    [F_REPAIR] = "repair",
};

#define FB(f) (1u << (f))

/*
 * What each type's body may and must hold. closed: Maelstrom checks the reply against a closed
 * schema, so any other key sets MSG_F_EXTRA_KEYS (spec §1.6(3); init_ok is flagged likewise,
 * though Maelstrom only checks its type: the harness decides). Other types ignore unknown keys.
 */
static const struct schema {
    unsigned fields, required;
    bool closed;
} schemas[MSG_OTHER + 1] = {
    [MSG_INIT] = { FB(F_NODE_ID) | FB(F_NODE_IDS), FB(F_NODE_ID) | FB(F_NODE_IDS), false },
    [MSG_INIT_OK] = { 0, 0, true },
    [MSG_TOPOLOGY] = { FB(F_TOPOLOGY), FB(F_TOPOLOGY), false },
    [MSG_TOPOLOGY_OK] = { 0, 0, true },
    [MSG_BROADCAST] = { FB(F_MESSAGE), FB(F_MESSAGE), false },
    [MSG_BROADCAST_OK] = { 0, 0, true },
    [MSG_READ] = { 0, 0, false },
    [MSG_READ_OK] = { FB(F_MESSAGES), FB(F_MESSAGES), true },
    [MSG_INTERNAL] = { FB(F_MESSAGES) | FB(F_SEQ) | FB(F_BASE) | FB(F_ACK) | FB(F_HAVE) |
                           FB(F_NEED) | FB(F_REPAIR),
                       FB(F_MESSAGES), false },
    [MSG_INTERNAL_OK] = { 0, 0, false },
    [MSG_ERROR] = { FB(F_CODE) | FB(F_TEXT), FB(F_CODE), false },
    [MSG_OTHER] = { 0, 0, false },
};

static int field_lookup(const char *key)
{
    for (int f = 0; f < F_COUNT; f++) {
        if (strcmp(field_names[f], key) == 0) return f;
    }
    return -1;
}

/*
 * "messages": integers kept in order (duplicates too, as Maelstrom's read value keeps them);
 * other elements (5.0, "x", out of int64) are dropped and flagged MSG_F_NON_INT_VALUES.
 */
static int dec_values(struct dec *d, const cJSON *arr, struct msg *m, size_t max)
{
    if (!cJSON_IsArray(arr)) {
        dec_fail(d, "body.messages: expected an array, got %s", json_kind(arr));
        return -1;
    }
    size_t n = 0;
    for (const cJSON *it = arr->child; it; it = it->next)
        n++;
    if (n > max) {
        dec_fail(d, "body.messages: more than %zu values", max);
        return -1;
    }
    if (n > 0) {
        m->values.v = malloc(n * sizeof(*m->values.v));
        if (!m->values.v) {
            dec_fail(d, "body.messages: out of memory");
            return -1;
        }
        m->values.cap = n;
    }
    for (const cJSON *it = arr->child; it; it = it->next) {
        int64_t v;
        if (get_i64(d, it, &v) == JTREE_INT)
            m->values.v[m->values.n++] = v;
        else
            m->flags |= MSG_F_NON_INT_VALUES;
    }
    return 0;
}

/* A non-negative integer key of broadcast_internal ("seq", "base", "ack"). */
static int dec_count(struct dec *d, const cJSON *item, const char *path, bool *has, int64_t *out)
{
    if (dec_int(d, item, path, out) < 0) return -1;
    if (*out < 0) {
        dec_fail(d, "%s: expected a non-negative integer", path);
        return -1;
    }
    *has = true;
    return 0;
}

/* "have" / "need": integers lo0, hi0, lo1, hi1, ... with lo <= hi and every pair above the last. */
static int dec_ranges(struct dec *d, const cJSON *arr, const char *path, struct msg_values *out)
{
    if (!cJSON_IsArray(arr)) {
        dec_fail(d, "%s: expected an array, got %s", path, json_kind(arr));
        return -1;
    }
    for (const cJSON *it = arr->child; it; it = it->next) {
        int64_t v;
        if (out->n >= 2u * GL_MAX_SYNC_RANGES) {
            dec_fail(d, "%s: more than %u intervals", path, (unsigned)GL_MAX_SYNC_RANGES);
            return -1;
        }
        if (dec_int(d, it, path, &v) < 0) return -1;
        if (msg_values_push(out, v) != 0) {
            dec_fail(d, "%s: out of memory", path);
            return -1;
        }
    }
    for (size_t i = 0; i < out->n; i += 2) {
        if (i + 1 == out->n || out->v[i] > out->v[i + 1] || (i > 0 && out->v[i] <= out->v[i - 1])) {
            dec_fail(d, "%s: expected pairs lo, hi with lo <= hi, each above the one before", path);
            return -1;
        }
    }
    return 0;
}

static int dec_node_ids(struct dec *d, const cJSON *arr, struct msg *m)
{
    if (!cJSON_IsArray(arr)) {
        dec_fail(d, "body.node_ids: expected an array, got %s", json_kind(arr));
        return -1;
    }
    size_t n = 0;
    for (const cJSON *it = arr->child; it; it = it->next)
        n++;
    if (n > GL_MAX_NODES) {
        dec_fail(d, "body.node_ids: more than %d nodes", GL_MAX_NODES);
        return -1;
    }
    if (n == 0) return 0;
    m->node_ids = malloc(n * sizeof(*m->node_ids));
    if (!m->node_ids) {
        dec_fail(d, "body.node_ids: out of memory");
        return -1;
    }
    for (const cJSON *it = arr->child; it; it = it->next) {
        if (dec_id(d, it, "body.node_ids", m->node_ids[m->n_node_ids]) < 0) return -1;
        m->n_node_ids++;
    }
    return 0;
}

/* Copies an error text, cut to GL_MAX_TEXT - 1 bytes on a UTF-8 character boundary. */
static void copy_text(char *dst, const char *src)
{
    size_t len = strlen(src);
    if (len >= GL_MAX_TEXT) {
        len = GL_MAX_TEXT - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
            len--;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static int dec_field(struct dec *d, enum field f, const cJSON *it, struct msg *m)
{
    switch (f) {
    case F_MESSAGE:
        return dec_int(d, it, "body.message", &m->message);
    case F_MESSAGES:
        return dec_values(d, it, m, m->type == MSG_INTERNAL ? GL_MAX_BATCH_VALUES : SIZE_MAX);
    case F_NODE_ID:
        return dec_id(d, it, "body.node_id", m->node_id);
    case F_NODE_IDS:
        return dec_node_ids(d, it, m);
    case F_TOPOLOGY: {
        struct topo *t = malloc(sizeof(*t));
        if (!t) {
            dec_fail(d, "body.topology: out of memory");
            return -1;
        }
        if (topo_from_json(d, it, t, "body.topology") < 0) {
            topo_release(t);
            free(t);
            return -1;
        }
        m->topology = t;
        return 0;
    }
    case F_CODE:
        return dec_int(d, it, "body.code", &m->code);
    case F_SEQ:
        return dec_count(d, it, "body.seq", &m->has_seq, &m->seq);
    case F_BASE:
        return dec_count(d, it, "body.base", &m->has_base, &m->base);
    case F_ACK:
        return dec_count(d, it, "body.ack", &m->has_ack, &m->ack);
    case F_HAVE:
        m->has_have = true;
        return dec_ranges(d, it, "body.have", &m->have);
    case F_NEED:
        return dec_ranges(d, it, "body.need", &m->need);
    case F_REPAIR:
        if (!cJSON_IsBool(it)) {
            dec_fail(d, "body.repair: expected a boolean, got %s", json_kind(it));
            return -1;
        }
        m->repair = cJSON_IsTrue(it);
        return 0;
    case F_TEXT:
        if (!cJSON_IsString(it)) {
            dec_fail(d, "body.text: expected a string, got %s", json_kind(it));
            return -1;
        }
        copy_text(m->text, it->valuestring);
        return 0;
    case F_COUNT:
        break;
    }
    assert(0 && "unknown field");
    return -1;
}

/* The universal keys: type (else the line is bad), then msg_id and in_reply_to. */
static enum codec_status dec_header(struct dec *d, const cJSON *body, struct msg *m)
{
    const cJSON *type = NULL, *msg_id = NULL, *irt = NULL;
    const char *dup = NULL;
    for (const cJSON *it = body->child; it; it = it->next) {
        const cJSON **slot = NULL;
        if (strcmp(it->string, "type") == 0)
            slot = &type;
        else if (strcmp(it->string, "msg_id") == 0)
            slot = &msg_id;
        else if (strcmp(it->string, "in_reply_to") == 0)
            slot = &irt;
        else
            continue;
        if (*slot && !dup) dup = it->string;
        if (!*slot) *slot = it;
    }
    if (!type) {
        dec_fail(d, "body.type: missing");
        return CODEC_BAD_LINE;
    }
    if (!cJSON_IsString(type)) {
        dec_fail(d, "body.type: expected a string, got %s", json_kind(type));
        return CODEC_BAD_LINE;
    }
    if (jtree_has_nul(type)) {
        dec_fail(d, "body.type: contains a NUL character (\\u0000)");
        return CODEC_BAD_LINE;
    }
    size_t len = strlen(type->valuestring);
    if (len == 0 || len >= GL_TYPE_MAX) {
        dec_fail(d, "body.type: must have 1 to %d bytes", GL_TYPE_MAX - 1);
        return CODEC_BAD_LINE;
    }
    memcpy(m->type_name, type->valuestring, len + 1);
    m->type = msg_type_from_name(m->type_name);
    if (msg_id) {
        if (dec_int(d, msg_id, "body.msg_id", &m->msg_id) < 0) return CODEC_BAD_BODY;
        m->has_msg_id = true;
    }
    if (irt) {
        if (dec_int(d, irt, "body.in_reply_to", &m->in_reply_to) < 0) return CODEC_BAD_BODY;
        m->has_in_reply_to = true;
    }
    if (dup) {
        dec_fail(d, "body: duplicate key '%s'", dup);
        return CODEC_BAD_BODY;
    }
    return CODEC_OK;
}

static enum codec_status dec_body(struct dec *d, const cJSON *body, struct msg *m)
{
    enum codec_status st = dec_header(d, body, m);
    if (st != CODEC_OK) return st;
    const struct schema *s = &schemas[m->type];
    unsigned seen = 0;
    for (const cJSON *it = body->child; it; it = it->next) {
        const char *k = it->string;
        if (!strcmp(k, "type") || !strcmp(k, "msg_id") || !strcmp(k, "in_reply_to")) continue;
        int f = field_lookup(k);
        if (f < 0 || !(s->fields & FB(f))) {
            if (s->closed) m->flags |= MSG_F_EXTRA_KEYS;
            continue;
        }
        if (seen & FB(f)) {
            dec_fail(d, "body: duplicate key '%s'", k);
            return CODEC_BAD_BODY;
        }
        seen |= FB(f);
        if (dec_field(d, (enum field)f, it, m) < 0) return CODEC_BAD_BODY;
    }
    unsigned missing = s->required & ~seen;
    for (int f = 0; f < F_COUNT; f++) {
        if (missing & FB(f)) {
            dec_fail(d, "body.%s: missing", field_names[f]);
            return CODEC_BAD_BODY;
        }
    }
    return CODEC_OK;
}

static enum codec_status dec_envelope(struct dec *d, const cJSON *root, struct msg *m)
{
    const cJSON *id = NULL, *src = NULL, *dest = NULL, *body = NULL;
    for (const cJSON *it = root->child; it; it = it->next) {
        const cJSON **slot;
        if (strcmp(it->string, "id") == 0)
            slot = &id;
        else if (strcmp(it->string, "src") == 0)
            slot = &src;
        else if (strcmp(it->string, "dest") == 0)
            slot = &dest;
        else if (strcmp(it->string, "body") == 0)
            slot = &body;
        else {
            dec_fail(d, "unexpected top-level key '%.40s'", it->string);
            return CODEC_BAD_LINE;
        }
        if (*slot) {
            dec_fail(d, "duplicate top-level key '%s'", it->string);
            return CODEC_BAD_LINE;
        }
        *slot = it;
    }
    const char *missing = !src ? "src" : !dest ? "dest" : !body ? "body" : NULL;
    if (missing) {
        dec_fail(d, "missing key '%s'", missing);
        return CODEC_BAD_LINE;
    }
    if (id) {
        if (dec_int(d, id, "id", &m->id) < 0) return CODEC_BAD_LINE;
        m->has_id = true;
    }
    if (dec_id(d, src, "src", m->src) < 0 || dec_id(d, dest, "dest", m->dest) < 0)
        return CODEC_BAD_LINE;
    if (!cJSON_IsObject(body)) {
        dec_fail(d, "body: expected an object, got %s", json_kind(body));
        return CODEC_BAD_LINE;
    }
    return dec_body(d, body, m);
}

/*
 * Parses text[0..len) as exactly one JSON object (trailing whitespace allowed) into d->jt, its
 * integers and NULs tagged. Returns the tree (d->jt's: dec_release deletes it), or NULL with a
 * message. Never reads cJSON's global error pointer.
 */
static cJSON *parse_one(struct dec *d, const char *text, size_t len)
{
    if (len == 0) {
        dec_fail(d, "empty line");
        return NULL;
    }
    if (len > GL_MAX_LINE) {
        dec_fail(d, "line longer than %u bytes", GL_MAX_LINE);
        return NULL;
    }
    if (memchr(text, '\0', len)) {
        dec_fail(d, "NUL byte in line");
        return NULL;
    }
    if (jtree_parse(&d->jt, text, len, d->err, d->errlen, NULL) != 0) return NULL;
    if (!cJSON_IsObject(d->jt.root)) {
        dec_fail(d, "expected a JSON object, got %s", json_kind(d->jt.root));
        return NULL;
    }
    if (jtree_tag(&d->jt, d->err, d->errlen) != 0) return NULL;
    return d->jt.root;
}

static void dec_init(struct dec *d, char *err, size_t errlen)
{
    memset(&d->jt, 0, sizeof(d->jt));
    d->err = err;
    d->errlen = errlen;
    if (errlen) err[0] = '\0';
}

static void dec_release(struct dec *d)
{
    jtree_release(&d->jt);
}

/* Frees a message's owned arrays but keeps its envelope, type and ids (for BAD_BODY). */
static void drop_payload(struct msg *m)
{
    struct msg keep = *m;
    keep.values.v = keep.have.v = keep.need.v = NULL;
    keep.values.n = keep.values.cap = keep.have.n = keep.have.cap = keep.need.n = keep.need.cap = 0;
    keep.node_ids = NULL;
    keep.n_node_ids = 0;
    keep.topology = NULL;
    msg_release(m);
    *m = keep;
}

enum codec_status codec_decode(const char *line, size_t len, struct msg *m, char *err,
                               size_t errlen)
{
    msg_init(m);
    struct dec d;
    dec_init(&d, err, errlen);
    enum codec_status st = CODEC_BAD_LINE;
    cJSON *root = parse_one(&d, line, len);
    if (root) st = dec_envelope(&d, root, m);
    dec_release(&d);
    if (st == CODEC_BAD_LINE)
        msg_release(m);
    else if (st == CODEC_BAD_BODY)
        drop_payload(m);
    return st;
}

int codec_topo_decode(const char *json, size_t len, struct topo *t, char *err, size_t errlen)
{
    struct dec d;
    dec_init(&d, err, errlen);
    topo_init(t);
    t->kind = TOPO_CUSTOM;
    cJSON *root = parse_one(&d, json, len);
    int rc = root ? topo_from_json(&d, root, t, "topology") : -1;
    dec_release(&d);
    return rc;
}
