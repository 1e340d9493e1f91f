/*
 * time.h: the one time type. Time is an integer count of microseconds everywhere inside
 * gossip-lab; units are in every name (timeout_us, latency_ms). Never floating point.
 * Drivers sample the clock; cores only receive now_us.
 */
#ifndef GL_TIME_H
#define GL_TIME_H

#include <stdint.h>

typedef uint64_t time_us;

#define TIME_NEVER UINT64_MAX /* "no deadline" */
#define US_PER_MS  1000u
#define US_PER_SEC 1000000u

static inline time_us time_from_ms(uint64_t ms)
{
    return (time_us)ms * US_PER_MS;
}

#endif
