/*
 * nemesis: the partition nemesis's grudges and their description (spec §3.3); the contract is in
 * nemesis.h. It is not the nemesis's schedule (workload.c) nor the network's cuts (network.c).
 * Pure: every draw from the rng passed in, in a fixed order; no clock, no IO.
 */
#include "nemesis.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#include "banned.h"

static void shuffle(struct rng *r, uint32_t *v, uint32_t n)
{
    for (uint32_t i = n; i > 1; i--) {
        uint32_t j = (uint32_t)rng_below(r, i);
        uint32_t t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* Complete split: every node ignores every node of the other side. */
static void split(uint8_t *cut, uint32_t n, const uint32_t *v, uint32_t first)
{
    for (uint32_t a = 0; a < n; a++)
        for (uint32_t b = 0; b < n; b++)
            if ((a < first) != (b < first)) cut[(size_t)v[a] * n + v[b]] = 1;
}

/* Every node hears only the nodes marked in hear[node * n + other] (plus itself). */
static void hear_only(uint8_t *cut, uint32_t n, const uint8_t *hear)
{
    for (uint32_t d = 0; d < n; d++)
        for (uint32_t s = 0; s < n; s++)
            if (s != d && !hear[(size_t)d * n + s]) cut[(size_t)d * n + s] = 1;
}

static void ring_small(const uint32_t *v, uint32_t n, uint8_t *hear)
{
    /* N <= 5: a ring; each window of m consecutive nodes lets its middle node hear the window. */
    uint32_t m = n / 2 + 1;
    for (uint32_t start = 0; start < n; start++) {
        uint32_t mid = v[(start + m / 2) % n];
        for (uint32_t k = 0; k < m; k++)
            hear[(size_t)mid * n + v[(start + k) % n]] = 1;
    }
}

static void ring_large(struct rng *r, uint32_t n, uint8_t *hear)
{
    /* N > 5: link least-connected pairs at random until each node's degree, counting itself,
     * reaches a majority m; each node hears only its neighbours. */
    uint32_t m = n / 2 + 1;
    uint32_t *deg = calloc(n, sizeof(*deg));
    uint32_t *cand = malloc(n * sizeof(*cand));
    if (!deg || !cand) goto out;
    for (uint32_t i = 0; i < n; i++) {
        hear[(size_t)i * n + i] = 1;
        deg[i] = 1;
    }
    for (;;) {
        uint32_t lo = UINT32_MAX, nc = 0;
        for (uint32_t i = 0; i < n; i++)
            if (deg[i] < lo) lo = deg[i];
        if (lo >= m) break;
        for (uint32_t i = 0; i < n; i++)
            if (deg[i] == lo) cand[nc++] = i;
        uint32_t a = cand[rng_below(r, nc)];
        /* Partner: a least-connected node not yet linked to a. */
        uint32_t best = UINT32_MAX, np = 0;
        for (uint32_t i = 0; i < n; i++)
            if (!hear[(size_t)a * n + i] && deg[i] < best) best = deg[i];
        if (best == UINT32_MAX) break;
        for (uint32_t i = 0; i < n; i++)
            if (!hear[(size_t)a * n + i] && deg[i] == best) cand[np++] = i;
        uint32_t b = cand[rng_below(r, np)];
        hear[(size_t)a * n + b] = hear[(size_t)b * n + a] = 1;
        deg[a]++;
        deg[b]++;
    }
out:
    free(deg);
    free(cand);
}

void nemesis_describe(const char (*names)[GL_ID_MAX], uint32_t n, const uint8_t *cut, char *desc,
                      size_t desclen)
{
    struct strbuf sb;
    strbuf_fixed(&sb, desc, desclen);
    for (uint32_t d = 0; d < n && !sb.failed && sb.len + 1 < desclen; d++) {
        bool any = false;
        for (uint32_t s = 0; s < n && !sb.failed && sb.len + 1 < desclen; s++) {
            if (!cut[(size_t)d * n + s]) continue;
            if (any)
                strbuf_addch(&sb, ',');
            else
                strbuf_addf(&sb, "%s%s:", sb.len ? ";" : "", names[d]);
            strbuf_addstr(&sb, names[s]);
            any = true;
        }
    }
    if (sb.failed && desclen > 4) memcpy(desc + desclen - 4, "...", 4);
}

const char *nemesis_grudge(struct rng *r, uint32_t n, uint8_t *cut)
{
    uint32_t *v = malloc(n * sizeof(*v));
    uint8_t *hear = calloc((size_t)n * n, 1);
    const char *shape = NULL;
    if (!v || !hear) goto out;
    for (uint32_t i = 0; i < n; i++)
        v[i] = i;
    switch (rng_below(r, 4)) {
    case 0:
        shape = "one";
        shuffle(r, v, n);
        split(cut, n, v, 1);
        break;
    case 1:
        shape = "minority-third";
        shuffle(r, v, n);
        split(cut, n, v, (n - 1) / 3);
        break;
    case 2:
        shape = "majority";
        shuffle(r, v, n);
        split(cut, n, v, n / 2);
        break;
    default:
        shape = "majorities-ring";
        if (n <= 5) {
            shuffle(r, v, n);
            ring_small(v, n, hear);
        } else {
            ring_large(r, n, hear);
        }
        hear_only(cut, n, hear);
        break;
    }
out:
    free(v);
    free(hear);
    return shape;
}
