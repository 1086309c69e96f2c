# plots/ch2_002fig2_7_8_regla_cadena.gp — 002 Figs 2.7–2.8: the chain rule
# on f(x, y, z) = (x + y)·z at (2, 3, 4), as a computational graph. The
# inputs x, y, z on the left, the two operations q = x + y and f = q·z, the
# output f on the right. Each edge carries one quantity: above it, in blue,
# its value on the way forward; below it, in red, the derivative of f with
# respect to it on the way back (∂f/∂f = 1 at the output, then local
# derivative times what arrives from the right). Every number comes from
# chain_rule.c: regla_cadena_nodos.csv (nodo,x,y,tipo) and
# regla_cadena_aristas.csv (nombre,desde,hasta,x0,y0,x1,y1,valor,gradiente).
# (002 captions Fig 2.8 with (2, 3, 1); its numbers are those of (2, 3, 4).)
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
fig_w = 1100
fig_h = 650
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

nodes = datadir.'/regla_cadena_nodos.csv'
edges = datadir.'/regla_cadena_aristas.csv'
fwd = '#0060B0'     # azul: values forward
bwd = '#C00000'     # rojo: gradients backward
r = 0.32            # node radius, in drawing units

set title tr('Regla de la cadena en f(x, y, z) = (x + y)·z, en (x, y, z) = (2, 3, 4)', \
             'The chain rule on f(x, y, z) = (x + y)·z, at (x, y, z) = (2, 3, 4)') font ',15'
unset border; unset tics; unset grid; unset key
set xrange [-0.9:7.9]
set yrange [-2.0:3.75]
set size ratio -1
set style fill solid 1.0 border lc rgb '#333333'

# The edges stop at the circles; the value above, the gradient below, each
# pushed away from the edge along its normal so that sloped edges read too.
len(x0, y0, x1, y1) = sqrt((x1 - x0)**2 + (y1 - y0)**2)
nx(x0, y0, x1, y1) = -(y1 - y0) / len(x0, y0, x1, y1)
ny(x0, y0, x1, y1) = (x1 - x0) / len(x0, y0, x1, y1)
mx = 0.45; my = 0.45
off = 0.24
value_text(n, v) = sprintf('%s = %g', n, v)
grad_text(n, g) = sprintf('∂f/∂%s = %g', n, g)

# The two passes' directions, and the local derivatives each operation knows.
set arrow 1 from 1.0, 3.55 to 6.0, 3.55 lw 2.5 lc rgb fwd head filled size 0.15, 20
set label 1 tr('hacia delante (forward): valores', 'forward: values') at 3.5, 3.3 center textcolor rgb fwd font ',12'
set arrow 2 from 6.0, -1.55 to 1.0, -1.55 lw 2.5 lc rgb bwd head filled size 0.15, 20
set label 2 tr('hacia atrás (backward): gradientes ∂f/∂·', 'backward: gradients ∂f/∂·') at 3.5, -1.3 center textcolor rgb bwd font ',12'
set label 3 '∂q/∂x = ∂q/∂y = 1' at 2.6, 1.8 + r + 0.17 center font ',11' textcolor rgb '#444444'
set label 4 tr('∂f/∂q = z,  ∂f/∂z = q', '∂f/∂q = z,  ∂f/∂z = q') at 5.0, 0.5 - r - 0.2 center font ',11' textcolor rgb '#444444'
set label 5 tr('azul, encima de cada arista: su valor hacia delante     rojo, debajo: ∂f/∂ (ese valor) hacia atrás', \
               'blue, above each edge: its value forward     red, below: ∂f/∂(that value) backward') \
    at 3.5, -1.9 center font ',11' textcolor rgb '#444444'

plot edges using ($4 + r * ($6 - $4) / len($4, $5, $6, $7)):($5 + r * ($7 - $5) / len($4, $5, $6, $7)): \
                 (($6 - $4) * (1 - 2 * r / len($4, $5, $6, $7))):(($7 - $5) * (1 - 2 * r / len($4, $5, $6, $7))) \
         with vectors head filled size 0.12, 20 lw 2 lc rgb '#666666', \
     edges using ($4 + mx * ($6 - $4) + off * nx($4, $5, $6, $7)):($5 + my * ($7 - $5) + off * ny($4, $5, $6, $7)): \
                 (value_text(strcol(1), $8)) with labels center font ',13' textcolor rgb fwd, \
     edges using ($4 + mx * ($6 - $4) - off * nx($4, $5, $6, $7)):($5 + my * ($7 - $5) - off * ny($4, $5, $6, $7)): \
                 (grad_text(strcol(1), $9)) with labels center font ',13' textcolor rgb bwd, \
     nodes using 2:3:(r):($4 == 0 ? 0xf0e442 : $4 == 1 ? 0xdddddd : 0xfdae6b) with circles lc rgb variable, \
     nodes using 2:3:(strcol(1)) with labels center font ',16'
