/*
 * fio.c: whole-file reads and JSON string output.
 */
#include "fio.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fio_slurp(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 65536, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (cap - n < 2) {
            char *nb = cap < SIZE_MAX / 2 ? realloc(b, cap * 2) : NULL;
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (!b || bad) {
        free(b);
        snprintf(err, errlen, "%s: %s", path, b ? "read error" : "out of memory");
        return -1;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

void fio_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

bool fio_next_line(const char *buf, size_t len, size_t *pos, unsigned *lineno, size_t *start,
                   size_t *end)
{
    while (*pos < len) {
        ++*lineno;
        const char *nl = memchr(buf + *pos, '\n', len - *pos);
        size_t e = nl ? (size_t)(nl - buf) : len;
        size_t b = *pos;
        while (b < e && (buf[b] == ' ' || buf[b] == '\t' || buf[b] == '\r'))
            b++;
        *start = *pos;
        *end = e;
        *pos = e + 1;
        if (b < e) return true;
    }
    return false;
}
