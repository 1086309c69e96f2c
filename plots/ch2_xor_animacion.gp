# plots/ch2_xor_animacion.gp — notes §2.3 in motion: the XOR network of the
# main rate (η = 0.5 by default) learning, a frame every 1 % of the epochs.
# Left: what the network answers over [0,1]² (aprendizaje_superficie.csv,
# a grid of G × G rows per frame), the four examples and each hidden
# neuron's line z = 0. Right: the four examples as the hidden layer sees
# them, (h1, h2) (aprendizaje_fotogramas.csv), with the output neuron's line
# ŷ = 0.5 in that plane (notes §2: "estas neuronas crearán nuevas
# dimensiones") and a faint trail of where each example has been. The MSE
# is the curve of Fig 2 at that epoch.
#
# An animated GIF whatever `fmt` says (the Makefile's draw macro: a script
# named *_animacion.gp). It does not load plots/common.gp, which would open
# a .png output; it keeps its language switch and colours.
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
if (!exists("outdir")) outdir = datadir.'/fig'
if (!exists("lang")) lang = 'es'
tr(es, en) = (lang eq 'en') ? en : es

frames = datadir.'/aprendizaje_fotogramas.csv'
surface = datadir.'/aprendizaje_superficie.csv'
set datafile separator ','
set datafile columnheaders
set encoding utf8

stats frames using 1 nooutput
N = int(STATS_records)
array EPOCH[N]
array MSE[N]
stats frames using (i = int($0) + 1, EPOCH[i] = $2, MSE[i] = $3, 0) nooutput
stats frames every ::0::0 using 4 nooutput
H = int(STATS_min)
stats surface using 1 nooutput
G = int(sqrt(STATS_records / N) + 0.5)   # points per side of each frame's grid

set terminal gif animate delay 10 loop 0 optimize size 980, 520 font 'DejaVuSans,12' enhanced
set output outdir.'/ch2_xor_animacion.gif'

set style line 11 lc rgb '#00A070' lw 2 dt (6, 5)
set palette defined (0 '#2166ac', 0.5 '#f7f7f7', 1 '#b2182b')
# Ten bands of ŷ, not a smooth ramp: a GIF frame holds at most 256 colours,
# and flat bands keep each frame small (and read like contour lines).
set palette maxcolors 10
set cbrange [0:1]
set grid lc rgb '#dddddd'
set border lc rgb '#444444'
# columns of example k (0: (0,0), 1: (0,1), 2: (1,0), 3: (1,1)) in the frames;
# (0,1) and (1,0) end on the same spot: their labels go left and right
h1(k) = 5 + 3 * k
is_one(k) = (k == 1 || k == 2)
# h2 of example k; with a single hidden neuron (H = 1) there is none, and
# the examples sit on the line h2 = 0.5
hy(k) = (H > 1) ? column(h1(k) + 1) : 0.5
ex_label(k) = sprintf('(%d,%d)', k / 2, k % 2)
# A line's end j (0..3: xa, ya, xb, yb) from the 4 columns at c; a line that
# misses the square has empty cells: it becomes a point far outside the
# plot (clipped away) instead of a row gnuplot warns about.
seg(c, j) = valid(c) ? column(c + j) : -9

# the four examples and their targets (x1, x2, y)
$XOR << EOD
x1,x2,y
0,0,0
0,1,1
1,0,1
1,1,0
EOD

