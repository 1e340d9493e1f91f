/*
 * history.c: the in-memory history: an array of records plus two pools (integers and texts) so
 * that appending a read of 1000 values is one memcpy and no per-record allocation.
 */
#include "history.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "edn.h"

struct history {
    struct hist_op *ops;
    size_t n, cap;
    int64_t *vals;
    size_t nvals, cap_vals;
    char *text;
    size_t ntext, cap_text;
};

struct history *history_new(void)
{
    return calloc(1, sizeof(struct history));
}

void history_free(struct history *h)
{
    if (!h) return;
    free(h->ops);
    free(h->vals);
    free(h->text);
    free(h);
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
    return op->nvals ? h->vals + op->vals_off : NULL;
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
    o.vals_off = h->nvals;
    o.nvals = 0;
    if ((o.vkind == HV_INTS || o.vkind == HV_EDN) && nvals) {
        if (grow((void **)&h->vals, &h->cap_vals, h->nvals + nvals, sizeof(*h->vals)) != 0)
            return -1;
        memcpy(h->vals + h->nvals, vals, nvals * sizeof(*vals));
        h->nvals += nvals;
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
