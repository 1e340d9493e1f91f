/*
 * banned.h: included last by pure-core source files (git's trick). Any use of a clock, the
 * global random generator, the environment, stdio output or file opening in a core becomes a
 * compile error, and so do the unbounded string functions. snprintf and vsnprintf stay allowed:
 * they write into the caller's array (strbuf and gl_errorf are built on them).
 *
 * Included last because the macros would break the system headers' own declarations.
 */
#ifndef GL_BANNED_H
#define GL_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_pure_cores

/* Randomness and clocks: cores take their RNG and now_us as arguments. */
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

/* IO and the environment: cores write into an outbox or a strbuf, drivers do the IO. */
#undef printf
#define printf(...) BANNED(printf)
#undef vprintf
#define vprintf(...) BANNED(vprintf)
#undef fprintf
#define fprintf(...) BANNED(fprintf)
#undef vfprintf
#define vfprintf(...) BANNED(vfprintf)
#undef puts
#define puts(...) BANNED(puts)
#undef fputs
#define fputs(...) BANNED(fputs)
#undef fputc
#define fputc(...) BANNED(fputc)
#undef putchar
#define putchar(...) BANNED(putchar)
#undef fwrite
#define fwrite(...) BANNED(fwrite)
#undef getchar
#define getchar(...) BANNED(getchar)
#undef fopen
#define fopen(...) BANNED(fopen)
#undef getenv
#define getenv(...) BANNED(getenv)

/* Unbounded writes into a char array: use strbuf or snprintf. */
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strcpy
#define strcpy(...) BANNED(strcpy)
#undef strcat
#define strcat(...) BANNED(strcat)

#endif
