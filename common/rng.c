/*
 * rng.c: xoshiro256** by Blackman and Vigna (public domain reference algorithm), seeded with
 * splitmix64. Pure: no clock, no global state.
 */
#include "rng.h"

#include <assert.h>

#include "banned.h"

/* __extension__ keeps -Wpedantic quiet about the GCC/Clang 128-bit type. */
__extension__ typedef unsigned __int128 u128;

uint64_t rng_hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3u;
    return h;
}

static uint64_t splitmix64(uint64_t *x)
{
    return rng_mix64(*x += 0x9e3779b97f4a7c15u);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rng_seed(struct rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t rng_below(struct rng *r, uint64_t bound)
{
    assert(bound > 0);
    /* Lemire's nearly-divisionless method with 128-bit products. */
    u128 m = (u128)rng_next(r) * bound;
    uint64_t low = (uint64_t)m;
    if (low < bound) {
        uint64_t threshold = -bound % bound;
        while (low < threshold) {
            m = (u128)rng_next(r) * bound;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

struct rng rng_split(struct rng *r)
{
    struct rng child;
    rng_seed(&child, rng_next(r));
    return child;
}
