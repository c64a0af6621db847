#include "scene.h"

#include "embed.h"
#include "place.h"
#include "shardmap.h"
#include "strip.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LANDED -1.0e6f

/* Particle attributes of the bound VAO: static part, then owners and start. */
static void particle_attribs(const scene_t *sc)
{
    static const gfx_attrib_t key = {0, 4, GL_FLOAT, GFX_ATTR_FLOAT, 0};
    static const gfx_attrib_t owner[] = {
        {1, 4, GL_UNSIGNED_SHORT, GFX_ATTR_INT, offsetof(scene_owner_t, from)},
        {2, 1, GL_FLOAT, GFX_ATTR_FLOAT, offsetof(scene_owner_t, start)},
    };
    /* 3: replication (scene_repl.c); 4: the key's place on the structure */
    static const gfx_attrib_t way = {4, 3, GL_FLOAT, GFX_ATTR_FLOAT, 0};
    glBindBuffer(GL_ARRAY_BUFFER, sc->p_static);
    gfx_attribs(&key, 1, 16);
    glBindBuffer(GL_ARRAY_BUFFER, sc->p_dyn);
    gfx_attribs(owner, 2, sizeof(scene_owner_t));
    glBindBuffer(GL_ARRAY_BUFFER, sc->p_way);
    gfx_attribs(&way, 1, 12);
}

int scene_init(scene_t *sc, char *err, size_t err_size)
{
    memset(sc, 0, sizeof *sc);
    if (gfx_program_build(&sc->prog_particle, "particle", rs_shader_particle_vert, rs_shader_particle_frag, err,
                          err_size) != 0 ||
        gfx_program_build(&sc->prog_point, "point", rs_shader_point_vert, rs_shader_point_frag, err, err_size) != 0 ||
        gfx_program_build(&sc->prog_band, "band", rs_shader_band_vert, rs_shader_band_frag, err, err_size) != 0 ||
        scene_repl_init(&sc->repl, err, err_size) != 0)
        return -1;
    sc->layout_dur = 1.0f;
    sc->flight = 0.9f;
    sc->lod_max = SCENE_LOD_MAX;

    /* Node table: RGBA32F read with texelFetch (no filtering needed). */
    glGenTextures(1, &sc->nodes_tex);
    glBindTexture(GL_TEXTURE_2D, sc->nodes_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA32F, SCENE_NODE_COLS * 2, RS_MAX_NODES / SCENE_NODE_COLS, 0, GL_RGBA,
                 GL_FLOAT, NULL);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);

    sc->strip_tex = strip_texture(SCENE_STRIP);

    /* Particles: static attributes (key split, cloud offset) and the small
     * dynamic part (owners, start time) in separate buffers. */
    glGenVertexArrays(1, &sc->p_vao);
    glGenBuffers(1, &sc->p_static);
    glGenBuffers(1, &sc->p_dyn);
    glGenBuffers(1, &sc->p_way);
    glBindVertexArray(sc->p_vao);
    particle_attribs(sc);
    glGenBuffers(1, &sc->p_ebo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, sc->p_ebo);
    /* The thinned view reads the same buffers through its own index list
     * (every k-th particle): a k-times stride would exceed WebGL's 255-byte
     * limit beyond ~1.8 million embeddings and draw nothing. */
    glGenVertexArrays(1, &sc->p_vao_lod);
    glGenBuffers(1, &sc->p_lod_idx);
    glBindVertexArray(sc->p_vao_lod);
    particle_attribs(sc);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, sc->p_lod_idx);

    static const gfx_attrib_t point[] = {
        {0, 2, GL_FLOAT, GFX_ATTR_FLOAT, offsetof(scene_point_gpu_t, hi)},
        {1, 1, GL_UNSIGNED_INT, GFX_ATTR_INT, offsetof(scene_point_gpu_t, slot)},
        {2, 2, GL_FLOAT, GFX_ATTR_FLOAT, offsetof(scene_point_gpu_t, born)},
    };
    gfx_vertex_array(&sc->v_vao, &sc->v_vbo, point, sizeof point / sizeof point[0], sizeof(scene_point_gpu_t));
    glGenBuffers(1, &sc->v_idx);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, sc->v_idx); /* part of v_vao */
    sc->v_vis_all = 1;
    sc->v_idx_dirty = 1;

    static const gfx_attrib_t corner = {0, 2, GL_FLOAT, GFX_ATTR_FLOAT, 0};
    gfx_vertex_array(&sc->band_vao, &sc->band_vbo, &corner, 1, 8);
    gfx_buffer_data(GL_ARRAY_BUFFER, sizeof sc->band_quad, NULL, GL_DYNAMIC_DRAW);
    glBindVertexArray(0);
    sst_init(&sc->sst);
    return 0;
}

void scene_shutdown(scene_t *sc)
{
    sst_shutdown(&sc->sst);
    gfx_program_free(&sc->prog_particle);
    gfx_program_free(&sc->prog_point);
    gfx_program_free(&sc->prog_band);
    GLuint tex[2] = {sc->nodes_tex, sc->strip_tex};
    glDeleteTextures(2, tex);
    glDeleteBuffers(1, &sc->v_idx);
    GLuint bufs[6] = {sc->p_static, sc->p_dyn, sc->v_vbo, sc->band_vbo, sc->p_ebo, sc->p_lod_idx};
    glDeleteBuffers(6, bufs);
    glDeleteBuffers(1, &sc->p_way);
    GLuint vaos[4] = {sc->p_vao, sc->v_vao, sc->band_vao, sc->p_vao_lod};
    glDeleteVertexArrays(4, vaos);
    free(sc->moved_idx);
    free(sc->owners);
    free(sc->p_static_cpu);
    free(sc->way_cpu);
    free(sc->land);
    free(sc->land_tmp);
    free(sc->pts);
    free(sc->pts_next);
    free(sc->pts_gpu);
    scene_repl_shutdown(&sc->repl);
    scene_lumps_free(&sc->lumps);
    memset(sc, 0, sizeof *sc);
}

