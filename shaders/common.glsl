// Shared view math, prepended to every vertex/fragment shader after the
// #version line. Pixels are y-down from the top-left of the drawable.
//
// Deep zoom: a ring position is a 64-bit integer; a float angle would
// collapse neighbouring points. Positions arrive split as (hi, lo) turns,
// hi = top 24 bits (exact in a float), lo = the remaining 40 bits. Their
// difference from the view's reference position is then exact enough, and
// the screen position is built as an offset from the reference point, which
// the CPU places in double precision (see src/render/view.h).
precision highp float;
precision highp int;

uniform vec2 u_viewport;    // drawable size, pixels
uniform vec2 u_center_px;   // pixel of the view centre
uniform vec2 u_view_hi;     // world point at the view centre, split hi + lo
uniform vec2 u_view_lo;
uniform float u_scale;      // pixels per world unit (ring radius = 1)
uniform vec2 u_ref;         // reference ring position, (hi, lo) turns
uniform float u_ref_theta;  // its angle, radians clockwise from 12 o'clock
uniform vec2 u_ref_px;      // pixel of the ring point at u_ref
uniform float u_time;       // animation clock, seconds
uniform float u_dpi;        // pixels per layout unit (HiDPI)

const float TAU = 6.283185307179586;

vec2 world_to_px(vec2 w)
{
    return u_center_px + ((w - u_view_hi) - u_view_lo) * u_scale;
}

vec4 px_to_clip(vec2 px)
{
    vec2 n = px / u_viewport * 2.0 - 1.0;
    return vec4(n.x, -n.y, 0.0, 1.0);
}

// Turns from the reference to ring position p, in [-0.5, 0.5).
float ring_delta(vec2 p)
{
    float d = (p.x - u_ref.x) + (p.y - u_ref.y);
    return d - floor(d + 0.5);
}

// Pixel of ring position p on the circle of radius r (world units).
vec2 ring_px(vec2 p, float r)
{
    float d = TAU * ring_delta(p);
    float h = u_ref_theta + 0.5 * d;
    // (sin(t+d) - sin t, -(cos(t+d) - cos t)) = 2 sin(d/2) (cos(t+d/2), sin(t+d/2)):
    // no cancellation when d is tiny.
    vec2 off = 2.0 * sin(0.5 * d) * vec2(cos(h), sin(h));
    vec2 radial = vec2(sin(u_ref_theta), -cos(u_ref_theta));
    return u_ref_px + (off * r + radial * (r - 1.0)) * u_scale;
}

// Smooth in-out easing for flights and layout changes.
float ease_in_out(float t)
{
    t = clamp(t, 0.0, 1.0);
    return t < 0.5 ? 4.0 * t * t * t : 1.0 - pow(-2.0 * t + 2.0, 3.0) * 0.5;
}

// Node table: per slot two texels in a 128-wide RGBA32F texture:
// (old x, old y, new x, new y) and (r, g, b, alive).
uniform highp sampler2D u_nodes;
uniform float u_layout_t0;  // when the node layout started moving
uniform float u_layout_dur;

ivec2 node_texel(uint slot, int k)
{
    return ivec2(int(slot % 64u) * 2 + k, int(slot / 64u));
}

vec2 node_pos(uint slot)
{
    vec4 p = texelFetch(u_nodes, node_texel(slot, 0), 0);
    return mix(p.xy, p.zw, ease_in_out((u_time - u_layout_t0) / u_layout_dur));
}

vec4 node_color(uint slot)
{
    return texelFetch(u_nodes, node_texel(slot, 1), 0);
}

// Lumps (render/scene_lumps.h): under a shard map a node's cloud is made of
// its shards, each a tight lump of its keys at a slot of a sunflower spiral
// laid out for k slots (u_lumps: k grew from x to y at time z over w
// seconds). A particle's place in its node's cloud, in cloud radii: its
// offset anywhere in the cloud (no lump), or in its lump.
uniform vec4 u_lumps;
const uint LUMP_NONE = 65535u;

float lump_k()
{
    return max(mix(u_lumps.x, u_lumps.y, ease_in_out((u_time - u_lumps.z) / max(u_lumps.w, 1e-3))), 1.0);
}

float lump_radius()
{
    return min(0.5 / sqrt(lump_k()), 0.45);
}

vec2 cloud_at(uint lump, vec2 off)
{
    if (lump == LUMP_NONE)
        return off;
    float k = lump_k(), rl = lump_radius(), i = float(lump);
    float r = sqrt((i + 0.5) / k) * (1.0 - rl);
    float a = i * 2.39996322972865332;
    return vec2(sin(a), -cos(a)) * r + off * rl;
}
