# plots/ch2_descenso_animacion.gp — notes §2.1 ("actualizamos los pesos
# restando el gradiente") in motion: gradient descent walking down four of
# the costs the static figures show, step by step, from the steps the run
# wrote (descenso_*_pasos.csv, a row per step with its index):
#   top left     f(x) = ½x², η = 0.01, 250 steps (002 Fig 2.5)
#   top right    (0.3w − 1)², 60 steps to w = 10/3 (003 Figs 11–13)
#   bottom left  the bowl ½((x − 1)² + y²), η = 0.01 and 0.1, 250 steps (002 Fig 2.6)
#   bottom right (0.3x + 0.4y − 1)² from (5, 4), 40 steps (003 Figs 15–18, top
#                view; dashed, the valley 0.3x + 0.4y = 1 where the cost is 0)
# The four walks have different lengths; the animation gives each the same
# 61 frames, so a frame shows step round(k·n/60) of a walk of n steps (the
# panel says which). Each path is drawn up to that step, the last step as
# an arrow.
#
# An animated GIF whatever `fmt` says (the Makefile's draw macro: a script
# named *_animacion.gp). It does not load plots/common.gp, which would open
# a .png output; it keeps its language switch and colours.
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
if (!exists("outdir")) outdir = datadir.'/fig'
if (!exists("lang")) lang = 'es'
tr(es, en) = (lang eq 'en') ? en : es

set datafile separator ','
set datafile columnheaders
set encoding utf8

parabola = datadir.'/descenso_parabola_curva.csv'
parabola_steps = datadir.'/descenso_parabola_pasos.csv'
cost = datadir.'/descenso_coste1d_curva.csv'
cost_steps = datadir.'/descenso_coste1d_pasos.csv'
bowl = datadir.'/descenso_cuenco.csv'
bowl_steps = datadir.'/descenso_cuenco_pasos.csv'
surface = datadir.'/descenso_superficie.csv'
surface_steps = datadir.'/descenso_superficie_camino.csv'

# the number of steps of each walk (rows − 1: row 0 is the start)
stats parabola_steps using 1 nooutput
n_parabola = int(STATS_max)
stats cost_steps using 1 nooutput
n_cost = int(STATS_max)
stats bowl_steps using 1 nooutput
n_bowl = int(STATS_max)
stats surface_steps using 1 nooutput
n_surface = int(STATS_max)

# the values the titles print, into arrays before any range is set (stats
# only counts values inside the current ranges)
array W[n_cost + 1]
stats cost_steps using (W[int($1) + 1] = $2, 0) nooutput
array C[n_surface + 1]
stats surface_steps using (C[int($1) + 1] = $4, 0) nooutput

F = 61
step_of(k, n) = int(k * n / (F - 1.0) + 0.5)

set terminal gif animate delay 12 loop 0 optimize size 920, 700 font 'DejaVuSans,11' enhanced
set output outdir.'/ch2_descenso_animacion.gif'

set grid lc rgb '#dddddd'
set border lc rgb '#444444'
set style line 1 lc rgb '#0072B2' lw 2          # the cost
set style line 2 lc rgb '#D55E00' lw 2 pt 7     # a walk
set style line 3 lc rgb '#009E73' lw 2 pt 7     # the second walk on the bowl
set palette defined (0 '#f7fbff', 0.5 '#9ecae1', 1 '#2171b5')
# eight bands of cost, not a smooth ramp: they read as contour lines and
# keep each GIF frame small
set palette maxcolors 8
unset colorbox
unset key

