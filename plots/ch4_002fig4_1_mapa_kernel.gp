# plots/ch4_002fig4_1_mapa_kernel.gp — thesis 002 Fig 4.1: "the feature map
# obtained by passing kernel K2 of a convolutional layer over an input
# image", from the trained network: the test digit, conv1's learned filter 2
# (the figure's K2) with its nine weights, the map conv1 makes of the digit
# with it (26×26, bias included, before the ReLU: orange negative, blue
# positive) and what F.relu keeps of it.
# mapa_kernel.csv: panel,row,col,value (0 the image 28×28, 1 the kernel 3×3,
# 2 conv1's output 26×26, 3 after ReLU); mapa_kernel_info.csv:
# kernel,bias,index,label,z_min,z_max.
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1700
fig_h = 560
script = ARG0
load 'plots/common.gp'

f = datadir.'/mapa_kernel.csv'
info = datadir.'/mapa_kernel_info.csv'
set datafile columnheaders
stats info using 'kernel' nooutput
K = int(STATS_max)
stats info using 'bias' nooutput
bias = STATS_max
stats info using 'label' nooutput
digit = int(STATS_max)
stats info using 'z_min' nooutput
zmin = STATS_max
stats info using 'z_max' nooutput
zmax = STATS_max
zm = abs(zmin) > abs(zmax) ? abs(zmin) : abs(zmax)
stats f using (column('panel') == 1 ? abs(column('value')) : NaN) nooutput
wm = STATS_max
# the rows of each panel in the file: 784 pixels, 9 weights, 676 and 676 map cells
i0 = 0; i1 = 784; i2 = 793; i3 = 1469

unset grid
unset key
unset xtics
unset ytics
set size ratio -1
set cbtics font ',11'
set multiplot layout 1,4 title sprintf(tr('002 Figura 4.1: el mapa de características del filtro K%d de conv1 (aprendido) sobre un %d', \
                                          '002 Figure 4.1: the feature map of conv1''s learned filter K%d on a %d'), K, digit) font ',16'
set title tr('la imagen (píxel / 255)', 'the image (pixel / 255)') font ',13'
set xrange [-0.5:27.5]
set yrange [27.5:-0.5]
set palette gray
set cbrange [0:1]
plot f every ::i0::(i1 - 1) using 'col':'row':'value' with image
set title sprintf(tr("el filtro K%d (3×3) y sus pesos\nsesgo %.3f", "filter K%d (3×3) and its weights\nbias %.3f"), K, bias) font ',13'
set xrange [-0.5:2.5]
set yrange [2.5:-0.5]
set palette defined (-1 '#D55E00', 0 '#FFFFFF', 1 '#0072B2')
set cbrange [-wm:wm]
plot f every ::i1::(i2 - 1) using 'col':'row':'value' with image, \
     '' every ::i1::(i2 - 1) using 'col':'row':(sprintf('%.2f', column('value'))) with labels font ',13'
set title sprintf(tr("conv1(x) con K%d, 26×26, antes de la ReLU\nnaranja < 0, azul > 0 (de %.2f a %.2f)", \
                     "conv1(x) with K%d, 26×26, before the ReLU\norange < 0, blue > 0 (%.2f to %.2f)"), K, zmin, zmax) font ',13'
set xrange [-0.5:25.5]
set yrange [25.5:-0.5]
set cbrange [-zm:zm]
plot f every ::i2::(i3 - 1) using 'col':'row':'value' with image
set title tr("tras F.relu: lo que pasa a pool1\n(lo negativo queda en 0)", "after F.relu: what goes on to pool1\n(the negative part becomes 0)") font ',13'
set palette defined (0 '#FFFFFF', 1 '#0072B2')
set cbrange [0:zm]
plot f every ::i3::(i3 + 675) using 'col':'row':'value' with image
unset multiplot
