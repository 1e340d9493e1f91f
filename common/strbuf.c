/*
 * strbuf.c: the string builder and array growth of strbuf.h. Pure: no IO, no clock.
 */
#include "strbuf.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static char strbuf_empty[1];

void strbuf_init(struct strbuf *sb)
{
    *sb = (struct strbuf)STRBUF_INIT;
}

void strbuf_fixed(struct strbuf *sb, char *buf, size_t cap)
{
    assert(buf && cap >= 1);
    *sb = (struct strbuf){ buf, 0, cap, true, false };
    buf[0] = '\0';
}

void strbuf_release(struct strbuf *sb)
{
    if (sb->fixed) {
        strbuf_reset(sb);
        return;
    }
    free(sb->buf);
    strbuf_init(sb);
}

void strbuf_reset(struct strbuf *sb)
{
    sb->len = 0;
    sb->failed = false;
    if (sb->buf) sb->buf[0] = '\0';
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
    assert(!sb->fixed);
    char *s = sb->buf ? sb->buf : calloc(1, 1);
    if (len) *len = sb->buf ? sb->len : 0;
    strbuf_init(sb);
    return s;
}

const char *strbuf_str(const struct strbuf *sb)
{
    return sb->buf ? sb->buf : strbuf_empty;
}

bool strbuf_grow(struct strbuf *sb, size_t extra)
{
    if (sb->cap > sb->len && sb->cap - sb->len > extra) return true;
    if (sb->fixed || extra >= SIZE_MAX - sb->len - 1) {
        sb->failed = true;
        return false;
    }
    size_t cap = sb->cap;
    size_t have = sb->buf != NULL;
    if (gl_grow(&sb->buf, 1, sb->len + extra + 1, &cap) != 0) {
        sb->failed = true;
        return false;
    }
    sb->cap = cap;
    if (!have) sb->buf[0] = '\0';
    return true;
}

void strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
    if (!strbuf_grow(sb, n)) {
        if (!sb->fixed) return;
        size_t room = sb->cap - 1 - sb->len; /* a fixed builder keeps what fits */
        if (room < n) n = room;
    }
    if (n) memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
    /* As strbuf_add(sb, &c, 1) (a full fixed builder keeps nothing), written out: inlined with
     * a profile, GCC no longer saw that n stays 1 (-Wstringop-overread). */
    if (!strbuf_grow(sb, 1)) return;
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
}

/* "00" "01" ... "99": two digits per division, as fast integer formatters do. */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

static inline unsigned count_digits(uint64_t v)
{
    unsigned d = 1;
    for (; v >= 10000; v /= 10000)
        d += 4;
    return d + (v >= 10) + (v >= 100) + (v >= 1000);
}

/* Writes the decimal digits of v (after a '-' if neg) at out; returns how many bytes (<= 21). */
static inline size_t format_u64(char *out, uint64_t v, bool neg)
{
    size_t n = neg ? 1 : 0;
    out[0] = '-';
    n += count_digits(v);
    char *p = out + n;
    while (v >= 100) {
        size_t i = (size_t)(v % 100) * 2;
        v /= 100;
        *--p = digit_pairs[i + 1];
        *--p = digit_pairs[i];
    }
    if (v >= 10) {
        *--p = digit_pairs[v * 2 + 1];
        *--p = digit_pairs[v * 2];
    } else {
        *--p = (char)('0' + v);
    }
    return n;
}

