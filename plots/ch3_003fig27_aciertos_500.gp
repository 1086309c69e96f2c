# plots/ch3_003fig27_aciertos_500.gp — seed 003 (the paper) Fig 27: hits
# (green, #009E73) and misses (orange, #D55E00: name it "naranja" in text,
# as drawn) on the first 500 test images, 25 per row, for 003's network as we
# replicated it (784–20–20–10, summed gradient) and for the default network
# of §3.4. aciertos_500_003.csv / aciertos_500.csv: index,row,col,hit,...
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_w = 1200
fig_h = 560
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f1 = datadir.'/aciertos_500_003.csv'
f2 = datadir.'/aciertos_500.csv'
stats f1 using 'hit' nooutput
hits1 = int(STATS_sum); n1 = int(STATS_records)
stats f2 using 'hit' nooutput
hits2 = int(STATS_sum); n2 = int(STATS_records)

unset border
unset tics
unset grid
unset colorbox
set size ratio -1
set yrange [-0.5:19.5] reverse
set xrange [-0.5:24.5]
set palette defined (0 '#D55E00', 1 '#009E73')
set cbrange [0:1]
set multiplot layout 1,2 title tr("Aciertos (verde) y errores (naranja) en las 500 primeras imágenes de prueba\n" \
                                  ."{/*0.8 una casilla por imagen, 25 por fila, en el orden del fichero (003, Fig. 27)}", \
                                  "Hits (green) and misses (orange) on the first 500 test images\n" \
                                  ."{/*0.8 one cell per image, 25 a row, in file order (003, Fig 27)}")
set title sprintf(tr('Red de 003 (784–20–20–10): %d aciertos, %d errores', \
                     '003''s network (784–20–20–10): %d hits, %d misses'), hits1, n1 - hits1)
plot f1 using 'col':'row':'hit' with image
set title sprintf(tr('Red de §3.4 (784–128–64–10): %d aciertos, %d errores', \
                     '§3.4 network (784–128–64–10): %d hits, %d misses'), hits2, n2 - hits2)
plot f2 using 'col':'row':'hit' with image
unset multiplot
