/*
 * check_msg: proves the message structs own their memory correctly — type names map both ways,
 * deep copies share nothing with their source (values, node ids, topology), replies swap the
 * envelope and answer the request's msg_id, addresses are cut like snprintf, a packed message
 * comes back exactly (values moved, not copied; anything it cannot say kept whole), and outboxes
 * grow, clear and release without leaks (run under ASan with CK_FORK=no).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "msg.h"
#include "topo.h"

static const struct {
    enum msg_type type;
    const char *name;
} names[] = {
    { MSG_INIT, "init" },
    { MSG_INIT_OK, "init_ok" },
    { MSG_TOPOLOGY, "topology" },
    { MSG_TOPOLOGY_OK, "topology_ok" },
    { MSG_BROADCAST, "broadcast" },
    { MSG_BROADCAST_OK, "broadcast_ok" },
    { MSG_READ, "read" },
    { MSG_READ_OK, "read_ok" },
    { MSG_INTERNAL, "broadcast_internal" },
    { MSG_INTERNAL_OK, "broadcast_internal_ok" },
    { MSG_ERROR, "error" },
};

START_TEST(type_names_both_ways)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        ck_assert_str_eq(msg_type_name(names[i].type), names[i].name);
        ck_assert_int_eq(msg_type_from_name(names[i].name), names[i].type);
    }
    ck_assert_ptr_null(msg_type_name(MSG_OTHER));
    ck_assert_int_eq(msg_type_from_name("echo"), MSG_OTHER);
    ck_assert_int_eq(msg_type_from_name(""), MSG_OTHER);
    ck_assert_int_eq(msg_type_from_name("Broadcast"), MSG_OTHER);
    ck_assert_int_eq(msg_type_from_name("broadcast_ok "), MSG_OTHER);
}
END_TEST

START_TEST(init_is_empty)
{
    struct msg m;
    memset(&m, 0xab, sizeof(m));
    msg_init(&m);
    /* Every field (msg_init sets them one by one: a text field is empty by its NUL at [0]). */
    ck_assert_int_eq(m.type, MSG_OTHER);
    ck_assert(!m.has_id && !m.has_msg_id && !m.has_in_reply_to);
    ck_assert(m.id == 0 && m.msg_id == 0 && m.in_reply_to == 0 && m.message == 0);
    ck_assert_str_eq(m.src, "");
    ck_assert_str_eq(m.dest, "");
    ck_assert_str_eq(m.type_name, "");
    ck_assert_str_eq(m.node_id, "");
    ck_assert_str_eq(m.text, "");
    ck_assert_uint_eq(m.flags, 0);
    ck_assert(m.values.v == NULL && m.values.n == 0 && m.values.cap == 0 && !m.values_lent);
    ck_assert(!m.has_seq && !m.has_base && !m.has_ack && !m.has_have && !m.repair);
    ck_assert(m.seq == 0 && m.base == 0 && m.ack == 0 && m.code == 0);
    ck_assert(m.have.v == NULL && m.have.n == 0 && m.have.cap == 0);
    ck_assert(m.need.v == NULL && m.need.n == 0 && m.need.cap == 0);
    ck_assert_ptr_null(m.node_ids);
    ck_assert_uint_eq(m.n_node_ids, 0);
    ck_assert_ptr_null(m.topology);
    msg_release(&m); /* releasing an empty message is fine, and so is releasing twice */
    msg_release(&m);
}
END_TEST

START_TEST(values_grow_in_order)
{
    struct msg m;
    msg_init(&m);
    for (int64_t v = 0; v < 100000; v++)
        ck_assert_int_eq(msg_values_push(&m.values, v * 3 - 7), 0);
    ck_assert_uint_eq(m.values.n, 100000);
    ck_assert_uint_ge(m.values.cap, m.values.n);
    for (size_t i = 0; i < m.values.n; i++)
        ck_assert_int_eq(m.values.v[i], (int64_t)i * 3 - 7);
    msg_release(&m);
    ck_assert_ptr_null(m.values.v);
    ck_assert_uint_eq(m.values.n, 0);
}
END_TEST

