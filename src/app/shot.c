#include "shot.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#ifdef RINGSCOPE_HAVE_PNG
#include <png.h>

/* libpng reports errors by longjmp; the jump target must not see clobbered
 * locals, so everything that changes after setjmp is volatile or static. */
int shot_write_png(const char *path, int w, int h, const uint8_t *rgba, char *err, size_t err_size)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, NULL);
        fclose(f);
        remove(path);
        snprintf(err, err_size, "%s: out of memory", path);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        remove(path);
        snprintf(err, err_size, "%s: could not write the PNG", path);
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
    if (fclose(f) != 0) {
        remove(path);
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
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
        snprintf(err, err_size, "%s: the browser could not make a PNG", path);
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
    snprintf(err, err_size, "%s: PNG output is not available in this build", path);
    return -1;
}
#endif

void shot_timestamped_name(char *out, size_t out_size, const char *ext)
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
    snprintf(out, out_size, "ringscope-%s%s", stamp, ext);
}
