# plots/ch1_puertas_animacion.gp — notes §1.2 and §2's opening, in motion:
# the perceptron's line over the first 40 epochs, AND on the left (it
# settles: with seed 42 its last error is in epoch 25) and XOR on the right
# ("se quedará oscilando para siempre": from epoch 31 it visits the same
# lines again and again). A frame per example in the first 8 and the last
# 12 epochs, per epoch in between (puertas_animacion.csv, a row per frame;
# the title says which). The example just shown is ringed, red when the
# perceptron got it wrong and its line moved; the grey lines are the three
# frames before.
#
# An animated GIF whatever `fmt` says (the Makefile's draw macro: a script
# named *_animacion.gp). It does not load plots/common.gp, which would open
# a .png output; it keeps its language switch and colours.
if (!exists("datadir")) datadir = 'out/01-perceptron'
if (!exists("outdir")) outdir = datadir.'/fig'
if (!exists("lang")) lang = 'es'
tr(es, en) = (lang eq 'en') ? en : es

frames = datadir.'/puertas_animacion.csv'
points = datadir.'/puntos.csv'
set datafile separator ','
set datafile columnheaders
set encoding utf8

# Every frame's numbers into arrays first: a frame's titles need them, and
# stats only counts values inside the current ranges.
stats frames using 1 nooutput
N = int(STATS_records)
array STEP[N]
array EPOCH[N]
array EXAMPLE[N]
array X1[N]
array X2[N]
# gate g (1 AND, 2 XOR): its columns start at 7 + 9·(g − 1)
array ERR[2 * N]
array ERRS[2 * N]
array W1[2 * N]
array W2[2 * N]
array B[2 * N]
# Frame 0 has empty cells (no example shown yet, no error) and gnuplot skips
# a row whose used cell is empty: those arrays start at 0 and take what the
# other rows give, in passes of their own.
do for [i = 1:N] { EXAMPLE[i] = 0; X1[i] = 0; X2[i] = 0 }
do for [i = 1:2 * N] { ERR[i] = 0; ERRS[i] = 0 }
stats frames using (i = int($0) + 1, STEP[i] = $2, EPOCH[i] = $3, 0) nooutput
stats frames using (i = int($0) + 1, EXAMPLE[i] = $4, X1[i] = $5, X2[i] = $6, 0) nooutput
do for [g = 1:2] {
    c = 7 + 9 * (g - 1)
    stats frames using (i = int($0) + 1 + N * (g - 1), \
                        W1[i] = column(c + 2), W2[i] = column(c + 3), B[i] = column(c + 4), 0) nooutput
    stats frames using (i = int($0) + 1 + N * (g - 1), ERR[i] = column(c), ERRS[i] = column(c + 1), 0) nooutput
}
last_epoch = EPOCH[N]

set terminal gif animate delay 12 loop 0 optimize size 900, 540 font 'DejaVuSans,12' enhanced
set output outdir.'/ch1_puertas_animacion.gif'

set size ratio -1
set xrange [-0.5:1.5]
set yrange [-0.5:1.5]
set xtics 0.5
set ytics 0.5
set xlabel 'x_1'
set ylabel 'x_2' offset 1, 0
set grid lc rgb '#dddddd'
set border lc rgb '#444444'
set samples 200

names = "AND XOR"

do for [f = 1:N] {
    # a frame per epoch in the middle epochs: say so, the ring would mislead
    per_epoch = (f > 1 && STEP[f] - STEP[f - 1] > 1)
    when = (f == 1) ? tr('al empezar', 'at the start') : \
           per_epoch ? sprintf(tr('época %d de %d, al acabarla (aquí, un fotograma por época)', \
                                  'epoch %d of %d, at its end (here one frame per epoch)'), EPOCH[f], last_epoch) : \
           sprintf(tr('época %d de %d, ejemplo %d de 4', 'epoch %d of %d, example %d of 4'), \
                   EPOCH[f], last_epoch, EXAMPLE[f])
    set multiplot \
        title sprintf(tr('El perceptrón (notas §1.2): %s   [%d/%d]', 'The perceptron (notes §1.2): %s   [%d/%d]'), \
                      when, f, N) font ',13'
    do for [g = 1:2] {
        k = f + N * (g - 1)
        w1 = W1[k]
        w2 = W2[k]
        b = B[k]
        wrong = ERR[k]
        gate = word(names, g)
        # one key for both panels, across the bottom
        if (g == 1) { set key off } else {
            set key at screen 0.5, 0.09 center center vertical maxrows 3 width 0 font ',11' samplen 2
        }
        set origin 0.5 * (g - 1), 0.17
        set size 0.5, 0.76
        if (f == 1) {
            set title gate textcolor rgb '#000000'
        } else {
            set title sprintf(tr('%s — errores en esta época: %d', '%s — errors this epoch: %d'), \
                              gate, ERRS[k]) textcolor rgb (wrong > 0.5 && per_epoch == 0 ? '#C00000' : '#000000')
        }
        # the three lines before this one, faint: the motion reads in a still frame
        set style line 11 lc rgb '#BBBBBB' lw 1.5
        ycol = (g == 1) ? 3 : 5
        ring_lc = wrong > 0.5 ? '#C00000' : '#444444'
        edge = (w2 > 0) ? 1.5 : -0.5
        c = 7 + 9 * (g - 1)
        first_ghost = (f > 4) ? f - 4 : 0
        plot (w2 != 0 ? -(w1 * x + b) / w2 : 1/0) with filledcurves y = edge fc rgb '#d4e6f4' fs solid 1.0 noborder \
                 title tr('ŷ = 1 (z > 0)', 'ŷ = 1 (z > 0)'), \
             frames every ::first_ghost::(f > 1 ? f - 2 : 0) using (column(c + 5)):(f > 1 ? column(c + 6) : 1/0):(column(c + 7) - column(c + 5)):(column(c + 8) - column(c + 6)) \
                 with vectors nohead ls 11 title tr('las 3 rectas anteriores', 'the 3 lines before'), \
             frames every ::(f - 1)::(f - 1) using (column(c + 5)):(column(c + 6)):(column(c + 7) - column(c + 5)):(column(c + 8) - column(c + 6)) \
                 with vectors nohead lc rgb '#0072B2' lw 3 title 'w_1x_1 + w_2x_2 + b = 0', \
             points using 1:(column(ycol) > 0.5 ? 1/0 : $2) with points pt 6 ps 2.6 lc rgb '#D55E00' lw 2 \
                 title tr('objetivo 0', 'target 0'), \
             points using 1:(column(ycol) > 0.5 ? $2 : 1/0) with points pt 7 ps 2.6 lc rgb '#D55E00' \
                 title tr('objetivo 1', 'target 1'), \
             '+' every ::0::0 using (f > 1 && per_epoch == 0 ? X1[f] : 1/0):(X2[f]) with points pt 6 ps 4.6 lw 2.5 lc rgb ring_lc notitle, \
             keyentry with points pt 6 ps 2.6 lw 2.5 lc rgb '#C00000' \
                 title tr('el ejemplo mostrado (rojo: error)', 'the example shown (red: an error)')
    }
    unset multiplot
}
unset output
