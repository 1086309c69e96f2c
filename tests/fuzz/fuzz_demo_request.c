/* fuzz_demo_request.c — the drawing page's request reader (chapter 4's demo,
 * demo_api.c) on any body.
 *
 * Input: the body of a POST /api/predict, as the server would pass it
 * (length-delimited, not NUL-terminated). demo_read_request is
 * demo_predict_json without the two networks: the strict JSON reader, the
 * checks, and MNIST's preprocessing of a raw canvas — everything a body can
 * reach before the models run (they see only a 28 × 28 in [0, 1], which is
 * checked here). Promises checked: 200 gives a known model and 784 values in
 * [0, 1], with ink exactly when one of them is above 0; 400 and 413 give one
 * line. */
#include "../../chapters/04-cnn/demo/demo_api.h"
#include "fuzz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fuzz_demo_request_one(const uint8_t *data, size_t size)
{
    DemoRequest *req = malloc(sizeof *req);
    char err[512] = "";
    int status = demo_read_request((const char *)data, size, req, err, sizeof err);
    if (status == 200) {
        FUZZ_CHECK(strcmp(req->model, "cnn") == 0 || strcmp(req->model, "mlp") == 0 ||
                   strcmp(req->model, "both") == 0, "model '%s'", req->model);
        int ink = 0;
        for (int i = 0; i < 28 * 28; i++) {
            FUZZ_CHECK(isfinite(req->input[i]) && req->input[i] >= 0 && req->input[i] <= 1,
                       "input[%d] = %g", i, (double)req->input[i]);
            ink |= req->input[i] > 0;
        }
        FUZZ_CHECK(ink == req->ink, "ink %d, but the input says %d", req->ink, ink);
    } else {
        FUZZ_CHECK(status == 400 || status == 413, "status %d", status);
        FUZZ_CHECK(err[0] != '\0' && strchr(err, '\n') == NULL, "the error is not one line: '%s'",
                   err);
    }
    free(req);
    return status == 200;
}

#ifdef FUZZING
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_demo_request_one(data, size);
    return 0;
}
#endif
