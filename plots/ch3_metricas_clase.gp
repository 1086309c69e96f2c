# plots/ch3_metricas_clase.gp — thesis 002 §5.2: precision, recall and F1 of
# each digit for the default network (metricas_clase.csv; the row with class
# −1 holds the macro averages: macro F1 is the dashed line, in the legend).
# The y axis is zoomed on the top (MNIST scores sit near 1): it does NOT
# start at 0, and the axis label and a note say where it starts.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/metricas_clase.csv'
stats f using (column('class') < 0 ? column('f1') : NaN) nooutput
macro_f1 = STATS_max
stats f using (column('class') >= 0 ? column('recall') : NaN) nooutput
lowest = STATS_min
stats f using (column('class') >= 0 ? column('precision') : NaN) nooutput
lowest = STATS_min < lowest ? STATS_min : lowest
set title sprintf(tr('Precisión, recall y F1 por dígito (F1 macro %.4f)', \
                     'Precision, recall and F1 per digit (macro F1 %.4f)'), macro_f1)
set xlabel tr('dígito', 'digit')
y0 = floor(lowest * 50) / 50.0 - 0.01
set ylabel sprintf(tr('valor (el eje empieza en %.2f, no en 0)', 'value (the axis starts at %.2f, not 0)'), y0)
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [y0 : 1.0]   # zoom on the top: MNIST scores sit near 1
set xtics scale 0
set key outside right top vertical box samplen 2
set arrow 1 from graph 0, first macro_f1 to graph 1, first macro_f1 nohead dt 2 lc rgb '#444444' lw 1.5
# the first 10 rows are the digits; the last (class −1) the macro averages
plot f every ::0::9 using 'precision':xtic(sprintf('%d', column('class'))) lt 1 title tr('precisión', 'precision'), \
     f every ::0::9 using 'recall' lt 2 title 'recall', \
     f every ::0::9 using 'f1' lt 3 title 'F1', \
     NaN with lines dt 2 lc rgb '#444444' lw 1.5 title sprintf(tr('F1 macro %.4f', 'macro F1 %.4f'), macro_f1)
