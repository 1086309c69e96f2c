# plots/ch1_mnist_mal_clasificadas.gp — slides 004, exercise step 6
# ("Mostrar imágenes mal clasificadas"): the first test images the ten
# one-vs-rest perceptrons got wrong, captioned "real → predicho"
# (mnist_mal_clasificadas.csv, the grid in long form x,y,value,inside, and
# mnist_mal_clasificadas_etiquetas.csv, x,y,index,label,pred).
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_w = 1100
fig_h = 620
script = ARG0
load 'plots/common.gp'

grid = datadir.'/mnist_mal_clasificadas.csv'
labels = datadir.'/mnist_mal_clasificadas_etiquetas.csv'
set datafile columnheaders
stats grid using 'x' nooutput
cols = STATS_max + 1
stats grid using 'y' nooutput
rows = STATS_max + 1

set title tr('Perceptrón uno-contra-el-resto: imágenes de prueba mal clasificadas (real → predicho)', \
             'One-vs-rest perceptron: misclassified test images (true → predicted)')
unset border
unset tics
unset grid
unset colorbox
set size ratio -1
set xrange [-0.5:cols - 0.5]
set yrange [rows - 0.5:-0.5]
set lmargin 1
set rmargin 1
# The frame (outside the tiles, drawn as −0.15) light grey-blue, then ink.
set palette defined (-0.15 '#c9d3de', -0.0001 '#c9d3de', 0 'white', 1 'black')
set cbrange [-0.15:1]
plot grid using 'x':'y':(column('inside') > 0 ? column('value') : -0.15) with image notitle, \
     labels using 'x':'y':(sprintf('%d → %d', column('label'), column('pred'))) \
         with labels font ',12' tc rgb '#B03000' notitle
