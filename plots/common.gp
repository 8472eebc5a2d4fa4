# plots/common.gp — the one style every figure loads.
# Scripts are run as:  gnuplot -e "run='DIR'; out='DIR/plots/x.png'; plotdir='plots'; hists='a b'" x.gp
# Inputs: DIR/plots/timeseries.csv (t + sampled stats), DIR/latency.csv (hist,unit,lo,hi,count).
if (!exists("run")) run = "results/default"
if (!exists("plotdir")) plotdir = "plots"
if (!exists("hists")) hists = ""
if (!exists("ncols")) ncols = 1
if (!exists("term")) term = "pngcairo"

if (term eq "dumb") {
    set terminal dumb size 120,40
} else {
    set terminal pngcairo size 1000,600 font "DejaVu Sans,10" noenhanced
}
if (exists("out") && term ne "dumb") set output out

ts = run."/plots/timeseries.csv"
lat = run."/latency.csv"
set datafile separator comma
set datafile columnheaders
set grid lc rgb "#d0d0d0"
set key top left box opaque
set border lw 1
# A colour-blind-safe qualitative palette (Okabe–Ito).
set linetype 1 lc rgb "#0072B2" lw 2
set linetype 2 lc rgb "#D55E00" lw 2
set linetype 3 lc rgb "#009E73" lw 2
set linetype 4 lc rgb "#CC79A7" lw 2
set linetype 5 lc rgb "#E69F00" lw 2
set linetype 6 lc rgb "#56B4E9" lw 2
set linetype 7 lc rgb "#F0E442" lw 2
set linetype 8 lc rgb "#000000" lw 2
set linetype cycle 8

# What the run sampled (written by `mmsim plot` into RUN/plots/meta.gp): cols, zones, nodes,
# norders, extfrag_threshold. Scripts pick their series from these lists. meta='' skips it.
if (!exists("meta")) meta = run."/plots/meta.gp"
if (meta ne "") load meta
if (!exists("cols")) cols = ""
if (!exists("zones")) zones = ""
if (!exists("nodes")) nodes = ""
if (!exists("norders")) norders = 11
if (!exists("extfrag_threshold")) extfrag_threshold = 500
has(c) = strstrt(" ".cols." ", " ".c." ") > 0
# Sequential palette for orders and heatmaps (viridis stops, CC0; gnuplot 5.4 has no built-in one).
set palette defined (0 "#440154", 1 "#482878", 2 "#3e4989", 3 "#31688e", 4 "#26828e", \
                     5 "#1f9e89", 6 "#35b779", 7 "#6ece58", 8 "#b5de2b", 9 "#fde725")
# Order o of norders as a palette fraction (stop before the pale yellow end).
ofrac(o) = norders > 1 ? 0.9 * o / (norders - 1.0) : 0
# Multi-panel figures: @resize after setting fig_h (pixels) keeps panels readable.
fig_w = 1000
fig_h = 600
resize = 'if (term ne "dumb") { set terminal pngcairo size fig_w,fig_h font "DejaVu Sans,10" noenhanced }'
# Panel grid for n panels: one column up to 2 panels, else two.
pcols(n) = n <= 2 ? 1 : 2
prows(n) = int((n + pcols(n) - 1) / pcols(n))
# Simulated time axis.
tms(t) = t * 1000.0
# An empty panel that says why (set nodata_msg first): scripts never fail on a run without data.
nodata_msg = "no data in this run"
nodata = 'set label 99 nodata_msg at graph 0.5, 0.5 center; unset key; plot [0:1][0:1] NaN notitle; unset label 99'
# Orders the kernel treats specially get thicker lines: 3 (PAGE_ALLOC_COSTLY_ORDER) and 9
# (pageblock_order, THP) — see the key title "order (thick: 3 costly, 9 pageblock)".
owidth(o) = (o == 3 || o == 9) ? 3.5 : 1.5
