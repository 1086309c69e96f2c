# plots/ch4_fig4_filtro_borde.gp — notes §4.1, Figure 4: the vertical-edge
# filter [−1 0 1; −1 0 1; −1 0 1] laid on two 3×3 patches of an image: a flat
# white patch (all 255) gives −765 + 0 + 765 = 0, the edge patch [0 255 255]
# gives 0 + 0 + 765 = 765. fig4_parches.csv: panel,row,col,value (panel 0 the
# filter, 1 the flat patch, 2 the edge patch); fig4_respuestas.csv: panel,response.
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1200
fig_h = 480
script = ARG0
load 'plots/common.gp'

f = datadir.'/fig4_parches.csv'
r = datadir.'/fig4_respuestas.csv'
set datafile columnheaders
stats r every ::0::0 using 'response' nooutput
flat = STATS_max
stats r every ::1::1 using 'response' nooutput
edge = STATS_max

unset grid
unset key
unset colorbox
set size ratio -1
set xrange [-0.5:2.5]
set yrange [2.5:-0.5]
set xtics 0,1,2 scale 0
set ytics 0,1,2 scale 0
set cbrange [0:255]
set palette gray
set multiplot layout 1,3 title tr('Figura 4: el filtro de bordes verticales sobre dos zonas de la imagen', \
                                   'Figure 4: the vertical-edge filter on two patches of the image') font ',15'
# the filter: red for −1, white 0, blue +1
set palette defined (-1 '#D55E00', 0 '#FFFFFF', 1 '#0072B2')
set cbrange [-1:1]
set title tr('filtro 3×3: −1 a la izquierda, +1 a la derecha', '3×3 filter: −1 left, +1 right')
plot f every ::0::8 using 'col':'row':'value' with image, \
     '' every ::0::8 using 'col':'row':(sprintf('%+g', column('value'))) with labels font ',16'
set palette gray
set cbrange [0:255]
set title sprintf(tr('zona blanca (255): suma = %g', 'flat white patch (255): sum = %g'), flat)
plot f every ::9::17 using 'col':'row':'value' with image, \
     '' every ::9::17 using 'col':'row':(sprintf('%g', column('value'))) with labels font ',16' tc rgb '#D55E00'
set title sprintf(tr('borde negro → blanco: suma = %g', 'black → white edge: sum = %g'), edge)
plot f every ::18::26 using 'col':'row':'value' with image, \
     '' every ::18::26 using 'col':'row':(sprintf('%g', column('value'))) with labels font ',16' tc rgb '#D55E00'
unset multiplot
