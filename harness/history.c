/*
 * history.c: the in-memory history: an array of records plus two pools, packed integer vectors
 * and texts, so that appending a read costs no per-record allocation.
 *
 * Integer vectors (the values of reads) are packed: each is a sequence of (delta, run) pairs,
 * zigzag varints, where `run` consecutive values each differ from the previous one by `delta`.
 * A node's read returns the values it knows in first-seen order, mostly consecutive, so a read
 * of 0..14999 takes a few bytes instead of 120 KB, order and duplicates preserved exactly: a
 * 500-node run at rate 1000 keeps 30 000 such reads, which took 3.6 GB unpacked. Vectors are
 * unpacked on access into a per-history scratch buffer (history_vals).
 */
#include "history.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "edn.h"

/* Unpacked vectors handed out by history_vals(); separate so a const history can reuse it. */
struct vals_scratch {
    int64_t *v;
    size_t cap;
};

struct history {
    struct hist_op *ops;
    size_t n, cap;
    uint8_t *packed;
    size_t npacked, cap_packed;
    char *text;
    size_t ntext, cap_text;
    struct vals_scratch *scratch;
};

struct history *history_new(void)
{
    struct history *h = calloc(1, sizeof(struct history));
    if (!h) return NULL;
    h->scratch = calloc(1, sizeof(*h->scratch));
    if (!h->scratch) {
        free(h);
        return NULL;
    }
    return h;
}

void history_free(struct history *h)
{
    if (!h) return;
    free(h->ops);
    free(h->packed);
    free(h->text);
    free(h->scratch->v);
    free(h->scratch);
    free(h);
}

/* The most bytes one value can take packed: a 10-byte delta and a 1-byte run. */
#define PACKED_MAX_PER_VALUE 11

static size_t put_varint(uint8_t *p, uint64_t x)
{
    size_t k = 0;
    while (x >= 0x80) {
        p[k++] = (uint8_t)(x | 0x80);
        x >>= 7;
    }
    p[k++] = (uint8_t)x;
    return k;
}

static uint64_t get_varint(const uint8_t **p)
{
    uint64_t x = 0;
    for (unsigned shift = 0;; shift += 7) {
        uint8_t b = *(*p)++;
        x |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) return x;
    }
}

/* Packs v[0..n) at out; returns the bytes written (at most n * PACKED_MAX_PER_VALUE). */
static size_t pack(const int64_t *v, size_t n, uint8_t *out)
{
    size_t k = 0;
    uint64_t prev = 0;
    for (size_t i = 0; i < n;) {
        /* Deltas in two's complement, zigzagged so small negative ones stay short. */
        uint64_t d = (uint64_t)v[i] - prev;
        size_t run = 1;
        while (i + run < n && (uint64_t)v[i + run] - (uint64_t)v[i + run - 1] == d)
            run++;
        k += put_varint(out + k, (d << 1) ^ (0 - (d >> 63)));
        k += put_varint(out + k, run);
        prev = (uint64_t)v[i + run - 1];
        i += run;
    }
    return k;
}

static void unpack(const uint8_t *p, size_t n, int64_t *v)
{
    uint64_t prev = 0;
    for (size_t i = 0; i < n;) {
        uint64_t z = get_varint(&p);
        uint64_t d = (z >> 1) ^ (0 - (z & 1));
        uint64_t run = get_varint(&p);
        for (uint64_t r = 0; r < run && i < n; r++) {
            prev += d;
            v[i++] = (int64_t)prev;
        }
    }
}

size_t history_len(const struct history *h)
{
    return h->n;
}

const struct hist_op *history_op(const struct history *h, size_t i)
{
    assert(i < h->n);
    return &h->ops[i];
}

const int64_t *history_vals(const struct history *h, const struct hist_op *op, size_t *n)
{
    if (op->vkind != HV_INTS && op->vkind != HV_EDN) {
        *n = 0;
        return NULL;
    }
    *n = op->nvals;
    if (!op->nvals) return NULL;
    struct vals_scratch *sc = h->scratch;
    if (sc->cap < op->nvals) {
        int64_t *v = realloc(sc->v, op->nvals * sizeof(*v));
        if (!v) {
            *n = 0; /* out of memory: reported as an empty vector rather than a crash */
            return NULL;
        }
        sc->v = v;
        sc->cap = op->nvals;
    }
    unpack(h->packed + op->vals_off, op->nvals, sc->v);
    return sc->v;
}

size_t history_packed_bytes(const struct history *h)
{
    return h->npacked;
}

const char *history_text(const struct history *h, size_t off)
{
    return off == HIST_NONE ? NULL : h->text + off;
}

const char *history_f_name(const struct history *h, const struct hist_op *op)
{
    switch (op->f) {
    case HF_BROADCAST:
        return "broadcast";
    case HF_READ:
        return "read";
    case HF_START_PARTITION:
        return "start-partition";
    case HF_STOP_PARTITION:
        return "stop-partition";
    case HF_OTHER:
        break;
    }
    const char *name = history_text(h, op->f_name_off);
    return name ? name : "unknown";
}

const char *hist_type_name(enum hist_type t)
{
    switch (t) {
    case HT_INVOKE:
        return "invoke";
    case HT_OK:
        return "ok";
    case HT_FAIL:
        return "fail";
    case HT_INFO:
        return "info";
    }
    return "info";
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size) return -1;
        ncap *= 2;
    }
    void *np = realloc(*p, ncap * size);
    if (!np) return -1;
    *p = np;
    *cap = ncap;
    return 0;
}