START_TEST(node_ids_are_copied_and_replaced)
{
    char ids[3][GL_ID_MAX] = { "n0", "n1", "n2" };
    struct msg m;
    msg_init(&m);
    ck_assert_int_eq(msg_set_node_ids(&m, (const char(*)[GL_ID_MAX])ids, 3), 0);
    strcpy(ids[1], "zz");
    ck_assert_uint_eq(m.n_node_ids, 3);
    ck_assert_str_eq(m.node_ids[1], "n1");
    ck_assert_int_eq(msg_set_node_ids(&m, (const char(*)[GL_ID_MAX])ids, 2), 0);
    ck_assert_uint_eq(m.n_node_ids, 2);
    ck_assert_str_eq(m.node_ids[1], "zz");
    ck_assert_int_eq(msg_set_node_ids(&m, NULL, 0), 0);
    ck_assert_uint_eq(m.n_node_ids, 0);
    ck_assert_ptr_null(m.node_ids);
    msg_release(&m);
}
END_TEST

/* A small topology with an unlisted node and a root, to see every field copied. */
static struct topo *sample_topo(void)
{
    struct topo *t = malloc(sizeof(*t));
    ck_assert_ptr_nonnull(t);
    topo_init(t);
    ck_assert_int_eq(topo_add_node(t, "n0"), 0);
    ck_assert_int_eq(topo_add_node(t, "n1"), 1);
    ck_assert_int_eq(topo_add_node(t, "n2"), 2);
    t->nodes[2].listed = false;
    ck_assert_int_eq(topo_add_arc(t, 0, 1), 0);
    ck_assert_int_eq(topo_add_arc(t, 0, 2), 0);
    ck_assert_int_eq(topo_add_arc(t, 1, 0), 0);
    t->root = 0;
    t->directed = true;
    t->kind = TOPO_STAR;
    return t;
}

START_TEST(copy_is_deep)
{
    struct msg a, b;
    msg_init(&a);
    a.has_id = true;
    a.id = 42;
    strcpy(a.src, "c3");
    strcpy(a.dest, "n1");
    a.type = MSG_TOPOLOGY;
    strcpy(a.type_name, "topology");
    a.has_msg_id = true;
    a.msg_id = 7;
    a.flags = MSG_F_NON_INT_VALUES;
    strcpy(a.text, "hello");
    for (int64_t v = 0; v < 50; v++)
        ck_assert_int_eq(msg_values_push(&a.values, v), 0);
    char ids[2][GL_ID_MAX] = { "n0", "n1" };
    ck_assert_int_eq(msg_set_node_ids(&a, (const char(*)[GL_ID_MAX])ids, 2), 0);
    a.topology = sample_topo();

    ck_assert_int_eq(msg_copy(&b, &a), 0);
    ck_assert(b.values.v != a.values.v && b.node_ids != a.node_ids && b.topology != a.topology);
    ck_assert(b.has_id && b.id == 42 && b.has_msg_id && b.msg_id == 7);
    ck_assert_str_eq(b.src, "c3");
    ck_assert_str_eq(b.dest, "n1");
    ck_assert_str_eq(b.type_name, "topology");
    ck_assert_str_eq(b.text, "hello");
    ck_assert_uint_eq(b.flags, MSG_F_NON_INT_VALUES);
    ck_assert_uint_eq(b.values.n, 50);
    ck_assert_int_eq(b.values.v[49], 49);
    ck_assert_uint_eq(b.n_node_ids, 2);
    ck_assert_str_eq(b.node_ids[1], "n1");
    const struct topo *t = b.topology;
    ck_assert_uint_eq(t->n, 3);
    ck_assert_str_eq(t->nodes[2].name, "n2");
    ck_assert(t->nodes[0].listed && !t->nodes[2].listed);
    ck_assert_uint_eq(t->nodes[0].deg, 2);
    ck_assert_uint_eq(t->nodes[0].adj[1], 2);
    ck_assert_uint_eq(t->nodes[1].adj[0], 0);
    ck_assert_int_eq(t->root, 0);
    ck_assert(t->directed);
    ck_assert_int_eq(t->kind, TOPO_STAR);

    /* Releasing the source leaves the copy intact (ASan would see a use after free). */
    msg_release(&a);
    ck_assert_int_eq(b.values.v[10], 10);
    ck_assert_str_eq(b.topology->nodes[1].name, "n1");
    msg_release(&b);
}
END_TEST

START_TEST(copy_of_empty)
{
    struct msg a, b;
    msg_init(&a);
    ck_assert_int_eq(msg_copy(&b, &a), 0);
    ck_assert_ptr_null(b.values.v);
    ck_assert_ptr_null(b.node_ids);
    ck_assert_ptr_null(b.topology);
    msg_release(&b);
}
END_TEST

