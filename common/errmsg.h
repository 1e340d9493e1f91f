/*
 * errmsg: the one helper for the "fill the caller's message, return -1" idiom of gossip-lab's
 * error convention (style: functions return a status and fill a caller-supplied message).
 * Pure: formats into the caller's array, no IO. Not a logger: nothing is printed here.
 */
#ifndef GL_ERRMSG_H
#define GL_ERRMSG_H

#include <stddef.h>

/*
 * Formats fmt into err[0..errlen) (cut to fit, always NUL-terminated when errlen > 0; err may be
 * NULL when errlen is 0) and returns -1, so a failure reads `return gl_errorf(err, errlen, ...);`.
 */
int gl_errorf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
