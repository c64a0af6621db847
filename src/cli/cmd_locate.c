/* ringscope locate: where keys live after a scenario, under any strategy. */
#include "cmd.h"
#include "hash.h"
#include "keyid.h"
#include "md5.h"
#include "opts.h"
#include "report.h"
#include "sim.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void locate_usage(void)
{
    fputs("usage: ringscope locate [options] KEY... [--hash H] [-- KEY...]\n"
          "\n"
          "Runs the setup (nodes, strategy, script, --do commands) and prints, for\n"
          "each key id (any string), its key hash, its owner and where it landed on\n"
          "the strategy's structure: ring point (index and position), jump or modulo\n"
          "bucket, Maglev table slot, rendezvous winner, multiprobe's winning probe,\n"
          "ketama point, or how many full nodes bounded loads passed over.\n"
          "\n"
          "  KEY                a key id, e.g. vec_000042 (placed as key hash64(\"key:\" + KEY);\n"
          "                     ketama: MD5 of KEY); options and keys may come in any order\n"
          "  --hash H           a key hash instead of an id: decimal, or hex after 0x\n"
          "                     (64-bit; 32-bit for ketama); repeatable\n"
          "  --                 ends the options: every later argument is a key\n",
          stdout);
    char params[256], after[sizeof params + 4];
    opts_param_flags(params, sizeof params);
    snprintf(after, sizeof after, "; %s", params);
    opts_help_strategy(stdout, "", after, 81);
    fputs("  --nodes, --vnodes, --vectors, --script, --do   as for `ringscope sim`\n"
          "  --replicas R       also the key's preference list: the R nodes that keep\n"
          "                     its copies, primary first; --zones a=z1,...  as for sim\n"
          "  --json             an array with one object per key\n"
          "\n"
          "bounded answers the ids vec_000000.. of --vectors from their placement; any\n"
          "other key lands where the next key would: the first point from its successor\n"
          "whose node is under capacity (\"placed\": false).\n"
          "\n"
          "Exit status: 0 ok, 2 bad arguments or script, 1 other failure.\n",
          stdout);
}

static int key_of(const sim_t *s, const opts_key_t *k, strat_key_t *key)
{
    if (k->id) {
        size_t len = strlen(k->id);
        char *buf = malloc(len + 5);
        if (!buf)
            return -1;
        memcpy(buf, "key:", 4);
        memcpy(buf + 4, k->id, len);
        key->hash = hash64(buf, len + 4);
        free(buf);
        key->hash32 = ketama_key_hash(k->id, len);
        key->index = keyid_index(k->id, len, s->store.count);
    } else {
        key->hash = k->hash;
        key->hash32 = (uint32_t)k->hash;
        key->index = -1;
    }
    return 0;
}

static void print_hash(FILE *f, strat_kind_t kind, const strat_key_t *key)
{
    if (kind == STRAT_KETAMA)
        fprintf(f, "0x%08" PRIx32, key->hash32);
    else
        fprintf(f, "0x%016" PRIx64, key->hash);
}

static void print_json(FILE *f, const sim_t *s, const opts_key_t *k, const strat_key_t *key, const strat_where_t *w)
{
    strat_kind_t kind = s->strat.kind;
    fputs("{\"key\":", f);
    if (k->id)
        json_fstr(f, k->id);
    else
        fputs("null", f);
    fputs(",\"hash\":\"", f);
    print_hash(f, kind, key);
    fprintf(f, "\",\"strategy\":\"%s\",\"owner\":", s->strat.ops->name);
    if (w->owner == RING_NONE) {
        fputs("null}", f);
        return;
    }
    json_fstr(f, s->ring.nodes[w->owner].id);
    switch (kind) {
    case STRAT_RING:
    case STRAT_KETAMA:
        fprintf(f, ",\"point_index\":%" PRId64 ",\"point\":\"0x%0*" PRIx64 "\"", w->at, kind == STRAT_KETAMA ? 8 : 16,
                w->point);
        if (kind == STRAT_RING)
            fprintf(f, ",\"vnode\":%u", s->ring.vnode[w->at]);
        break;
    case STRAT_BOUNDED:
        fprintf(f, ",\"point_index\":%" PRId64 ",\"point\":\"0x%016" PRIx64 "\",\"vnode\":%u,\"skipped\":%d,\"placed\":%s",
                w->at, w->point, s->ring.vnode[w->at], w->probe, key->index >= 0 ? "true" : "false");
        break;
    case STRAT_MODULO:
    case STRAT_JUMP:
        fprintf(f, ",\"bucket\":%" PRId64, w->at);
        break;
    case STRAT_MAGLEV:
        fprintf(f, ",\"slot\":%" PRId64, w->at);
        break;
    case STRAT_RENDEZVOUS:
        fprintf(f, ",\"rank\":%" PRId64 ",\"score\":\"0x%016" PRIx64 "\"", w->at, w->point);
        break;
    case STRAT_MULTIPROBE:
        fprintf(f, ",\"probe\":%d,\"probe_hash\":\"0x%016" PRIx64 "\",\"point_index\":%" PRId64
                   ",\"point\":\"0x%016" PRIx64 "\"",
                w->probe, w->probe_hash, w->at, w->point);
        break;
    case STRAT_COUNT:
        break;
    }
    if (s->repl.on) {
        uint16_t list[REPL_MAX];
        uint32_t n = repl_prefs_of_key(s, key, list);
        fputs(",\"replicas\":[", f);
        for (uint32_t j = 0; j < n; j++) {
            fputs(j ? ",{\"node\":" : "{\"node\":", f);
            json_fstr(f, s->ring.nodes[list[j]].id);
            const char *zone = repl_zone_of(&s->repl, s->ring.nodes[list[j]].id);
            fputs(",\"zone\":", f);
            if (zone)
                json_fstr(f, zone);
            else
                fputs("null", f);
            fputc('}', f);
        }
        fputc(']', f);
    }
    fputc('}', f);
}

