/*
 * journal.c: the :net counters and the message journal's JSON lines. The reader uses cJSON per
 * line; trees never leave this file.
 */
#include "journal.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "file.h"
#include "json.h"
#include "jsonl.h"
#include "strbuf.h"

bool journal_is_client(const char *id)
{
    return id && id[0] == 'c';
}

static struct net_count *group(struct net_counts *c, const char *src, const char *dest)
{
    return journal_is_client(src) || journal_is_client(dest) ? &c->clients : &c->servers;
}

void journal_note_send(struct net_counts *c, const char *src, const char *dest)
{
    struct net_count *g = group(c, src, dest);
    g->send_count++;
    g->msg_count++;
    c->all.send_count++;
    c->all.msg_count++;
}

void journal_note_recv(struct net_counts *c, const char *src, const char *dest)
{
    group(c, src, dest)->recv_count++;
    c->all.recv_count++;
}

/* A time in ns at p; returns the end. The world's are whole µs: their digits and "000". */
static char *put_ns(char *p, int64_t ns)
{
    if (ns <= 0 || ns % 1000 != 0) return p + strbuf_fmt_i64(p, ns);
    p += strbuf_fmt_i64(p, ns / 1000);
    STRBUF_PUT_LIT(p, "000");
    return p;
}

void journal_format(struct strbuf *sb, const struct journal_rec *r, const size_t len[3])
{
    const char *src = r->src ? r->src : "", *dest = r->dest ? r->dest : "";
    const char *type = r->type ? r->type : "";
    size_t ls = len[0], ld = len[1], lt = len[2];
    /* The keys and punctuation (63 bytes), three numbers, three strings escaped as \u00XX. */
    if (!strbuf_grow(sb, 64 + 3 * STRBUF_NUM_MAX + 6 * (ls + ld + lt))) return;
    char *p = sb->buf + sb->len;
    STRBUF_PUT_LIT(p, "{\"id\":");
    p += strbuf_fmt_u64(p, r->id);
    STRBUF_PUT_LIT(p, ",\"send_ns\":");
    p = put_ns(p, r->send_ns);
    STRBUF_PUT_LIT(p, ",\"recv_ns\":");
    if (r->recv_ns < 0)
        STRBUF_PUT_LIT(p, "null");
    else
        p = put_ns(p, r->recv_ns);
    STRBUF_PUT_LIT(p, ",\"src\":");
    p = json_put_str(sb, p, src, ls);
    STRBUF_PUT_LIT(p, ",\"dest\":");
    p = json_put_str(sb, p, dest, ld);
    STRBUF_PUT_LIT(p, ",\"type\":");
    p = json_put_str(sb, p, type, lt);
    STRBUF_PUT_LIT(p, "}\n");
    sb->len = (size_t)(p - sb->buf);
    sb->buf[sb->len] = '\0';
}

/* journal_format with the strings' lengths counted. */
static void journal_line(struct strbuf *sb, const struct journal_rec *r)
{
    size_t len[3] = { r->src ? strlen(r->src) : 0, r->dest ? strlen(r->dest) : 0,
                      r->type ? strlen(r->type) : 0 };
    journal_format(sb, r, len);
}

int journal_write(FILE *out, const struct journal_rec *r)
{
    /*
     * One line per message of the run: built in a stack array (ids and types are bounded by
     * GL_ID_MAX and GL_TYPE_MAX, so a line fits even with every byte escaped), on the heap only
     * if it did not.
     */
    char line[1024];
    struct strbuf sb;
    strbuf_fixed(&sb, line, sizeof(line));
    journal_line(&sb, r);
    if (sb.failed) {
        strbuf_init(&sb);
        journal_line(&sb, r);
    }
    int rc = file_write_strbuf(out, &sb);
    strbuf_release(&sb);
    return rc;
}

/* Message ids seen per group, to count distinct ones. */
struct ids {
    uint64_t *v;
    size_t n, cap;
};

static int ids_push(struct ids *s, uint64_t id)
{
    if (GL_GROW(s->v, s->n + 1, s->cap) != 0) return -1;
    s->v[s->n++] = id;
    return 0;
}

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

