# plots/ch3_002fig5_2_imagenes_por_clase.gp — thesis 002 Fig 5.2: how many
# images of each digit the training, validation and test sets hold, as
# chapter 3 splits MNIST (imagenes_por_clase.csv:
# clase,entrenamiento,validacion,prueba). Green training, orange validation,
# blue test, as in the other split figures.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_w = 1200
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/imagenes_por_clase.csv'
stats f using 'entrenamiento' nooutput
s_tr = int(STATS_sum); max_tr = STATS_max
stats f using 'validacion' nooutput
s_val = int(STATS_sum)
stats f using 'prueba' nooutput
s_te = int(STATS_sum)
th(k) = k >= 1000 ? sprintf('%d %03d', int(k / 1000), int(k) % 1000) : sprintf('%d', int(k))

set title tr(sprintf('Tesis 002, Fig 5.2: imágenes de cada clase en entrenamiento (%s), validación (%s) y prueba (%s)', th(s_tr), th(s_val), th(s_te)), \
             sprintf('Thesis 002, Fig 5.2: images of each class in training (%s), validation (%s) and test (%s)', th(s_tr), th(s_val), th(s_te)))
set xlabel tr('dígito', 'digit')
set ylabel tr('imágenes', 'images')
set xrange [-0.6:9.6]
set yrange [0:max_tr * 1.18]
set xtics 1 scale 0
set grid noxtics ytics
set key top center horizontal box opaque samplen 1.5 spacing 1.2
set style fill solid 0.85 border lc rgb '#444444'
w = 0.27
plot f using ($1 - w):'entrenamiento':(w / 2 * 1.9) with boxes lc rgb '#009E73' title tr('entrenamiento', 'training'), \
     f using 1:'validacion':(w / 2 * 1.9) with boxes lc rgb '#E69F00' title tr('validación', 'validation'), \
     f using ($1 + w):'prueba':(w / 2 * 1.9) with boxes lc rgb '#0072B2' title tr('prueba', 'test'), \
     f using ($1 - w):'entrenamiento':(sprintf('%d', column('entrenamiento'))) with labels offset 0, 0.7 font ',9' rotate by 90 left notitle, \
     f using 1:'validacion':(sprintf('%d', column('validacion'))) with labels offset 0, 0.7 font ',9' rotate by 90 left notitle, \
     f using ($1 + w):'prueba':(sprintf('%d', column('prueba'))) with labels offset 0, 0.7 font ',9' rotate by 90 left notitle
