// A crisp disc with a dark rim (separates neighbouring points) and an exact
// node colour at its centre. Crowded points (u_crowd 1: many a point's
// width, as Qdrant's 100 a shard) drop the rim, which would darken them
// all into grey, and show their node's colour whole.
in vec4 v_color;
in float v_size;
out vec4 o_color;

uniform float u_crowd;      // 0: points apart, 1: crowded

void main()
{
    float full = v_size + 2.0;
    vec2 c = (gl_PointCoord - 0.5) * full;   // pixels from the centre
    float d = length(c);
    float r = 0.5 * v_size;
    // crowded: hard edges, so each pixel keeps one point's colour instead
    // of a blend of all of them
    float disc = mix(clamp(r - d + 0.5, 0.0, 1.0), step(d, r + 0.25), u_crowd);
    float rim = clamp(r + 1.0 - d, 0.0, 1.0) * (1.0 - clamp(r - 0.8 - d + 0.5, 0.0, 1.0));
    float inner = max(clamp(r - 0.9 - d + 0.5, 0.0, 1.0), u_crowd);
    vec3 col = mix(v_color.rgb * 0.25, v_color.rgb, inner);
    float a = max(disc, rim * 0.8 * (1.0 - u_crowd)) * v_color.a;
    if (a <= 0.0)
        discard;
    o_color = vec4(col * a, a);
}
