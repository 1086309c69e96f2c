/* demo_networks_stub.c — the two networks of the drawing page, replaced for
 * the request fuzzer and its test (tests/fuzz/fuzz.mk, tests/tests.mk).
 *
 * demo_api.c names demo_mlp_run and demo_cnn_run (demo_predict_json's second
 * half); the fuzzer drives only demo_read_request, which never reaches them.
 * Linking these instead of demo_models.c keeps the fuzzer free of chapters 3
 * and 4's code and its changes, and turns that "never" into a check: a
 * request reaching a network aborts, and the fuzzer keeps the input. */
#include <stdio.h>
#include <stdlib.h>

#include "../../chapters/04-cnn/demo/demo_models.h"

void demo_mlp_run(const DemoModels *m, const real *x, DemoGuess *out)
{
    (void)m, (void)x, (void)out;
    fprintf(stderr, "demo_mlp_run: the request reader reached a network\n");
    abort();
}

void demo_cnn_run(const DemoModels *m, const real *x, DemoCnnResult *out)
{
    (void)m, (void)x, (void)out;
    fprintf(stderr, "demo_cnn_run: the request reader reached a network\n");
    abort();
}
