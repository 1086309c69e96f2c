# plots/ch4_filtros_conv1.gp — the 32 filters of 3×3 that conv1 learned
# (notes §4.1: nobody designs them; training turns random starts into edge,
# bar and blob detectors). Blue positive, orange (#D55E00, drawn orange)
# negative, white 0, one colour scale for all, its ends in the title. filtros_conv1.csv: filter,row,col,weight (9 rows per filter).
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1150
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
set multiplot layout 4,8 margins 0.02, 0.9, 0.03, 0.9 spacing 0.03, 0.1 title sprintf(tr('Los 32 filtros 3×3 aprendidos por conv1 (azul +, naranja −, blanco 0; escala común ±%.2f)', \
                                          'The 32 3×3 filters conv1 learned (blue +, orange −, white 0; one scale ±%.2f)'), m) font ',15'
do for [k=0:31] {
    set title sprintf('%d', k) font ',11' offset 0,-0.8
    plot f every ::(9*k)::(9*k+8) using 'col':'row':'weight' with image
}
# the colour scale, with its values, in a strip of its own on the right
set multiplot next
unset title
unset border
set origin 0.93, 0.08
set size 0.07, 0.8
set colorbox user origin screen 0.945, 0.12 size screen 0.014, 0.72
set cbtics font ',11'
set cblabel tr('peso', 'weight') font ',12'
set xrange [10:11]
plot f every ::0::8 using 'col':'row':'weight' with image
unset multiplot
