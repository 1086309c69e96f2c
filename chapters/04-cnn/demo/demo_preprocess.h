/* demo_preprocess.h — a drawing made into an MNIST image, as MNIST's were made.
 *
 * LeCun, Cortes and Burges describe it: "The original black and white images
 * from NIST were size normalized to fit in a 20x20 pixel box while preserving
 * their aspect ratio. The resulting images contain grey levels as a result of
 * the anti-aliasing technique used by the normalization algorithm. The images
 * were centered in a 28x28 image by computing the center of mass of the pixels,
 * and translating the image so as to position this point at the center of the
 * 28x28 field." A network trained on them has only ever seen digits made so: a
 * drawing that fills the canvas, or sits in one corner of it, is recognised
 * only after the same steps.
 *
 * What this is: those steps, one function each, on a canvas of grey levels
 * (ink = 1, paper = 0). What it is not: a deskewer or a stroke thinner — MNIST
 * did neither. */
#ifndef DEMO_PREPROCESS_H
#define DEMO_PREPROCESS_H

#include "real.h"

#define DEMO_SIDE 28                         /* the field: 28 × 28 */
#define DEMO_PIXELS (DEMO_SIDE * DEMO_SIDE)
#define DEMO_BOX 20                          /* the digit's box inside it: 20 × 20 */
#define DEMO_CENTRE 14                       /* where the centre of mass goes (row, column) */

/* The rectangle of the canvas that holds ink: columns x0 .. x0 + width − 1,
 * rows y0 .. y0 + height − 1. */
typedef struct {
    int x0, y0, width, height;
} DemoBox;

/* canvas (height, width): grey levels in [0, 1], row by row, ink = 1 →
 * out (28, 28): the MNIST image, grey levels in [0, 1], the brightest 1.
 * Returns 1, or 0 for a canvas without ink (out all zeros). */
int demo_preprocess(const real *canvas, int width, int height, real *out);

/* The steps, in order (exposed for the tests): */

/* 1. Crop: the smallest box holding every pixel above 0. 0 when there is none. */
int demo_ink_box(const real *canvas, int width, int height, DemoBox *box);

/* 2. Scale the box to fit 20 × 20 keeping its aspect ratio: the longer side
 *    becomes 20 pixels, the shorter side shrinks (or grows) by the same factor,
 *    into small (*rows, *cols), at most 20 × 20. Each new pixel is the mean of
 *    the canvas area it covers — the anti-aliasing that gives MNIST its grey
 *    levels. */
void demo_scale_to_box(const real *canvas, int width, const DemoBox *box, real *small, int *rows,
                       int *cols);

/* 3. Grey levels: divided by the largest, so the brightest pixel is 1 (ink)
 *    as in every MNIST image. */
void demo_normalise(real *img, int n);

/* 4. Centre: small (rows, cols) moved by whole pixels into the 28 × 28 field
 *    so that its centre of mass lands within half a pixel of (14, 14). */
void demo_centre(const real *small, int rows, int cols, real *out);

/* The centre of mass of an image (rows, cols): pixel (r, c) weighs its value
 * and sits at (r, c). */
void demo_centre_of_mass(const real *img, int rows, int cols, double *row, double *col);

#endif
