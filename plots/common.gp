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
