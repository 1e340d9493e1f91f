/*
 * msg.c: plain message structs, their lifecycle and the outbox. No JSON (that is codec.c) and no
 * IO: pure data handling, safe to use from the sans-IO cores.
 */
#include "msg.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "topo.h"

#include "banned.h"

/*
 * Protocol names, indexed by enum msg_type, as whole type_name fields (copied without measuring
 * them); MSG_OTHER has none ("").
 */
static const char type_fields[][GL_TYPE_MAX] = {
    [MSG_INIT] = "init",
    [MSG_INIT_OK] = "init_ok",
    [MSG_TOPOLOGY] = "topology",
    [MSG_TOPOLOGY_OK] = "topology_ok",
    [MSG_BROADCAST] = "broadcast",
    [MSG_BROADCAST_OK] = "broadcast_ok",
    [MSG_READ] = "read",
    [MSG_READ_OK] = "read_ok",
    [MSG_INTERNAL] = "broadcast_internal",
    [MSG_INTERNAL_OK] = "broadcast_internal_ok",
    [MSG_ERROR] = "error",
    [MSG_OTHER] = "",
};

_Static_assert(sizeof(type_fields) / sizeof(type_fields[0]) == MSG_OTHER + 1,
               "every message type needs its protocol name");

/* Sets m->type_name to type's protocol name ("" for MSG_OTHER or out of range). */
static void set_type_name(struct msg *m, enum msg_type type)
{
    unsigned t = (unsigned)type <= (unsigned)MSG_OTHER ? (unsigned)type : (unsigned)MSG_OTHER;
    memcpy(m->type_name, type_fields[t], sizeof(m->type_name));
}

/* Copies s into dst[cap], cut to cap - 1 bytes (ids are short: no call to measure them). */
static void copy_cut(char *dst, size_t cap, const char *s)
{
    size_t k = 0;
    for (; k + 1 < cap && s[k]; k++)
        dst[k] = s[k];
    dst[k] = '\0';
}

const char *msg_type_name(enum msg_type t)
{
    if ((unsigned)t >= (unsigned)MSG_OTHER) return NULL;
    return type_fields[t];
}

enum msg_type msg_type_from_name(const char *name)
{
    assert(name);
    for (unsigned t = 0; t < (unsigned)MSG_OTHER; t++) {
        if (strcmp(type_fields[t], name) == 0) return (enum msg_type)t;
    }
    return MSG_OTHER;
}

/*
 * Field by field, the text fields made empty by a NUL at [0] rather than cleared: ~600 bytes of
 * memset (a rep stos) cost ~60 cycles, several times per message between cores (every outbox
 * slot, every unpack). What lies past a text field's NUL is never read (struct copies carry it
 * along, which C allows). A field added to struct msg breaks the assert below msg_known_fields:
 * add it here too.
 */
void msg_init(struct msg *m)
{
    m->has_id = false;
    m->id = 0;
    m->src[0] = '\0';
    m->dest[0] = '\0';
    /* An empty message is "no type" rather than the zero enum value, which is MSG_INIT. */
    m->type = MSG_OTHER;
    m->type_name[0] = '\0';
    m->has_msg_id = false;
    m->msg_id = 0;
    m->has_in_reply_to = false;
    m->in_reply_to = 0;
    m->flags = 0;
    m->message = 0;
    m->values = (struct msg_values){ 0 };
    m->values_lent = false;
    m->has_seq = m->has_base = m->has_ack = m->has_have = false;
    m->seq = m->base = m->ack = 0;
    m->have = (struct msg_values){ 0 };
    m->need = (struct msg_values){ 0 };
    m->repair = false;
    m->node_id[0] = '\0';
    m->node_ids = NULL;
    m->n_node_ids = 0;
    m->topology = NULL;
    m->code = 0;
    m->text[0] = '\0';
}

void msg_drop(struct msg *m)
{
    if (!m->values_lent) free(m->values.v);
    free(m->have.v);
    free(m->need.v);
    free(m->node_ids);
    if (m->topology) {
        topo_release(m->topology);
        free(m->topology);
    }
}

void msg_disown(struct msg *m)
{
    m->values.v = NULL;
    m->values.n = m->values.cap = 0;
    m->values_lent = false;
    m->have.v = m->need.v = NULL;
    m->have.n = m->have.cap = m->need.n = m->need.cap = 0;
    m->node_ids = NULL;
    m->n_node_ids = 0;
    m->topology = NULL;
}

void msg_release(struct msg *m)
{
    msg_drop(m);
    msg_init(m);
}

/* A deep copy of src into a fresh malloc'd topology, or NULL when memory runs out. */
static struct topo *topo_dup(const struct topo *src)
{
    struct topo *t = malloc(sizeof(*t));
    if (!t) return NULL;
    topo_init(t);
    for (uint32_t i = 0; i < src->n; i++) {
        if (topo_add_node(t, src->nodes[i].name) < 0) goto fail;
        t->nodes[i].listed = src->nodes[i].listed;
    }
    for (uint32_t i = 0; i < src->n; i++) {
        for (uint32_t k = 0; k < src->nodes[i].deg; k++) {
            if (topo_add_arc(t, i, src->nodes[i].adj[k]) < 0) goto fail;
        }
    }
    t->root = src->root;
    t->directed = src->directed;
    t->kind = src->kind;
    t->k = src->k;
    return t;
fail:
    topo_release(t);
    free(t);
    return NULL;
}

