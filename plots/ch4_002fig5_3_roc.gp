# plots/ch4_002fig5_3_roc.gp — thesis 002 §5.2, Fig 5.3 ("comparación de
# áreas bajo la curva de dos modelos"): the ROC curve one-vs-rest of each
# digit, chapter 3's MLP against chapter 4's CNN on the same 10 000 test
# images, with the area under each curve (AUC).
#   roc_curvas.csv  modelo,digito,fpr,tpr   (the exact curves' corners)
#   roc_auc.csv     digito,auc_mlp,auc_cnn,ap_mlp,ap_cnn (digito −1: the mean;
#                   the MLP's cells empty when chapter 3's file was missing)
# Both networks separate every digit almost perfectly (AUC > 0.99), so the
# whole square would show ten corners: the axes zoom on the top-left corner,
# false positive rate 0–5 %, true positive rate 80–100 %, and say so.
if (!exists("datadir")) datadir = 'out/04-cnn'
if (!exists("fig_w")) fig_w = 1600
if (!exists("fig_h")) fig_h = 820
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/roc_curvas.csv'
t = datadir.'/roc_auc.csv'
# is the MLP there? (column 2 of roc_auc.csv is empty without it)
stats t using (valid(2) ? 1 : 0) nooutput
have_mlp = STATS_max > 0

xmax = 0.05
ymin = 0.80
# a little room past 0 and 100 %, so that a curve along an edge is not hidden by the border
set xrange [-0.001:xmax]
set yrange [ymin:1.004]
set xtics ('0' 0, '1' 0.01, '2' 0.02, '3' 0.03, '4' 0.04, '5' 0.05) font ',11'
set key noautotitle
set tics nomirror

if (have_mlp) {
    title = tr('Curvas ROC uno-contra-el-resto: MLP del capítulo 3 (azul) frente a CNN del capítulo 4 (naranja)', \
               'One-vs-rest ROC curves: chapter 3''s MLP (blue) against chapter 4''s CNN (orange)')
} else {
    title = tr('Curvas ROC uno-contra-el-resto de la CNN (naranja); falta la MLP: make chapter3', \
               'One-vs-rest ROC curves of the CNN (orange); the MLP is missing: make chapter3')
}
subtitle = tr('esquina superior izquierda ampliada: los ejes no empiezan en 0 (x: 0–5 %, y: 80–100 %)', \
              'top-left corner zoomed in: the axes do not start at 0 (x: 0–5 %, y: 80–100 %)')

set multiplot layout 2, 5 title title."\n{/*0.8 ".subtitle."}" font ',15' \
    margins 0.075, 0.985, 0.09, 0.86 spacing 0.02, 0.09
do for [d = 0:9] {
    set title sprintf(tr('dígito %d', 'digit %d'), d) font ',13' offset 0, -0.4
    set xlabel (d >= 5 ? tr('tasa de falsos positivos (%)', 'false positive rate (%)') : '') font ',11'
    # the y values on the left column only: every panel has the same axes
    if (d % 5 == 0) {
        set ylabel tr('tasa de verdaderos positivos', 'true positive rate') font ',11'
        set ytics ('80 %%' 0.8, '85 %%' 0.85, '90 %%' 0.9, '95 %%' 0.95, '100 %%' 1.0) font ',11'
    } else {
        unset ylabel
        set ytics 0.05 format ''
    }
    # the AUCs, bottom right of the panel, in the colour of their curve
    plot f using (strcol('modelo') eq 'mlp' && column('digito') == d ? column('fpr') : NaN):'tpr' \
           with lines lt 1 lw 2.5, \
         f using (strcol('modelo') eq 'cnn' && column('digito') == d ? column('fpr') : NaN):'tpr' \
           with lines lt 2 lw 2.5, \
         t using (column('digito') == d ? 0.97 * xmax : NaN):(ymin + 0.17 * (1 - ymin)): \
           (valid(2) ? sprintf('AUC MLP %.5f', column('auc_mlp')) : '') with labels right font ',11' tc lt 1, \
         t using (column('digito') == d ? 0.97 * xmax : NaN):(ymin + 0.08 * (1 - ymin)): \
           (sprintf('AUC CNN %.5f', column('auc_cnn'))) with labels right font ',11' tc lt 2
}
unset multiplot
