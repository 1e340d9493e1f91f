/*
 * fuzz_codec: the node's JSON line decoder (common/codec) and its encoder, on any bytes as one
 * stdin line. Properties: a refused line comes with a message; a line refused for its body still
 * names src, dest and type (the node answers error 12 from them); every decoded message that the
 * encoder accepts encodes to one line (no newline inside: the protocol is one message a line)
 * that decodes again without complaint, to the same message as far as the encoder carries it:
 * encode(decode(encode(m))) is encode(m), byte for byte, through both encoder entry points.
 */
#include <stdbool.h>
#include <string.h>

#include "codec.h"
#include "fuzz.h"
#include "msg.h"
#include "strbuf.h"

/* Encodes m with both entry points; they must agree. Returns false when m is not encodable. */
static bool encode(const struct msg *m, struct strbuf *out)
{
    char *text = NULL;
    size_t len = 0;
    int rc = codec_encode(m, &text, &len);
    int rc_to = codec_encode_to(m, out);
    FUZZ_CHECK(rc == rc_to);
    if (rc != 0) {
        FUZZ_CHECK(out->len == 0);
        return false;
    }
    FUZZ_SAME("codec_encode and codec_encode_to agree", text, len, out->buf, out->len);
    FUZZ_CHECK(strlen(text) == len);
    free(text);
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct msg m;
    char err[256] = "";
    enum codec_status st = codec_decode((const char *)data, size, &m, err, sizeof err);
    if (st != CODEC_OK) {
        FUZZ_CHECK(st == CODEC_BAD_LINE || st == CODEC_BAD_BODY);
        FUZZ_CHECK(err[0] != '\0');
        if (st == CODEC_BAD_BODY) FUZZ_CHECK(m.src[0] != '\0' && m.type_name[0] != '\0');
        msg_release(&m);
        return 0;
    }
    struct strbuf first = STRBUF_INIT, second = STRBUF_INIT;
    if (encode(&m, &first)) {
        FUZZ_CHECK(memchr(first.buf, '\n', first.len) == NULL);
        struct msg again;
        st = codec_decode(first.buf, first.len, &again, err, sizeof err);
        if (st != CODEC_OK) fprintf(stderr, "fuzz: re-decoding %s: %s\n", first.buf, err);
        FUZZ_CHECK(st == CODEC_OK);
        FUZZ_CHECK(again.type == m.type);
        FUZZ_CHECK(strcmp(again.type_name, m.type_name) == 0);
        FUZZ_CHECK(strcmp(again.src, m.src) == 0 && strcmp(again.dest, m.dest) == 0);
        FUZZ_CHECK(again.flags == 0); /* our own output is clean */
        FUZZ_CHECK(encode(&again, &second));
        FUZZ_SAME("encode(decode(encode(m))) == encode(m)", first.buf, first.len, second.buf,
                  second.len);
        msg_release(&again);
    }
    strbuf_release(&first);
    strbuf_release(&second);
    msg_release(&m);
    return 0;
}
