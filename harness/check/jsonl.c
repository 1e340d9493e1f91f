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
        const char *stop = NULL;
        cJSON *o = cJSON_ParseWithLengthOpts(buf + start, end - start, &stop, false);
        const char *why = o ? fn(ctx, o) : "invalid JSON";
        size_t col = !o && stop && stop >= buf + start ? (size_t)(stop - (buf + start)) + 1 : 1;
        cJSON_Delete(o);
        if (why) return gl_errorf(err, errlen, "%u:%zu: %s", line, col, why);
    }
    return 0;
}
