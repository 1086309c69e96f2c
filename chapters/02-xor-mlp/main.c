/* main.c — chapter 2, "Redes multicapa": the program that reads like the
 * notes' §2 from top to bottom.
 *
 *   build/rel/bin/ch2 [--lr 0.1,0.5,2,10] [--epochs 5000] [--seed 2445]
 *                     [--hidden 2] [--init normal|glorot] [--average]
 *                     [--seeds 1-100] [--threads N] [--out out/02-xor-mlp]
 *
 * It takes every flag the series' make interface passes (--lr, --epochs,
 * --seed, --seeds, --threads, --batch, --opt, --dropout) and refuses, with
 * one line, what this chapter cannot do: the notes' XOR network learns by
 * plain gradient descent on the whole batch of 4 examples, without dropout.
 *
 * It trains the XOR network of xor_net.c (the network itself, with the
 * backpropagation derived line by line, lives there) and writes what each
 * figure of the chapter needs:
 *   2.   the data and the shape of the network;        Fig 3 (extras)
 *   2.1  gradient descent and the chain rule            (extras)
 *   2.2  one pass of the matrix form, every matrix printed with its shape
 *   2.3  the error per epoch for several learning rates (Fig 2), the trained
 *        net's predictions, its diagram (Fig 1), its decision surface, the
 *        hidden layer's view of the 4 points, and the study over many seeds
 *   3.5  exercise 2, the quadratic-equation network     (extras)
 * and summary.json. The figures are drawn by plots/ch2_*.gp from the CSVs.
 *
 * Everything is deterministic: the same flags give byte-identical CSVs. */
#include "xor_mlp.h"
#include "extras.h"
#include "cli.h"
#include "json.h"
#include "out.h"
#include "plotdata.h"
#include "progress.h"
#include "stats.h"
#include "util.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RATES 16
#define MAX_SEEDS 10000         /* the seed study's list, --seeds 1-10000 at most */
#define DEFAULT_OUT "out/02-xor-mlp"
#define STUDY_LR 0.5            /* the seed study runs at the notes' η = 0.5 */
#define STUDY_CURVE_EVERY 10    /* the study's curves keep one epoch in 10 */

typedef struct {
    double rates[MAX_RATES];
    int n_rates;
    int epochs;
    uint64_t seed;
    int hidden;
    Ch2Init init;
    int average;
    uint64_t seeds[MAX_SEEDS];   /* the seed study's starts, --seeds LIST */
    int n_seeds;
    int threads;                 /* --threads N: accepted, 0 when not given */
    const char *out;
} Options;

/* Where each run of the seed study ended. */
typedef enum { END_CONVERGED, END_0125, END_0167, END_025, END_OTHER, N_ENDS } StudyEnd;

typedef struct {
    int converged, ends[N_ENDS];
    int first_epoch, last_epoch;
    double mean_epoch, sd_epoch;        /* over the runs that converged */
    double mean_accuracy, sd_accuracy;  /* fraction of the 4 examples right, all runs */
    double mean_mse, sd_mse;            /* final MSE, runs that did not diverge */
    int long_025;        /* runs that spent more than 500 epochs with MSE ≈ 0.25 */
} StudyCounts;

static const char *const INIT_NAMES[] = {"normal", "glorot", NULL};

/* ------------------------------------------------------------------------ */
static void print_usage(void)
{
    printf("Uso: %s [opciones]\n"
           "Capítulo 2 (notas §2): una red 2-2-1 de sigmoides aprende XOR por retropropagación.\n\n"
           "  --lr LISTA      tasas de aprendizaje a comparar, p. ej. 0.1,0.5,2,10 (por defecto)\n"
           "  --epochs N      épocas de descenso del gradiente (por defecto 5000)\n"
           "  --seed N        semilla de los pesos iniciales (por defecto 2445, elegida para que\n"
           "                  las tasas por defecto cuenten la historia de las notas; ver el cuaderno)\n"
           "  --seeds LISTA   semillas del estudio de semillas: 1,2,3 o 1-100 o ambas (1-5,42);\n"
           "                  por defecto 1-100\n"
           "  --hidden N      neuronas ocultas, 1..%d (por defecto 2; las notas permiten 3)\n"
           "  --init NOMBRE   normal = N(0,1) como las notas (por defecto), o glorot\n"
           "  --average       promedia la actualización sobre los 4 ejemplos (desciende el MSE)\n"
           "                  en vez de sumarla como las notas\n"
           "  --threads N     se acepta, pero este capítulo corre en un solo hilo\n"
           "  --batch N       solo 4: la red aprende con el lote completo de los 4 ejemplos\n"
           "  --dropout P     solo 0: la red de XOR no tiene dropout (llega en el capítulo 3)\n"
           "  --opt LISTA     no se acepta: descenso del gradiente de las notas, sin otro optimizador\n"
           "  --out DIR       carpeta de los CSV y de summary.json (por defecto %s)\n"
           "  --help          este texto\n",
           progname(), CH2_MAX_HIDDEN, DEFAULT_OUT);
}

/* The flags of the series' make interface that this chapter cannot honour
 * are refused with one line that says why (usage_error: exit 2). */
static void refuse_opt(void)
{
    usage_error("--opt: la red de XOR aprende con el descenso del gradiente de las notas sobre "
                "los 4 ejemplos (§2.2.3: W += η·Aᵀ·δ); no hay otro optimizador que elegir");
}

static void check_batch(const char *text)
{
    if (parse_positive_int("--batch", text) != 4)
        usage_error("--batch: la red de XOR aprende con el lote completo, los 4 ejemplos a la "
                    "vez (notas §2.2); solo vale --batch 4, no '%s'", text);
}

static void check_dropout(const char *text)
{
    if (parse_fraction("--dropout", text) != 0)
        usage_error("--dropout: la red 2-2-1 de XOR no usa dropout (llega en el capítulo 3); "
                    "solo vale --dropout 0, no '%s'", text);
}

