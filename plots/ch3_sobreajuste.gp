# plots/ch3_sobreajuste.gp — notes §3.3 overfitting, one column per variant
# (no regularisation, dropout, L2, both), the same two colours in every
# panel and a legend in every panel: training split (blue, solid) and
# validation split (orange, dashed); top row the loss, bottom row the
# accuracy. Early stopping (patience 3) is marked on each: a grey vertical
# line where it stops, a black dot on the epoch whose weights it keeps (the
# best validation loss BEFORE the stop), and an open black circle where the
# validation loss is lowest over all the epochs when that comes later
# (dropout's often does: the stop never sees it).
# sobreajuste.csv: epoch, then <variant>_{train_loss,val_loss,train_acc,val_acc};
# sobreajuste_parada.csv: variant (1..4), stop_epoch (0: never stopped),
# best_epoch, best_val_loss, min_epoch, min_val_loss.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_w = 1700
fig_h = 1000
script = ARG0
load 'plots/common.gp'

f = datadir.'/sobreajuste.csv'
g = datadir.'/sobreajuste_parada.csv'
set datafile columnheaders
keys = 'none dropout l2 dropout_l2'
name(i) = i == 1 ? tr('sin regularización', 'no regularisation') : \
          i == 2 ? 'dropout 20 %' : i == 3 ? tr('L2 (λ = 10^{-4})', 'L2 (λ = 10^{-4})') : \
          tr('dropout + L2', 'dropout + L2')
col(i, what) = word(keys, i).'_'.what

# The same y range in every panel of a row, so the panels compare.
lmax = 0; amin = 100; amax = 0
do for [i=1:4] {
    stats f using (column(col(i, 'val_loss'))) nooutput
    lmax = STATS_max > lmax ? STATS_max : lmax
    stats f using (column(col(i, 'train_loss'))) nooutput
    lmax = STATS_max > lmax ? STATS_max : lmax
    stats f using (100*column(col(i, 'val_acc'))) nooutput
    amin = STATS_min < amin ? STATS_min : amin
    stats f using (100*column(col(i, 'train_acc'))) nooutput
    amin = STATS_min < amin ? STATS_min : amin
    amax = STATS_max > amax ? STATS_max : amax
}
stats f using 1 nooutput
nepochs = int(STATS_max)
# early stopping, per variant
array stop[4]; array best[4]; array bestv[4]; array mine[4]; array minv[4]
do for [i=1:4] {
    stats g every ::(i-1)::(i-1) using 'stop_epoch' nooutput;   stop[i] = int(STATS_max)
    stats g every ::(i-1)::(i-1) using 'best_epoch' nooutput;   best[i] = int(STATS_max)
    stats g every ::(i-1)::(i-1) using 'best_val_loss' nooutput; bestv[i] = STATS_max
    stats g every ::(i-1)::(i-1) using 'min_epoch' nooutput;    mine[i] = int(STATS_max)
    stats g every ::(i-1)::(i-1) using 'min_val_loss' nooutput;  minv[i] = STATS_max
}

set multiplot layout 2,4 \
    title sprintf(tr("Sobreajuste (§3.3): entrenamiento (azul, continua) frente a validación (naranja, discontinua)\n" \
             ."{/*0.8 línea gris: la parada temprana (paciencia 3). Negro (punto arriba, línea punteada abajo): la época cuyos pesos guarda,}\n" \
             ."{/*0.8 la mejor validación ANTES de parar. Círculo: la validación más baja de las %d épocas, cuando llega después de la parada}", \
             "Overfitting (§3.3): training (blue, solid) against validation (orange, dashed)\n" \
             ."{/*0.8 grey line: early stopping (patience 3). Black (dot above, dotted line below): the epoch whose weights it keeps,}\n" \
             ."{/*0.8 the best validation BEFORE the stop. Circle: the lowest validation of the %d epochs, when it comes after the stop}"), nepochs)
set xrange [0.5:nepochs + 1]
set xtics 4
set key top right box opaque samplen 2 font ',11'
set grid
# top row: the loss
do for [i=1:4] {
    set title name(i)
    set xlabel tr('época', 'epoch')
    set ylabel (i == 1 ? tr('entropía cruzada', 'cross-entropy') : '')
    set yrange [0:lmax * 1.8]   # headroom: the legend (up to five lines) sits above the curves
    unset arrow; unset label
    if (stop[i] > 0) {
        set arrow 1 from first stop[i], graph 0 to first stop[i], graph 1 nohead lc rgb '#888888' lw 2 dt 1
    } else {
        set label 1 sprintf(tr('no para en %d épocas', 'no stop in %d epochs'), nepochs) at graph 0.04, graph 0.06 left textcolor rgb '#555555' font ',11'
    }
    plot f using 1:col(i, 'train_loss') with lines lc rgb '#0072B2' lw 2 title tr('entrenamiento', 'training'), \
         f using 1:col(i, 'val_loss') with linespoints lc rgb '#D55E00' dt 2 pt 7 ps 0.5 lw 2 title tr('validación', 'validation'), \
         NaN with lines lc rgb '#888888' lw 2 title (stop[i] > 0 ? sprintf(tr('parada: época %d', 'stop: epoch %d'), stop[i]) : ''), \
         '+' every ::0::0 using (best[i]):(bestv[i]) with points pt 7 ps 1.8 lc rgb '#000000' \
             title sprintf(tr('pesos: época %d', 'weights: epoch %d'), best[i]), \
         '+' every ::0::0 using (mine[i] != best[i] ? mine[i] : NaN):(minv[i]) with points pt 6 ps 2.2 lw 2 lc rgb '#000000' \
             title (mine[i] != best[i] ? sprintf(tr('mínimo: época %d', 'lowest: epoch %d'), mine[i]) : '')
}
# bottom row: the accuracy
do for [i=1:4] {
    set title ''
    set ylabel (i == 1 ? sprintf(tr('exactitud (%%), el eje empieza en %d', 'accuracy (%%), the axis starts at %d'), floor(amin)) : '')
    set yrange [floor(amin) : 100]
    unset arrow; unset label
    if (stop[i] > 0) {
        set arrow 1 from first stop[i], graph 0 to first stop[i], graph 1 nohead lc rgb '#888888' lw 2
    }
    set arrow 2 from first best[i], graph 0 to first best[i], graph 1 nohead lc rgb '#000000' lw 1 dt 3
    set key bottom right
    plot f using 1:(100*column(col(i, 'train_acc'))) with lines lc rgb '#0072B2' lw 2 title tr('entrenamiento', 'training'), \
         f using 1:(100*column(col(i, 'val_acc'))) with linespoints lc rgb '#D55E00' dt 2 pt 7 ps 0.5 lw 2 title tr('validación', 'validation')
    set key top right
}
unset multiplot
