# plots/ch3_sobreajuste.gp — notes §3.3 overfitting: loss and accuracy on the
# training split (solid) and on the validation split (dashed), per epoch,
# without regularisation and with dropout, L2 and both. sobreajuste.csv:
# epoch, then <variant>_{train_loss,val_loss,train_acc,val_acc}.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_h = 1000
script = ARG0
load 'plots/common.gp'

f = datadir.'/sobreajuste.csv'
set datafile columnheaders
keys = 'none dropout l2 dropout_l2'
name(i) = i == 1 ? tr('sin regularización', 'no regularisation') : \
          i == 2 ? 'dropout 20 %' : i == 3 ? 'L2' : tr('dropout + L2', 'dropout + L2')
col(i, what) = word(keys, i).'_'.what

set multiplot layout 2,1 title tr('Sobreajuste: entrenamiento (continua) frente a validación (discontinua)', \
                                  'Overfitting: training (solid) against validation (dashed)')
set xlabel tr('época', 'epoch')
set xrange [1:*]
set ylabel tr('entropía cruzada', 'cross-entropy')
unset key   # the legend is in the lower panel, where there is room
plot for [i=1:4] f using 1:col(i, 'train_loss') with lines lt i lw 2 title name(i), \
     for [i=1:4] f using 1:col(i, 'val_loss') with linespoints lt i dt 2 pt 7 ps 0.6 notitle
set ylabel tr('exactitud (%)', 'accuracy (%)')
set key bottom right box opaque
plot for [i=1:4] f using 1:(100*column(col(i, 'train_acc'))) with lines lt i lw 2 title name(i), \
     for [i=1:4] f using 1:(100*column(col(i, 'val_acc'))) with linespoints lt i dt 2 pt 7 ps 0.6 notitle
unset multiplot
