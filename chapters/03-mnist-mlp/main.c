/* main.c — chapter 3, "Reconocimiento de patrones": MNIST with a multilayer
 * network trained by backpropagation written out by hand (notes §3).
 *
 * What it is: the notes' §3.4 PyTorch model done in C — 784–128–64–10,
 * ReLU, softmax with cross-entropy, Glorot initialisation, shuffled batches
 * of 64, Adam with lr 0.003, 2 epochs — reading the original IDX files, and
 * around it the chapter's studies: the 784–128–10 of §3's opening, the
 * vanishing gradient (§3.1), the cross-entropy example (§3.2), overfitting
 * (§3.3), the §3.5 exercise 3 (a layer of 32 and plain SGD), the metrics of
 * thesis 002 §5.2, the image grids, and the 92 % network of seed 003.
 *
 * What it is not: a framework. The layers (common/nn.c) are plain forward
 * and backward functions; this file and net.c call them in the order the
 * notes write the formulas. Figures are drawn by plots/ch3_*.gp from the
 * CSVs written here.
 *
 *     ch3 [--lr 0.001,0.003,0.01] [--opt adam,sgd] [--epochs 2] [--batch 64]
 *         [--hidden 128,64] [--dropout P] [--l2 L] [--seed 42]
 *         [--data datasets/mnist] [--out out/03-mnist-mlp] [--bench] [--quick]
 *         [--train-limit N] [--overfit-epochs 20]
 */
#include "mlp.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli.h"
#include "out.h"
#include "safetensors.h"
#include "util.h"


#define CH3_EVAL_BATCH 1000   /* inference in batches of 1000 (issue 3 item 10) */

/* --- small helpers ----------------------------------------------------------------- */

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;   /* Linux reports kilobytes */
}

/* The result of training one network with the chapter's loop. */
typedef struct {
    int epochs;
    double epoch_loss[64];
    double train_seconds;
    double test_accuracy;
    float *batch_loss;      /* every batch's loss, epochs × batches */
    int nbatch_loss;
} Ch3Run;

/* notes §3.4: the training loop — per epoch a fresh shuffle, batches of
 * `batch`, forward, backward, optimiser step, and the notes' line
 * "Época N - Error: x.xxxx" with the mean batch loss. A NaN loss stops the
 * program with one line (the learning rate is too large). */
static void train_and_test(Ch3Net *net, const char *opt_name, double lr, const Ch3Config *c,
                           const Ch3Data *train, const Ch3Data *test, Rng *rng, Ch3Run *run)
{
    memset(run, 0, sizeof *run);
    Ch3Opt opt;
    ch3_opt_init(&opt, opt_name, lr, net);
    int nbatches = (train->n + c->batch - 1) / c->batch;
    run->batch_loss = xmalloc((size_t)c->epochs * nbatches * sizeof(float));
    int *order = xmalloc((size_t)train->n * sizeof(int));
    for (int i = 0; i < train->n; i++)
        order[i] = i;
    for (int e = 1; e <= c->epochs; e++) {
        rng_shuffle(rng, order, train->n);   /* DataLoader(shuffle=True) */
        double t0 = now_seconds();
        double loss = ch3_train_epoch(net, &opt, train, order, train->n, c->batch, rng, e,
                                      c->epochs, run->batch_loss + (size_t)(e - 1) * nbatches);
        run->train_seconds += now_seconds() - t0;
        if (!isfinite(loss))
            die("training diverged: the loss became NaN or infinite in epoch %d (%s, lr %g) — "
                "try a smaller --lr", e, opt_name, lr);
        if (e <= 64)
            run->epoch_loss[e - 1] = loss;
        run->epochs = e;
        printf("Época %d - Error: %.4f\n", e, loss);
        fflush(stdout);
    }
    run->nbatch_loss = c->epochs * nbatches;
    run->test_accuracy = ch3_evaluate(net, test, NULL, test->n, NULL, NULL);
    ch3_opt_free(&opt);
    free(order);
}

/* Inference speed: passes over the whole test set in batches of 1000,
 * repeated until half a second has passed, after one untimed pass — the
 * way bench/torch_common.py times PyTorch, so the two figures compare (one
 * pass takes ~10 ms, too short to time alone). */
