// The ownership band: one screen rectangle around the ring; the fragment
// shader decides per pixel which arc it is in.
layout(location = 0) in vec2 a_px;
void main()
{
    gl_Position = px_to_clip(a_px);
}
