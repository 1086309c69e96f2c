/* losses.c — see losses.h. */
#include "losses.h"

#include <math.h>

double mse(const double *y, const double *y_hat, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++) {
        double e = y[i] - y_hat[i];
        sum += e * e;
    }
    return n ? sum / n : 0.0;
}

void softmax(double *z, int n)
{
    double max = z[0];
    for (int i = 1; i < n; i++)
        if (z[i] > max)
            max = z[i];
    double sum = 0;
    for (int i = 0; i < n; i++) {
        z[i] = exp(z[i] - max);
        sum += z[i];
    }
    for (int i = 0; i < n; i++)
        z[i] /= sum;
}

double cross_entropy(const double *y_hat, int n, int label)
{
    (void)n;
    double p = y_hat[label];
    return -log(p > 1e-12 ? p : 1e-12);
}

void cross_entropy_softmax_grad(double *grad, const double *y_hat, int n, int label)
{
    for (int i = 0; i < n; i++)
        grad[i] = y_hat[i] - (i == label ? 1.0 : 0.0);
}
