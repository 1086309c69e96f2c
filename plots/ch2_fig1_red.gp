# plots/ch2_fig1_red.gp — notes §2 Fig 1, "Esquema general de la red
# multicapa", drawn from the TRAINED weights (red_nodos.csv,
# red_conexiones.csv): inputs x1, x2, the hidden neurons, the output ŷ and a
# unit "1" under each layer whose edges are the biases. Each edge's width
# grows with |w| and its colour gives the sign (blue +, orange −; the legend
# names them as drawn: azul, naranja); the number is
# the weight.
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
fig_h = 720
script = ARG0
load 'plots/common.gp'
set datafile columnheaders

nodes = datadir.'/red_nodos.csv'
edges = datadir.'/red_conexiones.csv'
stats edges using 5 nooutput
n_edges = STATS_records
w_max = (abs(STATS_min) > abs(STATS_max)) ? abs(STATS_min) : abs(STATS_max)
stats nodes using 2 nooutput
y_low = STATS_min
y_high = STATS_max

# One arrow object per weight, its value in a white box along the edge: near
# the start for W1 (the edges cross in the middle), halfway for the others.
set style textbox opaque noborder margins 1, 1
do for [i=0:n_edges-1] {
    stats edges every ::i::i using 1 nooutput; ex0 = STATS_min
    stats edges every ::i::i using 2 nooutput; ey0 = STATS_min
    stats edges every ::i::i using 3 nooutput; ex1 = STATS_min
    stats edges every ::i::i using 4 nooutput; ey1 = STATS_min
    stats edges every ::i::i using 5 nooutput; w = STATS_min
    stats edges every ::i::i using 6 nooutput; kind = STATS_min
    t = (kind == 0) ? 0.22 : 0.5
    colour = (w >= 0) ? '#0072B2' : '#D55E00'
    set arrow i+1 from ex0, ey0 to ex1, ey1 nohead back lw (0.6 + 7.0 * abs(w) / w_max) lc rgb colour
    set label i+100 sprintf('%.2f', w) at ex0 + t * (ex1 - ex0), ey0 + t * (ey1 - ey0) \
        center front boxed font ',11' textcolor rgb colour
}

set title tr('Esquema de la red multicapa entrenada (grosor y color = peso)', \
             'The trained multilayer network (width and colour = weight)')
unset border; unset tics; unset grid
set xrange [-0.45:2.45]
set yrange [y_low - 0.35:y_high + 0.4]
set size ratio -1
set style fill solid 1.0 border lc rgb '#333333'
unset key

node_label(k, i) = (k == 0) ? sprintf('x_%d', i) : (k == 1) ? sprintf('h_%d', i) : (k == 2) ? 'ŷ' : '1'

set label 201 tr('entrada', 'input') at 0, y_high + 0.25 center font ',13'
set label 202 tr('capa oculta (σ)', 'hidden layer (σ)') at 1, y_high + 0.25 center font ',13'
set label 203 tr('salida (σ)', 'output (σ)') at 2, y_high + 0.25 center font ',13'
set label 204 tr('azul: peso positivo   naranja: negativo   «1»: unidad de sesgo', \
                 'blue: positive weight   orange: negative   "1": bias unit') \
    at 1, y_low - 0.25 center font ',11' textcolor rgb '#444444'

plot nodes using 1:2:(column(3) == 3 ? 0.09 : 0.16):(column(3) == 3 ? 0xdddddd : column(3) == 0 ? 0xf0e442 : column(3) == 1 ? 0x9ecae1 : 0xfdae6b) \
         with circles lc rgb variable, \
     nodes using 1:2:(node_label(column(3), column(4))) with labels center font ',14'