/* ---- node table ---------------------------------------------------------- */

void scene_node_set(scene_t *sc, uint16_t slot, const scene_node_t *n)
{
    if (slot < RS_MAX_NODES)
        sc->nodes[slot] = *n;
}

void scene_nodes_upload(scene_t *sc, uint32_t slot_count, float t0, float dur)
{
    uint32_t rows = (slot_count + SCENE_NODE_COLS - 1) / SCENE_NODE_COLS;
    if (rows < 1)
        rows = 1;
    glBindTexture(GL_TEXTURE_2D, sc->nodes_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    /* The slot's two texels are laid out exactly as scene_node_t. */
    gfx_tex_sub(0, 0, SCENE_NODE_COLS * 2, (GLsizei)rows, GL_RGBA, GL_FLOAT, sc->nodes,
                (size_t)rows * SCENE_NODE_COLS * sizeof(scene_node_t));
    sc->node_rows = rows;
    sc->layout_t0 = t0;
    sc->layout_dur = dur > 0 ? dur : 1.0f;
}

void scene_node_pos(const scene_t *sc, uint16_t slot, float t, float *x, float *y)
{
    const scene_node_t *n = &sc->nodes[slot < RS_MAX_NODES ? slot : 0];
    float e = scene_ease((t - sc->layout_t0) / sc->layout_dur);
    *x = n->old_x + (n->new_x - n->old_x) * e;
    *y = n->old_y + (n->new_y - n->old_y) * e;
}

/* ---- particles ----------------------------------------------------------- */

/* A particle's place in its node's cloud: the direction of the embedding's
 * first two components (embed_vector2 with dim 2 normalises just that pair,
 * so it costs one Gaussian pair instead of dim), and a radius from low bits
 * of the key hash, uniform over the disc area with a gentle bias inwards. */
static void cloud_offset(const sim_t *s, uint32_t index, uint64_t hash, float out[2])
{
    float v[2];
    embed_vector2(s->seed, index, 2, v);
    double u = (double)(hash & 0xFFFFFFu) / 16777216.0;
    float r = (float)pow(u, 0.62);
    out[0] = v[0] * r;
    out[1] = v[1] * r;
}

/* Grows the count arrays *ptr[i] (elements of size[i]) that share the
 * capacity *cap to hold n, doubling from 1024; -1 without memory (*cap
 * then stays, the arrays already grown keep their new size). */
static int reserve_all(size_t n, size_t *cap, void **const ptr[], const size_t size[], int count)
{
    if (n <= *cap)
        return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < n)
        c *= 2;
    for (int i = 0; i < count; i++) {
        void *q = realloc(*ptr[i], c * size[i]);
        if (!q)
            return -1;
        *ptr[i] = q;
    }
    *cap = c;
    return 0;
}

static int landings_reserve(scene_t *sc, size_t n)
{
    void **const ptr[] = {(void **)&sc->land, (void **)&sc->land_tmp};
    const size_t size[] = {sizeof *sc->land, sizeof *sc->land_tmp};
    return reserve_all(n, &sc->land_cap, ptr, size, 2);
}

static int by_idx(const void *a, const void *b)
{
    uint32_t x = ((const scene_landing_t *)a)->idx, y = ((const scene_landing_t *)b)->idx;
    return x < y ? -1 : x > y;
}

static int by_land(const void *a, const void *b)
{
    const scene_landing_t *x = a, *y = b;
    if (x->land != y->land)
        return x->land < y->land ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void moved_from_landings(scene_t *sc);

void scene_set_lod_max(scene_t *sc, uint32_t n)
{
    if (n < 1000)
        n = 1000;
    if (n == sc->lod_max)
        return;
    sc->lod_max = n;
    sc->lod_stride = 0;      /* the thinned view's indices, for the new stride */
    moved_from_landings(sc); /* flights in the air: drawn by the moved pass, or not hidden */
}

/* The thinned view (past lod_max) hides particles in the air from its
 * pass: every one of them is drawn by the moved pass from these indices. */
static void moved_from_landings(scene_t *sc)
{
    size_t n = sc->land_count - sc->land_next;
    sc->moved_end = n ? sc->land[sc->land_count - 1].land : 0.0f;
    sc->moved_count = 0;
    if (sc->p_count <= sc->lod_max || !n)
        return;
    if (n > sc->moved_cap) {
        uint32_t *idx = realloc(sc->moved_idx, n * sizeof *idx);
        if (!idx)
            return;
        sc->moved_idx = idx;
        sc->moved_cap = n;
    }
    for (size_t k = 0; k < n; k++)
        sc->moved_idx[k] = sc->land[sc->land_next + k].idx;
    sc->moved_count = n;
    glBindVertexArray(sc->p_vao);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, sc->p_ebo);
    gfx_buffer_data(GL_ELEMENT_ARRAY_BUFFER, n * sizeof(uint32_t), sc->moved_idx, GL_DYNAMIC_DRAW);
    glBindVertexArray(0);
}

void scene_landings_advance(scene_t *sc, float now)
{
    while (sc->land_next < sc->land_count && sc->land[sc->land_next].land <= now) {
        const scene_landing_t *e = &sc->land[sc->land_next++];
        if (e->from < RS_MAX_NODES && sc->shown[e->from])
            sc->shown[e->from]--;
        if (e->to < RS_MAX_NODES)
            sc->shown[e->to]++;
        sc->op_landed += e->op;
    }
}

