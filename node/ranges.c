/*
 * ranges: interval sets (see ranges.h). Adding is a binary search plus one memmove, O(log n + n)
 * in the worst case and O(log n) when values arrive near the end, as Maelstrom's do. Every
 * comparison with lo - 1 or hi + 1 is written so it cannot overflow at the ends of int64.
 */
#include "ranges.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#include "banned.h"

void ranges_init(struct ranges *r)
{
    r->v = NULL;
    r->n = r->cap = 0;
}

void ranges_release(struct ranges *r)
{
    free(r->v);
    ranges_init(r);
}

void ranges_clear(struct ranges *r)
{
    r->n = 0;
}

/* Whether an interval ending at hi touches or overlaps a value lo (hi + 1 >= lo). */
static bool reaches(int64_t hi, int64_t lo)
{
    return hi == INT64_MAX || hi + 1 >= lo;
}

/* The first interval whose end reaches lo (hi + 1 >= lo); n when none. */
static size_t first_reaching(const struct ranges *r, int64_t lo)
{
    size_t a = 0, b = r->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (reaches(r->v[2 * m + 1], lo))
            b = m;
        else
            a = m + 1;
    }
    return a;
}

int ranges_add_range(struct ranges *r, int64_t lo, int64_t hi)
{
    assert(lo <= hi);
    size_t i = first_reaching(r, lo); /* intervals before i end below lo - 1 */
    size_t j = i;                     /* intervals i .. j-1 touch [lo, hi] */
    while (j < r->n && reaches(hi, r->v[2 * j]))
        j++;
    if (i == j) { /* nothing touched: insert at i */
        if (GL_GROW(r->v, 2 * (r->n + 1), r->cap) != 0) return -1;
        memmove(r->v + 2 * (i + 1), r->v + 2 * i, 2 * (r->n - i) * sizeof(*r->v));
        r->v[2 * i] = lo;
        r->v[2 * i + 1] = hi;
        r->n++;
        return 0;
    }
    int64_t nlo = r->v[2 * i] < lo ? r->v[2 * i] : lo;
    int64_t nhi = r->v[2 * (j - 1) + 1] > hi ? r->v[2 * (j - 1) + 1] : hi;
    r->v[2 * i] = nlo;
    r->v[2 * i + 1] = nhi;
    memmove(r->v + 2 * (i + 1), r->v + 2 * j, 2 * (r->n - j) * sizeof(*r->v));
    r->n -= j - i - 1;
    return 0;
}

bool ranges_contains(const struct ranges *r, int64_t v)
{
    size_t a = 0, b = r->n; /* the first interval with hi >= v */
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (r->v[2 * m + 1] >= v)
            b = m;
        else
            a = m + 1;
    }
    return a < r->n && r->v[2 * a] <= v;
}

int ranges_add(struct ranges *r, int64_t v)
{
    if (ranges_contains(r, v)) return 0;
    return ranges_add_range(r, v, v) == 0 ? 1 : -1;
}

void ranges_drop_below(struct ranges *r, int64_t v)
{
    size_t k = 0;
    while (k < r->n && r->v[2 * k + 1] < v)
        k++;
    if (k > 0) memmove(r->v, r->v + 2 * k, 2 * (r->n - k) * sizeof(*r->v));
    r->n -= k;
    if (r->n > 0 && r->v[0] < v) r->v[0] = v;
}

bool ranges_valid(const int64_t *v, size_t n_entries)
{
    if (n_entries % 2) return false;
    for (size_t i = 0; i < n_entries; i += 2) {
        if (v[i] > v[i + 1]) return false;
        if (i > 0 && v[i] <= v[i - 1]) return false;
    }
    return true;
}

int ranges_subtract(const int64_t *a, size_t na, const int64_t *b, size_t nb, int64_t upto,
                    struct ranges *out)
{
    ranges_clear(out);
    size_t j = 0;
    for (size_t i = 0; i < na && a[2 * i] <= upto; i++) {
        int64_t lo = a[2 * i], hi = a[2 * i + 1] < upto ? a[2 * i + 1] : upto;
        while (j < nb && b[2 * j + 1] < lo) /* b's intervals wholly before lo */
            j++;
        bool covered = false; /* the rest of [lo, hi] lies in b */
        for (size_t k = j; k < nb && b[2 * k] <= hi; k++) {
            if (b[2 * k] > lo && ranges_add_range(out, lo, b[2 * k] - 1) != 0) return -1;
            if (b[2 * k + 1] >= hi) {
                covered = true;
                break;
            }
            lo = b[2 * k + 1] + 1; /* < hi + 1: no overflow */
        }
        if (!covered && ranges_add_range(out, lo, hi) != 0) return -1;
    }
    return 0;
}

size_t ranges_count(const struct ranges *r)
{
    size_t c = 0;
    for (size_t i = 0; i < r->n; i++) {
        uint64_t span = (uint64_t)r->v[2 * i + 1] - (uint64_t)r->v[2 * i] + 1;
        if (span == 0 || span > SIZE_MAX - c) return SIZE_MAX;
        c += (size_t)span;
    }
    return c;
}
