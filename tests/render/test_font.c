/* Font fallback: code points DejaVu Sans lacks (CJK) come from Droid Sans
 * Fallback at the same size, on the same baseline, and are measured the way
 * they are drawn. Real pixels from the offscreen GLES context. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_ttf.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "pal.h"
#include "rt.h"

#define NO_DE "\xE3\x83\x8E"       /* U+30CE KATAKANA NO */
#define LONG "\xE3\x83\xBC"        /* U+30FC prolonged sound mark */
#define DO "\xE3\x83\x89"          /* U+30C9 KATAKANA DO */
#define KUCHI "\xE5\x8F\xA3"       /* U+53E3 (a box sitting on the baseline) */
#define ROCKET "\xF0\x9F\x9A\x80"  /* U+1F680: in neither font */

static uint8_t *shot; /* draw_alone's frame */

static int setup(void **state)
{
    (void)state;
    return rt_start(1280, 720, 500);
}

static int teardown(void **state)
{
    (void)state;
    free(shot);
    shot = NULL;
    rt_stop();
    return 0;
}

static int fb_advance(font_t *f, font_size_t s, uint32_t cp)
{
    int minx, maxx, miny, maxy, adv;
    assert_int_equal(TTF_GlyphMetrics32(f->fb[s], cp, &minx, &maxx, &miny, &maxy, &adv), 0);
    return adv;
}

static void fallback_glyphs_are_measured_as_drawn(void **state)
{
    (void)state;
    font_t *f = &app_get()->font;
    for (int s = 0; s < FONT_SIZE_COUNT; s++)
        assert_non_null(f->fb[s]);
    const font_size_t s = FONT_BODY;
    int no = fb_advance(f, s, 0x30CE), ln = fb_advance(f, s, 0x30FC), d = fb_advance(f, s, 0x30C9);

    const font_glyph_t *g = font_glyph(f, s, 0x30CE);
    assert_non_null(g);
    assert_int_equal(g->fallback, 1);
    assert_int_equal(g->advance, no);
    assert_true(g->w > 0 && g->h > 0);
    assert_int_equal(g->top, f->ascent[s] - TTF_FontAscent(f->fb[s]));
    assert_true(font_width(f, s, NO_DE, 3) == (float)no);

    /* Latin stays DejaVu; the mixed string adds no kerning across faces. */
    const font_glyph_t *one = font_glyph(f, s, '1');
    assert_int_equal(one->fallback, 0);
    assert_int_equal(one->top, 0);
    float w = font_width(f, s, NO_DE LONG DO "1", 10);
    assert_true(w == (float)(no + ln + d + one->advance));
    /* ... which is not what three '?' boxes would measure */
    float q = font_width(f, s, "???1", 4);
    assert_true(w > q + 10);

    /* Neither face (an emoji): the replacement mark U+FFFD, same atlas
     * cell, same width; not a '?', which reads as text (issue 24). */
    const font_glyph_t *mark = font_glyph(f, s, 0xFFFD), *qm = font_glyph(f, s, '?'),
                       *r = font_glyph(f, s, 0x1F680);
    assert_int_equal(mark->fallback, 0);
    assert_true(mark->w > 0 && mark->h > 0);
    assert_int_equal(r->fallback, 0);
    assert_int_equal(r->x, mark->x);
    assert_int_equal(r->y, mark->y);
    assert_int_equal(r->advance, mark->advance);
    assert_false(r->x == qm->x && r->y == qm->y);
    assert_true(font_width(f, s, ROCKET, 4) == font_width(f, s, "\xEF\xBF\xBD", 3));
}

