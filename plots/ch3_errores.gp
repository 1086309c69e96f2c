# plots/ch3_errores.gp — the first 32 test images the default network gets
# wrong, captioned "real → predicha" (true → predicted). errores.csv holds the
# grid (x,y,value,inside: common/plotdata.h); errores_etiquetas.csv the captions.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_h = 640
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
set title tr('Imágenes de prueba mal clasificadas (real → predicha)', \
             'Misclassified test images (true → predicted)')
unset border
unset tics
unset grid
unset colorbox
set size ratio -1
set yrange [*:*] reverse
set palette gray negative
set cbrange [0:1]
plot datadir.'/errores.csv' using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image pixels, \
     datadir.'/errores_etiquetas.csv' using 1:2:(sprintf('%d → %d', column('true'), column('predicted'))) \
         with labels font ',12' textcolor rgb '#D55E00'
