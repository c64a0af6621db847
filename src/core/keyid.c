#include "keyid.h"

#include <string.h>

size_t keyid_text(uint64_t index, char *buf)
{
    /* Hand-rolled "%06llu": this runs once per embedding on the hot path. */
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + index % 10);
        index /= 10;
    } while (index > 0);
    while (n < 6)
        digits[n++] = '0';
    memcpy(buf, "key:vec_", 8);
    for (size_t i = 0; i < n; i++)
        buf[8 + i] = digits[n - 1 - i];
    buf[8 + n] = '\0';
    return 8 + n;
}

int keyid_number(const char *id, size_t len, uint64_t *index)
{
    if (len < 4 || memcmp(id, "vec_", 4) != 0 || len > 4 + 13)
        return -1;
    uint64_t v = 0;
    for (size_t i = 4; i < len; i++) {
        if (id[i] < '0' || id[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(id[i] - '0');
    }
    /* Only the canonical spelling names an embedding. */
    char canon[32];
    size_t n = keyid_text(v, canon) - KEYID_PREFIX_LEN;
    if (n != len || memcmp(canon + KEYID_PREFIX_LEN, id, len) != 0)
        return -1;
    *index = v;
    return 0;
}

int64_t keyid_index(const char *id, size_t len, uint64_t count)
{
    uint64_t v;
    return keyid_number(id, len, &v) == 0 && v < count ? (int64_t)v : -1;
}

void keyid_block_set(keyid_block_t *k, uint64_t index, int prefixed, int big_endian)
{
    char text[32];
    size_t len = keyid_text(index, text), skip = prefixed ? 0 : KEYID_PREFIX_LEN;
    k->len = len - skip;
    k->prefixed = prefixed;
    k->big_endian = big_endian;
    memset(k->b, 0, sizeof k->b);
    memcpy(k->b, text + skip, k->len);
    k->b[k->len] = 0x80;
    uint64_t bits = (uint64_t)k->len * 8;
    for (int i = 0; i < 8; i++)
        k->b[big_endian ? 63 - i : 56 + i] = (uint8_t)(bits >> (8 * i));
}
