# plots/ch3_003fig28_pesos.gp — paper 003 Fig 28, "Evolución de los pesos
# durante el periodo de aprendizaje", and its claim that after about 1000
# iterations the weights "se estabilizan alrededor de su valor final",
# checked on 003's network as chapter 3 replicates it (784–20–20–10 sigmoid,
# squared error summed over sets of 100 in file order, SGD lr 0.01, 4 epochs:
# one iteration = one set of 100, 600 an epoch).
# Left: three weights, one per layer, chosen before the run (pesos_003.csv:
# iteracion,w_capa1,w_capa2,w_capa3). Middle: how far each layer still is
# from where it ends, ‖W(t) − W(fin)‖ / ‖W(0) − W(fin)‖. Right: the share of
# each layer's weights already settled — from t on within 10 % of their
# largest distance from their final value (pesos_003_distancia.csv).
if (!exists("datadir")) datadir = 'out/03-mnist-mlp'
fig_w = 1400
fig_h = 640
script = ARG0
load 'plots/common.gp'

set datafile columnheaders
f = datadir.'/pesos_003.csv'
g = datadir.'/pesos_003_distancia.csv'
stats f using 'iteracion' nooutput
T = STATS_max
claim = 1000
set xrange [0:T]
set xtics 600 nomirror
set mxtics 2
set xlabel tr('iteración (un lote de 100 imágenes; 600 por época)', 'iteration (a set of 100 images; 600 an epoch)') font ',10'
set arrow 1 from claim, graph 0 to claim, graph 1 nohead dt 2 lc rgb '#444444' lw 1.5 back
set key box opaque samplen 2 font ',11'

set multiplot layout 1, 3 title tr('Artículo 003, Fig 28: los pesos durante el aprendizaje; ¿«se estabilizan sobre las 1000 iteraciones» (línea discontinua)?', \
                                   'Paper 003, Fig 28: the weights while learning; do they "settle after about 1000 iterations" (dashed line)?') font ',13'
set title tr('tres pesos, uno por capa', 'three weights, one per layer') font ',12'
set ylabel tr('valor del peso', 'weight value')
set key inside top left Left reverse font ',10'
wlo = 1e9; whi = -1e9
do for [col in 'w_capa1 w_capa2 w_capa3'] {
    stats f using col nooutput
    wlo = STATS_min < wlo ? STATS_min : wlo
    whi = STATS_max > whi ? STATS_max : whi
}
set yrange [wlo - 0.05 * (whi - wlo):whi + 0.45 * (whi - wlo)]   # room for the key at the top
plot f using 'iteracion':'w_capa1' with lines lc rgb '#0072B2' lw 2 title tr('capa 1: neurona 0 ← píxel (14, 14)', 'layer 1: neuron 0 ← pixel (14, 14)'), \
     f using 'iteracion':'w_capa2' with lines lc rgb '#E69F00' lw 2 title tr('capa 2: neurona 0 ← neurona 0', 'layer 2: neuron 0 ← neuron 0'), \
     f using 'iteracion':'w_capa3' with lines lc rgb '#009E73' lw 2 title tr('capa 3: salida 0 ← neurona 0', 'layer 3: output 0 ← neuron 0')

set title tr('distancia de cada capa a sus pesos finales', 'each layer''s distance from its final weights') font ',12'
set ylabel tr('‖W(t) − W(fin)‖ / ‖W(0) − W(fin)‖ (%)', '‖W(t) − W(fin)‖ / ‖W(0) − W(fin)‖ (%)')
set yrange [0:105]
set key inside top right font ',10'
plot g using 'iteracion':(100 * column('distancia_capa1')) with lines lc rgb '#0072B2' lw 2 title tr('capa 1 (784→20)', 'layer 1 (784→20)'), \
     g using 'iteracion':(100 * column('distancia_capa2')) with lines lc rgb '#E69F00' lw 2 title tr('capa 2 (20→20)', 'layer 2 (20→20)'), \
     g using 'iteracion':(100 * column('distancia_capa3')) with lines lc rgb '#009E73' lw 2 title tr('capa 3 (20→10)', 'layer 3 (20→10)')

set title tr("pesos ya estables: desde ahí, a menos del 10 %\nde su mayor distancia a su valor final", "weights already settled: from there on, within 10 %\nof their largest distance from their final value") font ',11'
set ylabel tr('pesos de la capa (%)', 'weights of the layer (%)')
set key inside top left font ',10'
plot g using 'iteracion':(100 * column('estables_capa1')) with lines lc rgb '#0072B2' lw 2 title tr('capa 1', 'layer 1'), \
     g using 'iteracion':(100 * column('estables_capa2')) with lines lc rgb '#E69F00' lw 2 title tr('capa 2', 'layer 2'), \
     g using 'iteracion':(100 * column('estables_capa3')) with lines lc rgb '#009E73' lw 2 title tr('capa 3', 'layer 3')
unset multiplot
