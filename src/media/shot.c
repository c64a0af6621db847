#define _POSIX_C_SOURCE 200809L

#include "shot.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#ifdef RINGSCOPE_HAVE_PNG
#include <png.h>

/* libpng reports errors through these instead of printing them: the
 * message (and the errno of a failed write) reaches the caller's err. */
typedef struct png_failure {
    char msg[128];
    int errno_at_fail;
} png_failure_t;

static void png_on_error(png_structp png, png_const_charp msg)
{
    png_failure_t *f = png_get_error_ptr(png);
    f->errno_at_fail = errno;
    snprintf(f->msg, sizeof f->msg, "%s", msg);
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* libpng reports errors by longjmp; the jump target must not see clobbered
 * locals, so everything that changes after setjmp is volatile or static. */
int shot_write_png(const char *path, int w, int h, const uint8_t *rgba, char *err, size_t err_size)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, err_size, "%s", strerror(errno));
        return -1;
    }
    /* Static (per thread): written from the error callback, read after the
     * longjmp, where an automatic variable's value would be unspecified. */
    static _Thread_local png_failure_t fail;
    fail.msg[0] = '\0';
    fail.errno_at_fail = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &fail, png_on_error, png_on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, NULL);
        fclose(f);
        remove(path);
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        remove(path);
        /* A failed write is libpng's "Write Error": say why instead. */
        if (fail.errno_at_fail && strstr(fail.msg, "Write Error"))
            snprintf(err, err_size, "%s", strerror(fail.errno_at_fail));
        else
            snprintf(err, err_size, "PNG encoder: %s", fail.msg);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 6);
    png_write_info(png, info);
    /* Drop alpha: the frame is opaque and RGB files are smaller. */
    png_set_filler(png, 0, PNG_FILLER_AFTER);
    for (int y = 0; y < h; y++)
        png_write_row(png, (png_const_bytep)(rgba + (size_t)y * (size_t)w * 4));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    if (fflush(f) != 0 || ferror(f)) {
        int e = errno;
        fclose(f);
        remove(path);
        snprintf(err, err_size, "%s", strerror(e));
        return -1;
    }
    if (fclose(f) != 0) {
        remove(path);
        snprintf(err, err_size, "%s", strerror(errno));
        return -1;
    }
    return 0;
}

#elif defined(__EMSCRIPTEN__)
#include <emscripten.h>

/* The browser has no files to keep: the frame becomes a PNG download named
 * after the file (RGBA top row first -> ImageData -> canvas.toBlob). */
EM_JS(int, shot_web_download, (const char *name, int w, int h, const uint8_t *rgba), {
    try {
        var c = document.createElement("canvas");
        c.width = w;
        c.height = h;
        var g = c.getContext("2d");
        var img = g.createImageData(w, h);
        img.data.set(HEAPU8.subarray(rgba, rgba + w * h * 4));
        for (var i = 3; i < img.data.length; i += 4) img.data[i] = 255;
        g.putImageData(img, 0, 0);
        var file = UTF8ToString(name);
        c.toBlob(function(blob) {
            if (!blob) { console.warn("Ringscope: the browser could not encode the screenshot"); return; }
            var url = URL.createObjectURL(blob);
            var a = document.createElement("a");
            a.href = url;
            a.download = file;
            document.body.appendChild(a);
            a.click();
            a.remove();
            setTimeout(function() { URL.revokeObjectURL(url); }, 60000);
        }, "image/png");
        return 0;
    } catch (e) {
        return -1;
    }
});

int shot_write_png(const char *path, int w, int h, const uint8_t *rgba, char *err, size_t err_size)
{
    if (shot_web_download(path, w, h, rgba) != 0) {
        (void)path;
        snprintf(err, err_size, "the browser could not make a PNG");
        return -1;
    }
    return 0;
}

#else
int shot_write_png(const char *path, int w, int h, const uint8_t *rgba, char *err, size_t err_size)
{
    (void)w;
    (void)h;
    (void)rgba;
    (void)path;
    snprintf(err, err_size, "PNG output is not available in this build");
    return -1;
}
#endif

void shot_timestamped_name(char *out, size_t out_size, const char *ext)
{
    shot_timestamped_name_as(out, out_size, "ringscope", ext);
}

void shot_timestamped_name_as(char *out, size_t out_size, const char *prefix, const char *ext)
{
    time_t t = time(NULL);
    struct tm tmv;
    struct tm *lt = localtime(&t);
    if (lt)
        tmv = *lt;
    else
        memset(&tmv, 0, sizeof tmv);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tmv);
    snprintf(out, out_size, "%s-%s%s", prefix, stamp, ext);
#ifndef __EMSCRIPTEN__
    /* Two saves within one second must not overwrite each other: the
     * second gets "-2", and so on. */
    struct stat sb;
    for (unsigned k = 2; lstat(out, &sb) == 0 && k < 100000; k++)
        snprintf(out, out_size, "%s-%s-%u%s", prefix, stamp, k, ext);
#endif
}

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

/* The browser has no files to keep: the text becomes a download. */
EM_JS(int, shot_web_text, (const char *name, const char *text, int len), {
    try {
        var blob = new Blob([HEAPU8.slice(text, text + len)], {type: "text/plain"});
        var url = URL.createObjectURL(blob);
        var a = document.createElement("a");
        a.href = url;
        a.download = UTF8ToString(name);
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function() { URL.revokeObjectURL(url); }, 60000);
        return 0;
    } catch (e) {
        return -1;
    }
});

int shot_write_text(const char *path, const char *text, size_t len, char *err, size_t err_size)
{
    if (shot_web_text(path, text, (int)len) != 0) {
        snprintf(err, err_size, "the browser could not offer the download");
        return -1;
    }
    return 0;
}
#else
int shot_write_text(const char *path, const char *text, size_t len, char *err, size_t err_size)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, err_size, "%s", strerror(errno));
        return -1;
    }
    int ok = fwrite(text, 1, len, f) == len;
    int saved = errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        saved = errno;
    }
    if (!ok) {
        snprintf(err, err_size, "%s", strerror(saved ? saved : EIO));
        remove(path);
        return -1;
    }
    return 0;
}
#endif
