# plots/ch2_fig2_error_tasas_aprendizaje.gp — notes §2.3 Fig 2, "Evolución
# del error con diferentes tasas de aprendizaje": the MSE per epoch of the
# XOR network for every η of --lr, all from the same starting weights
# (errores_tasas.csv: a column "eta=<η>" per rate; empty cells = diverged).
# Log scale in y: the interesting part — the collapse from 0.25 towards 0 —
# spans three decades.
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
script = ARG0
load 'plots/common.gp'

f = datadir.'/errores_tasas.csv'
set datafile columnheaders
stats f every ::0::2 nooutput     # how many columns: 1 + the number of rates
nrates = STATS_columns - 1

set title tr('Evolución del error con diferentes tasas de aprendizaje', \
             'Error over the epochs for different learning rates')
set xlabel tr('época', 'epoch')
set ylabel tr('error cuadrático medio (MSE, escala log)', 'mean squared error (MSE, log scale)')
set logscale y
set yrange [1e-4:1]
set format y '10^{%L}'
set xrange [0:*]
set key bottom left box opaque Left reverse width 1
# the two levels the notes talk about
set arrow 1 from graph 0, first 0.25 to graph 1, first 0.25 nohead dt 2 lc rgb '#777777' lw 1
set label 1 tr('0.25: responder siempre 0.5', '0.25: always answer 0.5') at graph 0.01, first 0.3 left textcolor rgb '#555555'
set arrow 2 from graph 0, first 0.01 to graph 1, first 0.01 nohead dt 3 lc rgb '#777777' lw 1
set label 2 tr('0.01: aprendido', '0.01: learned') at graph 0.01, first 0.0128 left textcolor rgb '#555555'

set multiplot
plot for [i=2:nrates+1] f using 1:i with lines lt (i-1) lw 2 \
     title sprintf('η = %s', columnhead(i)[5:])

# Inset: the first 300 epochs in linear scale, where a large η "jumps".
unset arrow; unset label; unset logscale y; unset title
set format y '%.2f'
set origin 0.45, 0.40
set size 0.50, 0.40
set xrange [0:300]
set yrange [0:0.45]
set xtics 100 font ',10'
set ytics 0.1 font ',10'
set xlabel tr('primeras 300 épocas', 'first 300 epochs') font ',10' offset 0, 0.8
set ylabel 'MSE' font ',10' offset 2, 0
set object 1 rectangle from graph 0, graph 0 to graph 1, graph 1 behind fc rgb 'white' fs solid 1.0 noborder
unset key
plot for [i=2:nrates+1] f using 1:i with lines lt (i-1) lw 1.5
unset multiplot