/* |v| as an unsigned number: 0 - (uint64_t)v needs no special case for INT64_MIN. */
static uint64_t magnitude(int64_t v)
{
    return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

size_t strbuf_fmt_i64(char *out, int64_t v)
{
    return format_u64(out, magnitude(v), v < 0);
}

size_t strbuf_fmt_u64(char *out, uint64_t v)
{
    return format_u64(out, v, false);
}

void strbuf_add_u64(struct strbuf *sb, uint64_t v)
{
    char tmp[21];
    strbuf_add(sb, tmp, format_u64(tmp, v, false));
}

void strbuf_add_i64(struct strbuf *sb, int64_t v)
{
    char tmp[21];
    strbuf_add(sb, tmp, format_u64(tmp, magnitude(v), v < 0));
}

void strbuf_add_i64s(struct strbuf *sb, const int64_t *v, size_t n, char sep)
{
    /* At most 20 digits, a sign and a separator per value: one growth for the whole vector. */
    bool was_failed = sb->failed;
    if (n <= (SIZE_MAX - 1) / 22 && strbuf_grow(sb, n * 22)) {
        char *out = sb->buf + sb->len;
        for (size_t i = 0; i < n; i++) {
            if (i) *out++ = sep;
            out += format_u64(out, magnitude(v[i]), v[i] < 0);
        }
        sb->len = (size_t)(out - sb->buf);
        sb->buf[sb->len] = '\0';
        return;
    }
    if (!sb->fixed) {
        sb->failed = true; /* out of memory (or a size that cannot be): nothing added */
        return;
    }
    /* A fixed builder short of the worst case: value by value, keeping what fits. */
    sb->failed = was_failed;
    for (size_t i = 0; i < n; i++) {
        if (i) strbuf_addch(sb, sep);
        strbuf_add_i64(sb, v[i]);
    }
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    /* First into the room there is (git's strbuf_addf): one vsnprintf when the text fits. */
    if (!sb->buf && !strbuf_grow(sb, 64)) return;
    size_t room = sb->cap - sb->len; /* NUL included */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sb->buf + sb->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->buf[sb->len] = '\0';
        sb->failed = true;
        return;
    }
    size_t want = (size_t)n;
    if (want < room) {
        sb->len += want;
        return;
    }
    if (!strbuf_grow(sb, want)) {
        if (sb->fixed) sb->len = sb->cap - 1; /* vsnprintf kept what fits */
        return;
    }
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
    va_end(ap);
    sb->len += want;
}

int gl_ring_grow(void *ringp, size_t elem, size_t *head, size_t len, size_t *cap, size_t min_cap)
{
    assert(elem > 0 && min_cap > 0 && (min_cap & (min_cap - 1)) == 0 && len <= *cap);
    size_t ncap = *cap ? *cap * 2 : min_cap;
    if (ncap < *cap || ncap > SIZE_MAX / elem) return -1;
    char *old;
    memcpy(&old, ringp, sizeof(old)); /* ringp is a T ** of any object type T, as in gl_grow */
    /* On cache lines: a 64-byte element (netq's messages) then takes exactly one. */
    size_t bytes = ncap * elem;
    if (bytes > SIZE_MAX - GL_RING_ALIGN) return -1;
    char *v =
        aligned_alloc(GL_RING_ALIGN, (bytes + GL_RING_ALIGN - 1) / GL_RING_ALIGN * GL_RING_ALIGN);
    if (!v) return -1;
    /* Unwrap: the part from head to the end, then the part that wrapped to the start. */
    size_t first = *cap - *head < len ? *cap - *head : len;
    if (first) memcpy(v, old + *head * elem, first * elem);
    if (len > first) memcpy(v + first * elem, old, (len - first) * elem);
    free(old);
    memcpy(ringp, &v, sizeof(v));
    *cap = ncap;
    *head = 0;
    return 0;
}

int gl_grow(void *arrp, size_t elem, size_t need, size_t *cap)
{
    assert(elem > 0);
    if (need <= *cap) return 0;
    size_t ncap = *cap < 4 ? 8 : *cap * 2;
    if (*cap > SIZE_MAX / 2) ncap = SIZE_MAX;
    if (ncap < need) ncap = need;
    if (ncap > SIZE_MAX / elem) return -1;
    /* The pointer is read and written through memcpy: arrp is a T ** of any object type T. */
    void *p;
    memcpy(&p, arrp, sizeof(p));
    void *np = realloc(p, ncap * elem);
    if (!np) return -1;
    memcpy(arrp, &np, sizeof(np));
    *cap = ncap;
    return 0;
}
