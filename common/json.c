/*
 * json.c: the JSON string escaper of json.h. Pure: no IO.
 */
#include "json.h"

#include <stdbool.h>
#include <string.h>

#include "banned.h"

void json_escape(struct strbuf *sb, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0; /* start of the bytes not yet copied */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        strbuf_add(sb, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            strbuf_add(sb, "\\\"", 2);
            break;
        case '\\':
            strbuf_add(sb, "\\\\", 2);
            break;
        case '\n':
            strbuf_add(sb, "\\n", 2);
            break;
        case '\r':
            strbuf_add(sb, "\\r", 2);
            break;
        case '\t':
            strbuf_add(sb, "\\t", 2);
            break;
        default: {
            char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            strbuf_add(sb, u, sizeof(u));
            break;
        }
        }
    }
    strbuf_add(sb, s + run, len - run);
}

void json_add_str(struct strbuf *sb, const char *s)
{
    strbuf_addch(sb, '"');
    json_escape(sb, s, strlen(s));
    strbuf_addch(sb, '"');
}

/* Bytes that stand for themselves in a JSON string: not '"', '\\' or below 0x20. */
static bool plain_byte(unsigned char c)
{
    return c >= 0x20 && c != '"' && c != '\\';
}

char *json_put_str(struct strbuf *sb, char *p, const char *s, size_t len)
{
    *p++ = '"';
    size_t i = 0;
    /* Copied as scanned: ids, types and names are short and as a rule need no escape. */
    for (; i < len && plain_byte((unsigned char)s[i]); i++)
        p[i] = s[i];
    if (i == len) {
        p += len;
    } else {
        size_t len0 = sb->len;
        sb->len = (size_t)(p - sb->buf);
        json_escape(sb, s, len); /* within the room made: sb->buf does not move */
        p = sb->buf + sb->len;
        sb->len = len0;
    }
    *p++ = '"';
    return p;
}
