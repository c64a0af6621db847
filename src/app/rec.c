#include "rec.h"

#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REC_SETTLE_LIMIT 60.0 /* seconds: a safety stop, never reached normally */
#define REC_ANIMATION 1.6     /* seconds a change takes to settle, for estimates */

typedef struct rec_state {
    const rec_desc_t *d;
    uint8_t *px;
    uint64_t index;
    double t;
    int done;
} rec_state_t;

static int emit(rec_state_t *r, int final, char *err, size_t err_size)
{
    app_t *a = app_get();
    app_render();
    app_read_pixels(r->px);
    rec_frame_t f = {r->px, a->fb_w, a->fb_h, r->index++, r->t, final};
    return r->d->sink(r->d->user, &f, err, err_size);
}

/* One frame of the timeline: frame k shows time k/fps. A video sink gets
 * the picture of the current time, then time moves on; a still sink only
 * moves time. A --duration of D seconds therefore gives D*fps frames. */
static int step(rec_state_t *r, char *err, size_t err_size)
{
    if (r->d->stop && *r->d->stop) {
        snprintf(err, err_size, "interrupted");
        return -1;
    }
    if (r->d->duration > 0 && r->t + 0.5 / r->d->fps >= r->d->duration) {
        r->done = 1;
        return 0;
    }
    int last = r->d->duration > 0 && r->t + 1.5 / r->d->fps >= r->d->duration;
    if (r->d->every_frame && emit(r, last, err, err_size) != 0)
        return -1;
    app_advance(1.0 / r->d->fps);
    r->t += 1.0 / r->d->fps;
    return 0;
}

static int advance(rec_state_t *r, double seconds, char *err, size_t err_size)
{
    double end = r->t + seconds;
    while (!r->done && r->t + 0.5 / r->d->fps < end)
        if (step(r, err, err_size) != 0)
            return -1;
    return 0;
}

static int settle(rec_state_t *r, char *err, size_t err_size)
{
    double limit = r->t + REC_SETTLE_LIMIT;
    while (!r->done && !app_settled() && r->t < limit)
        if (step(r, err, err_size) != 0)
            return -1;
    return 0;
}

double rec_estimate(const scn_script_t *script, const rec_desc_t *d)
{
    if (d->duration > 0)
        return d->duration;
    /* Commands start at their time; their animation lasts about
     * REC_ANIMATION seconds; waits move the clock. */
    double t = d->lead_in, end = t;
    for (size_t i = 0; i < script->count; i++) {
        if (script->cmds[i].op == SCN_WAIT)
            t += script->cmds[i].seconds;
        else if (script->cmds[i].op == SCN_TITLE)
            t += SCN_TITLE_SECONDS;
        else if (t + REC_ANIMATION > end)
            end = t + REC_ANIMATION;
    }
    return (t > end ? t : end) + d->hold;
}

int rec_run(const scn_script_t *script, const rec_desc_t *d, char *err, size_t err_size)
{
    app_t *a = app_get();
    rec_state_t r = {d, NULL, 0, 0, 0};
    r.px = malloc((size_t)a->fb_w * (size_t)a->fb_h * 4);
    if (!r.px) {
        snprintf(err, err_size, "out of memory for a %dx%d frame", a->fb_w, a->fb_h);
        return -1;
    }
    int rc = -1;
    if (advance(&r, d->lead_in, err, err_size) != 0)
        goto done;
    for (size_t i = 0; i < script->count && !r.done; i++) {
        const scn_cmd_t *c = &script->cmds[i];
        if (d->stop && *d->stop) {
            snprintf(err, err_size, "interrupted");
            goto done;
        }
        if (c->op == SCN_WAIT) {
            if (advance(&r, c->seconds, err, err_size) != 0)
                goto done;
            continue;
        }
        const char *msg = app_apply(c);
        if (msg) {
            if (c->line && d->source)
                snprintf(err, err_size, "%s:%u: %s", d->source, c->line, msg);
            else
                snprintf(err, err_size, "%s %s: %s", scn_op_name(c->op), c->node, msg);
            goto done;
        }
        /* A title card holds the timeline, as it holds a playing script. */
        if (c->op == SCN_TITLE && advance(&r, SCN_TITLE_SECONDS, err, err_size) != 0)
            goto done;
    }
    if (d->duration > 0) {
        if (advance(&r, d->duration - r.t, err, err_size) != 0)
            goto done;
        /* A video already has every frame up to D; a still gets time D. */
        rc = d->every_frame ? 0 : emit(&r, 1, err, err_size);
    } else {
        if (settle(&r, err, err_size) != 0 || advance(&r, d->hold, err, err_size) != 0)
            goto done;
        rc = emit(&r, 1, err, err_size);
    }
done:
    free(r.px);
    return rc;
}
