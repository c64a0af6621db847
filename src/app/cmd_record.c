/* ringscope record: renders a scenario headless and writes the final frame.
 * Still images only for now; rec.h's frame sink is where video writers go. */
#include "app.h"
#include "app_main.h"
#include "cmd.h"
#include "opts.h"
#include "rec.h"
#include "shot.h"

#include <stdio.h>
#include <string.h>

static void record_usage(void)
{
    printf("usage: ringscope record --out FILE.png [options]\n"
           "\n"
           "Renders a scenario headless (no display needed) and writes the final\n"
           "frame, after every animation has settled, as a PNG.\n"
           "\n"
           "  --out FILE.png     output image\n"
           "  --size WxH         frame size (default 1280x720)\n"
           "  --fps N            timeline steps per second (default 60)\n"
           "  --duration S       stop the timeline at S seconds (default: when settled)\n"
           "  --nodes a,b,c      initial nodes (default nodeA..nodeE; \"\" for none)\n"
           "  --vnodes N         virtual nodes per node (default 80)\n"
           "  --vectors N        embeddings (default 6000)\n"
           "  --dim N            embedding dimension (default 256)\n"
           "  --seed N           seed of the embedding vectors (default 42)\n"
           "  --script FILE      scenario (add ID, remove ID, vnodes N, vectors N, wait S)\n"
           "  --do \"CMD\"         one more command, after the script (repeatable)\n"
           "\n"
           "Exit status: 0 ok, 2 bad arguments or script, 1 other failure.\n");
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char c = s[n - k + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return 0;
    }
    return 1;
}

static int png_sink(void *user, const rec_frame_t *f, char *err, size_t err_size)
{
    if (!f->final)
        return 0;
    return shot_write_png((const char *)user, f->width, f->height, f->rgba, err, err_size);
}

int cmd_record(int argc, char **argv)
{
    opts_t o;
    char err[1024];
    if (opts_parse(argc, argv, 2, OPTS_RECORD, &o, err, sizeof err) != 0) {
        cmd_error("%s", err);
        return CMD_USAGE;
    }
    if (o.help) {
        record_usage();
        opts_free(&o);
        return CMD_OK;
    }
    if (!ends_with(o.out, ".png")) {
        cmd_error("--out %s: only .png output is supported by this build (a single still frame)", o.out);
        opts_free(&o);
        return CMD_USAGE;
    }
    scn_script_t script;
    if (opts_scenario(&o, &script, err, sizeof err) != 0) {
        cmd_error("%s", err);
        opts_free(&o);
        return CMD_USAGE;
    }
    /* Headless: SDL's offscreen driver gives a real GLES context through
     * EGL without any display. A driver the user chose is respected. */
    if (!SDL_getenv("SDL_VIDEODRIVER"))
        SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
    app_desc_t desc = {.width = (int)o.width, .height = (int)o.height, .headless = 1, .title = "Ringscope"};
    opts_sim_config(&o, &desc.sim);
    int rc = CMD_OK;
    if (app_init(&desc, err, sizeof err) != 0) {
        cmd_error("%s", err);
        rc = CMD_FAIL;
        goto out;
    }
    rec_desc_t rd = {.fps = o.fps, .duration = o.duration, .source = o.script, .sink = png_sink,
                     .user = (void *)o.out};
    if (rec_run(&script, &rd, err, sizeof err) != 0) {
        cmd_error("%s", err);
        rc = CMD_FAIL;
    }
    app_shutdown();
out:
    scn_free(&script);
    opts_free(&o);
    return rc;
}
