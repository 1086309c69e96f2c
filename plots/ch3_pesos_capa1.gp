# plots/ch3_pesos_capa1.gp — what the first layer looks for: the weights of
# 32 of its 128 neurons (rows of W1, 784 values) drawn as 28×28 images, each
# scaled by its own largest |w|. Red: the pixel pushes the neuron up; blue:
# it pushes it down; white: indifferent (the border pixels, always 0 in
# MNIST, keep their small initial weights). pesos_capa1.csv: x,y,value,inside
# (common/plotdata.h; the gaps between tiles, inside = 0, are left blank).
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_h = 640
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
set title tr('Pesos de 32 neuronas de la primera capa (28×28 cada una)', \
             'Weights of 32 first-layer neurons (28×28 each)')
unset border
unset tics
unset grid
set size ratio -1
set yrange [*:*] reverse
set palette defined (-1 '#2166AC', -0.5 '#92C5DE', 0 '#FFFFFF', 0.5 '#F4A582', 1 '#B2182B')
set cbrange [-1:1]
set cbtics ('−máx' -1, '0' 0, '+máx' 1)
set rmargin at screen 0.86
set colorbox vertical user origin 0.89, 0.25 size 0.02, 0.5
plot datadir.'/pesos_capa1.csv' using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image pixels
