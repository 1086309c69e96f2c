# plots/ch4_matriz_confusion.gp — thesis 002 §5.2: the CNN's confusion matrix
# on the test images. Rows: true digit; columns: predicted digit; colour: the
# fraction of the true class (log scale, so the few errors show beside the
# diagonal); the number in each cell is the count.
# confusion.csv: true,predicted,count,fraction.
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 900
fig_h = 820
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/confusion.csv'
set title tr('Matriz de confusión de la CNN (imágenes de prueba)', 'Confusion matrix of the CNN (test images)')
set xlabel tr('dígito predicho', 'predicted digit')
set ylabel tr('dígito real', 'true digit')
unset grid
set size ratio -1
set xrange [-0.5:9.5]
set yrange [9.5:-0.5]
set xtics 0,1,9 scale 0
set ytics 0,1,9 scale 0
set logscale cb
set cbrange [0.0005:1]
set cblabel tr('fracción de la clase real (escala log)', 'fraction of the true class (log scale)')
set palette defined (0 '#FFFFFF', 0.4 '#C6DBEF', 0.7 '#6BAED6', 1 '#08306B')
plot f using 'predicted':'true':(column('fraction') > 0 ? column('fraction') : 0.0005) with image, \
     f using 'predicted':'true':(column('count') > 0 && column('fraction') < 0.3 ? sprintf('%d', column('count')) : '') \
         with labels font ',11' textcolor rgb '#222222', \
     f using 'predicted':'true':(column('fraction') >= 0.3 ? sprintf('%d', column('count')) : '') \
         with labels font ',11:Bold' textcolor rgb '#FFFFFF'