/* 1 if the key at sorted position pos is lost: no node holds data for it. */
static int key_lost(const sim_t *s, size_t pos)
{
    const repl_t *r = &s->repl;
    uint32_t k = pos < s->store.count ? s->store.index[pos] : UINT32_MAX;
    return r->on && k < r->keys && (r->held[k] & REPL_LOST);
}

/* The counts as drawn: what each node holds data for now (sim_counts),
 * less the flights that have not landed (they count for their origin until
 * then). Lost keys count for no node, before their flight or after. */
static void shown_from_counts(scene_t *sc, const sim_t *s)
{
    static int64_t c[RS_MAX_NODES];
    const ring_t *r = &s->ring;
    const uint64_t *held = sim_counts(s);
    for (uint32_t slot = 0; slot < RS_MAX_NODES; slot++)
        c[slot] = slot < r->slot_count && r->nodes[slot].live ? (int64_t)held[slot] : 0;
    for (size_t i = sc->land_next; i < sc->land_count; i++) {
        const scene_landing_t *e = &sc->land[i];
        if (e->to < RS_MAX_NODES)
            c[e->to]--;
        if (e->from < RS_MAX_NODES)
            c[e->from]++;
    }
    for (uint32_t slot = 0; slot < RS_MAX_NODES; slot++)
        sc->shown[slot] = c[slot] > 0 ? (uint64_t)c[slot] : 0;
}

/* The lump of the key at sorted position pos resting at node (the lumps
 * are on), and its shard in *shard. */
static uint16_t lump_of(const scene_t *sc, const sim_t *s, size_t pos, uint16_t node, uint32_t *shard)
{
    *shard = scene_lumps_shard_at(s, pos);
    return node == SCENE_NONE ? (uint16_t)SCENE_LUMP_NONE : scene_lumps_slot(&sc->lumps, *shard, node);
}

int scene_particles_rebuild(scene_t *sc, const sim_t *s, uint64_t fly_in_from, float now, float stagger,
                            char *err, size_t err_size)
{
    const store_t *st = &s->store;
    size_t n = st->count;
    if (n > sc->p_cap) {
        scene_owner_t *o = realloc(sc->owners, n * sizeof *o);
        if (o)
            sc->owners = o;
        float *f = o ? realloc(sc->p_static_cpu, n * 4 * sizeof *f) : NULL;
        if (f)
            sc->p_static_cpu = f;
        float *wy = f ? realloc(sc->way_cpu, n * 3 * sizeof *wy) : NULL;
        if (!o || !f || !wy) {
            snprintf(err, err_size, "out of memory for %zu particles", n);
            return -1;
        }
        sc->way_cpu = wy;
        sc->p_cap = n;
    }
    size_t fresh = 0, k = 0;
    for (size_t i = 0; i < n; i++)
        fresh += st->index[i] >= fly_in_from;
    if (landings_reserve(sc, fresh) != 0) {
        snprintf(err, err_size, "out of memory for %zu flights", fresh);
        return -1;
    }
    /* Flights in the air land at once; the fresh ones fly in from the ring. */
    sc->land_count = sc->land_next = 0;
    (void)scene_lumps_sync(&sc->lumps, s, now); /* without memory: whole clouds */
    sc->op_moves = fresh;
    sc->op_landed = 0;
    for (size_t i = 0; i < n; i++) {
        float *p = sc->p_static_cpu + 4 * i;
        view_split(st->hash[i], p);
        cloud_offset(s, st->index[i], st->hash[i], p + 2);
        scene_owner_t *o = &sc->owners[i];
        o->to = st->owner[i] == RING_NONE ? SCENE_NONE : st->owner[i];
        uint32_t shard = 0;
        o->lump_to = sc->lumps.shards ? lump_of(sc, s, i, o->to, &shard) : (uint16_t)SCENE_LUMP_NONE;
        o->lump_from = o->lump_to;
        float *way = sc->way_cpu + 3 * i;
        way[0] = way[1] = way[2] = 0.0f;
        if (st->index[i] >= fly_in_from) {
            sst_way_of(s, i, way);
            o->from = SCENE_NONE;
            o->start = now + (fresh > 1 ? stagger * (float)k++ / (float)(fresh - 1) : 0.0f);
            sc->land[sc->land_count++] = (scene_landing_t){o->start + sc->flight, (uint32_t)i, SCENE_NONE, o->to, 1};
        } else {
            o->from = o->to;
            o->start = LANDED;
        }
    }
    shown_from_counts(sc, s);
    sc->p_count = n;
    sc->moved_count = 0;
    sc->lod_stride = 0; /* buffers were reallocated: re-point the thinned view */
    moved_from_landings(sc);
    glBindBuffer(GL_ARRAY_BUFFER, sc->p_static);
    gfx_buffer_data(GL_ARRAY_BUFFER, n * 16, n ? sc->p_static_cpu : NULL, GL_STATIC_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, sc->p_way);
    gfx_buffer_data(GL_ARRAY_BUFFER, n * 12, n ? sc->way_cpu : NULL, GL_DYNAMIC_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, sc->p_dyn);
    gfx_buffer_data(GL_ARRAY_BUFFER, n * sizeof(scene_owner_t), n ? sc->owners : NULL, GL_DYNAMIC_DRAW);
    return 0;
}

/* Under lumps laid out afresh or dropped (lumps->all): the particles that
 * did not move gather into their lump, or spread over their cloud, in
 * place (a flight from their node to itself, straight, the shards one after
 * another); those in the air land in theirs. Returns how many start. */
