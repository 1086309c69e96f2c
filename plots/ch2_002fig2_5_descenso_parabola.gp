# 002 Fig 2.5, "Descenso del gradiente para el error cuadrático": f(x) = ½x²,
# η = 0.01, 250 steps from a random start (red) to the last step (green).
# Every step multiplies x by 0.99, so the dots crowd together as the slope
# flattens. Data: descenso_parabola_curva.csv, descenso_parabola_pasos.csv.
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

set title tr('Descenso del gradiente para el error cuadrático f(x) = ½x²  (η = 0.01, 250 pasos)', \
             'Gradient descent on the squared error f(x) = ½x²  (η = 0.01, 250 steps)')
set xlabel 'x'
set ylabel 'f(x)'
set xrange [-1:1]
set yrange [-0.02:0.52]
set key top center box opaque Left reverse

p = datadir.'/descenso_parabola_pasos.csv'
plot datadir.'/descenso_parabola_curva.csv' using 1:2 with lines lc rgb 'black' lw 2 title 'f(x) = ½x²', \
     p using 2:3 with points lt 1 pt 7 ps 0.5 title tr('pasos x ← x − η·x', 'steps x ← x − η·x'), \
     p every ::0::0 using 2:3 with points lc rgb '#D55E00' pt 7 ps 2.2 title tr('inicio', 'start'), \
     p every ::250::250 using 2:3 with points lc rgb '#009E73' pt 7 ps 2.2 title tr('final', 'end')
