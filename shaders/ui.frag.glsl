uniform sampler2D u_atlas;
in vec2 v_uv;
in vec4 v_color;
in vec4 v_shape;
flat in int v_mode;
out vec4 o_color;

float rounded_rect(vec2 p, vec2 half_size, float r)
{
    vec2 q = abs(p) - half_size + r;
    return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - r;
}

void main()
{
    float a;
    if (v_mode == 0) {
        a = texture(u_atlas, v_uv).r;
    } else if (v_mode == 1) {
        float d = rounded_rect(v_uv, v_shape.xy, v_shape.z);
        a = v_shape.w > 0.0 ? clamp(0.5 * v_shape.w - abs(d + 0.5 * v_shape.w) + 0.5, 0.0, 1.0)
                            : clamp(0.5 - d, 0.0, 1.0);
    } else {
        vec2 n = v_uv / v_shape.xy;
        a = exp(-dot(n, n) * 4.0);
    }
    a *= v_color.a;
    if (a <= 0.0)
        discard;
    o_color = vec4(v_color.rgb * a, a);
}
