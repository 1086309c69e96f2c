# plots/ch3_002fig2_9_dropout.gp — thesis 002 Fig 2.9, drawn from a real run:
# the dropout mask that the first training step of the §3.4 network (with
# dropout p) drew for the first image of its batch. Every hidden neuron is a
# circle, 16 a row: grey with a cross where the mask switched it off (its
# output in that step is 0, checked by the program), blue where it was kept
# and fired, white with a blue ring where it was kept but ReLU gave 0.
# dropout_mascara.csv: capa,neurona,fila,columna,mascara,activa,activacion;
# dropout_imagen.csv: x,y,value (the image).
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_w = 1200
fig_h = 640
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/dropout_mascara.csv'
stats f using 'mascara' nooutput
p = 1 - 1 / STATS_max                       # kept neurons carry 1/(1 − p)
stats f using 'capa' nooutput
L = int(STATS_max)
array n_of[L]
array off_of[L]
array rows_of[L]
do for [l=1:L] {
    stats f using (column('capa') == l ? 1 : 0) nooutput
    n_of[l] = int(STATS_sum)
    stats f using (column('capa') == l && column('activa') == 0 ? 1 : 0) nooutput
    off_of[l] = int(STATS_sum)
    rows_of[l] = int((n_of[l] + 15) / 16)
}
sp = 2.3                                    # neuron spacing, in image pixels
x0 = 40                                     # where the grids start (the image is 0..28)
array top[L]
top[1] = 1.5
do for [l=2:L] { top[l] = top[l - 1] + rows_of[l - 1] * sp + 4.5 }
ymax = top[L] + rows_of[L] * sp + 0.5
gx(col) = x0 + col * sp
gy(l, row) = top[int(l)] + row * sp

set title tr(sprintf('Tesis 002, Fig 2.9: dropout con p = %.1f, la máscara que sorteó un paso real de entrenamiento para esta imagen', p), \
             sprintf('Thesis 002, Fig 2.9: dropout with p = %.1f, the mask a real training step drew for this image', p)) font ',13'
unset border
unset tics
unset grid
unset colorbox
set size ratio -1
set xrange [-1:x0 + 16 * sp + 1]
set yrange [ymax + 9:-3] reverse
set palette gray negative
set cbrange [0:1]
set style fill solid 1.0 border lc rgb '#0072B2'
do for [l=1:L] {
    set label 10 + l sprintf(tr('capa oculta %d: %d de %d neuronas apagadas', 'hidden layer %d: %d of %d neurons off'), l, off_of[l], n_of[l]) \
        at gx(0) - 1, top[l] - 1.9 left font ',13'
}
set object 1 rect from -0.5, -0.5 to 27.5, 27.5 fs empty border lc rgb '#888888' lw 1 front
set label 1 tr('la imagen de entrada (784 píxeles)', 'the input image (784 pixels)') at 14, -1.5 center font ',13'
set arrow 1 from 30, 14 to x0 - 2, 14 head filled size 1.2, 20 lw 2 lc rgb '#444444'
set label 2 tr("gris con aspa: apagada por la máscara (salida 0)\nazul: activa   ·   blanca con borde azul: activa, pero ReLU dio 0", \
               "grey with a cross: switched off by the mask (output 0)\nblue: kept   ·   white with a blue ring: kept, but ReLU gave 0") \
    at x0 - 12, ymax + 3.5 left font ',12'
plot datadir.'/dropout_imagen.csv' using 'x':'y':'value' with image pixels, \
     f using (gx(column('columna'))):(column('activa') == 0 ? NaN : gy(column('capa'), column('fila'))):(0.9):(column('activacion') > 0 ? 0x0072B2 : 0xFFFFFF) \
         with circles lc rgb variable fs solid 1.0 border lc rgb '#0072B2', \
     f using (gx(column('columna'))):(column('activa') == 0 ? gy(column('capa'), column('fila')) : NaN):(0.9) \
         with circles lc rgb '#BBBBBB' fs solid 1.0 border lc rgb '#888888', \
     f using (gx(column('columna'))):(column('activa') == 0 ? gy(column('capa'), column('fila')) : NaN) \
         with points pt 2 ps 1.6 lw 2 lc rgb '#222222'
