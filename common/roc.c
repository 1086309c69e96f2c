/* roc.c — see roc.h. */
#include "roc.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
    double score;
    unsigned char positive;
} Scored;

/* Highest score first; the order among equal scores does not matter, since
 * a whole group of equal scores becomes one point. */
static int by_score_falling(const void *a, const void *b)
{
    double x = ((const Scored *)a)->score, y = ((const Scored *)b)->score;
    return (x < y) - (x > y);
}

void roc_compute(Roc *r, const double *score, const unsigned char *is_positive, int n)
{
    Scored *s = xmalloc(sizeof *s * (size_t)(n > 0 ? n : 1));
    long pos = 0;
    for (int i = 0; i < n; i++) {
        if (isnan(score[i]))
            die("roc_compute: score %d is NaN", i);
        s[i] = (Scored){score[i], is_positive[i] != 0};
        pos += s[i].positive;
    }
    qsort(s, (size_t)n, sizeof *s, by_score_falling);
    r->positives = pos;
    r->negatives = n - pos;
    size_t cap = (size_t)n + 1;
    r->threshold = xmalloc(sizeof(double) * cap);
    r->fpr = xmalloc(sizeof(double) * cap);
    r->tpr = xmalloc(sizeof(double) * cap);
    r->precision = xmalloc(sizeof(double) * cap);
    r->recall = r->tpr;

    /* the threshold above every score: nothing called positive */
    r->threshold[0] = INFINITY;
    r->fpr[0] = r->tpr[0] = 0;
    r->precision[0] = 1;
    int k = 1;
    long tp = 0, fp = 0;
    double auc = 0, ap = 0;
    for (int i = 0; i < n;) {
        /* lower the threshold to s[i].score: the whole group of equal scores enters */
        double t = s[i].score;
        for (; i < n && s[i].score == t; i++) {
            if (s[i].positive)
                tp++;
            else
                fp++;
        }
        r->threshold[k] = t;
        r->fpr[k] = r->negatives > 0 ? (double)fp / r->negatives : NAN;
        r->tpr[k] = pos > 0 ? (double)tp / pos : NAN;
        r->precision[k] = (double)tp / (double)(tp + fp);
        auc += (r->fpr[k] - r->fpr[k - 1]) * (r->tpr[k] + r->tpr[k - 1]) / 2;
        ap += (r->recall[k] - r->recall[k - 1]) * r->precision[k];
        k++;
    }
    r->points = k;
    r->auc = pos > 0 && r->negatives > 0 ? auc : NAN;
    r->ap = pos > 0 ? ap : NAN;
    free(s);
}

void roc_free(Roc *r)
{
    free(r->threshold);
    free(r->fpr);
    free(r->tpr);
    free(r->precision);
    r->threshold = r->fpr = r->tpr = r->precision = r->recall = NULL;
    r->points = 0;
}

double roc_auc_pairs(const double *score, const unsigned char *is_positive, int n)
{
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < n; i++) {
        if (!is_positive[i])
            continue;
        for (int j = 0; j < n; j++) {
            if (is_positive[j])
                continue;
            pairs++;
            wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
        }
    }
    return pairs > 0 ? wins / (double)pairs : NAN;
}
