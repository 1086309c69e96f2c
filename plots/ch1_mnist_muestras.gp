# plots/ch1_mnist_muestras.gp — slides 004, exercise step 2 ("Visualización
# de los datos"): the first 20 training images of MNIST with their labels.
# mnist_muestras.csv is the grid in long form, x,y,value,inside: tiles of
# 28×28 pixels/255 (inside = 1) with gaps and caption bands between them
# (inside = 0, painted as a light frame); mnist_muestras_etiquetas.csv says
# where each label goes (x,y,index,label,pred).
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_w = 1300
fig_h = 430
script = ARG0
load 'plots/common.gp'

grid = datadir.'/mnist_muestras.csv'
labels = datadir.'/mnist_muestras_etiquetas.csv'
set datafile columnheaders
stats grid using 'x' nooutput
cols = STATS_max + 1
stats grid using 'y' nooutput
rows = STATS_max + 1

set title tr('MNIST: las primeras imágenes de entrenamiento y su etiqueta', \
             'MNIST: the first training images and their labels')
unset border
unset tics
unset grid
unset colorbox
set size ratio -1
set xrange [-0.5:cols - 0.5]
set yrange [rows - 0.5:-0.5]
set lmargin 1
set rmargin 1
# The frame (outside the tiles, drawn as −0.15) light grey-blue, then white
# (0) to black (1) ink.
set palette defined (-0.15 '#c9d3de', -0.0001 '#c9d3de', 0 'white', 1 'black')
set cbrange [-0.15:1]
plot grid using 'x':'y':(column('inside') > 0 ? column('value') : -0.15) with image notitle, \
     labels using 'x':'y':(sprintf('%d', column('label'))) with labels font ',12' notitle
