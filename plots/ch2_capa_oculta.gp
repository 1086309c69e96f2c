# plots/ch2_capa_oculta.gp — how the hidden layer "sees" the four examples
# (notes §2: "estas neuronas crearán nuevas dimensiones"; §2.2.1: row i of A1
# is how the hidden layer sees example i). Left: A1 with the starting
# weights; right: after training. In the input plane no line separates XOR;
# in the trained hidden space one does — and it is the output neuron's line
# A1·W2 + b2 = 0 (capa_oculta_frontera.csv, for 2 hidden neurons). With 3 or
# more hidden neurons the first three are shown in 3-D.
# Data: capa_oculta.csv (x1, x2, y, ini_h1.., fin_h1..).
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
fig_w = 1300
fig_h = 720
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

f = datadir.'/capa_oculta.csv'
border = datadir.'/capa_oculta_frontera.csv'
stats f every ::0::2 nooutput
H = (STATS_columns - 3) / 2

big_title = (H == 1) ? tr('Con una sola neurona oculta XOR no se vuelve separable', \
                          'With a single hidden neuron XOR does not become separable') \
                     : tr('La capa oculta crea un espacio nuevo donde XOR sí es separable', \
                          'The hidden layer makes a new space where XOR is separable')
set multiplot layout 1, 2 title big_title font ',15'
set key outside bottom center vertical maxrows 3 box opaque Left reverse width -7 samplen 1.5 spacing 1.1
point_label(x1, x2) = sprintf('(%d,%d)', x1, x2)
# (0,1) and (1,0) often land on the same spot: their labels go left and right.
dx(x1, x2) = (x1 == x2) ? 0 : (x1 > x2 ? 0.075 : -0.075)

do for [stage=0:1] {
    c1 = 4 + stage * H         # column of h1 for this stage
    set title (stage == 0 ? tr('antes de entrenar (pesos iniciales)', 'before training (initial weights)') \
                          : tr('después de entrenar', 'after training'))
    if (H == 2) {
        set size ratio -1
        set xrange [-0.08:1.08]
        set yrange [-0.08:1.08]
        set xlabel tr('a_1: salida de la neurona oculta h_1', 'a_1: output of hidden neuron h_1')
        set ylabel tr('a_2: salida de la neurona oculta h_2', 'a_2: output of hidden neuron h_2')
        plot border using ($1 == stage ? $2 : NaN):3:($4 - $2):($5 - $3) with vectors nohead lw 2.5 lc rgb '#333333' \
                 title tr('recta de la neurona de salida (ŷ = 0.5)', 'output neuron line (ŷ = 0.5)'), \
             f using c1:($3 > 0.5 ? column(c1 + 1) : NaN) with points pt 7 ps 2.8 lt 2 title 'y = 1', \
             f using c1:($3 > 0.5 ? NaN : column(c1 + 1)) with points pt 5 ps 2.6 lt 1 title 'y = 0', \
             f using (column(c1) + dx($1, $2)):(column(c1 + 1) + 0.065):(point_label($1, $2)) with labels font ',11' notitle
    } else { if (H == 1) {
        # one hidden neuron: its activation is a single number per example
        set xrange [-0.05:1.05]
        set yrange [-0.5:1.5]
        unset ytics
        set xlabel tr('a_1: salida de la única neurona oculta', 'a_1: output of the only hidden neuron')
        unset ylabel
        plot f using c1:($3 > 0.5 ? 0 : NaN) with points pt 7 ps 2.8 lt 2 title 'y = 1', \
             f using c1:($3 > 0.5 ? NaN : 0) with points pt 5 ps 2.6 lt 1 title 'y = 0', \
             f using (column(c1)):(($1 + 2 * $2) / 6.0 + 0.2):(point_label($1, $2)) with labels font ',11' notitle
    } else {
        set view 60, 35
        set xyplane at 0
        set xrange [0:1]; set yrange [0:1]; set zrange [0:1]
        set xlabel 'a_1'; set ylabel 'a_2'; set zlabel 'a_3'
        splot f using c1:(column(c1 + 1)):($3 > 0.5 ? column(c1 + 2) : NaN) with points pt 7 ps 2.8 lt 2 title 'y = 1', \
              f using c1:(column(c1 + 1)):($3 > 0.5 ? NaN : column(c1 + 2)) with points pt 5 ps 2.6 lt 1 title 'y = 0', \
              f using c1:(column(c1 + 1)):(column(c1 + 2)):(point_label($1, $2)) with labels offset 0, 1.4 font ',11' notitle
    } }
}
unset multiplot
