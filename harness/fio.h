/*
 * fio: small file helpers shared by the history, journal and results readers and writers:
 * reading a whole file, and writing a JSON string literal.
 */
#ifndef GL_FIO_H
#define GL_FIO_H

#include <stddef.h>
#include <stdio.h>

/*
 * Reads the whole file at path into *buf (malloc'd, NUL-terminated; the caller frees) and its
 * length into *len. 0, or -1 with "PATH: reason" in err.
 */
int fio_slurp(const char *path, char **buf, size_t *len, char *err, size_t errlen);

/* Writes s as a JSON string literal (quotes, escapes; bytes >= 0x80 as they are). */
void fio_json_string(FILE *out, const char *s);

#endif
