#include "nodeid.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The characters Python's str.isspace() accepts. */
static int is_py_space(uint32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

static int is_control(uint32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

void nodeid_quote(const char *in, size_t len, char *out, size_t out_size)
{
    size_t o = 0;
    if (out_size == 0)
        return;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)in[i];
        char tmp[8];
        int w;
        if (ch >= 0x20 && ch < 0x7F && ch != '\\')
            w = snprintf(tmp, sizeof tmp, "%c", ch);
        else if (ch == '\\')
            w = snprintf(tmp, sizeof tmp, "\\\\");
        else if (ch >= 0x80) {
            /* Keep valid multi-byte UTF-8 readable. */
            uint32_t cp;
            size_t n = utf8_decode((const uint8_t *)in + i, len - i, &cp);
            if (n > 1 && !is_control(cp)) {
                if (o + n + 4 >= out_size)
                    goto truncated;
                memcpy(out + o, in + i, n);
                o += n;
                i += n - 1;
                continue;
            }
            w = snprintf(tmp, sizeof tmp, "\\x%02X", ch);
        } else
            w = snprintf(tmp, sizeof tmp, "\\x%02X", ch);
        if (o + (size_t)w + 4 >= out_size)
            goto truncated;
        memcpy(out + o, tmp, (size_t)w);
        o += (size_t)w;
    }
    out[o] = '\0';
    return;
truncated:
    /* Room for "..." and the NUL, unless the buffer is tiny. */
    if (o + 4 <= out_size) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

int nodeid_normalize_as(const char *in, size_t len, const char *what, char *out, size_t *out_len, char *err,
                        size_t err_size)
{
    const unsigned char *p = (const unsigned char *)in;
    char quoted[96];
    /* Validate everything first so trimming never runs over broken UTF-8. */
    size_t i = 0, start = len, end = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            nodeid_quote(in, len, quoted, sizeof quoted);
            snprintf(err, err_size, "%s \"%s\" is not valid UTF-8 (byte %zu)", what, quoted, i + 1);
            return -1;
        }
        if (!is_py_space(cp)) {
            if (is_control(cp)) {
                nodeid_quote(in, len, quoted, sizeof quoted);
                snprintf(err, err_size, "%s \"%s\" contains a control character (U+%04X)", what, quoted,
                         (unsigned)cp);
                return -1;
            }
            if (start == len)
                start = i;
            end = i + n;
        }
        i += n;
    }
    if (start == len) {
        snprintf(err, err_size, "%s is empty (after trimming white space)", what);
        return -1;
    }
    /* Inner white space stays, but inner control characters are refused. */
    for (size_t j = start; j < end;) {
        uint32_t cp;
        size_t n = utf8_decode(p + j, end - j, &cp);
        if (is_control(cp)) {
            nodeid_quote(in, len, quoted, sizeof quoted);
            snprintf(err, err_size, "%s \"%s\" contains a control character (U+%04X)", what, quoted,
                     (unsigned)cp);
            return -1;
        }
        j += n;
    }
    size_t n = end - start;
    if (n > NODEID_MAX) {
        nodeid_quote(in + start, n, quoted, sizeof quoted);
        snprintf(err, err_size, "%s \"%s\" is %zu bytes long; the limit is %d bytes", what, quoted, n,
                 NODEID_MAX);
        return -1;
    }
    memcpy(out, in + start, n);
    out[n] = '\0';
    *out_len = n;
    return 0;
}

int nodeid_normalize(const char *in, size_t len, char *out, size_t *out_len, char *err, size_t err_size)
{
    return nodeid_normalize_as(in, len, "node id", out, out_len, err, err_size);
}
