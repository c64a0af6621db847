#include "num.h"

#include <stdio.h>
#include <string.h>

void num_int(uint64_t n, char *out, size_t size)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    char t[32];
    size_t k = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            t[k++] = ',';
        t[k++] = digits[i];
    }
    t[k] = '\0';
    snprintf(out, size, "%s", t);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_word(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* A byte that makes a following number part of something else: a word, a
 * decimal, a list, a file name, an address ("vec_000042", "x.12345",
 * "ringscope-20240101", "127.0.0.1:11211"). */
static int joins_before(char c)
{
    return is_word(c) || c == '.' || c == ',' || c == '#' || c == '-' || c == '/' || c == ':';
}

/* The same after the number; a '.' or ',' only when more of the word
 * follows ("1234.5", "120000.png"; "6000." ends a sentence). */
static int joins_after(const char *s, size_t j, size_t n)
{
    char c = s[j];
    if (is_word(c) || c == '-' || c == '/' || c == ':')
        return 1;
    return (c == '.' || c == ',') && j + 1 < n && is_word(s[j + 1]);
}

void num_group(char *s, size_t size)
{
    if (!size)
        return;
    char out[1024];
    size_t o = 0, n = strlen(s);
    for (size_t i = 0; i < n && o + 1 < sizeof out;) {
        size_t j = i;
        while (j < n && is_digit(s[j]))
            j++;
        int whole = j > i && (i == 0 || !joins_before(s[i - 1])) && (j == n || !joins_after(s, j, n));
        if (whole && j - i >= 4 && j - i <= 20) {
            for (size_t k = i; k < j && o + 2 < sizeof out; k++) {
                if (k > i && (j - k) % 3 == 0)
                    out[o++] = ',';
                out[o++] = s[k];
            }
            i = j;
        } else if (j > i) {
            while (i < j && o + 1 < sizeof out)
                out[o++] = s[i++];
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    snprintf(s, size, "%s", out);
}
