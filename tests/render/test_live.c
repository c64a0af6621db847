/* Live recording (F9 / the Record button): a real-time video of what is on
 * screen, without the REC badge that the screen itself shows. Runs without
 * ffmpeg on PATH so the output is .y4m, which this test can read itself. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live.h"
#include "rt.h"
#include "shot.h"

#include <sys/stat.h>

#define W 640
#define H 360

static char dir[] = "/tmp/ringscope-live-XXXXXX";
static char old_cwd[4096];

static int setup(void **state)
{
    (void)state;
    if (!getcwd(old_cwd, sizeof old_cwd) || !mkdtemp(dir) || chdir(dir) != 0)
        return -1;
    return rt_start(W, H, 0);
}

static int teardown(void **state)
{
    (void)state;
    rt_stop();
    return chdir(old_cwd);
}

/* Counts pixels of the badge's red in the top-centre band of an RGBA frame. */
static int badge_pixels_rgba(const uint8_t *px)
{
    int n = 0;
    for (int y = 0; y < 48; y++)
        for (int x = W / 2 - 80; x < W / 2 + 80; x++) {
            const uint8_t *p = px + ((size_t)y * W + (size_t)x) * 4;
            n += p[0] > 200 && p[1] < 110 && p[2] < 120;
        }
    return n;
}

/* Stopping hands the file to the writer thread; frames go on until the
 * outcome is reported (bounded: the ctest timeout catches a hang). */
static void wait_finished(void)
{
    while (live_finishing())
        rt_frame();
}

/* The name of the recording in the current folder ("" if none). */
static void recording_name(char *name, size_t size)
{
    DIR *d = opendir(".");
    assert_non_null(d);
    name[0] = '\0';
    for (struct dirent *e; (e = readdir(d));)
        if (strncmp(e->d_name, "ringscope-", 10) == 0)
            snprintf(name, size, "%s", e->d_name);
    closedir(d);
}

static void records_the_screen_without_the_badge(void **state)
{
    (void)state;
    const char *path = getenv("PATH");
    char *saved = strdup(path ? path : "");
    setenv("PATH", "", 1); /* no ffmpeg: .y4m */
    rt_key(SDLK_F9, 0);
    Uint32 t_start = SDL_GetTicks();
    setenv("PATH", saved, 1);
    free(saved);
    assert_true(live_active());
    assert_non_null(live_indicator());

    /* About 1.2 s of real time with the ring animating. */
    rt_click_widget(APP_W_ADD);
    int badge_seen = 0;
    for (int i = 0; i < 40; i++) {
        app_advance(1.0 / 30.0);
        badge_seen += badge_pixels_rgba(rt_frame()) > 20;
        SDL_Delay(30);
    }
    assert_true(badge_seen > 30); /* the screen shows the badge... */
    rt_click_widget(APP_W_RECORD); /* stop by mouse */
    double elapsed = (SDL_GetTicks() - t_start) / 1000.0;
    assert_false(live_active());
    wait_finished();
    assert_non_null(strstr(app_get()->toast, "Saved ringscope-"));

    char name[256];
    recording_name(name, sizeof name);
    assert_non_null(strstr(name, ".y4m"));
    FILE *f = fopen(name, "rb");
    assert_non_null(f);
    char header[128];
    assert_non_null(fgets(header, sizeof header, f));
    assert_int_equal(strncmp(header, "YUV4MPEG2 W640 H360 F30:1", 25), 0);
    size_t frame = 6 + (size_t)W * H * 3 / 2;
    uint8_t *buf = malloc(frame);
    assert_non_null(buf);
    int frames = 0, badge_in_video = 0;
    while (fread(buf, 1, frame, f) == frame) {
        assert_memory_equal(buf, "FRAME\n", 6);
        /* ...the video does not: the badge's red would lift Cr far above
         * anything else in that band. */
        const uint8_t *cr = buf + 6 + (size_t)W * H + (size_t)(W / 2) * (H / 2);
        for (int y = 0; y < 24; y++)
            for (int x = W / 4 - 40; x < W / 4 + 40; x++)
                badge_in_video += cr[y * (W / 2) + x] > 190;
        frames++;
    }
    free(buf);
    fclose(f);
    assert_int_equal(remove(name), 0);
    /* Real time at 30 fps: the video lasts as long as the recording did
     * (about 1.2 s, longer on a loaded machine), whatever the draw rate. */
    print_message("%d frames recorded in %.2f s\n", frames, elapsed);
    assert_true(frames >= 0.4 * 30 * elapsed && frames <= 1.2 * 30 * elapsed + 3);
    assert_int_equal(badge_in_video, 0);
}

