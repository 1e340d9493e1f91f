/*
 * linebuf: the one bounded line framer of gossip-lab, for byte streams that carry one message a
 * line: the node's stdin (node/main.c), and every node process's stdout (drv_proc.c) and stderr
 * (proc_node.c, for its crash report's last lines) in the harness. The driver reads whatever the
 * pipe has and feeds it; the framer hands back every complete line, keeps the incomplete tail (at
 * most `max` bytes, GL_MAX_LINE by default) and says when a line was too long. Pure: no IO, no
 * clock; it does not know what a line means (the codec does).
 *
 * Lines are delivered through a callback, in order, each with its 1-based number in
 * lb->lineno:
 *   LINEBUF_LINE      a complete line, without its '\n' (a final line without a newline is
 *                     delivered by linebuf_finish at the end of the stream);
 *   LINEBUF_TOO_LONG  a line longer than max bytes, as soon as that is known: `line` holds its
 *                     first max bytes; the rest of it, up to its newline, is dropped;
 *   LINEBUF_NO_MEMORY the tail could not be buffered: `line` holds what was; the rest of the
 *                     line is dropped.
 * `line` points into the caller's bytes or the framer's buffer and is valid only during the call.
 * A line of exactly max bytes is fine.
 */
#ifndef GL_LINEBUF_H
#define GL_LINEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum linebuf_event {
    LINEBUF_LINE,
    LINEBUF_TOO_LONG,
    LINEBUF_NO_MEMORY,
};

typedef void linebuf_fn(void *ctx, enum linebuf_event ev, const char *line, size_t len);

struct linebuf {
    char *buf;       /* the incomplete tail */
    size_t len, cap; /* cap is at most twice max */
    size_t max;      /* longest line accepted */
    bool skipping;   /* dropping the rest of a line already reported */
    uint64_t lineno; /* lines delivered so far: the current line's number during a callback */
};

/* An empty framer for lines of at most max bytes (1..GL_MAX_LINE; 0 means GL_MAX_LINE). */
void linebuf_init(struct linebuf *lb, size_t max);
/* Frees the tail buffer; the framer is empty afterwards. */
void linebuf_release(struct linebuf *lb);
/* Feeds data[0..n): calls fn for every line it completes, and for lines found too long. */
void linebuf_feed(struct linebuf *lb, const char *data, size_t n, linebuf_fn *fn, void *ctx);
/* End of stream: a non-empty tail is a last line (LINEBUF_LINE). The framer is empty after. */
void linebuf_finish(struct linebuf *lb, linebuf_fn *fn, void *ctx);

#endif
