/* Render tests of shards on screen (scene_lumps.h, sst_shards.c): a node's
 * cloud is made of its shards — the lumps counted from the scene are the
 * core's shard_counts —, a moved shard flies as one convoy and lands whole,
 * copies of shards are lumps too, the ring of S cells, the hover card, the
 * band, the panel's quantisation line and the legend. Each test starts its
 * own app (nodeA..nodeE, 6,000 embeddings). Set RINGSCOPE_TEST_SHOTS=DIR
 * to keep the frames looked at as PNGs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hud.h"
#include "hud_text.h"
#include "place.h"
#include "rt.h"
#include "shardmap.h"

static pane_t *pane(int i)
{
    return &app_get()->panes[i];
}

/* Lumps drawn per node, counted from the scene's particles at rest: each
 * lump (a node and a slot in its cloud) holds the keys of one shard, and
 * every key of a shard rests in the same lump. Returns the lumps. */
static uint32_t count_lumps(const pane_t *p, uint64_t *per_node)
{
    const scene_t *sc = &p->scene;
    const shardmap_t *m = sim_shards(&p->sim);
    assert_non_null(m);
    assert_int_equal(sc->lumps.shards, m->shards);
    memset(per_node, 0, RS_MAX_NODES * sizeof *per_node);
    uint32_t *where = malloc(m->shards * sizeof *where); /* shard -> node << 16 | lump */
    uint32_t *taken = malloc(m->shards * sizeof *taken);
    assert_non_null(where);
    assert_non_null(taken);
    for (uint32_t s = 0; s < m->shards; s++)
        where[s] = UINT32_MAX;
    uint32_t lumps = 0;
    for (size_t pos = 0; pos < sc->p_count; pos++) {
        const scene_owner_t *o = &sc->owners[pos];
        assert_true(o->start + sc->flight <= (float)app_get()->clock); /* at rest */
        assert_int_not_equal(o->lump_to, SCENE_LUMP_NONE);
        uint32_t s = scene_lumps_shard_at(&p->sim, pos), at = (uint32_t)o->to << 16 | o->lump_to;
        assert_int_equal(o->to, shardmap_primary(m, s)); /* a key rests at its shard's primary */
        if (where[s] == UINT32_MAX) {
            where[s] = at;
            taken[lumps++] = at;
            per_node[o->to]++;
        }
        assert_int_equal(where[s], at); /* the whole shard in one lump */
    }
    /* no two shards share a lump */
    for (uint32_t i = 0; i < lumps; i++)
        for (uint32_t j = i + 1; j < lumps; j++)
            assert_int_not_equal(taken[i], taken[j]);
    free(where);
    free(taken);
    return lumps;
}

/* The lumps equal shard_counts (the shards each node leads, of those with
 * keys: a shard without keys draws nothing). */
static void assert_lumps_are_shard_counts(const pane_t *p)
{
    static uint64_t drawn[RS_MAX_NODES], led[RS_MAX_NODES];
    const shardmap_t *m = sim_shards(&p->sim);
    count_lumps(p, drawn);
    memset(led, 0, sizeof led);
    for (uint32_t s = 0; s < m->shards; s++)
        if (shardmap_keys(m, s))
            led[shardmap_primary(m, s)]++;
    for (uint32_t slot = 0; slot < RS_MAX_NODES; slot++)
        assert_int_equal(drawn[slot], led[slot]);
}

/* A lump's centre in pixels (the shaders' layout, scene_lumps.h). */
static void lump_px(const pane_t *p, uint16_t node, uint16_t slot, double *x, double *y)
{
    float t = (float)app_get()->clock, nx, ny, lx, ly;
    scene_node_pos(&p->scene, node, t, &nx, &ny);
    scene_lump_centre(slot, scene_lumps_k(&p->scene.lumps, t), &lx, &ly);
    view_world_to_px(&p->view, nx + lx * p->params.cloud_r, ny + ly * p->params.cloud_r, x, y);
}

