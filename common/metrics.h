/* metrics.h — how good a classifier is, beyond one accuracy (thesis 002 §5.2):
 * the confusion matrix, per-class precision, recall and F1 with their macro
 * averages, and the most frequent confusions. Printed as tables, written as
 * CSVs for the figures.
 *
 *     Confusion cm;
 *     confusion_init(&cm, 10);
 *     for each test image: confusion_add(&cm, label, predicted);
 *     ClassReport r;  confusion_report(&cm, &r);
 *     confusion_print(&cm, NULL);  report_print(&r, NULL);
 *
 * Rows are the TRUE class, columns the PREDICTED one. For class c:
 *   precision = TP / (TP + FP)   of the images called c, how many were c
 *   recall    = TP / (TP + FN)   of the images that were c, how many were found
 *   F1        = 2·P·R / (P + R)  their harmonic mean
 * A class that was never predicted has precision 0 (and F1 0), the
 * convention of scikit-learn's zero_division=0; the macro averages are plain
 * means over the classes. */
#ifndef METRICS_H
#define METRICS_H

#include "json.h"

#define METRICS_MAX_CLASSES 10

typedef struct {
    int k;                                               /* number of classes */
    long count[METRICS_MAX_CLASSES][METRICS_MAX_CLASSES];  /* [true][predicted] */
} Confusion;

typedef struct {
    int k;
    long total, correct;
    double accuracy;
    long support[METRICS_MAX_CLASSES];                  /* images of each true class */
    double precision[METRICS_MAX_CLASSES], recall[METRICS_MAX_CLASSES],
           f1[METRICS_MAX_CLASSES];
    double macro_precision, macro_recall, macro_f1;
} ClassReport;

typedef struct {
    int truth, predicted;
    long count;
} ConfusionPair;

void confusion_init(Confusion *cm, int k);           /* 1 <= k <= 10 */
void confusion_add(Confusion *cm, int truth, int predicted);
double confusion_accuracy(const Confusion *cm);
void confusion_report(const Confusion *cm, ClassReport *r);
/* The off-diagonal cells, largest first (ties: smaller true class, then
 * smaller predicted class), at most `max` of them with a count > 0. Returns
 * how many were written. */
int confusion_top(const Confusion *cm, ConfusionPair *out, int max);

/* Tables on stdout. `names` (k strings) labels the classes; NULL prints the
 * digits 0..k-1. */
void confusion_print(const Confusion *cm, const char *const *names);
void report_print(const ClassReport *r, const char *const *names);
void confusion_top_print(const ConfusionPair *pairs, int n, const char *const *names);

/* The pairs as summary.json's list `key`: [{"true", "predicted", "count"}, ...]. */
void confusion_top_json(Json *j, const char *key, const ConfusionPair *pairs, int n);

/* CSVs (atomic, through out.h):
 *   confusion: true,predicted,count,fraction   one row per cell; fraction is
 *              count / images of that true class (for the heat map's colour)
 *   report:    class,support,precision,recall,f1  one row per class, then
 *              a row with class -1 holding the macro averages */
void confusion_write_csv(const Confusion *cm, const char *path);
void report_write_csv(const ClassReport *r, const char *path);

#endif
