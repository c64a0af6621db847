/* libmemcached_job — the ketama add+remove job done by libmemcached itself,
 * as a whole process to set beside `ringscope sim --strategy ketama` (README,
 * Performance; issue 25). A test-side tool: it is no part of ringscope.
 *
 *   libmemcached_job [--nodes N] [--keys K] [--remove-first]
 *
 * Servers node000 .. node{N-1} (port 11211, weight 1) under libmemcached's
 * weighted ketama (MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED: 160 points a server,
 * MD5 key hash, the first point >= the hash) — DESIGN §1b's `ketama`. The
 * keys are the embedding ids vec_000000 .. (raw, as memcached clients hash
 * them). Phases: the N servers; then add node{N} and remove node000 (with
 * --remove-first: remove, then add). Every phase places every key with
 * memcached_generate_hash (libmemcached's own hash and continuum lookup) and
 * counts the keys whose server changed. Prints one line per phase, as
 * ringscope does with a "moved" figure for the changes only:
 *   phase 0: 100 servers
 *   phase 1: 100 servers (added), moved 9761 of 1000000
 * The same job in ringscope:
 *   ringscope sim --strategy ketama --nodes node000,…,node099 --vectors K
 *       --do "add node100" --do "remove node000"
 * (the other order with --remove-first). No network: libmemcached resolves
 * server names only when it connects, and this never connects.
 * Exit status 0, 2 on bad arguments, 1 on a libmemcached failure. */
#include <libmemcached/memcached.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JOB_MAX_NODES 4096

typedef struct job {
    unsigned nodes;
    unsigned long keys;
    int remove_first;
} job_t;

/* Builds a client over the servers named in live[0..count-1]; NULL on failure. */
static memcached_st *client_of(char names[][16], const unsigned *live, unsigned count)
{
    memcached_st *m = memcached_create(NULL);
    if (!m)
        return NULL;
    if (memcached_behavior_set(m, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1) != MEMCACHED_SUCCESS) {
        memcached_free(m);
        return NULL;
    }
    /* One list pushed at once: adding servers one by one would rebuild
     * the continuum after each. */
    memcached_server_st *list = NULL;
    memcached_return_t rc = MEMCACHED_SUCCESS;
    for (unsigned i = 0; i < count && rc == MEMCACHED_SUCCESS; i++)
        list = memcached_server_list_append_with_weight(list, names[live[i]], 11211, 1, &rc);
    if (rc == MEMCACHED_SUCCESS)
        rc = memcached_server_push(m, list);
    memcached_server_list_free(list);
    if (rc != MEMCACHED_SUCCESS) {
        memcached_free(m);
        return NULL;
    }
    return m;
}

/* Places every key on m; owner[k] receives the name index of its server.
 * Returns the keys whose owner changed (all 0 on the first phase). */
static unsigned long place(memcached_st *m, const unsigned *live, unsigned long keys, unsigned *owner, int first)
{
    unsigned long moved = 0;
    char id[32];
    for (unsigned long k = 0; k < keys; k++) {
        int len = snprintf(id, sizeof id, "vec_%06lu", k);
        unsigned o = live[memcached_generate_hash(m, id, (size_t)len)];
        if (!first && o != owner[k])
            moved++;
        owner[k] = o;
    }
    return moved;
}

static int usage(void)
{
    fputs("usage: libmemcached_job [--nodes N] [--keys K] [--remove-first]\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    job_t job = {100, 1000000, 0};
    for (int i = 1; i < argc; i++) {
        char *end;
        if (strcmp(argv[i], "--nodes") == 0 && i + 1 < argc) {
            unsigned long v = strtoul(argv[++i], &end, 10);
            if (*end || v < 2 || v >= JOB_MAX_NODES)
                return usage();
            job.nodes = (unsigned)v;
        } else if (strcmp(argv[i], "--keys") == 0 && i + 1 < argc) {
            job.keys = strtoul(argv[++i], &end, 10);
            if (*end || job.keys > 200000000ul)
                return usage();
        } else if (strcmp(argv[i], "--remove-first") == 0) {
            job.remove_first = 1;
        } else {
            return usage();
        }
    }
    static char names[JOB_MAX_NODES + 1][16];
    static unsigned live[JOB_MAX_NODES + 1];
    for (unsigned i = 0; i <= job.nodes; i++)
        snprintf(names[i], sizeof names[i], "node%03u", i);
    unsigned *owner = malloc((job.keys + 1) * sizeof *owner);
    if (!owner) {
        fputs("libmemcached_job: out of memory\n", stderr);
        return 1;
    }
    /* Phase 0: node000..; then the two changes, each a fresh client over the
     * servers in force (libmemcached has no call to remove a server). */
    unsigned count = job.nodes;
    for (unsigned i = 0; i < count; i++)
        live[i] = i;
    for (int phase = 0; phase < 3; phase++) {
        int adding = phase > 0 && (phase == 1) != job.remove_first;
        if (phase > 0 && adding) {
            live[count++] = job.nodes;
        } else if (phase > 0) {
            memmove(live, live + 1, (count - 1) * sizeof *live); /* node000 leaves */
            count--;
        }
        memcached_st *m = client_of(names, live, count);
        if (!m) {
            fputs("libmemcached_job: could not set up the client\n", stderr);
            free(owner);
            return 1;
        }
        unsigned long moved = place(m, live, job.keys, owner, phase == 0);
        memcached_free(m);
        if (phase == 0)
            printf("phase 0: %u servers\n", count);
        else
            printf("phase %d: %u servers (%s), moved %lu of %lu\n", phase, count, adding ? "added" : "removed", moved,
                   job.keys);
    }
    free(owner);
    return 0;
}
