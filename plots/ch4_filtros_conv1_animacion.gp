# plots/ch4_filtros_conv1_animacion.gp — learning in motion (notes §4.1:
# nobody designs the filters, training shapes them): conv1's 32 kernels of
# 3×3 over the batches of the FIRST epoch, from the random start to the end
# of epoch 1, as an animated GIF (whatever fmt says). The static figure
# ch4_filtros_conv1 shows them after the last epoch (5 by default).
# filtros_conv1_lotes.csv: frame,batch,filter,row,col,weight — 288 rows a
# frame, frame 0 the start, the last frame after the epoch's last batch.
# Colours as in ch4_filtros_conv1: blue positive, orange negative, white 0,
# one symmetric scale for every tile of every frame (stated in the title).
#
# Each weight is a small square (boxxyerror), all 32 tiles in one plot per
# frame: one pass over the frame's rows instead of 32 (`with image` needs
# the tiles in plots of their own), so the 41 frames draw in about a second.
if (!exists("datadir")) datadir = 'out/04-cnn'
if (!exists("lang")) lang = 'es'
if (!exists("outdir")) outdir = datadir.'/fig'
tr(es, en) = (lang eq 'en') ? en : es

f = datadir.'/filtros_conv1_lotes.csv'
set datafile separator ','
set datafile columnheaders
stats f using 'weight' nooutput
m = (abs(STATS_min) > STATS_max ? abs(STATS_min) : STATS_max)
stats f using 'frame' nooutput
frames = int(STATS_max) + 1
stats f using 'batch' nooutput
batches = int(STATS_max)          # the last frame comes after the epoch's last batch
per_frame = 288                   # 32 filters × 9 weights

# 80 ms a frame (delay is in hundredths of a second): 41 frames in 3.3 s;
# the last frame is drawn `hold` times more, so that the result stays 1 s.
# `optimize` stores only what changed from the frame before (a third of the
# bytes); libgd refuses a frame identical to the one before, so the held
# frames differ in one corner pixel, white or nearly white, that no eye sees.
hold = 12
set terminal gif animate delay 8 loop 0 optimize size 800, 500 font 'DejaVuSans,12'
set output outdir.'/ch4_filtros_conv1_animacion.gif'
set encoding utf8
unset key
unset grid
unset xtics
unset ytics
unset border
# tile k at column k % 8, row k / 8, 3 cells of side 1 with a gap of 1
tx(k, c) = (int(k) % 8) * 4 + c
ty(k, r) = (int(k) / 8) * 4.6 + r
set size ratio -1
set xrange [-0.8:31.3]
set yrange [17.5:-1.6]
set cbrange [-m:m]
set palette maxcolors 64   # 64 shades: a tenth fewer bytes, no visible steps
set palette defined (-1 '#D55E00', 0 '#FFFFFF', 1 '#0072B2')
set colorbox vertical user origin 0.885, 0.12 size 0.02, 0.68
set cbtics font ',11'
set cblabel tr('peso', 'weight') font ',12'
set lmargin at screen 0.02
set rmargin at screen 0.86
set tmargin at screen 0.84
set bmargin at screen 0.04
do for [k=0:31] {
    set label k+1 sprintf('%d', k) at tx(k, 1), ty(k, -1.05) center font ',10' tc rgb '#444444'
}

# the batch of every frame, as words of one string (one pass over the file)
frame_batch = system(sprintf("awk -F, 'NR > 1 && (NR - 2) %% %d == 0 {print $2}' '%s'", per_frame, f))

do for [j=0:frames - 1 + hold] {
    i = (j < frames ? j : frames - 1)
    set object 99 rectangle from screen 0, 0 to screen 0.003, 0.004 fs solid noborder \
        fc rgb (j % 2 ? '#FEFEFE' : '#FFFFFF') behind
    b = int(word(frame_batch, i + 1))
    set title sprintf(tr("Los 32 filtros 3×3 de conv1 durante la época 1: lote %d de %d\n{/*0.8 azul +, naranja −, blanco 0; una escala común ±%.2f para todos los lotes}", \
                         "conv1's 32 3×3 filters during epoch 1: batch %d of %d\n{/*0.8 blue +, orange −, white 0; one scale ±%.2f for every batch}"), \
                      b, batches, m) font ',15' enhanced
    plot f every ::(i * per_frame)::(i * per_frame + per_frame - 1) \
         using (tx($3, $5)):(ty($3, $4)):(0.5):(0.5):6 with boxxyerror fs solid 1.0 noborder lc palette
}
set output
