# The other activations of the slides (004) and notes §3.1, each with its
# derivative: ReLU, leaky ReLU (0.01·z), tanh and the step of chapter 1.
# Data: activaciones.csv (ch2_activation_curves: z, then each activation of
# the table and its derivative, read here by name). The derivatives are drawn
# as the code computes them: ReLU' = 0 for z ≤ 0 and 1 for z > 0 (erratum
# §3.1), the step's is 0 wherever it exists. Where a function and its
# derivative coincide (ReLU's and the step's z < 0, both 0) the function is
# drawn thick and solid and the derivative dashed on top, so both show.
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
# the function thick and solid, its derivative dashed on top of it
fn = 'lt 1 lw 4'
dv = "lt 2 lw 2.5 dt (10, 6)"

set title 'ReLU'
set yrange [-0.5:4.2]
set ylabel "ReLU(z), ReLU'(z)"
plot f using 'z':'relu' with lines @fn title 'ReLU(z) = max(0, z)', \
     f using 'z':'relu_deriv' with steps @dv title tr("ReLU'(z): 0 si z ≤ 0, 1 si z > 0", "ReLU'(z): 0 if z ≤ 0, 1 if z > 0")

set title tr('Leaky ReLU (pendiente 0.01)', 'Leaky ReLU (slope 0.01)')
set yrange [-0.5:4.2]
# the negative side is there but tiny at this scale: point at it
set label 2 tr("z ≤ 0: 0.01 z (−0.04 en z = −4)\nderivada 0.01, no 0", "z ≤ 0: 0.01 z (−0.04 at z = −4)\nderivative 0.01, not 0") at -3.8, 1.9 left font ',11'
set arrow 2 from -2.5, 1.45 to -2.5, 0.05 lw 1 lc rgb '#444444'
set ylabel "f(z), f'(z)"
plot f using 'z':'leaky_relu' with lines @fn title tr('f(z) = z si z > 0, 0.01 z si no', 'f(z) = z if z > 0, else 0.01 z'), \
     f using 'z':'leaky_relu_deriv' with steps @dv title tr("f'(z): 0.01 si z ≤ 0, 1 si z > 0", "f'(z): 0.01 if z ≤ 0, 1 if z > 0")
unset label 2
unset arrow 2

set title tr("tanh, con tanh'(z) = 1 − tanh²(z)", "tanh, with tanh'(z) = 1 − tanh²(z)")
set yrange [-1.15:1.15]
set ylabel "tanh(z), tanh'(z)"
set key top left   # short titles: the box ends before 1 − tanh² rises
plot f using 'z':'tanh' with lines @fn title 'tanh(z)', \
     f using 'z':'tanh_deriv' with lines @dv title "tanh'(z)"

set title tr('Escalón del perceptrón (cap. 1): 1 si z > 0, 0 si no', 'Perceptron step (ch. 1): 1 if z > 0, else 0')
set yrange [-0.15:1.15]
# left of the jump and above 0: a part of this panel no line crosses
set key at graph 0.03, graph 0.9 left
set ylabel tr("escalón(z) y su derivada", "step(z) and its derivative")
plot f using 'z':'step' with steps @fn title tr('escalón', 'step'), \
     f using 'z':'step_deriv' with lines @dv title tr("derivada: 0", "derivative: 0")
unset multiplot
