/* Render tests of the presets of real systems on screen (issue 21): the
 * title and the panes name the system ("Redis Cluster"), the counter line
 * counts in the system's units ("moved 2,734 slots") or says in its words
 * why nothing moved, the panel names what it counts, Redis's slots are a
 * ring of cells that the band and a hovered key agree with, the shards of
 * Elasticsearch, Milvus and Kafka are lumps with cards, Qdrant's ring
 * shows its points in their shards' owners' colours, and in compare mode
 * each pane's rule is a legend line of its own, clear of the others and of
 * the captions, beside a last-change table that names each system whole.
 * Each test starts its own app. Set RINGSCOPE_TEST_SHOTS=DIR to keep the
 * frames looked at as PNGs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hud.h"
#include "num.h"
#include "place.h"
#include "rt.h"
#include "shardmap.h"
#include "strip.h"

static pane_t *pane(int i)
{
    return &app_get()->panes[i];
}

static void has(const char *text, const char *part)
{
    if (!strstr(text, part))
        print_message("\"%s\" does not hold \"%s\"\n", text, part);
    assert_non_null(strstr(text, part));
}

/* The four systems of assets/scenarios/four-systems.txt, 60 shards. */
static const strat_kind_t four[] = {STRAT_REDIS, STRAT_ES, STRAT_QDRANT, STRAT_CASSANDRA};

static int start_four(int w, int h, app_look_t look)
{
    app_desc_t d = {.width = w, .height = h, .look = look, .compare = four, .compare_count = 4};
    d.sim.params.shards = 60;
    return rt_start_desc(d);
}

static int four_clip(void **state)
{
    (void)state;
    return start_four(960, 540, APP_LOOK_CLEAN);
}

static int four_app(void **state)
{
    (void)state;
    return start_four(1280, 720, APP_LOOK_FULL);
}

static int four_small(void **state)
{
    (void)state;
    return start_four(640, 400, APP_LOOK_FULL);
}

static int qdrant_60(void **state)
{
    (void)state;
    app_desc_t d = {.width = 1280, .height = 720};
    d.sim.strategy = STRAT_QDRANT;
    d.sim.params.shards = 60;
    return rt_start_desc(d);
}

/* ---- words ---------------------------------------------------------------- */

/* The title names the system a preset models; a scheme stays a strategy. */
static void the_title_names_the_system(void **state)
{
    (void)state;
    app_t *a = app_get();
    rt_run("strategy redis-cluster");
    rt_frame();
    assert_string_equal(a->title_line, "Redis Cluster  |  nodes=5  |  vectors=6,000");
    has(app_state_json(), "\"title\":\"Redis Cluster  |  nodes=5  |  vectors=6,000\"");
    rt_run("strategy cassandra");
    rt_frame();
    assert_string_equal(a->title_line, "Cassandra  |  nodes=5  |  vectors=6,000");
    rt_run("strategy ring");
    rt_frame();
    assert_string_equal(a->title_line, "Strategy ring  |  nodes=5  |  vectors=6,000  |  vnodes/node=80");
}

/* The counter line in the system's units, every count grouped; a system
 * that moved nothing says why in its words. */
static void the_headline_counts_in_the_systems_units(void **state)
{
    (void)state;
    app_t *a = app_get();
    rt_run("strategy redis-cluster");
    rt_run("add nodeF");
    rt_frame();
    has(a->headline, "Added nodeF  |  moved 2,734 slots, 1,005 of 6,000 keys (16.8%)");
    has(app_state_json(), "\"headline\":\"Added nodeF  |  moved 2,734 slots, 1,005 of 6,000 keys");
    rt_run("remove nodeF");
    rt_run("strategy qdrant");
    rt_run("add nodeF");
    rt_frame();
    assert_string_equal(a->headline, "Added nodeF  |  Qdrant does not move shards by itself: use rebalance or move");
    rt_run("remove nodeF");
    rt_run("strategy kafka");
    rt_run("partitions 12");
    rt_run("add nodeF");
    rt_frame();
    assert_string_equal(a->headline,
                        "Added nodeF  |  Kafka does not move partitions by itself: use rebalance or move");
    rt_run("rebalance");
    rt_frame();
    has(a->headline, "moved 2 partitions, ");
    rt_run("remove nodeF");
    rt_run("strategy ring");
}

/* The panel says what it counts: keys alone where there are no shards
 * (Cassandra's token ranges are not shards), the system's unit where there
 * are; the size line counts Cassandra's tokens. */
