/* Node labels (issue 22): a node is never left unlabelled — in compare
 * panes, with the replication line, at 800 x 600, after a pane or a node
 * is added — and a label's box holds its text. The labels are read as the
 * HUD drew them (app_t.labels), after a real frame on the offscreen
 * driver. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hud.h"
#include "rt.h"

static int overlap(const app_rect_t *r, const app_rect_t *o)
{
    return r->x < o->x + o->w - 0.5f && o->x < r->x + r->w - 0.5f && r->y < o->y + o->h - 0.5f &&
           o->y < r->y + r->h - 0.5f;
}

/* Every pane: one label per node, inside the pane's cell and the frame,
 * none on another, each box as wide as its widest line. Returns the
 * fewest lines any label has. */
static int assert_all_labelled(const char *what)
{
    app_t *a = app_get();
    rt_settle();
    rt_frame();
    int fewest = 3;
    for (int i = 0; i < a->pane_count; i++) {
        const pane_t *p = &a->panes[i];
        uint32_t n = a->label_count[i];
        if (n != p->sorted_count) {
            print_message("%s: pane %d (%s): %u labels for %u nodes\n", what, i, strat_name(p->sim.strat.kind), n,
                          p->sorted_count);
            for (uint32_t k = 0; k < p->sorted_count; k++) {
                int found = 0;
                for (uint32_t j = 0; j < n; j++)
                    found |= a->labels[i][j].slot == p->sorted[k];
                if (!found)
                    print_message("  no label: %s\n", p->sim.ring.nodes[p->sorted[k]].id);
            }
        }
        assert_int_equal(n, p->sorted_count);
        for (uint32_t j = 0; j < n; j++) {
            const app_label_t *l = &a->labels[i][j];
            assert_true(l->lines >= 1 && l->lines <= 3);
            fewest = l->lines < fewest ? l->lines : fewest;
            assert_true(l->box.w + 0.5f >= l->text_w);
            assert_true(l->box.x >= -0.5f && l->box.x + l->box.w <= a->fb_w + 0.5f);
            assert_true(l->box.y >= -0.5f && l->box.y + l->box.h <= a->bar.y + 0.5f);
            if (a->pane_count > 1)
                assert_true(l->box.x >= p->cell[0] - 0.5f && l->box.x + l->box.w <= p->cell[0] + p->cell[2] + 0.5f);
            for (uint32_t k = 0; k < j; k++) {
                assert_int_not_equal(a->labels[i][k].slot, l->slot);
                if (overlap(&a->labels[i][k].box, &l->box))
                    print_message("%s: pane %d: labels of %s and %s overlap\n", what, i,
                                  p->sim.ring.nodes[l->slot].id, p->sim.ring.nodes[a->labels[i][k].slot].id);
                assert_false(overlap(&a->labels[i][k].box, &l->box));
            }
        }
    }
    return fewest;
}

static void run(const char *line)
{
    const char *m = app_run_command(line);
    if (m)
        print_message("%s: %s\n", line, m);
    assert_null(m);
}

static void compare_panes_label_every_node(void **state)
{
    (void)state;
    static const int sizes[][2] = {{1280, 720}, {800, 600}};
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(rt_start(sizes[k][0], sizes[k][1], 0), 0);
        char what[64];
        snprintf(what, sizeof what, "%dx%d one pane", sizes[k][0], sizes[k][1]);
        int one = assert_all_labelled(what);
        if (k == 0)
            assert_int_equal(one, 3); /* room for every figure */
        strat_kind_t kinds[2] = {STRAT_RING, STRAT_MODULO};
        assert_int_equal(app_compare(app_get(), kinds, 2), 0);
        snprintf(what, sizeof what, "%dx%d ring vs modulo", sizes[k][0], sizes[k][1]);
        int two = assert_all_labelled(what);
        if (k == 0)
            assert_true(two >= 2); /* every node keeps its keys */
        run("add nodeF");
        snprintf(what, sizeof what, "%dx%d + nodeF", sizes[k][0], sizes[k][1]);
        assert_all_labelled(what);
        run("replicas 2");
        run("zone nodeA zone-a");
        run("zone nodeB zone-b");
        snprintf(what, sizeof what, "%dx%d with the replication line", sizes[k][0], sizes[k][1]);
        assert_all_labelled(what);
        strat_kind_t four[4] = {STRAT_RING, STRAT_MODULO, STRAT_JUMP, STRAT_MAGLEV};
        assert_int_equal(app_compare(app_get(), four, 4), 0);
        snprintf(what, sizeof what, "%dx%d four panes", sizes[k][0], sizes[k][1]);
        assert_all_labelled(what);
        rt_stop();
    }
}

