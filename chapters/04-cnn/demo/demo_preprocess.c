/* demo_preprocess.c — a drawing made into an MNIST image (see demo_preprocess.h):
 * crop to the ink, scale to fit 20 × 20, grey levels up to 1, centre of mass at
 * (14, 14). */
#include "demo_preprocess.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int demo_preprocess(const real *canvas, int width, int height, real *out)
{
    memset(out, 0, sizeof(real) * DEMO_PIXELS);
    DemoBox box;
    if (!demo_ink_box(canvas, width, height, &box))
        return 0;                                   /* a blank canvas: nothing to guess */
    real small[DEMO_BOX * DEMO_BOX];
    int rows, cols;
    demo_scale_to_box(canvas, width, &box, small, &rows, &cols);
    demo_normalise(small, rows * cols);
    demo_centre(small, rows, cols, out);
    return 1;
}

/* --- 1. crop ---------------------------------------------------------------------- */

int demo_ink_box(const real *canvas, int width, int height, DemoBox *box)
{
    int x0 = width, x1 = -1, y0 = height, y1 = -1;
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            if (canvas[(size_t)y * width + x] > 0) {
                if (x < x0) x0 = x;
                if (x > x1) x1 = x;
                if (y < y0) y0 = y;
                if (y > y1) y1 = y;
            }
    if (x1 < 0)
        return 0;
    *box = (DemoBox){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
    return 1;
}

/* --- 2. scale: each new pixel the mean of the canvas area it covers ---------------------- */

/* One line of n_in values, 0 beyond its end, scaled by s into n_out values:
 * new pixel j covers [j/s, (j+1)/s) of the old line, and takes the mean over
 * that stretch (old pixel k covers [k, k+1)). Shrinking, it averages several
 * old pixels — the anti-aliasing; growing, it repeats one, blended with its
 * neighbour where a new pixel straddles two. */
static void area_resample(const double *in, int n_in, double *out, int n_out, double s)
{
    for (int j = 0; j < n_out; j++) {
        double lo = j / s, hi = (j + 1) / s, sum = 0;
        int k_end = (int)ceil(hi) < n_in ? (int)ceil(hi) : n_in;
        for (int k = (int)floor(lo); k < k_end; k++) {
            double overlap = fmin(k + 1, hi) - fmax(k, lo);
            if (overlap > 0)
                sum += in[k] * overlap;
        }
        out[j] = sum * s;           /* ∫ / length of the stretch, 1/s */
    }
}

void demo_scale_to_box(const real *canvas, int width, const DemoBox *box, real *small, int *rows,
                       int *cols)
{
    /* The longer side becomes exactly 20 pixels, the shorter one the same factor
     * rounded up (integers: 20·short/long is never computed in floating point,
     * so the long side cannot come out as 21). */
    int bw = box->width, bh = box->height, longer = bw > bh ? bw : bh;
    int nc = bw == longer ? DEMO_BOX : (bw * DEMO_BOX + longer - 1) / longer;
    int nr = bh == longer ? DEMO_BOX : (bh * DEMO_BOX + longer - 1) / longer;
    double s = (double)DEMO_BOX / longer;           /* new pixels per canvas pixel */

    /* Separable: every row of the box to nc columns, then every column to nr rows. */
    double *line = xmalloc(sizeof(double) * (size_t)longer);
    double *wide = xmalloc(sizeof(double) * (size_t)bh * nc);    /* (bh, nc) */
    double col_out[DEMO_BOX];
    for (int y = 0; y < bh; y++) {
        const real *row = canvas + (size_t)(box->y0 + y) * width + box->x0;
        for (int x = 0; x < bw; x++)
            line[x] = row[x];
        area_resample(line, bw, wide + (size_t)y * nc, nc, s);
    }
    for (int c = 0; c < nc; c++) {
        for (int y = 0; y < bh; y++)
            line[y] = wide[(size_t)y * nc + c];
        area_resample(line, bh, col_out, nr, s);
        for (int r = 0; r < nr; r++)
            small[r * nc + c] = (real)col_out[r];
    }
    free(wide);
    free(line);
    *rows = nr;
    *cols = nc;
}

/* --- 3. grey levels --------------------------------------------------------------- */

void demo_normalise(real *img, int n)
{
    /* Every one of MNIST's 10 000 test images has a pixel of 250 or more (out of
     * 255): the strokes were drawn thick enough to survive the shrinking. A
     * thin stroke on a big canvas shrinks to a faint grey that the networks have
     * never seen; dividing by the brightest pixel gives it MNIST's ink back. */
    real brightest = 0;
    for (int i = 0; i < n; i++)
        if (img[i] > brightest)
            brightest = img[i];
    if (brightest <= 0)
        return;
    for (int i = 0; i < n; i++) {
        real v = img[i] / brightest;
        img[i] = v < 0 ? 0 : v > 1 ? 1 : v;         /* [0, 1] whatever the rounding */
    }
}

/* --- 4. centre of mass to the centre ---------------------------------------------------- */

void demo_centre_of_mass(const real *img, int rows, int cols, double *row, double *col)
{
    double mass = 0, sr = 0, sc = 0;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            double v = img[r * cols + c];
            mass += v;
            sr += v * r;
            sc += v * c;
        }
    *row = mass > 0 ? sr / mass : (rows - 1) / 2.0;
    *col = mass > 0 ? sc / mass : (cols - 1) / 2.0;
}

void demo_centre(const real *small, int rows, int cols, real *out)
{
    /* Whole pixels, as MNIST did: no resampling blurs the digit a second time.
     * The centre of mass then lands within half a pixel of (14, 14), pixel (r, c)
     * counted at (r, c) — where it lies in MNIST itself: measured on the 10 000
     * test images, every one's is between 13.5 and 14.5 in both directions. */
    double cr, cc;
    demo_centre_of_mass(small, rows, cols, &cr, &cc);
    int dr = (int)floor(DEMO_CENTRE - cr + 0.5), dc = (int)floor(DEMO_CENTRE - cc + 0.5);
    memset(out, 0, sizeof(real) * DEMO_PIXELS);
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            int R = r + dr, C = c + dc;
            /* a digit whose mass sits at one end of its box can reach past the
             * field's edge: that part is lost, as it was for MNIST */
            if (R >= 0 && R < DEMO_SIDE && C >= 0 && C < DEMO_SIDE)
                out[R * DEMO_SIDE + C] = small[r * cols + c];
        }
}
