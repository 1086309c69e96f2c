# plots/ch3_002fig2_4_validacion_cruzada.gp — thesis 002 Fig 2.4: K-fold
# cross-validation with K = 5, run: the training images cut at random into
# five folds; in iteration k a 784–32–10 network (one epoch, Adam 0.003)
# trains on the other four (green) and is scored on fold k (orange), as the
# thesis colours them. Left: the scheme with each iteration's score; right:
# the five scores, their mean and ± one sample standard deviation.
# kfold.csv: iteracion,fold_validacion,imagenes_entrenamiento,
# imagenes_validacion,exactitud; kfold_resumen.csv: k,media,desviacion.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_w = 1200
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/kfold.csv'
stats datadir.'/kfold_resumen.csv' using 'media' nooutput
m = STATS_max
stats datadir.'/kfold_resumen.csv' using 'desviacion' nooutput
sd = STATS_max
stats datadir.'/kfold_resumen.csv' using 'k' nooutput
K = int(STATS_max)
stats f using 'exactitud' nooutput
lo = STATS_min; hi = STATS_max
stats f using 'imagenes_validacion' every ::0::0 nooutput
nval = int(STATS_max)
stats f using 'imagenes_entrenamiento' every ::0::0 nooutput
ntr = int(STATS_max)
green = '#009E73'; orange = '#E69F00'
th(k) = k >= 1000 ? sprintf('%d %03d', int(k / 1000), int(k) % 1000) : sprintf('%d', int(k))

set multiplot title tr(sprintf('Tesis 002, Fig 2.4: validación cruzada con K = %d (red 784–32–10, 1 época): %.2f %% ± %.2f', K, 100 * m, 100 * sd), \
                       sprintf('Thesis 002, Fig 2.4: %d-fold cross-validation (784–32–10 network, 1 epoch): %.2f %% ± %.2f', K, 100 * m, 100 * sd))

# --- left: the folds ----------------------------------------------------------
set origin 0, 0
set size 0.64, 0.94
unset grid
unset border
unset xtics
set xrange [-0.1:K + 2.3]
set yrange [K + 1.2:-0.3]
set ytics scale 0 font ',12' (tr('iteración', 'iteration') 0)
set for [k=1:K] ytics add (sprintf('%d', k) k)
set lmargin 11
set style fill solid 0.85 border lc rgb '#444444'
set label 1 sprintf(tr('verde: los %d folds de entrenamiento (%s imágenes)', 'green: the %d training folds (%s images)'), K - 1, th(ntr)) at 0, K + 0.65 left font ',12' textcolor rgb green
set label 2 sprintf(tr('naranja: el fold de validación (%s imágenes)', 'orange: the validation fold (%s images)'), th(nval)) at 0, K + 1.0 left font ',12' textcolor rgb '#B07800'
set label 3 tr('exactitud', 'accuracy') at K + 1.15, 0 center font ',12'
plot for [j=1:K] f using (j - 0.5):'iteracion':(0.46):(0.36):(column('fold_validacion') == j ? 0xE69F00 : 0x009E73) \
         with boxxyerror lc rgb variable notitle, \
     for [j=1:K] '+' using (j - 0.5):(0):(sprintf('fold %d', j)) every ::0::0 with labels font ',11' notitle, \
     f using (K + 1.15):'iteracion':(sprintf('%.2f %%', 100 * column('exactitud'))) with labels font ',12' notitle
unset label 1; unset label 2; unset label 3

# --- right: the five scores, mean ± sd -----------------------------------------
set origin 0.64, 0.0
set size 0.35, 0.9
set border 3
set grid ytics
set xtics 1 nomirror out scale 1 font ',11'
set ytics autofreq nomirror out scale 1 font ',11' format '%.1f'
set xrange [0.4:K + 0.6]
pad = (hi - lo) > 0 ? (hi - lo) : 0.01
y0 = 100 * (lo - 0.8 * pad - sd); y1 = 100 * (hi + 0.8 * pad + sd)
set yrange [y0:y1]
set xlabel tr('iteración (fold de validación)', 'iteration (validation fold)') font ',11'
set ylabel tr('exactitud en validación (%; el eje no empieza en 0)', 'validation accuracy (%; the axis does not start at 0)') font ',11'
set title tr(sprintf("puntos naranjas: cada fold\nlínea azul: la media, %.2f %%\nbanda: ± 1 desv. típica muestral, %.2f", 100 * m, 100 * sd), \
             sprintf("orange dots: each fold\nblue line: the mean, %.2f %%\nband: ± 1 sample sd, %.2f", 100 * m, 100 * sd)) font ',11'
set lmargin 9
set object 1 rect from 0.4, 100 * (m - sd) to K + 0.6, 100 * (m + sd) fc rgb '#0072B2' fs transparent solid 0.15 noborder behind
plot 100 * m with lines lc rgb '#0072B2' lw 2 notitle, \
     f using 'iteracion':(100 * column('exactitud')) with points pt 7 ps 1.6 lc rgb orange notitle
unset object 1
unset multiplot
