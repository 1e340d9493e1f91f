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
    for (int d = 0; d < BATCH_DIRS; d++)
        FUZZ_CHECK(cfg_batch_period_us(c, (enum batch_dir)d) <=
                   time_from_ms(CFG_MAX_BATCH_TIMEOUT_MS));
    FUZZ_CHECK(c->retry_us >= time_from_ms(CFG_MIN_RETRY_MS));
    FUZZ_CHECK(c->retry_us <= time_from_ms(CFG_MAX_RETRY_MS));
    FUZZ_CHECK(strcmp(cfg_delivery_name(c->delivery), "?") != 0);
    FUZZ_CHECK(strcmp(cfg_phase_name(c->batch_phase), "?") != 0);
    FUZZ_CHECK(c->delivery != DELIVERY_CUMULATIVE || c->ack_delay_us < c->retry_us);
    FUZZ_CHECK(memchr(c->root, '\0', sizeof c->root) != NULL);
    FUZZ_CHECK(memchr(c->topology_file, '\0', sizeof c->topology_file) != NULL);
    FUZZ_CHECK((c->strategy == CFG_STRATEGY_FILE) <= (c->topology_file[0] != '\0'));
}

static unsigned long long ms(time_us us)
{
    return (unsigned long long)(us / 1000u);
}

/*
 * c as an INI file: every key that has a value (hubs and fanout only with their strategy, a
 * direction's period only when set). "key=value" without spaces: a value read back may start
 * with ';' or '#' (`file=;x`), which after a space would begin an inline comment.
 */
static void write_ini(const struct cfg *c, struct strbuf *b)
{
    static const char *const dir[BATCH_DIRS] = { "up", "down", "across" };
    strbuf_addf(b, "[topology]\nstrategy=%s\n", cfg_strategy_name(c));
    if (c->root[0]) strbuf_addf(b, "root=%s\n", c->root);
    if (c->topology_file[0]) strbuf_addf(b, "file=%s\n", c->topology_file);
    bool builtin = c->strategy == CFG_STRATEGY_BUILTIN;
    if (c->topo_k && builtin && c->kind == TOPO_HUBS) strbuf_addf(b, "hubs=%u\n", c->topo_k);
    if (c->topo_k && builtin && c->kind == TOPO_KARY) strbuf_addf(b, "fanout=%u\n", c->topo_k);
    strbuf_addf(b, "[batch]\ntimeout_ms=%llu\nphase=%s\nmax_values=%u\n", ms(c->batch_timeout_us),
                cfg_phase_name(c->batch_phase), c->batch_max_values);
    for (int d = 0; d < BATCH_DIRS; d++) {
        if (c->batch_period_set & (1u << d))
            strbuf_addf(b, "%s_ms=%llu\n", dir[d], ms(c->batch_period_us[d]));
        strbuf_addf(b, "%s_offset_ms=%llu\n", dir[d], ms(c->batch_offset_us[d]));
    }
    strbuf_addf(b, "[delivery]\nmode=%s\nretry_ms=%llu\nack_delay_ms=%llu\n",
                cfg_delivery_name(c->delivery), ms(c->retry_us), ms(c->ack_delay_us));
    strbuf_addf(b, "sync_ms=%llu\nsync_age_ms=%llu\n", ms(c->sync_us), ms(c->sync_age_us));
    FUZZ_CHECK(!b->failed);
}

static void check_same(const struct cfg *a, const struct cfg *b)
{
    FUZZ_CHECK(a->strategy == b->strategy);
    if (a->strategy == CFG_STRATEGY_BUILTIN) FUZZ_CHECK(a->kind == b->kind); /* else unused */
    FUZZ_CHECK(strcmp(a->root, b->root) == 0);
    FUZZ_CHECK(strcmp(a->topology_file, b->topology_file) == 0);
    FUZZ_CHECK(a->topo_k == b->topo_k);
    FUZZ_CHECK(a->batch_timeout_us == b->batch_timeout_us);
    FUZZ_CHECK(a->batch_period_set == b->batch_period_set);
    for (int d = 0; d < BATCH_DIRS; d++) {
        FUZZ_CHECK(cfg_batch_period_us(a, (enum batch_dir)d) ==
                   cfg_batch_period_us(b, (enum batch_dir)d));
        FUZZ_CHECK(a->batch_offset_us[d] == b->batch_offset_us[d]);
    }
    FUZZ_CHECK(a->batch_phase == b->batch_phase && a->batch_max_values == b->batch_max_values);
    FUZZ_CHECK(a->delivery == b->delivery && a->retry_us == b->retry_us);
    FUZZ_CHECK(a->ack_delay_us == b->ack_delay_us);
    FUZZ_CHECK(a->sync_us == b->sync_us && a->sync_age_us == b->sync_age_us);
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
    check_same(&c, &again);
    strbuf_release(&ini);
    free(text);
    return 0;
}
