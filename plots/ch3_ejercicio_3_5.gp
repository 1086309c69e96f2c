# plots/ch3_ejercicio_3_5.gp — notes §3.5 exercise 3: a third hidden layer of
# 32 neurons and plain SGD instead of Adam; what happens to running_loss.
# ejercicio_3_5.csv: a column per run (mean loss of every 50 batches).
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
script = ARG0
load 'plots/common.gp'

f = datadir.'/ejercicio_3_5.csv'
set datafile columnheaders
stats f using 1 nooutput
ncurves = STATS_columns - 1

set title tr('Ejercicio 3.5.3: capa oculta de 32 y SGD frente a Adam', \
             'Exercise 3.5.3: a hidden layer of 32 and SGD against Adam')
set xlabel tr('lote (media de cada 50 lotes de 64 imágenes)', 'batch (mean of every 50 batches of 64 images)')
set ylabel tr('running\_loss: entropía cruzada (escala log)', 'running\_loss: cross-entropy (log scale)')
set logscale y
set format y '%g'
set xrange [0:*]
set key top right box opaque
# SGD dashed, Adam solid: the header of column i says which
header(i) = system(sprintf("head -n 1 '%s' | cut -d, -f%d", f, i))
do for [i=2:ncurves+1] { if (strstrt(header(i), 'sgd') > 0) { set linetype (i - 1) dashtype 2 } }
plot for [i=2:ncurves+1] f using 1:i with lines lt (i - 1) lw 2 title columnheader(i)
