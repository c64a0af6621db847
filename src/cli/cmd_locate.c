/* ringscope locate: where keys live after a scenario, under any strategy.
 * What a strategy says about where a key landed is its own (the describe
 * hook of strat_ops_t); this file prints the key, its hash, its owner and
 * its replicas around it. Under a preset of a real system the key is read
 * in that system's native form (text, a number, a UUID; --key-hex for any
 * bytes) and the hash is the system's own (strat_keyhash_t). */
#include "cmd.h"
#include "hash.h"
#include "keyid.h"
#include "opts.h"
#include "report.h"
#include "sim.h"
#include "simjson.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The strategies' own key hashes, for the KEY and --hash lines: "ketama:
 * MD5 of KEY" (the presets' are told in their notes below) or "32-bit for
 * ketama" (sep between them). */
static void own_hashes(char *out, size_t size, int widths)
{
    size_t at = 0;
    out[0] = '\0';
    for (int k = 0; k < STRAT_COUNT && at < size; k++) {
        const strat_ops_t *ops = strat_ops((strat_kind_t)k);
        if (!ops->key_hash || (!widths && ops->system))
            continue;
        int n = widths ? snprintf(out + at, size - at, "; %u-bit for %s", ops->key_hash->bits, ops->name)
                       : snprintf(out + at, size - at, "; %s: %s", ops->name, ops->key_hash->help);
        at += n > 0 && (size_t)n < size - at ? (size_t)n : 0;
    }
}

static void locate_usage(void)
{
    fputs("usage: ringscope locate [options] KEY... [--hash H] [-- KEY...]\n"
          "\n",
          stdout);
    /* What each strategy's describe names, from the table. */
    char landed[1024];
    size_t at = 0;
    landed[0] = '\0';
    for (int k = 0; k < STRAT_COUNT && at < sizeof landed; k++) {
        const char *w = strat_ops((strat_kind_t)k)->landed;
        if (!w)
            continue;
        int n = snprintf(landed + at, sizeof landed - at, "%s%s", at ? ", " : "", w);
        at += n > 0 ? (size_t)n : 0;
    }
    char text[sizeof landed + 256];
    snprintf(text, sizeof text, "Runs the setup (nodes, strategy, script, --do commands) and prints, for each key "
             "id (any string), its key hash, its owner and where it landed on the strategy's structure: %s.",
             landed);
    opts_help_wrap(stdout, text, 0, 76);
    fputs("\n", stdout);
    char own[1024];
    own_hashes(own, sizeof own, 0);
    snprintf(text, sizeof text, "a key id, e.g. vec_000042 (placed as key hash64(\"key:\" + KEY)%s; a preset: "
             "its system's hash of KEY in the system's form, below); options and keys may come in any order", own);
    opts_help_option(stdout, "KEY", text, 84);
    own_hashes(own, sizeof own, 1);
    snprintf(text, sizeof text, "a key hash instead of an id: decimal, or hex after 0x (64-bit%s); repeatable", own);
    opts_help_option(stdout, "--hash H", text, 81);
    opts_help_option(stdout, "--keys FILE",
                     "more keys, one a line (the newline and a CR before it are not part of the key); - reads "
                     "standard input; for more keys than a command line holds",
                     81);
    opts_help_option(stdout, "--key-hex HEX",
                     "a key of any bytes, two hex digits a byte (binary Redis, Kafka or Cassandra keys); "
                     "repeatable",
                     81);
    fputs("  --                 ends the options: every later argument is a key\n", stdout);
    char params[256], after[sizeof params + 4];
    opts_param_flags(params, sizeof params);
    snprintf(after, sizeof after, "; %s", params);
    opts_help_strategy(stdout, "", " or ", after, 81);
    fputs("  --nodes, --vnodes, --vectors, --script, --do   as for `ringscope sim`\n"
          "  --replicas R       also the key's preference list: the R nodes that keep\n"
          "                     its copies, primary first; --zones a=z1,...  as for sim\n"
          "  --json             an array with one object per key\n",
          stdout);
    for (int k = 0; k < STRAT_COUNT; k++)
        if (strat_ops((strat_kind_t)k)->locate_note)
            printf("\n%s", strat_ops((strat_kind_t)k)->locate_note);
    fputs("\n"
          "Exit status: 0 ok, 2 bad arguments or script, 1 other failure.\n",
          stdout);
}

