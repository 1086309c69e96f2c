# plots/ch4_002fig3_8_9_average_pooling.gp — thesis 002 Figs 3.8 and 3.9:
# average pooling of the same 4×4 input. Top row: a 2×2 window slid with
# stride 1 (3×3 out) or stride 2 (2×2 out); the input shows the window's
# first place (solid) and its second with each stride (dashed), each output
# the cell framed the same way. Bottom row: a 3×3 window, stride 1, padding 1:
# the input inside a ring of zeros (grey), the window's first place, and the
# 4×4 output (the padding keeps the size; its zeros count in the average, as
# in PyTorch's count_include_pad=True). Output size ⌊(n + 2p − k)/s⌋ + 1.
# pool_*.csv: row,col,value.
if (!exists("datadir")) datadir = 'out/04-cnn'
fig_w = 1400
fig_h = 980
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
unset grid
unset key
unset colorbox
set size ratio -1
unset xtics
unset ytics
set palette defined (0 '#FFFFFF', 10 '#6BAED6')
set cbrange [0:10]
win1 = '#D55E00'   # the window's first place (orange)
win2 = '#009E73'   # stride 1's second place (green)
win3 = '#CC79A7'   # stride 2's second place (pink)
frame(n, x0, y0, x1, y1, colour, dash) = \
    sprintf("set object %d rect from %g,%g to %g,%g front fillstyle empty border lc rgb '%s' lw 4 dt %d", \
            n, x0, y0, x1, y1, colour, dash)

# the first place of the window is the average (1 + 3 + 5 + 6)/4 = 3.75
set multiplot layout 2,3 title tr('Average pooling (002 Figs 3.8 y 3.9): tamaño de salida = ⌊(n + 2p − k)/s⌋ + 1', \
                                   'Average pooling (002 Figs 3.8 and 3.9): output size = ⌊(n + 2p − k)/s⌋ + 1') font ',16'
set title tr("entrada 4×4 y la ventana 2×2: naranja su primer lugar,\nverde el segundo con s=1, rosa el segundo con s=2", \
             "4×4 input and the 2×2 window: orange its first place,\ngreen the second with s=1, pink the second with s=2") font ',12'
set xrange [-0.7:3.7]
set yrange [3.7:-0.7]
eval frame(1, -0.45, -0.45, 1.45, 1.45, win1, 1)
eval frame(2, 0.55, -0.4, 2.45, 1.4, win2, 2)
eval frame(3, 1.6, -0.35, 3.4, 1.35, win3, 2)
plot datadir.'/pool_entrada.csv' using 'col':'row':'value' with image, \
     '' using 'col':'row':(sprintf('%g', column('value'))) with labels font ',16'
unset object 1; unset object 2; unset object 3
set title tr("k=2, s=1: ⌊(4−2)/1⌋+1 = 3\n(1+3+5+6)/4 = 3.75, luego (3+2+6+1)/4 = 3", \
             "k=2, s=1: ⌊(4−2)/1⌋+1 = 3\n(1+3+5+6)/4 = 3.75, then (3+2+6+1)/4 = 3") font ',12'
set xrange [-0.6:2.6]
set yrange [2.6:-0.6]
eval frame(1, -0.45, -0.45, 0.45, 0.45, win1, 1)
eval frame(2, 0.55, -0.45, 1.45, 0.45, win2, 2)
plot datadir.'/pool_media_s1.csv' using 'col':'row':'value' with image, \
     '' using 'col':'row':(sprintf('%.2f', column('value'))) with labels font ',14'
unset object 1; unset object 2
set title tr("k=2, s=2: ⌊(4−2)/2⌋+1 = 2\nlas ventanas no se solapan", \
             "k=2, s=2: ⌊(4−2)/2⌋+1 = 2\nthe windows do not overlap") font ',12'
set xrange [-0.6:1.6]
set yrange [1.6:-0.6]
eval frame(1, -0.45, -0.45, 0.45, 0.45, win1, 1)
eval frame(3, 0.55, -0.45, 1.45, 0.45, win3, 2)
plot datadir.'/pool_media_s2.csv' using 'col':'row':'value' with image, \
     '' using 'col':'row':(sprintf('%.2f', column('value'))) with labels font ',16'
unset object 1; unset object 3

# bottom row: padding 1, the ring of zeros in grey around the same input
set title tr("relleno p=1: un anillo de ceros (gris) alrededor\ny la ventana 3×3 en su primer lugar (naranja)", \
             "padding p=1: a ring of zeros (grey) around it\nand the 3×3 window at its first place (orange)") font ',12'
set xrange [-1.7:4.7]
set yrange [4.7:-1.7]
set object 5 rect from -1.5,-1.5 to 4.5,4.5 back fillstyle solid 1.0 noborder fc rgb '#D9D9D9'
set object 6 rect from -0.5,-0.5 to 3.5,3.5 front fillstyle empty border lc rgb '#444444' lw 1.5
do for [k=-1:4] {
    set label (100 + k) '0' at k, -1 center font ',14' tc rgb '#666666'
    set label (110 + k) '0' at k, 4 center font ',14' tc rgb '#666666'
}
do for [k=0:3] {
    set label (120 + k) '0' at -1, k center font ',14' tc rgb '#666666'
    set label (130 + k) '0' at 4, k center font ',14' tc rgb '#666666'
}
eval frame(1, -1.45, -1.45, 1.45, 1.45, win1, 1)
plot datadir.'/pool_entrada.csv' using 'col':'row':'value' with image, \
     '' using 'col':'row':(sprintf('%g', column('value'))) with labels font ',16'
unset object 1; unset object 5; unset object 6; unset label
set title tr("k=3, s=1, p=1: ⌊(4+2−3)/1⌋+1 = 4 (el tamaño se mantiene)\n(0+0+0+0+1+3+0+5+6)/9 = 1.67: los ceros cuentan", \
             "k=3, s=1, p=1: ⌊(4+2−3)/1⌋+1 = 4 (the size stays)\n(0+0+0+0+1+3+0+5+6)/9 = 1.67: the zeros count") font ',12'
set xrange [-0.7:3.7]
set yrange [3.7:-0.7]
eval frame(1, -0.45, -0.45, 0.45, 0.45, win1, 1)
plot datadir.'/pool_media_p1.csv' using 'col':'row':'value' with image, \
     '' using 'col':'row':(sprintf('%.2f', column('value'))) with labels font ',14'
unset object 1
unset multiplot
