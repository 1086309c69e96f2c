# 003 Figs 11–13: the cost of a one-weight neuron, (0.3w − 1)² =
# 0.09w² − 0.6w + 1, its tangent at a random start (negative slope: the
# weight must grow) and the descent (η = 1) to the minimum w = 10/3.
# Data: descenso_coste1d_curva.csv (w,cost,tangent), descenso_coste1d_pasos.csv.
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

set title tr('Coste en función del peso: (0.3w − 1)² = 0.09w² − 0.6w + 1', \
             'Cost as a function of the weight: (0.3w − 1)² = 0.09w² − 0.6w + 1')
set xlabel tr('peso w', 'weight w')
set ylabel tr('coste', 'cost')
set xrange [-4:8]
set yrange [-0.3:5]
set key top right box opaque Left reverse

set arrow 1 from 10.0/3, -0.3 to 10.0/3, 0 nohead dt 2 lc rgb '#444444'
set label 1 tr('mínimo w = 10/3 ≈ 3.33', 'minimum w = 10/3 ≈ 3.33') at 3.9, 1.5 left
set arrow 2 from 4.3, 1.35 to 10.0/3 + 0.08, 0.1 lw 1.2 lc rgb '#444444'

p = datadir.'/descenso_coste1d_pasos.csv'
plot datadir.'/descenso_coste1d_curva.csv' using 1:2 with lines lc rgb 'black' lw 2 title tr('coste', 'cost'), \
     ''  using 1:3 with lines lt 2 dt 2 title tr('tangente en el inicio (pendiente < 0)', 'tangent at the start (slope < 0)'), \
     p using 2:3 with linespoints lt 1 pt 7 ps 0.8 title tr('descenso, η = 1', 'descent, η = 1'), \
     p every ::0::0 using 2:3 with points lc rgb '#D55E00' pt 7 ps 2.2 title tr('inicio aleatorio', 'random start'), \
     p every ::60::60 using 2:3 with points lc rgb '#009E73' pt 7 ps 2.2 title tr('final', 'end')