/* The key as the active strategy sees it: its khash, its own hash where
 * the strategy has one, its embedding index if it names one. --hash H is
 * the hash the strategy places by. -1: out of memory. */
static int key_of(const sim_t *s, const opts_key_t *k, strat_key_t *key)
{
    const strat_keyhash_t *kh = s->strat.ops->key_hash;
    if (k->id) {
        size_t len = k->len;
        char *buf = malloc(len + 5), why[256];
        if (!buf)
            return -1;
        memcpy(buf, "key:", 4);
        memcpy(buf + 4, k->id, len);
        key->hash = hash64(buf, len + 4);
        free(buf);
        key->own = 0;
        if (kh && kh->of_id(k->id, len, &key->own, why, sizeof why) != 0)
            key->own = 0; /* (refused before the run: keys_fit) */
        key->index = keyid_index(k->id, len, s->store.count);
    } else {
        key->hash = k->hash;
        key->own = kh ? k->hash : 0;
        key->index = -1;
    }
    return 0;
}

/* Every key in the native form of kh's system, and every --hash within
 * its width: 0, or a usage error on stderr. */
static int keys_fit(const opts_t *o, strat_kind_t last)
{
    const strat_keyhash_t *kh = strat_ops(last)->key_hash;
    for (size_t i = 0; i < o->key_count && kh; i++) {
        const opts_key_t *k = &o->keys[i];
        uint64_t own;
        char why[256], quoted[96];
        if (k->id && kh->of_id(k->id, k->len, &own, why, sizeof why) != 0) {
            json_t q = {0};
            json_strn(&q, k->id, k->len > 64 ? 64 : k->len);
            snprintf(quoted, sizeof quoted, "%s", q.oom ? "?" : json_text(&q));
            json_free(&q);
            cmd_error("%s is not a key %s takes: %s (the strategy in force after the setup)", quoted,
                      strat_name(last), why);
            return -1;
        }
        if (!k->id && kh->bits < 64 && k->hash >> kh->bits) {
            cmd_error("--hash: %llu does not fit in %u bits; %s's key hashes are %u-bit (the strategy in force "
                      "after the setup)",
                      (unsigned long long)k->hash, kh->bits, strat_name(last), kh->bits);
            return -1;
        }
    }
    return 0;
}

/* "0x…": the hash the strategy places by, in hex digits of its width. */
static void put_hash(json_t *j, const sim_t *s, const strat_key_t *key)
{
    const strat_keyhash_t *kh = s->strat.ops->key_hash;
    json_printf(j, "0x%0*" PRIx64, kh ? (int)(kh->bits + 3) / 4 : 16, kh ? key->own : key->hash);
}

static void put_json(json_t *j, const sim_t *s, const opts_key_t *k, const strat_key_t *key, const strat_where_t *w)
{
    json_raw(j, "{\"key\":");
    if (k->id)
        json_strn(j, k->id, k->len);
    else
        json_raw(j, "null");
    json_raw(j, ",\"hash\":\"");
    put_hash(j, s, key);
    json_printf(j, "\",\"strategy\":\"%s\",\"owner\":", s->strat.ops->name);
    if (w->owner == RING_NONE) {
        json_raw(j, "null}");
        return;
    }
    json_str(j, s->ring.nodes[w->owner].id);
    s->strat.ops->describe(&s->strat, &s->nodes, key, w, j, NULL, 0);
    if (s->repl.on) {
        uint16_t list[REPL_MAX];
        uint32_t n = sim_prefs_of_key(s, key, list);
        json_raw(j, ",\"replicas\":[");
        for (uint32_t i = 0; i < n; i++) {
            json_raw(j, i ? ",{\"node\":" : "{\"node\":");
            json_str(j, s->ring.nodes[list[i]].id);
            json_raw(j, ",\"zone\":");
            simjson_zone(j, &s->repl, s->ring.nodes[list[i]].id);
            json_raw(j, "}");
        }
        json_raw(j, "]");
    }
    json_raw(j, "}");
}

