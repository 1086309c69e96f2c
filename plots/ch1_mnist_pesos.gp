# plots/ch1_mnist_pesos.gp — what each of the ten perceptrons learned: the
# change of its 784 weights, w − w_start, as a 28×28 image, each scaled by
# its largest |Δw| (mnist_pesos.csv, long form x,y,value,inside; the gaps
# between tiles are 0, white). Red pixels push z up ("looks like my digit"),
# blue ones push it down. Pixels that are 0 in every image (the border) are
# never changed by the rule and stay white. mnist_pesos_etiquetas.csv
# (x,y,digit) says where each tile's digit goes.
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_w = 1100
fig_h = 540
script = ARG0
load 'plots/common.gp'

grid = datadir.'/mnist_pesos.csv'
labels = datadir.'/mnist_pesos_etiquetas.csv'
set datafile columnheaders
stats grid using 'x' nooutput
cols = STATS_max + 1
stats grid using 'y' nooutput
rows = STATS_max + 1

set title tr('Lo que aprendió cada perceptrón: w − w_{inicial} como imagen de 28×28', \
             'What each perceptron learned: w − w_{start} as a 28×28 image')
unset border
unset tics
unset grid
set size ratio -1
set xrange [-0.5:cols - 0.5]
set yrange [rows - 0.5:-0.5]
set palette defined (-1 '#2166ac', -0.5 '#92c5de', 0 'white', 0.5 '#f4a582', 1 '#b2182b')
set cbrange [-1:1]
set cblabel tr('Δw / máx |Δw|', 'Δw / max |Δw|')
set colorbox vertical
plot grid using 'x':'y':'value' with image notitle, \
     labels using 'x':'y':(sprintf('%d', column('digit'))) with labels font ',13' notitle