static void parse_options(int argc, char **argv, Options *o)
{
    *o = (Options){.rates = {0.1, 0.5, 2, 10}, .n_rates = 4, .epochs = 5000, .seed = 2445,
                   .hidden = 2, .init = CH2_INIT_NORMAL, .average = 0, .out = DEFAULT_OUT};
    o->n_seeds = parse_seed_list("--seeds", "1-100", o->seeds, MAX_SEEDS);
    static const struct option longopts[] = {
        {"lr", required_argument, NULL, 'l'},      {"epochs", required_argument, NULL, 'e'},
        {"seed", required_argument, NULL, 's'},    {"hidden", required_argument, NULL, 'H'},
        {"init", required_argument, NULL, 'i'},    {"average", no_argument, NULL, 'a'},
        {"seeds", required_argument, NULL, 'S'},   {"out", required_argument, NULL, 'o'},
        {"threads", required_argument, NULL, 't'}, {"batch", required_argument, NULL, 'b'},
        {"dropout", required_argument, NULL, 'd'}, {"opt", required_argument, NULL, 'O'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    opterr = 0; /* we print our own one-line message */
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'l': o->n_rates = parse_positive_double_list("--lr", optarg, o->rates, MAX_RATES); break;
        case 'e': o->epochs = parse_positive_int("--epochs", optarg); break;
        case 's': o->seed = parse_seed("--seed", optarg); break;
        case 'H':
            o->hidden = parse_positive_int("--hidden", optarg);
            if (o->hidden > CH2_MAX_HIDDEN)
                usage_error("--hidden: como mucho %d neuronas, no '%s'", CH2_MAX_HIDDEN, optarg);
            break;
        case 'i': {
            const char *name;
            parse_word_list("--init", optarg, INIT_NAMES, &name, 1);
            o->init = strcmp(name, "glorot") == 0 ? CH2_INIT_GLOROT : CH2_INIT_NORMAL;
            break;
        }
        case 'a': o->average = 1; break;
        case 'S': o->n_seeds = parse_seed_list("--seeds", optarg, o->seeds, MAX_SEEDS); break;
        case 't': o->threads = parse_positive_int("--threads", optarg); break;
        case 'b': check_batch(optarg); break;
        case 'd': check_dropout(optarg); break;
        case 'O': refuse_opt(); break;
        case 'o': o->out = optarg; break;
        case 'h': print_usage(); exit(0);
        default: cli_unknown_option(argv[optind - 1]);
        }
    }
    if (optind < argc)
        usage_error("argumento inesperado '%s'", argv[optind]);
}


/* ------------------------------------------------------------------------
 * notes §2: the problem and the network. */
static void section_network(const Options *o, Mat X, Mat y)
{
    printf("== 2. Redes multicapa: XOR con una red %d-%d-1 ==\n", 2, o->hidden);
    printf("XOR no es linealmente separable: (0,1) y (1,0) dan 1, (0,0) y (1,1) dan 0.\n");
    printf("Capa de entrada: 2 neuronas; capa oculta: %d (sigmoide); salida: 1 (sigmoide).\n\n",
           o->hidden);
    mat_print("X", X);
    mat_print("y", y);
    printf("\n");
}

/* notes §2.2: the starting weights and one pass of the loop, each matrix
 * printed with its shape, so the numbers of the matrix form can be followed
 * by hand. The pass is not applied: training starts from these weights. */
static void section_matrix_form(const Ch2Net *net, Ch2Init init, Mat X, Mat y)
{
    printf("\n== 2.2 Representación matricial ==\n");
    printf("-- Pesos iniciales: %s; sesgos a 0 --\n",
           init == CH2_INIT_NORMAL ? "N(0,1), como np.random.randn de las notas"
                                   : "Glorot uniforme U(-L, L), L = √(6/(entradas + salidas))");
    mat_print("W1", net->W1);
    mat_print("b1", net->b1);
    mat_print("W2", net->W2);
    mat_print("b2", net->b2);

    Ch2Pass p;
    ch2_pass_new(&p, net->hidden);
    ch2_forward(net, X, &p);
    ch2_backward(net, X, y, &p);
    printf("\n-- 2.2.1 Forward pass --\n");
    mat_print("Z1 = X·W1 + b1 (hidden_layer_input)", p.hidden_layer_input);
    mat_print("A1 = σ(Z1) (hidden_layer_output)", p.hidden_layer_output);
    mat_print("Z2 = A1·W2 + b2 (output_layer_input)", p.output_layer_input);
    mat_print("A2 = σ(Z2) (predicted_output)", p.predicted_output);
    printf("\n-- 2.2.2 Backpropagation --\n");
    mat_print("error = y − A2", p.error);
    mat_print("δ_out = error ⊙ σ'(Z2) (d_predicted_output)", p.d_predicted_output);
    mat_print("E_hidden = δ_out·W2ᵀ (error_hidden_layer)", p.error_hidden_layer);
    mat_print("δ_hidden = E_hidden ⊙ σ'(Z1) (d_hidden_layer)", p.d_hidden_layer);
    printf("\n-- 2.2.3 Actualización de pesos (ΔW = η · ...) --\n");
    mat_print("A1ᵀ·δ_out   -> W2", p.step_W2);
    mat_print("Σ δ_out     -> b2", p.step_b2);
    mat_print("Xᵀ·δ_hidden -> W1", p.step_W1);
    mat_print("Σ δ_hidden  -> b1", p.step_b1);
    printf("MSE inicial: %.4f\n\n", mat_mean_square(p.error));
    ch2_pass_free(&p);
}

/* ------------------------------------------------------------------------
 * notes §2.3: every rate starts from the same weights (a copy of `start`),
 * so the curves differ only by η. */
