# plots/ch3_loss_comparacion_animacion.gp — learning in motion: the
# comparison of ch3_loss_comparacion (every optimiser and learning rate of
# `make chapter3`, by default Adam and SGD at 0.001, 0.003 and 0.01) drawn
# as training goes, one frame per point of the curves, as an animated GIF
# (whatever fmt says). loss_comparacion.csv has a column per setting (its
# header is the legend); each point is the mean loss of 50 batches, at the
# last of them. The epoch in each frame comes from summary.json (the
# training images and the batch size: the batches of one epoch). A run that
# diverged has empty cells after its end: its curve stops there and, as in
# ch3_loss_comparacion.gp, its last point is marked "diverge" (from
# loss_comparacion_divergencias.csv) once the frames reach it.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
if (!exists("lang")) lang = 'es'
if (!exists("outdir")) outdir = datadir.'/fig'
tr(es, en) = (lang eq 'en') ? en : es

f = datadir.'/loss_comparacion.csv'
json = datadir.'/summary.json'
set datafile separator ','
set datafile columnheaders
stats f using 1 nooutput
ncurves = STATS_columns - 1
rows = STATS_records
last_batch = STATS_max
# the points of each curve: all the rows, or fewer for a run that diverged
# (its cells are empty after its end)
array LEN[ncurves + 1]
do for [i=2:ncurves+1] {
    LEN[i] = int(system(sprintf("awk -F, 'NR > 1 && $%d != \"\"' '%s' | wc -l", i, f)))
}
# one shared y range, so that the axes stay still from frame to frame
ymin = 1e30
ymax = 0
do for [i=2:ncurves+1] {
    if (LEN[i] > 0) {
        stats f using i nooutput
        ymin = (STATS_min > 0 && STATS_min < ymin) ? STATS_min : ymin
        ymax = (STATS_max > ymax) ? STATS_max : ymax
    }
}
# where each diverged curve ended (none: no such file, or only its header)
ends = datadir.'/loss_comparacion_divergencias.csv'
n_ends = int(system(sprintf("awk 'NR > 1' '%s' 2>/dev/null | wc -l", ends)))
array END_K[n_ends + 1]
array END_X[n_ends + 1]
array END_Y[n_ends + 1]
do for [r=1:n_ends] {
    end = system(sprintf("awk -F, 'NR == %d {print $1, $3, $4}' '%s'", r + 1, ends))
    END_K[r] = int(word(end, 1))
    END_X[r] = real(word(end, 2))
    END_Y[r] = real(word(end, 3))
}
# the first number after "key": in summary.json (train_images at the top,
# batch in "settings": the first of each name); 0 when it is not there
json_s(key) = system(sprintf("grep -m1 -o '\"%s\": *[0-9.]*' '%s' 2>/dev/null | grep -o '[0-9.]*$'", key, json))
json_num(key) = (json_s(key) eq '') ? 0 : real(json_s(key))
batch_size = json_num('batch')
per_epoch = batch_size > 0 ? ceil(json_num('train_images') / batch_size) : 0
epochs = per_epoch > 0 ? ceil(last_batch / per_epoch) : 0
total = per_epoch > 0 ? epochs * per_epoch : last_batch   # batches of the whole run
# at most 80 frames: a longer run draws every step-th point
step = ceil(rows / 80.0)
# the x of every row, as words of one string
xs = system(sprintf("awk -F, 'NR > 1 {print $1}' '%s'", f))
header(i) = system(sprintf("head -n 1 '%s' | cut -d, -f%d", f, i))

# 120 ms a frame (delay in hundredths of a second); the last frame drawn
# `hold` times more, so that the finished comparison stays 1.2 s. libgd
# refuses a frame identical to the one before: the held frames differ in a
# corner pixel, white or nearly white (see ch4_filtros_conv1_animacion.gp).
hold = 10
set terminal gif animate delay 12 loop 0 optimize size 900, 500 font 'DejaVuSans,12' linewidth 1.5
set output outdir.'/ch3_loss_comparacion_animacion.gif'
set encoding utf8
set key noautotitle
set grid lc rgb '#dddddd'
set border lc rgb '#444444'
# the series' colours (plots/common.gp)
set linetype 1 lc rgb '#0072B2' lw 2 pt 7
set linetype 2 lc rgb '#D55E00' lw 2 pt 7
set linetype 3 lc rgb '#009E73' lw 2 pt 7
set linetype 4 lc rgb '#CC79A7' lw 2 pt 7
set linetype 5 lc rgb '#E69F00' lw 2 pt 7
set linetype 6 lc rgb '#56B4E9' lw 2 pt 7
set linetype 7 lc rgb '#000000' lw 2 pt 7
set linetype 8 lc rgb '#999999' lw 2 pt 7
set linetype cycle 8
# (the static figure draws SGD dashed; libgd's terminals draw no dashes, so
# here every line is solid and the legend names each setting)

set xlabel tr('lote (media de cada 50 lotes de 64 imágenes)', 'batch (mean of every 50 batches of 64 images)')
set ylabel tr('entropía cruzada (escala log)', 'cross-entropy (log scale)')
set logscale y
set format y '%g'
set xrange [0:total * 1.02]
set yrange [ymin * 0.85:ymax * 1.15]
set key outside right top box
# the epoch boundaries, grey, and each epoch's number at the bottom
if (per_epoch > 0) {
    do for [e=1:epochs] {
        if (e < epochs) {
            set arrow e from e * per_epoch, graph 0 to e * per_epoch, graph 1 nohead lc rgb '#999999'
        }
        set label e sprintf(tr('época %d', 'epoch %d'), e) at (e - 0.5) * per_epoch, graph 0.04 \
            center tc rgb '#666666'
    }
}
title_top = tr('Pérdida durante el entrenamiento: optimizadores y tasas de aprendizaje', \
               'Training loss: optimisers and learning rates')

nframes = int(ceil(rows / real(step)))
do for [j=1:nframes + hold] {
    k = (j < nframes ? j * step : rows)    # rows drawn: 1 .. k (the last frame: all)
    set object 99 rectangle from screen 0, 0 to screen 0.004, 0.005 fs solid noborder \
        fc rgb (j % 2 ? '#FEFEFE' : '#FFFFFF') behind
    x = real(word(xs, k))
    e = per_epoch > 0 ? int(ceil(x / per_epoch)) : 0
    now = (e > 0) ? sprintf(tr('época %d de %d, lote %d de %d', 'epoch %d of %d, batch %d of %d'), \
                            e, epochs, int(x), int(total)) \
                  : sprintf(tr('lote %d de %d', 'batch %d of %d'), int(x), int(total))
    set title title_top."\n".now font ',14'
    # the head of every curve still going at row k; a diverged one, once
    # passed, marked where it ended
    heads = ''
    do for [i=2:ncurves+1] { if (LEN[i] >= k) { heads = heads.' '.i } }
    do for [r=1:n_ends] {
        if (END_X[r] <= x) {
            set label 10 + r tr('diverge', 'diverged') at END_X[r], END_Y[r] left front \
                point lt END_K[r] pt 7 ps 1.6 tc lt END_K[r] offset 0.9, 0.6
        } else {
            unset label 10 + r
        }
    }
    plot for [i=2:ncurves+1] f every ::0::(k - 1) using 1:i with lines lt (i - 1) lw 2 title columnheader(i), \
         for [w in heads] f every ::(k - 1)::(k - 1) using 1:(column(int(w))) with points lt (int(w) - 1) pt 7 ps 1.2 notitle
}
set output
