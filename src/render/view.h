/* view — the camera: world <-> pixels in double precision, and the ring's
 * reference position that keeps deep zoom exact.
 *
 * World units: the ring has radius 1 around the origin, y points down (as
 * pixels do); ring position p sits at angle 2*pi*p/2^64 clockwise from
 * 12 o'clock, i.e. at (sin a, -cos a).
 *
 * Why a reference: a float angle of a 64-bit position has 24 bits, so deep
 * zoom would collapse points. The view picks the ring position nearest its
 * centre as the reference; every ring position is drawn as an offset from
 * the reference point, with the difference taken in exact integer turns and
 * the reference point placed in double. The GPU gets the same split.
 *
 * Plain value type; no allocation, no errors.
 */
#ifndef RINGSCOPE_VIEW_H
#define RINGSCOPE_VIEW_H

#include <stdint.h>

#define VIEW_ZOOM_MIN 0.35
#define VIEW_ZOOM_MAX 1.0e9

typedef struct view {
    double area_x, area_y, area_w, area_h; /* pixel rectangle the ring is fitted into */
    double fit;        /* pixels per world unit at zoom 1 */
    double zoom;
    double cx, cy;     /* world point at the area's centre */
    /* derived by view_update: */
    double scale;      /* fit * zoom */
    uint64_t ref;      /* reference ring position */
    double ref_theta;  /* its angle, radians */
    double ref_px[2];  /* its pixel */
} view_t;

/* Fits the world disc of radius world_r into the pixel rectangle; keeps zoom
 * and centre. Call view_update afterwards. */
void view_set_area(view_t *v, double x, double y, double w, double h, double world_r);
void view_reset(view_t *v);
/* Recomputes scale and the reference after any change. */
void view_update(view_t *v);

void view_world_to_px(const view_t *v, double wx, double wy, double *px, double *py);
void view_px_to_world(const view_t *v, double px, double py, double *wx, double *wy);

/* Zooms by factor, keeping the world point under pixel (px, py) fixed. */
void view_zoom_at(view_t *v, double factor, double px, double py);
/* The same, but within reach pixels of the ring line the ring line at the
 * pixel's angle stays put instead: what is drawn a fixed pixel distance
 * off the ring (the band, a cell ring) stays under the pointer as the
 * ring's radius grows. */
void view_zoom_at_ring(view_t *v, double factor, double px, double py, double reach);
void view_pan(view_t *v, double dx_px, double dy_px);

/* Signed turns from the reference to ring position p, in [-0.5, 0.5). */
double view_ring_delta(const view_t *v, uint64_t p);
/* Pixel of ring position p on the circle of radius r (world). */
void view_ring_px(const view_t *v, uint64_t p, double r, double *px, double *py);
/* Ring position at the angle of pixel (px, py) seen from the ring's centre,
 * measured in the reference point's frame (exact under deep zoom); *dist:
 * the pixel's distance from the ring line in pixels (outside positive). */
uint64_t view_px_to_ring(const view_t *v, double px, double py, double *dist);
/* Ring position at angle theta (radians, clockwise from 12 o'clock). */
uint64_t view_angle_to_pos(double theta);

/* The (hi, lo) float split of a ring position the shaders use. */
void view_split(uint64_t p, float out[2]);
/* A double split into float hi + lo, for the view centre. */
void view_split_double(double x, float *hi, float *lo);

#endif