static void f9_twice_quickly_and_shutdown_are_safe(void **state)
{
    (void)state;
    rt_key(SDLK_F9, 0);
    rt_frame();
    rt_key(SDLK_F9, 0);
    assert_false(live_active());
    wait_finished();
    /* Whatever was made (maybe a very short clip) is a whole file. */
    DIR *d = opendir(".");
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        assert_null(strstr(e->d_name, ".tmp"));
        if (strncmp(e->d_name, "ringscope-", 10) == 0)
            remove(e->d_name);
    }
    closedir(d);
    /* Quitting while recording finishes the file. */
    rt_key(SDLK_F9, 0);
    rt_frame();
    assert_true(live_active());
}

/* --rec-fps: the output runs at the chosen rate in real time. */
static void records_at_the_chosen_frame_rate(void **state)
{
    (void)state;
    const char *path = getenv("PATH");
    char *saved = strdup(path ? path : "");
    setenv("PATH", "", 1);
    live_set_fps(10);
    rt_key(SDLK_F9, 0);
    Uint32 t_start = SDL_GetTicks();
    setenv("PATH", saved, 1);
    free(saved);
    assert_true(live_active());
    for (int i = 0; i < 40; i++) { /* about 1.2 s */
        rt_frame();
        SDL_Delay(30);
    }
    rt_key(SDLK_F9, 0);
    double elapsed = (SDL_GetTicks() - t_start) / 1000.0;
    wait_finished();
    live_set_fps(LIVE_FPS);
    assert_non_null(strstr(app_get()->toast, "Saved ringscope-"));
    char name[256];
    recording_name(name, sizeof name);
    FILE *f = fopen(name, "rb");
    assert_non_null(f);
    char header[128];
    assert_non_null(fgets(header, sizeof header, f));
    assert_int_equal(strncmp(header, "YUV4MPEG2 W640 H360 F10:1", 25), 0);
    fseek(f, 0, SEEK_END);
    long frames = (ftell(f) - (long)strlen(header)) / (long)(6 + (size_t)W * H * 3 / 2);
    fclose(f);
    assert_int_equal(remove(name), 0);
    print_message("%ld frames at 10 fps in %.2f s\n", frames, elapsed);
    assert_true(frames >= 0.4 * 10 * elapsed && frames <= 1.2 * 10 * elapsed + 2);
}

/* An encoder that stops reading must not freeze the window: stopping
 * returns at once, and after the finish timeout the encoder is killed, the
 * user told, and nothing left behind. */
static void a_stuck_encoder_does_not_freeze_the_window(void **state)
{
    (void)state;
    char bin[600], exe[700];
    snprintf(bin, sizeof bin, "%s/bin", dir);
    snprintf(exe, sizeof exe, "%s/ffmpeg", bin);
    assert_int_equal(mkdir(bin, 0755), 0);
    FILE *f = fopen(exe, "w");
    assert_non_null(f);
    fputs("#!/bin/sh\nexec /bin/sleep 600\n", f);
    fclose(f);
    assert_int_equal(chmod(exe, 0755), 0);
    const char *path = getenv("PATH");
    char *saved = strdup(path ? path : "");
    setenv("PATH", bin, 1);
    live_set_finish_timeout(0.3);
    rt_key(SDLK_F9, 0);
    setenv("PATH", saved, 1);
    free(saved);
    assert_true(live_active());
    for (int i = 0; i < 10; i++) { /* more than a pipe's worth of frames */
        rt_frame();
        SDL_Delay(40);
    }
    rt_key(SDLK_F9, 0); /* returns although the encoder never reads */
    assert_false(live_active());
    assert_true(live_finishing());
    wait_finished();
    live_set_finish_timeout(5.0);
    print_message("%s\n", app_get()->toast);
    assert_non_null(strstr(app_get()->toast, "did not finish"));
    DIR *d = opendir(".");
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        assert_null(strstr(e->d_name, ".tmp"));
        assert_null(strstr(e->d_name, "ringscope-"));
    }
    closedir(d);
    assert_int_equal(remove(exe), 0);
    assert_int_equal(rmdir(bin), 0);
}

