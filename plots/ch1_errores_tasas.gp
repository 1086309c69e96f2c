# plots/ch1_errores_tasas.gp — `make chapter1 LR=0.01,0.1,1`: the three gates
# trained with every learning rate of --lr, all from the same start
# (errores_tasas.csv: epoch, then a column and_eta=<η> per rate, then or_…,
# xor_…, errors per epoch). Errors per epoch take only the values 0–4, so
# several rates drawn on one axis would sit on top of each other; drawn here
# is their running total — the number of updates made so far — one panel per
# gate: where a curve goes flat the gate has been learned (its last error),
# the slope is the errors per epoch.
# A rate whose run diverged (its weights overflowed, perceptron.c) has empty
# cells after the epoch it stopped in; errores_tasas_fin.csv, written only
# then, says where each such curve ended (gate, rate, epoch, total), and the
# figure marks that point with "diverge" in the curve's colour.
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_h = 800
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

f = datadir.'/errores_tasas.csv'
stats f using 1 nooutput
epochs = STATS_max
nrates = (STATS_columns - 1) / 3
names = "AND OR XOR"
# "and_eta=0.01" -> "0.01"
eta(i) = (h = columnhead(i), h[strstrt(h, '=') + 1:])

# The ends of the diverged curves, one row each (none: no such file). A
# curve with no epoch at all (its run diverged in the first) draws nothing
# but its legend entry, and its mark at epoch 0.
fin = datadir.'/errores_tasas_fin.csv'
n_fin = 0
if (system(sprintf("test -e '%s' && echo 1", fin)) eq "1") {
    stats fin using 1 nooutput
    n_fin = STATS_records
    set style textbox opaque noborder margins 0.5, 0.3   # the word over the curves
    array FIN_GATE[n_fin]
    array FIN_RATE[n_fin]
    array FIN_EPOCH[n_fin]
    array FIN_TOTAL[n_fin]
    do for [r = 1:n_fin] {
        stats fin every ::(r - 1)::(r - 1) using 1 nooutput
        FIN_GATE[r] = STATS_max
        stats fin every ::(r - 1)::(r - 1) using 2 nooutput
        FIN_RATE[r] = STATS_max
        stats fin every ::(r - 1)::(r - 1) using 4 nooutput
        FIN_EPOCH[r] = STATS_max
        stats fin every ::(r - 1)::(r - 1) using 5 nooutput
        FIN_TOTAL[r] = STATS_max
    }
}

set multiplot title tr('Puertas lógicas con distintas tasas de aprendizaje η (el mismo inicio w)', \
                       'Logic gates with different learning rates η (the same start w)') font ',15'
set xrange [0:epochs]
set yrange [0:*]
set lmargin 10
set rmargin 3
top = 0.87           # below the title and the legend
panel = top / 3.0
sum = 0
# One y label for the three panels.
set label 2 tr('errores acumulados (= actualizaciones de w y b)', \
               'errors so far (= updates of w and b)') \
    at screen 0.025, screen 0.45 center rotate by 90 font ',13'

do for [g = 1:3] {
    set origin 0, top - g * panel
    set size 1, panel
    set tmargin 0.6
    set bmargin (g == 3 ? 3.2 : 0.6)
    if (g == 3) { set xlabel tr('época', 'epoch'); set format x '%g' } else { unset xlabel; set format x '' }
    unset ylabel
    set label 1 word(names, g) at graph 0.015, graph 0.86 left front font ',15'
    # The legend once, above the top panel.
    if (g == 1) {
        set key at screen 0.5, screen 0.925 center center horizontal samplen 2 width 1 font ',13'
    } else {
        unset key
    }
    # This panel's diverged curves: a point where each ended, and the word.
    do for [r = 1:n_fin] {
        unset label 10 + r
        if (FIN_GATE[r] == g) {
            # curves that ended at the same point: their words one above the other
            same = 0
            do for [q = 1:r - 1] {
                same = same + (FIN_GATE[q] == g && FIN_EPOCH[q] == FIN_EPOCH[r] \
                               && FIN_TOTAL[q] == FIN_TOTAL[r])
            }
            set label 10 + r tr('diverge', 'diverged') at FIN_EPOCH[r], FIN_TOTAL[r] \
                left front boxed point lt FIN_RATE[r] pt 7 ps 1.6 tc lt FIN_RATE[r] \
                offset 0.9, 0.6 + 1.2 * same font ',12'
        }
    }
    first = 1 + (g - 1) * nrates
    # The running total restarts at epoch 1 of every curve.
    plot for [k = 1:nrates] f using 1:(sum = ($1 == 1 ? 0 : sum) + column(first + k)) \
         with lines lt k lw 2.5 title sprintf('η = %s', eta(first + k))
}
unset multiplot
