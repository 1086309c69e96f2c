# plots/ch4_saliencia_gradcam.gp — thesis 002 §4.2: where the trained network
# looks. For the first correctly classified test digit of each class: the
# digit; its saliency map M = |∂S_c/∂I| (eq. 4.1; S_c the class score before
# the softmax); its Grad-CAM map (conv2's ReLU maps weighted by the mean
# gradient of S_c, ReLU'd, stretched from 11×11 to 28×28) with the digit's
# strokes drawn over it. Each map scaled to its own maximum.
# saliencia_digitos.csv, saliencia.csv, gradcam.csv: x,y,value,inside
# (plotdata.h's image grid: ten 28×28 tiles 2 pixels apart and from the
# edges, so tile c spans x = 2 + 30c .. 29 + 30c and y = 2 .. 29: the ranges
# below leave out the outer margin);
# saliencia_clases.csv: class,index,x_center,probability.
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1600
fig_h = 700
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
unset grid
unset key
unset colorbox
unset ytics
unset border
set size ratio -1
set xrange [1.5:299.5]
set yrange [29.5:1.5]
set cbrange [0:1]
cls = datadir.'/saliencia_clases.csv'
set xtics scale 0 font ',12'
set xtics ()
do for [c=0:9] { set xtics add (sprintf('%d', c) 15.5 + 30*c) }
set multiplot layout 3,1 title tr('Mapas de saliencia |∂S_c/∂I| y Grad-CAM de un dígito de cada clase', \
                                   'Saliency maps |∂S_c/∂I| and Grad-CAM for one digit of each class') font ',15'
set palette gray
set title tr('dígito (bien clasificado)', 'digit (correctly classified)')
plot datadir.'/saliencia_digitos.csv' using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image
set palette defined (0 '#000000', 0.35 '#7A0177', 0.7 '#F768A1', 1 '#FFF7F3')
set title tr('saliencia: píxeles cuyo cambio más mueve la puntuación de la clase', \
             'saliency: pixels whose change moves the class score most')
plot datadir.'/saliencia.csv' using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image
set palette defined (0 '#000080', 0.3 '#0072B2', 0.55 '#56B4E9', 0.75 '#F0E442', 1 '#D55E00')
set title tr('Grad-CAM (conv2) con el trazo del dígito encima', 'Grad-CAM (conv2) with the digit''s strokes on top')
plot datadir.'/gradcam.csv' using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image, \
     datadir.'/saliencia_digitos.csv' using 'x':'y':(255):(255):(255):(column('inside') > 0 ? 150*column('value') : 0) with rgbalpha
unset multiplot