/* dst = a copy of src's values; -1 when memory runs out. */
static int values_dup(struct msg_values *dst, const struct msg_values *src)
{
    dst->v = NULL;
    dst->n = dst->cap = 0;
    if (src->n == 0) return 0;
    dst->v = malloc(src->n * sizeof(*dst->v));
    if (!dst->v) return -1;
    memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
    dst->n = dst->cap = src->n;
    return 0;
}

int msg_copy(struct msg *dst, const struct msg *src)
{
    /* Scalars and fixed arrays first; then every owned pointer is replaced by a copy. */
    *dst = *src;
    dst->node_ids = NULL;
    dst->n_node_ids = 0;
    dst->topology = NULL;
    dst->have.v = dst->need.v = NULL;
    dst->have.n = dst->need.n = 0;
    dst->values_lent = false;
    if (values_dup(&dst->values, &src->values) != 0) goto fail;
    if (values_dup(&dst->have, &src->have) != 0 || values_dup(&dst->need, &src->need) != 0)
        goto fail;
    /* The cast adds const: C11 does not convert char (*)[N] to const char (*)[N] implicitly. */
    if (src->n_node_ids > 0 &&
        msg_set_node_ids(dst, (const char(*)[GL_ID_MAX])src->node_ids, src->n_node_ids) < 0)
        goto fail;
    if (src->topology) {
        dst->topology = topo_dup(src->topology);
        if (!dst->topology) goto fail;
    }
    return 0;
fail:
    msg_release(dst);
    return -1;
}

void msg_reply(struct msg *reply, const struct msg *req, enum msg_type type)
{
    msg_init(reply);
    memcpy(reply->src, req->dest, sizeof(reply->src));
    memcpy(reply->dest, req->src, sizeof(reply->dest));
    reply->type = type;
    set_type_name(reply, type);
    reply->has_in_reply_to = req->has_msg_id;
    reply->in_reply_to = req->msg_id;
}

void msg_set_ends(struct msg *m, const char *src, const char *dest)
{
    copy_cut(m->src, sizeof(m->src), src);
    copy_cut(m->dest, sizeof(m->dest), dest);
}

void msg_address(struct msg *m, const char *src, const char *dest, enum msg_type type)
{
    msg_set_ends(m, src, dest);
    msg_set_type(m, type);
}

void msg_set_type(struct msg *m, enum msg_type type)
{
    m->type = type;
    set_type_name(m, type);
}

int msg_values_push(struct msg_values *vals, int64_t v)
{
    if (GL_GROW(vals->v, vals->n + 1, vals->cap) != 0) return -1;
    vals->v[vals->n++] = v;
    return 0;
}

int msg_set_node_ids(struct msg *m, const char (*ids)[GL_ID_MAX], size_t n)
{
    char(*copy)[GL_ID_MAX] = NULL;
    if (n > 0) {
        if (n > SIZE_MAX / sizeof(*copy)) return -1;
        copy = malloc(n * sizeof(*copy));
        if (!copy) return -1;
        memcpy(copy, ids, n * sizeof(*copy));
    }
    free(m->node_ids);
    m->node_ids = copy;
    m->n_node_ids = n;
    return 0;
}

/* The fields msg_pack knows, in struct msg's order: a field added there breaks the assert. */
struct msg_known_fields {
    bool has_id;
    int64_t id;
    char src[GL_ID_MAX], dest[GL_ID_MAX];
    enum msg_type type;
    char type_name[GL_TYPE_MAX];
    bool has_msg_id;
    int64_t msg_id;
    bool has_in_reply_to;
    int64_t in_reply_to;
    unsigned flags;
    int64_t message;
    struct msg_values values;
    bool values_lent;
    bool has_seq, has_base, has_ack, has_have;
    int64_t seq, base, ack;
    struct msg_values have, need;
    bool repair;
    char node_id[GL_ID_MAX];
    char (*node_ids)[GL_ID_MAX];
    size_t n_node_ids;
    struct topo *topology;
    int64_t code;
    char text[GL_MAX_TEXT];
};
_Static_assert(sizeof(struct msg) == sizeof(struct msg_known_fields),
               "struct msg changed: update msg_init, msg_pack, msg_unpack and msg_copy");

/*
 * True when m carries nothing but what struct msg_packed keeps (and its ids): the delivery
 * modes' and anti-entropy's keys (seq, base, ack, have, need, repair) travel whole.
 */
static bool packable(const struct msg *m)
{
    const char *name = msg_type_name(m->type);
    return name && !m->has_id && strcmp(m->type_name, name) == 0 && !m->node_id[0] &&
           !m->node_ids && m->n_node_ids == 0 && !m->topology && m->code == 0 && !m->text[0] &&
           !m->has_seq && !m->has_base && !m->has_ack && !m->has_have && !m->have.v &&
           m->have.n == 0 && !m->need.v && m->need.n == 0 && !m->repair;
}

