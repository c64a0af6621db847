// Ownership arcs and the ring line. Each pixel's angle is measured from the
// reference point (exact under deep zoom) and looked up in a strip texture
// the CPU fills with owner colours over the visible angular range; row 0 is
// the previous strip, row 1 the current, cross-faded after a change.
uniform sampler2D u_strip;
uniform vec2 u_strip_range;  // turns from the reference: first, last
uniform float u_strip_mix;   // 0: previous strip, 1: current
uniform float u_band_in;     // band inner/outer offset from the ring, px
uniform float u_band_out;
out vec4 o_color;

void main()
{
    vec2 px = vec2(gl_FragCoord.x, u_viewport.y - gl_FragCoord.y);
    vec2 q = (px - u_ref_px) / u_scale;        // world offset from the reference point
    vec2 tangent = vec2(cos(u_ref_theta), sin(u_ref_theta));
    vec2 normal = vec2(sin(u_ref_theta), -cos(u_ref_theta));
    float tq = dot(q, tangent);
    float nq = 1.0 + dot(q, normal);
    float radius = length(vec2(tq, nq));
    float dist = (radius - 1.0) * u_scale;     // pixels outside the ring line
    float turns = atan(tq, nq) / TAU;

    float line = clamp(1.2 - abs(dist), 0.0, 1.0) * 0.55;
    float band = clamp(dist - u_band_out + 0.5, 0.0, 1.0) * clamp(u_band_in - dist + 0.5, 0.0, 1.0);
    float halo = exp(-abs(dist - 0.5 * (u_band_in + u_band_out)) * 0.12) * 0.10;
    if (line + band + halo <= 0.002)
        discard;

    float u = (turns - u_strip_range.x) / (u_strip_range.y - u_strip_range.x);
    vec4 prev = texture(u_strip, vec2(u, 0.25));
    vec4 cur = texture(u_strip, vec2(u, 0.75));
    vec4 owner = mix(prev, cur, u_strip_mix);
    // alpha channel: 1 for the selected node's arcs, 0.5 for others, 0 for none
    float lit = owner.a;
    vec3 band_col = owner.rgb * (0.55 + 0.55 * lit);
    vec3 col = band_col * band + owner.rgb * halo + vec3(0.70, 0.75, 0.85) * line;
    float a = clamp(band * (0.75 + 0.25 * lit) + line + halo, 0.0, 1.0);
    o_color = vec4(col, a);
}
