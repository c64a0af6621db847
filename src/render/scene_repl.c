#include "scene_repl.h"

#include "grow.h"
#include "scene.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LONG_AGO -1.0e6f
#define UNTIL_HEALED 1.0e9f

int scene_repl_init(scene_repl_t *rp, char *err, size_t err_size)
{
    memset(rp, 0, sizeof *rp);
    if (gfx_program_build(&rp->prog, "copy", rs_shader_copy_vert, rs_shader_particle_frag, err, err_size) != 0)
        return -1;
    glGenBuffers(1, &rp->state_buf);
    static const gfx_attrib_t attribs[] = {
        {0, 4, GL_FLOAT, GFX_ATTR_FLOAT, offsetof(scene_copy_t, key)},
        {1, 4, GL_UNSIGNED_SHORT, GFX_ATTR_INT, offsetof(scene_copy_t, from)},
        {2, 2, GL_FLOAT, GFX_ATTR_FLOAT, offsetof(scene_copy_t, start)},
        {3, 2, GL_UNSIGNED_SHORT, GFX_ATTR_INT, offsetof(scene_copy_t, lump_from)},
    };
    gfx_vertex_array(&rp->vao, &rp->copies_buf, attribs, sizeof attribs / sizeof attribs[0], sizeof(scene_copy_t));
    glBindVertexArray(0);
    return 0;
}

void scene_repl_shutdown(scene_repl_t *rp)
{
    gfx_program_free(&rp->prog);
    GLuint bufs[2] = {rp->state_buf, rp->copies_buf};
    glDeleteBuffers(2, bufs);
    glDeleteVertexArrays(1, &rp->vao);
    free(rp->state);
    free(rp->was);
    free(rp->copies);
    free(rp->drawn);
    free(rp->drawn_lump);
    free(rp->drawn_n);
    free(rp->drawn_owner);
    free(rp->ghosts);
    memset(rp, 0, sizeof *rp);
}


static int has(const uint16_t *list, uint32_t n, uint16_t x)
{
    for (uint32_t i = 0; i < n; i++)
        if (list[i] == x)
            return 1;
    return 0;
}

/* The key's state in repl: lost, under-replicated (a node of its list holds
 * no copy) or fine. */
static scene_repl_kind_t key_kind(const repl_t *r, uint32_t k)
{
    if (k >= r->keys)
        return SCENE_REPL_OK;
    if (r->held[k] & REPL_LOST)
        return SCENE_REPL_LOST;
    const uint16_t *h = r->hold + (size_t)k * r->stride, *p = r->pref + (size_t)k * r->stride;
    uint32_t hn = r->held[k] & REPL_COUNT;
    for (uint32_t j = 0; j < r->pref_len[k]; j++)
        if (!has(h, hn, p[j]))
            return SCENE_REPL_UNDER;
    return SCENE_REPL_OK;
}

/* When the flight of the key at sorted position pos lands (the stagger
 * sweeps around the ring, as scene_particles_move's; under lumps the keys
 * of a shard land together, shard after shard). */
static float landing(const scene_t *sc, const sim_t *s, size_t pos, size_t n, float start, float stagger,
                     float flight)
{
    if (sc->lumps.shards)
        return scene_lumps_start(&sc->lumps, scene_lumps_shard_at(s, pos), start, stagger) + flight;
    return start + (n > 1 ? stagger * (float)pos / (float)(n - 1) : 0.0f) + flight;
}

/* Ghosts: a node that crashed since the last sync stays where it stood;
 * one that is live again (recovered) or no longer crashed goes. A removed
 * or crashed node's slot keeps its id until the slot is reused, which no
 * single change does. -1 without memory (that ghost is not drawn). */
