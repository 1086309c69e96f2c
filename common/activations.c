/* activations.c — see activations.h. */
#include "activations.h"

#include <math.h>
#include <string.h>

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

/* --- batched loops where they pay ----------------------------------------- */

/* ReLU runs on every hidden value of chapters 3 and 4, twice per step: as
 * plain loops (no call per value) the compiler turns them into a few vector
 * instructions. Same numbers as relu() and relu_deriv(). */
static void relu_forward(real *a, const real *z, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a[i] = z[i] > 0 ? z[i] : 0;
}

static void relu_backward(real *dz, const real *z, const real *da, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dz[i] += z[i] > 0 ? da[i] : 0;
}

/* --- the table ------------------------------------------------------------ */

const Activation ACTIVATIONS[] = {
    {"sigmoid", sigmoid, sigmoid_deriv, 1, NULL, NULL},
    {"relu", relu, relu_deriv, 1, relu_forward, relu_backward},
    {"leaky_relu", leaky_relu, leaky_relu_deriv, 1, NULL, NULL},
    {"tanh", tanh_act, tanh_deriv, 1, NULL, NULL},
    {"step", step, step_deriv, 0, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};

const Activation *activation_find(const char *name)
{
    for (const Activation *a = ACTIVATIONS; a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

const char *activation_names(void)
{
    static char names[256];
    if (!names[0])
        for (const Activation *a = ACTIVATIONS; a->name; a++)
            if (a->trainable) {
                if (names[0])
                    strncat(names, ", ", sizeof names - strlen(names) - 1);
                strncat(names, a->name, sizeof names - strlen(names) - 1);
            }
    return names;
}

void activation_forward(const Activation *act, real *a, const real *z, size_t n)
{
    if (act->forward) {
        act->forward(a, z, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        a[i] = (real)act->f((double)z[i]);
}

void activation_backward(const Activation *act, real *dz, const real *z, const real *da,
                         size_t n)
{
    if (act->backward) {
        act->backward(dz, z, da, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        dz[i] += da[i] * (real)act->df((double)z[i]);
}
