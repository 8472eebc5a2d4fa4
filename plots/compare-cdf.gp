# compare-cdf — overlay of several runs' latency CDFs for one histogram (mmsim compare --plot).
# Variables: runs='dirA dirB ...', hist='name', out='file.png'.
if (!exists("run")) run = word(runs, 1)
meta = ""    # the runs need not have been plotted
load plotdir."/common.gp"
set title sprintf("Latency CDF of %s", hist)
set xlabel "latency (log scale; zero is drawn at 1 ns)"
set format x "%.0s%cs"
set ylabel "fraction of operations ≤ latency"
set logscale x 10
set yrange [0:1.02]
set key bottom right
mid(lo, hi) = ((lo + hi) / 2.0 > 1000 ? (lo + hi) / 2.0 : 1000) * 1e-12
plot for [r in runs] r."/latency.csv" using (strcol(1) eq hist ? mid($3, $4) : NaN):(strcol(1) eq hist ? $5 : 0) \
     smooth cnormal with steps title r
