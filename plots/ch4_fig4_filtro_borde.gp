# plots/ch4_fig4_filtro_borde.gp — notes §4.1, Figure 4: the vertical-edge
# filter [−1 0 1; −1 0 1; −1 0 1] laid on two 3×3 patches of an image: a flat
# white patch (all 255) gives −765 + 0 + 765 = 0, the edge patch [0 255 255]
# gives 0 + 0 + 765 = 765. Under each patch, each column's products summed
# (the notes' arithmetic). fig4_parches.csv: panel,row,col,value (panel 0 the
# filter, 1 the flat patch, 2 the edge patch); fig4_columnas.csv:
# panel,col,product; fig4_respuestas.csv: panel,response.
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1300
fig_h = 560
script = ARG0
load 'plots/common.gp'

f = datadir.'/fig4_parches.csv'
r = datadir.'/fig4_respuestas.csv'
cols = datadir.'/fig4_columnas.csv'
set datafile columnheaders
stats r every ::0::0 using 'response' nooutput
flat = STATS_max
stats r every ::1::1 using 'response' nooutput
edge = STATS_max
# each column's sum of products, as the panels' captions (panel 1 and 2)
array P[6]
do for [k=0:5] {
    stats cols every ::k::k using 'product' nooutput
    P[k + 1] = STATS_max
}
# "−765", "0", "+765": a real minus sign, no "+0"
signed(v) = v > 0 ? sprintf('+%g', v) : (v < 0 ? sprintf('−%g', -v) : '0')

unset grid
unset key
unset colorbox
set size ratio -1
set xrange [-0.5:2.5]
set yrange [3.2:-0.5]
set xtics scale 0
set xtics (tr('izq.', 'left') 0, tr('centro', 'centre') 1, tr('der.', 'right') 2)
unset ytics
set border 0
set lmargin 2
set rmargin 2
# each 3×3 grid framed, its cells separated by thin lines
set object 1 rect from -0.5,-0.5 to 2.5,2.5 front fillstyle empty border lc rgb '#444444' lw 1.5
do for [k=1:2] {
    set arrow (10 + k) from k - 0.5, -0.5 to k - 0.5, 2.5 nohead front lc rgb '#999999' lw 0.8
    set arrow (20 + k) from -0.5, k - 0.5 to 2.5, k - 0.5 nohead front lc rgb '#999999' lw 0.8
}
set multiplot layout 1,3 title tr('Figura 4: el filtro de bordes verticales sobre dos zonas de la imagen', \
                                   'Figure 4: the vertical-edge filter on two patches of the image') font ',16'
# the filter: orange for −1, white 0, blue +1
set palette defined (-1 '#D55E00', 0 '#FFFFFF', 1 '#0072B2')
set cbrange [-1:1]
set title tr("el filtro 3×3\n(naranja −1, blanco 0, azul +1)", "the 3×3 filter\n(orange −1, white 0, blue +1)") font ',14'
set label 1 tr('× cada píxel de la zona, y se suma', '× each pixel of the patch, then add') at 1, 2.85 center font ',13'
plot f every ::0::8 using 'col':'row':'value' with image, \
     '' every ::0::8 using 'col':'row':(signed(column('value'))) with labels font ',18'
unset label 1
set palette gray
set cbrange [0:255]
set title sprintf(tr("zona blanca (todo 255)\nsuma = %s: no hay borde", "flat white patch (all 255)\nsum = %s: no edge"), signed(flat)) font ',14'
set label 2 sprintf('%s', signed(P[1])) at 0, 2.85 center font ',15' tc rgb '#D55E00'
set label 3 sprintf('%s', signed(P[2])) at 1, 2.85 center font ',15'
set label 4 sprintf('%s', signed(P[3])) at 2, 2.85 center font ',15' tc rgb '#0072B2'
set label 5 tr('filtro × zona, sumado por columna:', 'filter × patch, summed per column:') at -0.45, 2.62 left font ',12'
plot f every ::9::17 using 'col':'row':'value' with image, \
     '' every ::9::17 using 'col':'row':(sprintf('%g', column('value'))) with labels font ',16' tc rgb '#D55E00'
set label 2 sprintf('%s', signed(P[4]))
set label 3 sprintf('%s', signed(P[5]))
set label 4 sprintf('%s', signed(P[6]))
set title sprintf(tr("borde negro → blanco (0 | 255 255)\nsuma = %s: borde vertical", "black → white edge (0 | 255 255)\nsum = %s: vertical edge"), signed(edge)) font ',14'
plot f every ::18::26 using 'col':'row':'value' with image, \
     '' every ::18::26 using 'col':'row':(sprintf('%g', column('value'))) with labels font ',16' tc rgb '#D55E00'
unset multiplot
