// Ownership arcs and the ring line. Each pixel's angle is measured from the
// reference point (exact under deep zoom) and looked up in a strip texture
// the CPU fills with owner colours over the visible angular range; row 0 is
// the previous strip, row 1 the current, cross-faded after a change.
uniform sampler2D u_strip;
uniform vec2 u_strip_range;  // turns from the reference: first, last
uniform float u_strip_mix;   // 0: previous strip, 1: current
uniform float u_band_in;     // band inner/outer offset from the ring, px
uniform float u_band_out;
// > 0: a structure of that many cells (src/render/sst.h) instead of the
// ownership band: no ring line or halo; cell boundaries once cells are 2 px
// wide (SST_CELL_SEEN_PX), full by 4; alpha 1/3: the selected node's cells, 2/3: cells that changed owner
// (they flash while the strips cross-fade).
uniform float u_cells;
uniform float u_cell_phase;  // fraction of a cell at the reference position
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
    if (u_cells != 0.0) { // a structure's ring (cells; < 0: a plain strip, the next key's rule)
        line = 0.0;
        halo = 0.0;
    }
    if (line + band + halo <= 0.002)
        discard;

    float u = (turns - u_strip_range.x) / (u_strip_range.y - u_strip_range.x);
    vec4 prev = texture(u_strip, vec2(u, 0.25));
    vec4 cur = texture(u_strip, vec2(u, 0.75));
    vec4 owner = mix(prev, cur, u_strip_mix);
    // alpha channel: 1 for the selected node's arcs, 0.5 for others, 0 for none
    float lit = owner.a;
    float flash = 0.0;
    if (u_cells > 0.0) {
        float q = floor(cur.a * 3.0 + 0.5);
        lit = mod(q, 2.0);
        flash = step(1.5, q) * (1.0 - u_strip_mix);
        float cell_px = TAU * (u_scale + dist) / u_cells;
        float f = fract(u_cell_phase + turns * u_cells);
        float edge = min(f, 1.0 - f) * cell_px;   // pixels to the nearest boundary
        float gap = (1.0 - clamp(edge - 0.25, 0.0, 1.0)) * clamp((cell_px - 2.0) / 2.0, 0.0, 1.0);
        owner.rgb *= 1.0 - 0.85 * gap;
    }
    float dim = u_cells != 0.0 ? 0.85 : 0.55;
    vec3 band_col = owner.rgb * (dim + 0.55 * lit) + vec3(flash);
    vec3 col = band_col * band + owner.rgb * halo + vec3(0.70, 0.75, 0.85) * line;
    float a = clamp(band * (0.75 + 0.25 * lit) + line + halo, 0.0, 1.0);
    o_color = vec4(col, a);
}
