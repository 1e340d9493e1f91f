/*
 * fuzz_cfg: the node's INI loader (common/cfg, inih inside) on any bytes as a file's content
 * (cfg_load refuses a file with a NUL byte before parsing, so such inputs are skipped). Properties:
 * a refused file comes with "fuzz.ini:LINE: what" or "fuzz.ini: what"; an accepted one gives a
 * configuration inside the documented ranges, and that configuration written back as INI loads
 * to the same configuration.
 */
#include <stdbool.h>
#include <string.h>

#include "cfg.h"
#include "fuzz.h"
#include "strbuf.h"

static void check_ranges(const struct cfg *c)
{
    FUZZ_CHECK(cfg_strategy_name(c) != NULL);
    FUZZ_CHECK(c->batch_timeout_us <= time_from_ms(CFG_MAX_BATCH_TIMEOUT_MS));
    FUZZ_CHECK(c->retry_us >= time_from_ms(CFG_MIN_RETRY_MS));
    FUZZ_CHECK(c->retry_us <= time_from_ms(CFG_MAX_RETRY_MS));
    FUZZ_CHECK(c->delivery == DELIVERY_ACKS || c->delivery == DELIVERY_FIRE_AND_FORGET);
    FUZZ_CHECK(memchr(c->root, '\0', sizeof c->root) != NULL);
    FUZZ_CHECK(memchr(c->topology_file, '\0', sizeof c->topology_file) != NULL);
    FUZZ_CHECK((c->strategy == CFG_STRATEGY_FILE) <= (c->topology_file[0] != '\0'));
}

/* c as an INI file (every key, so nothing rests on the defaults). "key=value" without spaces: a
 * value read back may start with ';' or '#' (`file=;x`), which after a space would begin an
 * inline comment. */
static void write_ini(const struct cfg *c, struct strbuf *b)
{
    strbuf_addf(b, "[topology]\nstrategy=%s\n", cfg_strategy_name(c));
    if (c->root[0]) strbuf_addf(b, "root=%s\n", c->root);
    if (c->topology_file[0]) strbuf_addf(b, "file=%s\n", c->topology_file);
    strbuf_addf(b, "[batch]\ntimeout_ms=%llu\n", (unsigned long long)(c->batch_timeout_us / 1000u));
    strbuf_addf(b, "[delivery]\nmode=%s\nretry_ms=%llu\n",
                c->delivery == DELIVERY_ACKS ? "acks" : "fire-and-forget",
                (unsigned long long)(c->retry_us / 1000u));
    FUZZ_CHECK(!b->failed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memchr(data, '\0', size)) return 0;
    char *text = malloc(size + 1);
    FUZZ_CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    struct cfg c, again;
    char err[1024] = "";
    if (cfg_parse_string(&c, text, "fuzz.ini", err, sizeof err) != 0) {
        FUZZ_CHECK(strncmp(err, "fuzz.ini:", 9) == 0 && strlen(err) > 11);
        free(text);
        return 0;
    }
    check_ranges(&c);
    struct strbuf ini = STRBUF_INIT;
    write_ini(&c, &ini);
    int rc = cfg_parse_string(&again, ini.buf, "fuzz.ini", err, sizeof err);
    if (rc != 0) fprintf(stderr, "fuzz: reading back\n%s: %s\n", ini.buf, err);
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(again.strategy == c.strategy);
    if (c.strategy == CFG_STRATEGY_BUILTIN) FUZZ_CHECK(again.kind == c.kind); /* else unused */
    FUZZ_CHECK(strcmp(again.root, c.root) == 0);
    FUZZ_CHECK(strcmp(again.topology_file, c.topology_file) == 0);
    FUZZ_CHECK(again.batch_timeout_us == c.batch_timeout_us && again.retry_us == c.retry_us);
    FUZZ_CHECK(again.delivery == c.delivery);
    strbuf_release(&ini);
    free(text);
    return 0;
}
