/* rs_limits — the largest sizes Ringscope accepts, checked before allocating.
 * One place so the command line, scripts, docs and tests agree. */
#ifndef RINGSCOPE_RS_LIMITS_H
#define RINGSCOPE_RS_LIMITS_H

#define RS_MAX_NODES 4096u            /* live nodes on the ring */
#define RS_MAX_VNODES 10000u          /* virtual nodes per node */
#define RS_MAX_POINTS 4000000u        /* nodes x vnodes, ring points in all */
#define RS_MAX_VECTORS 200000000ull   /* embeddings (about 14 bytes of state each) */
/* In the browser: wasm32 has at most 2 GiB of heap here (memory growth's
 * default ceiling) and the app needs ~70 bytes per embedding at the peak of
 * a change (store, particles, flights in the air). */
#define RS_MAX_VECTORS_WEB 20000000ull
#define RS_MAX_DIM 65536u             /* embedding dimension */
#define RS_MAX_WAIT_SECONDS 3600.0    /* one `wait` in a scenario */
#define RS_MAX_ZONE_NAME 64u          /* bytes in a zone name */
#define RS_MAX_REPLICAS 8u            /* copies of a key */
#define RS_MAX_SCRIPT_BYTES (16u << 20)
#define RS_MAX_KEYS_FILE (1u << 30)    /* bytes of a `locate --keys` file */
#define RS_MAX_SCRIPT_LINE 4096u

#endif
