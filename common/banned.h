/*
 * banned.h: included last by pure-core source files (git's trick). Any use of a clock, the
 * global random generator or stdio in a core becomes a compile error.
 */
#ifndef GL_BANNED_H
#define GL_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_pure_cores

#undef rand
#define rand(...) BANNED(rand)
#undef srand
#define srand(...) BANNED(srand)
#undef random
#define random(...) BANNED(random)
#undef time
#define time(...) BANNED(time)
#undef clock_gettime
#define clock_gettime(...) BANNED(clock_gettime)
#undef gettimeofday
#define gettimeofday(...) BANNED(gettimeofday)
#undef printf
#define printf(...) BANNED(printf)
#undef puts
#define puts(...) BANNED(puts)
#undef getchar
#define getchar(...) BANNED(getchar)

#endif
