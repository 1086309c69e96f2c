# plots/ch3_pesos_capa1.gp — what the first layer looks for: the weights of
# the first 32 of its 128 neurons (rows of W1, 784 values) drawn as 28×28
# images. Each tile is scaled by ITS OWN largest |w| (written above it), so
# the colour bar runs from −that to +that in every tile: red, the pixel
# pushes the neuron up; blue, down; white, indifferent (the border pixels,
# always 0 in MNIST, keep their small initial weights). A tile framed in
# orange is a dead neuron (notes §3.1): Z1 ≤ 0 on every test image, so it
# never passed a gradient and still shows its random initial weights.
# pesos_capa1.csv: x,y,value,inside (common/plotdata.h; the gaps, inside = 0,
# are blank); pesos_capa1_neuronas.csv: x,y (caption), tile_x,tile_y (the
# tile's centre), neuron (1-based), dead, max_abs.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_h = 720
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
g = datadir.'/pesos_capa1_neuronas.csv'
stats g using 'dead' nooutput
ndead = int(STATS_sum)
nshown = int(STATS_records)
set title sprintf(tr("Pesos de las %d primeras neuronas de la capa 1 (de 128), 28×28 cada una\n" \
                     ."{/*0.8 cada imagen escalada por su propio máx |w|: la cifra sobre ella (neurona: máx |w|)}\n" \
                     ."{/*0.8 marco naranja: neurona muerta, Z_1 ≤ 0 en todas las de prueba (%d de estas %d)}", \
                     "Weights of the first %d of the 128 first-layer neurons, 28×28 each\n" \
                     ."{/*0.8 each image scaled by its own max |w|: the number above it (neuron: max |w|)}\n" \
                     ."{/*0.8 orange frame: dead neuron, Z_1 ≤ 0 on every test image (%d of these %d)}"), \
             nshown, ndead, nshown)
unset border
unset tics
unset grid
set size ratio -1
set yrange [*:*] reverse
set palette defined (-1 '#2166AC', -0.5 '#92C5DE', 0 '#FFFFFF', 0.5 '#F4A582', 1 '#B2182B')
set cbrange [-1:1]
set cbtics (tr('−máx |w|', '−max |w|') -1, '0' 0, tr('+máx |w|', '+max |w|') 1)
set lmargin at screen 0.02
set rmargin at screen 0.80
set colorbox vertical user origin 0.83, 0.22 size 0.02, 0.5
plot datadir.'/pesos_capa1.csv' using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image pixels, \
     g using 'tile_x':'tile_y':(column('dead') > 0 ? 14.5 : NaN):(14.5) with boxxy fs empty border rgb '#E69F00' lc rgb '#E69F00' lw 2.5, \
     g using 'x':'y':(sprintf('%d: %.3f', column('neuron'), column('max_abs'))) \
       with labels font ',9' textcolor rgb '#333333'
