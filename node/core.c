/*
 * core: the broadcast node as a pure state machine (see core.h for the contract). Sans-IO: it
 * never reads a clock, never calls rand(), never prints and holds no globals; time comes in as
 * now_us and everything it wants to say goes into the caller's outbox.
 *
 * State, per node:
 *   - the cluster (node ids from init, a name -> index hash) and this node's routes: the peers it
 *     floods to, or its children and the root (rooted strategies), or everyone (flat);
 *   - the values it knows (valset: first-seen order + hash);
 *   - per peer, a pending list of values to send. Without batching the lists are flushed at the
 *     end of every call; with batching only on ticks of a fixed grid origin + k * timeout;
 *   - with acks, the broadcast_internal messages in flight (inflight.h: found by msg_id in
 *     O(1), the next retry always at the head).
 */
#include "core.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "inflight.h"
#include "rng.h"
#include "strbuf.h"
#include "valset.h"

#include "banned.h"

enum route {
    ROUTE_FLOOD,  /* first sight: every neighbour except the sender */
    ROUTE_ROOTED, /* children (and the root, for client broadcasts at a non-root node) */
    ROUTE_FLAT,   /* client broadcast: every other node; peers' values go nowhere */
};

/* Maelstrom error codes we answer with (spec §1.5). */
enum {
    ERR_NOT_SUPPORTED = 10,
    ERR_TEMPORARILY_UNAVAILABLE = 11,
    ERR_MALFORMED_REQUEST = 12,
    ERR_CRASH = 13,
    ERR_PRECONDITION_FAILED = 22,
};

struct i64vec {
    int64_t *v;
    size_t n, cap;
};

struct peer {
    struct i64vec pending; /* values waiting for the next flush, in routing order */
    bool dirty;            /* pending is non-empty and the peer is on the dirty list */
};

struct node {
    struct cfg cfg;
    struct topo file_topo; /* CFG_STRATEGY_FILE only */

    bool initialised;
    char self[GL_ID_MAX];
    uint32_t self_idx;
    char (*ids)[GL_ID_MAX]; /* the cluster, in init order */
    uint32_t n_ids;
    uint32_t *names; /* hash of ids: 0 = empty, else 1 + index */
    size_t names_cap;

    enum route route;
    uint32_t *nbrs; /* flood neighbours, or rooted children (peer indices, never self) */
    uint32_t n_nbrs;
    int32_t root; /* ROUTE_ROOTED: the root's index */

    struct valset values;
    struct peer *peers; /* n_ids entries */
    uint32_t *dirty;    /* peers with pending values, in the order they got them */
    uint32_t n_dirty;

    struct inflight inflight; /* acks: sent, not yet acknowledged */
    int64_t next_msg_id;

    time_us origin_us;    /* init time: the batch ticker's grid starts here */
    time_us last_tick_us; /* the last grid point that flushed */
    time_us next_tick_us; /* valid when tick_armed */
    bool tick_armed;

    struct node_stats stats;
};

/* ---- small helpers ---------------------------------------------------------------------- */

static int i64vec_push(struct i64vec *a, int64_t v)
{
    if (GL_GROW(a->v, a->n + 1, a->cap) != 0) return -1;
    a->v[a->n++] = v;
    return 0;
}

static void set_err(char *err, size_t errlen, const char *what)
{
    if (err && errlen) snprintf(err, errlen, "%s", what);
}

/* Index of a cluster node by name, or -1. */
static int32_t peer_find(const struct node *n, const char *name)
{
    if (!n->names) return -1;
    size_t mask = n->names_cap - 1;
    for (size_t i = (size_t)rng_hash_str(name) & mask; n->names[i] != 0; i = (i + 1) & mask) {
        uint32_t k = n->names[i] - 1;
        if (strcmp(n->ids[k], name) == 0) return (int32_t)k;
    }
    return -1;
}

/* ---- outgoing messages ------------------------------------------------------------------ */

static struct msg *new_msg(struct node *n, struct outbox *out, const char *src, const char *dest,
                           enum msg_type type)
{
    struct msg *m = outbox_add(out);
    if (!m) return NULL;
    snprintf(m->src, sizeof m->src, "%s", src);
    snprintf(m->dest, sizeof m->dest, "%s", dest);
    m->type = type;
    snprintf(m->type_name, sizeof m->type_name, "%s", msg_type_name(type));
    (void)n;
    return m;
}

