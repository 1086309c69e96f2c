# Notes §3.5 exercise 2: predicted against true roots on the 1000 held-out
# equations. On the diagonal the network is exact; the spread is its error.
# The misses gather where the two roots meet (x1 ≈ x2, discriminant ≈ 0),
# where the formula's √ has its kink. Data: cuadratica_raices.csv.
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
fig_w = 850
fig_h = 800
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

set title tr('Raíces predichas frente a reales (1000 ecuaciones de prueba)', \
             'Predicted against true roots (1000 test equations)')
set xlabel tr('raíz real', 'true root')
set ylabel tr('raíz predicha por la red', 'root predicted by the network')
set xrange [-1.1:1.1]
set yrange [-1.1:1.1]
set size ratio -1
set key top left box opaque Left reverse

f = datadir.'/cuadratica_raices.csv'
plot x with lines lc rgb '#444444' dt 2 lw 1.5 title tr('predicción perfecta', 'perfect prediction'), \
     f using 4:6 with points lt 1 pt 7 ps 0.5 title tr('x_1 (la mayor)', 'x_1 (the larger)'), \
     f using 5:7 with points lt 2 pt 7 ps 0.5 title tr('x_2 (la menor)', 'x_2 (the smaller)')
