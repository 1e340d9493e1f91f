/*
 * journal_writer.c: journal.jsonl written on a thread beside the run (journal.h). Two sides:
 *   - the run's (journal_writer_add): a record per message into the chunk being filled, its
 *     names (src, dest, type) as indices into the names seen so far; a full chunk goes to the
 *     thread's queue, and a name seen for the first time goes with it, in the chunk's `defs`;
 *   - the thread's (writer_main): takes the chunks in order, learns their new names and writes
 *     each record as journal_format's line.
 * The sides share only the queue, the spare chunks and the flags under `mu`: a chunk belongs to
 * the run until it is queued and to the thread until it is given back, and each side has its
 * own table of names, so nothing else needs a lock. The lines come out in the order of the
 * records whatever the threads' timing: the file is the same bytes as journal_write()'s.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "journal.h"
#include "strbuf.h"

#include "banned.h"

/* A message as the run recorded it: name[] are src, dest and type as indices of names. */
struct jrec {
    uint64_t id;
    int64_t send_ns, recv_ns;
    uint32_t name[3];
};

struct chunk {
    struct jrec rec[JOURNAL_CHUNK_RECS];
    size_t n;
    struct strbuf defs; /* the names first used in these records, each NUL-terminated, in order */
    struct chunk *next;
};

/* A table of names: name i is text.buf + off[i], len[i] bytes and a NUL. */
struct names {
    struct strbuf text;
    size_t *off;
    uint32_t *len;
    size_t n, cap_off, cap_len;
};

/* Recording's shortcut: a key (an endpoint's index, a type's number) to its name's index + 1. */
struct key_cache {
    uint32_t *idx1;
    size_t cap;
};

/* Keys from this one on are not cached (they are looked up by their names). */
#define KEY_CACHE_MAX (1u << 20)
#define NO_NAME       UINT32_MAX

struct journal_writer {
    FILE *f;
    /* The run's side. */
    struct chunk *cur; /* being filled, or NULL */
    struct names seen; /* every name recorded, by index */
    uint32_t *slot;    /* open addressing over seen: index + 1, 0 empty */
    size_t cap_slot;   /* a power of two, at least twice seen.n */
    struct key_cache ends, types;
    bool dropped; /* out of memory, or the thread failed: records are dropped */
    /* Shared, under mu. */
    pthread_mutex_t mu;
    pthread_cond_t work, room;
    struct chunk *q_head, *q_tail; /* full chunks for the thread, in order */
    struct chunk *spare;           /* written chunks, to fill again */
    size_t n_chunks;               /* chunks allocated */
    bool closing;                  /* no chunk will be queued any more */
    bool failed;                   /* a write failed */
    bool threaded;
    pthread_t thread;
    /* The thread's side (the run's when there is no thread). */
    struct names known; /* the names learnt from the chunks' defs */
    struct strbuf out;
    bool write_failed;
};

static void names_release(struct names *t)
{
    strbuf_release(&t->text);
    free(t->off);
    free(t->len);
}

/* Appends s (len bytes) as the next name; -1 when memory runs out. */
static int names_add(struct names *t, const char *s, size_t len)
{
    if (t->n >= NO_NAME - 1 || GL_GROW(t->off, t->n + 1, t->cap_off) != 0 ||
        GL_GROW(t->len, t->n + 1, t->cap_len) != 0)
        return -1;
    t->off[t->n] = t->text.len;
    strbuf_add(&t->text, s, len + 1);
    if (t->text.failed) return -1;
    t->len[t->n++] = (uint32_t)len;
    return 0;
}

static const char *name_at(const struct names *t, uint32_t i)
{
    return t->text.buf + t->off[i];
}

/* ---- the thread's side ------------------------------------------------------------------- */

static void out_flush(struct journal_writer *jw)
{
    if (!jw->write_failed && file_write_strbuf(jw->f, &jw->out) != 0) jw->write_failed = true;
    strbuf_reset(&jw->out);
}

