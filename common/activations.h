/* activations.h — the activation functions of notes §2–§3 and slides 004,
 * each beside its derivative, in double precision.
 *
 * Derivatives are written as functions of the pre-activation z, the way the
 * notes write σ'(Z). Where the notes' own code passes the activation a = σ(z)
 * instead (σ'(z) = a(1 − a)), the _from_output form is there too. */
#ifndef ACTIVATIONS_H
#define ACTIVATIONS_H

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

#endif
