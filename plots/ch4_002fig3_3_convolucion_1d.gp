# plots/ch4_002fig3_3_convolucion_1d.gp — thesis 002 Fig 3.3: the discrete
# convolution of f = [0,0,1,1,0,0] with the edge detector g = [−1,0,1].
# What CNN layers compute is the cross-correlation (g slid over f without
# flipping): [1, 1, −1, −1], +1 where f steps up and −1 where it steps down.
# The textbook convolution flips g first and gets the opposite signs.
# Each output is drawn at the centre of its window (valid: 6 − 3 + 1 = 4).
# Three panels: f (with g's first window shaded), g itself, the output.
# conv1d_f.csv: i,f; conv1d_g.csv: i,g (i = −1, 0, 1 about its centre);
# conv1d_salida.csv: i,correlation,convolution.
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1050
fig_h = 900
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
signed(v) = v > 0 ? sprintf('+%g', v) : (v < 0 ? sprintf('−%g', -v) : '0')
set multiplot layout 3,1 title tr('Convolución discreta de f = [0,0,1,1,0,0] con g = [−1,0,1]', \
                                   'Discrete convolution of f = [0,0,1,1,0,0] with g = [−1,0,1]') font ',15'
set xrange [-0.7:5.7]
set xtics 0,1,5
set yrange [-0.3:1.3]
set ylabel 'f[i]'
unset xlabel
set title tr('señal f; sombreada, la primera ventana de g: −1·0 + 0·0 + 1·1 = 1 (la salida en i = 1)', \
             'signal f; shaded, g''s first window: −1·0 + 0·0 + 1·1 = 1 (the output at i = 1)')
set key top right
set object 1 rect from -0.45,-0.3 to 2.45,1.3 back fillstyle solid 0.15 noborder fc rgb '#E69F00'
plot datadir.'/conv1d_f.csv' using 'i':'f' with impulses lw 6 lc 1 title 'f', \
     '' using 'i':'f' with points pt 7 ps 1.5 lc 1 notitle
unset object 1
set xrange [-1.7:1.7]
set xtics -1,1,1
set yrange [-1.4:1.4]
set ylabel 'g[j]'
set title tr('filtro g = [−1, 0, 1]: el vecino de la derecha menos el de la izquierda', \
             'filter g = [−1, 0, 1]: the right neighbour minus the left one')
plot datadir.'/conv1d_g.csv' using 'i':'g' with impulses lw 6 lc 4 title 'g', \
     '' using 'i':'g' with points pt 7 ps 1.5 lc 4 notitle, \
     '' using 'i':'g':(signed(column('g'))) with labels offset 2.2,0 font ',13' notitle, \
     0 with lines lc rgb '#888888' lw 1 notitle
set xrange [-0.7:5.7]
set xtics 0,1,5
set yrange [-1.5:2.3]
set ylabel tr('salida', 'output')
set xlabel tr('posición i (centro de la ventana de 3)', 'position i (centre of the 3-wide window)')
set title tr('salida válida (4 valores)', 'valid output (4 values)')
set key top right
plot datadir.'/conv1d_salida.csv' using ($1-0.08):'correlation' with impulses lw 6 lc 2 \
         title tr('correlación (Conv2d): [1, 1, −1, −1]', 'correlation (Conv2d): [1, 1, −1, −1]'), \
     '' using ($1+0.08):'convolution' with impulses lw 6 lc 3 \
         title tr('convolución (g girado): [−1, −1, 1, 1]', 'convolution (g flipped): [−1, −1, 1, 1]'), \
     0 with lines lc rgb '#888888' lw 1 notitle
unset multiplot
