/*
 * world_int: the world's private state, shared by its source files (world.c: phases and clients;
 * network.c: the network; workload.c: the generator and the nemesis). Not part of the world's API.
 */
#ifndef GL_WORLD_INT_H
#define GL_WORLD_INT_H

#include "world.h"

/* Kinds of events on the world's heap; the heap entry's tag is kind | arg << 8. */
enum ev_kind {
    EV_DELIVER,       /* arg = endpoint: its delivery thread wakes */
    EV_GEN,           /* the generator may have an op due */
    EV_OP_TIMEOUT,    /* arg = worker | op serial << 24 */
    EV_SETUP_TIMEOUT, /* init or topology took too long */
    EV_FINAL_READS,   /* the recovery wait is over */
    EV_DRIVER,        /* arg = the driver's tag */
};

enum phase {
    PH_NEW,
    PH_INIT,
    PH_TOPOLOGY,
    PH_MAIN,
    PH_RECOVERY,
    PH_FINAL,
    PH_DONE,
};

/* A server node or a client: one registered id with one delivery queue (spec §3.2). */
struct endpoint {
    char name[GL_ID_MAX];
    bool client;
    bool open;             /* registered on the network */
    bool output_dead;      /* nodes: stdout ignored for the rest of the run (spec §1.6) */
    int32_t worker;        /* clients: the worker using it, or -1 (setup clients) */
    uint32_t setup_node;   /* setup clients: the node they talk to */
    bool setup_done;       /* setup clients: answered */
    struct heap queue;     /* struct wmsg * ordered by (deadline, send order) */
    struct wmsg *inflight; /* taken by the delivery thread, sleeping until its deadline */
};

enum op_f {
    OP_BROADCAST,
    OP_READ,
};

/* A client worker thread (spec §2.4): bound to node thread mod N for life. */
struct worker {
    uint32_t node;
    int64_t process;
    int32_t client;      /* endpoint, or -1 before the first op */
    bool renew_client;   /* the last op crashed (:info): open a new client next time */
    int64_t next_msg_id; /* per client, from 1 */
    bool busy;
    bool final;
    enum op_f f;
    int64_t value;
    int64_t msg_id;
    uint64_t serial; /* distinguishes this op's timeout from older ones */
};

struct world {
    struct world_opts o;
    struct world_driver drv;
    enum phase phase;
    bool finished; /* finish() ran: queues drained, events dropped */
    enum world_abort abort_reason;
    char abort_detail[1024];

    struct rng rng_setup, rng_gen, rng_lat, rng_nem;
    struct heap events;
    time_us now_us;
    time_us t0_us; /* "relative time begins now": after every init_ok */

    /* Endpoints: nodes 0..N-1, then clients in the order they were opened (c0, c1, ...). */
    struct endpoint *ep;
    uint32_t n_ep, cap_ep;
    uint32_t n_nodes;
    uint32_t n_clients;
    struct topo topology; /* --topology, sent to every node */

    /* Network. */
    uint64_t next_msg_id;
    struct net_counts net;
    uint8_t *cut; /* cut[dest * N + src]: dest ignores src (partition) */
    bool partitioned;
    world_journal_fn journal;
    void *journal_ctx;

    /* Setup. */
    uint32_t setup_pending;
    uint32_t setup_first_ep; /* the first setup client of the current phase */

    /* Generator (spec §2.4, §2.5, §3.3). */
    struct worker *workers;
    uint32_t n_workers;
    uint32_t cursor; /* over n_workers + 1 slots: the last one is the nemesis */
    time_us next_client_us;
    time_us next_nemesis_us;
    bool nemesis_next_start;
    bool cutoff_set;
    time_us cutoff_us;
    int64_t next_value;
    uint64_t next_serial;
    uint32_t busy_workers;
    time_us gen_wake_us;

    /* Output. */
    struct history *history;
    char *faults;
    size_t faults_len, faults_cap;
};

/* world.c */
void world_push_event(struct world *w, time_us at_us, enum ev_kind kind, uint64_t arg);
void world_client_receive(struct world *w, uint32_t client, struct wmsg *m, time_us now_us);
int32_t world_find_endpoint(const struct world *w, const char *name);
int32_t world_open_client(struct world *w, int32_t worker);
void world_record_nemesis(struct world *w, bool start, const char *value, const char *result);

/* network.c */
int network_init(struct world *w);
void network_release(struct world *w);
/* Sends m (ownership of its arrays moves to the network) from src to dest. */
void network_send(struct world *w, uint32_t src, uint32_t dest, struct msg *m, char *raw_body,
                  time_us now_us);
void network_on_deliver_event(struct world *w, uint32_t endpoint, time_us now_us);
/* Journals every message still queued as undelivered and frees it (end of run). */
void network_drain_all(struct world *w);
void network_heal(struct world *w);
/* Partition: dest ignores src. */
void network_cut(struct world *w, uint32_t dest, uint32_t src);

/* workload.c */
void workload_start(struct world *w, time_us now_us);
void workload_step(struct world *w, time_us now_us);
void workload_op_completed(struct world *w, uint32_t worker, time_us now_us);
void workload_on_timeout(struct world *w, uint32_t worker, uint64_t serial, time_us now_us);
void workload_final_reads(struct world *w, time_us now_us);
/* Completes worker's op from a client reply. */
void workload_on_reply(struct world *w, uint32_t worker, const struct msg *reply, time_us now_us);

#endif
