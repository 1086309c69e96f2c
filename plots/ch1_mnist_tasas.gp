# plots/ch1_mnist_tasas.gp — `make chapter1 LR=0.01,0.1,1`: the slides'
# exercise (ten one-vs-rest perceptrons on MNIST) trained with every learning
# rate of --lr, all from the same starting weights and the same order of
# images (mnist_tasas.csv: epoch, then eta=<η> per rate, the test accuracy
# after each pass). The y axis does not start at 0: the curves differ by a
# few points, and the figure says so.
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_h = 600
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

f = datadir.'/mnist_tasas.csv'
stats f using 1 nooutput
epochs = STATS_max
nrates = STATS_columns - 1
lo = 1
hi = 0
do for [k = 1:nrates] {
    stats f using (column(k + 1)) nooutput
    lo = (STATS_min < lo) ? STATS_min : lo
    hi = (STATS_max > hi) ? STATS_max : hi
}
eta(i) = (h = columnhead(i), h[strstrt(h, '=') + 1:])

set title tr('Perceptrón uno-contra-el-resto en MNIST con distintas tasas de aprendizaje η', \
             'One-vs-rest perceptron on MNIST with different learning rates η')
set xlabel tr('época', 'epoch')
set ylabel tr('exactitud en prueba (%) — el eje no empieza en 0', 'test accuracy (%) — the axis does not start at 0')
set xtics 1
set xrange [0.8:epochs + 0.2]
# Whole points around the data, with room above for the legend.
ylo = floor(100 * lo) - 1
yhi = ceil(100 * hi) + 0.3 * (ceil(100 * hi) - floor(100 * lo)) + 1
set yrange [ylo:yhi]
set format y '%g'
set key top center horizontal box opaque samplen 2 width 1
plot for [k = 1:nrates] f using 1:(100 * column(k + 1)) with linespoints lt k lw 2.5 ps 1.3 \
     title sprintf('η = %s', eta(k + 1))
