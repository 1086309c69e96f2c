# plots/ch3_replica_003.gp — seed 003's network (784–20–20–10, sigmoid,
# squared error, batches of 100 in fixed order, lr 0.01): test accuracy per
# epoch with the gradient summed over the batch (the paper's code), averaged
# (the paper's theory), and averaged with lr 1 — the same step as summing, so
# its curve lies exactly on the summed one: drawn as open triangles on top of
# it, and the legend says so.
# replica_003.csv: epoch, {sum,mean,mean_lr1}_acc, ..._cost.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
script = ARG0
load 'plots/common.gp'

f = datadir.'/replica_003.csv'
set datafile columnheaders
set title tr('Réplica de 003: gradiente sumado frente a promediado', \
             'Seed 003 replicated: gradient summed against averaged')
set xlabel tr('época', 'epoch')
set ylabel tr('exactitud en prueba (%)', 'test accuracy (%)')
set yrange [0:100]
set xtics 1
stats f using 1 nooutput
set xrange [0.8:STATS_max + 0.2]
set key at graph 0.98, graph 0.5 right center box opaque
set arrow 1 from graph 0, first 92.10 to graph 1, first 92.10 nohead dt 2 lc rgb '#777777' lw 1
set label 1 tr('003: 92.10 %', '003: 92.10 %') at graph 0.02, first 88 left textcolor rgb '#555555'
set arrow 2 from graph 0, first 12 to graph 1, first 12 nohead dt 3 lc rgb '#777777' lw 1
set label 2 tr('003 con la media: 12 %', '003 averaged: 12 %') at graph 0.02, first 8 left textcolor rgb '#555555'
plot f using 1:(100*column('sum_acc')) with linespoints lt 1 pt 7 ps 1.5 title tr('suma, lr 0.01', 'sum, lr 0.01'), \
     f using 1:(100*column('mean_acc')) with linespoints lt 2 pt 5 ps 1.5 title tr('media, lr 0.01', 'mean, lr 0.01'), \
     f using 1:(100*column('mean_lr1_acc')) with points lt 3 pt 8 ps 2.5 lw 2 \
       title tr('media, lr 1 (coincide con la suma)', 'mean, lr 1 (the same as the sum)')
