/*
 * world_int.h: the world's insides, shared by its sources and by nothing else: world.c (options,
 * events, callbacks, the event loop, node output, results) and world_setup.c (the setup phases:
 * init and topology). Not a public header: drivers and tests use world.h.
 */
#ifndef GL_WORLD_INT_H
#define GL_WORLD_INT_H

#include "endpoints.h"
#include "history.h"
#include "strbuf.h"
#include "workload.h"
#include "world.h"

/* Kinds of events on the world's queue; an event's tag is kind | arg << 8. */
enum ev_kind {
    EV_DELIVER,       /* arg = endpoint: its delivery thread wakes (network_on_wake) */
    EV_WORKLOAD,      /* arg = the workload's timer tag */
    EV_SETUP_TIMEOUT, /* arg = the msg_type of the setup phase: init or topology took too long */
    EV_DRIVER,        /* arg = the driver's tag */
    EV_INIT_SEND,     /* arg = node: its setup thread sends init (init_off_us) */
};

enum phase {
    PH_NEW,
    PH_INIT,
    PH_TOPOLOGY,
    PH_RUN, /* the workload runs: main phase, recovery wait, final reads */
    PH_DONE,
};

struct world {
    struct world_opts o;
    struct world_driver drv;
    enum phase phase;
    bool finished; /* finish() ran: queues drained, events dropped */
    enum world_abort abort_reason;
    char abort_detail[1024];

    struct rng rng_setup, rng_gen, rng_lat, rng_nem, rng_spread;
    /*
     * Every event, in (time, scheduling order). Lane 0 holds the workload's and the world's own
     * timers and the driver's plain ones; each endpoint's delivery thread has a lane (ep_lane)
     * and so does each driver lane (world_driver_lanes): see evq.h.
     */
    struct evq events;
    uint64_t event_seq; /* of the event running now (or run last) */
    uint32_t *ep_lane;  /* per endpoint */
    size_t cap_ep_lane;
    time_us now_us;
    time_us t0_us; /* "relative time begins now": after every init_ok */

    struct endpoints eps; /* the network's endpoints have the same indices */
    uint32_t n_nodes;
    char (*node_names)[GL_ID_MAX];
    time_us *init_off_us; /* per node: when its init goes out, from world_start */
    struct topo topology; /* --topology, sent to every node */

    struct network *net;
    struct workload *wl;

    /* Setup. */
    uint32_t setup_pending;
    uint32_t setup_first_ep; /* the first setup client of the current phase */

    /* Output. */
    struct history *history;
    struct strbuf faults;
};

/* The lane of the workload's and the world's own timers and the driver's plain ones. */
#define LANE_MISC 0u

void world_push_event_on(struct world *w, uint32_t lane, time_us at_us, enum ev_kind kind,
                         uint64_t arg);
void world_push_event(struct world *w, time_us at_us, enum ev_kind kind, uint64_t arg);
/* Registers a client with the world and the network (same index); -1 when out of memory. */
int32_t world_open_client(struct world *w, int32_t worker);
/* Sends through the network; m's arrays and raw_body move to it. */
void world_send(struct world *w, uint32_t src, uint32_t dest, struct msg *m, char *raw_body,
                time_us now_us);
/* Ends the test (once) for why; the first reason is kept. */
void world_abort_test(struct world *w, enum world_abort why, const char *detail);

/* world_setup.c: a setup thread opens its client and sends node its init or topology. */
void world_setup_send_to(struct world *w, enum msg_type type, uint32_t node, time_us now_us);
/* A setup client's reply r (init_ok or topology_ok, or anything else: the test aborts). */
void world_setup_reply(struct world *w, uint32_t client, const struct msg *r, time_us now_us);
/* The setup phase of type took too long: the test aborts naming the nodes that did not answer. */
void world_setup_timeout(struct world *w, enum msg_type type);

#endif
