#!/usr/bin/env python3
"""Makes pal.c's node palette: PAL_SIZE colours where every run of n
consecutive entries (cyclically) is spread apart in OKLab, for any n.

Entry i is the candidate that maximises min_j dE(c, e_j) / T(gap(i, j)) over
the entries chosen before it, gap the cyclic distance in the table and
T(g) = (g + 1)^-0.34: the spacing n points can keep in a 3-D colour
volume shrinks like n^-1/3, so near entries must be further apart than far
ones. Candidates: the sRGB grid in steps of 8 with OKLab lightness
0.58..0.82 (bright on the dark background, well below the white of text
and flights, which dense additive clouds approach) and chroma 0.11..0.24
(a clear hue, not a pastel), kept more than 0.08 from the marks' own
colours (amber pulse, crash red, white). The first entry is the app's
azure. Run: python3 pal_gen.py > table.txt (about 10 s).
"""
import math

K, P, STEP = 64, 0.34, 8
SEED = (0x4D, 0xA3, 0xFF)
AVOID = [(0xE5, 0x48, 0x4D), (0xF5, 0xA5, 0x24), (0xFF, 0xFF, 0xFF)]


def oklab(rgb):
    def lin(c):
        c /= 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(x) for x in rgb)
    l = 0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b
    m = 0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b
    s = 0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b
    l, m, s = (math.copysign(abs(x) ** (1 / 3), x) for x in (l, m, s))
    return (0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
            1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
            0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s)


def main():
    avoid = [oklab(a) for a in AVOID]
    cands = []
    for r in range(0, 256, STEP):
        for g in range(0, 256, STEP):
            for b in range(0, 256, STEP):
                o = oklab((r, g, b))
                if 0.58 <= o[0] <= 0.82 and 0.11 <= math.hypot(o[1], o[2]) <= 0.24 and \
                        all(math.dist(o, a) > 0.08 for a in avoid):
                    cands.append(((r, g, b), o))
    chosen, lab = [SEED], [oklab(SEED)]
    for i in range(1, K):
        def score(o):
            return min(math.dist(o, lab[j]) * (min(i - j, K - (i - j)) + 1) ** P for j in range(i))
        best = max(cands, key=lambda c: score(c[1]))
        chosen.append(best[0])
        lab.append(best[1])
    for i in range(0, K, 4):
        print("    " + " ".join("{0x%02x, 0x%02x, 0x%02x}," % c for c in chosen[i:i + 4]))


if __name__ == "__main__":
    main()