static int ghosts_update(scene_repl_t *rp, const scene_t *sc, const sim_t *s, float now)
{
    const ring_t *ring = &s->ring;
    uint32_t m = 0;
    int rc = 0;
    for (uint32_t i = 0; i < rp->ghost_count; i++) {
        const scene_ghost_t *g = &rp->ghosts[i];
        if (repl_is_crashed(&s->repl, g->id) && ring_find_node(ring, g->id, strlen(g->id)) == RING_NONE)
            rp->ghosts[m++] = *g;
    }
    rp->ghost_count = m;
    for (uint32_t slot = 0; slot < ring->slot_count && slot < RS_MAX_NODES; slot++) {
        const ring_node_t *nd = &ring->nodes[slot];
        int gone = rp->seq[slot] && (!nd->live || nd->seq + 1 != rp->seq[slot]);
        rp->seq[slot] = nd->live ? nd->seq + 1 : 0; /* + 1: seq 0 is a node too */
        if (!gone || nd->live || !repl_is_crashed(&s->repl, nd->id))
            continue;
        size_t cap = rp->ghost_cap;
        if (grow((void **)&rp->ghosts, &cap, rp->ghost_count + 1, sizeof *rp->ghosts) != 0) {
            rc = -1;
            continue;
        }
        rp->ghost_cap = (uint32_t)cap;
        const scene_node_t *n = &sc->nodes[slot];
        scene_ghost_t *g = &rp->ghosts[rp->ghost_count++];
        snprintf(g->id, sizeof g->id, "%s", nd->id);
        g->x = n->new_x;
        g->y = n->new_y;
        g->r = n->r;
        g->g = n->g;
        g->b = n->b;
        g->t = now;
    }
    return rc;
}

/* Attribute 3 of the particles' VAOs reads the state buffer (on) or the
 * constant (0, 0): plain particles (off). */
static void state_attrib(scene_repl_t *rp, const scene_t *sc, int on)
{
    GLuint vaos[2] = {sc->p_vao, sc->p_vao_lod};
    for (int i = 0; i < 2; i++) {
        glBindVertexArray(vaos[i]);
        if (on) {
            glBindBuffer(GL_ARRAY_BUFFER, rp->state_buf);
            glEnableVertexAttribArray(3);
            glVertexAttribPointer(3, 2, GL_FLOAT, GL_FALSE, 8, (void *)0);
        } else {
            glDisableVertexAttribArray(3);
        }
    }
    glBindVertexArray(0);
    glVertexAttrib2f(3, 0.0f, 0.0f);
    rp->state_on = on;
}

static int states_sync(scene_repl_t *rp, scene_t *sc, const sim_t *s, scene_repl_change_t change, float now,
                       float start, float stagger, float flight)
{
    const repl_t *r = &s->repl;
    const store_t *st = &s->store;
    size_t n = st->count;
    size_t was_cap = rp->was_cap;
    if (grow((void **)&rp->state, &rp->state_cap, 2 * n + 2, sizeof *rp->state) != 0 ||
        grow((void **)&rp->was, &rp->was_cap, n + 1, 1) != 0)
        return -1;
    if (rp->was_cap > was_cap)
        memset(rp->was + was_cap, 0, rp->was_cap - was_cap);
    rp->lost_drawn = rp->under_drawn = 0;
    rp->pulse_end = rp->anim_end = LONG_AGO;
    for (size_t pos = 0; pos < n; pos++) {
        uint32_t k = st->index[pos];
        scene_repl_kind_t kind = key_kind(r, k), prev = k < rp->was_count ? rp->was[k] : SCENE_REPL_OK;
        float t = 0.0f, shown = (float)kind;
        if (kind == SCENE_REPL_LOST) {
            t = prev == SCENE_REPL_LOST || change == SCENE_REPL_RESET ? LONG_AGO : now;
            if (t + SCENE_REPL_FALL > rp->anim_end)
                rp->anim_end = t + SCENE_REPL_FALL;
            rp->lost_drawn++;
        } else if (kind == SCENE_REPL_UNDER) {
            t = UNTIL_HEALED;
            rp->under_drawn++;
        } else if (prev == SCENE_REPL_UNDER && change != SCENE_REPL_RESET) {
            /* Healed by this change: pulses until its copies arrive. */
            shown = SCENE_REPL_UNDER;
            t = landing(sc, s, pos, n, start, stagger, flight);
        }
        if (shown == SCENE_REPL_UNDER && t > rp->pulse_end)
            rp->pulse_end = t;
        if (shown == SCENE_REPL_UNDER && kind == SCENE_REPL_OK && t > rp->anim_end)
            rp->anim_end = t;
        if (k < rp->was_cap)
            rp->was[k] = (uint8_t)kind;
        rp->state[2 * pos] = shown;
        rp->state[2 * pos + 1] = t;
    }
    rp->was_count = n;
    glBindBuffer(GL_ARRAY_BUFFER, rp->state_buf);
    gfx_buffer_data(GL_ARRAY_BUFFER, (n ? n : 1) * 2 * sizeof(float), rp->state, GL_DYNAMIC_DRAW);
    state_attrib(rp, sc, 1);
    return 0;
}

