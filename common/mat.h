/* mat.h — a small dense matrix of doubles, row-major, for the chapters whose
 * networks fit on a page (chapters 1–2). Shapes are written (rows, cols), as
 * the notes write X (4, 2), W1 (2, 2).
 *
 * Every operation checks that the shapes agree and stops with a clear line if
 * they do not: a shape mistake is the most common bug in a first network. */
#ifndef MAT_H
#define MAT_H

typedef struct {
    int rows, cols;
    double *data;   /* rows * cols values, row after row */
} Mat;

#define MAT_AT(m, i, j) ((m).data[(size_t)(i) * (m).cols + (j)])

Mat mat_new(int rows, int cols);                  /* zeros */
Mat mat_from(int rows, int cols, const double *values);
Mat mat_copy(Mat a);
void mat_free(Mat *m);
void mat_fill(Mat m, double v);

void mat_matmul(Mat out, Mat a, Mat b);      /* out (n,m) = a (n,k) · b (k,m) */
void mat_matmul_tn(Mat out, Mat a, Mat b);   /* out (k,m) = aᵀ (k,n) · b (n,m) */
void mat_matmul_nt(Mat out, Mat a, Mat b);   /* out (n,k) = a (n,m) · bᵀ (m,k) */
void mat_add_row(Mat m, Mat row);            /* m (n,c) += row (1,c), to every row */
void mat_col_sums(Mat out, Mat a);           /* out (1,c) = Σ_rows a (n,c) */
void mat_hadamard(Mat out, Mat a, Mat b);    /* out = a ⊙ b, elementwise */
void mat_sub(Mat out, Mat a, Mat b);         /* out = a − b */
void mat_axpy(Mat y, double alpha, Mat x);   /* y += alpha · x */
void mat_apply(Mat out, Mat a, double (*f)(double)); /* out = f(a) */
double mat_mean_square(Mat a);               /* mean of a² */

void mat_print(const char *name, Mat m);

#endif