/* Our id once initialised; before that, whatever the request was addressed to. */
static const char *reply_src(const struct node *n, const struct msg *req)
{
    return n->initialised ? n->self : req->dest;
}

static struct msg *new_reply(struct node *n, struct outbox *out, const struct msg *req,
                             enum msg_type type)
{
    struct msg *m = new_msg(n, out, reply_src(n, req), req->src, type);
    if (!m) return NULL;
    m->has_in_reply_to = req->has_msg_id;
    m->in_reply_to = req->msg_id;
    return m;
}

/* An error reply; nothing when the request has no msg_id (nobody could match the answer). */
static int reply_error(struct node *n, struct outbox *out, const struct msg *req, int64_t code,
                       const char *text)
{
    if (!req->has_msg_id) return 0;
    struct msg *m = new_reply(n, out, req, MSG_ERROR);
    if (!m) return -1;
    m->code = code;
    snprintf(m->text, sizeof m->text, "%s", text);
    n->stats.errors_sent++;
    return 0;
}

/* ---- batching and sending ---------------------------------------------------------------- */

static bool batching(const struct node *n)
{
    return n->cfg.batch_timeout_us > 0;
}

/* The first grid point strictly after t (grid: origin + k * timeout, k >= 0). */
static time_us grid_above(const struct node *n, time_us t)
{
    time_us step = n->cfg.batch_timeout_us;
    if (t < n->origin_us) return n->origin_us;
    return n->origin_us + ((t - n->origin_us) / step + 1) * step;
}

static time_us grid_floor(const struct node *n, time_us t)
{
    time_us step = n->cfg.batch_timeout_us;
    if (t <= n->origin_us) return n->origin_us;
    return n->origin_us + (t - n->origin_us) / step * step;
}

/*
 * Arms the ticker for pending work: the first grid point strictly after now. Idle ticks are
 * skipped (they would do nothing), so an idle node has no deadline. "Strictly after" keeps a
 * value that arrives exactly on a grid point from crossing a hop in zero time when nodes share
 * the same phase (virtual time); it waits one period like any other value.
 */
static void arm_tick(struct node *n, time_us now_us)
{
    if (!batching(n) || n->tick_armed) return;
    time_us t = grid_above(n, now_us);
    time_us after_last = n->last_tick_us + n->cfg.batch_timeout_us;
    n->next_tick_us = t > after_last ? t : after_last;
    n->tick_armed = true;
}

static int enqueue(struct node *n, uint32_t peer, int64_t v, time_us now_us)
{
    struct peer *p = &n->peers[peer];
    if (i64vec_push(&p->pending, v) != 0) return -1;
    if (!p->dirty) {
        p->dirty = true;
        n->dirty[n->n_dirty++] = peer;
    }
    arm_tick(n, now_us);
    return 0;
}

/* One broadcast_internal to peer carrying vals[0..count); in flight when acking. */
static int send_internal(struct node *n, uint32_t peer, const int64_t *vals, size_t count,
                         time_us now_us, struct outbox *out)
{
    struct msg *m = new_msg(n, out, n->self, n->ids[peer], MSG_INTERNAL);
    if (!m) return -1;
    for (size_t k = 0; k < count; k++)
        if (msg_values_push(&m->values, vals[k]) != 0) return -1;
    n->stats.internal_sent++;
    if (n->cfg.delivery != DELIVERY_ACKS) return 0;
    m->has_msg_id = true;
    m->msg_id = n->next_msg_id++;
    return inflight_push(&n->inflight, m->msg_id, peer, vals, count, now_us + n->cfg.retry_us);
}

