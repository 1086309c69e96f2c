# plots/ch2_fig2_error_tasas_aprendizaje.gp — notes §2.3 Fig 2, "Evolución
# del error con diferentes tasas de aprendizaje": the MSE per epoch of the
# XOR network for every η of --lr, all from the same starting weights
# (errores_tasas.csv: a column "eta=<η>" per rate; empty cells = diverged).
# Two panels, so that nothing hides anything:
#   left   the first 300 epochs in linear scale, where a large η "oscila
#          locamente" (notes §2.3) and the others have hardly moved;
#   right  every epoch, MSE in log scale: the collapse from 0.25 towards 0
#          spans three decades.
# A rate that diverged (its MSE or weights stopped being finite numbers)
# stops there; errores_tasas_fin.csv, written only then, gives the last
# finite point of each such curve (rate, eta, epoch, mse), and both panels
# mark it with "diverge" in the curve's colour.
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
fig_w = 1300
fig_h = 650
script = ARG0
load 'plots/common.gp'

f = datadir.'/errores_tasas.csv'
set datafile columnheaders
stats f every ::0::2 nooutput     # how many columns: 1 + the number of rates
nrates = STATS_columns - 1
stats f using 1 nooutput
epochs = STATS_max
first = (epochs < 300) ? epochs : 300

# The ends of the diverged curves, one row each (none: no such file).
fin = datadir.'/errores_tasas_fin.csv'
n_fin = 0
if (system(sprintf("test -e '%s' && echo 1", fin)) eq "1") {
    stats fin using 1 nooutput
    n_fin = STATS_records
    set style textbox opaque noborder margins 0.5, 0.3   # the word over the curves
    array FIN_RATE[n_fin]
    array FIN_EPOCH[n_fin]
    array FIN_MSE[n_fin]
    do for [r = 1:n_fin] {
        stats fin every ::(r - 1)::(r - 1) using 1 nooutput
        FIN_RATE[r] = STATS_max
        stats fin every ::(r - 1)::(r - 1) using 3 nooutput
        FIN_EPOCH[r] = STATS_max
        stats fin every ::(r - 1)::(r - 1) using 4 nooutput
        FIN_MSE[r] = STATS_max
    }
}
# The mark of end r: a point and the word, in the curve's colour (set for
# a panel only when that end falls inside it); curves that ended at the same
# point get their words one above the other.
same_end(r) = sum [q = 1:r - 1] ((FIN_EPOCH[q] == FIN_EPOCH[r] && FIN_MSE[q] == FIN_MSE[r]) ? 1 : 0)
mark_end(r) = sprintf("set label %d tr('diverge', 'diverged') at %.17g, %.17g left front boxed " . \
                      "point lt %d pt 7 ps 1.6 tc lt %d offset 0.9, %g font ',12'", \
                      10 + r, FIN_EPOCH[r], FIN_MSE[r], FIN_RATE[r], FIN_RATE[r], \
                      0.6 + 1.2 * same_end(r))

set multiplot title tr('Evolución del error con diferentes tasas de aprendizaje (mismos pesos iniciales)', \
                       'Error over the epochs for different learning rates (same initial weights)') font ',15'

# --- left: the first epochs, linear ---
set origin 0, 0
set size 0.40, 0.94
set title sprintf(tr('primeras %d épocas (escala lineal)', 'first %d epochs (linear scale)'), first)
set xlabel tr('época', 'epoch')
set ylabel tr('error cuadrático medio (MSE)', 'mean squared error (MSE)')
set xrange [0:first]
set yrange [0:*]
set ytics 0.05
set format y '%.2f'
set arrow 1 from graph 0, first 0.25 to graph 1, first 0.25 nohead dt 2 lc rgb '#777777' lw 1
# the key sits low in this panel, where no curve goes in the first epochs
set key bottom left box opaque Left reverse width 1 title tr('tasa de aprendizaje', 'learning rate')
do for [r = 1:n_fin] { if (FIN_EPOCH[r] <= first) { eval mark_end(r) } }
plot for [i=2:nrates+1] f using 1:i with lines lt (i-1) lw 2 \
     title sprintf('η = %s', columnhead(i)[5:])

# --- right: every epoch, log scale ---
unset arrow
set origin 0.40, 0
set size 0.60, 0.94
set title sprintf(tr('las %d épocas (MSE en escala logarítmica)', 'all %d epochs (MSE in log scale)'), epochs)
set ylabel tr('MSE (escala log)', 'MSE (log scale)')
set logscale y
set yrange [1e-4:1]
set ytics auto
set format y '10^{%L}'
set xrange [0:epochs]
unset key
# the two levels the notes talk about
set arrow 1 from graph 0, first 0.25 to graph 1, first 0.25 nohead dt 2 lc rgb '#777777' lw 1
set label 1 tr('0.25: responder siempre 0.5', '0.25: always answer 0.5') at graph 0.99, first 0.33 right textcolor rgb '#555555'
set arrow 2 from graph 0, first 0.01 to graph 1, first 0.01 nohead dt 3 lc rgb '#777777' lw 1
set label 2 tr('0.01: aprendido', '0.01: learned') at graph 0.99, first 0.0128 right textcolor rgb '#555555'
do for [r = 1:n_fin] { unset label 10 + r; if (FIN_MSE[r] >= 1e-4) { eval mark_end(r) } }
plot for [i=2:nrates+1] f using 1:i with lines lt (i-1) lw 2
unset multiplot