static void train_rates(const Options *o, const Ch2Net *start, Mat X, Mat y, Ch2RateRun *runs,
                        Ch2Net *trained)
{
    Progress bar;   /* one step per rate, worth its epochs (the plan's unit) */
    progress_begin(&bar, "Tasas de aprendizaje", o->n_rates, o->epochs);
    for (int k = 0; k < o->n_rates; k++) {
        Ch2RateRun *r = &runs[k];
        r->lr = o->rates[k];
        r->curve = xmalloc((size_t)o->epochs * sizeof(double));
        ch2_net_copy(&trained[k], start);
        r->result = ch2_train(&trained[k], X, y, r->lr, o->epochs, o->average, r->curve);
        r->mse_increases = 0;
        for (int e = 1; e < o->epochs; e++)
            if (r->curve[e] > r->curve[e - 1])   /* false for NaN: stops counting */
                r->mse_increases++;
        progress_update(&bar, k + 1, "η = %g", r->lr);
    }
    progress_end(&bar);
}

/* The rate whose trained network the rest of §2.3 looks at: the notes'
 * η = 0.5 when it is in the list, otherwise the first rate. */
static int main_rate_index(const Options *o)
{
    for (int k = 0; k < o->n_rates; k++)
        if (o->rates[k] == 0.5)
            return k;
    return 0;
}

static void print_rate_table(const Options *o, const Ch2RateRun *runs)
{
    /* (printf pads by bytes: the header's "η" and "é" take two each) */
    printf("\n  %-9s %-12s %-19s %-14s %s\n", "η", "MSE final", "época MSE<0.01",
           "subidas MSE", "estado");
    for (int k = 0; k < o->n_rates; k++) {
        const Ch2RateRun *r = &runs[k];
        char conv[32] = "-";
        if (r->result.converged_epoch)
            snprintf(conv, sizeof conv, "%d", r->result.converged_epoch);
        const char *state = r->result.diverged_epoch  ? "diverge (NaN/inf)"
                            : r->result.converged_epoch ? "aprende XOR"
                            : r->mse_increases > o->epochs / 10 ? "oscila (salta)"
                                                                : "no llega (lento o atascado)";
        if (r->result.diverged_epoch)
            printf("  %-8g %-12s %-18s %-14d %s en la época %d\n", r->lr, "-", conv,
                   r->mse_increases, state, r->result.diverged_epoch);
        else
            printf("  %-8g %-12.6f %-18s %-14d %s\n", r->lr, r->result.final_mse, conv,
                   r->mse_increases, state);
    }
    /* A diverged rate stopped there; the others went on. Its one line: */
    for (int k = 0; k < o->n_rates; k++)
        if (runs[k].result.diverged_epoch) {
            char line[256];
            ch2_divergence_line(line, sizeof line, &runs[k]);
            printf("  %s\n", line);
        }
}

/* The notes' own progress lines for the main rate, every 500 epochs. */
static void print_progress(const Options *o, const Ch2RateRun *r)
{
    printf("η = %g:\n", r->lr);
    for (int e = 0; e < o->epochs; e++)
        if (e == 0 || (e + 1) % 500 == 0 || e == o->epochs - 1) {
            if (isfinite(r->curve[e]))
                printf("Época %d - Error: %.4f\n", e + 1, r->curve[e]);
        }
}

static void section_rates(const Options *o, const Ch2RateRun *runs, int main_k)
{
    printf("== 2.3 Estudio del error y del aprendizaje ==\n");
    printf("%d épocas, la misma semilla (%llu) y los mismos pesos iniciales para cada η;\n",
           o->epochs, (unsigned long long)o->seed);
    printf("actualización %s sobre los 4 ejemplos.\n",
           o->average ? "promediada (--average: desciende el MSE)"
                      : "sumada (como las notas: desciende ½·Σ(y−ŷ)² = 2·MSE)");
    print_progress(o, &runs[main_k]);
    print_rate_table(o, runs);
    ch2_write_rate_curves(o->out, runs, o->n_rates, o->epochs);
}

/* notes §1.2's output, for the network: each input and what the net says. */
static void print_predictions(const Ch2Net *net, Mat X, Mat y, double lr)
{
    Ch2Pass p;
    ch2_pass_new(&p, net->hidden);
    ch2_forward(net, X, &p);
    printf("\n-- Predicciones de la red entrenada (η = %g) --\n", lr);
    for (int i = 0; i < 4; i++) {
        double yhat = MAT_AT(p.predicted_output, i, 0);
        printf("Entrada: [%g %g] -> Predicción: %.4f -> %d (esperado %g)\n", MAT_AT(X, i, 0),
               MAT_AT(X, i, 1), yhat, yhat > 0.5, MAT_AT(y, i, 0));
    }
    printf("Pesos entrenados:\n");
    mat_print("W1", net->W1);
    mat_print("b1", net->b1);
    mat_print("W2", net->W2);
    mat_print("b2", net->b2);
    ch2_pass_free(&p);
}

/* ------------------------------------------------------------------------
 * Fig 1: the network drawn from its weights. Nodes at x = 0 (inputs),
 * 1 (hidden), 2 (output), spread evenly in y; one edge per weight and one per
 * bias (from a small "1" node under each layer), with the weight as its
 * width and colour. */
static double node_y(int i, int n) { return n == 1 ? 0.0 : 1.0 - 2.0 * i / (n - 1); }

static void write_network_diagram(const char *dir, const Ch2Net *net)
{
    int H = net->hidden;
    double bias_y = -1.0 - 0.6 * (H > 2 ? 1 : 0) - 0.4;
    Csv nodes;
    /* kind: 0 input, 1 hidden, 2 output, 3 bias unit; index within its layer;
     * bias = the bias of that neuron (0 for inputs and bias units). */
    csv_open(&nodes, out_path(dir, "red_nodos.csv"), "x,y,kind,index,bias");
    for (int i = 0; i < 2; i++)
        csv_row(&nodes, 5, (double[]){0, node_y(i, 2) * 0.6, 0, i + 1, 0});
    for (int j = 0; j < H; j++)
        csv_row(&nodes, 5, (double[]){1, node_y(j, H), 1, j + 1, net->b1.data[j]});
    csv_row(&nodes, 5, (double[]){2, 0, 2, 1, net->b2.data[0]});
    csv_row(&nodes, 5, (double[]){0.35, bias_y, 3, 1, 0});
    csv_row(&nodes, 5, (double[]){1.35, bias_y, 3, 2, 0});
    csv_close(&nodes);

    Csv edges;
    /* x0,y0 -> x1,y1; weight; kind 0 = W1, 1 = W2, 2 = b1, 3 = b2 */
    csv_open(&edges, out_path(dir, "red_conexiones.csv"), "x0,y0,x1,y1,weight,kind");
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < H; j++)
            csv_row(&edges, 6, (double[]){0, node_y(i, 2) * 0.6, 1, node_y(j, H),
                                          MAT_AT(net->W1, i, j), 0});
    for (int j = 0; j < H; j++)
        csv_row(&edges, 6, (double[]){1, node_y(j, H), 2, 0, MAT_AT(net->W2, j, 0), 1});
    for (int j = 0; j < H; j++)
        csv_row(&edges, 6, (double[]){0.35, bias_y, 1, node_y(j, H), net->b1.data[j], 2});
    csv_row(&edges, 6, (double[]){1.35, bias_y, 2, 0, net->b2.data[0], 3});
    csv_close(&edges);
}

