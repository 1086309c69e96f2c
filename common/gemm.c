/* gemm.c — the readable matrix product and the fast one (see gemm.h). */
#include "gemm.h"

#include <cblas.h>

/* Element (i, k) of op(A) and (k, j) of op(B), wherever the layout keeps it. */
static inline real at_op(const real *X, int trans, int ld, int r, int c)
{
    return trans ? X[(long)c * ld + r] : X[(long)r * ld + c];
}

void gemm_plain(int transA, int transB, int M, int N, int K, real alpha,
                const real *A, int lda, const real *B, int ldb, real beta,
                real *C, int ldc)
{
    for (int i = 0; i < M; i++) {
        for (int j = 0; j < N; j++) {
            /* The dot product in double: the plain kernel is the reference. */
            double sum = 0;
            for (int k = 0; k < K; k++)
                sum += (double)at_op(A, transA, lda, i, k) * at_op(B, transB, ldb, k, j);
            real *c = &C[(long)i * ldc + j];
            /* beta = 0 must overwrite, not multiply: 0·NaN would stay NaN. */
            *c = (real)(alpha * sum + (beta == 0 ? 0 : beta * *c));
        }
    }
}

static int g_plain;

void gemm_use_plain_loops(int on) { g_plain = on; }
int gemm_uses_plain_loops(void) { return g_plain; }

void gemm(int transA, int transB, int M, int N, int K, real alpha,
          const real *A, int lda, const real *B, int ldb, real beta,
          real *C, int ldc)
{
    if (M <= 0 || N <= 0)
        return;
    if (g_plain) {
        gemm_plain(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
#ifdef REAL_F64
    cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans, M, N, K, alpha, A, lda, B, ldb,
                beta, C, ldc);
#else
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans, M, N, K, alpha, A, lda, B, ldb,
                beta, C, ldc);
#endif
}
