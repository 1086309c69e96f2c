# plots/ch4_filtros_conv1.gp — the 32 filters of 3×3 that conv1 learned
# (notes §4.1: nobody designs them; training turns random starts into edge,
# bar and blob detectors). Blue positive, red negative, one colour scale for
# all. filtros_conv1.csv: filter,row,col,weight (9 rows per filter).
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1200
fig_h = 700
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/filtros_conv1.csv'
stats f using 'weight' nooutput
m = (abs(STATS_min) > STATS_max ? abs(STATS_min) : STATS_max)
unset grid
unset key
unset colorbox
unset xtics
unset ytics
set size ratio -1
set xrange [-0.5:2.5]
set yrange [2.5:-0.5]
set cbrange [-m:m]
set palette defined (-1 '#D55E00', 0 '#FFFFFF', 1 '#0072B2')
set multiplot layout 4,8 title sprintf(tr('Los 32 filtros 3×3 aprendidos por conv1 (azul +, rojo −; ±%.2f)', \
                                          'The 32 3×3 filters conv1 learned (blue +, red −; ±%.2f)'), m) font ',15'
do for [k=0:31] {
    set title sprintf('%d', k) font ',11' offset 0,-0.8
    plot f every ::(9*k)::(9*k+8) using 'col':'row':'weight' with image
}
unset multiplot