/* A folder that cannot be written (here: the current folder was deleted,
 * which stops root too): F9 and S say why on screen, nothing crashes. */
static void an_unwritable_folder_is_a_message(void **state)
{
    (void)state;
    char gone[700];
    snprintf(gone, sizeof gone, "%s/gone", dir);
    assert_int_equal(mkdir(gone, 0755), 0);
    assert_int_equal(chdir(gone), 0);
    assert_int_equal(rmdir(gone), 0);
    const char *path = getenv("PATH");
    char *saved = strdup(path ? path : "");
    setenv("PATH", "", 1); /* .y4m: the path that crashed */
    rt_key(SDLK_F9, 0);
    setenv("PATH", saved, 1);
    free(saved);
    assert_false(live_active());
    print_message("%s\n", app_get()->toast);
    assert_non_null(strstr(app_get()->toast, "Cannot record: cannot write ringscope-"));
    assert_non_null(strstr(app_get()->toast, "No such file or directory"));
    rt_key(SDLK_s, 0);
    rt_frame();
    print_message("%s\n", app_get()->toast);
    assert_non_null(strstr(app_get()->toast, "Screenshot failed: cannot write ringscope-"));
    assert_int_equal(chdir(dir), 0);
}

/* Two screenshots in one second: two files, never one overwritten. */
static void screenshots_in_one_second_do_not_collide(void **state)
{
    (void)state;
    char a[64], b[64];
    shot_timestamped_name(a, sizeof a, ".png");
    FILE *f = fopen(a, "w");
    assert_non_null(f);
    fclose(f);
    shot_timestamped_name(b, sizeof b, ".png");
    assert_string_not_equal(a, b);
    assert_int_equal(access(b, F_OK), -1);
    assert_int_equal(remove(a), 0);
    rt_key(SDLK_s, 0);
    rt_frame();
    rt_key(SDLK_s, 0);
    rt_frame();
    int shots = 0;
    DIR *d = opendir(".");
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));)
        if (strncmp(e->d_name, "ringscope-", 10) == 0 && strstr(e->d_name, ".png")) {
            shots++;
            remove(e->d_name);
        }
    closedir(d);
    assert_int_equal(shots, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_the_screen_without_the_badge),
        cmocka_unit_test(records_at_the_chosen_frame_rate),
        cmocka_unit_test(a_stuck_encoder_does_not_freeze_the_window),
        cmocka_unit_test(an_unwritable_folder_is_a_message),
        cmocka_unit_test(screenshots_in_one_second_do_not_collide),
        cmocka_unit_test(f9_twice_quickly_and_shutdown_are_safe),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    /* teardown's app_shutdown finished the last recording: exactly one file. */
    int files = 0;
    DIR *d = opendir(dir);
    if (d) {
        for (struct dirent *e; (e = readdir(d));)
            if (strncmp(e->d_name, "ringscope-", 10) == 0) {
                files++;
                char p[512];
                snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
                remove(p);
            }
        closedir(d);
    }
    rmdir(dir);
    if (files != 1) {
        fprintf(stderr, "expected the recording running at exit to be saved (files: %d)\n", files);
        return 1;
    }
    return rc;
}
