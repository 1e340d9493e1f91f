/*
 * clock.h: the clock, for the programs' edges only (node/main.c, the process driver, the CLI):
 * cores never read it (banned.h) and take now_us as an argument. CLOCK_MONOTONIC, in µs.
 */
#ifndef GL_CLOCK_H
#define GL_CLOCK_H

#include <sys/time.h>
#include <time.h>

#include "time.h"

/* Microseconds on CLOCK_MONOTONIC (from an arbitrary origin: subtract two readings). */
static inline time_us gl_monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (time_us)ts.tv_sec * US_PER_SEC + (time_us)ts.tv_nsec / 1000u;
}

/* A struct timeval (getrusage's CPU times) in µs. */
static inline time_us gl_timeval_us(struct timeval tv)
{
    return (time_us)tv.tv_sec * US_PER_SEC + (time_us)tv.tv_usec;
}

#endif