START_TEST(reply_swaps_and_answers)
{
    struct msg req, rep;
    msg_init(&req);
    strcpy(req.src, "c12");
    strcpy(req.dest, "n4");
    req.type = MSG_BROADCAST;
    req.has_id = true;
    req.id = 99;
    req.has_msg_id = true;
    req.msg_id = 31;
    req.message = 5;
    msg_reply(&rep, &req, MSG_BROADCAST_OK);
    ck_assert_str_eq(rep.src, "n4");
    ck_assert_str_eq(rep.dest, "c12");
    ck_assert_int_eq(rep.type, MSG_BROADCAST_OK);
    ck_assert_str_eq(rep.type_name, "broadcast_ok");
    ck_assert(rep.has_in_reply_to);
    ck_assert_int_eq(rep.in_reply_to, 31);
    ck_assert(!rep.has_msg_id && !rep.has_id);
    msg_release(&rep);

    req.has_msg_id = false; /* nothing to answer: no in_reply_to */
    msg_reply(&rep, &req, MSG_ERROR);
    ck_assert(!rep.has_in_reply_to);
    ck_assert_str_eq(rep.type_name, "error");
    msg_release(&rep);
}
END_TEST

START_TEST(address_cuts_like_snprintf)
{
    struct msg m;
    msg_init(&m);
    msg_address(&m, "n3", "c17", MSG_INTERNAL);
    ck_assert_str_eq(m.src, "n3");
    ck_assert_str_eq(m.dest, "c17");
    ck_assert_int_eq(m.type, MSG_INTERNAL);
    ck_assert_str_eq(m.type_name, "broadcast_internal");
    char longer[2 * GL_ID_MAX];
    memset(longer, 'x', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    msg_address(&m, longer, "", MSG_OTHER);
    ck_assert_uint_eq(strlen(m.src), GL_ID_MAX - 1);
    ck_assert_str_eq(m.dest, "");
    ck_assert_str_eq(m.type_name, "");
}
END_TEST

/* msg_address's halves: the ends leave the type alone, the type leaves the ends alone. */
START_TEST(ends_and_type_apart)
{
    struct msg m;
    msg_init(&m);
    snprintf(m.type_name, sizeof(m.type_name), "%s", "custom");
    m.type = MSG_OTHER;
    char longer[2 * GL_ID_MAX];
    memset(longer, 'y', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    msg_set_ends(&m, "c4", longer);
    ck_assert_str_eq(m.src, "c4");
    ck_assert_uint_eq(strlen(m.dest), GL_ID_MAX - 1);
    ck_assert_int_eq(m.type, MSG_OTHER);
    ck_assert_str_eq(m.type_name, "custom");
    msg_set_type(&m, MSG_READ);
    ck_assert_int_eq(m.type, MSG_READ);
    ck_assert_str_eq(m.type_name, "read");
    ck_assert_str_eq(m.src, "c4");
    msg_set_type(&m, MSG_OTHER);
    ck_assert_str_eq(m.type_name, "");
}
END_TEST

/* A message between cores: packed without its ids, unpacked with the holder's ids. */
START_TEST(pack_and_unpack_a_plain_message)
{
    struct msg m, out;
    msg_init(&m);
    msg_address(&m, "n1", "n2", MSG_INTERNAL);
    m.has_msg_id = true;
    m.msg_id = 7;
    m.flags = MSG_F_NON_INT_VALUES;
    for (int64_t v = 0; v < 5; v++)
        ck_assert_int_eq(msg_values_push(&m.values, v * v), 0);
    int64_t *vals = m.values.v;
    struct msg_packed p;
    ck_assert_int_eq(msg_pack(&p, &m, true), 0);
    ck_assert(!msg_packed_is_full(&p)); /* packed */
    ck_assert_ptr_eq(p.u.v, vals);      /* moved, not copied */
    ck_assert_ptr_null(m.values.v);
    int64_t one = -1;
    msg_unpack(&p, &out, "n1", "n2", &one);
    ck_assert_uint_eq(p.n, 0);
    ck_assert(!out.values_lent);
    ck_assert_int_eq(one, -1);
    ck_assert_str_eq(out.src, "n1");
    ck_assert_str_eq(out.dest, "n2");
    ck_assert_int_eq(out.type, MSG_INTERNAL);
    ck_assert_str_eq(out.type_name, "broadcast_internal");
    ck_assert(out.has_msg_id && !out.has_in_reply_to && !out.has_id);
    ck_assert_int_eq(out.msg_id, 7);
    ck_assert_uint_eq(out.flags, MSG_F_NON_INT_VALUES);
    ck_assert_ptr_eq(out.values.v, vals);
    ck_assert_uint_eq(out.values.n, 5);
    ck_assert_int_eq(out.values.v[4], 16);
    msg_release(&out);
    msg_release(&m);
}
END_TEST

/* Anything a packed message cannot say travels whole, and comes back exactly. */
START_TEST(pack_keeps_the_rest_whole)
{
    for (int k = 0; k < 8; k++) {
        struct msg m, out;
        msg_init(&m);
        msg_address(&m, "n1", "c2", MSG_ERROR);
        switch (k) {
        case 0:
            m.code = 13; /* an error's code and text */
            snprintf(m.text, sizeof(m.text), "boom");
            break;
        case 1:
            msg_address(&m, "n1", "c2", MSG_OTHER); /* a type of its own */
            snprintf(m.type_name, sizeof(m.type_name), "echo");
            break;
        case 2:
            m.has_id = true; /* an envelope id */
            m.id = 4;
            break;
        case 3:
            msg_address(&m, "n1", "c2", MSG_BROADCAST_OK); /* a holder that does not know the ids */
            break;
        case 4: {
            const char ids[2][GL_ID_MAX] = { "n1", "n2" };
            msg_address(&m, "n1", "c2", MSG_INIT);
            snprintf(m.node_id, sizeof(m.node_id), "n1");
            ck_assert_int_eq(msg_set_node_ids(&m, ids, 2), 0);
            break;
        }
        case 5:
            msg_address(&m, "n1", "c2", MSG_BROADCAST_OK); /* the same, but packable */
            break;
        case 6:
            msg_address(&m, "n1", "c2", MSG_INTERNAL); /* a delivery mode's keys */
            m.has_seq = true;
            m.seq = 3;
            m.has_ack = true;
            m.ack = 2;
            break;
        case 7:
            msg_address(&m, "n1", "c2", MSG_INTERNAL); /* anti-entropy's digest */
            m.has_have = true;
            ck_assert_int_eq(msg_values_push(&m.have, 1), 0);
            ck_assert_int_eq(msg_values_push(&m.have, 9), 0);
            break;
        }
        struct msg want;
        ck_assert_int_eq(msg_copy(&want, &m), 0);
        struct msg_packed p;
        ck_assert_int_eq(msg_pack(&p, &m, k != 3), 0);
        ck_assert(k == 5 ? !msg_packed_is_full(&p) : msg_packed_is_full(&p));
        int64_t one;
        msg_unpack(&p, &out, "n1", "c2", &one);
        ck_assert_str_eq(out.src, want.src);
        ck_assert_str_eq(out.type_name, want.type_name);
        ck_assert_int_eq(out.type, want.type);
        ck_assert_int_eq(out.code, want.code);
        ck_assert_str_eq(out.text, want.text);
        ck_assert_int_eq(out.has_id, want.has_id);
        ck_assert_uint_eq(out.n_node_ids, want.n_node_ids);
        ck_assert_int_eq(out.has_seq, want.has_seq);
        ck_assert_int_eq(out.seq, want.seq);
        ck_assert_int_eq(out.ack, want.ack);
        ck_assert_uint_eq(out.have.n, want.have.n);
        ck_assert_str_eq(out.node_id, want.node_id);
        msg_release(&out);
        msg_release(&want);
        msg_release(&m);
    }
}
END_TEST

START_TEST(packed_release_frees_both_forms)
{
    struct msg m;
    msg_init(&m);
    msg_address(&m, "n1", "n2", MSG_READ_OK);
    ck_assert_int_eq(msg_values_push(&m.values, 3), 0);
    struct msg_packed p;
    ck_assert_int_eq(msg_pack(&p, &m, true), 0);
    msg_packed_release(&p); /* LeakSanitizer (asan preset) checks the values went */
    msg_address(&m, "n1", "n2", MSG_ERROR);
    snprintf(m.text, sizeof(m.text), "whole");
    ck_assert_int_eq(msg_values_push(&m.values, 3), 0);
    ck_assert_int_eq(msg_pack(&p, &m, true), 0);
    ck_assert(msg_packed_is_full(&p));
    msg_packed_release(&p);
    ck_assert(!msg_packed_is_full(&p));
}
END_TEST

/*
 * A broadcast's value and a lone value travel in the packed struct itself: the lone value's
 * array is freed at once, and comes back lent at the reader's *one, which msg_drop never frees
 * (LeakSanitizer and ASan, asan preset, check both ends) and msg_pack and msg_copy copy.
 */
START_TEST(pack_holds_a_lone_value_and_lends_it)
{
    struct msg m, out, copy;
    msg_init(&m);
    msg_address(&m, "n1", "n2", MSG_BROADCAST);
    m.message = 42;
    m.has_in_reply_to = true;
    m.in_reply_to = 9;
    struct msg_packed p;
    ck_assert_int_eq(msg_pack(&p, &m, true), 0);
    ck_assert(!msg_packed_is_full(&p));
    ck_assert_int_eq(p.u.message, 42);
    int64_t one = -1;
    msg_unpack(&p, &out, "n1", "n2", &one);
    ck_assert_int_eq(out.message, 42);
    ck_assert(out.has_in_reply_to && !out.has_msg_id);
    ck_assert_int_eq(out.in_reply_to, 9);
    ck_assert_uint_eq(out.values.n, 0);
    ck_assert_int_eq(one, -1); /* nothing lent */
    msg_release(&out);

    msg_address(&m, "n1", "n2", MSG_INTERNAL);
    m.message = 0; /* msg_pack leaves the scalars */
    ck_assert_int_eq(msg_values_push(&m.values, 77), 0);
    ck_assert_int_eq(msg_pack(&p, &m, true), 0);
    ck_assert(!msg_packed_is_full(&p));
    ck_assert_uint_eq(p.n, 1);
    ck_assert_int_eq(p.u.value, 77);
    msg_unpack(&p, &out, "n1", "n2", &one);
    ck_assert(out.values_lent);
    ck_assert_ptr_eq(out.values.v, &one);
    ck_assert_int_eq(one, 77);
    ck_assert_uint_eq(out.values.n, 1);
    ck_assert_int_eq(out.message, 0);

    ck_assert_int_eq(msg_copy(&copy, &out), 0); /* a copy owns its value */
    ck_assert(!copy.values_lent);
    ck_assert_ptr_ne(copy.values.v, &one);
    ck_assert_int_eq(copy.values.v[0], 77);
    msg_release(&copy);

    ck_assert_int_eq(msg_pack(&p, &out, true), 0); /* packing a lent value copies it */
    one = 0;
    ck_assert_int_eq(p.u.value, 77);
    msg_unpack(&p, &out, "n1", "n2", &one);
    ck_assert_int_eq(out.values.v[0], 77);
    out.flags = 1u << 20; /* cannot be packed: travels whole, with a copy of the lent value */
    ck_assert_int_eq(msg_pack(&p, &out, true), 0);
    ck_assert(msg_packed_is_full(&p));
    ck_assert(!p.u.full->values_lent);
    ck_assert_ptr_ne(p.u.full->values.v, &one);
    msg_packed_release(&p);
    msg_release(&m);
}
END_TEST

/* A broadcast value and values at once do not fit the packed form: the message travels whole. */
START_TEST(pack_keeps_a_value_and_values_whole)
{
    struct msg m, out;
    msg_init(&m);
    msg_address(&m, "n1", "n2", MSG_INTERNAL);
    m.message = 5;
    ck_assert_int_eq(msg_values_push(&m.values, 6), 0);
    struct msg_packed p;
    ck_assert_int_eq(msg_pack(&p, &m, true), 0);
    ck_assert(msg_packed_is_full(&p));
    int64_t one;
    msg_unpack(&p, &out, "n1", "n2", &one);
    ck_assert_int_eq(out.message, 5);
    ck_assert_uint_eq(out.values.n, 1);
    ck_assert_int_eq(out.values.v[0], 6);
    msg_release(&out);
}
END_TEST

START_TEST(outbox_grows_clears_releases)
{
    struct outbox o;
    outbox_init(&o);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 1000; i++) {
            struct msg *m = outbox_add(&o);
            ck_assert_ptr_nonnull(m);
            ck_assert_int_eq(m->type, MSG_OTHER);
            m->type = MSG_INTERNAL;
            m->msg_id = i;
            for (int64_t v = 0; v < i % 7; v++)
                ck_assert_int_eq(msg_values_push(&m->values, v), 0);
        }
        ck_assert_uint_eq(o.n, 1000);
        ck_assert_int_eq(o.v[999].msg_id, 999);
        ck_assert_uint_eq(o.v[13].values.n, 13 % 7);
        size_t cap = o.cap;
        outbox_clear(&o);
        ck_assert_uint_eq(o.n, 0);
        ck_assert_uint_eq(o.cap, cap); /* clear keeps the array */
    }
    ck_assert_ptr_nonnull(outbox_add(&o));
    ck_assert_int_eq(msg_values_push(&o.v[0].values, 1), 0);
    outbox_release(&o); /* releases the messages still in it */
    ck_assert_ptr_null(o.v);
    ck_assert_uint_eq(o.n, 0);
}
END_TEST

