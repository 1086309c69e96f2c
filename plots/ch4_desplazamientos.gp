# plots/ch4_desplazamientos.gp — notes §4: "if we moved an 8 a little to the
# right, the network got confused", and pooling makes the CNN tolerant to
# small translations. The test accuracy of chapter 3's MLP and chapter 4's
# CNN on the 10 000 test images moved 0–4 pixels each way (what moves out of
# the 28 × 28 frame is lost; what comes in is background).
#   desplazamientos_comparacion.csv  direccion,pixeles,exactitud_mlp,exactitud_cnn
#   (exactitud_mlp empty when chapter 3's desplazamientos.csv was missing)
# Left panel: left (−) and right (+); right panel: up (−) and down (+).
if (!exists("datadir")) datadir = 'out/04-cnn'
if (!exists("fig_w")) fig_w = 1400
if (!exists("fig_h")) fig_h = 700
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/desplazamientos_comparacion.csv'
stats f using (valid(3) ? 1 : 0) nooutput
have_mlp = STATS_max > 0

# x of a row: −pixels for the first direction of the panel, +pixels for the second
xof(neg, pos) = strcol('direccion') eq neg ? -column('pixeles') : \
                strcol('direccion') eq pos ? column('pixeles') : NaN
is(name) = strcol('direccion') eq name

set xrange [-4.5:4.5]
set yrange [0:108]
set ytics 0, 10, 100
set xtics 1
set ylabel tr('exactitud en prueba (%)', 'test accuracy (%)')
set key bottom center box opaque samplen 2 width 1

stats f using (column('pixeles') == 0 ? 100 * column('exactitud_cnn') : NaN) nooutput
cnn0 = STATS_max
if (have_mlp) {
    stats f using (column('pixeles') == 0 ? 100 * column('exactitud_mlp') : NaN) nooutput
    mlp0 = STATS_max
    title = tr('Dígitos de prueba desplazados: exactitud de la MLP (azul) y de la CNN (naranja)', \
               'Shifted test digits: accuracy of the MLP (blue) and of the CNN (orange)')
    subtitle = sprintf(tr('sin desplazar (0 píxeles): MLP %.2f %%, CNN %.2f %%', \
                          'unshifted (0 pixels): MLP %.2f %%, CNN %.2f %%'), mlp0, cnn0)
} else {
    title = tr('Dígitos de prueba desplazados: exactitud de la CNN (naranja); falta la MLP: make chapter3', \
               'Shifted test digits: accuracy of the CNN (orange); the MLP is missing: make chapter3')
    subtitle = sprintf(tr('sin desplazar (0 píxeles): CNN %.2f %%', 'unshifted (0 pixels): CNN %.2f %%'), cnn0)
}
set multiplot layout 1, 2 title title."\n{/*0.8 ".subtitle."}" font ',15' margins 0.07, 0.98, 0.12, 0.84 spacing 0.06

do for [panel = 1:2] {
    neg = panel == 1 ? 'izquierda' : 'arriba'
    pos = panel == 1 ? 'derecha' : 'abajo'
    if (panel == 1) {
        set title tr('horizontal', 'horizontal')
        set xlabel tr('píxeles: ← a la izquierda (−)    a la derecha (+) →', \
                      'pixels: ← to the left (−)    to the right (+) →')
    } else {
        set title tr('vertical', 'vertical')
        set xlabel tr('píxeles: ← hacia arriba (−)    hacia abajo (+) →', \
                      'pixels: ← up (−)    down (+) →')
    }
    plot f using (is(neg) ? -column('pixeles') : NaN):(100 * column('exactitud_mlp')) \
           with linespoints lt 1 title (have_mlp ? tr('MLP (capítulo 3)', 'MLP (chapter 3)') : ''), \
         f using (is(pos) ? column('pixeles') : NaN):(100 * column('exactitud_mlp')) \
           with linespoints lt 1 notitle, \
         f using (is(neg) ? -column('pixeles') : NaN):(100 * column('exactitud_cnn')) \
           with linespoints lt 2 title tr('CNN (capítulo 4)', 'CNN (chapter 4)'), \
         f using (is(pos) ? column('pixeles') : NaN):(100 * column('exactitud_cnn')) \
           with linespoints lt 2 notitle, \
         f using (xof(neg, pos)):(100 * column('exactitud_mlp')): \
           (column('pixeles') > 0 ? sprintf('%.1f', 100 * column('exactitud_mlp')) : '') \
           with labels offset 0, -1.1 font ',10' tc lt 1 notitle, \
         f using (xof(neg, pos)):(100 * column('exactitud_cnn')): \
           (column('pixeles') > 0 ? sprintf('%.1f', 100 * column('exactitud_cnn')) : '') \
           with labels offset 0, 1.1 font ',10' tc lt 2 notitle
}
unset multiplot
