/*
 * hugepages.c: the one re-execution of a large run with glibc's heap on huge pages (see
 * hugepages.h). The first start leaves two variables for the second: GL_HUGEPAGES_TUNABLES, the
 * GLIBC_TUNABLES it had ("-" when it had none), and GL_HUGEPAGES_START_US, its start time.
 */
#include "hugepages.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"

#define TUNABLE "glibc.malloc.hugetlb=1"

bool hugepages_wanted(bool large)
{
    const char *force = getenv("GL_HUGEPAGES");
    if (getenv("GL_HUGEPAGES_TUNABLES")) return false; /* this is the second start */
    if (force && strcmp(force, "0") == 0) return false;
    if (force && strcmp(force, "1") == 0) return true;
    return large;
}

void hugepages_reexec(char **argv)
{
    const char *had = getenv("GLIBC_TUNABLES");
    char tunables[4096], start[32];
    int len = had && had[0] ? snprintf(tunables, sizeof tunables, "%s:%s", had, TUNABLE)
                            : snprintf(tunables, sizeof tunables, "%s", TUNABLE);
    if (len < 0 || (size_t)len >= sizeof tunables) return;
    snprintf(start, sizeof start, "%" PRIu64, gl_monotonic_us());
    if (setenv("GL_HUGEPAGES_TUNABLES", had ? had : "-", 1) != 0 ||
        setenv("GL_HUGEPAGES_START_US", start, 1) != 0 ||
        setenv("GLIBC_TUNABLES", tunables, 1) != 0)
        return;
    /* By its own path, not /proc/self/exe: the process keeps its name (ps, top, perf). */
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        execv(self, argv);
    }
    /* Not executed: go on in this process, with the environment as it was. */
    if (had)
        setenv("GLIBC_TUNABLES", had, 1);
    else
        unsetenv("GLIBC_TUNABLES");
    unsetenv("GL_HUGEPAGES_TUNABLES");
    unsetenv("GL_HUGEPAGES_START_US");
}

time_us hugepages_started_us(bool *active)
{
    time_us now = gl_monotonic_us();
    const char *had = getenv("GL_HUGEPAGES_TUNABLES");
    *active = had != NULL;
    if (!had) return now;
    const char *start = getenv("GL_HUGEPAGES_START_US");
    char *end = NULL;
    unsigned long long first = start ? strtoull(start, &end, 10) : 0;
    if (strcmp(had, "-") == 0)
        unsetenv("GLIBC_TUNABLES");
    else
        setenv("GLIBC_TUNABLES", had, 1);
    unsetenv("GL_HUGEPAGES_TUNABLES");
    unsetenv("GL_HUGEPAGES_START_US");
    return end && end != start && *end == '\0' && first <= now ? (time_us)first : now;
}
