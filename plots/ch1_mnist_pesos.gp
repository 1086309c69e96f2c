# plots/ch1_mnist_pesos.gp — what each of the ten perceptrons learned: the
# change of its 784 weights, w − w_start, as a 28×28 image. Each tile is
# scaled on its own, symmetrically: divided by its own largest |Δw|, so it
# runs from −1 to 1 with 0 white, whatever its size; the caption gives the
# largest |Δw| it was divided by (mnist_pesos.csv, long form x,y,value,inside;
# the gaps between tiles are 0, white; mnist_pesos_etiquetas.csv,
# x,y,digit,max_abs_dw). Red pixels push z up ("looks like my digit"), blue
# ones push it down. Pixels that are 0 in every image (the border) are never
# changed by the rule and stay white.
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_w = 1100
fig_h = 600
script = ARG0
load 'plots/common.gp'

grid = datadir.'/mnist_pesos.csv'
labels = datadir.'/mnist_pesos_etiquetas.csv'
set datafile columnheaders
stats grid using 'x' nooutput
cols = STATS_max + 1
stats grid using 'y' nooutput
rows = STATS_max + 1

set title tr("Lo que aprendió cada perceptrón: w − w_{inicial} como imagen de 28×28\n{/*0.85 cada recuadro dividido por su propio máx |Δw| (entre paréntesis): de −1 a 1, 0 en blanco}", \
             "What each perceptron learned: w − w_{start} as a 28×28 image\n{/*0.85 each tile divided by its own max |Δw| (in brackets): from −1 to 1, 0 is white}")
unset border
unset tics
unset grid
set size ratio -1
set xrange [-0.5:cols - 0.5]
set yrange [rows - 0.5:-0.5]
set palette defined (-1 '#2166ac', -0.5 '#92c5de', 0 'white', 0.5 '#f4a582', 1 '#b2182b')
set cbrange [-1:1]
set cblabel tr('Δw / máx |Δw| del recuadro', 'Δw / the tile''s max |Δw|')
set colorbox vertical
set cbtics -1, 0.5, 1 format '%g' scale 0.5
plot grid using 'x':'y':'value' with image notitle, \
     labels using 'x':'y':(sprintf('%d  (%.2f)', column('digit'), column('max_abs_dw'))) \
         with labels font ',13' notitle
