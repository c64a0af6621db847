#include "pal.h"

#include <math.h>

static const uint8_t fixed[PAL_FIXED][3] = {
    {0x4d, 0xa3, 0xff}, /* azure */
    {0xff, 0x8a, 0x3d}, /* orange */
    {0x3d, 0xdc, 0x97}, /* mint */
    {0xff, 0x5c, 0x8a}, /* rose */
    {0xb3, 0x88, 0xff}, /* violet */
    {0xf5, 0xd0, 0x3b}, /* gold */
    {0x2e, 0xd3, 0xe6}, /* cyan */
    {0xa4, 0xe0, 0x4a}, /* lime */
    {0xff, 0x7a, 0xe0}, /* pink */
    {0xe0, 0x6b, 0x4a}, /* brick */
    {0x7a, 0x9c, 0xff}, /* periwinkle */
    {0xd9, 0xc8, 0xa0}, /* sand */
};

static float hue_channel(float p, float q, float t)
{
    if (t < 0.0f)
        t += 1.0f;
    if (t > 1.0f)
        t -= 1.0f;
    if (t < 1.0f / 6.0f)
        return p + (q - p) * 6.0f * t;
    if (t < 0.5f)
        return q;
    if (t < 2.0f / 3.0f)
        return p + (q - p) * (2.0f / 3.0f - t) * 6.0f;
    return p;
}

void pal_color8(uint64_t seq, uint8_t out[3])
{
    if (seq < PAL_FIXED) {
        out[0] = fixed[seq][0];
        out[1] = fixed[seq][1];
        out[2] = fixed[seq][2];
        return;
    }
    /* Golden-angle hues never repeat; three lightness/saturation bands keep
     * neighbours in the sequence apart even when hues come close. */
    uint64_t k = seq - PAL_FIXED;
    float h = (float)fmod(0.13 + (double)k * 0.6180339887498949, 1.0);
    float l = (k % 3 == 0) ? 0.62f : (k % 3 == 1) ? 0.72f : 0.54f;
    float s = (k % 2 == 0) ? 0.85f : 0.65f;
    float q = l < 0.5f ? l * (1.0f + s) : l + s - l * s;
    float p = 2.0f * l - q;
    float rgb[3] = {hue_channel(p, q, h + 1.0f / 3.0f), hue_channel(p, q, h), hue_channel(p, q, h - 1.0f / 3.0f)};
    for (int i = 0; i < 3; i++)
        out[i] = (uint8_t)lrintf(fminf(fmaxf(rgb[i], 0.0f), 1.0f) * 255.0f);
}

pal_rgb_t pal_color(uint64_t seq)
{
    uint8_t c[3];
    pal_color8(seq, c);
    return (pal_rgb_t){c[0] / 255.0f, c[1] / 255.0f, c[2] / 255.0f};
}