static void lumps_are_the_shards_each_node_leads(void **state)
{
    (void)state;
    pane_t *p = pane(0);
    rt_run("strategy shards");
    assert_lumps_are_shard_counts(p);
    /* 64 shards over 5 nodes: 13/13/13/13/12 lumps */
    static uint64_t drawn[RS_MAX_NODES];
    assert_int_equal(count_lumps(p, drawn), 64);
    static const char *const ids[] = {"nodeA", "nodeB", "nodeC", "nodeD", "nodeE"};
    for (int i = 0; i < 5; i++)
        assert_int_equal(drawn[rt_slot(ids[i])], i < 4 ? 13 : 12);
    /* On screen: a bright dot of the node's colour at each of nodeA's lumps. */
    const uint8_t *f = rt_frame();
    rt_shot("shards-lumps");
    uint16_t a = rt_slot("nodeA");
    const shardmap_t *m = sim_shards(&p->sim);
    int lit = 0, lumps = 0;
    for (uint32_t s = 0; s < m->shards; s++) {
        if (shardmap_primary(m, s) != a)
            continue;
        double x, y;
        lump_px(p, a, scene_lumps_slot(&p->scene.lumps, s, a), &x, &y);
        const uint8_t *px = rt_pixel(f, (int)lround(x), (int)lround(y));
        lumps++;
        lit += px[0] + px[1] + px[2] > 200 && rt_hue(px) == a;
    }
    assert_int_equal(lumps, 13);
    assert_int_equal(lit, lumps);
    for (const char *const *c = (const char *const[]){"add nodeF", "remove nodeB", "move 5 nodeA", "rebalance",
                                                       "weight nodeC 3", NULL};
         *c; c++) {
        rt_run(*c);
        assert_lumps_are_shard_counts(p);
    }
}

/* Every key of a moved shard leaves and lands at the same time, from its
 * lump at the old primary to its lump at the new one, through the shard's
 * cell, keeping its offset in the lump; the shards go one after another. */
static void a_moving_lump_lands_whole(void **state)
{
    (void)state;
    pane_t *p = pane(0);
    scene_t *sc = &p->scene;
    rt_run("strategy shards");
    size_t n = sc->p_count;
    float *before = malloc(n * 4 * sizeof *before);
    assert_non_null(before);
    memcpy(before, sc->p_static_cpu, n * 4 * sizeof *before);
    rt_run_now("add nodeF");
    const shardmap_t *m = sim_shards(&p->sim);
    const shardmap_change_t *ch;
    uint32_t changes = sim_shard_changes(&p->sim, &ch), moved = 0;
    float starts[64];
    for (uint32_t i = 0; i < changes; i++) {
        if (!ch[i].from_n || ch[i].from[0] == ch[i].to[0])
            continue;
        size_t keys;
        const uint32_t *pos = shardmap_positions(m, ch[i].shard, &keys);
        assert_true(keys > 0);
        const scene_owner_t *o0 = &sc->owners[pos[0]];
        assert_int_equal(o0->from, ch[i].from[0]);
        assert_int_equal(o0->to, ch[i].to[0]);
        assert_int_not_equal(o0->lump_to, SCENE_LUMP_NONE);
        assert_int_equal(o0->lump_to, scene_lumps_slot(&sc->lumps, ch[i].shard, ch[i].to[0]));
        float land0 = -1;
        for (size_t k = 0; k < sc->land_count; k++)
            if (sc->land[k].idx == pos[0])
                land0 = sc->land[k].land;
        assert_true(land0 > 0);
        for (size_t k = 0; k < keys; k++) {
            const scene_owner_t *o = &sc->owners[pos[k]];
            assert_int_equal(o->from, o0->from);
            assert_int_equal(o->to, o0->to);
            assert_int_equal(o->lump_from, o0->lump_from);
            assert_int_equal(o->lump_to, o0->lump_to);
            assert_float_equal(o->start, o0->start, 0); /* leaves with its shard */
            /* through the shard's cell, the same point for the whole lump */
            assert_memory_equal(sc->way_cpu + 3 * pos[k], sc->way_cpu + 3 * pos[0], 3 * sizeof(float));
            assert_float_equal(sc->way_cpu[3 * pos[k] + 2], 2.0f, 0);
            /* keeps its place in the lump (the offset the shaders scale) */
            assert_memory_equal(sc->p_static_cpu + 4 * pos[k], before + 4 * pos[k], 4 * sizeof(float));
            for (size_t j = 0; j < sc->land_count; j++)
                if (sc->land[j].idx == pos[k])
                    assert_float_equal(sc->land[j].land, land0, 0); /* lands with its shard */
        }
        assert_true(moved < 64);
        starts[moved++] = o0->start;
    }
    assert_int_equal(moved, sim_shard_primaries_moved(&p->sim));
    assert_int_equal(moved, 10);
    for (uint32_t i = 0; i < moved; i++) /* one shard after another */
        for (uint32_t j = i + 1; j < moved; j++)
            assert_true(starts[i] != starts[j]);
    /* Mid-flight: a frame to look at. */
    app_advance(0.9);
    rt_frame();
    rt_shot("shards-convoy");
    rt_settle();
    assert_lumps_are_shard_counts(p);
    free(before);
}

/* Distinct flight starts of the last change: a stream of keys has one per
 * key, a few lumps one per shard. */
static size_t distinct_starts(const pane_t *p)
{
    const scene_t *sc = &p->scene;
    size_t n = 0;
    float *seen = malloc((sc->land_count + 1) * sizeof *seen);
    assert_non_null(seen);
    for (size_t i = sc->land_next; i < sc->land_count; i++) {
        if (!sc->land[i].op)
            continue;
        float t = sc->owners[sc->land[i].idx].start;
        size_t k = 0;
        while (k < n && seen[k] != t)
            k++;
        if (k == n)
            seen[n++] = t;
    }
    free(seen);
    return n;
}

