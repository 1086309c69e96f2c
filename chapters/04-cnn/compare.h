/* compare.h — thesis 002 §5 and chapter 4's exercise 2: chapter 3's
 * multilayer perceptron against this chapter's CNN, on the same 10 000 test
 * images.
 *
 *   - ROC curves one-vs-rest with the area under each (002 Fig 5.3, which
 *     compares two models), and precision–recall curves with the average
 *     precision (common/roc.h);
 *   - McNemar's test: the 2×2 table of hits and misses and the exact
 *     binomial p-value (common/stats.h);
 *   - notes §4's claim measured: the test images moved 0–4 pixels each way,
 *     the accuracy of both networks (pooling makes the CNN tolerant).
 *
 * Chapter 3 writes two files for this (contract: its out folder, read here
 * through --mlp DIR): prueba_probabilidades.csv (indice,etiqueta,p0..p9, one
 * row per test image) and desplazamientos.csv (direccion,pixeles,exactitud).
 * This chapter writes the same two files for the CNN. When chapter 3's are
 * missing or malformed, one line says which and what is wrong, and that part
 * of the comparison is skipped: the rest of the chapter runs. */
#ifndef CH4_COMPARE_H
#define CH4_COMPARE_H

#include "cnn.h"
#include "json.h"
#include "mnist.h"

#include <stddef.h>

/* The four directions of desplazamientos.csv, in its order, and the
 * distances 0..SHIFT_MAX. */
#define SHIFT_DIRECTIONS 4
#define SHIFT_MAX 4
extern const char *const SHIFT_NAME[SHIFT_DIRECTIONS]; /* derecha, izquierda, abajo, arriba */
extern const int SHIFT_DX[SHIFT_DIRECTIONS], SHIFT_DY[SHIFT_DIRECTIONS];

/* Everything: the CNN's probabilities and shifts written, chapter 3's read
 * from mlp_dir, the comparison printed and written to out (CSVs and
 * comparacion.json). `threads` as the chapter's. Adds its own work to the
 * run's progress plan. */
/* The comparison's work in the run's progress units (main.c's plan). */
double compare_work(int test_n);

void compare_models(const CnnNet *net, const Mnist *test, const char *mlp_dir, const char *out,
                    int threads);
/* What compare_models found, as the object "comparacion_mlp_cnn" of the
 * chapter's summary.json (nothing when it did not run). */
void compare_write_summary(Json *j);

/* --- the parts, for the tests ------------------------------------------- */

/* The CNN's softmax probabilities (n, 10) of the test images, through the
 * fast forward pass, each rounded as prueba_probabilidades.csv prints it
 * ("%.6g"), so that what is measured is what the file holds. */
void cnn_test_probabilities(const CnnNet *net, const Mnist *test, int threads, double *probs);

/* prueba_probabilidades.csv (contract of chapter 3). */
void write_probabilities(const char *path, const Mnist *test, const double *probs);

/* Reads a prueba_probabilidades.csv into probs (test->n, 10), checking it
 * against the test set: header, one row per image in order, labels equal to
 * the test set's, probabilities in [0, 1] summing to 1. Returns 0, or -1
 * with one Spanish line in err naming the file and what is wrong ("falta
 * <path>: ejecuta make chapter3" when it is not there). */
int read_probabilities(const char *path, const Mnist *test, double *probs, char *err,
                       size_t errlen);

/* Reads a desplazamientos.csv (20 rows, the directions in SHIFT_NAME's order,
 * pixeles 0..4, exactitud in [0, 1]). 0, or -1 with one line in err. */
int read_shifts(const char *path, double acc[SHIFT_DIRECTIONS][SHIFT_MAX + 1], char *err,
                size_t errlen);

/* The CNN's accuracy on the test images moved by `pixels` in each direction
 * (acc[d][0] is the unshifted accuracy, the same for each d). */
void cnn_shift_accuracy(const CnnNet *net, const Mnist *test, int threads,
                        double acc[SHIFT_DIRECTIONS][SHIFT_MAX + 1]);

/* The class each row of probs (n, 10) gives most probability (the first on a tie). */
void predictions_from_probabilities(const double *probs, int n, unsigned char *pred);

/* McNemar's 2×2 table of two models' predictions on the same images. */
typedef struct {
    long both_right, only_a, only_b, both_wrong; /* only_a: A right and B wrong */
} McNemarTable;
McNemarTable mcnemar_table(const unsigned char *labels, const unsigned char *pred_a,
                           const unsigned char *pred_b, int n);

#endif
