/*
 * rng: a seeded pseudo-random generator with explicit state (xoshiro256**, seeded through
 * splitmix64). Every random choice in gossip-lab draws from a struct rng passed in by the
 * caller, so the same seed gives the same run. Never rand().
 */
#ifndef GL_RNG_H
#define GL_RNG_H

#include <stdint.h>

struct rng {
    uint64_t s[4];
};

/* Seeds the state; any seed (including 0) is fine. */
void rng_seed(struct rng *r, uint64_t seed);

/* Next 64 uniformly random bits. */
uint64_t rng_next(struct rng *r);

/* Uniform integer in [0, bound); bound must be > 0. Unbiased (Lemire's rejection). */
uint64_t rng_below(struct rng *r, uint64_t bound);

/* Uniform double in [0, 1) with 53 random bits. */
double rng_unit(struct rng *r);

/*
 * splitmix64's finaliser: a bijective 64-bit mix in which every input bit affects every output
 * bit. For hash tables keyed by integers (consecutive values spread out) and fingerprints.
 */
static inline uint64_t rng_mix64(uint64_t z)
{
    /* Inline: hash tables and fingerprints call it per key (a call each was most of its cost). */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/*
 * The one string hash of gossip-lab (64-bit FNV-1a over the bytes before the NUL), for hash
 * tables keyed by names (the topology's name index, the node's peer index). Not random and not
 * for anything adversarial; tables mask or reduce it themselves.
 */
uint64_t rng_hash_str(const char *s);

/* Independent child generator (for giving each subsystem its own stream). */
struct rng rng_split(struct rng *r);

#endif
