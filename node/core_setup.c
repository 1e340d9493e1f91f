/*
 * core_setup.c: the parts of the node core that run once: node_new / node_free, and at init the
 * cluster (ids and a name -> index hash), this node's routes for the configured strategy and the
 * seams over them (batch schedules, the delivery mode, anti-entropy), all their timers in one
 * table. Sans-IO like core.c.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "errmsg.h"
#include "rng.h"

#include "banned.h"

static void set_err(char *err, size_t errlen, const char *what)
{
    if (err && errlen) snprintf(err, errlen, "%s", what);
}

/* "00", "01", ... "99": two digits at a time. */
static const char digit_pairs[] = "0001020304050607080910111213141516171819202122232425262728293031"
                                  "323334353637383940414243444546474849"
                                  "5051525354555657585960616263646566676869707172737475767778798081"
                                  "828384858687888990919293949596979899";

/* "n" and k in decimal, into buf (room for 6 bytes: k < GL_MAX_NODES has at most 4 digits):
 * two table lookups rather than a division per digit. */
static const char *canonical_name(uint32_t k, char *buf)
{
    _Static_assert(GL_MAX_NODES <= 10000, "canonical names have at most 4 digits");
    char *p = buf;
    *p++ = 'n';
    if (k >= 100) {
        uint32_t hi = k / 100;
        if (hi >= 10) *p++ = digit_pairs[2 * hi];
        *p++ = digit_pairs[2 * hi + 1];
        k %= 100;
        *p++ = digit_pairs[2 * k];
    } else if (k >= 10) {
        *p++ = digit_pairs[2 * k];
    }
    *p++ = digit_pairs[2 * k + 1];
    *p = '\0';
    return buf;
}

/* The index a canonical cluster gives name: "n" and a number below n_ids, no leading zero. */
static int32_t canonical_index(const struct node *n, const char *name)
{
    if (name[0] != 'n' || name[1] < '0' || name[1] > '9' || (name[1] == '0' && name[2] != '\0'))
        return -1;
    uint32_t k = 0;
    for (const char *p = name + 1; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        k = 10 * k + (uint32_t)(*p - '0');
        if (k >= n->n_ids) return -1; /* also keeps k from overflowing */
    }
    return (int32_t)k;
}

const char *core_peer_name(const struct node *n, uint32_t k, char buf[GL_ID_MAX])
{
    return n->canonical ? canonical_name(k, buf) : n->id_text + n->id_off[k];
}

const char *core_dest_name(struct node *n, uint32_t k)
{
    if (!n->canonical) return n->id_text + n->id_off[k];
    uint32_t i = k % 8;
    if (n->name_peer[i] != k) {
        canonical_name(k, n->name_of[i]);
        n->name_peer[i] = k;
    }
    return n->name_of[i];
}

/* Index of a cluster node by name, or -1. */
int32_t core_peer_find(const struct node *n, const char *name)
{
    if (n->canonical) return canonical_index(n, name);
    if (!n->names) return -1;
    size_t mask = n->names_cap - 1;
    for (size_t i = (size_t)rng_hash_str(name) & mask; n->names[i] != 0; i = (i + 1) & mask) {
        uint32_t k = n->names[i] - 1u;
        if (strcmp(n->id_text + n->id_off[k], name) == 0) return (int32_t)k;
    }
    return -1;
}

/* ---- topology ---------------------------------------------------------------------------- */

/*
 * Takes this node's routes from t, whose nodes are matched to the cluster by name, with the
 * given shape (root: t's root index, for the rooted shape). strict: a name outside the cluster
 * is an error (a topology file); otherwise it is skipped (the controller's map).
 */
static int adopt_topology(struct node *n, const struct topo *t, enum route_shape shape,
                          int32_t root, bool strict, char *why, size_t whylen)
{
    int32_t *map = malloc((t->n ? t->n : 1) * sizeof(*map));
    if (!map) return gl_errorf(why, whylen, "out of memory");
    for (uint32_t j = 0; j < t->n; j++) {
        map[j] = core_peer_find(n, t->nodes[j].name);
        if (strict && map[j] < 0) {
            snprintf(why, whylen, "topology names '%s', which is not a node of this cluster",
                     t->nodes[j].name);
            free(map);
            return -1;
        }
    }
    int rc =
        route_build(&n->route, t, shape, root, topo_find(t, n->self), map, n->n_ids, n->self_idx);
    free(map);
    return rc == 0 ? 0 : gl_errorf(why, whylen, "out of memory");
}