static void the_panel_names_what_it_counts(void **state)
{
    (void)state;
    app_t *a = app_get();
    pane_t *p = pane(0);
    rt_run("strategy cassandra");
    rt_frame();
    assert_string_equal(a->panel_head, "KEY DISTRIBUTION");
    uint64_t size;
    assert_string_equal(hud_structure_size(p, &size), "tokens");
    assert_int_equal(size, 5 * 16);
    /* Cassandra's tokens are drawn as points: its own, 16 a node */
    assert_non_null(place_points(&p->sim.strat));
    assert_int_equal(place_points(&p->sim.strat)->count, 5 * 16);
    rt_run("strategy redis-cluster");
    rt_frame();
    assert_string_equal(a->panel_head, "SLOTS AND KEYS");
    rt_run("strategy kafka");
    rt_frame();
    assert_string_equal(a->panel_head, "PARTITIONS AND KEYS");
    char t[128];
    hud_shard_quantum_text(p, t, sizeof t);
    assert_string_equal(t, "1 partition for 5 nodes: 4 lead none");
    rt_run("strategy redis-cluster");
    hud_shard_quantum_text(p, t, sizeof t);
    assert_string_equal(t, "S/n = 3,276.8: max/mean \xE2\x89\xA5 1.000");
    rt_run("strategy ring");
    rt_frame();
    assert_string_equal(a->panel_head, "KEY DISTRIBUTION");
}

/* ---- Redis's slots --------------------------------------------------------- */

/* The band inside the ring and the slot cells outside it agree, texel by
 * texel: a key sits in its slot's cell (CRC16 mod 16384), not at its
 * hash's angle, where the slots came round four times. Hovering the cells,
 * or the band, names the slot and its master; the key there is that slot's. */
static void redis_slots_band_and_hover_agree(void **state)
{
    (void)state;
    app_t *a = app_get();
    pane_t *p = pane(0);
    rt_run("strategy redis-cluster");
    rt_run("add nodeF");
    rt_frame();
    const shardmap_t *m = sim_shards(&p->sim);
    assert_non_null(m);
    assert_int_equal(m->shards, 16384);
    int agree = 0;
    for (int k = 0; k < SCENE_STRIP; k++) {
        uint64_t pos = strip_pos(&p->view, p->scene.strip_a0, p->scene.strip_a1, k, SCENE_STRIP);
        const uint8_t *t = p->scene.strip[1] + 4 * k;
        agree += rt_hue(t) == shardmap_primary(m, (uint32_t)place_cell_at(pos, m->shards));
    }
    print_message("redis: %d of %d band texels in their slot's master's colour\n", agree, SCENE_STRIP);
    assert_true(agree * 100 >= SCENE_STRIP * 97);

    float in, out;
    sst_cell_band(a->dpi, &in, &out);
    for (int r = 0; r < 2; r++) { /* on the cells, then on the band */
        double x, y, off = r ? -9 * a->dpi : 0.5 * (in + out);
        view_ring_px(&p->view, place_cell_mid(5000, m->shards), 1.0 + off / p->view.scale, &x, &y);
        rt_move((float)x, (float)y);
        rt_frame();
        rt_shot(r ? "redis-hover-band" : "redis-hover-slot");
        uint64_t pos = view_px_to_ring(&p->view, a->mouse_x, a->mouse_y, NULL);
        uint32_t slot = (uint32_t)place_cell_at(pos, m->shards);
        assert_true(slot >= 4900 && slot <= 5100); /* a pixel is some 20 slots wide */
        assert_int_equal(p->scene.sst.hover_shard, slot);
        assert_int_equal(p->scene.sst.hover_owner, shardmap_primary(m, slot));
        char want[64], num[16];
        num_int(slot, num, sizeof num);
        snprintf(want, sizeof want, "slot %s of 16,384", num);
        assert_string_equal(p->scene.sst.card_line[0], want);
        /* and the range of slots its master serves there */
        uint32_t first = slot, last = slot;
        while (first && shardmap_primary(m, first - 1) == shardmap_primary(m, slot))
            first--;
        while (last + 1 < m->shards && shardmap_primary(m, last + 1) == shardmap_primary(m, slot))
            last++;
        char range[NODEID_MAX + 64], a0[16], a1[16];
        num_int(first, a0, sizeof a0);
        num_int(last, a1, sizeof a1);
        snprintf(range, sizeof range, "slots %s\xE2\x80\x93%s on %s", a0, a1,
                 p->sim.ring.nodes[shardmap_primary(m, slot)].id);
        assert_true(last > first);
        assert_true(strncmp(p->scene.sst.card_line[2], range, sizeof p->scene.sst.card_line[2] - 1) == 0);
        /* the key a display makes there is in that slot, on that master */
        strat_key_t key;
        place_key_at(&p->sim.strat, pos, &key);
        assert_int_equal(shardmap_shard_of(m, &key), slot);
        strat_where_t w;
        sim_locate(&p->sim, &key, &w);
        assert_int_equal(w.owner, shardmap_primary(m, slot));
    }
    rt_move(-100, -100);
    rt_run("remove nodeF");
    rt_run("strategy ring");
}

