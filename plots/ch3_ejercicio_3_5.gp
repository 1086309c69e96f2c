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
plot for [i=2:ncurves+1] f using 1:i with lines lw 2 title columnheader(i)
