/* gemm.h — the one matrix product the MNIST layers need (chapters 3–4).
 *
 *     C (M, N) = alpha · op(A) (M, K) · op(B) (K, N) + beta · C
 *
 * Row-major, like every array in the series. op(X) is X, or Xᵀ when the
 * trans flag is non-zero:
 *     transA = 0: A is stored (M, K), row stride lda >= K
 *     transA = 1: A is stored (K, M), row stride lda >= M
 *     transB = 0: B is stored (K, N), row stride ldb >= N
 *     transB = 1: B is stored (N, K), row stride ldb >= K
 *     C is stored (M, N), row stride ldc >= N
 * beta = 0 overwrites C (whatever was in it, even NaN); beta = 1 accumulates,
 * which is how the backward passes add into their gradients.
 *
 * Two versions with the same answer (tests/test_ch3_layers.c holds them to
 * 1e-5 + 1e-5·|ref|):
 *   gemm_plain — the triple loop a student can check by hand;
 *   gemm       — what the layers call: OpenBLAS's cblas_sgemm (cblas_dgemm
 *                when the layers are compiled with -DREAL_F64), or
 *                gemm_plain after gemm_use_plain_loops(1) — the chapters'
 *                --plain, so that stepping into a layer in a debugger ends
 *                in loops one can read, not in OpenBLAS's assembly. */
#ifndef GEMM_H
#define GEMM_H

#include "real.h"

void gemm_plain(int transA, int transB, int M, int N, int K, real alpha,
                const real *A, int lda, const real *B, int ldb, real beta,
                real *C, int ldc);

/* 1: from now on gemm() is gemm_plain (the whole program: set it once,
 * before any thread starts). 0: OpenBLAS again. */
void gemm_use_plain_loops(int on);
int gemm_uses_plain_loops(void);

void gemm(int transA, int transB, int M, int N, int K, real alpha,
          const real *A, int lda, const real *B, int ldb, real beta,
          real *C, int ldc);

#endif
