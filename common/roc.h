/* roc.h — how well a score separates one class from the rest (thesis 002
 * §5.2): the ROC curve with the area under it, and the precision–recall
 * curve with its average precision.
 *
 *     Roc r;
 *     roc_compute(&r, p_of_class_3, is_a_3, 10000);   // one-vs-rest for the 3
 *     printf("AUC %.5f, AP %.5f\n", r.auc, r.ap);
 *     roc_free(&r);
 *
 * The curves are exact: the threshold is lowered through every distinct
 * score, and each distinct score is ONE point — images with the same score
 * enter together, whatever their order in the input (a tie between a
 * positive and a negative is a diagonal step, worth half a pair). So:
 *
 *   auc = Σ (fpr_k − fpr_{k−1}) · (tpr_k + tpr_{k−1}) / 2   (trapezoids)
 *       = P(score of a random positive > score of a random negative)
 *         + ½ P(equal)                            (the Mann–Whitney statistic)
 *   ap  = Σ (recall_k − recall_{k−1}) · precision_k          (no interpolation)
 *
 * tests/test_ch4_compare.c checks both on a hand-worked case with ties and
 * the first against roc_auc_pairs(), which counts the pairs one by one. */
#ifndef ROC_H
#define ROC_H

typedef struct {
    int points;          /* 1 + the number of distinct scores */
    double *threshold;   /* (points) [0] = +inf, then the distinct scores, falling */
    double *fpr, *tpr;   /* (points) from (0, 0) to (1, 1) */
    double *precision;   /* (points) [0] = 1 (sklearn's convention), then TP / (TP + FP) */
    double *recall;      /* (points) = tpr */
    long positives, negatives;
    double auc, ap;      /* NaN when there are no positives or no negatives */
} Roc;

/* The curves of `score` (n values; higher means "more likely positive")
 * against is_positive (n values, 0 or not). Scores must not be NaN. */
void roc_compute(Roc *r, const double *score, const unsigned char *is_positive, int n);
void roc_free(Roc *r);

/* The same area by its definition, pair by pair: (wins + ½ ties) /
 * (positives · negatives), in O(n²). For tests. NaN without both kinds. */
double roc_auc_pairs(const double *score, const unsigned char *is_positive, int n);

#endif
