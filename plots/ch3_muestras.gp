# plots/ch3_muestras.gp — notes §3: the first 32 training images as the
# network reads them (28×28, pixel/255, ink dark on white), each with its
# label. muestras.csv is the whole grid as x,y,value,inside (common/plotdata.h;
# inside = 0 on the gaps, left blank); the labels come from
# muestras_etiquetas.csv (x,y,label).
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_h = 640
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
set title tr('Muestras de MNIST (entrenamiento) con su etiqueta', 'MNIST samples (training set) with their labels')
unset border
unset tics
unset grid
unset colorbox
set size ratio -1
set yrange [*:*] reverse
set palette gray negative
set cbrange [0:1]
plot datadir.'/muestras.csv' using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image pixels, \
     datadir.'/muestras_etiquetas.csv' using 1:2:(sprintf('%d', column('label'))) \
         with labels font ',13' textcolor rgb '#0072B2'