static size_t relump_in_place(scene_t *sc, const sim_t *s, float now, float stagger, float flight, size_t nn)
{
    const scene_lumps_t *L = &sc->lumps;
    size_t started = 0;
    for (size_t pos = 0; pos < sc->p_count && pos < s->store.count; pos++) {
        scene_owner_t *o = &sc->owners[pos];
        uint32_t shard = 0;
        uint16_t lump = L->shards ? lump_of(sc, s, pos, o->to, &shard) : (uint16_t)SCENE_LUMP_NONE;
        if (o->lump_to == lump)
            continue;
        if (o->start + flight > now) { /* in the air or waiting: it lands in its lump */
            o->lump_to = lump;
            continue;
        }
        o->from = o->to;
        o->lump_from = o->lump_to;
        o->lump_to = lump;
        o->start = L->shards ? scene_lumps_start(L, shard, now, stagger) : now;
        float *way = sc->way_cpu + 3 * pos;
        way[0] = way[1] = 0.0f;
        way[2] = 3.0f; /* straight: it stays with its node */
        sc->land_tmp[nn + started++] = (scene_landing_t){o->start + flight, (uint32_t)pos, o->to, o->to, 0};
    }
    return started;
}

void scene_particles_move(scene_t *sc, const sim_t *s, const store_moves_t *m, float now, float stagger,
                          float flight)
{
    (void)scene_lumps_sync(&sc->lumps, s, now); /* without memory: whole clouds */
    const scene_lumps_t *L = &sc->lumps;
    if (!m->count && !L->all) {
        shown_from_counts(sc, s);
        return;
    }
    sc->flight = flight;
    scene_landings_advance(sc, now);
    /* The flights still in the air, by particle, to find the retargeted. */
    size_t air = sc->land_count - sc->land_next;
    if (landings_reserve(sc, air + m->count + (L->all ? sc->p_count : 0)) != 0) {
        /* No memory for the books: land everything now, show final counts. */
        for (size_t k = 0; k < m->count; k++) {
            const store_move_t *mv = &m->items[k];
            if (mv->pos < sc->p_count) {
                scene_owner_t *o = &sc->owners[mv->pos];
                uint32_t shard = 0;
                o->to = o->from = mv->to == RING_NONE ? SCENE_NONE : mv->to;
                o->lump_to = o->lump_from = L->shards ? lump_of(sc, s, mv->pos, o->to, &shard)
                                                      : (uint16_t)SCENE_LUMP_NONE;
                o->start = LANDED;
            }
        }
        glBindBuffer(GL_ARRAY_BUFFER, sc->p_dyn);
        gfx_buffer_sub(GL_ARRAY_BUFFER, 0, sc->p_count * sizeof(scene_owner_t), sc->owners);
        sc->land_count = sc->land_next = 0;
        sc->op_moves = sc->op_landed = m->count;
        shown_from_counts(sc, s);
        return;
    }
    scene_landing_t *old = sc->land + sc->land_next;
    qsort(old, air, sizeof *old, by_idx);
    scene_landing_t *next = sc->land_tmp;
    size_t nn = 0;
    sc->op_moves = m->count;
    sc->op_landed = 0;
    glBindBuffer(GL_ARRAY_BUFFER, sc->p_dyn);
    size_t run_lo = 0, run_hi = 0;
    int open = 0;
    for (size_t k = 0; k < m->count; k++) {
        const store_move_t *mv = &m->items[k];
        if (mv->pos >= sc->p_count) {
            sc->op_landed++;
            continue;
        }
        scene_owner_t *o = &sc->owners[mv->pos];
        uint16_t to = mv->to == RING_NONE ? SCENE_NONE : mv->to;
        uint32_t shard = 0;
        uint16_t lump = L->shards ? lump_of(sc, s, mv->pos, to, &shard) : (uint16_t)SCENE_LUMP_NONE;
        /* Moves come in ring order: the stagger sweeps around the ring;
         * under lumps every key of a shard leaves together. */
        float start = L->shards ? scene_lumps_start(L, shard, now, stagger)
                                : now + (m->count > 1 ? stagger * (float)k / (float)(m->count - 1) : 0.0f);
        scene_landing_t key = {0, (uint32_t)mv->pos, 0, 0, 0};
        scene_landing_t *was = air ? bsearch(&key, old, air, sizeof *old, by_idx) : NULL;
        uint16_t shown_from = mv->from == RING_NONE ? SCENE_NONE : mv->from;
        if (!was) {
            o->from = shown_from;
            o->lump_from = o->lump_to; /* from where it rests */
            o->start = start;
        } else {
            /* In the air (or waiting to leave): go on from where it is. */
            shown_from = was->from;
            was->idx = UINT32_MAX;
            float t = (now - o->start) / flight;
            if (t <= 0) {
                /* Still waiting at its old node: leave from there, or stay. */
                if (o->from == to && o->lump_from == lump) {
                    o->to = to;
                    o->lump_to = lump;
                    o->start = LANDED;
                    sc->op_landed++;
                    goto upload;
                }
                o->start = start;
            } else if (t >= 0.5f) {
                /* Second leg, ring -> old target: back along the same line,
                 * from the old target's end, timed to where it is (the path
                 * and the easing are symmetric: progress t becomes 1 - t). */
                o->from = o->to;
                o->lump_from = o->lump_to;
                o->start = now - (1.0f - t) * flight;
            }
            /* First leg: keeps heading for its key's ring position, then on
             * to the new owner; start and origin unchanged. */
        }
        o->to = to;
        o->lump_to = lump;
        if (key_lost(s, mv->pos)) /* held by no node, before or after */
            shown_from = to = SCENE_NONE;
        next[nn++] = (scene_landing_t){o->start + flight, (uint32_t)mv->pos, shown_from, to, 1};
    upload:
        /* Coalesce nearby positions into one upload; small gaps are cheaper
         * to resend than another call. */
        if (open && mv->pos >= run_lo && mv->pos <= run_hi + 64) {
            if (mv->pos > run_hi)
                run_hi = mv->pos;
            continue;
        }
        if (open)
            gfx_buffer_sub(GL_ARRAY_BUFFER, run_lo * sizeof(scene_owner_t), (run_hi - run_lo + 1) * sizeof(scene_owner_t),
                           sc->owners + run_lo);
        run_lo = run_hi = mv->pos;
        open = 1;
    }
    if (open)
        gfx_buffer_sub(GL_ARRAY_BUFFER, run_lo * sizeof(scene_owner_t), (run_hi - run_lo + 1) * sizeof(scene_owner_t),
                       sc->owners + run_lo);
    /* Earlier flights not touched by this change fly on as they were. */
    for (size_t i = 0; i < air; i++) {
        if (old[i].idx == UINT32_MAX)
            continue;
        next[nn] = old[i];
        next[nn++].op = 0;
    }
    if (L->all && sc->way_cpu) {
        nn += relump_in_place(sc, s, now, stagger, flight, nn);
        gfx_buffer_sub(GL_ARRAY_BUFFER, 0, sc->p_count * sizeof(scene_owner_t), sc->owners);
        glBindBuffer(GL_ARRAY_BUFFER, sc->p_way);
        gfx_buffer_sub(GL_ARRAY_BUFFER, 0, sc->p_count * 12, sc->way_cpu);
    }
    qsort(next, nn, sizeof *next, by_land);
    sc->land_tmp = sc->land;
    sc->land = next;
    sc->land_count = nn;
    sc->land_next = 0;
    moved_from_landings(sc);
    shown_from_counts(sc, s);
}

