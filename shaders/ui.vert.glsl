// 2D overlay: text and shapes in pixels, one batched buffer.
layout(location = 0) in vec2 a_px;
layout(location = 1) in vec2 a_uv;      // atlas uv (text) or pixels from the shape centre
layout(location = 2) in vec4 a_color;
layout(location = 3) in vec4 a_shape;   // half width, half height, corner radius, stroke
layout(location = 4) in float a_mode;   // 0 text, 1 rounded rect, 2 soft glow

out vec2 v_uv;
out vec4 v_color;
out vec4 v_shape;
flat out int v_mode;

void main()
{
    v_uv = a_uv;
    v_color = a_color;
    v_shape = a_shape;
    v_mode = int(a_mode + 0.5);
    gl_Position = px_to_clip(a_px);
}