/* The node a new copy of a key comes from: the leaving node when one of
 * the old holders left gracefully, else the first holder (repl.h). */
static uint16_t copy_source(const ring_t *ring, const uint16_t *old, uint32_t on)
{
    for (uint32_t j = 0; j < on; j++)
        if (old[j] >= ring->slot_count || !ring->nodes[old[j]].live)
            return old[j];
    return old[0];
}

static int copies_sync(scene_repl_t *rp, const scene_t *sc, const sim_t *s, scene_repl_change_t change, float now,
                       float start, float stagger, float flight)
{
    const repl_t *r = &s->repl;
    const store_t *st = &s->store;
    const ring_t *ring = &s->ring;
    size_t n = st->count;
    uint32_t sample = n > sc->lod_max ? (uint32_t)((n + sc->lod_max - 1) / sc->lod_max) : 1;
    size_t sampled = n / sample + 1;
    /* The dots drawn stay within SCENE_REPL_DOTS whatever R: every thin-th
     * tracked key shows its copies (the books keep them all). */
    uint32_t rr = r->replicas < s->nodes.n ? r->replicas : s->nodes.n;
    uint64_t dots = (uint64_t)sampled * (rr > 1 ? rr - 1 : 0);
    uint32_t thin = dots > SCENE_REPL_DOTS ? (uint32_t)((dots + SCENE_REPL_DOTS - 1) / SCENE_REPL_DOTS) : 1;
    rp->gain = (float)sample * (float)thin;
    /* Turning replication on by a change (`replicas R`): each key had one
     * copy, its primary's, and the new ones fly out of it. */
    int first = !rp->sample && change == SCENE_REPL_CHANGE;
    int animate = change != SCENE_REPL_RESET && (sample == rp->sample || first) && sc->p_static_cpu;
    size_t drawn_cap = rp->drawn_cap;
    if (grow((void **)&rp->drawn_n, &rp->drawn_cap, sampled, 1) != 0)
        return -1;
    size_t cap = rp->drawn_cap;
    uint16_t *d = realloc(rp->drawn, cap * REPL_MAX * sizeof *d);
    if (d)
        rp->drawn = d;
    uint16_t *o = d ? realloc(rp->drawn_owner, cap * sizeof *o) : NULL;
    if (o)
        rp->drawn_owner = o;
    uint16_t *dl = o ? realloc(rp->drawn_lump, cap * REPL_MAX * sizeof *dl) : NULL;
    if (!dl)
        return -1;
    rp->drawn_lump = dl;
    if (cap > drawn_cap)
        memset(rp->drawn_n + drawn_cap, 0, cap - drawn_cap);
    if (!animate)
        memset(rp->drawn_n, 0, cap);
    rp->sample = sample;
    if (grow((void **)&rp->copies, &rp->copy_cap, sampled * 2 * REPL_MAX, sizeof *rp->copies) != 0)
        return -1;
    size_t c = 0;
    rp->copies_end = LONG_AGO;
    const scene_lumps_t *L = &sc->lumps;
    for (size_t pos = 0; pos < n && pos < sc->p_count; pos++) {
        uint32_t k = st->index[pos];
        if (k % sample || k / sample >= cap || k >= r->keys)
            continue;
        uint16_t *old = rp->drawn + (size_t)(k / sample) * REPL_MAX;
        uint16_t *old_lump = rp->drawn_lump + (size_t)(k / sample) * REPL_MAX;
        uint32_t on = rp->drawn_n[k / sample];
        uint16_t owner = st->owner[pos];
        uint32_t shard = L->shards ? scene_lumps_shard_at(s, pos) : 0;
        if (first && owner != RING_NONE) {
            old[0] = rp->drawn_owner[k / sample] = owner;
            old_lump[0] = scene_lumps_slot(L, shard, owner);
            on = 1;
        }
        const uint16_t *h = r->hold + (size_t)k * r->stride;
        uint32_t hn = (r->held[k] & REPL_LOST) ? 0 : r->held[k] & REPL_COUNT;
        const float *key = sc->p_static_cpu + 4 * pos;
        float lands = landing(sc, s, pos, n, start, stagger, flight);
        int shown = (k / sample) % thin == 0;
        for (uint32_t j = 0; shown && j < hn; j++) {
            if (h[j] == owner)
                continue; /* the primary particle is that copy */
            scene_copy_t *cp = &rp->copies[c++];
            memcpy(cp->key, key, sizeof cp->key);
            cp->from = cp->to = h[j];
            cp->lump_from = cp->lump_to = scene_lumps_slot(L, shard, h[j]);
            cp->primary = owner == RING_NONE ? h[j] : owner;
            cp->kind = SCENE_COPY_HELD;
            cp->start = LONG_AGO;
            cp->t = 0;
            if (animate && on && !has(old, on, h[j])) {
                cp->from = copy_source(ring, old, on);
                for (uint32_t i = 0; i < on; i++)
                    if (old[i] == cp->from)
                        cp->lump_from = old_lump[i];
                cp->start = lands - flight;
                if (lands > rp->copies_end)
                    rp->copies_end = lands;
            }
        }
        for (uint32_t j = 0; shown && animate && j < on; j++) {
            /* The old primary's copy was its primary particle: that one flies. */
            if (has(h, hn, old[j]) || old[j] == owner || old[j] == rp->drawn_owner[k / sample] ||
                old[j] >= RS_MAX_NODES)
                continue;
            scene_copy_t *cp = &rp->copies[c++];
            memcpy(cp->key, key, sizeof cp->key);
            cp->from = cp->to = old[j];
            cp->lump_from = cp->lump_to = old_lump[j];
            cp->primary = owner == RING_NONE ? old[j] : owner;
            cp->start = LONG_AGO;
            int crashed = change == SCENE_REPL_CRASH &&
                          (old[j] >= ring->slot_count || !ring->nodes[old[j]].live);
            cp->kind = crashed ? SCENE_COPY_CRASHED : SCENE_COPY_DROPPED;
            cp->t = crashed ? now : lands;
            float end = cp->t + SCENE_REPL_FALL;
            if (end > rp->copies_end)
                rp->copies_end = end;
        }
        memcpy(old, h, hn * sizeof *old);
        for (uint32_t j = 0; j < hn; j++)
            old_lump[j] = scene_lumps_slot(L, shard, h[j]);
        rp->drawn_n[k / sample] = (uint8_t)hn;
        rp->drawn_owner[k / sample] = owner;
    }
    rp->copy_count = c;
    glBindBuffer(GL_ARRAY_BUFFER, rp->copies_buf);
    if (c > rp->copy_gpu_cap || !rp->copy_gpu_cap) {
        gfx_buffer_data(GL_ARRAY_BUFFER, (rp->copy_cap ? rp->copy_cap : 1) * sizeof *rp->copies, NULL,
                        GL_DYNAMIC_DRAW);
        rp->copy_gpu_cap = rp->copy_cap;
    }
    if (c)
        gfx_buffer_sub(GL_ARRAY_BUFFER, 0, c * sizeof *rp->copies, rp->copies);
    return 0;
}

