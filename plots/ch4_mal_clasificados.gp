# plots/ch4_mal_clasificados.gp — thesis 002 §5.2: test digits the CNN gets
# wrong (the first 40), each with its true label and the network's answer.
# mal_clasificados.csv: x,y,value,inside (plotdata.h's image grid, a caption
# band above each digit); mal_clasificados_etiquetas.csv: x,y,truth,predicted,index
# with x,y the middle of each caption band.
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1300
fig_h = 700
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
unset grid
unset key
unset colorbox
unset xtics
unset ytics
unset border
set size ratio -1
set autoscale xy
set yrange [*:*] reverse
set palette gray
set cbrange [0:1]
set title tr('Dígitos mal clasificados (real → predicho)', 'Misclassified digits (true → predicted)') font ',15'
plot datadir.'/mal_clasificados.csv' using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image, \
     datadir.'/mal_clasificados_etiquetas.csv' using 'x':'y':(sprintf('%d → %d', column('truth'), column('predicted'))) \
         with labels font ',12' tc rgb '#D55E00'
