# plots/ch2_superficie_decision.gp — what the trained XOR network answers
# over the whole square [0,1]² (superficie_decision.csv), with the four
# examples (capa_oculta.csv: x1, x2, y), the output's 0.5 contour, and each
# hidden neuron's line z = 0 (fronteras_ocultas.csv): two straight lines
# whose combination makes the curved XOR region (notes §2: "necesitas dos
# [líneas] o bien una curva").
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
fig_w = 1000
fig_h = 820
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

surface = datadir.'/superficie_decision.csv'
points = datadir.'/capa_oculta.csv'
lines = datadir.'/fronteras_ocultas.csv'

# The 0.5 contour, computed by gnuplot from the grid (blank line after each
# x1 block) into a table.
set contour base
set cntrparam levels discrete 0.5
unset surface
set datafile nocolumnheaders
set table $contour_raw
splot surface using 1:2:3 with lines
unset table
unset contour
# The table is written with spaces; rewrite it with commas for this script's
# separator (blank lines, which split the curves, are kept).
set print $contour
do for [i=1:|$contour_raw|] {
    l = $contour_raw[i]
    if (words(l) >= 2 && l[1:1] ne '#') { print sprintf('%s,%s', word(l, 1), word(l, 2)) }
    if (words(l) == 0) { print '' }
}
unset print
set datafile columnheaders

# The four examples are named in the title (black disc y = 1, white disc
# y = 0), so the key holds only the two kinds of line and stays narrow.
set title tr('Superficie de decisión de la red entrenada (● y = 1, ○ y = 0)', 'Decision surface of the trained network (● y = 1, ○ y = 0)')
set xlabel 'x_1'
set ylabel 'x_2'
set cblabel tr('salida de la red ŷ', 'network output ŷ')
set xrange [-0.05:1.05]
set yrange [-0.05:1.05]
set cbrange [0:1]
set size ratio -1
set palette defined (0 '#2166ac', 0.5 '#f7f7f7', 1 '#b2182b')
set key outside bottom center vertical maxrows 2 box opaque Left reverse width 1 samplen 2.5
set style textbox opaque noborder

plot surface using 1:2:3 with image notitle, \
     $contour using 1:2 with lines lc rgb 'black' lw 2.5 title tr('ŷ = 0.5 (frontera)', 'ŷ = 0.5 (boundary)'), \
     lines using 1:2:($3 - $1):($4 - $2) with vectors nohead dt (6,5) lw 2.5 lc rgb '#00A070' \
         title tr('recta z = 0 de cada neurona oculta', "each hidden neuron's line z = 0"), \
     lines using (0.5 * ($1 + $3)):(0.5 * ($2 + $4)):(sprintf('h_%d', $5)) with labels boxed font ',12' notitle, \
     points using 1:($3 > 0.5 ? $2 : NaN) with points pt 7 ps 3.2 lc rgb 'black' notitle, \
     points using 1:($3 > 0.5 ? NaN : $2) with points pt 7 ps 3.2 lc rgb 'white' notitle, \
     points using 1:($3 > 0.5 ? NaN : $2) with points pt 6 ps 3.2 lw 1.5 lc rgb 'black' notitle
