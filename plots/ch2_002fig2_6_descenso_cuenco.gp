# 002 Fig 2.6, "Descenso del gradiente en 2D del error cuadrático": the
# bowl f(x, y) = ½((x − 1)² + y²) as a colour map with contour circles, and
# the descent from a random start (red dot) toward the minimum (1, 0) (green
# dot). The bowl curves equally in every direction, so both rates walk the
# same straight line: the notes' η = 0.01 as a solid light-blue line (its 250
# steps cover 92 % of the way, the big open light-blue circle is where it
# stops) and η = 0.1 as open orange circles, one per step, through which the
# blue line stays visible; they reach (1, 0).
# Data: descenso_cuenco.csv (grid x,y,f), descenso_cuenco_pasos.csv.
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
fig_w = 1000
fig_h = 1000
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

bowl = datadir.'/descenso_cuenco.csv'
p = datadir.'/descenso_cuenco_pasos.csv'

# The contour lines f = c are circles around (1, 0) of radius √(2c): for
# radii 2, 4, ..., 12 the levels are f = 2, 8, 18, 32, 50, 72.
set samples 200
set title tr('Descenso del gradiente en 2D: f(x, y) = ½((x − 1)² + y²), mínimo en (1, 0)', \
             'Gradient descent in 2-D: f(x, y) = ½((x − 1)² + y²), minimum at (1, 0)')
set xrange [-10:10]
set yrange [-10:10]
set size ratio -1
set xlabel 'x'
set ylabel 'y'
set cblabel 'f(x, y)'
set palette defined (0 '#0b0b3b', 0.35 '#3a4e9c', 0.65 '#2a9d8f', 1 '#e9c46a')
set key outside below center box Left reverse maxrows 3 width 1 samplen 2 font ',11'
plot bowl using 1:2:3 with image notitle, \
     for [r=2:12:2] [t=0:2*pi] '+' using (1 + r*cos(t)):(r*sin(t)) with lines lc rgb '#bbbbbb' lw 1 dt 3 \
         title (r == 2 ? tr('curvas de nivel f = 2, 8, ..., 72', 'contour lines f = 2, 8, ..., 72') : ''), \
     p using 2:3 with lines lc rgb '#56B4E9' lw 4 title tr('η = 0.01 (las notas): 250 pasos', 'η = 0.01 (the notes): 250 steps'), \
     p using 4:5 with points lc rgb '#E69F00' pt 6 ps 1.6 lw 2 title tr('η = 0.1: 250 pasos, uno por círculo', 'η = 0.1: 250 steps, one per circle'), \
     p every ::0::0 using 2:3 with points lc rgb '#E6194B' pt 7 ps 2.2 title tr('inicio aleatorio', 'random start'), \
     p every ::250::250 using 2:3 with points lc rgb '#56B4E9' pt 6 ps 2.4 lw 3 title tr('donde acaba η = 0.01', 'where η = 0.01 ends'), \
     '+' using (1):(0) every ::0::0 with points lc rgb '#009E73' pt 7 ps 2.2 title tr('mínimo (1, 0)', 'minimum (1, 0)')
