/*
 * wire.c: envelope validation, line-to-message conversion and stdin-line building for real node
 * processes. The only harness file besides the checker's readers that touches cJSON; trees never
 * leave this file. It does not route or judge messages (world.c does). Pure: no IO, no clock.
 */
#include "wire.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "strbuf.h"

#include "banned.h"

static int fail(char *err, size_t errlen, const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    return -1;
}

static int copy_id(char *dst, size_t cap, const cJSON *v, const char *key, char *err, size_t errlen)
{
    if (!cJSON_IsString(v)) {
        snprintf(err, errlen, "\"%s\" missing or not a string", key);
        return -1;
    }
    if (strlen(v->valuestring) >= cap) {
        snprintf(err, errlen, "\"%s\" longer than %zu bytes", key, cap - 1);
        return -1;
    }
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
    return 0;
}

static int check_envelope(const cJSON *root, char *err, size_t errlen)
{
    if (!cJSON_IsObject(root)) return fail(err, errlen, "not a JSON object");
    for (const cJSON *it = root->child; it; it = it->next) {
        const char *k = it->string;
        if (strcmp(k, "src") && strcmp(k, "dest") && strcmp(k, "body") && strcmp(k, "id")) {
            snprintf(err, errlen, "disallowed key \"%.40s\" in the envelope", k);
            return -1;
        }
        if (!strcmp(k, "id") && !(cJSON_IsNumber(it) && it->valuedouble == floor(it->valuedouble)))
            return fail(err, errlen, "\"id\" is not an integer");
    }
    if (!cJSON_GetObjectItemCaseSensitive(root, "body")) return fail(err, errlen, "no \"body\"");
    return 0;
}

/* Index just past the JSON string that starts at s[i] == '"'. The line is valid JSON. */
static size_t skip_string(const char *s, size_t i, size_t len)
{
    for (i++; i < len && s[i] != '"'; i++)
        if (s[i] == '\\') i++;
    return i + 1;
}

/* Index just past the JSON value that starts at s[i]. The line is valid JSON. */
static size_t skip_value(const char *s, size_t i, size_t len)
{
    if (s[i] == '"') return skip_string(s, i, len);
    if (s[i] != '{' && s[i] != '[') {
        while (i < len && !strchr(",}] \t\r\n", s[i]))
            i++;
        return i;
    }
    int depth = 0;
    while (i < len) {
        char c = s[i];
        if (c == '"') {
            i = skip_string(s, i, len);
            continue;
        }
        if (c == '{' || c == '[') depth++;
        if ((c == '}' || c == ']') && --depth == 0) return i + 1;
        i++;
    }
    return i;
}

static size_t skip_ws(const char *s, size_t i, size_t len)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

/*
 * The span [*v, *end) of the top-level value of `key` in the (already validated) line, found
 * in its raw text. False when the key is absent or written with escapes.
 */
static bool raw_value(const char *s, size_t len, const char *key, size_t *v, size_t *end)
{
    size_t klen = strlen(key);
    size_t i = skip_ws(s, 0, len);
    if (i >= len || s[i] != '{') return false;
    for (i = skip_ws(s, i + 1, len); i < len && s[i] == '"';) {
        size_t k = i + 1, k_end = skip_string(s, i, len) - 1;
        i = skip_ws(s, k_end + 1, len);
        if (i >= len || s[i] != ':') return false;
        i = skip_ws(s, i + 1, len);
        *v = i;
        i = skip_value(s, i, len);
        if (k_end - k == klen && !memcmp(s + k, key, klen)) {
            *end = i;
            return true;
        }
        i = skip_ws(s, i, len);
        if (i < len && s[i] == ',') i = skip_ws(s, i + 1, len);
    }
    return false;
}

/* True when s[from, to) holds the JSON escape \u0000 (a NUL character once decoded). */
static bool has_nul_escape(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i + 1 < to; i++) {
        if (s[i] != '\\') continue;
        if (s[i + 1] == 'u' && i + 6 <= to && !memcmp(s + i + 2, "0000", 4)) return true;
        i++; /* the escaped character */
    }
    return false;
}

/*
 * An id that holds a NUL: cJSON's valuestring stops at the NUL, so "c1\u0000x" would read as c1.
 * Such an id names no registered endpoint: Maelstrom refuses the line as an unknown src/dest
 * (spec §1.6(1)). When the key is written with escapes, any NUL escape in the line counts.
 */
