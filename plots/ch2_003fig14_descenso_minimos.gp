# 003 Fig 14, "Función con múltiples mínimos": five descents (η = 0.05,
# 300 steps) from five starts; each ends in the minimum of its own valley,
# and only one of them is the lowest. Data: descenso_minimos_curva.csv,
# descenso_minimos_pasos.csv (step, then x,f for each start).
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

set title tr('Función con múltiples mínimos: el final depende del inicio', \
             'A function with several minima: where descent ends depends on where it starts')
set xlabel 'x'
set ylabel 'f(x)'
set xrange [-8:8]
set yrange [-2:6.2]
set key top center box opaque Left reverse maxrows 3 samplen 2 spacing 1.1
set label 1 tr('mínimo global', 'global minimum') at -0.75, -1.7 left
set label 2 tr('cuadrado: inicio; triángulo: final', 'square: start; triangle: end') at graph 0.99, 0.05 right font ',11'

p = datadir.'/descenso_minimos_pasos.csv'
plot datadir.'/descenso_minimos_curva.csv' using 1:2 with lines lc rgb 'black' lw 2 title 'f(x) = 0.05x² + 1.5 sin 1.5x + 0.1x', \
     for [k=1:5] p using (column(2*k)):(column(2*k+1)) with points lt k+1 pt 7 ps 0.4 \
         title sprintf(tr('inicio %d', 'start %d'), k), \
     for [k=1:5] p every ::0::0 using (column(2*k)):(column(2*k+1)) with points lt k+1 pt 5 ps 1.8 notitle, \
     for [k=1:5] p every ::300::300 using (column(2*k)):(column(2*k+1)) with points lc rgb 'black' pt 9 ps 2.2 notitle