/* Sends every pending list, one message per peer (split at GL_MAX_BATCH_VALUES). */
static int flush(struct node *n, time_us now_us, struct outbox *out)
{
    int rc = 0;
    for (uint32_t d = 0; d < n->n_dirty; d++) {
        struct peer *p = &n->peers[n->dirty[d]];
        for (size_t off = 0; off < p->pending.n && rc == 0; off += GL_MAX_BATCH_VALUES) {
            size_t left = p->pending.n - off;
            size_t count = left < GL_MAX_BATCH_VALUES ? left : GL_MAX_BATCH_VALUES;
            rc = send_internal(n, n->dirty[d], p->pending.v + off, count, now_us, out);
        }
        p->pending.n = 0;
        p->dirty = false;
    }
    n->n_dirty = 0;
    n->tick_armed = false;
    return rc;
}

/* Without batching, whatever a call queued goes out before it returns. */
static int flush_unbatched(struct node *n, time_us now_us, struct outbox *out)
{
    return batching(n) ? 0 : flush(n, now_us, out);
}

/* ---- routing ----------------------------------------------------------------------------- */

/*
 * Queues a value seen for the first time. client: it came in a client broadcast; otherwise from
 * a peer, whose index is from (-1 when the sender is not a node of the cluster).
 */
static int route_value(struct node *n, int64_t v, bool client, int32_t from, time_us now_us)
{
    switch (n->route) {
    case ROUTE_FLOOD:
    case ROUTE_ROOTED:
        for (uint32_t k = 0; k < n->n_nbrs; k++)
            if ((int32_t)n->nbrs[k] != from && enqueue(n, n->nbrs[k], v, now_us) != 0) return -1;
        if (n->route == ROUTE_ROOTED && client && n->root != (int32_t)n->self_idx)
            return enqueue(n, (uint32_t)n->root, v, now_us);
        return 0;
    case ROUTE_FLAT:
        if (!client) return 0;
        for (uint32_t k = 0; k < n->n_ids; k++)
            if (k != n->self_idx && enqueue(n, k, v, now_us) != 0) return -1;
        return 0;
    }
    return 0;
}

/* Stores v; routes it when new. Returns 0, or -1 with err (limit or memory). */
static int learn(struct node *n, int64_t v, bool client, int32_t from, time_us now_us, char *err,
                 size_t errlen)
{
    switch (valset_add(&n->values, v)) {
    case VALSET_NEW:
        if (route_value(n, v, client, from, now_us) == 0) return 0;
        set_err(err, errlen, "out of memory queueing a value");
        return -1;
    case VALSET_DUP:
        n->stats.duplicates++;
        return 0;
    case VALSET_FULL:
        return gl_errorf(err, errlen, "value limit GL_MAX_VALUES (%u) reached: dropping %lld",
                         (unsigned)GL_MAX_VALUES, (long long)v);
    case VALSET_NOMEM:
        break;
    }
    set_err(err, errlen, "out of memory storing a value");
    return -1;
}

/* ---- topology ---------------------------------------------------------------------------- */

/* Adds peer to nbrs unless it is self or already there (seen: n_ids flags). */
static void add_nbr(struct node *n, int32_t peer, bool *seen)
{
    if (peer < 0 || (uint32_t)peer == n->self_idx || seen[peer]) return;
    seen[peer] = true;
    n->nbrs[n->n_nbrs++] = (uint32_t)peer;
}

/*
 * Takes this node's routes from t, whose nodes are matched to the cluster by name. rooted: use
 * t's arborescence root and this node's children; otherwise flood over the undirected graph
 * (this node's list, then every node that lists it). strict: a name outside the cluster is an
 * error (a topology file); otherwise it is skipped (the controller's map).
 */
static int adopt_topology(struct node *n, const struct topo *t, int32_t root, bool strict,
                          char *why, size_t whylen)
{
    bool *seen = calloc(n->n_ids, sizeof *seen);
    uint32_t *nbrs = malloc(n->n_ids * sizeof *nbrs);
    if (!seen || !nbrs) {
        free(seen);
        free(nbrs);
        set_err(why, whylen, "out of memory");
        return -1;
    }
    free(n->nbrs);
    n->nbrs = nbrs;
    n->n_nbrs = 0;
    for (uint32_t j = 0; j < t->n; j++) {
        if (strict && peer_find(n, t->nodes[j].name) < 0) {
            snprintf(why, whylen, "topology names '%s', which is not a node of this cluster",
                     t->nodes[j].name);
            free(seen);
            return -1;
        }
    }
    int32_t me = topo_find(t, n->self);
    if (me >= 0) {
        const struct topo_node *tn = &t->nodes[me];
        for (uint32_t k = 0; k < tn->deg; k++)
            add_nbr(n, peer_find(n, t->nodes[tn->adj[k]].name), seen);
    }
    if (root >= 0) {
        n->route = ROUTE_ROOTED;
        n->root = peer_find(n, t->nodes[root].name);
        assert(n->root >= 0 || !strict);
    } else {
        n->route = ROUTE_FLOOD;
        for (uint32_t j = 0; me >= 0 && j < t->n; j++)
            for (uint32_t k = 0; k < t->nodes[j].deg; k++)
                if (t->nodes[j].adj[k] == (uint32_t)me)
                    add_nbr(n, peer_find(n, t->nodes[j].name), seen);
    }
    free(seen);
    return 0;
}