static uint64_t distinct(struct ids *s)
{
    if (s->n == 0) return 0;
    qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
    uint64_t d = 1;
    for (size_t i = 1; i < s->n; i++)
        d += s->v[i] != s->v[i - 1];
    return d;
}

/* One journal line; NULL or the reason it is bad. */
static const char *count_line(const struct jtree *t, struct net_counts *c, struct ids ids[3])
{
    const cJSON *o = t->root;
    if (!cJSON_IsObject(o)) return "a journal record must be a JSON object";
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    const cJSON *recv = cJSON_GetObjectItemCaseSensitive(o, "recv_ns");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "src");
    const cJSON *dest = cJSON_GetObjectItemCaseSensitive(o, "dest");
    int64_t mid;
    if (jtree_int(t, id, &mid) != JTREE_INT || mid < 0)
        return "\"id\" must be a non-negative integer";
    if (!cJSON_IsString(src) || !cJSON_IsString(dest))
        return "\"src\" and \"dest\" must be strings";
    bool client = journal_is_client(src->valuestring) || journal_is_client(dest->valuestring);
    struct net_count *g = client ? &c->clients : &c->servers;
    bool delivered = recv && !cJSON_IsNull(recv);
    g->send_count++;
    c->all.send_count++;
    if (delivered) {
        g->recv_count++;
        c->all.recv_count++;
    }
    if (ids_push(&ids[0], (uint64_t)mid) != 0 || ids_push(&ids[client ? 1 : 2], (uint64_t)mid) != 0)
        return "out of memory";
    return NULL;
}

struct counts_reader {
    struct net_counts *c;
    struct ids ids[3];
};

static const char *counts_line(void *ctx, const struct jtree *t)
{
    struct counts_reader *r = ctx;
    return count_line(t, r->c, r->ids);
}

int journal_parse_counts(const char *buf, size_t len, struct net_counts *c, char *err,
                         size_t errlen)
{
    memset(c, 0, sizeof(*c));
    struct counts_reader r = { c, { { 0 }, { 0 }, { 0 } } };
    struct ids *ids = r.ids;
    int rc = jsonl_each(buf, len, counts_line, &r, err, errlen);
    c->all.msg_count = distinct(&ids[0]);
    c->clients.msg_count = distinct(&ids[1]);
    c->servers.msg_count = distinct(&ids[2]);
    for (int i = 0; i < 3; i++)
        free(ids[i].v);
    return rc;
}

static int parse_counts_cb(void *c, const char *buf, size_t len, char *err, size_t errlen)
{
    return journal_parse_counts(buf, len, c, err, errlen);
}

int journal_load_counts(const char *path, struct net_counts *c, char *err, size_t errlen)
{
    return file_load(path, parse_counts_cb, c, err, errlen);
}

int net_counts_parse(const char *s, struct net_counts *c, char *err, size_t errlen)
{
    uint64_t v[9];
    int n = 0;
    const char *p = s;
    bool ok = true;
    for (;;) {
        char *end;
        if (n == 9 || *p < '0' || *p > '9') {
            ok = false;
            break;
        }
        errno = 0;
        v[n++] = strtoull(p, &end, 10);
        /* Counts are written as EDN integers (int64): larger ones are refused, not wrapped. */
        if (errno == ERANGE || v[n - 1] > (uint64_t)INT64_MAX) {
            return gl_errorf(err, errlen, "bad --net-counts '%s': %.*s is out of range (0..%lld)",
                             s, (int)(end - p), p, (long long)INT64_MAX);
        }
        p = end;
        if (*p != ',') break;
        p++;
    }
    if (!ok || *p != '\0' || (n != 3 && n != 9)) {
        return gl_errorf(err, errlen, "bad --net-counts '%s': want 3 or 9 comma-separated integers",
                         s);
    }
    struct net_count *g[3] = { &c->all, &c->clients, &c->servers };
    for (int i = 0; i < 3; i++) {
        if (n == 3) {
            g[i]->send_count = g[i]->recv_count = g[i]->msg_count = v[i];
        } else {
            g[i]->send_count = v[3 * i];
            g[i]->recv_count = v[3 * i + 1];
            g[i]->msg_count = v[3 * i + 2];
        }
    }
    return 0;
}
