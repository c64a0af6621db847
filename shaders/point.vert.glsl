// Virtual-node points on the ring, coloured by their physical node. New
// points pop in (overshoot), removed ones shrink and fade; both from the
// time uniform and per-point birth/death times.
layout(location = 0) in vec2 a_pos;    // ring position (hi, lo) turns
layout(location = 1) in uint a_slot;
layout(location = 2) in vec2 a_life;   // born, died (died < 0: alive)

uniform float u_size;       // pixels
uniform uint u_selected;

out vec4 v_color;
out float v_size;

void main()
{
    float born = clamp((u_time - a_life.x) / 0.55, 0.0, 1.0);
    // ease-out-back: a small overshoot reads as "popping in".
    float b = born - 1.0;
    float pop = 1.0 + 2.70158 * b * b * b + 1.70158 * b * b;
    float fade = a_life.y < 0.0 ? 1.0 : 1.0 - clamp((u_time - a_life.y) / 0.7, 0.0, 1.0);
    float sel = (a_slot == u_selected) ? 1.0 : 0.0;
    float size = u_size * (1.0 + 0.45 * sel) * max(pop, 0.0) * (0.4 + 0.6 * fade);
    vec4 c = node_color(a_slot);
    v_color = vec4(c.rgb, fade);
    v_size = size;
    gl_PointSize = max(size, 0.0) + 2.0;
    gl_Position = px_to_clip(ring_px(a_pos, 1.0));
    if (fade <= 0.0 || size < 0.5)
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0); // off screen: clipped
}
