// Replica copies (scene_repl.h): one dimmer point per copy that is not the
// primary, in its holder's cloud, coloured as the key's primary. A new copy
// flies from the node it is copied from (a healing flight, tinted green on
// the way); a dropped one fades; a crashed node's copies fall with it, grey
// (red is for embeddings lost for good). Under a shard map a copy rests in
// the shard's lump at its holder (common.glsl: cloud_at).
layout(location = 0) in vec4 a_key;    // key (hi, lo) turns, cloud offset xy
layout(location = 1) in uvec4 a_slots; // from, to (holder), primary, kind
layout(location = 2) in vec2 a_time;   // flight start, when dropped / crashed
layout(location = 3) in uvec2 a_lumps; // the shard's lump at from and at to (LUMP_NONE: no lumps)

uniform float u_flight_dur;
uniform float u_cloud_r;
uniform float u_size;
uniform float u_intensity;
uniform uint u_selected;

out vec4 v_color;
out float v_hot;
out float v_ring; // particle.frag's: copies are dots

void main()
{
    vec2 to = world_to_px(node_pos(a_slots.y) + cloud_at(a_lumps.y, a_key.zw) * u_cloud_r);
    vec2 px = to;
    vec3 col = node_color(a_slots.z).rgb;
    float t = (u_time - a_time.x) / u_flight_dur;
    float hot = 0.0, fade = 1.0;
    if (t < 0.0) {
        fade = 0.0; // not copied yet
    } else if (t < 1.0) {
        vec2 from = world_to_px(node_pos(a_slots.x) + cloud_at(a_lumps.x, a_key.zw) * u_cloud_r);
        float e = smoothstep(0.0, 1.0, t);
        vec2 d = to - from;
        // A gentle bow, so flights between the same two nodes in both
        // directions do not share one line.
        px = mix(from, to, e) + vec2(-d.y, d.x) * 0.15 * sin(3.14159265 * e);
        hot = sin(3.14159265 * t);
        col = mix(col, vec3(0.45, 1.0, 0.7), 0.6 * hot);
    }
    float age = u_time - a_time.y;
    if (a_slots.w == 1u && age > 0.0)
        fade *= clamp(1.0 - age / 0.6, 0.0, 1.0);
    if (a_slots.w == 2u && age > 0.0) {
        float drop = max(age - 0.5, 0.0);
        px.y += (20.0 * drop + 160.0 * drop * drop) * u_dpi;
        fade *= clamp(1.0 - drop / 1.3, 0.0, 1.0);
        col = mix(col, vec3(0.5, 0.52, 0.58), 0.8); // grey: gone, but other copies survive
    }
    float sel = (u_selected != 65535u && a_slots.y == u_selected) ? 1.0 : 0.0;
    v_color = vec4(mix(col, vec3(1.0), 0.45 * hot) * u_intensity * fade * (1.0 + 2.0 * hot + 0.35 * sel), 1.0);
    v_hot = hot;
    v_ring = 0.0;
    gl_PointSize = u_size * (1.0 + 1.2 * hot);
    gl_Position = fade > 0.0 ? px_to_clip(px) : vec4(2.0, 2.0, 2.0, 1.0);
}
