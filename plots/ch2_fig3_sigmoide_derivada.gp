# Notes §3.1 Fig 3, "Curva de la sigmoide y su derivada": σ(z) and σ'(z),
# with σ''s maximum 0.25 at z = 0 marked (the reason the error fades through
# many sigmoid layers). Data: activaciones.csv (ch2_activation_curves), its
# columns read by name.
if (!exists("datadir")) datadir = 'out/02-xor-mlp'
script = ARG0
load 'plots/common.gp'

set title tr('Curva de la sigmoide y su derivada', 'The sigmoid curve and its derivative')
set xlabel 'z'
set ylabel tr('valor', 'value')
set xrange [-8:8]
set yrange [-0.05:1.05]
set xtics 2
set ytics 0.25
set key top left box opaque Left reverse

set label 1 tr("máximo σ'(0) = 0.25", "maximum σ'(0) = 0.25") at 0.6, 0.33 left
set arrow 1 from 0.55, 0.31 to 0.08, 0.258 lw 1.2 lc rgb '#444444'
set object 1 circle at 0, 0.25 size 0.12 fc rgb '#D55E00' fs solid front

set datafile columnheaders
plot datadir.'/activaciones.csv' using 'z':'sigmoid' with lines lt 1 title tr('σ(z) = 1 / (1 + e^{-z})', 'σ(z) = 1 / (1 + e^{-z})'), \
     ''                          using 'z':'sigmoid_deriv' with lines lt 2 title tr("σ'(z) = σ(z)(1 − σ(z))", "σ'(z) = σ(z)(1 − σ(z))")
