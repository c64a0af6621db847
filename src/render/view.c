#include "view.h"

#include <math.h>

#define TAU 6.283185307179586476925286766559

void view_set_area(view_t *v, double x, double y, double w, double h, double world_r)
{
    v->area_x = x;
    v->area_y = y;
    v->area_w = w > 1 ? w : 1;
    v->area_h = h > 1 ? h : 1;
    double m = v->area_w < v->area_h ? v->area_w : v->area_h;
    v->fit = 0.5 * m / world_r;
    if (v->zoom <= 0)
        view_reset(v);
}

void view_reset(view_t *v)
{
    v->zoom = 1.0;
    v->cx = v->cy = 0.0;
}

uint64_t view_angle_to_pos(double theta)
{
    double turns = theta / TAU;
    turns -= floor(turns);
    double x = ldexp(turns, 64);
    if (!(x < 18446744073709551616.0))
        return UINT64_MAX;
    return (uint64_t)x;
}

static double pos_to_angle(uint64_t p)
{
    /* Top 53 bits are all a double holds; the rest is carried by deltas. */
    return ldexp((double)(p >> 11), -53) * TAU;
}

void view_update(view_t *v)
{
    if (v->zoom < VIEW_ZOOM_MIN)
        v->zoom = VIEW_ZOOM_MIN;
    if (v->zoom > VIEW_ZOOM_MAX)
        v->zoom = VIEW_ZOOM_MAX;
    v->scale = v->fit * v->zoom;
    double theta = (fabs(v->cx) + fabs(v->cy) > 1e-300) ? atan2(v->cx, -v->cy) : 0.0;
    v->ref = view_angle_to_pos(theta) & ~(uint64_t)2047; /* exact in a double */
    v->ref_theta = pos_to_angle(v->ref);
    view_world_to_px(v, sin(v->ref_theta), -cos(v->ref_theta), &v->ref_px[0], &v->ref_px[1]);
}

void view_world_to_px(const view_t *v, double wx, double wy, double *px, double *py)
{
    *px = v->area_x + 0.5 * v->area_w + (wx - v->cx) * v->scale;
    *py = v->area_y + 0.5 * v->area_h + (wy - v->cy) * v->scale;
}

void view_px_to_world(const view_t *v, double px, double py, double *wx, double *wy)
{
    *wx = v->cx + (px - v->area_x - 0.5 * v->area_w) / v->scale;
    *wy = v->cy + (py - v->area_y - 0.5 * v->area_h) / v->scale;
}

void view_zoom_at(view_t *v, double factor, double px, double py)
{
    double wx, wy;
    view_px_to_world(v, px, py, &wx, &wy);
    v->zoom *= factor;
    if (v->zoom < VIEW_ZOOM_MIN)
        v->zoom = VIEW_ZOOM_MIN;
    if (v->zoom > VIEW_ZOOM_MAX)
        v->zoom = VIEW_ZOOM_MAX;
    v->scale = v->fit * v->zoom;
    v->cx = wx - (px - v->area_x - 0.5 * v->area_w) / v->scale;
    v->cy = wy - (py - v->area_y - 0.5 * v->area_h) / v->scale;
    view_update(v);
}

void view_zoom_at_ring(view_t *v, double factor, double px, double py, double reach)
{
    double dist;
    uint64_t pos = view_px_to_ring(v, px, py, &dist);
    if (fabs(dist) > reach) {
        view_zoom_at(v, factor, px, py);
        return;
    }
    double ax, ay;
    view_ring_px(v, pos, 1.0, &ax, &ay);
    view_zoom_at(v, factor, ax, ay);
}

void view_pan(view_t *v, double dx_px, double dy_px)
{
    v->cx -= dx_px / v->scale;
    v->cy -= dy_px / v->scale;
    /* Keep the ring reachable: never wander further than a few radii away. */
    double lim = 4.0;
    if (v->cx > lim) v->cx = lim;
    if (v->cx < -lim) v->cx = -lim;
    if (v->cy > lim) v->cy = lim;
    if (v->cy < -lim) v->cy = -lim;
    view_update(v);
}

double view_ring_delta(const view_t *v, uint64_t p)
{
    return ldexp((double)(int64_t)(p - v->ref), -64);
}

void view_ring_px(const view_t *v, uint64_t p, double r, double *px, double *py)
{
    double d = TAU * view_ring_delta(v, p);
    double h = v->ref_theta + 0.5 * d;
    double s = 2.0 * sin(0.5 * d);
    double ox = s * cos(h) * r + sin(v->ref_theta) * (r - 1.0);
    double oy = s * sin(h) * r - cos(v->ref_theta) * (r - 1.0);
    *px = v->ref_px[0] + ox * v->scale;
    *py = v->ref_px[1] + oy * v->scale;
}

uint64_t view_px_to_ring(const view_t *v, double px, double py, double *dist)
{
    double qx = (px - v->ref_px[0]) / v->scale, qy = (py - v->ref_px[1]) / v->scale;
    double th = v->ref_theta;
    double t = qx * cos(th) + qy * sin(th), n = 1.0 + qx * sin(th) - qy * cos(th);
    if (dist)
        *dist = (hypot(t, n) - 1.0) * v->scale;
    double turns = atan2(t, n) / TAU;
    return v->ref + (uint64_t)(int64_t)ldexp(turns, 63) * 2u;
}

void view_split(uint64_t p, float out[2])
{
    out[0] = (float)ldexp((double)(p >> 40), -24);
    out[1] = (float)ldexp((double)(p & (((uint64_t)1 << 40) - 1)), -64);
}

void view_split_double(double x, float *hi, float *lo)
{
    *hi = (float)x;
    *lo = (float)(x - (double)*hi);
}
