# plots/ch4_002fig3_7_max_pooling.gp — thesis 002 Fig 3.7: max pooling with a
# 2×2 window and stride 2: each block of four keeps only its largest value,
# so a 4×4 input becomes 2×2 (floor((4 − 2)/2) + 1 = 2).
# pool_entrada.csv and pool_max.csv: row,col,value.
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1000
fig_h = 520
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
unset grid
unset key
unset colorbox
set size ratio -1
unset xtics
unset ytics
set palette defined (0 '#FFFFFF', 10 '#FC8D59')
set cbrange [0:10]
set multiplot layout 1,2 title tr('Max pooling con una ventana de 2×2 (paso 2)', 'Max pooling with a 2×2 window (stride 2)') font ',15'
set title tr('entrada 4×4 (bloques de 2×2)', '4×4 input (2×2 blocks)')
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]
set arrow 1 from 1.5,-0.5 to 1.5,3.5 nohead lw 3 lc rgb '#333333' front
set arrow 2 from -0.5,1.5 to 3.5,1.5 nohead lw 3 lc rgb '#333333' front
plot datadir.'/pool_entrada.csv' using 'col':'row':'value' with image, \
     '' using 'col':'row':(sprintf('%g', column('value'))) with labels font ',20'
unset arrow
set title tr('salida 2×2: el máximo de cada bloque', '2×2 output: each block''s maximum')
set xrange [-0.5:1.5]
set yrange [1.5:-0.5]
plot datadir.'/pool_max.csv' using 'col':'row':'value' with image, \
     '' using 'col':'row':(sprintf('%g', column('value'))) with labels font ',24'
unset multiplot