/* ---- shards as lumps -------------------------------------------------------- */

/* Elasticsearch's, Milvus's and Kafka's shards are drawn as shards: a
 * lump a shard in its node's cloud, a card on hover, a move flying whole. */
static void shard_systems_are_lumps(void **state)
{
    (void)state;
    pane_t *p = pane(0);
    static const strat_kind_t lumps[] = {STRAT_ES, STRAT_MILVUS, STRAT_KAFKA, STRAT_REDIS};
    for (size_t i = 0; i < sizeof lumps / sizeof lumps[0]; i++)
        assert_int_equal(strat_ops(lumps[i])->structure.kind, STRAT_STRUCTURE_SHARDS);
    rt_run("strategy elasticsearch");
    rt_run("split 16");
    rt_run("add nodeF");
    rt_frame();
    rt_shot("es-16-shards");
    const shardmap_t *m = sim_shards(&p->sim);
    assert_int_equal(m->shards, 16);
    assert_int_equal(p->scene.lumps.shards, 16);
    has(app_get()->headline, "Added nodeF  |  moved 2 shards, ");
    /* every key rests in its shard's lump, in its primary's cloud */
    for (size_t pos = 0; pos < p->scene.p_count; pos++) {
        uint32_t sh = scene_lumps_shard_at(&p->sim, pos);
        assert_int_equal(p->scene.owners[pos].lump_to, scene_lumps_slot(&p->scene.lumps, sh, shardmap_primary(m, sh)));
    }
    /* the card of shard 7, on its cell */
    float in, out;
    sst_cell_band(app_get()->dpi, &in, &out);
    double x, y;
    view_ring_px(&p->view, place_cell_mid(7, 16), 1.0 + 0.5 * (in + out) / p->view.scale, &x, &y);
    rt_move((float)x, (float)y);
    rt_frame();
    assert_int_equal(p->scene.sst.hover_shard, 7);
    assert_string_equal(p->scene.sst.card_line[0], "shard 7 of 16");
    rt_move(-100, -100);
    rt_run("strategy kafka");
    rt_run("partitions 12");
    rt_move((float)x, (float)y);
    rt_frame();
    assert_true(p->scene.sst.hover_shard >= 0);
    has(p->scene.sst.card_line[0], "partition ");
    has(p->scene.sst.card_line[0], " of 12");
    rt_move(-100, -100);
    rt_run("remove nodeF");
    rt_run("strategy ring");
}

/* ---- Qdrant's ring ----------------------------------------------------------- */

/* 60 shards of 100 points: 6,000 points round the ring, each in its shard's
 * owner's colour, not a grey ring; hovering the ring names the shard of the
 * key there. */
static void qdrant_points_in_their_owners_colours(void **state)
{
    (void)state;
    pane_t *p = pane(0);
    rt_settle();
    const uint8_t *f = rt_frame();
    rt_shot("qdrant-60");
    const strat_points_t *pts = place_points(&p->sim.strat);
    assert_non_null(pts);
    assert_int_equal(pts->count, 6000);
    int coloured = 0, seen[RS_MAX_NODES] = {0}, kinds = 0;
    for (uint32_t i = 0; i < pts->count; i++) {
        double x, y;
        view_ring_px(&p->view, pts->pos[i], 1.0, &x, &y);
        const uint8_t *px = rt_pixel(f, (int)floor(x), (int)floor(y));
        int hi = px[0] > px[1] ? (px[0] > px[2] ? px[0] : px[2]) : (px[1] > px[2] ? px[1] : px[2]);
        int lo = px[0] < px[1] ? (px[0] < px[2] ? px[0] : px[2]) : (px[1] < px[2] ? px[1] : px[2]);
        if (hi < 90 || hi - lo < 50)
            continue;
        coloured++;
        uint16_t h = rt_hue(px);
        if (h != RING_NONE && !seen[h]++)
            kinds++;
    }
    print_message("qdrant: %d of %u point centres in a node's colour, %d nodes\n", coloured, pts->count, kinds);
    assert_true(coloured * 10 >= (int)pts->count * 8);
    assert_int_equal(kinds, 5);

    app_t *a = app_get();
    double x, y;
    view_ring_px(&p->view, view_angle_to_pos(0.3 * 6.283185307179586), 1.0, &x, &y);
    rt_move((float)x, (float)y);
    rt_frame();
    rt_shot("qdrant-hover");
    strat_key_t key;
    place_key_at(&p->sim.strat, view_px_to_ring(&p->view, a->mouse_x, a->mouse_y, NULL), &key);
    uint32_t sh = shardmap_shard_of(sim_shards(&p->sim), &key);
    assert_int_equal(p->scene.sst.hover_shard, sh);
    char want[64];
    snprintf(want, sizeof want, "shard %u of 60", sh);
    assert_string_equal(p->scene.sst.card_line[0], want);
    rt_move(-100, -100);
}

