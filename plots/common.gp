# plots/common.gp — loaded by every figure script. It picks the terminal and
# the language, and names the output after the script itself:
#   plots/ch2_fig2_error_tasas.gp  ->  <outdir>/ch2_fig2_error_tasas.png
#
# Variables a script (or `gnuplot -e`) may set before loading this file:
#   datadir  where the chapter's CSVs are      (each script sets its default)
#   outdir   where the figure goes             (default: datadir/fig)
#   fmt      png | pdf | svg                   (default: png; make FORMAT=...)
#   lang     es | en                           (default: es; make FIG_LANG=...)
#   fig_w, fig_h  size in pixels for png/svg   (default 1000 x 700)

if (!exists("fmt")) fmt = 'png'
if (!exists("lang")) lang = 'es'
if (!exists("outdir")) outdir = datadir.'/fig'
if (!exists("fig_w")) fig_w = 1000
if (!exists("fig_h")) fig_h = 700

# tr('texto', 'text'): the Spanish text by default, the English one on request.
tr(es, en) = (lang eq 'en') ? en : es

# The figure is named after the script: strip the folders and the ".gp".
# Inside a loaded file gnuplot 5.4 sets ARG0 to that file (this one), so a
# script passes its own name first:  script = ARG0; load 'plots/common.gp'
_base = exists("script") ? script : ARG0
while (strstrt(_base, '/') > 0) { _base = _base[strstrt(_base, '/') + 1:] }
figname = _base[1:strlen(_base) - 3]
outfile = outdir.'/'.figname.'.'.fmt

if (fmt eq 'png') {
    set terminal pngcairo size fig_w, fig_h enhanced font 'DejaVu Sans,13' linewidth 1.5
} else {
    if (fmt eq 'pdf') {
        set terminal pdfcairo size (fig_w / 100.0) * 0.6, (fig_h / 100.0) * 0.6 enhanced font 'DejaVu Sans,9' linewidth 1.5
    } else {
        if (fmt eq 'svg') {
            set terminal svg size fig_w, fig_h enhanced font 'DejaVu Sans,13' linewidth 1.5 background rgb 'white'
        } else {
            print sprintf("plots/common.gp: unknown format '%s' (use png, pdf or svg)", fmt)
            exit status 2
        }
    }
}
set output outfile
set encoding utf8
set datafile separator ','
set key noautotitle
set grid lc rgb '#dddddd'
set border lc rgb '#444444'

# A palette of colours that stay apart in print and for most colour-blind readers.
set linetype 1 lc rgb '#0072B2' lw 2 pt 7
set linetype 2 lc rgb '#D55E00' lw 2 pt 5
set linetype 3 lc rgb '#009E73' lw 2 pt 9
set linetype 4 lc rgb '#CC79A7' lw 2 pt 11
set linetype 5 lc rgb '#E69F00' lw 2 pt 13
set linetype 6 lc rgb '#56B4E9' lw 2 pt 15
set linetype 7 lc rgb '#000000' lw 2 pt 4
set linetype 8 lc rgb '#999999' lw 2 pt 6
set linetype cycle 8