/* ------------------------------------------------------------------------
 * The decision surface: what the trained net answers over the whole square
 * [0,1]², not only at the 4 corners. */
#define GRID 101

/* GRID × GRID points, one block of GRID lines per value of x1. */
static void write_decision_surface(const char *dir, const Ch2Net *net)
{
    Mat G = mat_new(4, 2);       /* ch2_forward works on 4 rows at a time */
    Ch2Pass p;
    ch2_pass_new(&p, net->hidden);
    Csv c;
    csv_open(&c, out_path(dir, "superficie_decision.csv"), "x1,x2,y_hat");
    for (int a = 0; a < GRID; a++)
        for (int b = 0; b < GRID; b += 4) {
            int n = GRID - b < 4 ? GRID - b : 4;
            /* ch2_forward takes 4 rows; the last block of a column repeats
             * its first point in the rows it does not need. */
            for (int r = 0; r < 4; r++) {
                MAT_AT(G, r, 0) = (double)a / (GRID - 1);
                MAT_AT(G, r, 1) = (double)(b + (r < n ? r : 0)) / (GRID - 1);
            }
            ch2_forward(net, G, &p);
            for (int r = 0; r < n; r++)
                csv_row(&c, 3, (double[]){MAT_AT(G, r, 0), MAT_AT(G, r, 1),
                                          MAT_AT(p.predicted_output, r, 0)});
            if (b + n == GRID)
                csv_printf(&c, "\n");   /* a blank line between rows: gnuplot's grid format */
        }
    csv_close(&c);
    ch2_pass_free(&p);
    mat_free(&G);
}

/* Each hidden neuron j is a perceptron-like line in the input plane:
 * z1_j = W1[0][j]·x1 + W1[1][j]·x2 + b1[j] = 0 is where σ crosses 0.5. */
static void write_hidden_lines(const char *dir, const Ch2Net *net)
{
    Csv c;
    csv_open(&c, out_path(dir, "fronteras_ocultas.csv"), "x0,y0,x1,y1,neuron");
    for (int j = 0; j < net->hidden; j++) {
        double seg[4];
        if (clip_line(MAT_AT(net->W1, 0, j), MAT_AT(net->W1, 1, j), net->b1.data[j], 0, 1, seg))
            csv_row(&c, 5, (double[]){seg[0], seg[1], seg[2], seg[3], j + 1});
    }
    csv_close(&c);
}

/* notes §2 ("estas neuronas crearán nuevas dimensiones") and §2.2.1 ("cada
 * fila representa cómo ve la capa oculta el ejemplo i"): the rows of A1
 * before and after training. After training the 4 points are linearly
 * separable in this new space, and the output neuron's line (where
 * A1·W2 + b2 = 0) separates them — for H = 2 we write that line too. */
static void write_hidden_view(const char *dir, const Ch2Net *before, const Ch2Net *after,
                              Mat X, Mat y)
{
    int H = after->hidden;
    Ch2Pass p0, p1;
    ch2_pass_new(&p0, H);
    ch2_pass_new(&p1, H);
    ch2_forward(before, X, &p0);
    ch2_forward(after, X, &p1);
    char header[512] = "x1,x2,y";
    for (int stage = 0; stage < 2; stage++)
        for (int j = 0; j < H; j++) {
            size_t used = strlen(header);
            snprintf(header + used, sizeof header - used, ",%s_h%d", stage ? "fin" : "ini", j + 1);
        }
    Csv c;
    csv_open(&c, out_path(dir, "capa_oculta.csv"), header);
    double row[3 + 2 * CH2_MAX_HIDDEN];
    for (int i = 0; i < 4; i++) {
        row[0] = MAT_AT(X, i, 0);
        row[1] = MAT_AT(X, i, 1);
        row[2] = MAT_AT(y, i, 0);
        for (int j = 0; j < H; j++) {
            row[3 + j] = MAT_AT(p0.hidden_layer_output, i, j);
            row[3 + H + j] = MAT_AT(p1.hidden_layer_output, i, j);
        }
        csv_row(&c, 3 + 2 * H, row);
    }
    csv_close(&c);

    if (H == 2) {
        Csv f;
        csv_open(&f, out_path(dir, "capa_oculta_frontera.csv"), "stage,h1_0,h2_0,h1_1,h2_1");
        const Ch2Net *nets[2] = {before, after};
        for (int s = 0; s < 2; s++) {
            double seg[4];
            if (clip_line(nets[s]->W2.data[0], nets[s]->W2.data[1], nets[s]->b2.data[0], 0, 1, seg))
                csv_row(&f, 5, (double[]){s, seg[0], seg[1], seg[2], seg[3]});
        }
        csv_close(&f);
    }

    printf("\n-- Cómo ve la capa oculta los 4 puntos (filas de A1), antes -> después --\n");
    for (int i = 0; i < 4; i++) {
        printf("  (%g,%g) y=%g:", MAT_AT(X, i, 0), MAT_AT(X, i, 1), MAT_AT(y, i, 0));
        for (int j = 0; j < H; j++)
            printf(" %.3f", MAT_AT(p0.hidden_layer_output, i, j));
        printf("  ->");
        for (int j = 0; j < H; j++)
            printf(" %.3f", MAT_AT(p1.hidden_layer_output, i, j));
        printf("\n");
    }
    ch2_pass_free(&p0);
    ch2_pass_free(&p1);
}

