# plots/ch1_mnist_epocas.gp — the ten perceptrons epoch by epoch
# (mnist_epocas.csv): the share of training images the largest z got wrong
# during each pass, and the error on the test images after it. The training
# error stops falling after a few passes and the test error jumps about: the
# classes are not linearly separable, so, as with XOR, the boundaries keep moving.
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_h = 560
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

f = datadir.'/mnist_epocas.csv'
set title tr('Perceptrón uno-contra-el-resto en MNIST: error por época', \
             'One-vs-rest perceptron on MNIST: error per epoch')
set xlabel tr('época', 'epoch')
set ylabel tr('error (%)', 'error (%)')
set xtics 1
stats f using 1 nooutput
set xrange [0.8:STATS_max + 0.2]
set yrange [0:*]
set key top right box opaque Left reverse
plot f using 1:(100 * $3) with linespoints lt 1 title tr('durante la pasada de entrenamiento', 'during the training pass'), \
     f using 1:(100 * (1 - $4)) with linespoints lt 2 title tr('en las imágenes de prueba', 'on the test images')
