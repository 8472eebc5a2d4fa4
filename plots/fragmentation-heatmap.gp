# fragmentation-heatmap — free blocks per order over time (/proc/buddyinfo sampled), one panel per
# zone: x = simulated time, y = order, colour = number of free blocks of that order (log scale;
# white = none free).
# needs: mm.node*.free_blocks.*
load plotdir."/common.gp"
nz = words(zones)
fig_h = nz > 2 ? 300 * prows(nz) + 80 : 320 * nz + 80
@resize
set multiplot layout prows(nz), pcols(nz) title "Free blocks per order over time (buddyinfo)"
set xlabel "simulated time (ms)"
set ylabel "order"
set yrange [-0.5:norders-0.5]
set ytics 1
set grid noxtics noytics
set logscale cb
set cbrange [1:*]
set cblabel "free blocks (white: none)"
set format cb "%.0s%c"
unset key
# Each sample is a cell one sampling interval wide, centred on its time.
stats ts using 1 nooutput
dt = STATS_records > 1 ? (STATS_max - STATS_min) / (STATS_records - 1) : 1e-3
set xrange [tms(STATS_min - dt / 2):tms(STATS_max + dt / 2)]
nz_or_nan(v) = v > 0 ? v : NaN
do for [z in zones] {
    set title "Node ".substr(z, 5, strstrt(z, ".") - 1).", zone ".substr(z, strstrt(z, ".") + 1, strlen(z))
    base = "mm.".z.".free_blocks."
    plot for [o=0:norders-1] ts using (tms($1)):(o):(tms(dt / 2)):(0.5):(nz_or_nan(column(base.o))) \
         with boxxyerror fs solid 1.0 noborder fc palette
}
unset multiplot