/* ------------------------------------------------------------------------
 * notes §2.3 in motion (plots/ch2_xor_animacion.gp): the main rate's run
 * again, from the same start, stopping every `epochs / ANIM_FRAMES` epochs
 * to write what the network looks like then. Training the 4 examples again
 * costs a few milliseconds and leaves the runs above untouched; the frames
 * are checked against them (tests/test_ch2.c: the MSE of each frame is the
 * curve's, the last surface is superficie_decision.csv's).
 *   aprendizaje_fotogramas.csv  a row per frame: frame, epoch, MSE, H, the
 *       four examples' hidden outputs (h1, h2) and answers ŷ, each hidden
 *       neuron's line z = 0 in the input square, and the output neuron's
 *       line in the hidden square (H = 2 only; empty otherwise)
 *   aprendizaje_superficie.csv  per frame ŷ on a grid of ANIM_GRID × ANIM_GRID
 *       points of [0,1]², x1 the slower; no blank lines (gnuplot would read
 *       each block's first row as a header): the plot picks a frame's rows */
#define ANIM_FRAMES 100
#define ANIM_GRID 21

static void write_anim_surface(Csv *c, const Ch2Net *net, Ch2Pass *p, Mat G, int frame)
{
    for (int a = 0; a < ANIM_GRID; a++) {
        for (int b = 0; b < ANIM_GRID; b += 4) {   /* ch2_forward takes 4 rows */
            int n = ANIM_GRID - b < 4 ? ANIM_GRID - b : 4;
            for (int r = 0; r < 4; r++) {
                MAT_AT(G, r, 0) = (double)a / (ANIM_GRID - 1);
                MAT_AT(G, r, 1) = (double)(b + (r < n ? r : 0)) / (ANIM_GRID - 1);
            }
            ch2_forward(net, G, p);
            for (int r = 0; r < n; r++)
                csv_row(c, 4, (double[]){frame, MAT_AT(G, r, 0), MAT_AT(G, r, 1),
                                         MAT_AT(p->predicted_output, r, 0)});
        }
    }
}

static void write_anim_frame(Csv *c, const Ch2Net *net, Ch2Pass *p, Mat X, Mat y, int frame,
                             int epoch)
{
    int H = net->hidden;
    ch2_forward(net, X, p);
    double row[4 + 4 * 3 + 2 * 4 + 4], *r = row;
    *r++ = frame;
    *r++ = epoch;
    mat_sub(p->error, y, p->predicted_output);
    *r++ = mat_mean_square(p->error);   /* the MSE the next epoch will print */
    *r++ = H;
    for (int i = 0; i < 4; i++) {
        *r++ = MAT_AT(p->hidden_layer_output, i, 0);
        *r++ = H > 1 ? MAT_AT(p->hidden_layer_output, i, 1) : NAN;
        *r++ = MAT_AT(p->predicted_output, i, 0);
    }
    for (int j = 0; j < 2; j++, r += 4)   /* hidden neurons 1 and 2: z1_j = 0 */
        if (j >= H || !clip_line(MAT_AT(net->W1, 0, j), MAT_AT(net->W1, 1, j), net->b1.data[j],
                                 0, 1, r))
            r[0] = r[1] = r[2] = r[3] = NAN;
    /* the output neuron: a1·W2[0] + a2·W2[1] + b2 = 0, where ŷ = 0.5 */
    if (H != 2 || !clip_line(net->W2.data[0], net->W2.data[1], net->b2.data[0], 0, 1, r))
        r[0] = r[1] = r[2] = r[3] = NAN;
    csv_row_gaps(c, (int)(sizeof row / sizeof *row), row);
}

/* The main rate's training again from the same start, writing a frame of
 * both files (described above) every epochs / ANIM_FRAMES epochs. */
static void write_learning_frames(const char *dir, const Ch2Net *start, Mat X, Mat y,
                                  double learning_rate, int epochs, int average)
{
    int every = epochs / ANIM_FRAMES > 0 ? epochs / ANIM_FRAMES : 1;
    Ch2Net net;
    ch2_net_copy(&net, start);   /* allocates net: a copy of the start */
    Ch2Pass p;
    ch2_pass_new(&p, net.hidden);
    Mat G = mat_new(4, 2);

    printf("\n-- El aprendizaje en movimiento: η = %g otra vez, un fotograma cada %d épocas --\n",
           learning_rate, every);
    Csv frames, surface;
    csv_open(&frames, out_path(dir, "aprendizaje_fotogramas.csv"),
             "frame,epoch,mse,hidden,h1_00,h2_00,yhat_00,h1_01,h2_01,yhat_01,h1_10,h2_10,yhat_10,"
             "h1_11,h2_11,yhat_11,n1_xa,n1_ya,n1_xb,n1_yb,n2_xa,n2_ya,n2_xb,n2_yb,"
             "out_ha,out_hb,out_hc,out_hd");
    csv_open(&surface, out_path(dir, "aprendizaje_superficie.csv"), "frame,x1,x2,y_hat");
    int frame = 0, last_epoch = 0;
    for (int e = 0; e <= epochs; e++) {
        if (e > 0) {
            ch2_train_epoch(&net, &p, X, y, learning_rate, average);
            int finite = 1;
            for (int k = 0; k < net.n_params; k++)
                finite = finite && isfinite(net.params[k]);
            if (!finite)
                break;   /* a diverged run: its frames stop where it did */
        }
        if (e % every == 0 || e == epochs) {
            write_anim_frame(&frames, &net, &p, X, y, frame, e);
            write_anim_surface(&surface, &net, &p, G, frame);
            frame++;
            last_epoch = e;
        }
    }
    csv_close(&frames);
    csv_close(&surface);
    printf("  %d fotogramas, de la época 0 a la %d\n", frame, last_epoch);
    mat_free(&G);
    ch2_pass_free(&p);
    ch2_net_free(&net);
}

