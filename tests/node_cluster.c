/*
 * node_cluster: the test bench of node_cluster.h.
 */
#include "node_cluster.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cfg make_cfg(enum topo_kind kind, time_us batch_us, enum delivery_mode mode)
{
    struct cfg c;
    cfg_defaults(&c);
    c.strategy = CFG_STRATEGY_BUILTIN;
    c.kind = kind;
    c.batch_timeout_us = batch_us;
    c.delivery = mode;
    c.retry_us = 500 * US_PER_MS;
    return c;
}

static void set_type(struct msg *m, enum msg_type t)
{
    m->type = t;
    snprintf(m->type_name, sizeof m->type_name, "%s", msg_type_name(t));
}

struct msg request(const char *src, const char *dest, enum msg_type t, int64_t msg_id)
{
    struct msg m;
    msg_init(&m);
    snprintf(m.src, sizeof m.src, "%s", src);
    snprintf(m.dest, sizeof m.dest, "%s", dest);
    set_type(&m, t);
    m.has_msg_id = msg_id > 0;
    m.msg_id = msg_id;
    return m;
}

static void log_msg(struct cluster *cl, const struct msg *m)
{
    if (cl->n_log == cl->cap_log) {
        cl->cap_log = cl->cap_log ? cl->cap_log * 2 : 256;
        cl->log = realloc(cl->log, cl->cap_log * sizeof *cl->log);
        ck_assert_ptr_nonnull(cl->log);
    }
    cl->log[cl->n_log].at = cl->now;
    ck_assert_int_eq(msg_copy(&cl->log[cl->n_log].m, m), 0);
    cl->n_log++;
}

/* Logs a node's output and queues what is addressed to nodes (moving it out of the outbox). */
static void collect(struct cluster *cl, struct outbox *out)
{
    for (size_t k = 0; k < out->n; k++) {
        struct msg *m = &out->v[k];
        log_msg(cl, m);
        if (m->dest[0] != 'n') continue; /* a reply to a client: logged only */
        if (m->type == MSG_INTERNAL && cl->drop_internal > 0 &&
            (!cl->drop_dest || strcmp(cl->drop_dest, m->dest) == 0)) {
            cl->drop_internal--;
            continue;
        }
        if (cl->q_head + cl->q_n == cl->q_cap) {
            cl->q_cap = cl->q_cap ? cl->q_cap * 2 : 256;
            cl->q = realloc(cl->q, cl->q_cap * sizeof *cl->q);
            ck_assert_ptr_nonnull(cl->q);
        }
        ck_assert_int_eq(msg_own_values(m), 0); /* a lent value stays with the outbox */
        cl->q[cl->q_head + cl->q_n++] = *m;
        msg_init(m); /* ownership moved to the queue */
    }
    outbox_clear(out);
}

static struct node *node_named(struct cluster *cl, const char *name)
{
    unsigned k = (unsigned)atoi(name + 1);
    ck_assert_uint_lt(k, cl->n);
    return cl->node[k];
}

/* Delivers until no message is in flight. */
static void pump(struct cluster *cl)
{
    struct outbox out;
    outbox_init(&out);
    while (cl->q_n > 0) {
        struct msg m = cl->q[cl->q_head];
        cl->q_head++;
        cl->q_n--;
        char err[256];
        struct node *to = node_named(cl, m.dest);
        /* Node k is the cluster's k-th id (cluster_new's init lists n0, n1, ... in order). */
        int32_t src = m.src[0] == 'n' ? atoi(m.src + 1) : -1, dest = atoi(m.dest + 1);
        ck_assert_int_eq(cl->by_index
                             ? node_on_message_at(to, cl->now, &m, src, dest, &out, err, sizeof err)
                             : node_on_message(to, cl->now, &m, &out, err, sizeof err),
                         0);
        msg_release(&m);
        collect(cl, &out);
    }
    cl->q_head = 0;
    outbox_release(&out);
}

/* A client message to node k at the current time, then everything it causes. */
void inject(struct cluster *cl, uint32_t k, struct msg *m)
{
    struct outbox out;
    outbox_init(&out);
    char err[256];
    ck_assert_int_eq(node_on_message(cl->node[k], cl->now, m, &out, err, sizeof err), 0);
    msg_release(m);
    collect(cl, &out);
    outbox_release(&out);
    pump(cl);
}

void client_broadcast(struct cluster *cl, uint32_t k, int64_t value)
{
    char dest[GL_ID_MAX];
    snprintf(dest, sizeof dest, "n%u", k);
    struct msg m = request("c99", dest, MSG_BROADCAST, 7);
    m.message = value;
    inject(cl, k, &m);
}

/* Runs every node's timers due up to t, in time order, delivering instantly. */
void run_until(struct cluster *cl, time_us t)
{
    struct outbox out;
    outbox_init(&out);
    for (;;) {
        time_us next = TIME_NEVER;
        for (uint32_t k = 0; k < cl->n; k++) {
            time_us d = node_next_deadline_us(cl->node[k]);
            if (d < next) next = d;
        }
        if (next > t) break;
        ck_assert_uint_ge(next, cl->now);
        cl->now = next;
        for (uint32_t k = 0; k < cl->n; k++) {
            if (node_next_deadline_us(cl->node[k]) > cl->now) continue;
            node_on_tick(cl->node[k], cl->now, &out);
            collect(cl, &out);
        }
        pump(cl);
    }
    cl->now = t;
    outbox_release(&out);
}

void cluster_new(struct cluster *cl, uint32_t n, const struct cfg *cfg)
{
    memset(cl, 0, sizeof *cl);
    cl->n = n;
    char ids[MAXN][GL_ID_MAX];
    for (uint32_t k = 0; k < n; k++)
        snprintf(ids[k], GL_ID_MAX, "n%u", k);
    for (uint32_t k = 0; k < n; k++) {
        char err[256], client[GL_ID_MAX];
        cl->node[k] = node_new(cfg, NULL, err, sizeof err);
        ck_assert_msg(cl->node[k] != NULL, "%s", err);
        snprintf(client, sizeof client, "c%u", k);
        struct msg m = request(client, ids[k], MSG_INIT, 1);
        snprintf(m.node_id, sizeof m.node_id, "%s", ids[k]);
        ck_assert_int_eq(msg_set_node_ids(&m, (const char(*)[GL_ID_MAX])ids, n), 0);
        inject(cl, k, &m);
        const struct msg *r = &cl->log[cl->n_log - 1].m;
        ck_assert_int_eq(r->type, MSG_INIT_OK);
        ck_assert_str_eq(r->src, ids[k]);
    }
}

void cluster_free(struct cluster *cl)
{
    for (uint32_t k = 0; k < cl->n; k++)
        node_free(cl->node[k]);
    for (size_t k = 0; k < cl->n_log; k++)
        msg_release(&cl->log[k].m);
    for (size_t k = 0; k < cl->q_n; k++)
        msg_release(&cl->q[cl->q_head + k]);
    free(cl->log);
    free(cl->q);
}

/* Messages of type t logged from index `from` on. */
unsigned count_from(const struct cluster *cl, size_t from, enum msg_type t)
{
    unsigned c = 0;
    for (size_t k = from; k < cl->n_log; k++)
        c += cl->log[k].m.type == t;
    return c;
}

/* The last logged message: a node's most recent output. */
const struct msg *last(const struct cluster *cl)
{
    ck_assert_uint_gt(cl->n_log, 0);
    return &cl->log[cl->n_log - 1].m;
}