/* With replication on: "  replicas (3): nodeA (zone z1), nodeC, ..." */
static void put_prefs_text(json_t *t, const sim_t *s, const strat_key_t *key)
{
    if (!s->repl.on)
        return;
    uint16_t list[REPL_MAX];
    uint32_t n = sim_prefs_of_key(s, key, list);
    json_printf(t, "  replicas (%u):", n);
    for (uint32_t i = 0; i < n; i++) {
        const char *id = s->ring.nodes[list[i]].id, *zone = repl_zone_of(&s->repl, id);
        json_printf(t, "%s %s", i ? "," : "", id);
        if (zone)
            json_printf(t, " (zone %s)", zone);
    }
    json_raw(t, "\n");
}

static void put_text(json_t *t, const sim_t *s, const opts_key_t *k, const strat_key_t *key, const strat_where_t *w)
{
    if (k->id) {
        /* Quoted as JSON quotes it: whole, visible when empty, bad bytes
         * escaped the same way. */
        json_strn(t, k->id, k->len);
        const strat_keyhash_t *kh = s->strat.ops->key_hash;
        char native[96];
        if (kh && kh->native_of && kh->native_of(k->id, k->len, native, sizeof native))
            json_printf(t, " (%s)", native);
        json_raw(t, "  hash ");
    } else {
        json_raw(t, "hash ");
    }
    put_hash(t, s, key);
    if (w->owner == RING_NONE) {
        json_raw(t, "  owner: none (no nodes)\n");
        return;
    }
    char where[512];
    s->strat.ops->describe(&s->strat, &s->nodes, key, w, NULL, where, sizeof where);
    json_printf(t, "  owner %s  %s", s->ring.nodes[w->owner].id, where);
    put_prefs_text(t, s, key);
}

int cmd_locate(int argc, char **argv)
{
    opts_t o;
    scn_script_t script;
    char err[1024];
    int begin = cmd_begin(argc, argv, 2, OPTS_LOCATE, locate_usage, &o, &script);
    if (begin != CMD_GO)
        return begin;
    /* --hash is the hash the strategy in force at the end places by: its
     * own, if narrower. Known before anything runs: the last `strategy`. */
    strat_kind_t last = o.strategy;
    for (size_t i = 0; i < script.count; i++)
        if (script.cmds[i].op == SCN_STRATEGY)
            last = (strat_kind_t)script.cmds[i].value;
    if (keys_fit(&o, last) != 0) {
        scn_free(&script);
        opts_free(&o);
        return CMD_USAGE;
    }
    sim_t s;
    json_t out = {0};
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
        /* One key at a time through the one writer (json.h), text too. */
        json_reset(&out);
        if (o.json) {
            json_raw(&out, i ? ",\n" : "\n");
            put_json(&out, &s, &o.keys[i], &key, &w);
        } else {
            put_text(&out, &s, &o.keys[i], &key, &w);
        }
        if (out.oom) {
            cmd_error("out of memory");
            rc = CMD_FAIL;
            goto done;
        }
        fputs(json_text(&out), stdout);
    }
    if (o.json)
        fputs("\n]\n", stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cmd_error("could not write the output: %s", strerror(errno));
        rc = CMD_FAIL;
    }
done:
    json_free(&out);
    sim_free(&s);
    scn_free(&script);
    opts_free(&o);
    return rc;
}