static bool id_has_nul(const char *s, size_t len, const char *key)
{
    size_t v = 0, end = len;
    if (!raw_value(s, len, key, &v, &end)) v = 0, end = len;
    return has_nul_escape(s, v, end);
}

/*
 * The text of the top-level "body" value, copied out of the line: cheaper than re-printing the
 * parsed body, and exactly what the node wrote. NULL when the key is written with escapes (then
 * the caller re-prints the parsed body).
 */
static char *body_text(const char *s, size_t len)
{
    size_t v, end;
    if (!raw_value(s, len, "body", &v, &end)) return NULL;
    char *out = malloc(end - v + 1);
    if (!out) return NULL;
    memcpy(out, s + v, end - v);
    out[end - v] = '\0';
    return out;
}

int wire_parse(const char *line, size_t len, struct wire_env *env, char *err, size_t errlen)
{
    memset(env, 0, sizeof(*env));
    if (len == 0) return fail(err, errlen, "empty line");
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(line, len, &end, 0);
    if (!root) return fail(err, errlen, "not valid JSON");
    int rc = -1;
    while (end && (size_t)(end - line) < len && (*end == ' ' || *end == '\t' || *end == '\r'))
        end++;
    if (end && (size_t)(end - line) < len) {
        fail(err, errlen, "trailing data after the JSON object");
        goto out;
    }
    if (check_envelope(root, err, errlen) != 0) goto out;
    if (copy_id(env->src, sizeof(env->src), cJSON_GetObjectItemCaseSensitive(root, "src"), "src",
                err, errlen) ||
        copy_id(env->dest, sizeof(env->dest), cJSON_GetObjectItemCaseSensitive(root, "dest"),
                "dest", err, errlen))
        goto out;
    for (int k = 0; k < 2; k++) {
        const char *key = k == 0 ? "src" : "dest";
        if (id_has_nul(line, len, key)) {
            snprintf(err, errlen, "\"%s\" contains a NUL character (\\u0000)", key);
            goto out;
        }
    }
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(root, "body");
    if (cJSON_IsObject(body)) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(body, "type");
        if (cJSON_IsString(type)) snprintf(env->type, sizeof(env->type), "%s", type->valuestring);
        const cJSON *irt = cJSON_GetObjectItemCaseSensitive(body, "in_reply_to");
        if (cJSON_IsNumber(irt) && irt->valuedouble == floor(irt->valuedouble) &&
            fabs(irt->valuedouble) < 9007199254740992.0) {
            env->has_in_reply_to = true;
            env->in_reply_to = (int64_t)irt->valuedouble;
        }
    }
    env->body = body_text(line, len);
    if (!env->body) env->body = cJSON_PrintUnformatted(body);
    if (!env->body) {
        fail(err, errlen, "out of memory");
        goto out;
    }
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}

char *wire_to_msg(struct wire_env *env, const char *line, size_t len, bool to_client, struct msg *m)
{
    msg_init(m);
    char *raw = env->body;
    env->body = NULL;
    if (to_client) {
        free(raw);
        raw = NULL;
        char err[256];
        if (codec_decode(line, len, m, err, sizeof(err)) != CODEC_OK) {
            msg_release(m);
            msg_init(m);
            m->type = MSG_OTHER;
            m->flags |= MSG_F_EXTRA_KEYS;
            m->has_in_reply_to = env->has_in_reply_to;
            m->in_reply_to = env->in_reply_to;
        }
        m->has_id = false;
    } else {
        m->type = msg_type_from_name(env->type);
    }
    snprintf(m->src, sizeof(m->src), "%s", env->src);
    snprintf(m->dest, sizeof(m->dest), "%s", env->dest);
    snprintf(m->type_name, sizeof(m->type_name), "%s", env->type);
    return raw;
}

int wire_line(struct strbuf *sb, uint64_t id, const char *src, const char *dest,
              const char *body_json)
{
    /* src and dest are ids we validated or made ourselves: no characters that need escaping. */
    strbuf_addstr(sb, "{\"id\":");
    strbuf_add_u64(sb, id);
    strbuf_addstr(sb, ",\"src\":\"");
    strbuf_addstr(sb, src);
    strbuf_addstr(sb, "\",\"dest\":\"");
    strbuf_addstr(sb, dest);
    strbuf_addstr(sb, "\",\"body\":");
    strbuf_addstr(sb, body_json);
    strbuf_addstr(sb, "}\n");
    return sb->failed ? -1 : 0;
}
