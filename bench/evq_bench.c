/*
 * evq_bench: the event queue (common/evq.h) alone, on a synthetic load shaped like a virtual
 * broadcast run (harness test --virtual): per node a delivery lane and a tick lane. A delivery
 * lane's wake-up at t hands a message to the node (a handling timer on the same lane, up to
 * 250 µs later, never before the previous one) and, while messages wait, wakes again: at once
 * three times in four, else up to 100 ms later. Each handling sends a message to a random node
 * (a wake-up 100 ms ahead, the latency, if its delivery lane is idle) and, one in three, moves
 * the node's tick (a retry 400-600 ms ahead, rescheduled with a taken seq); a tick that fires
 * sends a message. The driver loop is drv_virt's: peek at the next event, pop every event due at
 * its time.
 *   evq_bench [NODES [EVENTS [SEED]]]   (defaults: 500 nodes, 5000000 events, seed 1)
 * Prints the CPU time per event and a checksum of the order events ran in (lane, time, seq):
 * two builds of the queue must print the same checksum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "evq.h"
#include "rng.h"

enum { WAKE, HANDLE, TICK };

struct node {
    time_us last_handle_us; /* handling times are FIFO */
    uint32_t backlog;       /* messages waiting for the delivery thread */
    int busy;               /* a wake-up is queued */
};

static uint64_t parse(const char *s, const char *what)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v == 0) {
        fprintf(stderr, "evq_bench: %s must be a positive integer, not '%s'\n", what, s);
        exit(2);
    }
    return (uint64_t)v;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void push(struct evq *q, uint32_t lane, time_us at, uint64_t tag)
{
    if (evq_push(q, lane, at, NULL, tag) != 0) {
        fprintf(stderr, "evq_bench: out of memory\n");
        exit(1);
    }
}

/* A message for node d sent at now: its delivery thread wakes when it arrives, if idle. */
static void send(struct evq *q, struct node *nd, uint32_t d, time_us now, struct rng *r)
{
    nd[d].backlog++;
    if (!nd[d].busy) {
        nd[d].busy = 1;
        push(q, d, now + 100000 + rng_below(r, 2), (uint64_t)WAKE | (uint64_t)d << 8);
    }
}

static void run_event(struct evq *q, struct node *nd, uint32_t n, const struct heap_entry *e,
                      struct rng *r)
{
    uint32_t i = (uint32_t)(e->tag >> 8);
    time_us now = e->at_us;
    switch (e->tag & 0xff) {
    case WAKE: {
        time_us at = now + rng_below(r, 250);
        if (at < nd[i].last_handle_us) at = nd[i].last_handle_us;
        nd[i].last_handle_us = at;
        push(q, i, at, (uint64_t)HANDLE | (uint64_t)i << 8);
        nd[i].backlog--;
        nd[i].busy = nd[i].backlog > 0;
        if (nd[i].busy) /* the next message: waiting already, or on its way */
            push(q, i, now + (rng_below(r, 4) ? 0 : rng_below(r, 100000)),
                 (uint64_t)WAKE | (uint64_t)i << 8);
        break;
    }
    case HANDLE: {
        send(q, nd, (uint32_t)rng_below(r, n), now, r);
        if (rng_below(r, 3) == 0) {
            uint64_t seq = evq_take_seq(q);
            time_us at = now + 400000 + rng_below(r, 200000);
            if (evq_reschedule(q, n + i, at, seq, NULL, (uint64_t)TICK | (uint64_t)i << 8)) {
                fprintf(stderr, "evq_bench: out of memory\n");
                exit(1);
            }
        }
        break;
    }
    default: /* a retry: one more message */
        send(q, nd, (uint32_t)rng_below(r, n), now, r);
        break;
    }
}

int main(int argc, char **argv)
{
    if (argc > 4) {
        fprintf(stderr, "usage: evq_bench [NODES [EVENTS [SEED]]]\n");
        return 2;
    }
    uint32_t n = argc > 1 ? (uint32_t)parse(argv[1], "NODES") : 500;
    uint64_t events = argc > 2 ? parse(argv[2], "EVENTS") : 5000000;
    struct rng r;
    rng_seed(&r, argc > 3 ? parse(argv[3], "SEED") : 1);
    struct evq q;
    evq_init(&q);
    struct node *nd = calloc(n, sizeof(*nd));
    if (!nd || evq_add_lanes(&q, 2 * n) != 0) {
        fprintf(stderr, "evq_bench: out of memory\n");
        return 1;
    }
    for (uint32_t i = 0; i < n; i++) /* ~20 messages in flight per node */
        for (int k = 0; k < 20; k++)
            send(&q, nd, (uint32_t)rng_below(&r, n), rng_below(&r, 100000), &r);
    uint64_t done = 0, sum = 0;
    double t0 = cpu_s();
    while (done < events) {
        const struct heap_entry *top = evq_peek(&q, NULL);
        if (!top) break;
        time_us t = top->at_us;
        struct heap_entry e;
        uint32_t lane;
        while (evq_pop_due(&q, t, &e, &lane) == 0) {
            sum = (sum ^ (e.at_us * 31 + e.seq * 7 + lane)) * 0x100000001b3u;
            run_event(&q, nd, n, &e, &r);
            done++;
        }
    }
    double dt = cpu_s() - t0;
    printf("evq_bench: %u nodes, %llu events: %.1f ns/event (checksum %016llx)\n", n,
           (unsigned long long)done, dt * 1e9 / (double)done, (unsigned long long)sum);
    evq_release(&q);
    free(nd);
    return 0;
}
