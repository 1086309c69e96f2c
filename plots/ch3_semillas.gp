# plots/ch3_semillas.gp — `make chapter3 SEEDS=1-5`: the main network's test
# accuracy for every seed (one point each), their mean (solid line) and the
# mean ± one standard deviation (the grey band). semillas.csv:
# semilla,error_final,exactitud. Drawn only by a run with SEEDS (chapter.mk).
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
script = ARG0
load 'plots/common.gp'

f = datadir.'/semillas.csv'
set datafile columnheaders
stats f using (100*column('exactitud')) nooutput
n = int(STATS_records)
m = STATS_mean
sd = n > 1 ? STATS_stddev * sqrt(n / (n - 1.0)) : 0   # the sample sd, as mean_sd() prints it
lo = STATS_min; hi = STATS_max
set title sprintf(tr("Exactitud en prueba de la red principal, una vez por semilla\n" \
                     ."{/*0.8 media %.2f ± %.2f %% (desviación típica, %d semillas); banda gris: media ± 1 desviación}", \
                     "Test accuracy of the main network, once per seed\n" \
                     ."{/*0.8 mean %.2f ± %.2f %% (standard deviation, %d seeds); grey band: mean ± 1 sd}"), m, sd, n)
set xlabel tr('semilla', 'seed')
set ylabel sprintf(tr('exactitud en prueba (%%); el eje empieza en %.1f', 'test accuracy (%%); the axis starts at %.1f'), \
                   floor(2 * (lo - 0.3)) / 2.0)
set yrange [floor(2 * (lo - 0.3)) / 2.0 : ceil(2 * (hi + 0.3)) / 2.0]
set xrange [-0.6 : n - 0.4]
set object 1 rect from graph 0, first (m - sd) to graph 1, first (m + sd) behind fc rgb '#DDDDDD' fs solid noborder
set key inside bottom right vertical box opaque   # under the points: the axis starts 0.3 below them
plot NaN with boxes fs solid fc rgb '#DDDDDD' title tr('media ± 1 desviación', 'mean ± 1 sd'), \
     m with lines lc rgb '#000000' lw 2 title sprintf(tr('media %.2f %%', 'mean %.2f %%'), m), \
     f using 0:(100*column('exactitud')):xtic(sprintf('%d', column('semilla'))) with points pt 7 ps 2 lc rgb '#0072B2' \
       title tr('cada semilla', 'each seed')