/* ------------------------------------------------------------------------
 * notes §2.3: "si el error se queda plano en un valor alto (por ejemplo,
 * 0.25) ... la red se ha quedado atrapada". What 0.25 means: answering 0.5
 * to everything gives (1/4)·4·0.5² = 0.25. Runs that do not converge end on
 * other plateaus too: two examples answered 0.5 and two right give 0.125;
 * three examples answered 2/3 and one right give 1/6. We classify each run
 * by the plateau its final MSE is nearest to. */
static StudyEnd classify_end(const Ch2Result *r)
{
    if (r->converged_epoch)
        return END_CONVERGED;
    static const double levels[3] = {0.125, 1.0 / 6.0, 0.25};
    for (int k = 0; k < 3; k++)
        if (fabs(r->final_mse - levels[k]) < 0.015)
            return (StudyEnd)(END_0125 + k);
    return END_OTHER;
}

/* notes §2.2 prints 0/1 answers: the fraction of the 4 examples whose ŷ
 * falls on the right side of 0.5 — the study's "exactitud". */
static double xor_accuracy(const Ch2Net *net, Mat X, Mat y)
{
    Ch2Pass p;
    ch2_pass_new(&p, net->hidden);
    ch2_forward(net, X, &p);
    int right = 0;
    for (int i = 0; i < 4; i++)
        right += (MAT_AT(p.predicted_output, i, 0) > 0.5) == (MAT_AT(y, i, 0) > 0.5);
    ch2_pass_free(&p);
    return right / 4.0;
}

/* One run of the study per seed of --seeds, all from `init`. Each run's row
 * goes to semillas.csv, its curve (one epoch in STUDY_CURVE_EVERY) to
 * `curves`, its final accuracy to accuracy[i]. */
static void study_one_init(const Options *o, Ch2Init init, Mat X, Mat y, Csv *runs_csv,
                           double *curves, double *accuracy, StudyCounts *counts)
{
    int every = STUDY_CURVE_EVERY, kept = (o->epochs + every - 1) / every;
    int n = o->n_seeds;
    double *curve = xmalloc((size_t)o->epochs * sizeof(double));
    double *epochs = xmalloc((size_t)n * sizeof(double));   /* of the runs that learn */
    double *mses = xmalloc((size_t)n * sizeof(double));     /* of the runs that stay finite */
    int n_mse = 0;
    memset(counts, 0, sizeof *counts);
    Progress bar;
    progress_begin(&bar, init == CH2_INIT_NORMAL ? "Semillas, inicio N(0,1)" : "Semillas, inicio Glorot",
                   n, o->epochs);
    for (int i = 0; i < n; i++) {
        Rng rng;
        rng_seed(&rng, o->seeds[i]);
        Ch2Net net;
        ch2_net_new(&net, o->hidden);
        ch2_net_init(&net, init, &rng);
        Ch2Result r = ch2_train(&net, X, y, STUDY_LR, o->epochs, o->average, curve);
        StudyEnd end = r.diverged_epoch ? END_OTHER : classify_end(&r);
        counts->ends[end]++;
        int near_025 = 0;
        for (int e = 0; e < o->epochs; e++)
            near_025 += fabs(curve[e] - 0.25) < 0.01;
        counts->long_025 += near_025 > 500;
        if (r.converged_epoch) {
            epochs[counts->converged++] = r.converged_epoch;
            if (!counts->first_epoch || r.converged_epoch < counts->first_epoch)
                counts->first_epoch = r.converged_epoch;
            if (r.converged_epoch > counts->last_epoch)
                counts->last_epoch = r.converged_epoch;
        }
        if (!r.diverged_epoch)
            mses[n_mse++] = r.final_mse;
        accuracy[i] = r.diverged_epoch ? 0 : xor_accuracy(&net, X, y);
        for (int k = 0; k < kept; k++)
            curves[(size_t)k * n + i] = curve[k * every];
        csv_printf(runs_csv, "%llu,%s,%.9g,", (unsigned long long)o->seeds[i], INIT_NAMES[init],
                   r.final_mse);
        if (r.converged_epoch)
            csv_printf(runs_csv, "%d", r.converged_epoch);
        csv_printf(runs_csv, ",%d,%d,%g\n", (int)end, near_025, accuracy[i]);
        ch2_net_free(&net);
        progress_update(&bar, i + 1, "aprenden %d", counts->converged);
    }
    progress_end(&bar);
    counts->mean_epoch = counts->sd_epoch = NAN;
    if (counts->converged)
        mean_sd(epochs, counts->converged, &counts->mean_epoch, &counts->sd_epoch);
    mean_sd(accuracy, n, &counts->mean_accuracy, &counts->sd_accuracy);
    counts->mean_mse = counts->sd_mse = NAN;
    if (n_mse)
        mean_sd(mses, n_mse, &counts->mean_mse, &counts->sd_mse);
    free(mses);
    free(epochs);
    free(curve);
}

static void write_study_curves(const Options *o, const char *name, const double *curves)
{
    int every = STUDY_CURVE_EVERY, kept = (o->epochs + every - 1) / every;
    int n = o->n_seeds;
    char *header = xmalloc(16 + 24 * (size_t)n);
    strcpy(header, "epoch");
    for (int i = 0; i < n; i++)
        sprintf(header + strlen(header), ",s%llu", (unsigned long long)o->seeds[i]);
    Csv c;
    csv_open(&c, out_path(o->out, name), header);
    for (int k = 0; k < kept; k++) {
        csv_printf(&c, "%d", k * every + 1);
        for (int s = 0; s < n; s++) {
            double v = curves[(size_t)k * n + s];
            if (isfinite(v))
                csv_printf(&c, ",%.6g", v);
            else
                csv_printf(&c, ",");
        }
        csv_printf(&c, "\n");
    }
    csv_close(&c);
    free(header);
}

