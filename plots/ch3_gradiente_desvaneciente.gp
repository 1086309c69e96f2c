# plots/ch3_gradiente_desvaneciente.gp — notes §3.1, the vanishing gradient:
# in a network of 6 hidden layers of 64, the size of ∂L/∂W reaching each
# layer at the start of training (mean over 10 batches), sigmoid against
# ReLU. Log scale: with the sigmoid it shrinks by a factor at every layer
# on the way back to the input. gradiente_capas.csv: layer,sigmoid,relu.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
script = ARG0
load 'plots/common.gp'

f = datadir.'/gradiente_capas.csv'
set datafile columnheaders
set title tr('Gradiente desvaneciente: ‖∂L/∂W‖ en cada capa al empezar', \
             'Vanishing gradient: ‖∂L/∂W‖ at each layer at the start')
set xlabel tr('capa (1 = la más cercana a la entrada, 7 = la de salida)', \
              'layer (1 = next to the input, 7 = the output layer)')
set ylabel tr('norma del gradiente (escala log)', 'gradient norm (log scale)')
set logscale y
set format y '10^{%L}'
set xtics 1
set xrange [0.7:7.3]
set key bottom right box opaque
plot f using 1:'sigmoid' with linespoints lt 2 pt 7 ps 1.5 title tr('sigmoide', 'sigmoid'), \
     f using 1:'relu' with linespoints lt 1 pt 5 ps 1.5 title 'ReLU'
