# plots/ch3_003fig23_cinco.gp — paper 003 Fig 23, "Imagen de un 5 de la base
# de datos MNIST": the first training image labelled 5 (in MNIST the very
# first, the one 003's loop feeds first), drawn as 003 draws digits
# (matplotlib's imshow with cmap="gray": 0 black, 1 white, pixel axes).
# cinco_003.csv: x,y,value (pixel/255); cinco_003_info.csv: indice,etiqueta.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_w = 760
fig_h = 760
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
stats datadir.'/cinco_003_info.csv' using 'indice' nooutput
idx = int(STATS_max)
stats datadir.'/cinco_003_info.csv' using 'etiqueta' nooutput
lab = int(STATS_max)
set title tr(sprintf("Artículo 003, Fig 23: un %d de MNIST\n(imagen %d de entrenamiento, 28×28 píxeles)", lab, idx), \
             sprintf("Paper 003, Fig 23: a %d from MNIST\n(training image %d, 28×28 pixels)", lab, idx))
set size ratio -1
set xrange [-0.5:27.5]
set yrange [27.5:-0.5]
set xtics 0, 5, 27 out nomirror
set ytics 0, 5, 27 out nomirror
unset grid
set palette gray
set cbrange [0:1]
set cbtics 0, 0.25, 1
set cblabel tr('píxel / 255', 'pixel / 255')
plot datadir.'/cinco_003.csv' using 'x':'y':'value' with image