/* Elision keeps whole glyphs whose drawn width plus the ellipsis fits. */
static void elision_is_exact_with_fallback(void **state)
{
    (void)state;
    app_t *a = app_get();
    const char *t = "node-" NO_DE LONG DO "-" NO_DE LONG DO "1";
    size_t len = strlen(t);
    float ell = font_width(&a->font, FONT_BODY, "\xE2\x80\xA6", 3);
    float full = font_width(&a->font, FONT_BODY, t, len);
    for (float max_w = 20; max_w < full + 2; max_w += 1) {
        int elided;
        size_t n = draw_fit_len(&a->ui, FONT_BODY, t, len, max_w, &elided);
        float kept = font_width(&a->font, FONT_BODY, t, n);
        if (!elided) {
            assert_int_equal(n, len);
            assert_true(full <= max_w);
            continue;
        }
        assert_true(kept + ell <= max_w);
        /* one more code point would not have fitted */
        size_t next = n;
        font_utf8_next(t, len, &next);
        assert_true(next > len || font_width(&a->font, FONT_BODY, t, next) + ell > max_w);
    }
}

/* Draws text alone on a black frame; returns the frame (top row first). */
static const uint8_t *draw_alone(draw_t *d, font_size_t s, float x, float y, const char *text)
{
    app_t *a = app_get();
    gfx_frame_t fr = {{(float)a->fb_w, (float)a->fb_h}, 0, 1, &a->panes[0].view};
    glViewport(0, 0, a->fb_w, a->fb_h);
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA); /* as the HUD draws */
    draw_begin(d, (float)a->fb_w, (float)a->fb_h);
    draw_text(d, s, x, y, 0xFFFFFFFFu, text);
    draw_end(d, &fr);
    if (!shot)
        shot = malloc((size_t)a->fb_w * a->fb_h * 4);
    assert_non_null(shot);
    app_read_pixels(shot);
    return shot;
}

/* Ink box of the columns [x0, x1): rows and count of pixels brighter than 96. */
static int ink(const uint8_t *px, int x0, int x1, int *top, int *bottom)
{
    int w = app_get()->fb_w, h = app_get()->fb_h, n = 0;
    *top = h;
    *bottom = -1;
    for (int y = 0; y < h; y++)
        for (int x = x0; x < x1; x++)
            if (px[((size_t)y * w + x) * 4 + 1] > 96) {
                n++;
                if (y < *top) *top = y;
                if (y > *bottom) *bottom = y;
            }
    return n;
}

/* Every fallback glyph has ink in its own advance cell, more than a '?';
 * a CJK box sits on the Latin baseline (its descent below it as the font
 * says), also at the largest size where the two faces' ascents differ most. */
static void cjk_text_draws_real_glyphs_on_the_baseline(void **state)
{
    (void)state;
    app_t *a = app_get();
    draw_t d;
    char err[256];
    assert_int_equal(draw_init(&d, &a->font, err, sizeof err), 0);
    const int x = 20, y = 40;

    const font_size_t s = FONT_BODY;
    const uint8_t *px = draw_alone(&d, s, x, y, NO_DE LONG DO "1");
    int cell[4], pen = x, top, bottom;
    const uint32_t cps[4] = {0x30CE, 0x30FC, 0x30C9, '1'};
    for (int i = 0; i < 4; i++) {
        int adv = font_glyph(&a->font, s, cps[i])->advance;
        cell[i] = ink(px, pen, pen + adv, &top, &bottom);
        assert_true(cell[i] > 4);
        assert_true(top >= y - 1 && bottom < y + a->font.height[s] + 2);
        pen += adv;
    }
    px = draw_alone(&d, s, x, y, "?");
    int qink = ink(px, x, x + font_glyph(&a->font, s, '?')->advance, &top, &bottom);
    assert_true(cell[0] > qink && cell[2] > qink);

    for (int k = 0; k < 2; k++) {
        font_size_t z = k ? FONT_HUGE : FONT_BODY;
        px = draw_alone(&d, z, x, y, "H" KUCHI);
        int hw = font_glyph(&a->font, z, 'H')->advance, kw = font_glyph(&a->font, z, 0x53E3)->advance;
        int ht, hb, kt, kb;
        assert_true(ink(px, x, x + hw, &ht, &hb) > 10);
        assert_true(ink(px, x + hw, x + hw + kw, &kt, &kb) > 10);
        int minx, maxx, miny, maxy, adv;
        TTF_GlyphMetrics32(a->font.fb[z], 0x53E3, &minx, &maxx, &miny, &maxy, &adv);
        /* H ends on the baseline; the box descends -miny below it */
        int want = -miny;
        print_message("size %d: H ink %d..%d, box ink %d..%d (descent %d)\n", a->font.px[z], ht, hb, kt, kb, want);
        assert_true(abs((kb - hb) - want) <= 1);
        /* the box's top is where the font puts it above the baseline */
        assert_true(abs((hb + 1 - kt) - maxy) <= 1);
    }
    draw_shutdown(&d);
}

