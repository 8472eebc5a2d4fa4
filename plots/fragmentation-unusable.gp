# fragmentation-unusable — the unusable free space index per order over time, one panel per zone.
# The index (debugfs extfrag/unusable_index) is the fraction of a zone's free memory held in blocks
# smaller than 2^order pages: 0 = every free page could serve an order-N request, 1 = none could.
# needs: mm.node*.unusable_index.*
load plotdir."/common.gp"
nz = words(zones)
fig_h = nz > 2 ? 300 * prows(nz) + 80 : 320 * nz + 80
@resize
set multiplot layout prows(nz), pcols(nz) title "Unusable free space index per order (extfrag/unusable_index: 0 = all free memory usable, 1 = none)"
set xlabel "simulated time (ms)"
set ylabel "unusable free space index"
set yrange [-0.02:1.02]
set key outside right top vertical Left reverse noopaque nobox samplen 2 title "order\n(thick: 3 costly,\n9 pageblock)"
unset colorbox
do for [z in zones] {
    set title "Node ".substr(z, 5, strstrt(z, ".") - 1).", zone ".substr(z, strstrt(z, ".") + 1, strlen(z))
    base = "mm.".z.".unusable_index."
    # Order 0 is 0 by definition: start at order 1.
    plot for [o=1:norders-1] ts using (tms($1)):(column(base.o)) with lines lw owidth(o) lc palette frac ofrac(o) \
         title sprintf("%d", o)
}
unset multiplot
