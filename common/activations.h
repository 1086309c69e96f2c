/* activations.h — the activation functions of notes §1–§3 and slides 004,
 * each beside its derivative, and the table the networks choose them from.
 *
 * The scalar functions are double precision and take the pre-activation z,
 * the way the notes write σ'(Z); where the notes' own code passes the
 * activation a = σ(z) instead (σ'(z) = a(1 − a)), the _from_output form is
 * there too.
 *
 * The table (ACTIVATIONS) is how a network picks one by name: each row is
 * a name, the function and its derivative, and optionally a batched version
 * of both written as a loop the compiler vectorises (ReLU's; without one,
 * activation_forward/activation_backward call the scalar functions value by
 * value). Adding an activation is adding a row in activations.c: the
 * gradient checks (tests/test_common.c) and the chapters' --act flags pick
 * it up by themselves. */
#ifndef ACTIVATIONS_H
#define ACTIVATIONS_H

#include <stddef.h>
#include "real.h"

double sigmoid(double z);                 /* 1 / (1 + e^-z) */
double sigmoid_deriv(double z);           /* σ(z)(1 − σ(z)), at most 0.25 at z = 0 */
double sigmoid_deriv_from_output(double a);

double relu(double z);                    /* max(0, z) */
double relu_deriv(double z);              /* 0 for z ≤ 0, 1 for z > 0 (errata §3.1) */

#define LEAKY_RELU_SLOPE 0.01
double leaky_relu(double z);              /* z for z > 0, 0.01 z otherwise */
double leaky_relu_deriv(double z);

double tanh_act(double z);                /* tanh z */
double tanh_deriv(double z);              /* 1 − tanh² z */

double step(double z);                    /* 1 if z > 0 else 0 (notes §1.2) */
double step_deriv(double z);              /* 0 everywhere it exists */

/* --- the table ------------------------------------------------------------ */

typedef struct {
    const char *name;                /* "relu": what --act and the CSV columns say */
    double (*f)(double z);
    double (*df)(double z);          /* f'(z) */
    /* 0 for the step: its derivative is 0 wherever it exists, so no gradient
     * ever flows through it — drawn in the figures, refused by the networks. */
    int trainable;
    /* Optional batched versions, n values: a = f(z), and dz += da · f'(z). */
    void (*forward)(real *a, const real *z, size_t n);
    void (*backward)(real *dz, const real *z, const real *da, size_t n);
} Activation;

/* Every activation, in the order of the slides; ends with a row whose name
 * is NULL. */
extern const Activation ACTIVATIONS[];

/* The row called `name`, or NULL. */
const Activation *activation_find(const char *name);
/* "sigmoid, relu, leaky_relu, tanh" — the trainable names, for messages. */
const char *activation_names(void);

/* a = f(z) for n values (the row's batched loop, or f value by value). */
void activation_forward(const Activation *act, real *a, const real *z, size_t n);
/* dz += da · f'(z) for n values: the backward pass of a = f(z). */
void activation_backward(const Activation *act, real *dz, const real *z, const real *da,
                         size_t n);

#endif
