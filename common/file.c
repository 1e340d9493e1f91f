/*
 * file.c: the whole-file reader and line splitter of file.h. Does IO (open, fopen, fread): not a
 * core.
 */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"

/* Bytes asked of fread() at a time (and the first allocation). */
#define FILE_CHUNK 65536u

/* Reads all of f into *b (cap *cap, length *n, room kept for the NUL); 0, or -1 with why. */
static int read_stream(FILE *f, char **b, size_t *cap, size_t *n, size_t max, const char **why)
{
    for (;;) {
        size_t want = max - *n < FILE_CHUNK ? max - *n + 1 : FILE_CHUNK;
        if (GL_GROW(*b, *n + want + 1, *cap) != 0) {
            *why = "out of memory";
            return -1;
        }
        size_t got = fread(*b + *n, 1, want, f);
        *n += got;
        if (*n > max) {
            *why = NULL; /* the caller names the limit */
            return -1;
        }
        if (got < want) break;
    }
    if (ferror(f)) {
        *why = "read error";
        return -1;
    }
    return 0;
}

/* Reads all of f (opened on path, closed here) into *buf and *len; see file_read_all. */
static int read_file(FILE *f, const char *path, char **buf, size_t *len, size_t max, char *err,
                     size_t errlen)
{
    if (max > SIZE_MAX / 2)
        max = SIZE_MAX / 2; /* no limit: keeps the sizes below from overflowing */
    char *b = NULL;
    size_t cap = 0, n = 0;
    const char *why = NULL;
    int rc = read_stream(f, &b, &cap, &n, max, &why);
    fclose(f);
    if (rc != 0) {
        free(b);
        if (why) return gl_errorf(err, errlen, "%s: %s", path, why);
        return gl_errorf(err, errlen, "%s: larger than %zu bytes", path, max);
    }
    if (!b && GL_GROW(b, 1, cap) != 0) return gl_errorf(err, errlen, "%s: out of memory", path);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

int file_read_all(const char *path, char **buf, size_t *len, size_t max, char *err, size_t errlen)
{
    *buf = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return gl_errorf(err, errlen, "%s: %s", path, strerror(errno));
    return read_file(f, path, buf, len, max, err, errlen);
}

/* What a file that is not a regular one is, for messages. */
static const char *file_kind(mode_t mode)
{
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "an unknown kind of file";
}

int file_read_regular(const char *path, char **buf, size_t *len, size_t max, char *err,
                      size_t errlen)
{
    *buf = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer, maybe forever. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return gl_errorf(err, errlen, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return gl_errorf(err, errlen, "%s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return gl_errorf(err, errlen, "%s: not a regular file (%s)", path, file_kind(st.st_mode));
    }
    /* A regular file never blocks; clear O_NONBLOCK anyway so stdio sees a plain descriptor. */
    int fl = fcntl(fd, F_GETFL);
    FILE *f = fl >= 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        int e = errno;
        close(fd);
        return gl_errorf(err, errlen, "%s: %s", path, strerror(e));
    }
    return read_file(f, path, buf, len, max, err, errlen);
}

int file_load(const char *path, file_parse_fn *parse, void *ctx, char *err, size_t errlen)
{
    char *buf;
    size_t len;
    if (file_read_all(path, &buf, &len, SIZE_MAX, err, errlen) != 0) return -1;
    char why[512];
    int rc = parse(ctx, buf, len, why, sizeof(why));
    free(buf);
    return rc != 0 ? gl_errorf(err, errlen, "%s:%s", path, why) : 0;
}

int file_write_strbuf(FILE *f, const struct strbuf *sb)
{
    if (sb->failed) return -1;
    if (sb->len && fwrite(sb->buf, 1, sb->len, f) != sb->len) return -1;
    return ferror(f) ? -1 : 0;
}

bool file_next_line(const char *buf, size_t len, size_t *pos, unsigned *lineno, size_t *start,
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