/* Routes for the configured strategy, once the cluster is known (init: ids are its node ids). */
static int build_routes(struct node *n, const char (*ids)[GL_ID_MAX], char *why, size_t whylen)
{
    int32_t root = -1;
    if (n->cfg.root[0]) {
        root = core_peer_find(n, n->cfg.root);
        if (root < 0) {
            return gl_errorf(why, whylen, "configured root '%s' is not one of the %u node ids",
                             n->cfg.root, n->n_ids);
        }
    }
    switch (n->cfg.strategy) {
    case CFG_STRATEGY_MAELSTROM: /* no neighbours until the topology message */
        return route_build(&n->route, &n->file_topo, ROUTE_SHAPE_FLOOD, -1, -1, NULL, n->n_ids,
                           n->self_idx) == 0
                   ? 0
                   : gl_errorf(why, whylen, "out of memory");
    case CFG_STRATEGY_FILE: {
        /*
         * Every node of the cluster must be in the file: one it leaves out has no links, so the
         * values its clients send never leave it. Every node sees the same ids and the same file,
         * so every node refuses the same cluster.
         */
        for (uint32_t k = 0; k < n->n_ids; k++) {
            char buf[GL_ID_MAX];
            const char *id = core_peer_name(n, k, buf);
            if (topo_find(&n->file_topo, id) < 0) {
                return gl_errorf(why, whylen,
                                 "the topology file names %u nodes but not '%s', one of this "
                                 "cluster's %u (a node left out would have no links)",
                                 n->file_topo.n, id, n->n_ids);
            }
        }
        int32_t r = topo_arborescence_root(&n->file_topo);
        return adopt_topology(n, &n->file_topo, r >= 0 ? ROUTE_SHAPE_ROOTED : ROUTE_SHAPE_FLOOD, r,
                              true, why, whylen);
    }
    case CFG_STRATEGY_BUILTIN:
        break;
    }
    if (n->cfg.kind == TOPO_FLAT) { /* not built: the complete graph costs O(N^2) per node */
        if (route_build_flat(&n->route, n->n_ids, n->self_idx) == 0) return 0;
        return gl_errorf(why, whylen, "out of memory");
    }
    struct topo t;
    topo_init(&t);
    int rc = topo_build_k(&t, n->cfg.kind, n->n_ids, ids, root, n->cfg.topo_k, why, whylen);
    if (rc == 0) rc = adopt_topology(n, &t, route_shape_of(&t), t.root, true, why, whylen);
    topo_release(&t);
    return rc;
}

/* The sync peers: every out-link and the parent, in that order. */
static int set_sync_peers(struct node *n, time_us now_us)
{
    if (!n->cfg.sync_us) return 0;
    uint32_t *peers = malloc((n->route.n_links + 1) * sizeof(*peers));
    if (!peers) return -1;
    uint32_t k = 0;
    for (uint32_t l = 0; l < n->route.n_links; l++)
        peers[k++] = n->route.links[l];
    if (n->route.parent >= 0 && n->route.role[n->route.parent] == ROLE_NONE)
        peers[k++] = (uint32_t)n->route.parent;
    int rc = sync_setup(&n->sync, n->cfg.sync_us, n->cfg.sync_age_us, n->n_ids, peers, k,
                        &n->timers, SLOT_SYNC, now_us);
    free(peers);
    return rc;
}

/* The batcher, the delivery mode and anti-entropy over the routes just built. */
static int set_machinery(struct node *n, time_us now_us, char *why, size_t whylen)
{
    const struct route *r = &n->route;
    uint8_t *dir = malloc(r->n_links ? r->n_links : 1);
    if (!dir) return gl_errorf(why, whylen, "init: out of memory");
    for (uint32_t l = 0; l < r->n_links; l++) {
        enum route_role role = (enum route_role)r->role[r->links[l]];
        dir[l] = (uint8_t)(role == ROLE_UP     ? BATCH_UP
                           : role == ROLE_DOWN ? BATCH_DOWN
                                               : BATCH_ACROSS);
    }
    time_us anchor = n->cfg.batch_phase == BATCH_PHASE_INIT    ? now_us
                     : n->cfg.batch_phase == BATCH_PHASE_START ? n->start_us
                                                               : 0;
    struct delivery_port port = { n, core_requeue, core_send_bare };
    int rc = timers_setup(&n->timers, SLOT_DELIVERY0 + delivery_slots(n->cfg.delivery, n->n_ids));
    if (rc == 0)
        rc = batch_setup(&n->batch, &n->cfg, n->n_ids, r->links, dir, r->n_links, r->depth, anchor,
                         &n->timers, 0);
    if (rc == 0)
        rc = delivery_setup(&n->delivery, &n->cfg, n->n_ids, &n->timers, SLOT_DELIVERY0, port);
    if (rc == 0) rc = set_sync_peers(n, now_us);
    free(dir);
    return rc == 0 ? 0 : gl_errorf(why, whylen, "init: out of memory");
}
void core_forget_cluster(struct node *n)
{
    sync_release(&n->sync);
    delivery_release(&n->delivery);
    batch_release(&n->batch);
    timers_release(&n->timers);
    route_release(&n->route);
    free(n->targets);
    free(n->id_text);
    free(n->id_off);
    free(n->names);
    n->targets = NULL;
    n->id_text = NULL;
    n->id_off = NULL;
    n->names = NULL;
    n->n_ids = 0;
    n->canonical = false;
    n->initialised = false;
    n->self[0] = '\0';
}

