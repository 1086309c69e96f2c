# plots/ch1_mnist_pesos.gp — what each of the ten perceptrons learned: the
# change of its 784 weights, w − w_start, as a 28×28 image (mnist_pesos.csv;
# each scaled by its largest |Δw|). Red pixels push z up ("looks like my
# digit"), blue ones push it down. Pixels that are 0 in every image (the
# border) are never changed by the rule and stay white.
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_w = 1100
fig_h = 540
script = ARG0
load 'plots/common.gp'

grid = datadir.'/mnist_pesos.csv'
stats grid matrix skip 1 using 1 nooutput
cols = STATS_size_x
rows = STATS_size_y

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
# The captions sit in the margin above each tile (tiles of 28 + 2 by 28 + 10).
set for [k = 0:9] label k + 1 sprintf('%d', k) at (k % 5) * 30 + 2 + 14, (k / 5) * 38 + 5 center font ',13' front
plot grid matrix skip 1 with image notitle
