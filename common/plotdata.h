/* plotdata.h — data shaped for the figures, beyond plain columns of numbers:
 * pictures made of tiles (digits, weights, feature maps) and straight lines
 * cut to the plotted square. The programs write these; the scripts in plots/ draw them.
 *
 * An image grid is one picture in long form, a CSV row per pixel:
 *
 *     x,y,value,inside        x the column, y the row (0 at the top, as image
 *                             rows count); inside = 1 on a tile's pixels,
 *                             0 on the gaps and the caption bands, which the
 *                             scripts leave blank (value is 0 there)
 *
 * Tiles of tile_w × tile_h sit in rows of per_row, `gap` pixels apart and
 * from the edges, each with `caption` blank rows above it for its caption
 * (a number, "7→2", ...). grid_caption_xy() says where caption t goes; the
 * program writes the captions to a CSV of its own.
 *
 *     ImageGrid g;
 *     grid_init(&g, 32, 8, 28, 28, 2, 10);           // 32 digits, 8 a row
 *     for (int t = 0; t < 32; t++)
 *         grid_put(&g, t, image[t], 1.0);             // 784 values each
 *     grid_write(&g, out_path(dir, "muestras.csv"));  // writes, reports, frees */
#ifndef PLOTDATA_H
#define PLOTDATA_H

#include "real.h"

typedef struct {
    int count, per_row;      /* tiles, and how many in a row */
    int tile_w, tile_h;
    int gap, caption;        /* pixels between tiles, caption rows above each */
    int width, height;       /* the whole picture */
    double *value;           /* (height, width) */
    unsigned char *inside;   /* (height, width): 1 on a tile */
} ImageGrid;

void grid_init(ImageGrid *g, int count, int per_row, int tile_w, int tile_h, int gap,
               int caption);
/* Tile t (0-based, row after row) = tile (tile_h × tile_w values, row-major)
 * times scale. */
void grid_put(ImageGrid *g, int t, const real *tile, double scale);
/* Where tile t's caption goes: the middle of the band above it (or, with no
 * band, just above the tile). */
void grid_caption_xy(const ImageGrid *g, int t, double *x, double *y);
/* Writes the CSV (atomically, reporting it as every output is), then frees. */
void grid_write(ImageGrid *g, const char *path);
void grid_free(ImageGrid *g);

/* The line a·x + b·y + c = 0 cut to the square [lo, hi]²: seg = (x0, y0,
 * x1, y1), the two points where it crosses the square's border farthest
 * apart. Returns 0 when the line misses the square (or only grazes a
 * corner). A perceptron's boundary (chapter 1) and a hidden neuron's line
 * (chapter 2) are drawn with it. */
int clip_line(double a, double b, double c, double lo, double hi, double seg[4]);

#endif