/* Routes for the configured strategy, once the cluster is known (init). */
static int build_routes(struct node *n, char *why, size_t whylen)
{
    int32_t root = -1;
    if (n->cfg.root[0]) {
        root = peer_find(n, n->cfg.root);
        if (root < 0) {
            return gl_errorf(why, whylen, "configured root '%s' is not one of the %u node ids",
                             n->cfg.root, n->n_ids);
        }
    }
    switch (n->cfg.strategy) {
    case CFG_STRATEGY_MAELSTROM:
        n->route = ROUTE_FLOOD; /* no neighbours until the topology message */
        return 0;
    case CFG_STRATEGY_FILE: {
        int32_t r = topo_arborescence_root(&n->file_topo);
        return adopt_topology(n, &n->file_topo, r, true, why, whylen);
    }
    case CFG_STRATEGY_BUILTIN:
        break;
    }
    if (n->cfg.kind == TOPO_FLAT) {
        /* Not built: the complete graph costs O(N^2) per node and flat routing needs no lists. */
        n->route = ROUTE_FLAT;
        return 0;
    }
    struct topo t;
    topo_init(&t);
    int rc =
        topo_build(&t, n->cfg.kind, n->n_ids, (const char(*)[GL_ID_MAX])n->ids, root, why, whylen);
    if (rc == 0) rc = adopt_topology(n, &t, t.directed ? t.root : -1, true, why, whylen);
    topo_release(&t);
    return rc;
}

/* ---- message handlers -------------------------------------------------------------------- */

static void forget_cluster(struct node *n)
{
    for (uint32_t k = 0; n->peers && k < n->n_ids; k++)
        free(n->peers[k].pending.v);
    free(n->peers);
    free(n->dirty);
    free(n->ids);
    free(n->names);
    free(n->nbrs);
    n->peers = NULL;
    n->dirty = NULL;
    n->ids = NULL;
    n->names = NULL;
    n->nbrs = NULL;
    n->n_ids = n->n_nbrs = n->n_dirty = 0;
    n->initialised = false;
    n->self[0] = '\0';
}

/* Learns the cluster from init: ids, name hash, per-peer state. code: the error to answer. */
static int set_cluster(struct node *n, const struct msg *in, int64_t *code, char *why,
                       size_t whylen)
{
    *code = ERR_MALFORMED_REQUEST;
    if (in->n_node_ids == 0 || in->n_node_ids > GL_MAX_NODES) {
        return gl_errorf(why, whylen, "init: %zu node ids (1 to %u allowed)", in->n_node_ids,
                         (unsigned)GL_MAX_NODES);
    }
    n->n_ids = (uint32_t)in->n_node_ids;
    n->names_cap = 16;
    while (n->names_cap < 2u * n->n_ids)
        n->names_cap *= 2;
    n->ids = malloc(n->n_ids * sizeof *n->ids);
    n->names = calloc(n->names_cap, sizeof *n->names);
    n->peers = calloc(n->n_ids, sizeof *n->peers);
    n->dirty = malloc(n->n_ids * sizeof *n->dirty);
    if (!n->ids || !n->names || !n->peers || !n->dirty) {
        *code = ERR_CRASH;
        set_err(why, whylen, "init: out of memory");
        return -1;
    }
    for (uint32_t k = 0; k < n->n_ids; k++) {
        memcpy(n->ids[k], in->node_ids[k], GL_ID_MAX);
        if (peer_find(n, n->ids[k]) >= 0) {
            return gl_errorf(why, whylen, "init: node id '%s' is listed twice", n->ids[k]);
        }
        size_t mask = n->names_cap - 1, i = (size_t)rng_hash_str(n->ids[k]) & mask;
        while (n->names[i] != 0)
            i = (i + 1) & mask;
        n->names[i] = k + 1;
    }
    int32_t me = peer_find(n, in->node_id);
    if (me < 0) {
        return gl_errorf(why, whylen, "init: node_id '%s' is not in node_ids", in->node_id);
    }
    n->self_idx = (uint32_t)me;
    snprintf(n->self, sizeof n->self, "%s", in->node_id);
    *code = ERR_CRASH; /* from here on, our configuration does not fit this cluster */
    return build_routes(n, why, whylen);
}

