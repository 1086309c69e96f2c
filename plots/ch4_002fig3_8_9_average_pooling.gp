# plots/ch4_002fig3_8_9_average_pooling.gp — thesis 002 Figs 3.8 and 3.9:
# average pooling of the same 4×4 input with a 2×2 window and stride 1 (3×3
# out) or stride 2 (2×2 out), and with a 3×3 window, stride 1 and padding 1
# (4×4 out: the padding keeps the size; its zeros count in the average, as in
# PyTorch). Output size: floor((n + 2p − k)/s) + 1. pool_*.csv: row,col,value.
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1500
fig_h = 500
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
unset grid
unset key
unset colorbox
set size ratio -1
unset xtics
unset ytics
set palette defined (0 '#FFFFFF', 10 '#6BAED6')
set cbrange [0:10]
set multiplot layout 1,4 title tr('Average pooling: tamaño de salida = ⌊(n + 2p − k)/s⌋ + 1', \
                                   'Average pooling: output size = ⌊(n + 2p − k)/s⌋ + 1') font ',15'
set title tr('entrada 4×4', '4×4 input')
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]
plot datadir.'/pool_entrada.csv' using 'col':'row':'value' with image, \
     '' using 'col':'row':(sprintf('%g', column('value'))) with labels font ',16'
set title 'k=2, s=1: ⌊(4−2)/1⌋+1 = 3'
set xrange [-0.5:2.5]
set yrange [2.5:-0.5]
plot datadir.'/pool_media_s1.csv' using 'col':'row':'value' with image, \
     '' using 'col':'row':(sprintf('%.2f', column('value'))) with labels font ',14'
set title 'k=2, s=2: ⌊(4−2)/2⌋+1 = 2'
set xrange [-0.5:1.5]
set yrange [1.5:-0.5]
plot datadir.'/pool_media_s2.csv' using 'col':'row':'value' with image, \
     '' using 'col':'row':(sprintf('%.2f', column('value'))) with labels font ',16'
set title 'k=3, s=1, p=1: ⌊(4+2−3)/1⌋+1 = 4'
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]
plot datadir.'/pool_media_p1.csv' using 'col':'row':'value' with image, \
     '' using 'col':'row':(sprintf('%.2f', column('value'))) with labels font ',13'
unset multiplot