_Static_assert(GL_MAX_NODES < UINT16_MAX, "the name hash holds 1 + index in 16 bits");

/* The cluster's ids: nothing for n0 .. n(count-1) in order, else packed with their hash; a
 * duplicate is refused (code stays 12). */
static int set_names(struct node *n, const char (*ids)[GL_ID_MAX], uint32_t count, int64_t *code,
                     char *why, size_t whylen)
{
    n->n_ids = count;
    n->canonical = true;
    for (uint32_t k = 0; k < count && n->canonical; k++) {
        char buf[GL_ID_MAX];
        n->canonical = strcmp(ids[k], canonical_name(k, buf)) == 0;
    }
    if (n->canonical) {
        memset(n->name_peer, 0xff, sizeof n->name_peer); /* no name written yet */
        return 0;
    }
    size_t bytes = 0;
    for (uint32_t k = 0; k < count; k++)
        bytes += strnlen(ids[k], GL_ID_MAX - 1) + 1;
    n->names_cap = 16;
    while (n->names_cap < 2u * count)
        n->names_cap *= 2;
    n->id_text = malloc(bytes);
    n->id_off = malloc(count * sizeof *n->id_off);
    n->names = calloc(n->names_cap, sizeof *n->names);
    if (!n->id_text || !n->id_off || !n->names) {
        *code = ERR_CRASH;
        return gl_errorf(why, whylen, "init: out of memory");
    }
    size_t off = 0;
    for (uint32_t k = 0; k < count; k++) {
        size_t len = strnlen(ids[k], GL_ID_MAX - 1);
        if (core_peer_find(n, ids[k]) >= 0) {
            return gl_errorf(why, whylen, "init: node id '%s' is listed twice", ids[k]);
        }
        memcpy(n->id_text + off, ids[k], len);
        n->id_text[off + len] = '\0';
        n->id_off[k] = (uint32_t)off;
        off += len + 1;
        size_t mask = n->names_cap - 1, i = (size_t)rng_hash_str(ids[k]) & mask;
        while (n->names[i] != 0)
            i = (i + 1) & mask;
        n->names[i] = (uint16_t)(k + 1);
    }
    return 0;
}

/* The scratch for route_client / route_relay: one entry per out-link. */
static int set_targets(struct node *n)
{
    free(n->targets);
    n->targets = malloc((n->route.n_links ? n->route.n_links : 1) * sizeof *n->targets);
    return n->targets ? 0 : -1;
}

/* Learns the cluster from init: ids, name hash, per-peer state. code: the error to answer. */
int core_set_cluster(struct node *n, time_us now_us, const struct msg *in, int64_t *code, char *why,
                     size_t whylen)
{
    *code = ERR_MALFORMED_REQUEST;
    if (in->n_node_ids == 0 || in->n_node_ids > GL_MAX_NODES) {
        return gl_errorf(why, whylen, "init: %zu node ids (1 to %u allowed)", in->n_node_ids,
                         (unsigned)GL_MAX_NODES);
    }
    const char(*ids)[GL_ID_MAX] = (const char(*)[GL_ID_MAX])in->node_ids;
    if (set_names(n, ids, (uint32_t)in->n_node_ids, code, why, whylen) != 0) return -1;
    int32_t me = core_peer_find(n, in->node_id);
    if (me < 0) {
        return gl_errorf(why, whylen, "init: node_id '%s' is not in node_ids", in->node_id);
    }
    n->self_idx = (uint32_t)me;
    snprintf(n->self, sizeof n->self, "%s", in->node_id);
    *code = ERR_CRASH; /* from here on, our configuration does not fit this cluster */
    if (build_routes(n, ids, why, whylen) != 0) return -1;
    if (set_targets(n) != 0) return gl_errorf(why, whylen, "init: out of memory");
    return set_machinery(n, now_us, why, whylen);
}

int core_adopt_map(struct node *n, const struct topo *t, time_us now_us, char *why, size_t whylen)
{
    if (adopt_topology(n, t, ROUTE_SHAPE_FLOOD, -1, false, why, whylen) != 0) return -1;
    return set_targets(n) == 0 && set_sync_peers(n, now_us) == 0
               ? 0
               : gl_errorf(why, whylen, "out of memory");
}

struct node *node_new(const struct cfg *cfg, const struct topo *file_topo, char *err, size_t errlen)
{
    struct node *n = calloc(1, sizeof *n);
    if (!n) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    n->cfg = *cfg;
    topo_init(&n->file_topo);
    route_init(&n->route);
    valset_init(&n->values);
    timers_init(&n->timers);
    batch_init(&n->batch);
    sync_init(&n->sync);
    sync_reply_init(&n->reply);
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
    core_forget_cluster(n);
    sync_reply_release(&n->reply);
    valset_release(&n->values);
    topo_release(&n->file_topo);
    free(n);
}
