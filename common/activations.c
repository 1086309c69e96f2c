/* activations.c — see activations.h. */
#include "activations.h"

#include <math.h>

double sigmoid(double z)
{
    /* Written so that neither branch computes exp of a large positive
     * number: for very negative z, e^-z would overflow to inf. */
    if (z >= 0) {
        double e = exp(-z);
        return 1.0 / (1.0 + e);
    }
    double e = exp(z);
    return e / (1.0 + e);
}

double sigmoid_deriv(double z)
{
    double s = sigmoid(z);
    return s * (1.0 - s);
}

double sigmoid_deriv_from_output(double a) { return a * (1.0 - a); }

double relu(double z) { return z > 0 ? z : 0.0; }
double relu_deriv(double z) { return z > 0 ? 1.0 : 0.0; }

double leaky_relu(double z) { return z > 0 ? z : LEAKY_RELU_SLOPE * z; }
double leaky_relu_deriv(double z) { return z > 0 ? 1.0 : LEAKY_RELU_SLOPE; }

double tanh_act(double z) { return tanh(z); }
double tanh_deriv(double z)
{
    double t = tanh(z);
    return 1.0 - t * t;
}

double step(double z) { return z > 0 ? 1.0 : 0.0; }
double step_deriv(double z)
{
    (void)z;
    return 0.0;
}