/* A node named in katakana: its label and its panel row are drawn with real
 * glyphs — the frame has more label ink than the same node called "???1". */
static void cjk_node_label_is_drawn(void **state)
{
    (void)state;
    app_t *a = app_get();
    assert_null(app_run_command("add " NO_DE LONG DO "1"));
    rt_settle();
    uint16_t slot = rt_slot(NO_DE LONG DO "1");
    assert_int_not_equal(slot, RING_NONE);
    ring_node_t *nd = &a->panes[0].sim.ring.nodes[slot];
    assert_int_equal(nd->id_len, 10);

    /* The label's width is the fallback glyphs' width. */
    float w = font_width(&a->font, FONT_BODY, nd->id, nd->id_len);
    assert_true(w > font_width(&a->font, FONT_BODY, "???1", 4) + 10);

    /* The same frame with the id swapped for "???1" in place (same ring,
     * same slot): only the id's text differs, and the katakana carry
     * clearly more ink than the boxes. */
    const uint8_t *f = rt_frame();
    size_t n = (size_t)a->fb_w * a->fb_h * 4;
    uint8_t *with = malloc(n);
    assert_non_null(with);
    memcpy(with, f, n);
    char saved[sizeof nd->id];
    memcpy(saved, nd->id, sizeof saved);
    uint32_t saved_len = nd->id_len;
    /* A node's colour is a function of its id: the stand-in must have the
     * same one, or the label's colour would differ too: boxes and marks
     * of little ink with the katakana's colour. */
    static const char faint[] = "?.,:;'`-";
    char stand_in[8] = "???1";
    for (int k = 0; k < 8 * 8 * 8 && pal_index(stand_in, 4) != pal_index(saved, saved_len); k++)
        snprintf(stand_in, sizeof stand_in, "%c%c%c1", faint[k / 64], faint[k / 8 % 8], faint[k % 8]);
    assert_int_equal(pal_index(stand_in, 4), pal_index(saved, saved_len));
    memcpy(nd->id, stand_in, 5);
    nd->id_len = 4;
    a->view_dirty = 1;
    f = rt_frame();
    long diff = 0, more = 0;
    for (size_t i = 0; i < n; i += 4) {
        int lw = with[i] + with[i + 1] + with[i + 2], lq = f[i] + f[i + 1] + f[i + 2];
        diff += lw != lq;
        more += lw - lq;
    }
    memcpy(nd->id, saved, sizeof saved);
    nd->id_len = saved_len;
    a->view_dirty = 1;
    free(with);
    print_message("pixels differing %ld, brightness gained %ld\n", diff, more);
    assert_true(diff > 100);
    assert_true(more > 5000);
    assert_null(app_run_command("remove " NO_DE LONG DO "1"));
    rt_settle();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fallback_glyphs_are_measured_as_drawn),
        cmocka_unit_test(elision_is_exact_with_fallback),
        cmocka_unit_test(cjk_text_draws_real_glyphs_on_the_baseline),
        cmocka_unit_test(cjk_node_label_is_drawn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
