# plots/ch4_comparacion_perdidas.gp — `make chapter4 LR=0.0003,0.001,0.003`
# and `OPT=sgd,adam`: the training loss of the notes' CNN for every
# (optimiser, learning rate), overlaid; the same initial weights and the same
# order of the images for all. comparacion_perdidas.csv has a column per
# setting (its header is the legend); each point is the mean loss of 50
# batches of 64 (the notes' running_loss), drawn at its middle batch.
# comparacion_exactitud.csv: optimizador,lr,exactitud,perdida_ultima_epoca.
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
# each setting's test accuracy, for its legend entry (the same order as the columns)
array A[ncurves]
do for [k=1:ncurves] {
    stats acc every ::(k - 1)::(k - 1) using 'exactitud' nooutput
    A[k] = STATS_max
}
header(i) = system(sprintf("head -n 1 '%s' | cut -d, -f%d", f, i))

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
plot for [i=2:ncurves+1] f using 1:i with lines lt (i - 1) lw 2 \
     title sprintf(tr('%s: %.2f %% en prueba', '%s: %.2f %% test'), header(i), 100 * A[i - 1])