void scene_way_moved(scene_t *sc, const sim_t *s, const store_moves_t *m, float now)
{
    if (!m->count || !sc->way_cpu)
        return;
    glBindBuffer(GL_ARRAY_BUFFER, sc->p_way);
    size_t lo = 0, hi = 0;
    int open = 0;
    for (size_t k = 0; k <= m->count; k++) {
        int end = k == m->count;
        size_t pos = end ? 0 : m->items[k].pos;
        if (!end && pos >= sc->p_count)
            continue;
        /* A flight already in the air keeps its turning point: it goes on
         * along the same line (scene_particles_move). */
        if (!end && sc->owners[pos].start < now)
            continue;
        if (!end)
            sst_way_of(s, pos, sc->way_cpu + 3 * pos);
        /* Moves come in sorted order: nearby ones share one upload. */
        if (!end && open && pos >= lo && pos <= hi + 64) {
            if (pos > hi)
                hi = pos;
            continue;
        }
        if (open)
            gfx_buffer_sub(GL_ARRAY_BUFFER, lo * 12, (hi - lo + 1) * 12, sc->way_cpu + 3 * lo);
        lo = hi = pos;
        open = !end;
    }
}

/* ---- ring points --------------------------------------------------------- */

static int points_reserve(scene_t *sc, size_t n)
{
    void **const ptr[] = {(void **)&sc->pts, (void **)&sc->pts_next, (void **)&sc->pts_gpu};
    const size_t size[] = {sizeof *sc->pts, sizeof *sc->pts_next, sizeof *sc->pts_gpu};
    return reserve_all(n, &sc->v_cap, ptr, size, 3);
}

/* Merges the sorted points (pos, node; count) into the drawn set; r gives
 * the nodes' order of addition. */
static int points_merge(scene_t *sc, const uint64_t *pos, const uint16_t *node, size_t count, const ring_t *r,
                        float now, int instant, char *err, size_t err_size)
{
    if (points_reserve(sc, sc->v_count + count) != 0) {
        snprintf(err, err_size, "out of memory for %zu ring points", sc->v_count + count);
        return -1;
    }
    /* Merge two sorted lists: the previous points and the ring's. A point
     * in both (same position, same node) keeps its birth; one only in the
     * ring is born now; one only in the previous set dies now. Points that
     * finished fading are dropped. */
    size_t i = 0, j = 0, n = 0;
    const float gone = now - 1.0f;
    while (i < sc->v_count || j < count) {
        const scene_point_t *old = i < sc->v_count ? &sc->pts[i] : NULL;
        uint64_t rp = j < count ? pos[j] : 0;
        if (old && old->died >= 0 && old->died < gone) {
            i++;
            continue;
        }
        if (old && (j >= count || old->pos < rp)) {
            scene_point_t p = *old;
            if (p.died < 0)
                p.died = now;
            sc->pts_next[n++] = p;
            i++;
            continue;
        }
        scene_point_t p = {rp, r->nodes[node[j]].seq, node[j], instant ? LANDED : now, -1.0f};
        if (old && old->pos == rp) {
            if (old->died < 0 && old->seq == p.seq && old->slot == p.slot)
                p.born = old->born;
            else if (old->died < 0) {
                scene_point_t dead = *old;
                dead.died = now;
                sc->pts_next[n++] = dead;
            }
            i++;
        }
        sc->pts_next[n++] = p;
        j++;
    }
    scene_point_t *t = sc->pts;
    sc->pts = sc->pts_next;
    sc->pts_next = t;
    sc->v_count = n;
    for (size_t k = 0; k < n; k++) {
        float hl[2];
        view_split(sc->pts[k].pos, hl);
        sc->pts_gpu[k] = (scene_point_gpu_t){hl[0], hl[1], sc->pts[k].slot, sc->pts[k].born, sc->pts[k].died};
    }
    glBindBuffer(GL_ARRAY_BUFFER, sc->v_vbo);
    if (n > sc->v_gpu_cap) {
        gfx_buffer_data(GL_ARRAY_BUFFER, sc->v_cap * sizeof(scene_point_gpu_t), NULL, GL_DYNAMIC_DRAW);
        sc->v_gpu_cap = sc->v_cap;
    }
    gfx_buffer_sub(GL_ARRAY_BUFFER, 0, n * sizeof(scene_point_gpu_t), sc->pts_gpu);
    sc->v_idx_dirty = 1;
    return 0;
}