/* With replication on: "  replicas nodeA (zone z1), nodeC, ..." */
static void print_prefs_text(FILE *f, const sim_t *s, const strat_key_t *key)
{
    if (!s->repl.on)
        return;
    uint16_t list[REPL_MAX];
    uint32_t n = repl_prefs_of_key(s, key, list);
    fprintf(f, "  replicas (%u):", n);
    for (uint32_t j = 0; j < n; j++) {
        const char *id = s->ring.nodes[list[j]].id, *zone = repl_zone_of(&s->repl, id);
        fprintf(f, "%s %s", j ? "," : "", id);
        if (zone)
            fprintf(f, " (zone %s)", zone);
    }
    fputc('\n', f);
}

static void print_text(FILE *f, const sim_t *s, const opts_key_t *k, const strat_key_t *key, const strat_where_t *w)
{
    strat_kind_t kind = s->strat.kind;
    if (k->id) {
        char quoted[160];
        nodeid_quote(k->id, strlen(k->id), quoted, sizeof quoted);
        fprintf(f, "%s  hash ", quoted);
    } else {
        fputs("hash ", f);
    }
    print_hash(f, kind, key);
    if (w->owner == RING_NONE) {
        fputs("  owner: none (no nodes)\n", f);
        return;
    }
    fprintf(f, "  owner %s  ", s->ring.nodes[w->owner].id);
    switch (kind) {
    case STRAT_RING:
        fprintf(f, "point %" PRId64 " (vnode %u) at 0x%016" PRIx64 "\n", w->at, s->ring.vnode[w->at], w->point);
        break;
    case STRAT_KETAMA:
        fprintf(f, "point %" PRId64 " at 0x%08" PRIx64 "\n", w->at, w->point);
        break;
    case STRAT_BOUNDED:
        fprintf(f, "point %" PRId64 " (vnode %u) at 0x%016" PRIx64 ", %d points of full nodes passed%s\n", w->at,
                s->ring.vnode[w->at], w->point, w->probe,
                key->index >= 0 ? "" : " (not one of the placed ids: where the next key would go)");
        break;
    case STRAT_MODULO:
    case STRAT_JUMP:
        fprintf(f, "bucket %" PRId64 "\n", w->at);
        break;
    case STRAT_MAGLEV:
        fprintf(f, "table slot %" PRId64 " of %u\n", w->at, s->strat.params.table);
        break;
    case STRAT_RENDEZVOUS:
        fprintf(f, "rank %" PRId64 ", score 0x%016" PRIx64 "\n", w->at, w->point);
        break;
    case STRAT_MULTIPROBE:
        fprintf(f, "probe %d (0x%016" PRIx64 ") -> point %" PRId64 " at 0x%016" PRIx64 "\n", w->probe, w->probe_hash,
                w->at, w->point);
        break;
    case STRAT_COUNT:
        break;
    }
}

int cmd_locate(int argc, char **argv)
{
    opts_t o;
    scn_script_t script;
    char err[1024];
    int begin = cmd_begin(argc, argv, 2, OPTS_LOCATE, locate_usage, &o, &script);
    if (begin != CMD_GO)
        return begin;
    sim_t s;
    int rc = CMD_OK;
    if (cmd_run(&o, &script, o.strategy, 1, &s, NULL, NULL, err, sizeof err) != 0) {
        cmd_error("%s", err);
        rc = CMD_FAIL;
        goto done;
    }
    if (o.json)
        fputc('[', stdout);
    for (size_t i = 0; i < o.key_count; i++) {
        strat_key_t key;
        strat_where_t w;
        if (key_of(&s, &o.keys[i], &key) != 0) {
            cmd_error("out of memory");
            rc = CMD_FAIL;
            goto done;
        }
        sim_locate(&s, &key, &w);
        if (o.json) {
            fputs(i ? ",\n" : "\n", stdout);
            print_json(stdout, &s, &o.keys[i], &key, &w);
        } else {
            print_text(stdout, &s, &o.keys[i], &key, &w);
            if (w.owner != RING_NONE)
                print_prefs_text(stdout, &s, &key);
        }
    }
    if (o.json)
        fputs("\n]\n", stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cmd_error("could not write the output: %s", strerror(errno));
        rc = CMD_FAIL;
    }
done:
    sim_free(&s);
    scn_free(&script);
    opts_free(&o);
    return rc;
}