static int on_init(struct node *n, time_us now_us, const struct msg *in, struct outbox *out,
                   char *err, size_t errlen)
{
    char why[GL_MAX_TEXT];
    if (n->initialised) {
        snprintf(why, sizeof why, "init: already initialised as '%s'", n->self);
        set_err(err, errlen, why);
        reply_error(n, out, in, ERR_PRECONDITION_FAILED, why);
        return -1;
    }
    int64_t code;
    if (set_cluster(n, in, &code, why, sizeof why) != 0) {
        forget_cluster(n);
        set_err(err, errlen, why);
        reply_error(n, out, in, code, why);
        return -1;
    }
    n->initialised = true;
    n->origin_us = n->last_tick_us = now_us;
    if (new_reply(n, out, in, MSG_INIT_OK)) return 0;
    set_err(err, errlen, "out of memory");
    return -1;
}

/* True when t names at least one node of the cluster (as a key or as a neighbour). */
static bool names_a_node(const struct node *n, const struct topo *t)
{
    for (uint32_t j = 0; j < t->n; j++)
        if (peer_find(n, t->nodes[j].name) >= 0) return true;
    return false;
}

static int on_topology(struct node *n, const struct msg *in, struct outbox *out, char *err,
                       size_t errlen)
{
    /*
     * A map that names none of our nodes was meant for another cluster (or is empty): whatever
     * the strategy, adopting or acknowledging it would hide the mistake.
     */
    if (in->topology && !names_a_node(n, in->topology)) {
        char why[GL_MAX_TEXT];
        snprintf(why, sizeof why,
                 "topology names no node of this cluster (%u names, none of %u ids)",
                 in->topology->n, n->n_ids);
        set_err(err, errlen, why);
        reply_error(n, out, in, ERR_MALFORMED_REQUEST, why);
        return -1;
    }
    /* Only the maelstrom strategy listens; the others answer and keep their own routes. */
    if (n->cfg.strategy == CFG_STRATEGY_MAELSTROM && in->topology) {
        char why[GL_MAX_TEXT];
        if (adopt_topology(n, in->topology, -1, false, why, sizeof why) != 0) {
            set_err(err, errlen, why);
            reply_error(n, out, in, ERR_CRASH, why);
            return -1;
        }
    }
    if (new_reply(n, out, in, MSG_TOPOLOGY_OK)) return 0;
    set_err(err, errlen, "out of memory");
    return -1;
}

static int on_broadcast(struct node *n, time_us now_us, const struct msg *in, struct outbox *out,
                        char *err, size_t errlen)
{
    char why[GL_MAX_TEXT];
    if (learn(n, in->message, true, -1, now_us, why, sizeof why) != 0) {
        set_err(err, errlen, why);
        reply_error(n, out, in, ERR_CRASH, why);
        return -1;
    }
    if (new_reply(n, out, in, MSG_BROADCAST_OK)) return 0;
    set_err(err, errlen, "out of memory");
    return -1;
}

static int on_read(struct node *n, const struct msg *in, struct outbox *out, char *err,
                   size_t errlen)
{
    struct msg *m = new_reply(n, out, in, MSG_READ_OK);
    if (m && n->values.n > 0) {
        m->values.v = malloc(n->values.n * sizeof *m->values.v);
        if (m->values.v) {
            memcpy(m->values.v, n->values.order, n->values.n * sizeof *m->values.v);
            m->values.n = m->values.cap = n->values.n;
        }
    }
    if (m && (n->values.n == 0 || m->values.v)) return 0;
    set_err(err, errlen, "out of memory");
    return -1;
}

