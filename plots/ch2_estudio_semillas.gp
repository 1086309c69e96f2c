# plots/ch2_estudio_semillas.gp — the seed study of notes §2.3: the same
# network and η = 0.5 from many random starts. Top: every run's MSE per epoch
# (one line per seed), N(0,1) as the notes and Glorot; the dashed levels are
# the plateaus a run can stick on (0.25: always 0.5; 0.167: three examples at
# 2/3; 0.125: two examples at 0.5). Bottom: when the runs that learn reach
# MSE < 0.01. Data: semillas_curvas_{normal,glorot}.csv (one epoch
# in 10) and semillas.csv (semilla, inicio, mse_final, epoca_aprende, ...).
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
fig_w = 1300
fig_h = 950
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

runs = datadir.'/semillas.csv'
curves_n = datadir.'/semillas_curvas_normal.csv'
curves_g = datadir.'/semillas_curvas_glorot.csv'
stats curves_n every ::0::2 nooutput
n_seeds = STATS_columns - 1
stats curves_n using 1 nooutput
epochs = STATS_max

# how many runs of each start converged, for the panel titles
stats runs using (strcol(2) eq 'normal' && valid(4) ? 1 : 0) nooutput
conv_n = int(STATS_sum)
stats runs using (strcol(2) eq 'glorot' && valid(4) ? 1 : 0) nooutput
conv_g = int(STATS_sum)

set multiplot title sprintf(tr('Estudio de semillas: %d redes 2-2-1 con η = 0.5', \
                               'Seed study: %d 2-2-1 networks with η = 0.5'), n_seeds) font ',15'

set rmargin 8
set logscale y
set yrange [5e-4:0.6]
set format y '10^{%L}'
set xrange [0:epochs]
set xtics 1000
set xlabel tr('época', 'epoch')
set ylabel 'MSE'
do for [k=1:3] { lv = (k == 1) ? 0.25 : (k == 2) ? 1.0/6 : 0.125
    set arrow k from graph 0, first lv to graph 1, first lv nohead dt 2 lw 1 lc rgb '#555555' front }
set arrow 4 from graph 0, first 0.01 to graph 1, first 0.01 nohead dt 3 lw 1 lc rgb '#555555' front
set label 1 '0.25' at graph 1.01, first 0.25 left font ',10'
set label 2 '0.167' at graph 1.01, first 0.18 left font ',10'
set label 3 '0.125' at graph 1.01, first 0.115 left font ',10'
set label 4 '0.01' at graph 1.01, first 0.01 left font ',10'

set origin 0, 0.42
set size 0.5, 0.53
set title sprintf(tr('inicio N(0,1) (las notas): aprenden %d de %d', \
                     'N(0,1) start (the notes): %d of %d learn'), conv_n, n_seeds)
plot for [i=2:n_seeds+1] curves_n using 1:i with lines lw 0.8 lc rgb '#A00072B2' notitle

set origin 0.5, 0.42
set title sprintf(tr('inicio Glorot: aprenden %d de %d', 'Glorot start: %d of %d learn'), conv_g, n_seeds)
plot for [i=2:n_seeds+1] curves_g using 1:i with lines lw 0.8 lc rgb '#A0D55E00' notitle

# Bottom: histogram of the epoch at which MSE first drops below 0.01.
unset arrow; unset label; unset logscale y; set rmargin 3
set format y '%g'
set origin 0, 0
set size 1, 0.42
bin = 250
binned(x) = bin * floor(x / bin) + bin / 2.0
set xtics 500
set xrange [0:epochs]

set yrange [0:*]
set xlabel tr('época en que el MSE baja de 0.01', 'epoch at which the MSE drops below 0.01')
set ylabel tr('número de semillas', 'number of seeds')
set title tr('¿Cuándo aprenden? (las que no aprenden no aparecen)', 'When do they learn? (runs that never learn are not shown)')
set style fill solid 0.7 border
set boxwidth bin * 0.42     # the two starts side by side in each bin
set key top right box opaque Left reverse width 1
if (conv_n + conv_g == 0) {
    # nothing to count (e.g. very few epochs): an empty panel that says so
    set label 10 tr('ninguna semilla llega a MSE < 0.01', 'no seed reaches MSE < 0.01') at graph 0.5, graph 0.5 center
    set yrange [0:1]
    plot NaN notitle
} else {
    plot runs using (strcol(2) eq 'normal' && valid(4) ? binned($4) - bin * 0.22 : NaN):(1) smooth frequency with boxes lt 1 title 'N(0,1)', \
         runs using (strcol(2) eq 'glorot' && valid(4) ? binned($4) + bin * 0.22 : NaN):(1) smooth frequency with boxes lt 2 title 'Glorot'
}
unset multiplot
