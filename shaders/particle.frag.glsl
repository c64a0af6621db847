// Soft round particle; blended additively so dense clouds glow.
in vec4 v_color;
in float v_hot;
out vec4 o_color;

void main()
{
    vec2 c = gl_PointCoord * 2.0 - 1.0;
    float r2 = dot(c, c);
    if (r2 > 1.0)
        discard;
    float core = exp(-r2 * mix(3.5, 5.0, v_hot));
    o_color = vec4(v_color.rgb * core, core);
}
