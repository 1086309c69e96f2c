# The other activations of the slides (004) and notes §3.1, each with its
# derivative: ReLU, leaky ReLU (0.01·z), tanh and the step of chapter 1.
# Data: activaciones.csv (ch2_activation_curves: z, then each activation of
# the table and its derivative, read here by name). The derivatives are drawn
# as the code computes them: ReLU' = 0 for z ≤ 0 and 1 for z > 0 (erratum
# §3.1), the step's is 0 wherever it exists.
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
fig_w = 1200
fig_h = 900
script = ARG0
load 'plots/common.gp'

f = datadir.'/activaciones.csv'
set datafile columnheaders
set multiplot layout 2,2 title tr('Funciones de activación y sus derivadas', 'Activation functions and their derivatives') font ',15'
set xrange [-4:4]
set xtics 2
set xlabel 'z'
set key top left box opaque Left reverse

set title 'ReLU'
set yrange [-0.5:4.2]
plot f using 'z':'relu' with lines lt 1 title 'ReLU(z) = max(0, z)', \
     f using 'z':'relu_deriv' with steps lt 2 title "ReLU'(z)"

set title tr('Leaky ReLU (pendiente 0.01)', 'Leaky ReLU (slope 0.01)')
set yrange [-0.5:4.2]
# the negative side is there but tiny at this scale: point at it
set label 2 tr("z ≤ 0: 0.01 z (−0.04 en z = −4)\nderivada 0.01, no 0", "z ≤ 0: 0.01 z (−0.04 at z = −4)\nderivative 0.01, not 0") at -3.8, 1.9 left font ',11'
set arrow 2 from -2.5, 1.45 to -2.5, 0.05 lw 1 lc rgb '#444444'
plot f using 'z':'leaky_relu' with lines lt 1 title tr('z si z > 0, 0.01 z si no', 'z if z > 0, else 0.01 z'), \
     f using 'z':'leaky_relu_deriv' with steps lt 2 title "leaky ReLU'(z)"
unset label 2
unset arrow 2

set title 'tanh'
set yrange [-1.15:1.15]
plot f using 'z':'tanh' with lines lt 1 title 'tanh(z)', \
     f using 'z':'tanh_deriv' with lines lt 2 title "1 − tanh²(z)"

set title tr('Escalón (perceptrón, capítulo 1)', 'Step (perceptron, chapter 1)')
set yrange [-0.15:1.15]
set key at graph 0.03, 0.75 left
plot f using 'z':'step' with steps lt 1 title tr('1 si z > 0, 0 si no', '1 if z > 0, else 0'), \
     f using 'z':'step_deriv' with lines lt 2 title tr("derivada: 0 (salvo en z = 0)", "derivative: 0 (except at z = 0)")
unset multiplot
