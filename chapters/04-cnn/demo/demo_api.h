/* demo_api.h — the drawing page's one question to C (notes §4.4): "what digit is
 * this?", asked as POST /api/predict and answered as JSON. The server (server.c)
 * passes the body it received to demo_predict_json() and sends back what it
 * returns; everything between — reading the request, MNIST's preprocessing, the
 * two networks, writing the answer — lives behind this header.
 *
 * The request (JSON):
 *     {"model": "cnn"|"mlp"|"both", "pixels": [784 numbers]}
 *         a 28×28 image, row by row, ink = 1, given to the networks as it is
 *     {"model": ..., "width": W, "height": H, "pixels": [W*H numbers]}
 *         a raw canvas, ink = 1, 1 ≤ W, H ≤ DEMO_MAX_SIDE, preprocessed as MNIST
 *         was made (demo_preprocess.h)
 * Every pixel a number in [0, 1]. Keys the request does not know are ignored;
 * a key given twice is refused.
 *
 * The answer, status 200:
 *     {"input": [784],                              the 28×28 the networks see
 *      "mlp": {"probabilities": [10], "guess": d},  model mlp or both
 *      "cnn": {"probabilities": [10], "guess": d,   model cnn or both
 *              "feature_maps": {"channels": 32, "size": 26, "values": [32*26*26]},
 *              "saliency": [784]}}
 * (input, feature maps and saliency with 3 decimals), or, for an image with no
 * ink at all, {"empty": true, "input": [784 zeros]} and no guesses.
 * Otherwise {"error": "one line in Spanish"} with status 400 (the request is
 * wrong) or 413 (the body is over DEMO_MAX_BODY). */
#ifndef DEMO_API_H
#define DEMO_API_H

#include <stddef.h>

#include "real.h"

#define DEMO_MAX_BODY (4 * 1024 * 1024)      /* bytes; over it: 413 */
#define DEMO_MAX_SIDE 1024                   /* width, height of a raw canvas */

typedef struct DemoModels DemoModels;

/* Chapter 3's MLP (784–128–64–10, ReLU: out/03-mnist-mlp/model.safetensors) and
 * chapter 4's CNN (out/04-cnn/model.safetensors), read once. NULL and one line
 * in Spanish in err when a file is missing or is not that network.
 * Call it before the server's threads start: it switches the matrix products of
 * the whole program to the readable loops (gemm_use_plain_loops, demo_models.c
 * says why). */
DemoModels *demo_models_load(const char *mlp_path, const char *cnn_path,
                             char *err, size_t errlen);
void demo_models_free(DemoModels *m);

/* One POST /api/predict body (len bytes, need not end in NUL) → *json (malloc'd,
 * NUL-terminated, caller frees) and the HTTP status: 200, or 400 (malformed JSON,
 * wrong count, non-number, NaN, value outside [0,1], unknown model, missing
 * field), 413 (body too large). Safe to call from many threads at once on the
 * same models: nothing shared is written (demo_models.c). */
int demo_predict_json(const DemoModels *m, const char *body, size_t len, char **json);

/* A request read and checked, and the 28 × 28 image the networks would see. */
typedef struct {
    char model[8];               /* "cnn", "mlp" or "both" */
    int ink;                     /* 0: an image without ink, nothing to guess */
    real input[28 * 28];         /* row by row, ink = 1 (demo_preprocess.h) */
} DemoRequest;

/* demo_predict_json's first half, without the networks (the fuzzer's target,
 * tests/fuzz/fuzz_demo_request.c): the body read, checked and made into the
 * networks' input. 200 and *req filled, or 400 / 413 with the one line in
 * Spanish that demo_predict_json would send, in err. */
int demo_read_request(const char *body, size_t len, DemoRequest *req, char *err, size_t errlen);

#endif
