# plots/ch1_errores_por_epoca.gp — notes §1.2: how many of the four examples
# the perceptron got wrong during each epoch, for AND, OR and XOR
# (errores.csv). AND and OR reach 0 and stay there; XOR never does.
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_h = 560
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

set title tr('Errores por época del perceptrón (notas §1.2)', 'Perceptron errors per epoch (notes §1.2)')
set xlabel tr('época', 'epoch')
set ylabel tr('ejemplos mal clasificados (de 4)', 'misclassified examples (of 4)')
set yrange [-0.2:4.6]
set ytics 1
set xrange [0.5:*]
set key center right box opaque Left reverse width 1
f = datadir.'/errores.csv'
# Small vertical offsets keep the three step curves apart where they overlap.
plot f using 1:($2 + 0.06) with histeps lt 1 lw 2.5 title 'AND', \
     f using 1:($3) with histeps lt 2 lw 2.5 title 'OR', \
     f using 1:($4 - 0.06) with histeps lt 3 lw 2.5 title 'XOR'