static double inference_images_per_second(Ch3Net *net, const Ch3Data *test)
{
    ch3_evaluate(net, test, NULL, test->n, NULL, NULL);   /* warm-up, untimed */
    long images = 0;
    double t0 = now_seconds(), dt;
    do {
        ch3_evaluate(net, test, NULL, test->n, NULL, NULL);
        images += test->n;
        dt = now_seconds() - t0;
    } while (dt < 0.5);
    return images / dt;
}

/* Inference one batch of 64 at a time (the training batch): how fast a
 * single small request is served. */
static double inference_b64_images_per_second(Ch3Net *net, const Ch3Data *test)
{
    int bmax = net->bmax;
    net->bmax = 64;   /* ch3_evaluate cuts batches of bmax */
    double t0 = now_seconds();
    ch3_evaluate(net, test, NULL, test->n, NULL, NULL);
    double dt = now_seconds() - t0;
    net->bmax = bmax;
    return dt > 0 ? test->n / dt : 0;
}

/* The trained weights in PyTorch's state_dict names — fc1.weight (128, 784),
 * fc1.bias (128), ... — so `torch.nn.Linear` layers load them as they are
 * (our W is already stored (out, in), like nn.Linear's). */
static void save_model(const char *out, Ch3Net *net)
{
    StTensor t[2 * CH3_MAX_LAYERS];
    char names[2 * CH3_MAX_LAYERS][32];
    for (int l = 0; l < net->nlayers; l++) {
        snprintf(names[2 * l], sizeof names[0], "fc%d.weight", l + 1);
        snprintf(names[2 * l + 1], sizeof names[0], "fc%d.bias", l + 1);
        t[2 * l] = (StTensor){names[2 * l], 2, {net->sizes[l + 1], net->sizes[l]}, net->W[l]};
        t[2 * l + 1] = (StTensor){names[2 * l + 1], 1, {net->sizes[l + 1]}, net->b[l]};
    }
    st_save(out_path(out, "model.safetensors"), t, 2 * net->nlayers);
}

/* --- flags --------------------------------------------------------------------------- */

static void usage(void)
{
    printf("Uso: ch3 [opciones]   (notes §3: MNIST with a hand-written MLP)\n"
           "  --lr LIST          learning rates compared (default 0.001,0.003,0.01)\n"
           "  --opt LIST         optimisers compared: adam, sgd (default adam,sgd)\n"
           "  --epochs N         epochs of the main network (default 2)\n"
           "  --batch N          batch size (default 64)\n"
           "  --hidden LIST      hidden layer sizes (default 128,64)\n"
           "  --dropout P        dropout on the hidden layers, 0 <= P < 1 (default 0)\n"
           "  --l2 L             L2 coefficient λ on the weights (default 0)\n"
           "  --seed N           random seed (default 42)\n"
           "  --data DIR         folder with the IDX files (default datasets/mnist)\n"
           "  --out DIR          output folder (default out/03-mnist-mlp)\n"
           "  --overfit-epochs N epochs of the overfitting study (default 20)\n"
           "  --train-limit N    train on the first N training images only\n"
           "  --quick            shorter studies (for the tests)\n"
           "  --bench            only the default training, test accuracy and timings\n"
           "  --help             this text\n"
           "The main network trains with the notes' adam and 0.003 when the lists hold\n"
           "them (otherwise with the first of each); every pair is compared in\n"
           "loss_comparacion.csv.\n");
}

typedef struct {
    Ch3Config c;
    int bench, train_limit, nhidden;
    int hidden[CH3_MAX_LAYERS - 1];
} Flags;

