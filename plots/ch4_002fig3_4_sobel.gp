# plots/ch4_002fig3_4_sobel.gp — thesis 002 Fig 3.4: the Sobel filters on a
# test digit. Gx = [−1 0 1; −2 0 2; −1 0 1] differentiates along x, so it
# lights up VERTICAL edges; Gy (its transpose) lights up HORIZONTAL edges.
# (002 §4.1 says it the other way round: errata in chapters/04-cnn/notebook.md.)
# sobel_*.csv: x,y,value,inside (plotdata.h's image grid: one tile, no margin).
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1300
fig_h = 500
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
# one colour scale for both: ± the largest response (before any range is set,
# since stats obeys the ranges)
stats datadir.'/sobel_gx.csv' using 'value' nooutput
m = (abs(STATS_min) > STATS_max ? abs(STATS_min) : STATS_max)
unset grid
unset key
set size ratio -1
set xrange [-0.5:27.5]
set yrange [27.5:-0.5]
unset xtics
unset ytics
set multiplot layout 1,3 title tr('Filtros de Sobel sobre un dígito', 'Sobel filters on a digit') font ',15'
set palette gray
set cbrange [0:1]
set title tr('dígito', 'digit')
plot datadir.'/sobel_digito.csv' using 'x':'y':'value' with image
set palette defined (-1 '#D55E00', 0 '#FFFFFF', 1 '#0072B2')
set cbrange [-m:m]
set title tr('Gx: bordes verticales', 'Gx: vertical edges')
plot datadir.'/sobel_gx.csv' using 'x':'y':'value' with image
set title tr('Gy: bordes horizontales', 'Gy: horizontal edges')
plot datadir.'/sobel_gy.csv' using 'x':'y':'value' with image
unset multiplot
