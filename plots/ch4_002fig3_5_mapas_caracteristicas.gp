# plots/ch4_002fig3_5_mapas_caracteristicas.gp — thesis 002 Fig 3.5 and notes
# §4.2: one test digit's feature maps after each stop of the network —
# conv1+ReLU (32 of 26×26), max-pool (32 of 13×13), conv2+ReLU (64 of 11×11),
# max-pool (64 of 5×5). Each map is scaled to its own maximum (black 0, white
# its largest activation), so faint maps still show their shape.
# mapas_*.csv: x,y,value,inside (plotdata.h's image grid: 8 maps a row, 1 pixel
# apart; inside = 0 on the gaps, drawn blank).
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1500
fig_h = 900
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
unset grid
unset key
unset colorbox
unset xtics
unset ytics
unset border
set size ratio -1
set palette gray
set cbrange [0:1]
img(name) = datadir.'/mapas_'.name.'.csv'
set multiplot title tr('Mapas de características de un dígito tras cada parada de la red', \
                       'Feature maps of one digit after each stop of the network') font ',15'
set title tr('entrada 1×28×28', 'input 1×28×28')
set size 0.16, 0.4
set origin 0.0, 0.5
set autoscale xy
set yrange [*:*] reverse
plot img('entrada') using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image
set title tr('conv1 + ReLU: 32×26×26', 'conv1 + ReLU: 32×26×26')
set size 0.42, 0.45
set origin 0.16, 0.47
plot img('conv1') using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image
set title tr('max-pool: 32×13×13', 'max-pool: 32×13×13')
set origin 0.58, 0.47
plot img('pool1') using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image
set title tr('conv2 + ReLU: 64×11×11', 'conv2 + ReLU: 64×11×11')
set size 0.42, 0.45
set origin 0.16, 0.0
plot img('conv2') using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image
set title tr('max-pool: 64×5×5 (→ 1600 al aplanar)', 'max-pool: 64×5×5 (→ 1600 flattened)')
set origin 0.58, 0.0
plot img('pool2') using 'x':'y':(column('inside') > 0 ? column('value') : NaN) with image
unset multiplot