/*
 * Why a broadcast_internal cannot be taken, or NULL: it is node-to-node only, and all or none of
 * its values are stored (the codec drops elements that are not integers and flags the message).
 */
static const char *internal_refusal(const struct msg *in, int32_t from, char *why, size_t whylen)
{
    if (from < 0) {
        snprintf(why, whylen,
                 "broadcast_internal from '%s', which is not a node of this cluster: only nodes "
                 "send it",
                 in->src);
        return why;
    }
    if (in->flags & MSG_F_NON_INT_VALUES) {
        snprintf(why, whylen,
                 "broadcast_internal: body.messages holds an element that is not an integer; "
                 "none of its values is stored");
        return why;
    }
    return NULL;
}

/*
 * The values of a peer's broadcast_internal. It is acknowledged first (when it asks, by
 * carrying a msg_id), even when a value hits the limit: a re-send would not fit either. One
 * that cannot be taken at all (internal_refusal) is answered with error 12 instead.
 */
static int on_internal(struct node *n, time_us now_us, const struct msg *in, struct outbox *out,
                       char *err, size_t errlen)
{
    int rc = 0;
    int32_t from = peer_find(n, in->src);
    char why[GL_MAX_TEXT];
    if (internal_refusal(in, from, why, sizeof why)) {
        set_err(err, errlen, why);
        reply_error(n, out, in, ERR_MALFORMED_REQUEST, why);
        return -1;
    }
    if (in->has_msg_id && !new_reply(n, out, in, MSG_INTERNAL_OK)) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    if (in->has_msg_id) n->stats.internal_ok_sent++;
    for (size_t k = 0; k < in->values.n && rc == 0; k++)
        rc = learn(n, in->values.v[k], false, from, now_us, err, errlen);
    return rc;
}

static void on_internal_ok(struct node *n, const struct msg *in)
{
    int32_t from = peer_find(n, in->src);
    /* A late ack (the values were already re-sent under a new msg_id) is ignored. */
    if (in->has_in_reply_to && from >= 0)
        inflight_ack(&n->inflight, in->in_reply_to, (uint32_t)from);
}

static int dispatch(struct node *n, time_us now_us, const struct msg *in, struct outbox *out,
                    char *err, size_t errlen)
{
    char why[GL_MAX_TEXT];
    /*
     * A message for another node is dropped unanswered (a reply would speak for that node);
     * err says so for the driver's log. Before init we do not know who we are.
     */
    if (n->initialised && strcmp(in->dest, n->self) != 0) {
        return gl_errorf(err, errlen, "dropped a '%s' message from '%s' to '%s': this node is '%s'",
                         in->type_name, in->src, in->dest, n->self);
    }
    if (in->type == MSG_INIT) return on_init(n, now_us, in, out, err, errlen);
    switch (in->type) {
    case MSG_INIT_OK:
    case MSG_TOPOLOGY_OK:
    case MSG_BROADCAST_OK:
    case MSG_READ_OK:
    case MSG_ERROR:
        return 0; /* replies need no answer; answering them could loop */
    case MSG_OTHER:
        snprintf(why, sizeof why, "unsupported message type '%s'", in->type_name);
        return reply_error(n, out, in, ERR_NOT_SUPPORTED, why);
    case MSG_INIT:
    case MSG_TOPOLOGY:
    case MSG_BROADCAST:
    case MSG_READ:
    case MSG_INTERNAL:
    case MSG_INTERNAL_OK:
        break;
    }
    if (!n->initialised)
        return reply_error(n, out, in, ERR_TEMPORARILY_UNAVAILABLE, "not initialised yet");
    switch (in->type) {
    case MSG_TOPOLOGY:
        return on_topology(n, in, out, err, errlen);
    case MSG_BROADCAST:
        return on_broadcast(n, now_us, in, out, err, errlen);
    case MSG_READ:
        return on_read(n, in, out, err, errlen);
    case MSG_INTERNAL:
        return on_internal(n, now_us, in, out, err, errlen);
    case MSG_INTERNAL_OK:
        on_internal_ok(n, in);
        return 0;
    case MSG_INIT:
    case MSG_INIT_OK:
    case MSG_TOPOLOGY_OK:
    case MSG_BROADCAST_OK:
    case MSG_READ_OK:
    case MSG_ERROR:
    case MSG_OTHER:
        break;
    }
    return 0;
}

