# plots/ch1_errores_por_epoca.gp — notes §1.2: how many of the four examples
# the perceptron got wrong during each epoch, for AND, OR and XOR
# (errores.csv). One panel per gate, the same epochs below each other, a bar
# per epoch: AND and OR reach 0 and stay there; XOR never does.
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_h = 760
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

f = datadir.'/errores.csv'
stats f using 1 nooutput
epochs = STATS_max
# The last epoch with an error, per gate (0: none).
array LAST[3]
do for [g = 1:3] {
    stats f using (column(g + 1) > 0 ? $1 : 0) nooutput
    LAST[g] = STATS_max
}
names = "AND OR XOR"

set multiplot title tr('Errores por época del perceptrón (notas §1.2): ejemplos mal clasificados, de 4', \
                       'Perceptron errors per epoch (notes §1.2): misclassified examples, of 4') font ',15'
set xrange [0.5:epochs + 0.5]
set yrange [0:5.4]        # room above 4 for the panel's note
set ytics 0, 1, 4
set mytics 1
set grid ytics xtics
set style fill solid 0.6 noborder
set boxwidth 1.04 absolute   # a hair wider: no seams between bars
set lmargin 9
set rmargin 3
top = 0.93           # below the title
panel = top / 3.0

do for [g = 1:3] {
    set origin 0, top - g * panel
    set size 1, panel
    set tmargin 0.6
    set bmargin (g == 3 ? 3.2 : 0.6)
    if (g == 3) { set xlabel tr('época', 'epoch'); set format x '%g' } else { unset xlabel; set format x '' }
    set ylabel word(names, g) font ',14' offset 1, 0
    gate = word(names, g)
    if (LAST[g] < epochs) {
        note = sprintf(tr('%s aprendida: último error en la época %d, después 0', \
                          '%s learned: last error in epoch %d, 0 afterwards'), gate, LAST[g])
        set arrow 1 from LAST[g] + 0.5, graph 0 to LAST[g] + 0.5, graph 1 nohead dt 2 lc rgb '#555555' lw 1
    } else {
        note = sprintf(tr('%s no aprendida: errores en todas las épocas', \
                          '%s not learned: errors in every epoch'), gate)
        unset arrow 1
    }
    set label 1 note at graph 0.98, first 4.85 right front font ",12" textcolor rgb '#222222'
    plot f using 1:(column(g + 1)) with boxes lt g notitle, \
         f using 1:(column(g + 1)) with histeps lt g lw 1.5 notitle
}
unset multiplot
