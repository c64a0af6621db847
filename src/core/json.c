#include "json.h"

#include "utf8.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where escaped text goes: a buffer or a stream. */
typedef void (*json_put_fn)(void *to, const char *s, size_t n);

static int json_grow(json_t *j, size_t extra)
{
    if (j->oom)
        return -1;
    size_t need = j->len + extra + 1;
    if (need <= j->cap)
        return 0;
    size_t cap = j->cap ? j->cap : 4096;
    while (cap < need)
        cap *= 2;
    char *b = realloc(j->buf, cap);
    if (!b) {
        j->oom = 1;
        return -1;
    }
    j->buf = b;
    j->cap = cap;
    return 0;
}

static void json_put_buf(void *to, const char *s, size_t n)
{
    json_t *j = to;
    if (json_grow(j, n) != 0)
        return;
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void json_put_file(void *to, const char *s, size_t n)
{
    fwrite(s, 1, n, (FILE *)to);
}

/* Escapes len bytes at s in runs: plain bytes go out together, each
 * special one alone. A byte that starts no valid UTF-8 sequence becomes
 * \udcXX (XX the byte, as Python's surrogateescape reads it back): the
 * text stays valid JSON, and different bad bytes stay different. */
static void json_escape(json_put_fn put, void *to, const char *s, size_t len)
{
    put(to, "\"", 1);
    const unsigned char *u = (const unsigned char *)s;
    size_t run = 0, i = 0;
    while (i < len) {
        size_t step = 1;
        int special = u[i] == '"' || u[i] == '\\' || u[i] < 0x20;
        if (u[i] >= 0x80) {
            uint32_t cp;
            step = utf8_decode(u + i, len - i, &cp);
            special = step == 0;
            step = step ? step : 1;
        }
        if (!special) {
            i += step;
            continue;
        }
        put(to, s + run, i - run);
        char esc[8];
        if (u[i] == '"' || u[i] == '\\') {
            esc[0] = '\\';
            esc[1] = (char)u[i];
            put(to, esc, 2);
        } else {
            snprintf(esc, sizeof esc, u[i] < 0x80 ? "\\u%04x" : "\\udc%02x", u[i]);
            put(to, esc, 6);
        }
        run = ++i;
    }
    put(to, s + run, len - run);
    put(to, "\"", 1);
}

static void json_num_text(char *out, size_t size, double v)
{
    if (isnan(v) || isinf(v))
        snprintf(out, size, "null");
    else
        snprintf(out, size, "%.17g", v);
}

void json_reset(json_t *j)
{
    j->len = 0;
    j->oom = 0;
    if (j->buf)
        j->buf[0] = '\0';
}

void json_free(json_t *j)
{
    free(j->buf);
    memset(j, 0, sizeof *j);
}

const char *json_text(const json_t *j)
{
    return j->buf ? j->buf : "";
}

void json_raw(json_t *j, const char *s)
{
    json_put_buf(j, s, strlen(s));
}

void json_printf(json_t *j, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || json_grow(j, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(j->buf + j->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    j->len += (size_t)n;
}

void json_str(json_t *j, const char *s)
{
    json_escape(json_put_buf, j, s, strlen(s));
}

void json_strn(json_t *j, const char *s, size_t len)
{
    json_escape(json_put_buf, j, s, len);
}

void json_num(json_t *j, double v)
{
    char t[32];
    json_num_text(t, sizeof t, v);
    json_raw(j, t);
}

void json_fstr(FILE *f, const char *s)
{
    json_escape(json_put_file, f, s, strlen(s));
}

void json_fnum(FILE *f, double v)
{
    char t[32];
    json_num_text(t, sizeof t, v);
    fputs(t, f);
}
