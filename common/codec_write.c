/*
 * codec_write.c: the encoding half of the codec (codec.h): struct msg and struct topo as JSON,
 * without cJSON. A small string builder emits keys in Maelstrom's order, only the keys a reply's
 * closed schema allows (spec §1.6(3)), and prints integers exactly. Split from codec.c, which
 * decodes, to keep each file readable; they share nothing but codec.h.
 */
#include "codec.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Output buffer                                                                            */

/* A growable NUL-terminated string; oom latches so callers check once at the end. */
struct sb {
    char *p;
    size_t n, cap;
    bool oom;
};

static void sb_init(struct sb *b, size_t cap)
{
    b->n = 0;
    b->oom = false;
    b->cap = cap < 64 ? 64 : cap;
    b->p = malloc(b->cap);
    if (!b->p) {
        b->cap = 0;
        b->oom = true;
    }
}

/* Makes room for extra more bytes plus the NUL; false when memory runs out. */
static bool sb_reserve(struct sb *b, size_t extra)
{
    if (b->oom) return false;
    if (b->cap - b->n > extra) return true;
    size_t cap = b->cap;
    while (cap - b->n <= extra) {
        if (cap > SIZE_MAX / 2) {
            b->oom = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

static void sb_putn(struct sb *b, const char *s, size_t len)
{
    if (!sb_reserve(b, len)) return;
    memcpy(b->p + b->n, s, len);
    b->n += len;
}

static void sb_puts(struct sb *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

static void sb_putc(struct sb *b, char c)
{
    if (!sb_reserve(b, 1)) return;
    b->p[b->n++] = c;
}

/* Exact decimal, never through a double. */
static void sb_put_i64(struct sb *b, int64_t v)
{
    char tmp[24];
    size_t k = sizeof(tmp);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--k] = (char)('0' + (char)(u % 10));
        u /= 10;
    } while (u);
    if (v < 0) tmp[--k] = '-';
    sb_putn(b, tmp + k, sizeof(tmp) - k);
}

/* A JSON string: quotes, backslashes and control bytes escaped, other bytes (UTF-8) as is. */
static void sb_put_str(struct sb *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    sb_putc(b, '"');
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        sb_putn(b, run, (size_t)(s - run));
        run = s + 1;
        switch (c) {
        case '"':
            sb_puts(b, "\\\"");
            break;
        case '\\':
            sb_puts(b, "\\\\");
            break;
        case '\n':
            sb_puts(b, "\\n");
            break;
        case '\r':
            sb_puts(b, "\\r");
            break;
        case '\t':
            sb_puts(b, "\\t");
            break;
        default: {
            char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            sb_putn(b, u, sizeof(u));
            break;
        }
        }
    }
    sb_putn(b, run, (size_t)(s - run));
    sb_putc(b, '"');
}

/* Hands the buffer to the caller, or frees it and returns -1 when memory ran out. */
static int sb_finish(struct sb *b, char **out, size_t *out_len)
{
    if (b->oom) {
        free(b->p);
        *out = NULL;
        if (out_len) *out_len = 0;
        return -1;
    }
    b->p[b->n] = '\0';
    *out = b->p;
    if (out_len) *out_len = b->n;
    return 0;
}

static void topo_to_json(struct sb *b, const struct topo *t)
{
    sb_putc(b, '{');
    bool first = true;
    for (uint32_t i = 0; i < t->n; i++) {
        const struct topo_node *nd = &t->nodes[i];
        if (!nd->listed) continue;
        if (!first) sb_putc(b, ',');
        first = false;
        sb_put_str(b, nd->name);
        sb_puts(b, ":[");
        for (uint32_t k = 0; k < nd->deg; k++) {
            if (k) sb_putc(b, ',');
            assert(nd->adj[k] < t->n);
            sb_put_str(b, t->nodes[nd->adj[k]].name);
        }
        sb_putc(b, ']');
    }
    sb_putc(b, '}');
}

/* ---------------------------------------------------------------------------------------- */
/* Encoding                                                                                 */

static void put_values(struct sb *b, const struct msg_values *v)
{
    sb_putc(b, '[');
    for (size_t i = 0; i < v->n; i++) {
        if (i) sb_putc(b, ',');
        sb_put_i64(b, v->v[i]);
    }
    sb_putc(b, ']');
}

/* The type-specific keys, in Maelstrom's order; -1 when the message cannot be encoded. */
static int put_payload(struct sb *b, const struct msg *m)
{
    switch (m->type) {
    case MSG_INIT:
        sb_puts(b, ",\"node_id\":");
        sb_put_str(b, m->node_id);
        sb_puts(b, ",\"node_ids\":[");
        for (size_t i = 0; i < m->n_node_ids; i++) {
            if (i) sb_putc(b, ',');
            sb_put_str(b, m->node_ids[i]);
        }
        sb_putc(b, ']');
        return 0;
    case MSG_TOPOLOGY:
        if (!m->topology) return -1;
        sb_puts(b, ",\"topology\":");
        topo_to_json(b, m->topology);
        return 0;
    case MSG_BROADCAST:
        sb_puts(b, ",\"message\":");
        sb_put_i64(b, m->message);
        return 0;
    case MSG_READ_OK:
    case MSG_INTERNAL:
        sb_puts(b, ",\"messages\":");
        put_values(b, &m->values);
        return 0;
    case MSG_ERROR:
        sb_puts(b, ",\"code\":");
        sb_put_i64(b, m->code);
        if (m->text[0]) {
            sb_puts(b, ",\"text\":");
            sb_put_str(b, m->text);
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

int codec_encode(const struct msg *m, char **out, size_t *out_len)
{
    *out = NULL;
    if (out_len) *out_len = 0;
    const char *type = m->type == MSG_OTHER ? m->type_name : msg_type_name(m->type);
    if (!type || !type[0]) return -1;
    struct sb b;
    sb_init(&b, 128 + m->values.n * 8);
    sb_putc(&b, '{');
    if (m->has_id) {
        sb_puts(&b, "\"id\":");
        sb_put_i64(&b, m->id);
        sb_putc(&b, ',');
    }
    sb_puts(&b, "\"src\":");
    sb_put_str(&b, m->src);
    sb_puts(&b, ",\"dest\":");
    sb_put_str(&b, m->dest);
    sb_puts(&b, ",\"body\":{\"type\":");
    sb_put_str(&b, type);
    if (put_payload(&b, m) < 0) {
        free(b.p);
        return -1;
    }
    if (m->has_msg_id) {
        sb_puts(&b, ",\"msg_id\":");
        sb_put_i64(&b, m->msg_id);
    }
    if (m->has_in_reply_to) {
        sb_puts(&b, ",\"in_reply_to\":");
        sb_put_i64(&b, m->in_reply_to);
    }
    sb_puts(&b, "}}");
    return sb_finish(&b, out, out_len);
}

int codec_topo_encode(const struct topo *t, char **out, size_t *out_len)
{
    struct sb b;
    sb_init(&b, 64 + (size_t)t->n * 16);
    topo_to_json(&b, t);
    return sb_finish(&b, out, out_len);
}