/* Learns c's new names, then writes its records' lines. */
static void write_chunk(struct journal_writer *jw, const struct chunk *c)
{
    for (size_t at = 0; at < c->defs.len;) {
        const char *s = c->defs.buf + at;
        size_t len = strlen(s);
        if (names_add(&jw->known, s, len) != 0) jw->write_failed = true;
        at += len + 1;
    }
    if (jw->write_failed) return;
    const struct names *k = &jw->known;
    for (size_t i = 0; i < c->n; i++) {
        const struct jrec *x = &c->rec[i];
        struct journal_rec r = { x->id,
                                 x->send_ns,
                                 x->recv_ns,
                                 name_at(k, x->name[0]),
                                 name_at(k, x->name[1]),
                                 name_at(k, x->name[2]) };
        size_t len[3] = { k->len[x->name[0]], k->len[x->name[1]], k->len[x->name[2]] };
        journal_format(&jw->out, &r, len);
        if (jw->out.len >= JOURNAL_CHUNK) out_flush(jw);
    }
}

static void *writer_main(void *arg)
{
    struct journal_writer *jw = arg;
    pthread_mutex_lock(&jw->mu);
    for (;;) {
        while (!jw->q_head && !jw->closing)
            pthread_cond_wait(&jw->work, &jw->mu);
        struct chunk *c = jw->q_head;
        if (!c) break;
        jw->q_head = c->next;
        if (!jw->q_head) jw->q_tail = NULL;
        pthread_mutex_unlock(&jw->mu);
        write_chunk(jw, c);
        pthread_mutex_lock(&jw->mu);
        jw->failed = jw->write_failed;
        c->next = jw->spare;
        jw->spare = c;
        pthread_cond_signal(&jw->room);
    }
    pthread_mutex_unlock(&jw->mu);
    out_flush(jw);
    return NULL;
}

/* ---- the run's side ---------------------------------------------------------------------- */

/* A chunk to fill: a spare one, a new one while fewer than JOURNAL_CHUNKS exist, or the first
 * the thread gives back. NULL when memory ran out or a write failed. */
static struct chunk *take_chunk(struct journal_writer *jw)
{
    struct chunk *c = NULL;
    pthread_mutex_lock(&jw->mu);
    while (!jw->failed && !jw->spare && jw->n_chunks >= JOURNAL_CHUNKS)
        pthread_cond_wait(&jw->room, &jw->mu);
    if (!jw->failed && jw->spare) {
        c = jw->spare;
        jw->spare = c->next;
    } else if (!jw->failed && (c = malloc(sizeof(*c))) != NULL) {
        strbuf_init(&c->defs);
        jw->n_chunks++;
    }
    pthread_mutex_unlock(&jw->mu);
    if (c) {
        c->n = 0;
        c->next = NULL;
        strbuf_reset(&c->defs);
    }
    return c;
}

/* Gives the chunk being filled to the thread (or writes it, without one). */
static void hand_over(struct journal_writer *jw)
{
    struct chunk *c = jw->cur;
    jw->cur = NULL;
    if (!jw->threaded) {
        write_chunk(jw, c);
        jw->failed = jw->write_failed;
        c->next = jw->spare;
        jw->spare = c;
        return;
    }
    pthread_mutex_lock(&jw->mu);
    if (jw->q_tail)
        jw->q_tail->next = c;
    else
        jw->q_head = c;
    jw->q_tail = c;
    pthread_cond_signal(&jw->work);
    pthread_mutex_unlock(&jw->mu);
}

