/* plotdata.c — see plotdata.h. */
#include "plotdata.h"

#include <math.h>
#include <stdlib.h>

#include "out.h"
#include "util.h"

void grid_init(ImageGrid *g, int count, int per_row, int tile_w, int tile_h, int gap,
               int caption)
{
    if (count < 0 || per_row < 1 || tile_w < 1 || tile_h < 1 || gap < 0 || caption < 0)
        die("grid_init: %d tiles of %dx%d, %d a row, gap %d, caption %d", count, tile_w,
            tile_h, per_row, gap, caption);
    int rows = count > 0 ? (count + per_row - 1) / per_row : 1;
    int cols = count < per_row && count > 0 ? count : per_row;
    *g = (ImageGrid){count, per_row, tile_w, tile_h, gap, caption, 0, 0, NULL, NULL};
    g->width = cols * (tile_w + gap) + gap;
    g->height = rows * (tile_h + caption + gap) + gap;
    g->value = xcalloc((size_t)g->width * g->height, sizeof *g->value);
    g->inside = xcalloc((size_t)g->width * g->height, 1);
}

/* Top-left pixel of tile t. */
static void tile_origin(const ImageGrid *g, int t, int *x0, int *y0)
{
    *x0 = g->gap + (t % g->per_row) * (g->tile_w + g->gap);
    *y0 = g->gap + (t / g->per_row) * (g->tile_h + g->caption + g->gap) + g->caption;
}

void grid_put(ImageGrid *g, int t, const real *tile, double scale)
{
    if (t < 0 || t >= g->count)
        die("grid_put: tile %d of %d", t, g->count);
    int x0, y0;
    tile_origin(g, t, &x0, &y0);
    for (int r = 0; r < g->tile_h; r++)
        for (int c = 0; c < g->tile_w; c++) {
            size_t at = (size_t)(y0 + r) * g->width + x0 + c;
            g->value[at] = tile[r * g->tile_w + c] * scale;
            g->inside[at] = 1;
        }
}

void grid_caption_xy(const ImageGrid *g, int t, double *x, double *y)
{
    int x0, y0;
    tile_origin(g, t, &x0, &y0);
    *x = x0 + (g->tile_w - 1) / 2.0;
    *y = g->caption > 0 ? y0 - (g->caption + 1) / 2.0 : y0 - 1;
}

void grid_write(ImageGrid *g, const char *path)
{
    Csv c;
    csv_open(&c, path, "x,y,value,inside");
    for (int y = 0; y < g->height; y++)
        for (int x = 0; x < g->width; x++) {
            size_t at = (size_t)y * g->width + x;
            csv_row(&c, 4, (double[]){x, y, g->value[at], g->inside[at]});
        }
    csv_close(&c);
    grid_free(g);
}

void grid_free(ImageGrid *g)
{
    free(g->value);
    free(g->inside);
    g->value = NULL;
    g->inside = NULL;
}

int clip_line(double a, double b, double c, double lo, double hi, double seg[4])
{
    /* Where the line meets each of the four sides' lines, kept if on the side. */
    double px[4], py[4];
    int n = 0;
    const double sides[2] = {lo, hi};
    for (int k = 0; k < 2; k++) {
        double s = sides[k];
        if (b != 0) { /* x = s: y = −(a·s + c)/b */
            double y = -(a * s + c) / b;
            if (y >= lo && y <= hi) {
                px[n] = s;
                py[n++] = y;
            }
        }
        if (a != 0) { /* y = s: x = −(b·s + c)/a */
            double x = -(b * s + c) / a;
            if (x >= lo && x <= hi) {
                px[n] = x;
                py[n++] = s;
            }
        }
    }
    /* The two farthest apart (a line through a corner finds it twice). */
    double best = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double d = hypot(px[i] - px[j], py[i] - py[j]);
            if (d > best) {
                best = d;
                seg[0] = px[i];
                seg[1] = py[i];
                seg[2] = px[j];
                seg[3] = py[j];
            }
        }
    return best > 0;
}
