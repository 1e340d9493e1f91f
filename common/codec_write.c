/*
 * codec_write.c: the encoding half of the codec (codec.h): struct msg and struct topo as JSON,
 * without cJSON. Built on strbuf (the string builder) and json_escape (the JSON string escaper):
 * keys in Maelstrom's order, only the keys a reply's closed schema allows (spec §1.6(3)), and
 * integers printed exactly. Split from codec.c, which decodes, to keep each file readable; they
 * share nothing but codec.h. Pure: no IO.
 */
#include "codec.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>

#include "json.h"
#include "strbuf.h"

#include "banned.h"

/* Hands the builder's string to the caller, or frees it and returns -1 when memory ran out. */
static int finish(struct strbuf *b, char **out, size_t *out_len)
{
    if (b->failed) {
        strbuf_release(b);
        *out = NULL;
        if (out_len) *out_len = 0;
        return -1;
    }
    *out = strbuf_detach(b, out_len);
    return *out ? 0 : -1;
}

static void topo_to_json(struct strbuf *b, const struct topo *t)
{
    strbuf_addch(b, '{');
    bool first = true;
    for (uint32_t i = 0; i < t->n; i++) {
        const struct topo_node *nd = &t->nodes[i];
        if (!nd->listed) continue;
        if (!first) strbuf_addch(b, ',');
        first = false;
        json_add_str(b, nd->name);
        strbuf_addstr(b, ":[");
        for (uint32_t k = 0; k < nd->deg; k++) {
            if (k) strbuf_addch(b, ',');
            assert(nd->adj[k] < t->n);
            json_add_str(b, t->nodes[nd->adj[k]].name);
        }
        strbuf_addch(b, ']');
    }
    strbuf_addch(b, '}');
}

/* ---------------------------------------------------------------------------------------- */
/* Encoding                                                                                 */

static void put_values(struct strbuf *b, const struct msg_values *v)
{
    strbuf_addch(b, '[');
    strbuf_add_i64s(b, v->v, v->n, ',');
    strbuf_addch(b, ']');
}

static void put_int(struct strbuf *b, const char *key, int64_t v)
{
    strbuf_addstr(b, key);
    strbuf_add_i64(b, v);
}

/* broadcast_internal's optional keys (msg.h), each only when present. */
static void put_link_keys(struct strbuf *b, const struct msg *m)
{
    if (m->has_seq) put_int(b, ",\"seq\":", m->seq);
    if (m->has_base) put_int(b, ",\"base\":", m->base);
    if (m->has_ack) put_int(b, ",\"ack\":", m->ack);
    if (m->has_have) {
        strbuf_addstr(b, ",\"have\":");
        put_values(b, &m->have);
    }
    if (m->need.n) {
        strbuf_addstr(b, ",\"need\":");
        put_values(b, &m->need);
    }
    if (m->repair) strbuf_addstr(b, ",\"repair\":true");
}

/* The type-specific keys, in Maelstrom's order; -1 when the message cannot be encoded. */
static int put_payload(struct strbuf *b, const struct msg *m)
{
    switch (m->type) {
    case MSG_INIT:
        strbuf_addstr(b, ",\"node_id\":");
        json_add_str(b, m->node_id);
        strbuf_addstr(b, ",\"node_ids\":[");
        for (size_t i = 0; i < m->n_node_ids; i++) {
            if (i) strbuf_addch(b, ',');
            json_add_str(b, m->node_ids[i]);
        }
        strbuf_addch(b, ']');
        return 0;
    case MSG_TOPOLOGY:
        if (!m->topology) return -1;
        strbuf_addstr(b, ",\"topology\":");
        topo_to_json(b, m->topology);
        return 0;
    case MSG_BROADCAST:
        strbuf_addstr(b, ",\"message\":");
        strbuf_add_i64(b, m->message);
        return 0;
    case MSG_READ_OK:
        strbuf_addstr(b, ",\"messages\":");
        put_values(b, &m->values);
        return 0;
    case MSG_INTERNAL:
        strbuf_addstr(b, ",\"messages\":");
        put_values(b, &m->values);
        put_link_keys(b, m);
        return 0;
    case MSG_ERROR:
        strbuf_addstr(b, ",\"code\":");
        strbuf_add_i64(b, m->code);
        if (m->text[0]) {
            strbuf_addstr(b, ",\"text\":");
            json_add_str(b, m->text);
        }
        return 0;
    case MSG_INIT_OK:
    case MSG_TOPOLOGY_OK:
    case MSG_BROADCAST_OK:
    case MSG_READ:
    case MSG_INTERNAL_OK:
    case MSG_OTHER:
        return 0;
    }
    return -1;
}

int codec_encode_to(const struct msg *m, struct strbuf *b)
{
    const char *type = m->type == MSG_OTHER ? m->type_name : msg_type_name(m->type);
    if (!type || !type[0]) return -1;
    size_t start = b->len;
    strbuf_grow(b, 128 + (m->values.n + m->have.n + m->need.n) * 8);
    strbuf_addch(b, '{');
    if (m->has_id) {
        strbuf_addstr(b, "\"id\":");
        strbuf_add_i64(b, m->id);
        strbuf_addch(b, ',');
    }
    strbuf_addstr(b, "\"src\":");
    json_add_str(b, m->src);
    strbuf_addstr(b, ",\"dest\":");
    json_add_str(b, m->dest);
    strbuf_addstr(b, ",\"body\":{\"type\":");
    json_add_str(b, type);
    int rc = put_payload(b, m);
    if (m->has_msg_id) {
        strbuf_addstr(b, ",\"msg_id\":");
        strbuf_add_i64(b, m->msg_id);
    }
    if (m->has_in_reply_to) {
        strbuf_addstr(b, ",\"in_reply_to\":");
        strbuf_add_i64(b, m->in_reply_to);
    }
    strbuf_addstr(b, "}}");
    if (rc == 0 && !b->failed) return 0;
    b->len = start; /* nothing of a message that cannot be encoded */
    if (b->buf) b->buf[start] = '\0';
    return -1;
}

int codec_encode(const struct msg *m, char **out, size_t *out_len)
{
    *out = NULL;
    if (out_len) *out_len = 0;
    struct strbuf b = STRBUF_INIT;
    if (codec_encode_to(m, &b) != 0) {
        strbuf_release(&b);
        return -1;
    }
    return finish(&b, out, out_len);
}

int codec_topo_encode(const struct topo *t, char **out, size_t *out_len)
{
    struct strbuf b = STRBUF_INIT;
    strbuf_grow(&b, 64 + (size_t)t->n * 16);
    topo_to_json(&b, t);
    return finish(&b, out, out_len);
}