static void ring_beside_shards_a_stream_against_lumps(void **state)
{
    (void)state;
    app_t *a = app_get();
    strat_kind_t kinds[2] = {STRAT_RING, STRAT_SHARDS};
    assert_int_equal(app_compare(a, kinds, 2), 0);
    rt_settle();
    rt_run_now("add nodeF");
    size_t ring = distinct_starts(pane(0)), shards = distinct_starts(pane(1));
    assert_int_equal(ring, pane(0)->action.moved);       /* 1,075 keys, one after another */
    assert_int_equal(shards, 10);                        /* 10 lumps */
    assert_int_equal(pane(1)->action.shards_moved, 10);
    /* each pane's header says so in its own words */
    char line[256];
    app_advance(0.7);
    rt_frame();
    rt_shot("compare-ring-shards-mid");
    rt_settle();
    hud_counter_text(&pane(1)->action, pane_moved_landed(pane(1)), 1, line, sizeof line);
    assert_string_equal(line, "moved 10 shards, 960 of 6,000 keys (16.0%)  \xC2\xB7  ideal 16.7%");
    rt_frame();
    rt_shot("compare-ring-shards");
    assert_lumps_are_shard_counts(pane(1));
}

/* With replicas a copy of a shard is a lump too: every key's copy at a
 * holder rests in the shard's lump there. */
static void copies_of_shards_are_lumps(void **state)
{
    (void)state;
    pane_t *p = pane(0);
    rt_run("strategy shards");
    rt_run("replicas 2");
    const shardmap_t *m = sim_shards(&p->sim);
    const scene_repl_t *rp = &p->scene.repl;
    /* R = 2: one copy dot per key, in store order, each in its shard's
     * lump at the holder that is not the primary */
    assert_int_equal(rp->copy_count, p->sim.store.count);
    static uint32_t per_lump[RS_MAX_NODES];
    for (size_t i = 0; i < rp->copy_count; i++) {
        const scene_copy_t *c = &rp->copies[i];
        uint32_t s = scene_lumps_shard_at(&p->sim, i), hn;
        const uint16_t *h = shardmap_holders(m, s, &hn);
        assert_int_equal(hn, 2);
        assert_int_equal(c->kind, SCENE_COPY_HELD);
        assert_int_equal(c->to, h[1]);
        assert_int_equal(c->primary, h[0]);
        assert_int_not_equal(c->lump_to, SCENE_LUMP_NONE);
        assert_int_equal(c->lump_to, scene_lumps_slot(&p->scene.lumps, s, h[1]));
        assert_true(c->start + p->scene.repl.flight <= (float)app_get()->clock); /* landed there */
    }
    /* a node's lumps, primaries and copies, each at a slot of its own */
    memset(per_lump, 0, sizeof per_lump);
    for (uint32_t s = 0; s < m->shards; s++)
        for (uint32_t j = 0; j < 2; j++) {
            uint32_t hn;
            const uint16_t *h = shardmap_holders(m, s, &hn);
            for (uint32_t t = 0; t < s; t++)
                for (uint32_t k = 0; k < 2; k++) {
                    uint32_t tn;
                    const uint16_t *g = shardmap_holders(m, t, &tn);
                    if (g[k] == h[j])
                        assert_int_not_equal(scene_lumps_slot(&p->scene.lumps, t, g[k]),
                                             scene_lumps_slot(&p->scene.lumps, s, h[j]));
                }
            per_lump[h[j]]++;
        }
    for (uint32_t slot = 0; slot < RS_MAX_NODES; slot++)
        assert_true(per_lump[slot] == 0 || per_lump[slot] >= 25); /* 13 or 12 led, and as many copies */
    rt_frame();
    rt_shot("shards-copies");
    /* A crash promotes the surviving copies: the keys rest in what was the
     * copy's lump, and the lumps are shard_counts again. */
    rt_run("fail nodeB");
    assert_lumps_are_shard_counts(p);
    rt_run("heal");
    assert_lumps_are_shard_counts(p);
    rt_frame();
    rt_shot("shards-healed");
}