/* Copies s into the text pool; *off = HIST_NONE for NULL. */
static int put_text(struct history *h, const char *s, size_t *off)
{
    if (!s) {
        *off = HIST_NONE;
        return 0;
    }
    size_t len = strlen(s) + 1;
    if (grow((void **)&h->text, &h->cap_text, h->ntext + len, 1) != 0) return -1;
    memcpy(h->text + h->ntext, s, len);
    *off = h->ntext;
    h->ntext += len;
    return 0;
}

int history_push(struct history *h, const struct hist_op *op, const int64_t *vals, size_t nvals,
                 const char *text, const char *f_name, const char *error, const char *exception,
                 const char *exc_class)
{
    if (grow((void **)&h->ops, &h->cap, h->n + 1, sizeof(*h->ops)) != 0) return -1;
    struct hist_op o = *op;
    if (o.index < 0) o.index = (int64_t)h->n;
    o.vals_off = h->npacked;
    o.nvals = 0;
    if ((o.vkind == HV_INTS || o.vkind == HV_EDN) && nvals) {
        if (nvals > SIZE_MAX / PACKED_MAX_PER_VALUE ||
            grow((void **)&h->packed, &h->cap_packed, h->npacked + nvals * PACKED_MAX_PER_VALUE,
                 1) != 0)
            return -1;
        h->npacked += pack(vals, nvals, h->packed + h->npacked);
        o.nvals = nvals;
    }
    if (put_text(h, o.vkind == HV_EDN ? (text ? text : "nil") : NULL, &o.text_off) != 0 ||
        put_text(h, o.f == HF_OTHER ? (f_name ? f_name : "unknown") : NULL, &o.f_name_off) != 0 ||
        put_text(h, error, &o.error_off) != 0 || put_text(h, exception, &o.exc_off) != 0 ||
        put_text(h, exc_class, &o.exc_class_off) != 0)
        return -1;
    h->ops[h->n++] = o;
    return 0;
}

int history_attach_exception(struct history *h, size_t i, const char *exception,
                             const char *exc_class)
{
    assert(i < h->n);
    size_t exc_off, cls_off;
    if (put_text(h, exception, &exc_off) != 0 || put_text(h, exc_class, &cls_off) != 0) return -1;
    h->ops[i].exc_off = exc_off;
    h->ops[i].exc_class_off = cls_off;
    return 0;
}

int history_copy_op(struct history *h, const struct history *from, size_t i)
{
    assert(h != from); /* the pools may move while the copy is pushed */
    const struct hist_op *op = history_op(from, i);
    size_t n;
    const int64_t *vals = history_vals(from, op, &n);
    return history_push(h, op, vals, n, history_text(from, op->text_off),
                        history_text(from, op->f_name_off), history_text(from, op->error_off),
                        history_text(from, op->exc_off), history_text(from, op->exc_class_off));
}

static struct hist_op blank_op(int64_t process, enum hist_type type, enum hist_f f, time_us t_us)
{
    struct hist_op o;
    memset(&o, 0, sizeof(o));
    o.index = -1;
    o.time_ns = (int64_t)(t_us * 1000u);
    o.process = process;
    o.type = type;
    o.f = f;
    o.vkind = HV_NIL;
    return o;
}

int history_invoke(struct history *h, int64_t process, enum hist_f f, bool has_value, int64_t value,
                   bool final, time_us t_us)
{
    struct hist_op o = blank_op(process, HT_INVOKE, f, t_us);
    if (has_value) {
        o.vkind = HV_INT;
        o.value = value;
    }
    o.final = final;
    return history_push(h, &o, NULL, 0, NULL, NULL, NULL, NULL, NULL);
}

/* EDN text as given when it is exactly one EDN form; else the text as an EDN string. */
static char *as_edn(const char *text, bool bare_word_is_keyword)
{
    if (!text) return NULL;
    size_t len = strlen(text);
    bool word = len > 0 && isalpha((unsigned char)text[0]);
    for (size_t i = 0; word && i < len; i++)
        word = isalnum((unsigned char)text[i]) || strchr("-_?!*.+", text[i]);
    if (word && bare_word_is_keyword) {
        char *s = malloc(len + 2);
        if (s) {
            s[0] = ':';
            memcpy(s + 1, text, len + 1);
        }
        return s;
    }
    if (edn_is_one_form(text, len)) return strdup(text);
    return edn_quote(text, len);
}

int history_complete(struct history *h, int64_t process, enum hist_type type, enum hist_f f,
                     bool has_value, int64_t value, const struct msg_values *vals, bool final,
                     const char *error, time_us t_us)
{
    struct hist_op o = blank_op(process, type, f, t_us);
    o.final = final;
    if (vals) {
        o.vkind = HV_INTS;
    } else if (has_value) {
        o.vkind = HV_INT;
        o.value = value;
    }
    char *err_edn = as_edn(error, false);
    if (error && !err_edn) return -1;
    int rc = history_push(h, &o, vals ? vals->v : NULL, vals ? vals->n : 0, NULL, NULL, err_edn,
                          NULL, NULL);
    free(err_edn);
    return rc;
}

int history_nemesis(struct history *h, bool start, const char *value, const char *result,
                    time_us t_us)
{
    enum hist_f f = start ? HF_START_PARTITION : HF_STOP_PARTITION;
    const char *texts[2] = { value, result };
    for (int k = 0; k < 2; k++) {
        struct hist_op o = blank_op(HIST_NEMESIS, HT_INFO, f, t_us);
        char *edn = as_edn(texts[k], true);
        if (texts[k] && !edn) return -1;
        o.vkind = edn ? HV_EDN : HV_NIL;
        int rc = history_push(h, &o, NULL, 0, edn, NULL, NULL, NULL, NULL);
        free(edn);
        if (rc != 0) return -1;
    }
    return 0;
}