int scene_points_sync(scene_t *sc, const sim_t *s, float now, int instant, char *err, size_t err_size)
{
    const strat_points_t *own = place_points(&s->strat);
    sc->pts_own = own != NULL;
    if (own)
        return points_merge(sc, own->pos, own->node, own->count, &s->ring, now, instant, err, err_size);
    return points_merge(sc, s->ring.pos, s->ring.node, s->ring.count, &s->ring, now, instant, err, err_size);
}

/* First point at or after position p (v_count if none). */
static size_t points_lower_bound(const scene_t *sc, uint64_t p)
{
    size_t lo = 0, hi = sc->v_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->pts[mid].pos < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Chooses the points to draw: those in the visible range (one or two index
 * runs, as the range may wrap past 0), every k-th when there are more than
 * SCENE_POINT_MAX. -1 without memory (then all are drawn). */
static int points_choose(scene_t *sc)
{
    sc->v_idx_dirty = 0;
    size_t run[2][2] = {{0, sc->v_count}, {0, 0}};
    if (!sc->v_vis_all) {
        size_t a = points_lower_bound(sc, sc->v_vis_lo), b = points_lower_bound(sc, sc->v_vis_hi);
        if (sc->v_vis_lo <= sc->v_vis_hi) {
            run[0][0] = a;
            run[0][1] = b;
        } else {
            run[0][0] = a;
            run[1][1] = b;
        }
    }
    size_t shown = (run[0][1] - run[0][0]) + (run[1][1] - run[1][0]);
    size_t k = sc->v_thin_off ? 1 : (shown + SCENE_POINT_MAX - 1) / SCENE_POINT_MAX;
    sc->v_idx_all = k <= 1 && shown == sc->v_count;
    if (sc->v_idx_all || shown == 0) {
        sc->v_idx_count = 0;
        return 0;
    }
    if (k < 1)
        k = 1;
    uint32_t *idx = malloc((shown / k + 2) * sizeof *idx);
    if (!idx) {
        sc->v_idx_all = 1;
        return -1;
    }
    size_t n = 0;
    /* One stride across both runs, so the wrap shows no seam. */
    size_t skip = 0;
    for (int r = 0; r < 2; r++)
        for (size_t i = run[r][0]; i < run[r][1]; i++)
            if (skip-- == 0) {
                idx[n++] = (uint32_t)i;
                skip = k - 1;
            }
    glBindVertexArray(sc->v_vao);
    gfx_buffer_data(GL_ELEMENT_ARRAY_BUFFER, n * sizeof *idx, idx, GL_DYNAMIC_DRAW);
    glBindVertexArray(0);
    free(idx);
    sc->v_idx_count = n;
    return 0;
}

/* ---- ownership strip ----------------------------------------------------- */

/* The owner of a key hashing at pos under the active strategy: arcs for
 * the rings, the rule's fine pattern for the others (modulo's stripes,
 * jump's and rendezvous's scatter); ketama reads the top 32 bits as its
 * own ring's position. */
static uint16_t rule_owner(const sim_t *s, uint64_t pos)
{
    strat_where_t w;
    strat_key_t key;
    place_key_at(&s->strat, pos, &key);
    sim_locate(s, &key, &w);
    return w.owner;
}

/* The owner of the stored key nearest pos round the ring (RING_NONE: no
 * keys). */
static uint16_t nearest_key_owner(const store_t *st, uint64_t pos)
{
    if (!st->count)
        return RING_NONE;
    size_t i = store_lower_bound(st, pos), next = i < st->count ? i : 0, prev = i ? i - 1 : st->count - 1;
    return st->hash[next] - pos <= pos - st->hash[prev] ? st->owner[next] : st->owner[prev];
}

void scene_strip_update(scene_t *sc, const sim_t *s, const view_t *v, uint16_t selected, float now, int changed)
{
    /* Where a key's place depends on the keys before it (a node at
     * capacity passes keys on: STRAT_DRAW_OVERFLOW), the rule no longer
     * says where keys are: the band shows the keys' owners by angle, and
     * the structure draws the rule on a ring of its own (sst). */
    int where_keys_are = (s->strat.ops->structure.flags & STRAT_DRAW_OVERFLOW) != 0;
    double a0, a1;
    strip_visible(v, &a0, &a1);
    /* Cross-fade only when the ring changed under a still view; after a view
     * change the previous strip no longer lines up. */
    int fade = changed && sc->strip_valid && a0 == sc->strip_a0 && a1 == sc->strip_a1;
    if (fade)
        memcpy(sc->strip[0], sc->strip[1], sizeof sc->strip[1]);
    uint8_t *row = sc->strip[1];
    /* Where owners do not follow the hash round the circle (a residue, a
     * shard, a bucket), each texel shows the owner of a key hashing at a
     * place of its own inside the texel: texel centres share their low bits
     * (h mod 64 is the same for all 4096 of them), so the pattern would be
     * one residue's, one shard's. */
    double span = ldexp((a1 - a0) / SCENE_STRIP, 64);
    uint64_t spread = s->strat.ops->structure.kind != STRAT_STRUCTURE_POINTS && span >= 4.0
                          ? (uint64_t)fmin(span * 0.5, 9.0e18)
                          : 0;
    for (int k = 0; k < SCENE_STRIP; k++) {
        uint64_t pos = strip_pos(v, a0, a1, k, SCENE_STRIP);
        if (spread)
            pos = pos - spread / 2 + strat_mix64((uint64_t)k + 1) % spread;
        uint16_t slot = where_keys_are ? nearest_key_owner(&s->store, pos) : rule_owner(s, pos);
        uint8_t *t = row + 4 * k;
        if (strip_texel(sc->nodes, slot, t) == 0)
            t[3] = slot == selected ? 255 : 0;
    }
    if (!fade)
        memcpy(sc->strip[0], sc->strip[1], sizeof sc->strip[1]);
    if (changed)
        sc->strip_t0 = now;
    sc->strip_a0 = a0;
    sc->strip_a1 = a1;
    sc->strip_valid = 1;
    /* The ring points drawn follow the same visible range. */
    sc->v_vis_all = a0 <= -0.5 && a1 >= 0.5;
    sc->v_vis_lo = v->ref + (uint64_t)(int64_t)ldexp(a0, 64 - 1) * 2u;
    sc->v_vis_hi = v->ref + (uint64_t)(int64_t)ldexp(a1, 64 - 1) * 2u;
    sc->v_idx_dirty = 1;
    glBindTexture(GL_TEXTURE_2D, sc->strip_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    gfx_tex_sub(0, 0, SCENE_STRIP, 2, GL_RGBA, GL_UNSIGNED_BYTE, sc->strip, sizeof sc->strip);
    sst_update(&sc->sst, s, v, sc->nodes, a0, a1, selected, now, changed);
}

/* ---- drawing ------------------------------------------------------------- */

static void band_quad(scene_t *sc, const gfx_frame_t *f, float reach_px)
{
    const view_t *v = f->view;
    double ox, oy;
    view_world_to_px(v, 0, 0, &ox, &oy);
    double rr = v->scale + reach_px;
    double x0 = ox - rr, y0 = oy - rr, x1 = ox + rr, y1 = oy + rr;
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > f->viewport[0]) x1 = f->viewport[0];
    if (y1 > f->viewport[1]) y1 = f->viewport[1];
    if (x1 < x0) x1 = x0;
    if (y1 < y0) y1 = y0;
    float q[8] = {(float)x0, (float)y0, (float)x1, (float)y0, (float)x0, (float)y1, (float)x1, (float)y1};
    glBindBuffer(GL_ARRAY_BUFFER, sc->band_vbo);
    if (memcmp(q, sc->band_quad, sizeof q) != 0) {
        memcpy(sc->band_quad, q, sizeof q);
        gfx_buffer_sub(GL_ARRAY_BUFFER, 0, sizeof q, q);
    }
}

static void use_nodes(const scene_t *sc, const gfx_program_t *p)
{
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, sc->nodes_tex);
    glUniform1i(p->u[GFX_U_NODES], 1);
    glUniform1f(p->u[GFX_U_LAYOUT_T0], sc->layout_t0);
    glUniform1f(p->u[GFX_U_LAYOUT_DUR], sc->layout_dur);
}