static void print_study_row(const char *label, const StudyCounts *c, int n)
{
    char mean[32] = "-", range[32] = "-";
    if (c->converged) {
        snprintf(mean, sizeof mean, "%.0f ± %.0f", c->mean_epoch, c->sd_epoch);
        snprintf(range, sizeof range, "%d-%d", c->first_epoch, c->last_epoch);
    }
    /* (printf pads by bytes: "±" takes two) */
    printf("  %-8s %4d/%-4d %-16s %-12s %6d %6d %6d %6d %12d\n", label, c->converged, n, mean,
           range, c->ends[END_0125], c->ends[END_0167], c->ends[END_025], c->ends[END_OTHER],
           c->long_025);
}

/* "1-100" for a run of consecutive seeds, otherwise the list (cut short). */
static void describe_seeds(const Options *o, char *buf, size_t len)
{
    int consecutive = 1;
    for (int i = 1; i < o->n_seeds; i++)
        consecutive &= o->seeds[i] == o->seeds[i - 1] + 1;
    if (consecutive && o->n_seeds > 2) {
        snprintf(buf, len, "%llu-%llu", (unsigned long long)o->seeds[0],
                 (unsigned long long)o->seeds[o->n_seeds - 1]);
        return;
    }
    buf[0] = '\0';
    for (int i = 0; i < o->n_seeds; i++) {
        size_t used = strlen(buf);
        if (used + 24 >= len) {
            snprintf(buf + used, len - used, ",...");
            return;
        }
        snprintf(buf + used, len - used, "%s%llu", i ? "," : "", (unsigned long long)o->seeds[i]);
    }
}

#define STUDY_PRINT_EACH 20   /* a study this short prints every seed's line */

static void section_seed_study(const Options *o, Mat X, Mat y, StudyCounts counts[2])
{
    char seeds[128];
    describe_seeds(o, seeds, sizeof seeds);
    printf("\n== 2.3 Estudio de semillas: ¿cuántas redes aprenden XOR? ==\n");
    printf("%d semillas (%s), η = %g, %d épocas, inicio N(0,1) frente a Glorot.\n",
           o->n_seeds, seeds, STUDY_LR, o->epochs);
    int n = o->n_seeds, kept = (o->epochs + STUDY_CURVE_EVERY - 1) / STUDY_CURVE_EVERY;
    double *curves = xmalloc((size_t)kept * n * sizeof(double));
    double *accuracy = xmalloc(2 * (size_t)n * sizeof(double));
    Csv runs_csv;
    csv_open(&runs_csv, out_path(o->out, "semillas.csv"),
             "semilla,inicio,mse_final,epoca_aprende,final,epocas_cerca_025,exactitud");
    static const char *curve_files[2] = {"semillas_curvas_normal.csv",
                                         "semillas_curvas_glorot.csv"};
    for (int init = 0; init < 2; init++) {
        study_one_init(o, (Ch2Init)init, X, y, &runs_csv, curves, accuracy + (size_t)init * n,
                       &counts[init]);
        write_study_curves(o, curve_files[init], curves);
    }
    csv_close(&runs_csv);
    free(curves);

    if (n <= STUDY_PRINT_EACH) {
        printf("\n  %-8s %-22s %s\n", "semilla", "exactitud N(0,1)", "exactitud Glorot");
        for (int i = 0; i < n; i++)
            printf("  %-8llu %-21.2f %.2f\n", (unsigned long long)o->seeds[i], accuracy[i],
                   accuracy[n + i]);
    } else {
        printf("(cada semilla, con su MSE final, su época y su exactitud: semillas.csv)\n");
    }
    free(accuracy);

    printf("\n  %-8s %-9s %-17s %-12s %8s %8s %8s %6s %12s\n", "inicio", "aprenden",
           "época (m ± sd)", "rango", "≈0.125", "≈0.167", "≈0.25", "otro", "meseta 0.25");
    print_study_row("N(0,1)", &counts[0], n);
    print_study_row("Glorot", &counts[1], n);
    printf("  (época: media ± desviación típica de las que aprenden; ≈0.125: dos ejemplos a 0.5;\n"
           "   ≈0.167: tres a 2/3; ≈0.25: siempre 0.5; meseta 0.25: corridas con más de 500\n"
           "   épocas de MSE en 0.25 ± 0.01)\n");
    for (int init = 0; init < 2; init++)
        printf("  exactitud final %s: %.3f ± %.3f   MSE final: %.4f ± %.4f\n",
               init ? "Glorot" : "N(0,1)", counts[init].mean_accuracy, counts[init].sd_accuracy,
               counts[init].mean_mse, counts[init].sd_mse);
}

/* ------------------------------------------------------------------------ */
static void json_study(Json *j, const char *key, const StudyCounts *c)
{
    json_begin_object(j, key);
    json_int(j, "converged", c->converged);
    json_num(j, "mean_converged_epoch", c->mean_epoch);
    json_num(j, "sd_converged_epoch", c->sd_epoch);
    json_num(j, "mean_accuracy", c->mean_accuracy);
    json_num(j, "sd_accuracy", c->sd_accuracy);
    json_num(j, "mean_final_mse", c->mean_mse);
    json_num(j, "sd_final_mse", c->sd_mse);
    if (c->converged) {
        json_int(j, "first_converged_epoch", c->first_epoch);
        json_int(j, "last_converged_epoch", c->last_epoch);
    } else {
        json_null(j, "first_converged_epoch");
        json_null(j, "last_converged_epoch");
    }
    json_int(j, "stuck_near_0125", c->ends[END_0125]);
    json_int(j, "stuck_near_0167", c->ends[END_0167]);
    json_int(j, "stuck_near_025", c->ends[END_025]);
    json_int(j, "other", c->ends[END_OTHER]);
    json_int(j, "long_plateau_025", c->long_025);
    json_end_object(j);
}

