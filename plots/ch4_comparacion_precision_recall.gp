# plots/ch4_comparacion_precision_recall.gp — thesis 002 §5.2's precision
# (5.2) and sensitivity or recall (5.3), every threshold at once: the
# precision–recall curve one-vs-rest of each digit, chapter 3's MLP against
# chapter 4's CNN on the same 10 000 test images, with the average
# precision (AP = Σ (R_k − R_{k−1}) · P_k, no interpolation) of each.
#   pr_curvas.csv   modelo,digito,recall,precision
#   roc_auc.csv     digito,auc_mlp,auc_cnn,ap_mlp,ap_cnn (digito −1: the mean;
#                   the MLP's cells empty when chapter 3's file was missing)
# Both curves stay near precision 1 until the last few percent of recall:
# the axes zoom on recall and precision 80–100 %, and say so.
if (!exists("datadir")) datadir = 'out/04-cnn'
if (!exists("fig_w")) fig_w = 1600
if (!exists("fig_h")) fig_h = 820
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/pr_curvas.csv'
t = datadir.'/roc_auc.csv'
# is the MLP there? (column 2 of roc_auc.csv is empty without it)
stats t using (valid(2) ? 1 : 0) nooutput
have_mlp = STATS_max > 0

xmin = 0.80
ymin = 0.80
# a little room past 100 %, so that a curve along an edge is not hidden by the border
set xrange [xmin:1.004]
set yrange [ymin:1.004]
set xtics ('80' 0.8, '85' 0.85, '90' 0.9, '95' 0.95, '100' 1.0) font ',11'
set key noautotitle
set tics nomirror

if (have_mlp) {
    title = tr('Precisión frente a sensibilidad (recall), uno-contra-el-resto: MLP del capítulo 3 (azul) y CNN del capítulo 4 (naranja)', \
               'Precision against recall, one-vs-rest: chapter 3''s MLP (blue) and chapter 4''s CNN (orange)')
} else {
    title = tr('Precisión frente a sensibilidad (recall) de la CNN (naranja); falta la MLP: make chapter3', \
               'Precision against recall of the CNN (orange); the MLP is missing: make chapter3')
}
subtitle = tr('esquina superior derecha ampliada: los ejes no empiezan en 0 (x e y: 80–100 %); AP: precisión media', \
              'top-right corner zoomed in: the axes do not start at 0 (x and y: 80–100 %); AP: average precision')

set multiplot layout 2, 5 title title."\n{/*0.8 ".subtitle."}" font ',15' \
    margins 0.075, 0.985, 0.09, 0.86 spacing 0.02, 0.09
do for [d = 0:9] {
    set title sprintf(tr('dígito %d', 'digit %d'), d) font ',13' offset 0, -0.4
    set xlabel (d >= 5 ? tr('sensibilidad o recall (%)', 'recall (%)') : '') font ',11'
    # the y values on the left column only: every panel has the same axes
    if (d % 5 == 0) {
        set ylabel tr('precisión', 'precision') font ',11'
        set ytics ('80 %%' 0.8, '85 %%' 0.85, '90 %%' 0.9, '95 %%' 0.95, '100 %%' 1.0) font ',11'
    } else {
        unset ylabel
        set ytics 0.05 format ''
    }
    # the APs, bottom left of the panel, in the colour of their curve
    plot f using (strcol('modelo') eq 'mlp' && column('digito') == d ? column('recall') : NaN):'precision' \
           with lines lt 1 lw 2.5, \
         f using (strcol('modelo') eq 'cnn' && column('digito') == d ? column('recall') : NaN):'precision' \
           with lines lt 2 lw 2.5, \
         t using (column('digito') == d ? xmin + 0.03 * (1 - xmin) : NaN):(ymin + 0.17 * (1 - ymin)): \
           (valid(4) ? sprintf('AP MLP %.5f', column('ap_mlp')) : '') with labels left font ',11' tc lt 1, \
         t using (column('digito') == d ? xmin + 0.03 * (1 - xmin) : NaN):(ymin + 0.08 * (1 - ymin)): \
           (sprintf('AP CNN %.5f', column('ap_cnn'))) with labels left font ',11' tc lt 2
}
unset multiplot
