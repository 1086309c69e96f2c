/* mat.c — see mat.h. Plain loops: these matrices have a handful of entries. */
#include "mat.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void need(int ok, const char *op, Mat a, Mat b)
{
    if (!ok)
        die("internal error: %s of shapes (%d, %d) and (%d, %d)", op,
            a.rows, a.cols, b.rows, b.cols);
}

Mat mat_new(int rows, int cols)
{
    Mat m = {rows, cols, xcalloc((size_t)rows * cols, sizeof(double))};
    return m;
}

Mat mat_from(int rows, int cols, const double *values)
{
    Mat m = mat_new(rows, cols);
    memcpy(m.data, values, (size_t)rows * cols * sizeof(double));
    return m;
}

Mat mat_copy(Mat a) { return mat_from(a.rows, a.cols, a.data); }

void mat_free(Mat *m)
{
    free(m->data);
    m->data = NULL;
    m->rows = m->cols = 0;
}

void mat_fill(Mat m, double v)
{
    for (int i = 0; i < m.rows * m.cols; i++)
        m.data[i] = v;
}

void mat_matmul(Mat out, Mat a, Mat b)
{
    need(a.cols == b.rows && out.rows == a.rows && out.cols == b.cols, "a·b", a, b);
    for (int i = 0; i < a.rows; i++)
        for (int j = 0; j < b.cols; j++) {
            double sum = 0;
            for (int k = 0; k < a.cols; k++)
                sum += MAT_AT(a, i, k) * MAT_AT(b, k, j);
            MAT_AT(out, i, j) = sum;
        }
}

void mat_matmul_tn(Mat out, Mat a, Mat b)
{
    need(a.rows == b.rows && out.rows == a.cols && out.cols == b.cols, "aᵀ·b", a, b);
    for (int i = 0; i < a.cols; i++)
        for (int j = 0; j < b.cols; j++) {
            double sum = 0;
            for (int k = 0; k < a.rows; k++)
                sum += MAT_AT(a, k, i) * MAT_AT(b, k, j);
            MAT_AT(out, i, j) = sum;
        }
}

void mat_matmul_nt(Mat out, Mat a, Mat b)
{
    need(a.cols == b.cols && out.rows == a.rows && out.cols == b.rows, "a·bᵀ", a, b);
    for (int i = 0; i < a.rows; i++)
        for (int j = 0; j < b.rows; j++) {
            double sum = 0;
            for (int k = 0; k < a.cols; k++)
                sum += MAT_AT(a, i, k) * MAT_AT(b, j, k);
            MAT_AT(out, i, j) = sum;
        }
}

void mat_add_row(Mat m, Mat row)
{
    need(row.rows == 1 && row.cols == m.cols, "broadcast add", m, row);
    for (int i = 0; i < m.rows; i++)
        for (int j = 0; j < m.cols; j++)
            MAT_AT(m, i, j) += row.data[j];
}

void mat_col_sums(Mat out, Mat a)
{
    need(out.rows == 1 && out.cols == a.cols, "column sums", out, a);
    for (int j = 0; j < a.cols; j++) {
        double sum = 0;
        for (int i = 0; i < a.rows; i++)
            sum += MAT_AT(a, i, j);
        out.data[j] = sum;
    }
}

static int same_shape(Mat a, Mat b) { return a.rows == b.rows && a.cols == b.cols; }

void mat_hadamard(Mat out, Mat a, Mat b)
{
    need(same_shape(a, b) && same_shape(out, a), "a ⊙ b", a, b);
    for (int i = 0; i < a.rows * a.cols; i++)
        out.data[i] = a.data[i] * b.data[i];
}

void mat_sub(Mat out, Mat a, Mat b)
{
    need(same_shape(a, b) && same_shape(out, a), "a − b", a, b);
    for (int i = 0; i < a.rows * a.cols; i++)
        out.data[i] = a.data[i] - b.data[i];
}

void mat_axpy(Mat y, double alpha, Mat x)
{
    need(same_shape(x, y), "y += αx", y, x);
    for (int i = 0; i < y.rows * y.cols; i++)
        y.data[i] += alpha * x.data[i];
}

void mat_apply(Mat out, Mat a, double (*f)(double))
{
    need(same_shape(out, a), "f(a)", out, a);
    for (int i = 0; i < a.rows * a.cols; i++)
        out.data[i] = f(a.data[i]);
}

double mat_mean_square(Mat a)
{
    double sum = 0;
    int n = a.rows * a.cols;
    for (int i = 0; i < n; i++)
        sum += a.data[i] * a.data[i];
    return n ? sum / n : 0.0;
}

void mat_print(const char *name, Mat m)
{
    printf("%s (%d, %d) =\n", name, m.rows, m.cols);
    for (int i = 0; i < m.rows; i++) {
        printf("  [");
        for (int j = 0; j < m.cols; j++)
            printf(j ? " %9.5f" : "%9.5f", MAT_AT(m, i, j));
        printf(" ]\n");
    }
}
