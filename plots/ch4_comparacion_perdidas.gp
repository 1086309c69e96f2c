# plots/ch4_comparacion_perdidas.gp — `make chapter4 LR=0.0003,0.001,0.003`
# and `OPT=sgd,adam`: the training loss of the notes' CNN for every
# (optimiser, learning rate), overlaid; the same initial weights and the same
# order of the images for all. comparacion_perdidas.csv has a column per
# setting (its header is the legend); each point is the mean loss of 50
# batches of 64 (the notes' running_loss), drawn at its middle batch.
# comparacion_exactitud.csv: optimizador,lr,exactitud,perdida_ultima_epoca.
# A setting whose loss became NaN or infinite (issue 11 item 4) stops there:
# its column is empty after its last point, its accuracy empty, and
# comparacion_perdidas_divergencias.csv (ajuste,curva,lote,perdida) gives
# where its curve ended: a point there, labelled "diverge" ("diverged" with
# lang=en). Without divergences that file has no rows and nothing is added.
# Drawn only after a run with a list (chapter.mk leaves it out otherwise).
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1100
fig_h = 700
script = ARG0
load 'plots/common.gp'

f = datadir.'/comparacion_perdidas.csv'
acc = datadir.'/comparacion_exactitud.csv'
set datafile columnheaders
stats f using 1 nooutput
ncurves = STATS_columns - 1
batches_total = STATS_max
# each setting's test accuracy, for its legend entry (the same order as the
# columns; empty: that setting diverged), and whether its curve has a point
# (one that diverged before its first has none: drawn as its mark alone)
array A[ncurves]
array H[ncurves]
do for [k=1:ncurves] {
    A[k] = system(sprintf("awk -F, 'NR == %d {print $3}' '%s'", k + 1, acc))
    H[k] = int(system(sprintf("awk -F, 'NR > 1 && $%d != \"\" {n++} END {print n + 0}' '%s'", k + 1, f))) > 0
}
header(i) = system(sprintf("head -n 1 '%s' | cut -d, -f%d", f, i))
# the curves with points, as column numbers
nshown = 0
do for [k=1:ncurves] { nshown = nshown + H[k] }
array C[nshown > 0 ? nshown : 1]
j = 0
do for [k=1:ncurves] { if (H[k]) { j = j + 1; C[j] = k + 1 } }
legend(i) = (A[i - 1] eq '') ? sprintf(tr('%s: diverge', '%s: diverged'), header(i)) \
    : sprintf(tr('%s: %.2f %% en prueba', '%s: %.2f %% test'), header(i), 100 * real(A[i - 1]))
# where each diverged curve ended: a point and a label (no rows: none)
marks = datadir.'/comparacion_perdidas_divergencias.csv'
nmarks = int(system(sprintf("awk 'NR > 1' '%s' 2>/dev/null | wc -l", marks)))
mark(r, c) = system(sprintf("awk -F, 'NR == %d {print $%d}' '%s'", r + 1, c, marks))
do for [r=1:nmarks] {
    set label (100 + r) tr('diverge', 'diverged') at real(mark(r, 3)), real(mark(r, 4)) \
        point lt int(mark(r, 2)) pt 7 ps 1.6 offset 0.8, 0.8 tc lt int(mark(r, 2))
    batches_total = real(mark(r, 3)) > batches_total ? real(mark(r, 3)) : batches_total
}

set title tr('CNN de los apuntes: pérdida de entrenamiento con cada optimizador y tasa de aprendizaje', \
             'The notes'' CNN: training loss with each optimiser and learning rate') font ',14'
set xlabel tr('lote (cada punto, la media de 50 lotes de 64 imágenes)', 'batch (each point the mean of 50 batches of 64 images)')
set ylabel tr('entropía cruzada (escala log)', 'cross-entropy (log scale)')
set logscale y
set format y '%g'
set xrange [0:batches_total * 1.02]
set key top right box opaque spacing 1.2
# SGD dashed, Adam solid: the header says which
is_sgd(i) = strstrt(header(i), 'sgd') > 0
do for [i=2:ncurves+1] { if (is_sgd(i)) { set linetype (i - 1) dashtype 2 } }
# the curves; a setting without one gets its legend entry beside its mark
cmd = 'plot for [j=1:nshown] f using 1:C[j] with lines lt (C[j] - 1) lw 2 title legend(C[j])'
do for [k=1:ncurves] {
    if (!H[k]) {
        cmd = cmd.sprintf(", keyentry with points lt %d pt 7 ps 1.6 title legend(%d)", k, k + 1)
    }
}
eval cmd
