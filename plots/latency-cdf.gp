# latency-cdf — CDF of simulated latency for every histogram of the run (log x).
# needs: latency
load plotdir."/common.gp"
set title "Simulated latency: cumulative distribution per histogram"
set xlabel "latency (log scale; zero is drawn at 1 ns)"
set format x "%.0s%cs"
set ylabel "fraction of operations ≤ latency"
set logscale x 10
set yrange [0:1.02]
set key bottom right
# Bucket midpoint in seconds (the unit column is ps), at least 1 ns.
mid(lo, hi) = ((lo + hi) / 2.0 > 1000 ? (lo + hi) / 2.0 : 1000) * 1e-12
plot for [h in hists] lat using (strcol(1) eq h ? mid($3, $4) : NaN):(strcol(1) eq h ? $5 : 0) \
     smooth cnormal with steps title h