/* C turns compare on with the pane the pointer is over; a node added then
 * is labelled in both panes. */
static void compare_key_then_a_new_node(void **state)
{
    (void)state;
    assert_int_equal(rt_start(1280, 720, 0), 0);
    rt_key(SDLK_c, 0);
    assert_int_equal(app_get()->pane_count, 2);
    assert_all_labelled("after C");
    rt_key(SDLK_a, 0);
    assert_all_labelled("after C, A");
    rt_stop();
}

/* The selected node's label, with a zone on its third line: the box
 * drawn round it holds every line. */
static void a_selected_label_holds_its_text(void **state)
{
    (void)state;
    assert_int_equal(rt_start(1280, 720, 0), 0);
    run("replicas 2");
    run("zone nodeC a-zone-with-a-long-name");
    app_select(app_get(), rt_slot("nodeC"));
    assert_all_labelled("nodeC selected");
    app_t *a = app_get();
    int found = 0;
    for (uint32_t j = 0; j < a->label_count[0]; j++)
        if (a->labels[0][j].slot == rt_slot("nodeC")) {
            found = 1;
            assert_int_equal(a->labels[0][j].lines, 3);
            char keys[96], share[128];
            hud_node_text(&a->panes[0], rt_slot("nodeC"), keys, sizeof keys, share, sizeof share);
            assert_non_null(strstr(share, "a-zone-with-a-long-name"));
            float w3 = font_width(&a->font, FONT_SMALL, share, strlen(share));
            assert_true(a->labels[0][j].box.w + 0.5f >= w3);
        }
    assert_true(found);
    rt_stop();
}

/* Compare mode with the first n of ring, modulo, jump, maglev, settled
 * and drawn. */
static void compare_and_draw(int n)
{
    static const strat_kind_t kinds[4] = {STRAT_RING, STRAT_MODULO, STRAT_JUMP, STRAT_MAGLEV};
    assert_int_equal(app_compare(app_get(), kinds, n), 0);
    rt_settle();
    rt_frame();
}

/* Compare panes (issue 22: the 4-pane view had no legend, 2-pane legends
 * were cut, residue numbers sat on clouds): every pane has its legend
 * line, whole on its two lines, and a cell ring's numbers stay inside the
 * ring line. */
static void every_pane_has_its_whole_legend_line(void **state)
{
    (void)state;
    assert_int_equal(rt_start(1280, 720, 0), 0);
    app_t *a = app_get();
    for (int n = 2; n <= 4; n += 2) {
        compare_and_draw(n);
        rt_shot(n == 2 ? "compare-2" : "compare-4");
        for (int i = 0; i < n; i++) {
            const pane_t *p = &a->panes[i];
            app_rect_t b;
            hud_legend_box(a, p, &b);
            assert_true(b.w > 0);
            assert_false(a->legend_line_cut[i]);
            assert_true(b.x >= p->cell[0] && b.x + b.w <= p->cell[0] + p->cell[2] + 0.5f);
            if (p->sim.strat.ops->structure.flags & STRAT_DRAW_NUMBERED) {
                assert_true(p->scene.sst.numbers_drawn == p->sim.nodes.n);
                assert_true(p->scene.sst.numbers_reach < p->view.scale);
            }
        }
    }
    rt_stop();
}

/* At 800 x 600 the title fits whole in one of its forms, two panes or
 * four, and says "vnodes", not "vn". */
static void the_title_is_whole_at_800x600(void **state)
{
    (void)state;
    assert_int_equal(rt_start(800, 600, 0), 0);
    app_t *a = app_get();
    for (int n = 2; n <= 4; n += 2) {
        compare_and_draw(n);
        assert_false(a->title_cut);
        char t[256];
        for (int form = 2; form < HUD_TITLE_FORMS; form++) {
            hud_title_text(a->panes, a->pane_count, &a->panes[a->focus], form, t, sizeof t);
            assert_non_null(strstr(t, "80 vnodes"));
        }
    }
    rt_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compare_panes_label_every_node),
        cmocka_unit_test(compare_key_then_a_new_node),
        cmocka_unit_test(a_selected_label_holds_its_text),
        cmocka_unit_test(the_title_is_whole_at_800x600),
        cmocka_unit_test(every_pane_has_its_whole_legend_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