/* ---- compare mode -------------------------------------------------------------- */

static int boxes_meet(const app_rect_t *r, const app_rect_t *o)
{
    return r->x < o->x + o->w && o->x < r->x + r->w && r->y < o->y + o->h && o->y < r->y + r->h;
}

/* Each pane's rule is drawn whole, inside its own cell, clear of the other
 * panes' and of the caption. */
static void assert_legends_apart(void)
{
    app_t *a = app_get();
    app_rect_t box[APP_PANES_MAX], cap;
    const char *ct;
    float ca;
    int captioned = hud_caption_now(a, &ct, &ca, &cap);
    for (int i = 0; i < a->pane_count; i++) {
        const pane_t *p = pane(i);
        hud_legend_box(a, p, &box[i]);
        print_message("pane %d legend at %.0f,%.0f %.0fx%.0f; cell %.0f,%.0f %.0fx%.0f\n", i, box[i].x, box[i].y,
                      box[i].w, box[i].h, p->cell[0], p->cell[1], p->cell[2], p->cell[3]);
        assert_true(box[i].w > 0);
        assert_false(a->legend_line_cut[i]);
        assert_true(box[i].x >= p->cell[0] && box[i].x + box[i].w <= p->cell[0] + p->cell[2]);
        assert_true(box[i].y >= p->cell[1] && box[i].y + box[i].h <= p->cell[1] + p->cell[3]);
        if (captioned)
            assert_false(boxes_meet(&box[i], &cap));
        for (int j = 0; j < i; j++)
            assert_false(boxes_meet(&box[i], &box[j]));
    }
}

/* The clip of assets/scenarios/four-systems.txt (960x540, captions). */
static void four_systems_clip_keeps_each_rule(void **state)
{
    (void)state;
    app_t *a = app_get();
    assert_int_equal(a->pane_count, 4);
    assert_null(app_run_command("caption nodeF joins: redis-cli rebalances slots, Elasticsearch moves shards"));
    rt_run("add nodeF");
    rt_frame();
    rt_shot("four-systems-clip");
    assert_legends_apart();
    /* the panes' headers: the systems' names, their own counters */
    const char *js = app_state_json();
    has(js, "\"name\":\"Redis Cluster\",\"counter\":\"moved 2,734 slots, ");
    has(js, "\"name\":\"Elasticsearch\",\"counter\":\"moved 10 shards, ");
    has(js, "\"name\":\"Qdrant\",\"counter\":\"Qdrant does not move shards by itself");
    has(js, "\"name\":\"Cassandra\",\"counter\":\"moved ");
    for (int i = 0; i < a->pane_count; i++)
        assert_false(a->compare_name_cut[i]);
}

/* The app's look at 1280x720: the title names the four systems, the
 * legends sit each under its pane, the table names every system whole. */
static void four_systems_in_the_app(void **state)
{
    (void)state;
    app_t *a = app_get();
    rt_run("add nodeF");
    rt_frame();
    rt_shot("four-systems-app");
    has(a->title_line, "Redis Cluster vs Elasticsearch vs Qdrant vs Cassandra");
    assert_legends_apart();
    for (int i = 0; i < a->pane_count; i++) {
        assert_false(a->compare_name_cut[i]);
        assert_false(a->header_cut[i]);
    }
}

/* A narrow panel: the names take lines of their own rather than be cut. */
static void four_systems_on_a_small_frame(void **state)
{
    (void)state;
    app_t *a = app_get();
    rt_run("add nodeF");
    rt_frame();
    rt_shot("four-systems-small");
    assert_true(a->panel.w > 0);
    for (int i = 0; i < a->pane_count; i++)
        assert_false(a->compare_name_cut[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_title_names_the_system, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(the_headline_counts_in_the_systems_units, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(the_panel_names_what_it_counts, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(redis_slots_band_and_hover_agree, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(shard_systems_are_lumps, rt_setup, rt_teardown),
        cmocka_unit_test_setup_teardown(qdrant_points_in_their_owners_colours, qdrant_60, rt_teardown),
        cmocka_unit_test_setup_teardown(four_systems_clip_keeps_each_rule, four_clip, rt_teardown),
        cmocka_unit_test_setup_teardown(four_systems_in_the_app, four_app, rt_teardown),
        cmocka_unit_test_setup_teardown(four_systems_on_a_small_frame, four_small, rt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