int msg_pack(struct msg_packed *p, struct msg *m, bool ids_known)
{
    memset(p, 0, sizeof(*p));
    p->type = (uint8_t)m->type;
    if (!ids_known || !packable(m) || m->flags > UINT8_MAX || m->values.n > UINT32_MAX ||
        (m->message != 0 && m->values.n > 0)) {
        p->bits = MSG_PK_FULL;
        if (msg_own_values(m) != 0) return -1; /* the whole message keeps its values */
        p->u.full = malloc(sizeof(*p->u.full));
        if (!p->u.full) return -1;
        *p->u.full = *m;
        msg_disown(m);
        return 0;
    }
    p->flags = (uint8_t)m->flags;
    p->bits = (uint8_t)((m->has_msg_id ? MSG_PK_MSG_ID : 0) |
                        (m->has_in_reply_to ? MSG_PK_IN_REPLY_TO : 0));
    p->msg_id = m->msg_id;
    p->in_reply_to = m->in_reply_to;
    p->n = (uint32_t)m->values.n;
    if (p->n == 0) {
        p->u.message = m->message;
        if (!m->values_lent) free(m->values.v); /* an empty array */
    } else if (p->n == 1) {
        p->u.value = m->values.v[0];
        if (!m->values_lent) free(m->values.v);
    } else {
        if (msg_own_values(m) != 0) return -1; /* the packed message keeps the array */
        p->u.v = m->values.v;
    }
    msg_disown(m);
    return 0;
}

void msg_unpack(struct msg_packed *p, struct msg *out, const char *src_id, const char *dest_id,
                int64_t *one)
{
    if (msg_packed_is_full(p)) {
        *out = *p->u.full;
        free(p->u.full);
    } else {
        msg_init(out);
        copy_cut(out->src, sizeof(out->src), src_id);
        copy_cut(out->dest, sizeof(out->dest), dest_id);
        out->type = (enum msg_type)p->type;
        set_type_name(out, out->type);
        out->flags = p->flags;
        out->has_msg_id = (p->bits & MSG_PK_MSG_ID) != 0;
        out->msg_id = p->msg_id;
        out->has_in_reply_to = (p->bits & MSG_PK_IN_REPLY_TO) != 0;
        out->in_reply_to = p->in_reply_to;
        if (p->n == 0) {
            out->message = p->u.message;
        } else if (p->n == 1) {
            *one = p->u.value;
            out->values.v = one;
            out->values.n = 1;
            out->values_lent = true;
        } else {
            out->values.v = p->u.v;
            out->values.n = out->values.cap = p->n;
        }
    }
    memset(p, 0, sizeof(*p));
}

void msg_packed_release(struct msg_packed *p)
{
    if (msg_packed_is_full(p)) {
        msg_release(p->u.full);
        free(p->u.full);
    } else if (p->n > 1) {
        free(p->u.v);
    }
    memset(p, 0, sizeof(*p));
}

void outbox_init(struct outbox *o)
{
    o->v = NULL;
    o->to = NULL;
    o->one = NULL;
    o->n = 0;
    o->cap = 0;
    o->cap_to = 0;
    o->cap_one = 0;
}

void outbox_clear(struct outbox *o)
{
    /* outbox_add initialises a slot before it is used again. */
    for (size_t i = 0; i < o->n; i++)
        msg_drop(&o->v[i]);
    o->n = 0;
}

void outbox_release(struct outbox *o)
{
    outbox_clear(o);
    free(o->v);
    free(o->to);
    free(o->one);
    outbox_init(o);
}

struct msg *outbox_add_to(struct outbox *o, int32_t to)
{
    size_t cap_one = o->cap_one;
    if (GL_GROW(o->v, o->n + 1, o->cap) != 0 || GL_GROW(o->to, o->n + 1, o->cap_to) != 0 ||
        GL_GROW(o->one, o->n + 1, o->cap_one) != 0)
        return NULL;
    /* The lone values moved with their array: only the outbox lends to its messages. */
    if (o->cap_one != cap_one)
        for (size_t k = 0; k < o->n; k++)
            if (o->v[k].values_lent) o->v[k].values.v = &o->one[k];
    o->to[o->n] = to;
    struct msg *m = &o->v[o->n++];
    msg_init(m);
    return m;
}

int msg_own_values(struct msg *m)
{
    if (!m->values_lent) return 0;
    struct msg_values own;
    if (values_dup(&own, &m->values) != 0) return -1;
    m->values = own;
    m->values_lent = false;
    return 0;
}

void outbox_lend_one(struct outbox *o, int64_t value)
{
    assert(o->n > 0);
    struct msg *m = &o->v[o->n - 1];
    assert(!m->values.v && !m->values_lent);
    o->one[o->n - 1] = value;
    m->values.v = &o->one[o->n - 1];
    m->values.n = 1;
    m->values.cap = 0;
    m->values_lent = true;
}

struct msg *outbox_add(struct outbox *o)
{
    return outbox_add_to(o, -1);
}