/* ---- public API -------------------------------------------------------------------------- */

int node_on_message(struct node *n, time_us now_us, const struct msg *in, struct outbox *out,
                    char *err, size_t errlen)
{
    int rc = dispatch(n, now_us, in, out, err, errlen);
    if (flush_unbatched(n, now_us, out) != 0 && rc == 0) {
        set_err(err, errlen, "out of memory sending");
        rc = -1;
    }
    return rc;
}

int node_reply_malformed(struct node *n, const struct msg *req, const char *why, struct outbox *out)
{
    return reply_error(n, out, req, ERR_MALFORMED_REQUEST, why);
}

/* Hands the values of every overdue in-flight message back to its peer's pending list. */
static int expire_retries(struct node *n, time_us now_us)
{
    const struct inflight_msg *f;
    while ((f = inflight_due(&n->inflight, now_us)) != NULL) {
        for (size_t k = 0; k < f->n; k++)
            if (enqueue(n, f->peer, f->vals[k], now_us) != 0) return -1;
        inflight_pop_due(&n->inflight);
        n->stats.retries++;
    }
    return 0;
}

void node_on_tick(struct node *n, time_us now_us, struct outbox *out)
{
    /* Out of memory here cannot be answered to anyone; values stay pending for the next try. */
    if (expire_retries(n, now_us) != 0) return;
    if (!batching(n)) {
        flush(n, now_us, out);
    } else if (n->tick_armed && n->next_tick_us <= now_us) {
        n->last_tick_us = grid_floor(n, now_us);
        flush(n, now_us, out);
    }
}

time_us node_next_deadline_us(const struct node *n)
{
    time_us t = TIME_NEVER;
    if (n->tick_armed) t = n->next_tick_us;
    time_us retry = inflight_next_retry_us(&n->inflight);
    if (retry < t) t = retry;
    return t;
}

struct node *node_new(const struct cfg *cfg, const struct topo *file_topo, char *err, size_t errlen)
{
    struct node *n = calloc(1, sizeof *n);
    if (!n) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    n->cfg = *cfg;
    n->next_msg_id = 1;
    n->root = -1;
    topo_init(&n->file_topo);
    valset_init(&n->values);
    inflight_init(&n->inflight);
    if (cfg->strategy != CFG_STRATEGY_FILE) return n;
    if (!file_topo) {
        set_err(err, errlen, "strategy file needs a topology");
        node_free(n);
        return NULL;
    }
    /* A deep copy through the topo API, so the caller may release its own. */
    for (uint32_t j = 0; j < file_topo->n; j++) {
        if (topo_add_node(&n->file_topo, file_topo->nodes[j].name) < 0) goto fail;
        n->file_topo.nodes[j].listed = file_topo->nodes[j].listed;
    }
    for (uint32_t j = 0; j < file_topo->n; j++)
        for (uint32_t k = 0; k < file_topo->nodes[j].deg; k++)
            if (topo_add_arc(&n->file_topo, j, file_topo->nodes[j].adj[k]) != 0) goto fail;
    n->file_topo.root = file_topo->root;
    n->file_topo.directed = file_topo->directed;
    n->file_topo.kind = file_topo->kind;
    return n;
fail:
    set_err(err, errlen, "cannot copy the topology (out of memory)");
    node_free(n);
    return NULL;
}

void node_free(struct node *n)
{
    if (!n) return;
    forget_cluster(n);
    inflight_release(&n->inflight);
    valset_release(&n->values);
    topo_release(&n->file_topo);
    free(n);
}

const char *node_id(const struct node *n)
{
    return n->self;
}

const int64_t *node_values(const struct node *n, size_t *count)
{
    *count = n->values.n;
    return n->values.order;
}

const struct node_stats *node_get_stats(const struct node *n)
{
    return &n->stats;
}
