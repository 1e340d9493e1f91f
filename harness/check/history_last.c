/*
 * history_last.c: each process's last integer vector (history_int.h), to see whether its next
 * one extends it: a copy of its values, or their fingerprint once the copies take too much.
 */
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "history_int.h"
#include "strbuf.h"

#include "banned.h"

/* The positions' keys of the two sums (position i's are (i + 1) times these) and their
 * multipliers. */
#define FP_KEY_A 0x9e3779b97f4a7c15u
#define FP_KEY_B 0xd6e8feb86659fd93u
#define FP_MUL_A 0xa0761d6478bd642fu
#define FP_MUL_B 0xe7037ed1a0b428dbu

__extension__ typedef unsigned __int128 fp_u128;

/* x times m as 128 bits, the high half folded onto the low one (wyhash's mum). */
static inline uint64_t fp_mix(uint64_t x, uint64_t m)
{
    fp_u128 p = (fp_u128)x * m;
    return (uint64_t)p ^ (uint64_t)(p >> 64);
}

/* Extends fingerprint f of a vector's first `at` values over its next ones, v[0..n). */
static struct fingerprint fp_extend(struct fingerprint f, size_t at, const int64_t *v, size_t n)
{
    uint64_t ka = (uint64_t)at * FP_KEY_A, kb = (uint64_t)at * FP_KEY_B;
    for (size_t i = 0; i < n; i++) {
        ka += FP_KEY_A;
        kb += FP_KEY_B;
        f.a += fp_mix((uint64_t)v[i] ^ ka, FP_MUL_A);
        f.b += fp_mix((uint64_t)v[i] + kb, FP_MUL_B);
    }
    return f;
}

size_t history_find_base(struct history *h, int64_t process, const int64_t *vals, size_t n,
                         size_t *stored_base, uint32_t *depth, struct probe *pr)
{
    const struct fingerprint zero = { 0, 0 };
    *depth = 0;
    *stored_base = 0;
    pr->fp = zero;
    pr->fp_n = 0;
    if (process < 0 || process >= (int64_t)BASE_MAX_PROCESS || (size_t)process >= h->cap_last_vec ||
        !h->last_vec[process].pos1)
        return 0;
    const struct last_vec *last = &h->last_vec[process];
    size_t nb = h->ops[last->pos1 - 1].nvals;
    if (nb > n) return 0;
    if (last->copy) {
        if (memcmp(last->copy, vals, nb * sizeof(*vals)) != 0) return 0;
    } else {
        pr->fp = fp_extend(zero, 0, vals, nb);
        pr->fp_n = nb;
        if (pr->fp.a != last->fp.a || pr->fp.b != last->fp.b) return 0;
    }
    if (last->depth + 1 < BASE_MAX_CHAIN) {
        *depth = last->depth + 1;
        *stored_base = last->pos1;
    }
    return last->pos1;
}

/*
 * Keeps vals[0..n) as l's copy, of which the first `have` values are there already; false when
 * the copies would take more than h->copy_max (or out of memory): l has no copy then.
 */
static bool keep_copy(struct history *h, struct last_vec *l, const int64_t *vals, size_t n,
                      size_t have)
{
    if (n > l->copy_cap) {
        size_t cap = l->copy_cap, old = cap;
        bool fits = n <= h->copy_max / 2 / sizeof(*vals) &&
                    h->copy_bytes - old * sizeof(*vals) + 2 * n * sizeof(*vals) <= h->copy_max;
        if (!fits || GL_GROW(l->copy, n, cap) != 0) {
            free(l->copy);
            h->copy_bytes -= old * sizeof(*vals);
            l->copy = NULL;
            l->copy_cap = 0;
            return false;
        }
        h->copy_bytes += (cap - old) * sizeof(*vals);
        l->copy_cap = cap;
    }
    memcpy(l->copy + have, vals + have, (n - have) * sizeof(*vals));
    return true;
}

void history_note_last(struct history *h, int64_t process, size_t pos, uint32_t depth,
                       const int64_t *vals, size_t n, bool ext, const struct probe *pr)
{
    if (process < 0 || process >= (int64_t)BASE_MAX_PROCESS) return;
    size_t need = (size_t)process + 1;
    if (need > h->cap_last_vec) {
        size_t old = h->cap_last_vec;
        /* Out of memory is only a lost chance to share: never an error. */
        if (GL_GROW(h->last_vec, need, h->cap_last_vec) != 0) return;
        memset(h->last_vec + old, 0, (h->cap_last_vec - old) * sizeof(*h->last_vec));
    }
    struct last_vec *l = &h->last_vec[process];
    size_t have = ext && l->copy ? h->ops[l->pos1 - 1].nvals : 0;
    l->pos1 = pos + 1;
    l->depth = depth;
    if (keep_copy(h, l, vals, n, have)) return;
    const struct fingerprint zero = { 0, 0 };
    struct fingerprint f = pr->fp_n ? pr->fp : zero;
    l->fp = fp_extend(f, pr->fp_n, vals + pr->fp_n, n - pr->fp_n);
}

void history_set_copy_max(struct history *h, size_t bytes)
{
    h->copy_max = bytes;
}