static void write_summary(const Options *o, const Ch2RateRun *runs, int main_k,
                          const Ch2Net *main_net, Mat X, const StudyCounts study[2],
                          double seconds)
{
    Json j;
    json_open(&j, out_path(o->out, "summary.json"));
    json_str(&j, "chapter", "02-xor-mlp");
    json_begin_object(&j, "settings");
    json_num_array(&j, "lr", o->n_rates, o->rates);
    json_int(&j, "epochs", o->epochs);
    json_int(&j, "seed", (long long)o->seed);
    json_int(&j, "hidden", o->hidden);
    json_str(&j, "init", INIT_NAMES[o->init]);
    json_str(&j, "update", o->average ? "average" : "sum");
    json_num(&j, "converged_below_mse", CH2_CONVERGED_MSE);
    json_end_object(&j);

    json_begin_array(&j, "runs");
    for (int k = 0; k < o->n_rates; k++)
        ch2_json_rate_run(&j, &runs[k]);
    json_end_array(&j);

    json_begin_object(&j, "trained");
    json_num(&j, "lr", runs[main_k].lr);
    Ch2Pass p;
    ch2_pass_new(&p, main_net->hidden);
    ch2_forward(main_net, X, &p);
    json_num_array(&j, "predictions", 4, p.predicted_output.data);
    ch2_pass_free(&p);
    json_end_object(&j);

    json_begin_object(&j, "seed_study");
    json_int(&j, "n_seeds", o->n_seeds);
    json_begin_array(&j, "seeds");
    for (int i = 0; i < o->n_seeds; i++)
        json_int(&j, NULL, (long long)o->seeds[i]);
    json_end_array(&j);
    json_num(&j, "lr", STUDY_LR);
    json_int(&j, "epochs", o->epochs);
    json_study(&j, "normal", &study[0]);
    json_study(&j, "glorot", &study[1]);
    json_end_object(&j);
    json_num(&j, "seconds_xor", seconds);

    /* notes §3.5 exercise 2 adds its own "quadratic" object here. */
    ch2_quadratic_network(o->out, o->seed, &j);

    json_files(&j);
    json_close(&j);
}

/* ------------------------------------------------------------------------ */
/* Run directly (not from make, which draws next), a comparison says how to
 * draw its figure. */
static void print_how_to_draw(const Options *o)
{
    if (getenv("MAKELEVEL"))
        return;
    const char *what = o->n_rates > 1 ? "la comparación de tasas" : "la curva de error";
    if (strcmp(o->out, DEFAULT_OUT) == 0)
        printf("\nFiguras: make draw-chapter2 (todas); %s sola:\n", what);
    else
        printf("\nFiguras de %s:\n", what);
    printf("  mkdir -p '%s/fig' && gnuplot -e \"datadir='%s'\" plots/ch2_fig2_error_tasas_aprendizaje.gp\n",
           o->out, o->out);
    printf("  (el estudio de semillas, igual con plots/ch2_estudio_semillas.gp; salen en %s/fig)\n",
           o->out);
}

int main(int argc, char **argv)
{
    set_progname(argv[0]);
    static Options o;   /* static: the seed list is 80 KB */
    parse_options(argc, argv, &o);
    out_prepare_dir(o.out);   /* a bad --out fails here, before any work */
    double t0 = now_seconds();
    if (o.threads)
        printf("Hilos: uno (--threads %d no cambia nada: una red de %d pesos se entrena en un "
               "solo hilo).\n", o.threads, 4 * o.hidden + 1);

    /* Progress on stderr for the whole run, in XOR epochs: the rates, the
     * two halves of the seed study and the quadratic network (whose epoch
     * is worth many XOR epochs, see quadratic.c). */
    progress_plan((double)o.epochs * (o.n_rates + 2.0 * o.n_seeds) + ch2_quadratic_work());

    Mat X, y;
    ch2_xor_data(&X, &y);
    section_network(&o, X, y);

    /* Fig 3 and slides 004: why a sigmoid, and what its derivative looks like. */
    ch2_activation_curves(o.out);

    /* notes §2.1: "actualizamos los pesos restando el gradiente" — gradient
     * descent pictured (002, 003), and the chain rule on a small example,
     * its graph written for 002 Figs 2.7–2.8. */
    ch2_descent_pictures(o.out, o.seed);
    ch2_chain_rule_example(o.out);

    /* notes §2.2: the starting weights and one pass written out. */
    Rng rng;
    rng_seed(&rng, o.seed);
    Ch2Net start;
    ch2_net_new(&start, o.hidden);
    ch2_net_init(&start, o.init, &rng);
    section_matrix_form(&start, o.init, X, y);

    /* notes §2.3: the same start trained with every learning rate. */
    double t_train = now_seconds();
    Ch2RateRun runs[MAX_RATES];
    Ch2Net trained[MAX_RATES];
    train_rates(&o, &start, X, y, runs, trained);
    int main_k = main_rate_index(&o);
    /* The rest of §2.3 looks at the main rate's network: when it diverged
     * there is nothing to look at, and the program stops with its one line
     * (exit 1). Another rate that diverged is a result of the comparison. */
    if (runs[main_k].result.diverged_epoch) {
        char line[256];
        ch2_divergence_line(line, sizeof line, &runs[main_k]);
        die("%s; es la η de la red entrenada del §2.3 (0.5 si está en --lr, si no la primera): "
            "pruebe una menor", line);
    }
    section_rates(&o, runs, main_k);

    const Ch2Net *net = &trained[main_k];
    print_predictions(net, X, y, runs[main_k].lr);
    write_network_diagram(o.out, net);
    write_decision_surface(o.out, net);
    write_hidden_lines(o.out, net);
    write_hidden_view(o.out, &start, net, X, y);
    write_learning_frames(o.out, &start, X, y, runs[main_k].lr, o.epochs, o.average);

    StudyCounts study[2];
    section_seed_study(&o, X, y, study);
    double seconds = now_seconds() - t_train;

    write_summary(&o, runs, main_k, net, X, study, seconds);
    printf("\nTiempo: %.2f s (XOR y estudio de semillas: %.2f s)\n", now_seconds() - t0, seconds);
    print_how_to_draw(&o);

    for (int k = 0; k < o.n_rates; k++) {
        free(runs[k].curve);
        ch2_net_free(&trained[k]);
    }
    ch2_net_free(&start);
    mat_free(&X);
    mat_free(&y);
    return 0;
}
