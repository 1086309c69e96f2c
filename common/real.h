/* real.h — the number type of the MNIST layers (chapters 3–4).
 *
 * Training runs in float: it halves memory traffic and lets OpenBLAS use
 * sgemm. The gradient-check tests compile the same layer code with
 * -DREAL_F64, so the central differences are taken in double precision. */
#ifndef REAL_H
#define REAL_H

#ifdef REAL_F64
typedef double real;
#define REAL_NAME "double"
#else
typedef float real;
#define REAL_NAME "float"
#endif

#endif
