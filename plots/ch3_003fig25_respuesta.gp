# plots/ch3_003fig25_respuesta.gp — paper 003 Fig 25, "Respuesta de la red
# neuronal, identificando un 4 en la imagen": the first test image labelled 4,
# titled as 003's main.py titles it (the label, then what the network says),
# and beside it the ten outputs of 003's network as chapter 3 replicates it
# (784–20–20–10 sigmoid, trained 4 epochs): its answer is the largest, in
# blue. respuesta_003.csv: x,y,value; respuesta_003_salidas.csv:
# clase,activacion; respuesta_003_info.csv: indice,etiqueta,respuesta.
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_w = 1200
fig_h = 620
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
info = datadir.'/respuesta_003_info.csv'
stats info using 'indice' nooutput
idx = int(STATS_max)
stats info using 'etiqueta' nooutput
lab = int(STATS_max)
stats info using 'respuesta' nooutput
ans = int(STATS_max)

set multiplot title tr(sprintf('Artículo 003, Fig 25: la respuesta de la red (784–20–20–10) a la imagen de prueba %d', idx), \
                       sprintf('Paper 003, Fig 25: the network''s (784–20–20–10) answer for test image %d', idx)) font ',14'
set origin 0.0, 0.0
set size 0.45, 0.92
set title tr(sprintf("la etiqueta dice: %d\nla red dice: %d", lab, ans), sprintf("label says: %d\nnetwork says: %d", lab, ans)) font ',14'
set size ratio -1
set xrange [-0.5:27.5]
set yrange [27.5:-0.5]
set xtics 0, 5, 27 out nomirror
set ytics 0, 5, 27 out nomirror
unset grid
set palette gray
set cbrange [0:1]
unset colorbox
plot datadir.'/respuesta_003.csv' using 'x':'y':'value' with image

set origin 0.47, 0.02
set size 0.52, 0.86
set size noratio
set title tr('las 10 salidas de la red (sigmoides); la mayor es su respuesta', 'the network''s 10 outputs (sigmoids); the largest is its answer') font ',12'
set xrange [-0.6:9.6]
set yrange [0:1.12]
set xtics 1 scale 0 nomirror
set ytics 0, 0.2, 1 nomirror
set grid ytics
set xlabel tr('dígito', 'digit')
set ylabel tr('activación de salida', 'output activation')
set style fill solid 0.85 border lc rgb '#444444'
plot datadir.'/respuesta_003_salidas.csv' using 'clase':'activacion':(0.7):(column('clase') == ans ? 0x0072B2 : 0xBBBBBB) with boxes lc rgb variable notitle, \
     '' using 'clase':'activacion':(sprintf('%.3f', column('activacion'))) with labels offset 0, 0.8 font ',11' notitle
unset multiplot
