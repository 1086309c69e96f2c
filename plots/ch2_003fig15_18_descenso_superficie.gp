# 003 Figs 15–18: the cost of a two-weight neuron, (0.3x + 0.4y − 1)²,
# in perspective (Fig 17) and from above (Fig 18) with its −∇ field. Dark
# is low, as in the notes. At the notes' point (5, 4) the cost is 4.41 and
# −∇ = (−1.26, −1.68) (the red arrow, true length); the descent from there
# (η = 0.5) runs straight down to the valley 0.3x + 0.4y = 1, where every
# point has cost 0. Data: descenso_superficie.csv (grid x,y,cost),
# descenso_superficie_campo.csv (x,y,dx,dy,norm; arrows scaled ×0.08),
# descenso_superficie_camino.csv (step,x,y,cost).
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
fig_w = 1600
fig_h = 820
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

surf = datadir.'/descenso_superficie.csv'
path = datadir.'/descenso_superficie_camino.csv'
field = datadir.'/descenso_superficie_campo.csv'
set palette defined (0 '#0b0b3b', 0.35 '#3a4e9c', 0.65 '#2a9d8f', 1 '#e9c46a')
set cblabel tr('coste', 'cost')
set xrange [-4:8]
set yrange [-4:8]
set xlabel tr('x = w_{1,1}', 'x = w_{1,1}')
set ylabel tr('y = w_{1,2}', 'y = w_{1,2}')

set multiplot layout 1,2 title tr('Coste (0.3x + 0.4y − 1)² y su gradiente: en (5, 4) coste 4.41, ∇ = (1.26, 1.68)', \
                                  'Cost (0.3x + 0.4y − 1)² and its gradient: at (5, 4) cost 4.41, ∇ = (1.26, 1.68)') font ',15'

# --- left: perspective (003 Fig 17) ---
set title tr('Perspectiva general', 'General perspective')
set view 55, 35, 1, 1.05
set zrange [0:22]
set zlabel tr('coste', 'cost') rotate parallel
set ticslevel 0
set pm3d at s noborder
unset colorbox
set key at screen 0.03, 0.86 left top vertical maxrows auto box opaque Left reverse width -6 font ',11'
splot surf using 1:2:3 with pm3d notitle, \
      path using 2:3:4 with linespoints lc rgb '#D55E00' pt 7 ps 0.7 lw 2 title tr('descenso desde (5, 4), η = 0.5', 'descent from (5, 4), η = 0.5'), \
      path every ::0::0 using 2:3:4 with points lc rgb '#E6194B' pt 7 ps 2 title tr('(5, 4): coste 4.41', '(5, 4): cost 4.41')

# --- right: from above with the −∇ field (003 Fig 18) ---
unset pm3d
set colorbox
set title tr('Perspectiva cenital con el campo −∇', 'Top view with the −∇ field')
set size ratio -1
# the key under the map (inside it would cover the field), in a dark box
# so that the white arrow and valley samples show
set key outside below center box opaque fc rgb '#222222' tc rgb '#ffffff' vertical maxrows 2 Left reverse width -2 font ',11'
plot surf using 1:2:3 with image notitle, \
     field using 1:2:3:4 with vectors head filled size 0.12,25 lc rgb '#ffffff' lw 1.2 title tr('−∇ (×0.08)', '−∇ (×0.08)'), \
     (1 - 0.3*x) / 0.4 with lines lc rgb '#ffffff' dt 2 lw 2 title tr('valle: 0.3x + 0.4y = 1 (coste 0)', 'valley: 0.3x + 0.4y = 1 (cost 0)'), \
     path using 2:3 with linespoints lc rgb '#D55E00' pt 7 ps 0.6 lw 2 title tr('descenso, η = 0.5', 'descent, η = 0.5'), \
     '+' using (5):(4):(-1.26):(-1.68) every ::0::0 with vectors head filled size 0.3,20 lc rgb '#E6194B' lw 3 title tr('−∇ en (5, 4) = (−1.26, −1.68)', '−∇ at (5, 4) = (−1.26, −1.68)')
unset multiplot
