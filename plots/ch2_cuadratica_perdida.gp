# Notes §3.5 exercise 2: the loss of the network that solves a·x² + b·x + c = 0,
# per epoch — the mean training batch loss and the MSE on 1000 equations it
# never trains on. Log scale: the drop is two orders of magnitude.
# Data: cuadratica_perdida.csv (epoch,train_mse,test_mse).
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

set title tr('Red que resuelve ecuaciones de segundo grado: error por época', \
             'A network that solves quadratic equations: error per epoch')
set xlabel tr('época', 'epoch')
set ylabel tr('error cuadrático medio de las raíces', 'mean squared error of the roots')
set logscale y
set format y '10^{%L}'
set key top right box opaque Left reverse

f = datadir.'/cuadratica_perdida.csv'
plot f using 1:2 with linespoints lt 1 pt 7 ps 0.6 title tr('entrenamiento (media de los lotes)', 'training (mean over batches)'), \
     f using 1:3 with linespoints lt 2 pt 5 ps 0.6 title tr('prueba (ecuaciones no vistas)', 'test (unseen equations)')
