/*
 * history.c: the in-memory history: an array of records plus two pools, packed integer vectors
 * and texts, so that appending a read costs no per-record allocation.
 *
 * Integer vectors (the values of reads) are packed, order and duplicates preserved exactly:
 *   - a vector that extends the previous vector of the same process (a node's read returns the
 *     values it knows in first-seen order, so each read extends the last one) is stored as a
 *     reference to that vector plus its new suffix;
 *   - the rest is a sequence of (delta, run) pairs, where `run` consecutive values each differ
 *     from the previous one by `delta` (put_pair: a zigzagged varint, and a run only when it is
 *     not one).
 * A 500-node run at rate 1000 keeps 30 000 reads of ~15 000 values: 3.6 GB unpacked. Vectors are
 * unpacked on access into a per-history scratch buffer (history_vals), base first, without
 * recursion. Whether a vector extends its process's last one: history_last.c.
 */
#include "history.h"
#include "history_int.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "edn.h"
#include "strbuf.h"

#include "banned.h"

/*
 * Buffers of history_vals(), separate from struct history so that a const history can reuse
 * them: the unpacked vector handed out and the chain of bases being unpacked.
 */
struct vals_scratch {
    int64_t *v;
    size_t cap;
    size_t *chain;
    size_t cap_chain;
};

struct history *history_new(void)
{
    struct history *h = calloc(1, sizeof(struct history));
    if (!h) return NULL;
    h->copy_max = COPY_MAX_BYTES;
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
    history_scratch_free(h->scratch);
    for (size_t i = 0; i < h->cap_last_vec; i++)
        free(h->last_vec[i].copy);
    free(h->last_vec);
    free(h);
}

/* The most bytes one value can take packed: a 10-byte delta, and 1 byte of a run of two. */
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

/*
 * One (delta, run) pair: the zigzagged delta z in a varint whose first byte holds 6 bits of it
 * and a flag, set when the run is longer than one value; then, flagged, run - 2 as a varint. A
 * read's values are mostly runs of one (first-seen order), which so take one varint and no run
 * byte (a third less memory than a varint for each), and decode at a test or two per byte.
 * Ten bytes at most for z (6 + 9 * 7 bits), so PACKED_MAX_PER_VALUE still bounds a value.
 */
static size_t put_pair(uint8_t *p, uint64_t z, uint64_t run)
{
    uint8_t flag = run > 1 ? 0x40 : 0;
    size_t k = 1;
    if (z < 0x40) {
        p[0] = (uint8_t)(z | flag);
    } else {
        p[0] = (uint8_t)(0x80 | flag | (z & 0x3f));
        for (z >>= 6; z >= 0x80; z >>= 7)
            p[k++] = (uint8_t)(z | 0x80);
        p[k++] = (uint8_t)z;
    }
    return flag ? k + put_varint(p + k, run - 2) : k;
}

/* The pair at *p (put_pair), *p moved past it. */
static uint64_t get_pair(const uint8_t **p, uint64_t *run)
{
    uint8_t b = *(*p)++;
    uint64_t z = b & 0x3f;
    bool more = (b & 0x40) != 0;
    for (unsigned shift = 6; b & 0x80; shift += 7) {
        b = *(*p)++;
        z |= (uint64_t)(b & 0x7f) << shift;
    }
    *run = more ? get_varint(p) + 2 : 1;
    return z;
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
        k += put_pair(out + k, (d << 1) ^ (0 - (d >> 63)), run);
        prev = (uint64_t)v[i + run - 1];
        i += run;
    }
    return k;
}

/*
 * Packs v[0..n) at out as two parts, v[0..nb) and v[nb..n), after the byte length of the first
 * (see vec_base); returns the bytes written. Room: n * PACKED_MAX_PER_VALUE + 2 varints.
 */