/* Fills the bound thinned view's index list with 0, k, 2k, ... (n of them);
 * -1 without memory (the thinned clouds are then not drawn). */
static int lod_indices(const scene_t *sc, uint32_t k, uint32_t n)
{
    uint32_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        idx[i] = i * k;
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, sc->p_lod_idx);
    gfx_buffer_data(GL_ELEMENT_ARRAY_BUFFER, (size_t)n * sizeof *idx, idx, GL_STATIC_DRAW);
    free(idx);
    return 0;
}

/* One pass of the band shader over strip texture tex: the ownership band
 * (cells 0) or a structure's cell ring. mix: the cross-fade, clamped. */
static void band_pass(scene_t *sc, const gfx_frame_t *f, GLuint tex, float mix, float in, float out, float cells,
                      float phase)
{
    const gfx_program_t *p = &sc->prog_band;
    gfx_program_use(p, f);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, tex);
    glUniform1i(p->u[GFX_U_STRIP], 0);
    /* Turns relative to the reference, as the fragment shader measures. */
    glUniform2f(p->u[GFX_U_STRIP_RANGE], (float)sc->strip_a0, (float)sc->strip_a1);
    glUniform1f(p->u[GFX_U_STRIP_MIX], mix < 0 ? 0 : mix > 1 ? 1 : mix);
    glUniform1f(p->u[GFX_U_BAND_IN], in);
    glUniform1f(p->u[GFX_U_BAND_OUT], out);
    glUniform1f(p->u[GFX_U_CELLS], cells);
    glUniform1f(p->u[GFX_U_CELL_PHASE], phase);
    glBindVertexArray(sc->band_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

void scene_draw(scene_t *sc, const gfx_frame_t *f, const scene_params_t *p)
{
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);

    if (sc->strip_valid) {
        float reach = fmaxf(fabsf(p->band_in), fabsf(p->band_out)) + 40.0f * f->dpi;
        band_quad(sc, f, reach);
        band_pass(sc, f, sc->strip_tex, (f->time - sc->strip_t0) / 0.6f, p->band_in, p->band_out, 0, 0);
        const sst_t *t = &sc->sst;
        if (t->cells) {
            /* the structure's cell ring, over the same range */
            float cin, cout;
            sst_cell_band(f->dpi, &cin, &cout);
            band_pass(sc, f, t->strip_tex, (f->time - t->t0) / SST_FLASH_SECONDS, cin, cout, (float)t->cells,
                      (float)t->cell_phase);
        } else if (t->rule) {
            /* the rule of the next key's place, inside the band */
            float rin, rout;
            sst_rule_band(f->dpi, &rin, &rout);
            band_pass(sc, f, t->strip_tex, (f->time - t->t0) / 0.6f, rin, rout, -1.0f, 0);
        }
    }

    if (sc->p_count) {
        glBlendFunc(GL_ONE, GL_ONE);
        gfx_program_use(&sc->prog_particle, f);
        use_nodes(sc, &sc->prog_particle);
        glUniform1f(sc->prog_particle.u[GFX_U_FLIGHT_DUR], p->flight_dur);
        glUniform1f(sc->prog_particle.u[GFX_U_CLOUD_R], p->cloud_r);
        glUniform1f(sc->prog_particle.u[GFX_U_SIZE], p->particle_size);
        float cin, cout;
        sst_cell_band(f->dpi, &cin, &cout);
        glUniform1f(sc->prog_particle.u[GFX_U_WAY_R], (float)(1.0 + 0.5 * (cin + cout) / f->view->scale));
        glUniform1ui(sc->prog_particle.u[GFX_U_SELECTED], p->selected);
        glUniform1f(sc->prog_particle.u[GFX_U_PULSE], p->steady ? 0.0f : 1.0f);
        scene_lumps_uniform(&sc->lumps, sc->prog_particle.u[GFX_U_LUMPS]);
        if (sc->p_count <= sc->lod_max) {
            glUniform1f(sc->prog_particle.u[GFX_U_INTENSITY], p->particle_intensity);
            glUniform1f(sc->prog_particle.u[GFX_U_HIDE_FLYING], 0.0f);
            glBindVertexArray(sc->p_vao);
            glDrawArrays(GL_POINTS, 0, (GLsizei)sc->p_count);
        } else {
            uint32_t k = (uint32_t)((sc->p_count + sc->lod_max - 1) / sc->lod_max);
            GLsizei shown = (GLsizei)(sc->p_count / k);
            glBindVertexArray(sc->p_vao_lod);
            if (k != sc->lod_stride && lod_indices(sc, k, (uint32_t)shown) == 0)
                sc->lod_stride = k;
            float gain = fminf(p->particle_intensity * (float)k, 1.0f);
            glUniform1f(sc->prog_particle.u[GFX_U_INTENSITY], gain);
            glUniform1f(sc->prog_particle.u[GFX_U_HIDE_FLYING], 1.0f);
            if (sc->lod_stride == k)
                glDrawElements(GL_POINTS, shown, GL_UNSIGNED_INT, (void *)0);
            if (sc->moved_count && f->time < sc->moved_end) {
                /* all of them are drawn: no thinning gain, or they saturate */
                glUniform1f(sc->prog_particle.u[GFX_U_INTENSITY], p->particle_intensity);
                glUniform1f(sc->prog_particle.u[GFX_U_HIDE_FLYING], 0.0f);
                glBindVertexArray(sc->p_vao);
                glDrawElements(GL_POINTS, (GLsizei)sc->moved_count, GL_UNSIGNED_INT, (void *)0);
            }
        }
        glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    }
    scene_repl_draw(&sc->repl, sc, f, p);

    if (sc->v_count && (!p->points_off || sc->pts_own)) {
        gfx_program_use(&sc->prog_point, f);
        use_nodes(sc, &sc->prog_point);
        glUniform1f(sc->prog_point.u[GFX_U_SIZE], p->point_size);
        glUniform1ui(sc->prog_point.u[GFX_U_SELECTED], p->selected);
        if (sc->v_idx_dirty)
            points_choose(sc);
        glBindVertexArray(sc->v_vao);
        if (sc->v_idx_all)
            glDrawArrays(GL_POINTS, 0, (GLsizei)sc->v_count);
        else if (sc->v_idx_count)
            glDrawElements(GL_POINTS, (GLsizei)sc->v_idx_count, GL_UNSIGNED_INT, (void *)0);
    }
    glBindVertexArray(0);
}

