# plots/ch2_fig2_error_tasas_aprendizaje.gp — notes §2.3 Fig 2, "Evolución
# del error con diferentes tasas de aprendizaje": the MSE per epoch of the
# XOR network for every η of --lr, all from the same starting weights
# (errores_tasas.csv: a column "eta=<η>" per rate; empty cells = diverged).
# Two panels, so that nothing hides anything:
#   left   the first 300 epochs in linear scale, where a large η "oscila
#          locamente" (notes §2.3) and the others have hardly moved;
#   right  every epoch, MSE in log scale: the collapse from 0.25 towards 0
#          spans three decades.
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
fig_w = 1300
fig_h = 650
script = ARG0
load 'plots/common.gp'

f = datadir.'/errores_tasas.csv'
set datafile columnheaders
stats f every ::0::2 nooutput     # how many columns: 1 + the number of rates
nrates = STATS_columns - 1
stats f using 1 nooutput
epochs = STATS_max
first = (epochs < 300) ? epochs : 300

set multiplot title tr('Evolución del error con diferentes tasas de aprendizaje (mismos pesos iniciales)', \
                       'Error over the epochs for different learning rates (same initial weights)') font ',15'

# --- left: the first epochs, linear ---
set origin 0, 0
set size 0.40, 0.94
set title sprintf(tr('primeras %d épocas (escala lineal)', 'first %d epochs (linear scale)'), first)
set xlabel tr('época', 'epoch')
set ylabel tr('error cuadrático medio (MSE)', 'mean squared error (MSE)')
set xrange [0:first]
set yrange [0:*]
set ytics 0.05
set format y '%.2f'
set arrow 1 from graph 0, first 0.25 to graph 1, first 0.25 nohead dt 2 lc rgb '#777777' lw 1
# the key sits low in this panel, where no curve goes in the first epochs
set key bottom left box opaque Left reverse width 1 title tr('tasa de aprendizaje', 'learning rate')
plot for [i=2:nrates+1] f using 1:i with lines lt (i-1) lw 2 \
     title sprintf('η = %s', columnhead(i)[5:])

# --- right: every epoch, log scale ---
unset arrow
set origin 0.40, 0
set size 0.60, 0.94
set title sprintf(tr('las %d épocas (MSE en escala logarítmica)', 'all %d epochs (MSE in log scale)'), epochs)
set ylabel tr('MSE (escala log)', 'MSE (log scale)')
set logscale y
set yrange [1e-4:1]
set ytics auto
set format y '10^{%L}'
set xrange [0:epochs]
unset key
# the two levels the notes talk about
set arrow 1 from graph 0, first 0.25 to graph 1, first 0.25 nohead dt 2 lc rgb '#777777' lw 1
set label 1 tr('0.25: responder siempre 0.5', '0.25: always answer 0.5') at graph 0.99, first 0.33 right textcolor rgb '#555555'
set arrow 2 from graph 0, first 0.01 to graph 1, first 0.01 nohead dt 3 lc rgb '#777777' lw 1
set label 2 tr('0.01: aprendido', '0.01: learned') at graph 0.99, first 0.0128 right textcolor rgb '#555555'
plot for [i=2:nrates+1] f using 1:i with lines lt (i-1) lw 2
unset multiplot
