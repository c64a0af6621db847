// A crisp disc with a dark rim (separates neighbouring points) and an exact
// node colour at its centre.
in vec4 v_color;
in float v_size;
out vec4 o_color;

void main()
{
    float full = v_size + 2.0;
    vec2 c = (gl_PointCoord - 0.5) * full;   // pixels from the centre
    float d = length(c);
    float r = 0.5 * v_size;
    float disc = clamp(r - d + 0.5, 0.0, 1.0);
    float rim = clamp(r + 1.0 - d, 0.0, 1.0) * (1.0 - clamp(r - 0.8 - d + 0.5, 0.0, 1.0));
    float inner = clamp(r - 0.9 - d + 0.5, 0.0, 1.0);
    vec3 col = mix(v_color.rgb * 0.25, v_color.rgb, inner);
    float a = max(disc, rim * 0.8) * v_color.a;
    if (a <= 0.0)
        discard;
    o_color = vec4(col * a, a);
}
