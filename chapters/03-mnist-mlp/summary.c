/* summary.c — summary.json, written once at the end from what the sections
 * found (Ch3Results): the settings, the key numbers of every section that
 * ran, and the list of files written. The keys are what bench/run-bench.sh
 * and tests/test_ch3.c read; the top-level ones (test_accuracy,
 * seconds_per_epoch, train_images_per_second, inference_images_per_second,
 * ...) are the default network's. A run whose loss stopped being finite has
 * "diverged": {"epoch", "batch", ...} where its accuracy would be: the main
 * network's (then the program stops there, exit 1), the first network's, or
 * a comparison's. */
#include "mlp.h"

#include "out.h"

/* "diverged": {"epoch": 1, "batch": 7, "lr": 1000, "opt": "sgd"}: where a
 * run's loss stopped being finite (opt NULL: the lr and opt are the
 * entry's own). */
static void diverged_at(Json *j, int epoch, int batch, double lr, const char *opt)
{
    json_begin_object(j, "diverged");
    json_int(j, "epoch", epoch);
    json_int(j, "batch", batch);
    if (opt) {
        json_num(j, "lr", lr);
        json_str(j, "opt", opt);
    }
    json_end_object(j);
}

static void first_network(Json *j, const Ch3Config *c, const Ch3FirstNet *r)
{
    json_begin_object(j, "one_hidden_layer");
    json_str(j, "shape", "784-128-10");
    if (r->diverged)   /* no accuracy to claim */
        diverged_at(j, r->diverged_epoch, r->diverged_batch, c->lr[c->main_lr],
                    c->opt[c->main_opt]);
    else
        json_num(j, "test_accuracy", r->test_accuracy);
    json_num_array(j, "epoch_loss", r->epochs, r->epoch_loss);
    json_end_object(j);
}

static void vanishing(Json *j, const Ch3Vanishing *r)
{
    json_begin_object(j, "vanishing_gradient");
    json_int(j, "hidden_layers", r->hidden_layers);
    json_num_array(j, "sigmoid_grad_norm", r->nlayers, r->sigmoid_norm);
    json_num_array(j, "relu_grad_norm", r->nlayers, r->relu_norm);
    json_num(j, "sigmoid_first_over_last", r->sigmoid_first_over_last);
    json_num(j, "relu_first_over_last", r->relu_first_over_last);
    json_num(j, "sigmoid_train_accuracy_1_epoch_sgd", r->sigmoid_accuracy);
    json_num(j, "relu_train_accuracy_1_epoch_sgd", r->relu_accuracy);
    json_end_object(j);
}

static void cross_entropy_example(Json *j, const Ch3CrossEntropy *r)
{
    json_begin_object(j, "cross_entropy_example");
    json_num(j, "loss", r->loss);
    json_num(j, "grad_at_3", r->grad_at_3);
    json_end_object(j);
}

void ch3_json_settings(Json *j, const Ch3Config *c, const char *shape)
{
    json_begin_object(j, "settings");
    json_str(j, "shape", shape);
    json_str(j, "activation", c->act->name);
    json_str(j, "loss", "softmax_cross_entropy");
    json_str(j, "init", "glorot_uniform");
    json_str(j, "optimizer", c->opt[c->main_opt]);
    json_num(j, "lr", c->lr[c->main_lr]);
    json_int(j, "batch", c->batch);
    json_int(j, "seed", (long long)c->seed);
    json_num(j, "dropout", c->dropout);
    json_num(j, "l2", c->l2);
    json_str(j, "real", REAL_NAME);
    json_int(j, "threads", c->threads);
    json_bool(j, "plain", c->plain);
    json_end_object(j);
}

static void main_network(Json *j, const Ch3Config *c, const Ch3MainRun *r)
{
    if (r->diverged) {   /* the epochs it finished, where it diverged; no accuracy, no timing */
        diverged_at(j, r->diverged_epoch, r->diverged_batch, c->lr[c->main_lr],
                    c->opt[c->main_opt]);
        json_int(j, "epochs", r->epochs);
        json_num_array(j, "epoch_loss", r->epochs, r->epoch_loss);
        ch3_json_settings(j, c, r->shape);
        return;
    }
    json_num(j, "test_accuracy", r->test_accuracy);
    json_int(j, "epochs", r->epochs);
    json_num_array(j, "epoch_loss", r->epochs, r->epoch_loss);
    json_num(j, "train_seconds", r->train_seconds);
    json_num(j, "seconds_per_epoch", r->seconds_per_epoch);
    json_num(j, "train_images_per_second", r->train_images_per_second);
    json_num(j, "inference_images_per_second", r->inference_images_per_second);
    json_num(j, "inference_images_per_second_b64", r->inference_images_per_second_b64);
    ch3_json_settings(j, c, r->shape);
}

static void comparison(Json *j, const Ch3Comparison *r)
{
    static const char *dir[4] = {"derecha", "izquierda", "abajo", "arriba"};
    json_begin_object(j, "shift_accuracy");   /* desplazamientos.csv, pixels 0..4 */
    for (int d = 0; d < 4; d++)
        json_num_array(j, dir[d], CH3_MAX_SHIFT + 1, r->shift_accuracy[d]);
    json_end_object(j);
}