int scene_lump_at(const scene_t *sc, const sim_t *s, const view_t *v, float cloud_r, float t, float x, float y,
                  sst_overlay_t *o)
{
    const scene_lumps_t *L = &sc->lumps;
    const shardmap_t *m = sim_shards(s);
    o->lump = 0;
    if (!L->shards || !m || m->shards != L->shards)
        return 0;
    float k = scene_lumps_k(L, t), rl = scene_lump_radius(k) * cloud_r * (float)v->scale;
    double best = (double)rl * 1.6 + 3.0;
    for (uint32_t sh = 0; sh < L->shards; sh++) {
        if (!shardmap_keys(m, sh))
            continue; /* no keys: nothing drawn there */
        for (uint32_t j = 0; j < L->held[sh]; j++) {
            uint16_t node = L->node[(size_t)sh * SCENE_LUMP_HOLD + j];
            if (node >= RS_MAX_NODES || sc->nodes[node].alive < 0.5f)
                continue;
            float nx, ny, lx, ly;
            scene_node_pos(sc, node, t, &nx, &ny);
            scene_lump_centre(L->slot[(size_t)sh * SCENE_LUMP_HOLD + j], k, &lx, &ly);
            double px, py;
            view_world_to_px(v, nx + lx * cloud_r, ny + ly * cloud_r, &px, &py);
            double d = hypot(px - x, py - y);
            if (d < best) {
                best = d;
                o->lump = 1;
                o->lump_shard = sh;
                o->lump_node = node;
                o->lump_x = (float)px;
                o->lump_y = (float)py;
                o->lump_r = rl;
            }
        }
    }
    return o->lump;
}