do for [f = 1:N] {
    set multiplot title sprintf(tr('Una red 2-%d-1 aprende XOR (notas §2.3) — época %d de %d, MSE = %.4f   [%d/%d]', \
                                   'A 2-%d-1 network learns XOR (notes §2.3) — epoch %d of %d, MSE = %.4f   [%d/%d]'), \
                                H, EPOCH[f], EPOCH[N], MSE[f], f, N) font ',13'

    # --- left: the decision surface ---------------------------------------
    set origin -0.02, 0.0
    set size 0.47, 0.93
    set size ratio -1
    set xrange [-0.07:1.07]
    set yrange [-0.07:1.07]
    set xtics 0.5
    set ytics 0.5
    set xlabel 'x_1'
    set ylabel 'x_2' offset 1, 0
    set colorbox vertical user origin 0.445, 0.2 size 0.015, 0.55
    set cbtics 0.5
    set title tr('ŷ sobre el cuadrado (● y = 1, ○ y = 0)', 'ŷ over the square (● y = 1, ○ y = 0)')
    unset key
    # each cell of the grid a square of ŷ (the grid's step is 1/20)
    plot surface every ::((f - 1) * G * G)::(f * G * G - 1) using 2:3:4 with image notitle, \
         for [c = 17:21:4] frames every ::(f - 1)::(f - 1) using (seg(c, 0)):(seg(c, 1)):(seg(c, 2) - seg(c, 0)):(seg(c, 3) - seg(c, 1)) \
             with vectors nohead ls 11 notitle, \
         $XOR using 1:($3 > 0.5 ? $2 : NaN) with points pt 7 ps 2.6 lc rgb 'black' notitle, \
         $XOR using 1:($3 > 0.5 ? NaN : $2) with points pt 7 ps 2.6 lc rgb 'white' notitle, \
         $XOR using 1:($3 > 0.5 ? NaN : $2) with points pt 6 ps 2.6 lw 1.5 lc rgb 'black' notitle
    unset colorbox

    # --- right: the hidden layer's view --------------------------------------
    set origin 0.5, 0.0
    set size 0.5, 0.93
    set xrange [-0.05:1.05]
    set yrange [-0.05:1.05]
    set xlabel tr('h_1: salida de la neurona oculta 1', 'h_1: output of hidden neuron 1')
    set ylabel tr('h_2: salida de la neurona oculta 2', 'h_2: output of hidden neuron 2') offset 1, 0
    set title (H == 2 ? tr('Cómo ve la capa oculta los 4 ejemplos', 'How the hidden layer sees the 4 examples') \
                      : sprintf(tr('La capa oculta (H = %d: solo h_1 y h_2)', 'The hidden layer (H = %d: h_1 and h_2 only)'), H)) \
              .tr("\n{/*0.85 ● y = 1, ■ y = 0; en negro la recta ŷ = 0.5 de la salida}", \
                  "\n{/*0.85 ● y = 1, ■ y = 0; in black the output's line ŷ = 0.5}")
    unset key
    plot for [k = 0:3] frames every ::0::(f - 1) using (column(h1(k))):(hy(k)) with lines \
             lw 1 lc rgb (is_one(k) ? '#f0b898' : '#a8c8e0') notitle, \
         frames every ::(f - 1)::(f - 1) using (seg(25, 0)):(seg(25, 1)):(seg(25, 2) - seg(25, 0)):(seg(25, 3) - seg(25, 1)) \
             with vectors nohead lw 2.5 lc rgb '#333333' \
             title tr('recta de la salida (ŷ = 0.5)', 'output line (ŷ = 0.5)'), \
         for [k = 1:2] frames every ::(f - 1)::(f - 1) using (column(h1(k))):(hy(k)) with points pt 7 ps 2.4 lc rgb '#D55E00' \
             title (k == 1 ? 'y = 1' : ''), \
         for [k = 0:3:3] frames every ::(f - 1)::(f - 1) using (column(h1(k))):(hy(k)) with points pt 5 ps 2.2 lc rgb '#0072B2' \
             title (k == 0 ? 'y = 0' : ''), \
         for [k = 0:3] frames every ::(f - 1)::(f - 1) using (column(h1(k)) + (k == 1 ? -0.06 : k == 2 ? 0.06 : 0)):(hy(k) + 0.07):(ex_label(k)) with labels font ',10' notitle
    unset multiplot
}
unset output