do for [k = 0:F - 1] {
    set multiplot layout 2, 2 title sprintf(tr('El descenso por gradiente, paso a paso (notas §2.1)   [%d/%d]', \
                                               'Gradient descent, step by step (notes §2.1)   [%d/%d]'), k + 1, F) font ',13'

    # --- f(x) = ½x² ----------------------------------------------------------
    t = step_of(k, n_parabola)
    set title sprintf(tr('f(x) = ½x², η = 0.01 (002 Fig 2.5):' . "\n" . 'paso %d de %d', \
                         'f(x) = ½x², η = 0.01 (002 Fig 2.5):' . "\n" . 'step %d of %d'), t, n_parabola)
    set size noratio
    set xrange [-1:1]
    set yrange [-0.02:0.52]
    set xtics 0.5
    set ytics 0.25
    set xlabel 'x'
    set ylabel 'f(x)'
    plot parabola using 1:2 with lines ls 1, \
         parabola_steps every ::0::t using 2:3 with points ls 2 pt 7 ps 0.5, \
         parabola_steps every ::t::t using 2:3 with points ls 2 pt 7 ps 2

    # --- (0.3w − 1)² -----------------------------------------------------------
    t = step_of(k, n_cost)
    set title sprintf(tr('coste (0.3w − 1)² (003 Figs 11–13):' . "\n" . 'paso %d de %d, w = %.3f', \
                         'cost (0.3w − 1)² (003 Figs 11–13):' . "\n" . 'step %d of %d, w = %.3f'), t, n_cost, W[t + 1])
    set xrange [-4:8]
    set yrange [-0.3:5]
    set xtics 2
    set ytics 1
    set xlabel 'w'
    set ylabel tr('coste', 'cost')
    set arrow 1 from 10.0 / 3, graph 0 to 10.0 / 3, graph 1 nohead dt 2 lc rgb '#999999'
    plot cost using 1:2 with lines ls 1, \
         cost_steps every ::0::t using 2:3 with linespoints ls 2 pt 7 ps 0.6, \
         cost_steps every ::t::t using 2:3 with points ls 2 pt 7 ps 2
    unset arrow 1

    # --- the bowl ½((x − 1)² + y²) -------------------------------------------
    t = step_of(k, n_bowl)
    set title sprintf(tr('cuenco ½((x − 1)² + y²) (002 Fig 2.6):' . "\n" . 'paso %d de %d', \
                         'bowl ½((x − 1)² + y²) (002 Fig 2.6):' . "\n" . 'step %d of %d'), t, n_bowl)
    set size ratio -1
    set xrange [-10:10]
    set yrange [-10:10]
    set xtics 5
    set ytics 5
    set xlabel 'x'
    set ylabel 'y'
    set key bottom left opaque box font ',10' samplen 1.5
    plot bowl using 1:2:3 with image notitle, \
         bowl_steps every ::0::t using 2:3 with lines ls 2 title 'η = 0.01', \
         bowl_steps every ::t::t using 2:3 with points ls 2 pt 7 ps 1.6 notitle, \
         bowl_steps every ::0::t using 4:5 with lines ls 3 title 'η = 0.1', \
         bowl_steps every ::t::t using 4:5 with points ls 3 pt 7 ps 1.6 notitle, \
         '+' every ::0::0 using (1):(0) with points pt 3 ps 2 lc rgb 'black' title tr('mínimo (1, 0)', 'minimum (1, 0)')
    unset key

    # --- (0.3x + 0.4y − 1)², top view -----------------------------------------
    t = step_of(k, n_surface)
    set title sprintf(tr('coste (0.3x + 0.4y − 1)² (003 Figs 15–18):' . "\n" . 'paso %d de %d, coste %.4f', \
                         'cost (0.3x + 0.4y − 1)² (003 Figs 15–18):' . "\n" . 'step %d of %d, cost %.4f'), t, n_surface, C[t + 1])
    set xrange [-4:8]
    set yrange [-4:8]
    set xtics 2
    set ytics 2
    plot surface using 1:2:3 with image, \
         (2.5 - 0.75 * x) with lines lc rgb '#666666' dt 2 lw 1.5, \
         surface_steps every ::0::t using 2:3 with lines ls 2, \
         surface_steps every ::t::t using 2:3 with points ls 2 pt 7 ps 1.6
    unset multiplot
}
unset output