/*
 * A lone value lent by the outbox (outbox_lend_one) survives the outbox's growth (its array
 * moves: the messages follow), is never freed by a clear (ASan would catch a free of it), and a
 * packed copy of the message holds it.
 */
START_TEST(outbox_lends_lone_values)
{
    struct outbox o;
    outbox_init(&o);
    for (int64_t i = 0; i < 1000; i++) {
        struct msg *m = outbox_add_to(&o, (int32_t)i);
        ck_assert_ptr_nonnull(m);
        msg_address(m, "n1", "n2", MSG_INTERNAL);
        if (i % 3) {
            outbox_lend_one(&o, 10 * i);
            ck_assert(m->values_lent);
        } else {
            ck_assert_int_eq(msg_values_push(&m->values, i), 0);
            ck_assert_int_eq(msg_values_push(&m->values, -i), 0);
        }
    }
    for (int64_t i = 0; i < 1000; i++) {
        const struct msg *m = &o.v[i];
        ck_assert_int_eq(o.to[i], (int32_t)i);
        ck_assert_uint_eq(m->values.n, i % 3 ? 1 : 2);
        ck_assert_int_eq(m->values.v[0], i % 3 ? 10 * i : i);
        ck_assert(m->values_lent == (i % 3 != 0));
        if (i % 3) ck_assert_ptr_eq(m->values.v, &o.one[i]);
    }
    struct msg_packed p;
    ck_assert_int_eq(msg_pack(&p, &o.v[7], true), 0);
    ck_assert_uint_eq(p.n, 1);
    ck_assert_int_eq(p.u.value, 70);
    msg_packed_release(&p);
    struct msg moved = o.v[4]; /* moving a message out: its lent value made its own first */
    ck_assert_int_eq(msg_own_values(&moved), 0);
    ck_assert(!moved.values_lent);
    ck_assert_ptr_ne(moved.values.v, &o.one[4]);
    ck_assert_int_eq(moved.values.v[0], 40);
    msg_init(&o.v[4]);
    outbox_clear(&o);
    ck_assert_int_eq(moved.values.v[0], 40); /* the outbox's array is the outbox's */
    msg_release(&moved);
    ck_assert_ptr_nonnull(outbox_add(&o));
    outbox_lend_one(&o, 5);
    outbox_release(&o);
}
END_TEST

static Suite *msg_suite(void)
{
    Suite *s = suite_create("msg");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, type_names_both_ways);
    tcase_add_test(tc, ends_and_type_apart);
    tcase_add_test(tc, init_is_empty);
    tcase_add_test(tc, values_grow_in_order);
    tcase_add_test(tc, node_ids_are_copied_and_replaced);
    tcase_add_test(tc, copy_is_deep);
    tcase_add_test(tc, copy_of_empty);
    tcase_add_test(tc, address_cuts_like_snprintf);
    tcase_add_test(tc, pack_and_unpack_a_plain_message);
    tcase_add_test(tc, pack_keeps_the_rest_whole);
    tcase_add_test(tc, packed_release_frees_both_forms);
    tcase_add_test(tc, pack_holds_a_lone_value_and_lends_it);
    tcase_add_test(tc, pack_keeps_a_value_and_values_whole);
    tcase_add_test(tc, reply_swaps_and_answers);
    tcase_add_test(tc, outbox_grows_clears_releases);
    tcase_add_test(tc, outbox_lends_lone_values);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(msg_suite());
}
