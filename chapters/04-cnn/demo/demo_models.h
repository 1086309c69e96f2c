/* demo_models.h — the two trained networks of the series, run on one image.
 *
 * Chapter 3's MLP (784–128–64–10, ReLU) through ch3_forward, and chapter 4's
 * CNN through cnn_forward and cnn_backward: the readable code the chapters
 * step through, not their fast paths — one image at a time needs no batching
 * tricks. demo_models_load and demo_models_free are in demo_api.h (the server
 * sees only that header); these are what demo_api.c asks of the networks. */
#ifndef DEMO_MODELS_H
#define DEMO_MODELS_H

#include "demo_api.h"
#include "real.h"

#define DEMO_CLASSES 10
#define DEMO_MAPS 32                    /* conv1's filters ... */
#define DEMO_MAP_SIDE 26                /* ... each map 28 − 3 + 1 wide */
#define DEMO_MAP_VALUES (DEMO_MAPS * DEMO_MAP_SIDE * DEMO_MAP_SIDE)

typedef struct {
    real probabilities[DEMO_CLASSES];   /* softmax of the logits */
    int guess;                          /* the largest of them */
} DemoGuess;

typedef struct {
    DemoGuess guess;
    real maps[DEMO_MAP_VALUES];         /* (32, 26, 26): F.relu(conv1(x)) */
    /* (28, 28): |∂ log p(guess) / ∂ x|, divided by its largest value, so the
     * pixel that moves the guess most is 1 (all 0 when none moves it) */
    real saliency[784];
    double saliency_scale;              /* that largest |∂ log p(guess) / ∂ x| */
} DemoCnnResult;

/* The 784 pixels x (28 × 28, ink = 1) through each network. Thread-safe. */
void demo_mlp_run(const DemoModels *m, const real *x, DemoGuess *out);
void demo_cnn_run(const DemoModels *m, const real *x, DemoCnnResult *out);

#endif
