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
        n = sb->cap - 1 - sb->len; /* a fixed builder keeps what fits */
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
    strbuf_add(sb, &c, 1);
}

void strbuf_add_u64(struct strbuf *sb, uint64_t v)
{
    char tmp[20];
    size_t i = sizeof(tmp);
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    strbuf_add(sb, tmp + i, sizeof(tmp) - i);
}

void strbuf_add_i64(struct strbuf *sb, int64_t v)
{
    if (v < 0) {
        strbuf_addch(sb, '-');
        /* -(v + 1) + 1 avoids negating INT64_MIN. */
        strbuf_add_u64(sb, (uint64_t)(-(v + 1)) + 1u);
        return;
    }
    strbuf_add_u64(sb, (uint64_t)v);
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char probe[1];
    int n = vsnprintf(probe, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->failed = true;
        return;
    }
    size_t want = (size_t)n;
    if (!strbuf_grow(sb, want) && (!sb->fixed || sb->cap - 1 == sb->len)) return;
    size_t room = sb->cap - sb->len; /* NUL included */
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, room, fmt, ap);
    va_end(ap);
    sb->len += want < room ? want : room - 1;
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
