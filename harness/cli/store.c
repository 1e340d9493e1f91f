/*
 * store.c: run directories and their files. The directory name is the local start time, as
 * Maelstrom names it; a collision (two runs in the same millisecond) gets a -2, -3, ... suffix.
 */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int mkdir_p(const char *path, char *err, size_t errlen)
{
    char buf[GL_MAX_PATH];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
        snprintf(err, errlen, "path too long: '%s'", path);
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create '%s': %s", buf, strerror(errno));
            return -1;
        }
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create '%s': %s", buf, strerror(errno));
        return -1;
    }
    return 0;
}

/* Replaces link `at` with a symlink to `target` (relative), atomically via rename. */
static void relink(const char *target, const char *at)
{
    char tmp[GL_MAX_PATH + 64];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp%ld", at, (long)getpid()) >= (int)sizeof(tmp)) return;
    unlink(tmp);
    if (symlink(target, tmp) == 0 && rename(tmp, at) != 0) unlink(tmp);
}

static void stamp(char *buf, size_t len)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);
    char date[32], zone[8];
    strftime(date, sizeof(date), "%Y%m%dT%H%M%S", &tm);
    strftime(zone, sizeof(zone), "%z", &tm);
    if (!strcmp(zone, "+0000")) snprintf(zone, sizeof(zone), "Z");
    snprintf(buf, len, "%s.%03ld%s", date, ts.tv_nsec / 1000000, zone);
}

int store_open(struct store *s, const char *root, const char *test_name, char *err, size_t errlen)
{
    char base[GL_MAX_PATH - 96], name[64];
    if (snprintf(base, sizeof(base), "%s/%s", root, test_name) >= (int)sizeof(base)) {
        snprintf(err, errlen, "store path too long");
        return -1;
    }
    if (mkdir_p(base, err, errlen) != 0) return -1;
    stamp(name, sizeof(name));
    for (int attempt = 1;; attempt++) {
        char dir_name[80];
        if (attempt == 1)
            snprintf(dir_name, sizeof(dir_name), "%s", name);
        else
            snprintf(dir_name, sizeof(dir_name), "%s-%d", name, attempt);
        if (snprintf(s->dir, sizeof(s->dir), "%s/%s", base, dir_name) >= (int)sizeof(s->dir)) {
            snprintf(err, errlen, "store path too long");
            return -1;
        }
        if (mkdir(s->dir, 0777) == 0) {
            char at[GL_MAX_PATH + 16], target[GL_MAX_PATH + 96];
            snprintf(at, sizeof(at), "%s/latest", base);
            relink(dir_name, at);
            snprintf(at, sizeof(at), "%s/latest", root);
            snprintf(target, sizeof(target), "%s/%s", test_name, dir_name);
            relink(target, at);
            return 0;
        }
        if (errno != EEXIST || attempt > 1000) {
            snprintf(err, errlen, "cannot create '%s': %s", s->dir, strerror(errno));
            return -1;
        }
    }
}

int store_path(const struct store *s, const char *name, char *buf, size_t buflen)
{
    return snprintf(buf, buflen, "%s/%s", s->dir, name) < (int)buflen ? 0 : -1;
}

FILE *store_create(const struct store *s, const char *name, char *err, size_t errlen)
{
    char path[GL_MAX_PATH];
    if (store_path(s, name, path, sizeof(path)) != 0) {
        snprintf(err, errlen, "path too long");
        return NULL;
    }
    FILE *f = fopen(path, "w");
    if (!f) snprintf(err, errlen, "cannot create '%s': %s", path, strerror(errno));
    return f;
}

int store_write(const struct store *s, const char *name, const char *data, size_t len, char *err,
                size_t errlen)
{
    FILE *f = store_create(s, name, err, errlen);
    if (!f) return -1;
    size_t wrote = fwrite(data, 1, len, f);
    if (fclose(f) != 0 || wrote != len) {
        snprintf(err, errlen, "cannot write '%s/%s'", s->dir, name);
        return -1;
    }
    return 0;
}
