# plots/ch3_002fig3_6_lineal_vs_relu.gp — thesis 002 Fig 3.6, as a run: the
# §3.4 network (same sizes, same starting weights, Adam 0.003, batches of 64)
# with no activation at all (linear: the whole network is one affine map)
# against the same network with ReLU. Left: the training loss, mean of each
# tenth of an epoch; right: the test accuracy at those points, with the 90 %
# of notes §4.3. The legend gives the final accuracy as mean ± sd over the
# seeds of lineal_vs_relu_semillas.csv (semilla,lineal,relu); the curves are
# the first seed's (lineal_vs_relu.csv: epoca,lineal_perdida,relu_perdida,
# lineal_exactitud,relu_exactitud).
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_w = 1200
fig_h = 640
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/lineal_vs_relu.csv'
g = datadir.'/lineal_vs_relu_semillas.csv'
stats g using 'lineal' nooutput
lin_m = STATS_mean; lin_sd = STATS_ssd; ns = int(STATS_records)
stats g using 'relu' nooutput
relu_m = STATS_mean; relu_sd = STATS_ssd
stats f using 'epoca' nooutput
ep = STATS_max
stats f using 'lineal_exactitud' nooutput
acc_lo = STATS_min
orange = '#E69F00'; blue = '#0072B2'

set multiplot layout 1, 2 title tr(sprintf('Tesis 002, Fig 3.6: red lineal frente a red con ReLU (784–128–64–10, Adam 0.003); exactitud final, media ± desv. típica de %d semillas', ns), \
                                   sprintf('Thesis 002, Fig 3.6: linear network against one with ReLU (784–128–64–10, Adam 0.003); final accuracy, mean ± sd of %d seeds', ns)) font ',12'
set xrange [0:ep]
set xtics 0.5 nomirror
set xlabel tr('época', 'epoch')
set key top right box opaque samplen 2

set title tr("pérdida de entrenamiento\n(media de cada décima de época)", "training loss\n(mean of each tenth of an epoch)") font ',12'
set ylabel tr('entropía cruzada', 'cross-entropy')
set yrange [0:*]
plot f using 'epoca':'lineal_perdida' with linespoints lc rgb orange lw 2 pt 7 ps 0.8 title tr('lineal (sin activación)', 'linear (no activation)'), \
     f using 'epoca':'relu_perdida' with linespoints lc rgb blue lw 2 pt 5 ps 0.8 title 'ReLU'

set title tr("exactitud en prueba, curvas de la primera semilla\n(el eje y no empieza en 0)", "test accuracy, curves of the first seed\n(the y axis does not start at 0)") font ',12'
set ylabel tr('exactitud en prueba (%)', 'test accuracy (%)')
set yrange [floor(acc_lo * 100) - 6:100]   # room below the curves for the key
set key bottom right font ',10' samplen 1.5   # inside the panel, under the curves
plot 90 with lines dt 2 lc rgb '#666666' lw 1.5 title tr('«sufría para llegar al 90 %» (§4.3)', '"struggled to reach 90 %" (§4.3)'), \
     f using 'epoca':(100 * column('lineal_exactitud')) with linespoints lc rgb orange lw 2 pt 7 ps 0.8 \
         title sprintf(tr('lineal: %.2f ± %.2f %%', 'linear: %.2f ± %.2f %%'), 100 * lin_m, 100 * lin_sd), \
     f using 'epoca':(100 * column('relu_exactitud')) with linespoints lc rgb blue lw 2 pt 5 ps 0.8 \
         title sprintf('ReLU: %.2f ± %.2f %%', 100 * relu_m, 100 * relu_sd)
unset multiplot