int scene_repl_sync(scene_repl_t *rp, scene_t *sc, const sim_t *s, scene_repl_change_t change, float now,
                    float start, float stagger, float flight, char *err, size_t err_size)
{
    if (!s->repl.on) {
        if (rp->state_on)
            state_attrib(rp, sc, 0);
        (void)ghosts_update(rp, sc, s, now); /* the live nodes, for the first crash */
        rp->copy_count = 0;
        rp->was_count = 0;
        rp->sample = 0;
        rp->lost_drawn = rp->under_drawn = 0;
        return 0;
    }
    if (ghosts_update(rp, sc, s, now) != 0 || states_sync(rp, sc, s, change, now, start, stagger, flight) != 0 ||
        copies_sync(rp, sc, s, change, now, start, stagger, flight) != 0) {
        state_attrib(rp, sc, 0);
        rp->copy_count = 0;
        snprintf(err, err_size, "out of memory drawing the copies of %zu keys", s->store.count);
        return -1;
    }
    rp->flight = flight;
    if (rp->copies_end > rp->anim_end)
        rp->anim_end = rp->copies_end;
    return 0;
}

void scene_repl_draw(scene_repl_t *rp, const scene_t *sc, const gfx_frame_t *f, const scene_params_t *p)
{
    if (!rp->copy_count)
        return;
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE);
    gfx_program_use(&rp->prog, f);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, sc->nodes_tex);
    glUniform1i(rp->prog.u[GFX_U_NODES], 1);
    glUniform1f(rp->prog.u[GFX_U_LAYOUT_T0], sc->layout_t0);
    glUniform1f(rp->prog.u[GFX_U_LAYOUT_DUR], sc->layout_dur);
    glUniform1f(rp->prog.u[GFX_U_FLIGHT_DUR], rp->flight > 0 ? rp->flight : 1.0f);
    scene_lumps_uniform(&sc->lumps, rp->prog.u[GFX_U_LUMPS]);
    glUniform1f(rp->prog.u[GFX_U_CLOUD_R], p->cloud_r);
    glUniform1f(rp->prog.u[GFX_U_SIZE], p->particle_size * 0.9f);
    /* Dimmer than the primaries; as bright per key as they are when thinned. */
    glUniform1f(rp->prog.u[GFX_U_INTENSITY], fminf(p->particle_intensity * 0.5f * rp->gain, 1.0f));
    glUniform1ui(rp->prog.u[GFX_U_SELECTED], p->selected);
    glBindVertexArray(rp->vao);
    glDrawArrays(GL_POINTS, 0, (GLsizei)rp->copy_count);
    glBindVertexArray(0);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
}