/* The pointer on a lump, or on a cell of the ring: the shard's card. */
static void hover_a_lump_or_a_cell_for_its_shard(void **state)
{
    (void)state;
    app_t *a = app_get();
    pane_t *p = pane(0);
    rt_run("strategy shards");
    const shardmap_t *m = sim_shards(&p->sim);
    uint16_t b = rt_slot("nodeB");
    uint32_t shard = UINT32_MAX;
    for (uint32_t s = 0; s < m->shards && shard == UINT32_MAX; s++)
        if (shardmap_primary(m, s) == b)
            shard = s;
    double x, y;
    lump_px(p, b, scene_lumps_slot(&p->scene.lumps, shard, b), &x, &y);
    rt_move((float)x, (float)y);
    rt_frame();
    rt_shot("shards-hover-lump");
    assert_int_equal(p->scene.sst.hover_shard, shard);
    assert_int_equal(p->scene.sst.hover_owner, b);
    assert_true(a->hover_box.w > 0);
    /* the cell of shard 7, on the cell ring */
    float in, out;
    sst_cell_band(a->dpi, &in, &out);
    view_ring_px(&p->view, place_cell_mid(7, m->shards), 1.0 + 0.5 * (in + out) / p->view.scale, &x, &y);
    rt_move((float)x, (float)y);
    rt_frame();
    assert_int_equal(p->scene.sst.hover_shard, 7);
    assert_int_equal(p->scene.sst.hover_owner, shardmap_primary(m, 7));
    rt_move(-100, -100);
    rt_frame();
    assert_int_equal(p->scene.sst.hover_shard, -1);
}

/* The band under shards: each angle's owner is a shard's primary, a fine
 * pattern of every node, not one shard's colour all round. */
static void the_band_shows_every_node(void **state)
{
    (void)state;
    pane_t *p = pane(0);
    rt_run("strategy shards");
    int seen[RS_MAX_NODES] = {0}, kinds = 0;
    const uint8_t *row = p->scene.strip[1];
    for (int k = 0; k < SCENE_STRIP; k++) {
        uint8_t px[3] = {row[4 * k], row[4 * k + 1], row[4 * k + 2]};
        uint16_t h = rt_hue(px);
        if (h != RING_NONE && !seen[h]++)
            kinds++;
    }
    assert_int_equal(kinds, 5);
}

/* The panel: shards per node, and what whole shards do to balance. */
static void the_panel_says_what_shards_cost(void **state)
{
    (void)state;
    app_t *a = app_get();
    pane_t *p = pane(0);
    rt_run("strategy shards");
    char t[128];
    assert_int_equal(hud_shard_quantum_text(p, t, sizeof t), 1);
    assert_string_equal(t, "S/n = 12.8: max/mean \xE2\x89\xA5 1.016");
    rt_run("add nodeF");
    hud_shard_quantum_text(p, t, sizeof t);
    assert_string_equal(t, "S/n = 10.67: max/mean \xE2\x89\xA5 1.031");
    rt_run("remove nodeF");
    rt_run("remove nodeE");
    hud_shard_quantum_text(p, t, sizeof t);
    assert_string_equal(t, "S/n = 16: max/mean can be 1");
    rt_run("strategy ring");
    assert_int_equal(hud_shard_quantum_text(p, t, sizeof t), 0);
    /* The legend names the new marks. */
    rt_run("strategy shards");
    a->legend = 1;
    rt_frame();
    rt_shot("shards-legend");
    for (int mark = HUD_MARK_SHARD_CELLS; mark <= HUD_MARK_SHARDS_LED; mark++)
        assert_true(a->legend_marks & (1ull << mark));
    assert_false(a->legend_marks & (1ull << HUD_MARK_SHARD_COPIES)); /* no replicas yet */
    rt_run("replicas 2");
    rt_frame();
    assert_true(a->legend_marks & (1ull << HUD_MARK_SHARD_COPIES));
    rt_run("strategy ring");
    rt_frame();
    assert_false(a->legend_marks & (1ull << HUD_MARK_LUMPS));
    a->legend = 0;
}

/* Switching to shards gathers every key into its lump (those that stay
 * with their node too), and back spreads them over the cloud; idle frames
 * upload nothing. */
static void switching_gathers_and_spreads_the_lumps(void **state)
{
    (void)state;
    app_t *a = app_get();
    pane_t *p = pane(0);
    rt_run("strategy shards");
    assert_lumps_are_shard_counts(p);
    rt_run("strategy ring");
    for (size_t pos = 0; pos < p->scene.p_count; pos++)
        assert_int_equal(p->scene.owners[pos].lump_to, SCENE_LUMP_NONE);
    rt_run("strategy shards");
    assert_lumps_are_shard_counts(p);
    for (int i = 0; i < 3; i++) {
        app_advance(1.0 / 60.0);
        rt_frame();
    }
    assert_int_equal(a->bytes_last_frame, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(lumps_are_the_shards_each_node_leads, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(a_moving_lump_lands_whole, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(ring_beside_shards_a_stream_against_lumps, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(copies_of_shards_are_lumps, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(hover_a_lump_or_a_cell_for_its_shard, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(the_band_shows_every_node, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(the_panel_says_what_shards_cost, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(switching_gathers_and_spreads_the_lumps, rt_setup, rt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
