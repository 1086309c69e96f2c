/* metrics.c — confusion matrix and per-class scores (see metrics.h). */
#include "metrics.h"

#include <stdio.h>
#include <string.h>

#include "out.h"
#include "util.h"

void confusion_init(Confusion *cm, int k)
{
    if (k < 1 || k > METRICS_MAX_CLASSES)
        die("confusion_init: %d classes (1 to %d are supported)", k, METRICS_MAX_CLASSES);
    memset(cm, 0, sizeof *cm);
    cm->k = k;
}

void confusion_add(Confusion *cm, int truth, int predicted)
{
    if (truth < 0 || truth >= cm->k || predicted < 0 || predicted >= cm->k)
        die("confusion_add: class %d/%d out of range 0..%d", truth, predicted, cm->k - 1);
    cm->count[truth][predicted]++;
}

double confusion_accuracy(const Confusion *cm)
{
    long total = 0, correct = 0;
    for (int t = 0; t < cm->k; t++)
        for (int p = 0; p < cm->k; p++) {
            total += cm->count[t][p];
            if (t == p)
                correct += cm->count[t][p];
        }
    return total ? (double)correct / total : 0;
}

static double ratio(long num, long den) { return den ? (double)num / den : 0; }

void confusion_report(const Confusion *cm, ClassReport *r)
{
    memset(r, 0, sizeof *r);
    r->k = cm->k;
    for (int c = 0; c < cm->k; c++) {
        long tp = cm->count[c][c], row = 0, col = 0;   /* row: really c; col: called c */
        for (int o = 0; o < cm->k; o++) {
            row += cm->count[c][o];
            col += cm->count[o][c];
        }
        r->support[c] = row;
        r->total += row;
        r->correct += tp;
        r->precision[c] = ratio(tp, col);
        r->recall[c] = ratio(tp, row);
        double ps = r->precision[c] + r->recall[c];
        r->f1[c] = ps > 0 ? 2 * r->precision[c] * r->recall[c] / ps : 0;
        r->macro_precision += r->precision[c] / cm->k;
        r->macro_recall += r->recall[c] / cm->k;
        r->macro_f1 += r->f1[c] / cm->k;
    }
    r->accuracy = ratio(r->correct, r->total);
}

int confusion_top(const Confusion *cm, ConfusionPair *out, int max)
{
    /* Every non-empty off-diagonal cell, in (true, predicted) order, then a
     * stable insertion sort by count: equal counts keep that order. */
    ConfusionPair all[METRICS_MAX_CLASSES * METRICS_MAX_CLASSES];
    int n = 0;
    for (int t = 0; t < cm->k; t++)
        for (int p = 0; p < cm->k; p++)
            if (t != p && cm->count[t][p] > 0)
                all[n++] = (ConfusionPair){t, p, cm->count[t][p]};
    for (int i = 1; i < n; i++) {
        ConfusionPair x = all[i];
        int j = i;
        while (j > 0 && all[j - 1].count < x.count) {
            all[j] = all[j - 1];
            j--;
        }
        all[j] = x;
    }
    if (n > max)
        n = max;
    memcpy(out, all, (size_t)n * sizeof *out);
    return n;
}

static const char *name_of(const char *const *names, int c, char *buf, size_t len)
{
    if (names)
        return names[c];
    snprintf(buf, len, "%d", c);
    return buf;
}

void confusion_print(const Confusion *cm, const char *const *names)
{
    char b[16];
    printf("  real \\ predicho");
    for (int p = 0; p < cm->k; p++)
        printf(" %5.5s", name_of(names, p, b, sizeof b));
    printf("\n");
    for (int t = 0; t < cm->k; t++) {
        printf("  %-16.16s", name_of(names, t, b, sizeof b));
        for (int p = 0; p < cm->k; p++)
            printf(" %5ld", cm->count[t][p]);
        printf("\n");
    }
}

void report_print(const ClassReport *r, const char *const *names)
{
    char b[16];
    printf("  %-12s %9s %9s %9s %8s\n", "clase", "precisión", "recall", "F1", "imágenes");
    for (int c = 0; c < r->k; c++)
        printf("  %-12.12s %9.4f %9.4f %9.4f %8ld\n", name_of(names, c, b, sizeof b),
               r->precision[c], r->recall[c], r->f1[c], r->support[c]);
    printf("  %-12s %9.4f %9.4f %9.4f %8ld\n", "media macro", r->macro_precision,
           r->macro_recall, r->macro_f1, r->total);
    printf("  exactitud (accuracy) %.4f  (%ld / %ld)\n", r->accuracy, r->correct, r->total);
}

void confusion_top_print(const ConfusionPair *pairs, int n, const char *const *names)
{
    char a[16], b[16];
    printf("  %-4s %-12s %-12s %6s\n", "", "real", "predicho", "veces");
    for (int i = 0; i < n; i++)
        printf("  %-4d %-12.12s %-12.12s %6ld\n", i + 1,
               name_of(names, pairs[i].truth, a, sizeof a),
               name_of(names, pairs[i].predicted, b, sizeof b), pairs[i].count);
}

void confusion_top_json(Json *j, const char *key, const ConfusionPair *pairs, int n)
{
    json_begin_array(j, key);
    for (int i = 0; i < n; i++) {
        json_begin_object(j, NULL);
        json_int(j, "true", pairs[i].truth);
        json_int(j, "predicted", pairs[i].predicted);
        json_int(j, "count", pairs[i].count);
        json_end_object(j);
    }
    json_end_array(j);
}

void confusion_write_csv(const Confusion *cm, const char *path)
{
    Csv c;
    csv_open(&c, path, "true,predicted,count,fraction");
    for (int t = 0; t < cm->k; t++) {
        long row = 0;
        for (int p = 0; p < cm->k; p++)
            row += cm->count[t][p];
        for (int p = 0; p < cm->k; p++)
            csv_row(&c, 4, (double[]){t, p, (double)cm->count[t][p],
                                      ratio(cm->count[t][p], row)});
    }
    csv_close(&c);
}

void report_write_csv(const ClassReport *r, const char *path)
{
    Csv c;
    csv_open(&c, path, "class,support,precision,recall,f1");
    for (int k = 0; k < r->k; k++)
        csv_row(&c, 5, (double[]){k, (double)r->support[k], r->precision[k],
                                  r->recall[k], r->f1[k]});
    csv_row(&c, 5, (double[]){-1, (double)r->total, r->macro_precision, r->macro_recall,
                              r->macro_f1});
    csv_close(&c);
}
