# plots/ch1_xor_oscilacion.gp — notes §1.2 and §2's opening: on XOR the
# perceptron "se quedará oscilando para siempre". Left: the line
# w1·x1 + w2·x2 + b = 0 after every example of every epoch, coloured by epoch
# (xor_pasos.csv) — early lines drift, then the same few lines come back
# again and again. Right: w1, w2 and b after every example, against the
# epoch: they settle into a repeating pattern and never stop.
if (!exists("datadir")) datadir = 'out/01-perceptron'
fig_w = 1500
fig_h = 650
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

steps = datadir.'/xor_pasos.csv'
points = datadir.'/puntos.csv'
stats steps using 2 nooutput
last_epoch = STATS_max

set multiplot title tr('XOR: la frontera del perceptrón oscila y nunca separa las clases', \
                                   'XOR: the perceptron''s boundary oscillates and never separates the classes') font ',15'

# --- left: the fan of lines -------------------------------------------------
set title tr('La recta tras cada ejemplo, coloreada por época', 'The line after every example, coloured by epoch')
set origin 0, 0
set size 0.5, 0.93
set size ratio -1
set xrange [-0.5:1.5]
set yrange [-0.5:1.5]
set xtics 0.5
set ytics 0.5
set xlabel 'x_1'
set ylabel 'x_2'
set palette defined (0 '#fde725', 0.25 '#5ec962', 0.5 '#21918c', 0.75 '#3b528b', 1 '#440154')
set cbrange [0:last_epoch]
set cblabel tr('época', 'epoch')
set colorbox vertical user origin 0.43, 0.22 size 0.015, 0.58
set key outside below center Left reverse maxrows 1 font ',11'
plot steps using 7:8:($9 - $7):($10 - $8):2 with vectors nohead lc palette lw 1.2 notitle, \
     points using 1:(column(5) > 0.5 ? 1/0 : $2) with points pt 6 ps 2.6 lc rgb '#D55E00' lw 2 \
         title tr('objetivo 0', 'target 0'), \
     points using 1:(column(5) > 0.5 ? $2 : 1/0) with points pt 7 ps 2.6 lc rgb '#D55E00' \
         title tr('objetivo 1', 'target 1')

# --- right: the weights and the bias after every example ---------------------
unset colorbox
set origin 0.53, 0
set size 0.47, 0.93
set size noratio
set title tr('Pesos y sesgo tras cada ejemplo', 'Weights and bias after every example')
set autoscale
set xrange [0:last_epoch]
set xtics auto
set ytics auto
set xlabel tr('época (cuatro ejemplos por época)', 'epoch (four examples per epoch)')
set ylabel tr('valor', 'value')
set key inside top right box opaque maxrows 1 font ',11'
set yrange [-2:2.2]
plot steps using ($1 / 4.0):4 with lines lt 1 lw 1.5 title 'w_1', \
     steps using ($1 / 4.0):5 with lines lt 2 lw 1.5 title 'w_2', \
     steps using ($1 / 4.0):6 with lines lt 3 lw 1.5 title 'b'
unset multiplot
