# plots/ch1_mnist_mal_clasificadas.gp — slides 004, exercise step 6
# ("Mostrar imágenes mal clasificadas"): the first test images the ten
# one-vs-rest perceptrons got wrong, captioned "real → predicho"
# (mnist_mal_clasificadas.csv and its _etiquetas.csv).
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_w = 1100
fig_h = 620
script = ARG0
load 'plots/common.gp'

grid = datadir.'/mnist_mal_clasificadas.csv'
labels = datadir.'/mnist_mal_clasificadas_etiquetas.csv'
stats grid matrix skip 1 using 1 nooutput
cols = STATS_size_x
rows = STATS_size_y

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
set palette defined (-0.15 '#c9d3de', -0.0001 '#c9d3de', 0 'white', 1 'black')
set cbrange [-0.15:1]
plot grid matrix skip 1 with image notitle, \
     labels skip 1 using 1:2:(sprintf('%d → %d', $4, $5)) with labels font ',12' tc rgb '#B03000' notitle