static size_t pack_parts(uint8_t *out, const int64_t *v, size_t n, size_t nb)
{
    /* The first part packed after room for the longest length, then moved up to it. */
    size_t len = pack(v, nb, out + 10);
    size_t k = put_varint(out, len);
    memmove(out + k, out + 10, len);
    k += len;
    return k + pack(v + nb, n - nb, out + k);
}

static void unpack(const uint8_t *p, size_t n, int64_t *v)
{
    uint64_t prev = 0;
    for (size_t i = 0; i < n;) {
        uint64_t run, z = get_pair(&p, &run);
        uint64_t d = (z >> 1) ^ (0 - (z & 1));
        if (run == 1) {
            prev += d;
            v[i++] = (int64_t)prev;
            continue;
        }
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

/*
 * The base of a packed vector (position + 1, 0 for none) and where its own data starts. A vector
 * stored whole that extends another (op->ext1) is packed in two parts, the values it repeats
 * then its suffix, after the byte length of the first part: *suffix gets where the second
 * starts (NULL for the others).
 */
static size_t vec_base(const struct history *h, const struct hist_op *op, const uint8_t **data,
                       const uint8_t **suffix)
{
    *data = h->packed + op->vals_off;
    size_t base = (size_t)get_varint(data);
    *suffix = NULL;
    if (!base && op->ext1) {
        size_t len = (size_t)get_varint(data);
        *suffix = *data + len;
    }
    return base;
}

/* Unpacks the values op's packed vector holds itself into out (after its base's, if any). */
static void unpack_own(const struct history *h, const struct hist_op *op, size_t done, int64_t *out)
{
    const uint8_t *data, *suffix;
    vec_base(h, op, &data, &suffix);
    if (!suffix) {
        unpack(data, op->nvals - done, out + done);
        return;
    }
    size_t nb = h->ops[op->ext1 - 1].nvals;
    unpack(data, nb, out);
    unpack(suffix, op->nvals - nb, out + nb);
}

/* Unpacks op's vector into out (op->nvals values): the chain of bases first, root to op. */
static int unpack_vec(const struct history *h, const struct hist_op *op, int64_t *out,
                      struct vals_scratch *sc)
{
    size_t depth = 0;
    const uint8_t *data, *suffix;
    for (const struct hist_op *cur = op;;) {
        if (GL_GROW(sc->chain, depth + 1, sc->cap_chain) != 0) return -1;
        sc->chain[depth++] = (size_t)(cur == op ? SIZE_MAX : (size_t)(cur - h->ops));
        size_t base = vec_base(h, cur, &data, &suffix);
        if (!base) break;
        cur = &h->ops[base - 1];
    }
    size_t done = 0;
    while (depth--) {
        const struct hist_op *cur = sc->chain[depth] == SIZE_MAX ? op : &h->ops[sc->chain[depth]];
        unpack_own(h, cur, done, out);
        done = cur->nvals;
    }
    return 0;
}

struct vals_scratch *history_scratch_new(void)
{
    return calloc(1, sizeof(struct vals_scratch));
}

void history_scratch_free(struct vals_scratch *sc)
{
    if (!sc) return;
    free(sc->v);
    free(sc->chain);
    free(sc);
}

const int64_t *history_vals(const struct history *h, const struct hist_op *op, size_t *n)
{
    return history_vals_in(h, op, n, h->scratch);
}

const int64_t *history_vals_in(const struct history *h, const struct hist_op *op, size_t *n,
                               struct vals_scratch *sc)
{
    *n = 0;
    if ((op->vkind != HV_INTS && op->vkind != HV_EDN) || !op->nvals) return NULL;
    /* Out of memory: reported as an empty vector rather than a crash. */
    if (GL_GROW(sc->v, op->nvals, sc->cap) != 0 || unpack_vec(h, op, sc->v, sc) != 0) return NULL;
    *n = op->nvals;
    return sc->v;
}

bool history_vals_suffix(const struct history *h, const struct hist_op *op, size_t *n, size_t *base,
                         const int64_t **vals)
{
    return history_vals_suffix_in(h, op, n, base, vals, h->scratch);
}

bool history_vals_suffix_in(const struct history *h, const struct hist_op *op, size_t *n,
                            size_t *base, const int64_t **vals, struct vals_scratch *sc)
{
    if (!op->ext1 || (op->vkind != HV_INTS && op->vkind != HV_EDN) || !op->nvals) {
        *vals = history_vals_in(h, op, n, sc);
        return false;
    }
    const uint8_t *data, *suffix;
    vec_base(h, op, &data, &suffix);
    size_t nb = h->ops[op->ext1 - 1].nvals, k = op->nvals - nb;
    *n = 0;
    *vals = NULL;
    *base = op->ext1 - 1;
    if (k == 0) return true;
    if (GL_GROW(sc->v, k, sc->cap) != 0) return true; /* out of memory: reported as empty */
    unpack(suffix ? suffix : data, k, sc->v);
    *n = k;
    *vals = sc->v;
    return true;
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

/* Copies s into the text pool; *off = HIST_NONE for NULL. */
static int put_text(struct history *h, const char *s, size_t *off)
{
    if (!s) {
        *off = HIST_NONE;
        return 0;
    }
    size_t len = strlen(s) + 1;
    if (GL_GROW(h->text, h->ntext + len, h->cap_text) != 0) return -1;
    memcpy(h->text + h->ntext, s, len);
    *off = h->ntext;
    h->ntext += len;
    return 0;
}

int history_push(struct history *h, const struct hist_op *op, const int64_t *vals, size_t nvals,
                 const char *text, const char *f_name, const char *error, const char *exception,
                 const char *exc_class)
{
    if (GL_GROW(h->ops, h->n + 1, h->cap) != 0) return -1;
    struct hist_op o = *op;
    if (o.index < 0) o.index = (int64_t)h->n;
    o.vals_off = h->npacked;
    o.nvals = 0;
    o.ext1 = 0;
    uint32_t depth = 0;
    struct probe pr = { { 0, 0 }, 0 };
    if ((o.vkind == HV_INTS || o.vkind == HV_EDN) && nvals) {
        if (nvals > SIZE_MAX / PACKED_MAX_PER_VALUE - 2 ||
            GL_GROW(h->packed, h->npacked + (nvals + 2) * PACKED_MAX_PER_VALUE, h->cap_packed) != 0)
            return -1;
        size_t base;
        o.ext1 = history_find_base(h, o.process, vals, nvals, &base, &depth, &pr);
        size_t skip = base ? h->ops[base - 1].nvals : 0;
        h->npacked += put_varint(h->packed + h->npacked, base);
        if (o.ext1 && !base)
            h->npacked += pack_parts(h->packed + h->npacked, vals, nvals, h->ops[o.ext1 - 1].nvals);
        else
            h->npacked += pack(vals + skip, nvals - skip, h->packed + h->npacked);
        o.nvals = nvals;
    }
    if (put_text(h, o.vkind == HV_EDN ? (text ? text : "nil") : NULL, &o.text_off) != 0 ||
        put_text(h, o.f == HF_OTHER ? (f_name ? f_name : "unknown") : NULL, &o.f_name_off) != 0 ||
        put_text(h, error, &o.error_off) != 0 || put_text(h, exception, &o.exc_off) != 0 ||
        put_text(h, exc_class, &o.exc_class_off) != 0)
        return -1;
    if (o.nvals) history_note_last(h, o.process, h->n, depth, vals, nvals, o.ext1 != 0, &pr);
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

/*
 * Text handed to the appenders as EDN text, made safe to embed in a record: a bare word becomes
 * a keyword (when asked), exactly one EDN form (no comment, no discard) its compact print, and
 * anything else an EDN string. A partition description "n0:n19;n1:n19" is not one form (the ';'
 * would start a comment that swallows the rest of the record), so it is kept as a string.
 */
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
    return edn_text_or_string(text, len);
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
