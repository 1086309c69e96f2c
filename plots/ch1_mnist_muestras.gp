# plots/ch1_mnist_muestras.gp — slides 004, exercise step 2 ("Visualización
# de los datos"): the first 20 training images of MNIST with their labels
# (mnist_muestras.csv is one matrix: tiles of 28×28 pixels/255 with a
# caption margin; mnist_muestras_etiquetas.csv says where each label goes).
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_w = 1300
fig_h = 430
script = ARG0
load 'plots/common.gp'

grid = datadir.'/mnist_muestras.csv'
labels = datadir.'/mnist_muestras_etiquetas.csv'
stats grid matrix skip 1 using 1 nooutput
cols = STATS_size_x
rows = STATS_size_y

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
# Margins (−0.15) light grey-blue, then white (0) to black (1) ink.
set palette defined (-0.15 '#c9d3de', -0.0001 '#c9d3de', 0 'white', 1 'black')
set cbrange [-0.15:1]
plot grid matrix skip 1 with image notitle, \
     labels skip 1 using 1:2:(sprintf('%d', $4)) with labels font ',12' notitle
