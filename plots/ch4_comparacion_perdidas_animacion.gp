# plots/ch4_comparacion_perdidas_animacion.gp — learning in motion: the
# comparison of ch4_comparacion_perdidas (`make chapter4 LR=0.0003,0.001,0.003`
# or `OPT=sgd,adam`: every optimiser and learning rate from the same start)
# drawn as training goes, one frame per point of the curves (every step-th
# when there are more than 80), as an animated GIF (whatever fmt says). The
# style of plots/ch3_loss_comparacion_animacion.gp. comparacion_perdidas.csv
# has a column per setting (its header is the legend); each point is the
# mean loss of 50 batches, at its middle batch. The epoch in each frame
# comes from summary.json (training images and batch size). A setting that
# diverged (an empty column after its last point) stops there, its dot
# left where its curve ended; one that diverged before its first point is
# only named in the legend. Drawn only after a run with a list (chapter.mk
# leaves it out otherwise).
if (!exists("datadir")) datadir = 'out/04-cnn'
if (!exists("lang")) lang = 'es'
if (!exists("outdir")) outdir = datadir.'/fig'
tr(es, en) = (lang eq 'en') ? en : es

f = datadir.'/comparacion_perdidas.csv'
json = datadir.'/summary.json'
set datafile separator ','
set datafile columnheaders
stats f using 1 nooutput
ncurves = STATS_columns - 1
rows = STATS_records
last_batch = STATS_max
# the last row of each curve (0: none, a setting that diverged before its
# first point) and the curves with points, as column numbers
array R[ncurves]
nshown = 0
do for [k=1:ncurves] {
    R[k] = int(system(sprintf("awk -F, 'NR > 1 && $%d != \"\" {n = NR - 1} END {print n + 0}' '%s'", k + 1, f)))
    nshown = nshown + (R[k] > 0)
}
array C[nshown > 0 ? nshown : 1]
j = 0
do for [k=1:ncurves] { if (R[k] > 0) { j = j + 1; C[j] = k + 1 } }
# one shared y range, so that the axes stay still from frame to frame
ymin = 1e30
ymax = 0
do for [j=1:nshown] {
    stats f using C[j] nooutput
    ymin = (STATS_min > 0 && STATS_min < ymin) ? STATS_min : ymin
    ymax = (STATS_max > ymax) ? STATS_max : ymax
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
set output outdir.'/ch4_comparacion_perdidas_animacion.gif'
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

set xlabel tr('lote (cada punto, la media de 50 lotes de 64 imágenes)', 'batch (each point the mean of 50 batches of 64 images)')
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
title_top = tr('CNN de los apuntes: pérdida con cada optimizador y tasa de aprendizaje', \
               'The notes'' CNN: training loss with each optimiser and learning rate')

# the row of curve C[j]'s dot at frame row k; the legend of the settings without a curve
last(j, k) = k < R[C[j] - 1] ? k : R[C[j] - 1]
nodata = ''
do for [k=1:ncurves] {
    if (R[k] == 0) {
        nodata = nodata.sprintf(", keyentry with points lt %d pt 7 ps 1.2 title '%s: %s'", k, header(k + 1), tr('diverge', 'diverged'))
    }
}
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
    # a curve that ended before row k keeps its dot at its last point
    plot for [j=1:nshown] f every ::0::(k - 1) using 1:C[j] with lines lt (C[j] - 1) lw 2 title columnheader(C[j]), \
         for [j=1:nshown] f every ::(last(j, k) - 1)::(last(j, k) - 1) using 1:C[j] with points lt (C[j] - 1) pt 7 ps 1.2 notitle \
         @nodata
}
set output