void scene_repl_crash_origins(struct scene *sc, const sim_t *s, const store_moves_t *m)
{
    const repl_t *r = &s->repl;
    const ring_t *ring = &s->ring;
    size_t lo = SIZE_MAX, hi = 0;
    for (size_t i = 0; i < m->count; i++) {
        const store_move_t *mv = &m->items[i];
        if (mv->pos >= sc->p_count || mv->pos >= s->store.count ||
            (mv->from < ring->slot_count && ring->nodes[mv->from].live))
            continue;
        scene_owner_t *o = &sc->owners[mv->pos];
        uint32_t k = s->store.index[mv->pos];
        if (o->from != mv->from || k >= r->keys || (r->held[k] & REPL_LOST) || !(r->held[k] & REPL_COUNT))
            continue; /* retargeted in the air, or lost: it falls from where it is */
        o->from = r->hold[(size_t)k * r->stride];
        if (sc->lumps.shards) /* from the lump of the copy that now serves it */
            o->lump_from = scene_lumps_slot(&sc->lumps, scene_lumps_shard_at(s, mv->pos), o->from);
        lo = mv->pos < lo ? mv->pos : lo;
        hi = mv->pos > hi ? mv->pos : hi;
    }
    if (lo > hi)
        return;
    glBindBuffer(GL_ARRAY_BUFFER, sc->p_dyn);
    gfx_buffer_sub(GL_ARRAY_BUFFER, lo * sizeof(scene_owner_t), (hi - lo + 1) * sizeof(scene_owner_t),
                   sc->owners + lo);
}
