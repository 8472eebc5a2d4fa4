# extfrag — the external fragmentation index per order over time, one panel per zone, with
# vm.extfrag_threshold marked. The index (debugfs extfrag/extfrag_index, here divided by 1000)
# tells why an order-N request would fail: towards 0 = too little free memory (reclaim helps),
# towards 1 = free memory is fragmented (compaction helps). Compaction is preferred over reclaim
# for costly orders when the index exceeds extfrag_threshold/1000. The kernel's -1 means "the
# request would succeed" and is drawn at -1.
# needs: mm.node*.extfrag_index.*
load plotdir."/common.gp"
nz = words(zones)
fig_h = nz > 2 ? 300 * prows(nz) + 80 : 320 * nz + 80
@resize
set multiplot layout prows(nz), pcols(nz) \
    title "External fragmentation index per order (extfrag/extfrag_index: 0 = low memory, 1 = fragmented, -1 = fits)"
set xlabel "simulated time (ms)"
set ylabel "extfrag index"
set yrange [-1.1:1.1]
set ytics ("-1 (fits)" -1, "0" 0, "0.25" 0.25, "0.5" 0.5, "0.75" 0.75, "1" 1)
set key outside right top vertical Left reverse noopaque nobox samplen 2 title "order\n(thick: 3 costly,\n9 pageblock)"
unset colorbox
thr = extfrag_threshold / 1000.0
# vm.extfrag_threshold, on every panel (drawn behind the data).
set arrow 1 from graph 0, first thr to graph 1, first thr nohead back dt 2 lw 2 lc rgb "#D55E00"
set label 1 sprintf("extfrag_threshold %d", extfrag_threshold) at graph 0.01, first thr offset 0, 0.6 left \
    front font ",9" tc rgb "#D55E00"
do for [z in zones] {
    set title "Node ".substr(z, 5, strstrt(z, ".") - 1).", zone ".substr(z, strstrt(z, ".") + 1, strlen(z))
    base = "mm.".z.".extfrag_index."
    plot for [o=1:norders-1] ts using (tms($1)):(column(base.o)) with steps lw owidth(o) lc palette frac ofrac(o) \
         title sprintf("%d", o)
}
unset multiplot
