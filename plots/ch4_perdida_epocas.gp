# plots/ch4_perdida_epocas.gp — notes §4.3: the mean training loss per epoch
# of our run against the five numbers the notes printed from PyTorch on Colab
# (0.2344, 0.0833, 0.0632, 0.0524, 0.0458). perdida_epocas.csv:
# epoch,loss,notes_loss (notes_loss empty after epoch 5).
if (!exists("datadir")) datadir = 'out/04-cnn'
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/perdida_epocas.csv'
set title tr('Error medio por época: nuestra red en C frente a los apuntes (PyTorch)', \
             'Mean loss per epoch: our C network against the notes (PyTorch)')
set xlabel tr('época', 'epoch')
set ylabel tr('error medio (NLL)', 'mean loss (NLL)')
set xtics 1
set yrange [0:*]
set offsets 0.15, 0.15, 0.03, 0
set key top right
plot f using 'epoch':'loss' with linespoints lt 1 title tr('este programa (C)', 'this program (C)'), \
     f using 'epoch':'notes_loss' with linespoints lt 2 dt 2 title tr('apuntes §4.3', 'notes §4.3'), \
     f using 'epoch':'loss':(sprintf('%.4f', column('loss'))) with labels offset 0,-1.2 font ',11' tc lt 1 notitle, \
     f using 'epoch':'notes_loss':(sprintf('%.4f', column('notes_loss'))) with labels offset 0,1.2 font ',11' tc lt 2 notitle