static uint32_t hash_name(const char *s, size_t *len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    size_t i = 0;
    for (; s[i]; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    *len = i;
    return h;
}

/* Doubles the hash table (at least 64 slots); -1 when memory runs out. */
static int slots_grow(struct journal_writer *jw)
{
    size_t cap = jw->cap_slot ? 2 * jw->cap_slot : 64;
    uint32_t *slot = calloc(cap, sizeof(*slot));
    if (!slot) return -1;
    for (uint32_t i = 0; i < jw->seen.n; i++) {
        size_t len;
        size_t k = hash_name(name_at(&jw->seen, i), &len) & (cap - 1);
        while (slot[k])
            k = (k + 1) & (cap - 1);
        slot[k] = i + 1;
    }
    free(jw->slot);
    jw->slot = slot;
    jw->cap_slot = cap;
    return 0;
}

/* s's index among the names seen, added (to the table and the current chunk's defs) if new. */
static uint32_t lookup(struct journal_writer *jw, const char *s)
{
    if (2 * (jw->seen.n + 1) > jw->cap_slot && slots_grow(jw) != 0) return NO_NAME;
    size_t len;
    size_t k = hash_name(s, &len) & (jw->cap_slot - 1);
    for (; jw->slot[k]; k = (k + 1) & (jw->cap_slot - 1)) {
        uint32_t i = jw->slot[k] - 1;
        if (jw->seen.len[i] == len && memcmp(name_at(&jw->seen, i), s, len) == 0) return i;
    }
    uint32_t i = (uint32_t)jw->seen.n;
    if (names_add(&jw->seen, s, len) != 0) return NO_NAME;
    strbuf_add(&jw->cur->defs, s, len + 1);
    if (jw->cur->defs.failed) return NO_NAME;
    jw->slot[k] = i + 1;
    return i;
}

/* s's index, found by its key when the key's last name is s. */
static uint32_t intern(struct journal_writer *jw, struct key_cache *kc, uint32_t key, const char *s)
{
    if (!s) s = "";
    if (key < kc->cap && kc->idx1[key] && strcmp(name_at(&jw->seen, kc->idx1[key] - 1), s) == 0)
        return kc->idx1[key] - 1;
    uint32_t i = lookup(jw, s);
    if (i == NO_NAME || key >= KEY_CACHE_MAX) return i;
    if (key >= kc->cap) {
        size_t old = kc->cap;
        if (GL_GROW(kc->idx1, (size_t)key + 1, kc->cap) != 0) return i; /* no shortcut, no harm */
        memset(kc->idx1 + old, 0, (kc->cap - old) * sizeof(*kc->idx1));
    }
    kc->idx1[key] = i + 1;
    return i;
}

struct journal_writer *journal_writer_new(FILE *f)
{
    struct journal_writer *jw = calloc(1, sizeof(*jw));
    if (!jw) return NULL;
    jw->f = f;
    strbuf_init(&jw->seen.text);
    strbuf_init(&jw->known.text);
    strbuf_init(&jw->out);
    pthread_mutex_init(&jw->mu, NULL);
    pthread_cond_init(&jw->work, NULL);
    pthread_cond_init(&jw->room, NULL);
    jw->threaded = f && pthread_create(&jw->thread, NULL, writer_main, jw) == 0;
    return jw;
}

void journal_writer_add(struct journal_writer *jw, const struct journal_rec *r,
                        const struct journal_keys *keys)
{
    if (!jw->f || jw->dropped) return;
    if (!jw->cur && !(jw->cur = take_chunk(jw))) {
        jw->dropped = true;
        return;
    }
    const struct journal_keys none = { JOURNAL_NO_KEY, JOURNAL_NO_KEY, JOURNAL_NO_KEY };
    if (!keys) keys = &none;
    struct jrec *x = &jw->cur->rec[jw->cur->n];
    x->id = r->id;
    x->send_ns = r->send_ns;
    x->recv_ns = r->recv_ns;
    x->name[0] = intern(jw, &jw->ends, keys->src, r->src);
    x->name[1] = intern(jw, &jw->ends, keys->dest, r->dest);
    x->name[2] = intern(jw, &jw->types, keys->type, r->type);
    if (x->name[0] == NO_NAME || x->name[1] == NO_NAME || x->name[2] == NO_NAME) {
        jw->dropped = true;
        return;
    }
    if (++jw->cur->n == JOURNAL_CHUNK_RECS) hand_over(jw);
}

int journal_writer_finish(struct journal_writer *jw)
{
    if (!jw) return 0;
    struct chunk *c = jw->cur;
    if (c && !jw->dropped && c->n) {
        hand_over(jw);
    } else if (c) { /* empty, or dropped: never queued */
        strbuf_release(&c->defs);
        free(c);
    }
    if (jw->threaded) {
        pthread_mutex_lock(&jw->mu);
        jw->closing = true;
        pthread_cond_signal(&jw->work);
        pthread_mutex_unlock(&jw->mu);
        pthread_join(jw->thread, NULL);
    } else if (jw->f) {
        out_flush(jw);
    }
    int rc = jw->write_failed || jw->dropped ? -1 : 0;
    for (struct chunk *next; (c = jw->spare) != NULL; jw->spare = next) {
        next = c->next;
        strbuf_release(&c->defs);
        free(c);
    }
    names_release(&jw->seen);
    names_release(&jw->known);
    strbuf_release(&jw->out);
    free(jw->slot);
    free(jw->ends.idx1);
    free(jw->types.idx1);
    pthread_mutex_destroy(&jw->mu);
    pthread_cond_destroy(&jw->work);
    pthread_cond_destroy(&jw->room);
    free(jw);
    return rc;
}