static void parse_flags(int argc, char **argv, Flags *f)
{
    memset(f, 0, sizeof *f);
    Ch3Config *c = &f->c;
    c->out = "out/03-mnist-mlp";
    c->data = "datasets/mnist";
    c->seed = 42;
    c->epochs = 2;
    c->batch = 64;
    c->overfit_epochs = 20;
    /* The comparison's default grid; the main network picks the notes'
     * adam with 0.003 out of it (below). */
    c->nlr = 3;
    c->lr[0] = 0.001;
    c->lr[1] = 0.003;
    c->lr[2] = 0.01;
    c->nopt = 2;
    c->opt[0] = "adam";
    c->opt[1] = "sgd";
    f->nhidden = 2;
    f->hidden[0] = 128;
    f->hidden[1] = 64;
    static const char *const opts[] = {"adam", "sgd", NULL};
    enum { O_LR = 256, O_OPT, O_EPOCHS, O_BATCH, O_HIDDEN, O_DROPOUT, O_L2, O_SEED,
           O_DATA, O_OUT, O_OVERFIT, O_LIMIT, O_QUICK, O_BENCH, O_HELP };
    static const struct option longopts[] = {
        {"lr", required_argument, 0, O_LR},         {"opt", required_argument, 0, O_OPT},
        {"epochs", required_argument, 0, O_EPOCHS}, {"batch", required_argument, 0, O_BATCH},
        {"hidden", required_argument, 0, O_HIDDEN}, {"dropout", required_argument, 0, O_DROPOUT},
        {"l2", required_argument, 0, O_L2},         {"seed", required_argument, 0, O_SEED},
        {"data", required_argument, 0, O_DATA},     {"out", required_argument, 0, O_OUT},
        {"overfit-epochs", required_argument, 0, O_OVERFIT},
        {"train-limit", required_argument, 0, O_LIMIT},
        {"quick", no_argument, 0, O_QUICK},         {"bench", no_argument, 0, O_BENCH},
        {"help", no_argument, 0, O_HELP},           {0, 0, 0, 0}};
    opterr = 0;
    int ch;
    double tmp[CH3_MAX_LAYERS];
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case O_LR: c->nlr = parse_positive_double_list("--lr", optarg, c->lr, 8); break;
        case O_OPT: c->nopt = parse_word_list("--opt", optarg, opts, c->opt, 4); break;
        case O_EPOCHS: c->epochs = parse_positive_int("--epochs", optarg); break;
        case O_BATCH: c->batch = parse_positive_int("--batch", optarg); break;
        case O_HIDDEN:
            f->nhidden = parse_positive_double_list("--hidden", optarg, tmp, CH3_MAX_LAYERS - 1);
            for (int i = 0; i < f->nhidden; i++) {
                if (tmp[i] != floor(tmp[i]) || tmp[i] > 4096)
                    usage_error("--hidden: '%s' must be whole numbers up to 4096", optarg);
                f->hidden[i] = (int)tmp[i];
            }
            break;
        case O_DROPOUT: c->dropout = parse_fraction("--dropout", optarg); break;
        case O_L2: c->l2 = parse_nonnegative_double("--l2", optarg); break;
        case O_SEED: c->seed = parse_seed("--seed", optarg); break;
        case O_DATA: c->data = optarg; break;
        case O_OUT: c->out = optarg; break;
        case O_OVERFIT: c->overfit_epochs = parse_positive_int("--overfit-epochs", optarg); break;
        case O_LIMIT: f->train_limit = parse_positive_int("--train-limit", optarg); break;
        case O_QUICK: c->quick = 1; break;
        case O_BENCH: f->bench = 1; break;
        case O_HELP: usage(); exit(0);
        default: cli_unknown_option(argv[optind - 1]);
        }
    }
    if (optind < argc)
        usage_error("unexpected argument '%s'", argv[optind]);
    /* The main network: the notes' setting when the lists include it. */
    c->main_opt = c->main_lr = 0;
    for (int i = 0; i < c->nopt; i++)
        if (strcmp(c->opt[i], "adam") == 0) {
            c->main_opt = i;
            break;
        }
    for (int i = 0; i < c->nlr; i++)
        if (c->lr[i] == 0.003) {
            c->main_lr = i;
            break;
        }
    if (c->epochs > 64)
        usage_error("--epochs: %d is more than this chapter records (64)", c->epochs);
    if (c->batch > CH3_EVAL_BATCH)
        usage_error("--batch: %d is larger than %d", c->batch, CH3_EVAL_BATCH);
}

