# plots/ch4_saliencia_gradcam.gp — thesis 002 §4.2: where the trained network
# looks. For the first correctly classified test digit of each class: the
# digit; its saliency map M = |∂S_c/∂I| (eq. 4.1; S_c the class score before
# the softmax); its Grad-CAM map with the digit's strokes drawn over it.
# Grad-CAM is computed on what the classifier reads, pool2's 5×5 output
# (explain.c says why): the weights α_k are the mean gradient of S_c over
# pool2's map k, each term α_k·P_k sits on the conv2 cell pool2 took it
# from, and the map is ReLU(sum), stretched from conv2's 11×11 to 28×28.
# Each map is scaled to its own maximum (the colour bars: 0 to 1 of it), and
# that maximum is printed under the map. A Grad-CAM map is empty when the
# weighted sum is negative everywhere: the caption then gives its largest
# value, which the ReLU clips.
# saliencia_digitos.csv, saliencia.csv, gradcam.csv: x,y,value,inside
# (plotdata.h's image grid: ten 28×28 tiles 2 pixels apart and from the
# edges, so tile c spans x = 2 + 30c .. 29 + 30c and y = 2 .. 29);
# saliencia_clases.csv: class,index,x_center,probability,saliency_max,
# gradcam_max,gradcam_peak_sum.
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1700
fig_h = 900
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
unset grid
unset key
unset ytics
unset border
set size ratio -1
set xrange [1.5:299.5]
set yrange [34:1.5]
set cbrange [0:1]
set cbtics 0,0.5,1 font ',11'
set colorbox vertical user origin 0.935, 0 size 0.012, 0  # placed per row below
cls = datadir.'/saliencia_clases.csv'
set xtics scale 0 font ',12' offset 0,0.3
set xtics ()
do for [c=0:9] { set xtics add (sprintf('%d', c) 15.5 + 30*c) }
set lmargin at screen 0.02
set rmargin at screen 0.92
set multiplot title tr('Mapas de saliencia |∂S_c/∂I| y Grad-CAM de un dígito de cada clase', \
                       'Saliency maps |∂S_c/∂I| and Grad-CAM for one digit of each class') font ',16'
rowh = 0.3
row(k) = 0.93 - (k + 1) * rowh
# --- the digits
set tmargin at screen row(0) + rowh
set bmargin at screen row(0)
set colorbox user origin screen 0.935, row(0) + 0.06 size screen 0.012, rowh - 0.12
set cblabel tr('píxel / 255', 'pixel / 255') font ',11'
set palette gray
set title tr('dígito (bien clasificado) y la probabilidad que le da la red', \
             'digit (correctly classified) and the probability the network gives it') font ',13'
plot datadir.'/saliencia_digitos.csv' using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image, \
     cls using 'x_center':(32):(sprintf('P = %.3f', column('probability'))) with labels font ',11'
# --- saliency
set tmargin at screen row(1) + rowh
set bmargin at screen row(1)
set colorbox user origin screen 0.935, row(1) + 0.06 size screen 0.012, rowh - 0.12
set cblabel tr('fracción del máximo del mapa', 'fraction of the map''s maximum') font ',11'
set palette defined (0 '#000000', 0.35 '#7A0177', 0.7 '#F768A1', 1 '#FFF7F3')
set title tr('saliencia: píxeles cuyo cambio más mueve la puntuación de la clase (debajo, el máximo de |∂S_c/∂I|)', \
             'saliency: pixels whose change moves the class score most (below, the largest |∂S_c/∂I|)') font ',13'
plot datadir.'/saliencia.csv' using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image, \
     cls using 'x_center':(32):(sprintf(tr('máx %.3g', 'max %.3g'), column('saliency_max'))) with labels font ',11'
# --- Grad-CAM
set tmargin at screen row(2) + rowh
set bmargin at screen row(2)
set colorbox user origin screen 0.935, row(2) + 0.06 size screen 0.012, rowh - 0.12
set palette defined (0 '#000080', 0.3 '#0072B2', 0.55 '#56B4E9', 0.75 '#F0E442', 1 '#D55E00')
set title tr('Grad-CAM sobre la salida de pool2 (lo que lee fc1), con el trazo del dígito encima (debajo, su máximo)', \
             'Grad-CAM on pool2''s output (what fc1 reads), with the digit''s strokes on top (below, its maximum)') font ',13'
caption(peak, mx) = peak > 0 ? sprintf(tr('máx %.3g', 'max %.3g'), mx) \
                             : sprintf(tr('vacío: Σ α·P ≤ %.2g', 'empty: Σ α·P ≤ %.2g'), peak)
plot datadir.'/gradcam.csv' using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image, \
     datadir.'/saliencia_digitos.csv' using 'x':'y':(255):(255):(255):(column('inside') > 0 ? 150*column('value') : 0) with rgbalpha, \
     cls using 'x_center':(32):(caption(column('gradcam_peak_sum'), column('gradcam_max'))) with labels font ',11'
unset multiplot
