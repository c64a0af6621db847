// Soft round particle; blended additively so dense clouds glow. A ring
// instead of a dot where the vertex shader says (v_ring: an under-replicated
// key), so it reads as a mark of its own.
in vec4 v_color;
in float v_hot;
in float v_ring;
out vec4 o_color;

void main()
{
    vec2 c = gl_PointCoord * 2.0 - 1.0;
    float r2 = dot(c, c);
    if (r2 > 1.0)
        discard;
    float core = exp(-r2 * mix(3.5, 5.0, v_hot));
    if (v_ring > 0.5) {
        float d = sqrt(r2) - 0.68;
        core = exp(-d * d * 90.0);
    }
    o_color = vec4(v_color.rgb * core, core);
}
