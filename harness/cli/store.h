/*
 * store: a run's directory, laid out like Maelstrom's (spec §6.1):
 *   <root>/broadcast/<yyyyMMddTHHmmss.SSS+zzzz>/   with links <root>/latest and
 *   <root>/broadcast/latest pointing at it.
 * A driver-side module: it reads the wall clock (for the directory name only) and writes files.
 */
#ifndef GL_STORE_H
#define GL_STORE_H

#include <stddef.h>
#include <stdio.h>

#include "limits.h"

struct store {
    char dir[GL_MAX_PATH]; /* the run's directory */
};

/* Creates a fresh run directory under root and updates the links. Returns 0 or -1 with err. */
int store_open(struct store *s, const char *root, const char *test_name, char *err, size_t errlen);

/* Opens <run dir>/<name> for writing; NULL with err. */
FILE *store_create(const struct store *s, const char *name, char *err, size_t errlen);

/* Writes a whole file; returns 0 or -1 with err. */
int store_write(const struct store *s, const char *name, const char *data, size_t len, char *err,
                size_t errlen);

/* Path of <run dir>/<name> into buf. */
int store_path(const struct store *s, const char *name, char *buf, size_t buflen);

#endif