static void metrics(Json *j, const Ch3Metrics *r)
{
    json_begin_object(j, "metrics");
    json_num(j, "accuracy", r->report.accuracy);
    json_num(j, "macro_precision", r->report.macro_precision);
    json_num(j, "macro_recall", r->report.macro_recall);
    json_num(j, "macro_f1", r->report.macro_f1);
    json_num_array(j, "f1", r->report.k, r->report.f1);
    confusion_top_json(j, "top_confusions", r->top, r->ntop);
    json_end_object(j);
}

static void pictures(Json *j, const Ch3Pictures *r)
{
    json_begin_object(j, "pictures");
    json_int(j, "misclassified", r->misclassified);
    json_int(j, "dead_first_layer_neurons", r->dead_first_layer_neurons);
    json_int(j, "first500_hits", r->first500_hits);
    json_int(j, "first500_misses", r->first500_misses);
    json_end_object(j);
}

static void overfitting(Json *j, const Ch3Overfitting *r)
{
    json_begin_array(j, "overfitting");
    for (int v = 0; v < r->nvariants; v++) {
        json_begin_object(j, NULL);
        json_str(j, "variant", r->v[v].key);
        json_num(j, "dropout", r->v[v].dropout);
        json_num(j, "l2", r->v[v].l2);
        json_int(j, "best_epoch", r->v[v].best_epoch);
        json_int(j, "early_stop_epoch", r->v[v].early_stop_epoch);
        json_num(j, "best_val_loss", r->v[v].best_val_loss);
        json_int(j, "min_val_epoch", r->v[v].min_val_epoch);
        json_num(j, "min_val_loss", r->v[v].min_val_loss);
        json_num(j, "final_val_loss", r->v[v].final_val_loss);
        json_num(j, "final_train_loss", r->v[v].final_train_loss);
        json_num(j, "test_accuracy_last", r->v[v].test_accuracy_last);
        json_num(j, "test_accuracy_best", r->v[v].test_accuracy_best);
        json_end_object(j);
    }
    json_end_array(j);
}

static void optimisers(Json *j, const Ch3Optimisers *r)
{
    json_begin_array(j, "comparison");
    for (int k = 0; k < r->ncmp; k++) {
        json_begin_object(j, NULL);
        json_str(j, "optimizer", r->cmp[k].opt);
        json_num(j, "lr", r->cmp[k].lr);
        if (r->cmp[k].diverged)   /* where; and no accuracy */
            diverged_at(j, r->cmp[k].diverged_epoch, r->cmp[k].diverged_batch, 0, NULL);
        else
            json_bool(j, "diverged", 0);
        if (!r->cmp[k].is_main && !r->cmp[k].diverged)   /* the main one's is the top-level one */
            json_num(j, "test_accuracy", r->cmp[k].test_accuracy);
        json_end_object(j);
    }
    json_end_array(j);
    json_begin_array(j, "exercise_3_5");
    for (int k = 0; k < r->nex; k++) {
        json_begin_object(j, NULL);
        json_str(j, "run", r->ex[k].run);
        json_num(j, "final_epoch_loss", r->ex[k].final_epoch_loss);
        json_num(j, "test_accuracy", r->ex[k].test_accuracy);
        json_end_object(j);
    }
    json_end_array(j);
}

static void seed003(Json *j, const Ch3Seed003 *r)
{
    json_begin_object(j, "seed003");
    json_int(j, "epochs", r->epochs);
    for (int k = 0; k < CH3_SEED003_RUNS; k++) {
        json_begin_object(j, r->run[k].key);
        json_num(j, "lr", r->run[k].lr);
        json_bool(j, "summed", r->run[k].summed);
        json_num(j, "test_accuracy", r->run[k].test_accuracy);
        json_num_array(j, "epoch_cost", r->epochs, r->run[k].epoch_cost);
        json_end_object(j);
    }
    json_int(j, "first500_hits", r->first500_hits);
    json_int(j, "first500_misses", r->first500_misses);
    json_end_object(j);
}

void ch3_write_summary(const Ch3Config *c, const Mnist *train, const Mnist *test,
                       const Ch3Results *r)
{
    Json j;
    json_open(&j, out_path(c->out, "summary.json"));
    json_str(&j, "chapter", "03-mnist-mlp");
    json_str(&j, "data", c->data);
    json_int(&j, "train_images", train->n);
    json_int(&j, "test_images", test->n);
    if (r->first.ran)
        first_network(&j, c, &r->first);
    if (r->vanishing.ran)
        vanishing(&j, &r->vanishing);
    if (r->cross_entropy.ran)
        cross_entropy_example(&j, &r->cross_entropy);
    main_network(&j, c, &r->main);
    if (r->metrics.ran)
        metrics(&j, &r->metrics);
    if (r->pictures.ran)
        pictures(&j, &r->pictures);
    if (r->overfitting.ran)
        overfitting(&j, &r->overfitting);
    if (r->optimisers.ran)
        optimisers(&j, &r->optimisers);
    if (r->seed003.ran)
        seed003(&j, &r->seed003);
    if (r->comparison.ran)
        comparison(&j, &r->comparison);
    if (r->first.ran && !r->first.diverged)
        json_num(&j, "one_hidden_layer_accuracy", r->first.test_accuracy);
    json_num(&j, "peak_rss_mb", r->peak_rss_mb);
    json_files(&j);
    json_close(&j);
}
