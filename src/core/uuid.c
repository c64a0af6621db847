#include "uuid.h"

#include "hash.h"

#include <string.h>

void uuid_from_id(const void *id, size_t len, uint8_t out[16])
{
    uint8_t d[32];
    hash_sha256(id, len, d);
    memcpy(out, d, 16);
    out[6] = (uint8_t)((out[6] & 0x0f) | 0x40); /* version 4 */
    out[8] = (uint8_t)((out[8] & 0x3f) | 0x80); /* variant RFC 4122 */
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* 32 hex digits, with hyphens exactly at 8, 13, 18 and 23 when hyphenated. */
static int parse_digits(const char *t, size_t len, uint8_t out[16])
{
    int hyphenated = len == UUID_TEXT_LEN;
    if (!hyphenated && len != 32)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (hyphenated && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (t[i] != '-')
                return -1;
            continue;
        }
        int v = hex_value(t[i]);
        if (v < 0)
            return -1;
        if (n % 2 == 0)
            out[n / 2] = (uint8_t)(v << 4);
        else
            out[n / 2] |= (uint8_t)v;
        n++;
    }
    return 0;
}

int uuid_parse(const char *text, size_t len, uint8_t out[16])
{
    static const char urn[] = "urn:uuid:";
    const size_t urn_len = sizeof urn - 1;
    if (len == UUID_TEXT_LEN + 2 && text[0] == '{' && text[len - 1] == '}')
        return parse_digits(text + 1, UUID_TEXT_LEN, out);
    if (len == urn_len + UUID_TEXT_LEN)
        return memcmp(text, urn, urn_len) == 0 ? parse_digits(text + urn_len, UUID_TEXT_LEN, out) : -1;
    return parse_digits(text, len, out);
}

void uuid_format(const uint8_t u[16], char out[UUID_TEXT_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = digits[u[i] >> 4];
        out[o++] = digits[u[i] & 15];
    }
    out[o] = '\0';
}
