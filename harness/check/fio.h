/*
 * fio: small file helpers shared by the history, journal and results readers and writers:
 * reading a whole file, and writing a JSON string literal.
 */
#ifndef GL_FIO_H
#define GL_FIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Reads the whole file at path into *buf (malloc'd, NUL-terminated; the caller frees) and its
 * length into *len. 0, or -1 with "PATH: reason" in err.
 */
int fio_slurp(const char *path, char **buf, size_t *len, char *err, size_t errlen);

/*
 * The next line of buf[0..len) at or after *pos that is not blank (spaces, tabs, CRs): its span
 * [*start, *end) without the newline. Advances *pos past it and *lineno (1-based) over every
 * line passed, blank ones included, so messages can name the line. False at the end.
 */
bool fio_next_line(const char *buf, size_t len, size_t *pos, unsigned *lineno, size_t *start,
                   size_t *end);

/* Writes s as a JSON string literal (quotes, escapes; bytes >= 0x80 as they are). */
void fio_json_string(FILE *out, const char *s);

#endif
