# plots/ch3_002fig2_3_division_datos.gp — thesis 002 Fig 2.3: MNIST split into
# training, validation and test, as chapter 3 splits it (§3.3, studies.c):
# a random sixth of the training file is set aside for validation, the test
# file stays the test set. Top: the counts (division.csv: parte,imagenes,desde;
# parte 0 training, 1 validation, 2 test). Bottom: where the validation images
# sit in the training file, 300 images a row (division_indices.csv:
# x,y,validacion; -1 pads the last row). Green training, orange validation,
# blue test — the thesis's colours for Fig 2.4.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_w = 1200
fig_h = 760
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/division.csv'
stats f using 'imagenes' every ::0::0 nooutput
n_tr = int(STATS_max)
stats f using 'imagenes' every ::1::1 nooutput
n_val = int(STATS_max)
stats f using 'imagenes' every ::2::2 nooutput
n_te = int(STATS_max)
n_file = n_tr + n_val
n_all = n_file + n_te
pct(k) = 100.0 * k / n_all
green = '#009E73'; orange = '#E69F00'; blue = '#0072B2'; grey = '#BBBBBB'
# thousands with a thin space, as the notes write them: 60 000
th(k) = k >= 1000 ? sprintf('%d %03d', int(k / 1000), int(k) % 1000) : sprintf('%d', int(k))

set multiplot title tr(sprintf('Tesis 002, Fig 2.3: las %s imágenes de MNIST en entrenamiento, validación y prueba (capítulo 3)', th(n_all)), \
                       sprintf('Thesis 002, Fig 2.3: the %s MNIST images split into training, validation and test (chapter 3)', th(n_all)))

# --- top: the two files and the three parts ------------------------------------
set origin 0, 0.50
set size 1, 0.42
unset grid
unset border
unset xtics
set ytics scale 0 ( tr('archivos de MNIST', 'MNIST files') 1, tr('capítulo 3', 'chapter 3') 0 )
set xrange [0:n_all]
set yrange [-0.6:1.6]
set lmargin 19
set rmargin 4
set object 1 rect from 0, 0.7 to n_file, 1.3 fc rgb grey fs solid 0.6 border lc rgb '#444444'
set object 2 rect from n_file, 0.7 to n_all, 1.3 fc rgb grey fs solid 0.3 border lc rgb '#444444'
set object 3 rect from 0, -0.3 to n_tr, 0.3 fc rgb green fs solid 0.85 border lc rgb '#444444'
set object 4 rect from n_tr, -0.3 to n_file, 0.3 fc rgb orange fs solid 0.85 border lc rgb '#444444'
set object 5 rect from n_file, -0.3 to n_all, 0.3 fc rgb blue fs solid 0.85 border lc rgb '#444444'
set label 1 sprintf('train-images: %s', th(n_file)) at n_file / 2.0, 1 center font ',13'
set label 2 sprintf('t10k: %s', th(n_te)) at n_file + n_te / 2.0, 1 center font ',13'
set label 3 sprintf(tr('entrenamiento: %s (%.1f %%)', 'training: %s (%.1f %%)'), th(n_tr), pct(n_tr)) \
    at n_tr / 2.0, 0 center font ',13' textcolor rgb 'white'
set label 4 sprintf(tr("validación\n%s (%.1f %%)", "validation\n%s (%.1f %%)"), th(n_val), pct(n_val)) \
    at n_tr + n_val / 2.0, 0 center font ',12'
set label 5 sprintf(tr("prueba\n%s (%.1f %%)", "test\n%s (%.1f %%)"), th(n_te), pct(n_te)) \
    at n_file + n_te / 2.0, 0 center font ',12' textcolor rgb 'white'
set label 6 tr('validación: 1/6 del archivo de entrenamiento, elegidas al azar (abajo, dónde están)', \
               'validation: 1/6 of the training file, drawn at random (below, where they are)') \
    at n_all, -0.5 right font ',11'
plot NaN notitle
unset object 1; unset object 2; unset object 3; unset object 4; unset object 5
unset label 1; unset label 2; unset label 3; unset label 4; unset label 5; unset label 6

# --- bottom: the training file, image by image ---------------------------------
set origin 0.1, 0.0
set size 0.8, 0.52
set title tr(sprintf('El archivo de entrenamiento, 300 imágenes por fila: verde entrenamiento (%s), naranja validación (%s)', th(n_tr), th(n_val)), \
             sprintf('The training file, 300 images a row: green training (%s), orange validation (%s)', th(n_tr), th(n_val))) font ',12'
unset ytics
unset xtics
set border
set xrange [-0.5:299.5]
set yrange [*:*] reverse
set autoscale yfix
set palette defined (-1 'white', -0.5 'white', -0.5 green, 0.5 green, 0.5 orange, 1 orange)
set cbrange [-1:1]
unset colorbox
set xlabel tr('posición en la fila (imagen n.º 300·fila + posición)', 'position in the row (image no. 300·row + position)') font ',11'
set ylabel tr('fila', 'row') font ',11'
set ytics out nomirror font ',10'
set xtics out nomirror font ',10'
plot datadir.'/division_indices.csv' using 'x':'y':'validacion' with image pixels
unset multiplot
