# plots/ch3_loss_comparacion.gp — `make chapter3 LR=0.001,0.003,0.01` and
# `OPT=sgd,adam`: the training loss of the 784–128–64–10 network for every
# (optimiser, learning rate), overlaid. loss_comparacion.csv has a column per
# setting (its header is the legend); each point is the mean loss of 50
# batches, the notes' running_loss. An empty cell: that run diverged there.
# loss_comparacion_divergencias.csv has a row for each run that diverged
# (its column, its name, the batch and loss of its last point), and the
# figure marks that point with "diverge" in the curve's colour; with none
# (only the header, or no such file) the figure is drawn as before.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
script = ARG0
load 'plots/common.gp'

f = datadir.'/loss_comparacion.csv'
set datafile columnheaders
stats f using 1 nooutput
ncurves = STATS_columns - 1

set title tr('Pérdida durante el entrenamiento: optimizadores y tasas de aprendizaje', \
             'Training loss: optimisers and learning rates')
set xlabel tr('lote (media de cada 50 lotes de 64 imágenes)', 'batch (mean of every 50 batches of 64 images)')
set ylabel tr('entropía cruzada (escala log)', 'cross-entropy (log scale)')
set logscale y
set format y '%g'
set xrange [0:*]
set key top right box opaque
# SGD dashed, Adam solid: the header of column i says which
header(i) = system(sprintf("head -n 1 '%s' | cut -d, -f%d", f, i))
is_sgd(i) = strstrt(header(i), 'sgd') > 0
do for [i=2:ncurves+1] { if (is_sgd(i)) { set linetype (i - 1) dashtype 2 } }
# Where each diverged curve ended: its last point, marked in its colour.
ends = datadir.'/loss_comparacion_divergencias.csv'
n_ends = int(system(sprintf("awk 'NR > 1' '%s' 2>/dev/null | wc -l", ends)))
do for [r=1:n_ends] {
    end = system(sprintf("awk -F, 'NR == %d {print $1, $3, $4}' '%s'", r + 1, ends))
    k = int(word(end, 1))
    set label 10 + r tr('diverge', 'diverged') at real(word(end, 2)), real(word(end, 3)) \
        left front point lt k pt 7 ps 1.6 tc lt k offset 0.9, 0.6
}
plot for [i=2:ncurves+1] f using 1:i with lines lt (i - 1) lw 2 title columnheader(i)
