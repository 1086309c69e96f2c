# plots/ch1_mnist_tasas.gp — `make chapter1 LR=0.01,0.1,1`: the slides'
# exercise (ten one-vs-rest perceptrons on MNIST) trained with every learning
# rate of --lr, all from the same starting weights and the same order of
# images (mnist_tasas.csv: epoch, then eta=<η> per rate, the test accuracy
# after each pass). The y axis does not start at 0: the curves differ by a
# few points, and the figure says so.
# A rate whose run diverged (its z or weights overflowed, perceptron.c) has
# empty cells after the pass it stopped in; mnist_tasas_fin.csv, written only
# then, says where each such curve ended (rate, epoch, accuracy; epoch 0 is
# its untrained start when it diverged in the first pass), and the figure
# marks that point with "diverge" in the curve's colour.
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

# The ends of the diverged curves, one row each (none: no such file), each
# marked where it is.
fin = datadir.'/mnist_tasas_fin.csv'
first_epoch = 1
if (system(sprintf("test -e '%s' && echo 1", fin)) eq "1") {
    stats fin using 1 nooutput
    n_fin = STATS_records
    array FIN_EPOCH[n_fin]
    array FIN_ACC[n_fin]
    set style textbox opaque noborder margins 0.5, 0.3   # the word over the curves
    do for [r = 1:n_fin] {
        stats fin every ::(r - 1)::(r - 1) using 1 nooutput
        rate = STATS_max
        stats fin every ::(r - 1)::(r - 1) using 3 nooutput
        FIN_EPOCH[r] = STATS_max
        stats fin every ::(r - 1)::(r - 1) using 4 nooutput
        FIN_ACC[r] = STATS_max
        first_epoch = (FIN_EPOCH[r] < first_epoch) ? FIN_EPOCH[r] : first_epoch
        lo = (FIN_ACC[r] < lo) ? FIN_ACC[r] : lo
        hi = (FIN_ACC[r] > hi) ? FIN_ACC[r] : hi
        # curves that ended at the same point: their words one above the other
        same = 0
        do for [q = 1:r - 1] { same = same + (FIN_EPOCH[q] == FIN_EPOCH[r] && FIN_ACC[q] == FIN_ACC[r]) }
        set label 10 + r tr('diverge', 'diverged') at FIN_EPOCH[r], 100 * FIN_ACC[r] left front \
            boxed point lt rate pt 7 ps 1.8 tc lt rate offset 0.9, 0.6 + 1.2 * same font ',12'
    }
}
# The range of the curves; a rate that diverged in its first pass has no
# number at all (it draws only its legend entry, and its mark at epoch 0).
do for [k = 1:nrates] {
    stats f using (valid(k + 1) ? 1 : 0) nooutput
    if (STATS_sum > 0) {
        stats f using (column(k + 1)) nooutput
        lo = (STATS_min < lo) ? STATS_min : lo
        hi = (STATS_max > hi) ? STATS_max : hi
    }
}
eta(i) = (h = columnhead(i), h[strstrt(h, '=') + 1:])

set title tr('Perceptrón uno-contra-el-resto en MNIST con distintas tasas de aprendizaje η', \
             'One-vs-rest perceptron on MNIST with different learning rates η')
set xlabel tr('época', 'epoch')
set ylabel tr('exactitud en prueba (%) — el eje no empieza en 0', 'test accuracy (%) — the axis does not start at 0')
set xtics 1
set xrange [first_epoch - 0.2:epochs + 0.2]   # from 0 when a curve ended at its start
# Whole points around the data, with room above for the legend.
ylo = floor(100 * lo) - 1
yhi = ceil(100 * hi) + 0.3 * (ceil(100 * hi) - floor(100 * lo)) + 1
set yrange [ylo:yhi]
set format y '%g'
set key top center horizontal box opaque samplen 2 width 1
plot for [k = 1:nrates] f using 1:(100 * column(k + 1)) with linespoints lt k lw 2.5 ps 1.3 \
     title sprintf('η = %s', eta(k + 1))
