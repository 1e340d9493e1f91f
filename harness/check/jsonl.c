/*
 * jsonl.c: the JSON-lines reader of jsonl.h. Pure: no IO.
 */
#include "jsonl.h"

#include "errmsg.h"
#include "file.h"

#include "banned.h"

int jsonl_each(const char *buf, size_t len, jsonl_line_fn *fn, void *ctx, char *err, size_t errlen)
{
    size_t pos = 0, start, end;
    unsigned line = 0;
    while (file_next_line(buf, len, &pos, &line, &start, &end)) {
        struct jtree t;
        char why_buf[128];
        size_t at = 0;
        const char *why = NULL;
        if (jtree_parse(&t, buf + start, end - start, why_buf, sizeof(why_buf), &at) != 0)
            why = "invalid JSON";
        else if (jtree_tag(&t, why_buf, sizeof(why_buf)) != 0)
            why = why_buf; /* a key holding \u0000, or out of memory */
        else
            why = fn(ctx, &t);
        size_t col = at + 1;
        jtree_release(&t);
        if (why) return gl_errorf(err, errlen, "%u:%zu: %s", line, col, why);
    }
    return 0;
}
