# activity — per-interval rates of the sampled workload counters over time.
# needs: workload.
load plotdir."/common.gp"
set title "Workload activity per sampling interval"
set xlabel "simulated time (ms)"
set ylabel "events per simulated second"
set format y "%.1s%c"
set key top right
# ncols (number of timeseries.csv columns) is passed by `mmsim plot`.
array P[ncols]
array PT[ncols]
do for [i=1:ncols] { P[i] = 0; PT[i] = 0 }
# Counters are cumulative: plot the difference between consecutive samples over the interval.
rate(i) = (c = column(i), t = $1, r = t > PT[i] ? (c - P[i]) / (t - PT[i]) : NaN, P[i] = c, PT[i] = t, r)
plot for [i=2:ncols] ts using ($1*1000):(rate(i)) with lines title columnheader(i)
