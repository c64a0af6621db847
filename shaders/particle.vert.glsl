// Embeddings: one point per embedding. At rest a particle sits in its
// owner's cloud; after a topology change it flies old node -> its key's
// place on the strategy's structure -> new node, entirely from the time
// uniform: the CPU uploads only the owners, start times and places of the
// embeddings that moved. Under a shard map (common.glsl: cloud_at) a key
// rests in its shard's lump, and a lump flies as one convoy: its keys keep
// their places in it all the way, through the shard's cell.
layout(location = 0) in vec4 a_key;    // key (hi, lo) turns, cloud offset xy
layout(location = 1) in uvec4 a_owner; // from slot, to slot (65535: none); lump at each (LUMP_NONE: none)
layout(location = 2) in float a_start; // flight start time
layout(location = 3) in vec2 a_repl;   // replication (scene_repl.h): kind, time; (0, 0) when off
layout(location = 4) in vec3 a_way;    // the key's place on its strategy's structure (sst.h): (hi, lo), kind

uniform float u_flight_dur;
uniform float u_cloud_r;    // cloud radius, world units
uniform float u_size;       // resting point size, pixels
uniform float u_intensity;  // additive brightness per particle
uniform uint u_selected;    // selected slot (65535: none)
uniform float u_hide_flying; // 1 in the thinned pass: flights are drawn by their own pass
uniform float u_way_r;      // radius of the cell ring, world units
uniform float u_pulse;      // 1: under-replicated keys pulse; 0: they glow steadily (reduced motion)

out vec4 v_color;
out float v_hot;
out float v_ring;  // 1: drawn as a ring (an under-replicated key), not a dot

const uint NONE = 65535u;

vec2 rest_px(uint slot, uint lump)
{
    if (slot == NONE)
        return ring_px(a_key.xy, 1.0);
    return world_to_px(node_pos(slot) + cloud_at(lump, a_key.zw) * u_cloud_r);
}

// Where a flight turns: the key's place on the structure (sst_way_of's
// kinds: 0 its ring position, 1 a ring position, 2 a cell, 3 none).
vec2 way_px(vec2 from, vec2 to)
{
    // A key of a lump keeps its place in it on the way (a convoy).
    vec2 convoy = a_owner.z != LUMP_NONE || a_owner.w != LUMP_NONE ? a_key.zw * lump_radius() * u_cloud_r * u_scale
                                                                   : vec2(0.0);
    if (a_way.z < 0.5)
        return ring_px(a_key.xy, 1.0) + convoy;
    if (a_way.z < 1.5)
        return ring_px(a_way.xy, 1.0) + convoy;
    if (a_way.z < 2.5)
        return ring_px(a_way.xy, u_way_r) + convoy;
    return mix(from, to, 0.5);
}

vec3 rest_color(uint slot)
{
    return slot == NONE ? vec3(0.45, 0.48, 0.55) : node_color(slot).rgb;
}

// Lost: red, falling from the crashed node's cloud and fading out.
// Under-replicated: a pulsing amber ring until its healing flight lands,
// apart from every dot (the node palette keeps clear of amber).
void repl_style(inout vec2 px, inout vec3 col, inout float gain, inout float hot, inout float size)
{
    if (a_repl.x > 1.5) {
        // A moment red where it was, then it drops.
        float age = max(u_time - a_repl.y, 0.0), drop = max(age - 0.5, 0.0);
        float fade = clamp(1.0 - drop / 1.3, 0.0, 1.0);
        px = rest_px(a_owner.x, a_owner.z) + vec2(0.0, (20.0 * drop + 160.0 * drop * drop) * u_dpi);
        col = vec3(1.0, 0.16, 0.12);
        gain = u_intensity * (1.0 + 1.5 * fade) * fade;
        hot = 0.0;
    } else if (a_repl.x > 0.5 && u_time < a_repl.y && hot <= 0.0) { // landed: in flight it looks like any flight
        float w = 0.5 + 0.5 * u_pulse * sin(u_time * 6.0); // u_pulse 0: reduced motion, a steady glow
        col = vec3(1.0, 0.62, 0.10);
        gain = 0.32 * (0.8 + 0.4 * w); // rings overlap in a dense cloud: kept below white
        size *= 2.4 + 0.8 * w;
        v_ring = 1.0;
    }
}

void main()
{
    float t = clamp((u_time - a_start) / u_flight_dur, 0.0, 1.0);
    vec2 to = rest_px(a_owner.y, a_owner.w);
    vec3 col = rest_color(a_owner.y);
    float hot = 0.0;
    vec2 px = to;
    // A flight that returns to its own node (retargeted back) still flies.
    if (t < 1.0) {
        vec2 from = rest_px(a_owner.x, a_owner.z);
        vec2 mid = way_px(from, to);
        // Two legs, old node -> the key's place on the structure -> new node,
        // each eased so the particle rests a moment where it was captured
        // (straight through the middle where there is no place). Time runs
        // linearly across the legs: the particle reaches its node when its
        // flight ends, which is when the HUD counts it as landed.
        float e = t;
        px = e < 0.5 ? mix(from, mid, smoothstep(0.0, 1.0, 2.0 * e))
                     : mix(mid, to, smoothstep(0.0, 1.0, 2.0 * e - 1.0));
        col = mix(rest_color(a_owner.x), col, smoothstep(0.35, 0.65, e));
        hot = t > 0.0 ? sin(3.14159265 * t) : 0.0;
    }
    float sel = (u_selected != NONE && a_owner.y == u_selected) ? 1.0 : 0.0;
    float gain = u_intensity * (1.0 + 2.5 * hot + 0.35 * sel);
    float size = u_size * (1.0 + 1.6 * hot);
    v_ring = 0.0;
    repl_style(px, col, gain, hot, size);
    v_color = vec4(mix(col, vec3(1.0), 0.45 * hot) * gain, 1.0);
    v_hot = hot;
    gl_PointSize = size;
    gl_Position = gain > 0.0 ? px_to_clip(px) : vec4(2.0, 2.0, 2.0, 1.0);
    if (u_hide_flying > 0.5 && t < 1.0)
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0); // clipped

}
