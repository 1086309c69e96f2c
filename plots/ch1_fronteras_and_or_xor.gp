# plots/ch1_fronteras_and_or_xor.gp — notes §1.2: the four inputs and the
# perceptron's final decision line w1·x1 + w2·x2 + b = 0 for AND, OR and XOR.
# The shaded side is where the perceptron answers 1 (z > 0). Filled points
# should be answered 1, open ones 0. AND and OR end with every point on its
# side; no line can do that for XOR.
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_w = 1500
fig_h = 620
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

lines = datadir.'/fronteras.csv'
points = datadir.'/puntos.csv'
names = "AND OR XOR"

# The weights of each gate's final line, read before any range is set
# (stats only counts values inside the current ranges).
array W1[3]
array W2[3]
array B[3]
array LEARNED[3]
do for [g = 0:2] {
    stats lines every ::g::g using 2 nooutput
    W1[g + 1] = STATS_min
    stats lines every ::g::g using 3 nooutput
    W2[g + 1] = STATS_min
    stats lines every ::g::g using 4 nooutput
    B[g + 1] = STATS_min
    stats lines every ::g::g using 5 nooutput
    LEARNED[g + 1] = STATS_min
}

set multiplot layout 1, 3 title tr('El perceptrón tras el entrenamiento: la frontera de decisión (notas §1.2)', \
                                   'The perceptron after training: the decision boundary (notes §1.2)') font ',15'
set size ratio -1
set xrange [-0.5:1.5]
set yrange [-0.5:1.5]
set xtics 0.5
set ytics 0.5
set xlabel 'x_1'
set ylabel 'x_2'
set samples 400
set key outside below center Left reverse maxrows 2 width -2 font ',11' spacing 1.1

do for [g = 0:2] {
    w1 = W1[g + 1]
    w2 = W2[g + 1]
    b = B[g + 1]
    learned = LEARNED[g + 1]
    gate = word(names, g + 1)
    set title sprintf('%s — %s', gate, learned > 0.5 ? tr('aprendida', 'learned') : tr('no aprendida', 'not learned'))
    # Targets are columns 3..5 of puntos.csv; predictions 6..8.
    # The side where z > 0: above the line when w2 > 0, below it when w2 < 0
    # (a vertical line, w2 = 0, is left unshaded).
    edge = (w2 > 0) ? 1.5 : -0.5
    plot (w2 != 0 ? -(w1 * x + b) / w2 : 1/0) with filledcurves y = edge fc rgb '#d4e6f4' fs solid 1.0 noborder \
             title tr('ŷ = 1 (z > 0)', 'ŷ = 1 (z > 0)'), \
         lines every ::g::g using 6:7:($8 - $6):($9 - $7) with vectors nohead lc rgb '#0072B2' lw 3 \
             title sprintf('w_1x_1 + w_2x_2 + b = 0'), \
         points using 1:(column(3 + g) > 0.5 ? 1/0 : $2) with points pt 6 ps 2.6 lc rgb '#D55E00' lw 2 \
             title tr('objetivo 0', 'target 0'), \
         points using 1:(column(3 + g) > 0.5 ? $2 : 1/0) with points pt 7 ps 2.6 lc rgb '#D55E00' \
             title tr('objetivo 1', 'target 1'), \
         points using 1:2:(sprintf('ŷ=%d', column(6 + g))) with labels offset 0, -1.7 font ',11' notitle
}
unset multiplot
