/*
 * linebuf.c: the bounded line framer of linebuf.h. Pure: no IO, no clock.
 *
 * A complete line with no tail pending is handed over straight from the caller's bytes, so the
 * common case (whole lines in one read) copies nothing.
 */
#include "linebuf.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "strbuf.h"

#include "banned.h"

void linebuf_init(struct linebuf *lb, size_t max)
{
    assert(max <= GL_MAX_LINE);
    memset(lb, 0, sizeof(*lb));
    lb->max = max ? max : GL_MAX_LINE;
}

void linebuf_release(struct linebuf *lb)
{
    free(lb->buf);
    linebuf_init(lb, lb->max);
}

/* Delivers one line (numbering it) and empties the tail. */
static void deliver(struct linebuf *lb, enum linebuf_event ev, const char *line, size_t len,
                    linebuf_fn *fn, void *ctx)
{
    lb->lineno++;
    fn(ctx, ev, line, len);
    lb->len = 0;
}

/* Adds s[0..n) of the current line to the tail, or reports the line and starts skipping. */
static void append(struct linebuf *lb, const char *s, size_t n, linebuf_fn *fn, void *ctx)
{
    if (lb->len + n > lb->max) {
        size_t fit = lb->max - lb->len;
        if (GL_GROW(lb->buf, lb->max, lb->cap) != 0) {
            deliver(lb, LINEBUF_NO_MEMORY, lb->buf, lb->len, fn, ctx);
        } else {
            memcpy(lb->buf + lb->len, s, fit);
            deliver(lb, LINEBUF_TOO_LONG, lb->buf, lb->max, fn, ctx);
        }
        lb->skipping = true;
        return;
    }
    if (GL_GROW(lb->buf, lb->len + n, lb->cap) != 0) {
        deliver(lb, LINEBUF_NO_MEMORY, lb->buf, lb->len, fn, ctx);
        lb->skipping = true;
        return;
    }
    if (n) memcpy(lb->buf + lb->len, s, n);
    lb->len += n;
}

void linebuf_feed(struct linebuf *lb, const char *data, size_t n, linebuf_fn *fn, void *ctx)
{
    while (n > 0) {
        const char *nl = memchr(data, '\n', n);
        size_t take = nl ? (size_t)(nl - data) : n;
        if (lb->skipping) {
            lb->skipping = nl == NULL;
        } else if (lb->len == 0 && nl && take <= lb->max) {
            deliver(lb, LINEBUF_LINE, data, take, fn, ctx);
        } else {
            append(lb, data, take, fn, ctx);
            if (lb->skipping)
                lb->skipping = nl == NULL;
            else if (nl)
                deliver(lb, LINEBUF_LINE, lb->buf, lb->len, fn, ctx);
        }
        if (!nl) break;
        n -= take + 1;
        data = nl + 1;
    }
}

void linebuf_finish(struct linebuf *lb, linebuf_fn *fn, void *ctx)
{
    if (lb->len > 0 && !lb->skipping) deliver(lb, LINEBUF_LINE, lb->buf, lb->len, fn, ctx);
    lb->len = 0;
    lb->skipping = false;
}
