/*
 * errmsg.c: gl_errorf (errmsg.h). Pure: no IO.
 */
#include "errmsg.h"

#include <stdarg.h>
#include <stdio.h>

#include "banned.h"

int gl_errorf(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}