/* --- the notebook ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    set_progname(argv[0]);
    Flags f;
    parse_flags(argc, argv, &f);
    Ch3Config *c = &f.c;
#define MAIN_OPT (c->opt[c->main_opt])
#define MAIN_LR (c->lr[c->main_lr])
    out_prepare_dir(c->out);   /* an unwritable --out fails before any training */
    /* Two threads share each batch (team.c), each product on one OpenBLAS
     * thread. Said now, so OpenBLAS's own idle thread is asleep by the time
     * the training starts. */
    ch3_blas_one_thread();

    /* notes §3: 60 000 training and 10 000 test images of 28×28. */
    Ch3Data train, test;
    ch3_data_load(c->data, "train", &train);
    ch3_data_load(c->data, "t10k", &test);
    if (f.train_limit)
        ch3_data_limit(&train, f.train_limit);

    printf("== 3 Reconocimiento de patrones: MNIST ==\n");
    printf("  datos         %s\n", c->data);
    printf("  entrenamiento %d imágenes de %d×%d\n", train.n, train.rows, train.cols);
    printf("  prueba        %d imágenes de %d×%d\n", test.n, test.rows, test.cols);
    printf("  aplanado      [%d, %d] -> [%d]; un lote de %d es X [%d × %d]\n", train.rows,
           train.cols, CH3_PIXELS, c->batch, c->batch, CH3_PIXELS);
    printf("  tipo          %s, gemm: OpenBLAS cblas_%cgemm\n", REAL_NAME,
           sizeof(real) == 4 ? 's' : 'd');

    Json j;
    json_open(&j, out_path(c->out, "summary.json"));
    json_str(&j, "chapter", "03-mnist-mlp");
    json_str(&j, "data", c->data);
    json_int(&j, "train_images", train.n);
    json_int(&j, "test_images", test.n);

    Rng rng;
    rng_seed(&rng, c->seed);

    /* §3 opening: 784–128–10, one hidden layer. (Skipped by --bench.) */
    double acc_one_hidden = NAN;
    if (!f.bench) {
        printf("\n== 3 Primera red: 784–128–10 (ReLU, softmax, %s lr %g) ==\n", MAIN_OPT, MAIN_LR);
        Ch3Net small;
        Rng r1;
        rng_seed(&r1, c->seed + 1);
        ch3_net_init(&small, 2, (int[]){CH3_PIXELS, 128, CH3_CLASSES}, CH3_RELU,
                     CH3_SOFTMAX_CE, CH3_INIT_GLOROT, CH3_EVAL_BATCH, &r1);
        Ch3Run run;
        train_and_test(&small, MAIN_OPT, MAIN_LR, c, &train, &test, &r1, &run);
        acc_one_hidden = run.test_accuracy;
        printf("  exactitud en prueba: %.2f %% (%d parámetros)\n", 100 * acc_one_hidden,
               (int)small.p.n);
        json_begin_object(&j, "one_hidden_layer");
        json_str(&j, "shape", "784-128-10");
        json_num(&j, "test_accuracy", acc_one_hidden);
        json_num_array(&j, "epoch_loss", run.epochs, run.epoch_loss);
        json_end_object(&j);
        free(run.batch_loss);
        ch3_net_free(&small);

        /* §3.1: why ReLU — the gradient that reaches each layer. */
        ch3_study_vanishing(c, &train, &j);

        /* §3.2: the worked example, a "3" predicted with 0.70. */
        printf("\n== 3.2 Entropía cruzada: el ejemplo del «3» ==\n");
        const real yhat[10] = {0.01f, 0.02f, 0.05f, 0.70f, 0.02f, 0.10f, 0, 0, 0.10f, 0};
        const unsigned char three = 3;
        real grad[10] = {0};
        double L = cross_entropy(yhat, 3);
        softmax_cross_entropy_backward(grad, yhat, &three, 1, 10);   /* (ŷ − y) / 1 */
        printf("  ŷ = [0.01 0.02 0.05 0.70 0.02 0.10 0 0 0.10 0], y = 3\n");
        printf("  L = −ln ŷ_3 = −ln 0.70 = %.4f\n", L);
        printf("  ∂L/∂Z = ŷ − y: %.2f en el «3», %.2f en el «5»\n", grad[3], grad[5]);
        json_begin_object(&j, "cross_entropy_example");
        json_num(&j, "loss", L);
        json_num(&j, "grad_at_3", grad[3]);
        json_end_object(&j);
    }

    /* notes §3.3–3.4: the default network. */
    int sizes[CH3_MAX_LAYERS + 1], nlayers = f.nhidden + 1;
    sizes[0] = CH3_PIXELS;
    for (int i = 0; i < f.nhidden; i++)
        sizes[i + 1] = f.hidden[i];
    sizes[nlayers] = CH3_CLASSES;
    c->nlayers = nlayers;
    memcpy(c->sizes, sizes, sizeof sizes);
    Ch3Net net;
    Rng r3;
    rng_seed(&r3, c->seed + 3);
    ch3_net_init(&net, nlayers, sizes, CH3_RELU, CH3_SOFTMAX_CE, CH3_INIT_GLOROT,
                 CH3_EVAL_BATCH, &r3);
    net.dropout = (real)c->dropout;
    net.l2 = (real)c->l2;
    char shape[128];
    ch3_net_shape(&net, shape, sizeof shape);
    printf("\n== 3.3–3.4 Red %s (ReLU, softmax + entropía cruzada, %s lr %g, lotes de %d) ==\n",
           shape, MAIN_OPT, MAIN_LR, c->batch);
    printf("  inicialización Glorot, %zu parámetros en un solo bloque\n", net.p.n);
    Ch3Run run;
    train_and_test(&net, MAIN_OPT, MAIN_LR, c, &train, &test, &r3, &run);
    double spe = run.train_seconds / run.epochs;
    double ips = (double)train.n * run.epochs / run.train_seconds;
    double infer = inference_images_per_second(&net, &test);
    double infer64 = inference_b64_images_per_second(&net, &test);
    printf("  exactitud en prueba: %.2f %%\n", 100 * run.test_accuracy);
    printf("  tiempo: %.3f s por época, %.0f imágenes/s entrenando, %.0f imágenes/s "
           "en inferencia (lotes de %d)\n", spe, ips, infer, CH3_EVAL_BATCH);

    json_num(&j, "test_accuracy", run.test_accuracy);
    json_int(&j, "epochs", run.epochs);
    json_num_array(&j, "epoch_loss", run.epochs, run.epoch_loss);
    json_num(&j, "train_seconds", run.train_seconds);
    json_num(&j, "seconds_per_epoch", spe);
    json_num(&j, "train_images_per_second", ips);
    json_num(&j, "inference_images_per_second", infer);
    json_num(&j, "inference_images_per_second_b64", infer64);
    json_begin_object(&j, "settings");
    json_str(&j, "shape", shape);
    json_str(&j, "activation", "relu");
    json_str(&j, "loss", "softmax_cross_entropy");
    json_str(&j, "init", "glorot_uniform");
    json_str(&j, "optimizer", MAIN_OPT);
    json_num(&j, "lr", MAIN_LR);
    json_int(&j, "batch", c->batch);
    json_int(&j, "seed", (long long)c->seed);
    json_num(&j, "dropout", c->dropout);
    json_num(&j, "l2", c->l2);
    json_str(&j, "real", REAL_NAME);
    json_end_object(&j);

    /* The loss curve of the main run, per batch and smoothed. */
    {
        Csv csv;
        csv_open(&csv, out_path(c->out, "loss_lotes.csv"), "batch,loss");
        for (int i = 0; i < run.nbatch_loss; i++)
            csv_row(&csv, 2, (double[]){i + 1, run.batch_loss[i]});
        csv_close(&csv);
    }
    save_model(c->out, &net);


    if (!f.bench) {
        unsigned char *pred = xmalloc((size_t)test.n);
        ch3_evaluate(&net, &test, NULL, test.n, pred, NULL);
        ch3_metrics(c->out, &test, pred, &j);
        ch3_pictures(c->out, &net, &train, &test, pred, &j);
        free(pred);

        ch3_study_overfitting(c, &train, &test, &j);
        ch3_study_optimisers(c, &train, &test, run.batch_loss, run.nbatch_loss, &j);
        ch3_study_seed003(c, &train, &test, &j);
        json_num(&j, "one_hidden_layer_accuracy", acc_one_hidden);
    }

    double rss = peak_rss_mb();
    printf("\n  memoria: pico de %.0f MB\n", rss);
    json_num(&j, "peak_rss_mb", rss);
    json_files(&j);
    json_close(&j);

    free(run.batch_loss);
    ch3_net_free(&net);
    ch3_data_free(&train);
    ch3_data_free(&test);
    return 0;
}
