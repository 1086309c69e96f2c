# plots/ch3_002fig2_10_aplanado.gp — thesis 002 Fig 2.10: flattening a digit.
# The first training image (28×28) and the vector of 784 numbers the network
# reads, built as mnist_gather() builds every batch: row after row, pixel
# (r, c) at position 28·r + c, value pixel/255. Two rows are framed in both
# (orange row 7, blue row 14) to follow them into the vector.
# aplanado.csv: fila,columna,indice,pixel,x (pixel from the 28×28 picture,
# x from the network's input vector).
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_w = 1200
fig_h = 760
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/aplanado.csv'
r1 = 7; r2 = 14
c1 = '#E69F00'; c2 = '#0072B2'
set palette gray negative
set cbrange [0:1]
unset colorbox

set multiplot title tr('Tesis 002, Fig 2.10: aplanar una imagen de 28×28 en un vector de 784, fila tras fila', \
                       'Thesis 002, Fig 2.10: flattening a 28×28 image into a vector of 784, row after row') font ',14'

# --- top: the picture ---------------------------------------------------------
set origin 0.02, 0.36
set size 0.5, 0.58
set size ratio -1
set xrange [-0.5:27.5]
set yrange [27.5:-0.5]
set xtics 0, 7, 27 out nomirror font ',10'
set ytics 0, 7, 27 out nomirror font ',10'
set mxtics 7
set mytics 7
unset grid
set xlabel tr('columna c', 'column c') font ',11'
set ylabel tr('fila r', 'row r') font ',11'
set object 1 rect from -0.5, r1 - 0.5 to 27.5, r1 + 0.5 fs empty border lc rgb c1 lw 3 front
set object 2 rect from -0.5, r2 - 0.5 to 27.5, r2 + 0.5 fs empty border lc rgb c2 lw 3 front
plot f using 'columna':'fila':'pixel' with image pixels
unset object 1; unset object 2

# --- top right: the rule -------------------------------------------------------
set label 1 tr("el píxel (fila r, columna c)\nva a la posición 28·r + c", \
               "pixel (row r, column c)\ngoes to position 28·r + c") at screen 0.56, 0.80 left font ',16'
set label 2 sprintf(tr("fila %d → posiciones %d … %d", "row %d → positions %d … %d"), r1, 28 * r1, 28 * r1 + 27) \
    at screen 0.56, 0.66 left font ',14' textcolor rgb c1
set label 3 sprintf(tr("fila %d → posiciones %d … %d", "row %d → positions %d … %d"), r2, 28 * r2, 28 * r2 + 27) \
    at screen 0.56, 0.60 left font ',14' textcolor rgb c2
set label 4 tr("valor = píxel / 255 (0 blanco, 1 negro)", "value = pixel / 255 (0 white, 1 black)") \
    at screen 0.56, 0.52 left font ',13'

# --- bottom: the vector -------------------------------------------------------
set origin 0.0, 0.02
set size 1.0, 0.34
set size noratio
set xrange [-0.5:783.5]
set yrange [0:1]
unset ytics
unset mxtics
unset mytics
unset ylabel
set xtics 0, 112, 783 out nomirror font ',10'
set xtics add ('783' 783)
set xlabel tr('posición en el vector de entrada de la red (x[0] … x[783])', \
              'position in the network''s input vector (x[0] … x[783])') font ',11'
set style fill solid 1.0 noborder
set object 1 rect from 28 * r1 - 0.5, 0 to 28 * r1 + 27.5, 1 fs empty border lc rgb c1 lw 3 front
set object 2 rect from 28 * r2 - 0.5, 0 to 28 * r2 + 27.5, 1 fs empty border lc rgb c2 lw 3 front
set for [r=0:27] arrow 10 + r from 28 * r - 0.5, 0 to 28 * r - 0.5, 0.15 nohead lc rgb '#BBBBBB' lw 0.5 back
plot f using 'indice':(0.5):(0.5):(0.5):'x' with boxxyerror lc palette notitle
unset multiplot
