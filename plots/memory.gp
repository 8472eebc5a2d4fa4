# memory — where each node's memory is over time (stacked, MiB): free, anonymous, page cache,
# slab reclaimable / unreclaimable, page tables, vmalloc and percpu, with the node's min/low/high
# watermarks (summed over its zones), shaded intervals where kswapd ran, and markers for
# allocation failures and OOM kills (machine-wide). One panel per node.
# Series (sampled stats, pages): mm.node<N>.<zone>.nr_free_pages, .watermark_min/low/high;
# mm.node<N>.nr_anon_pages, nr_file_pages, nr_slab_reclaimable, nr_slab_unreclaimable,
# nr_page_table_pages, nr_vmalloc_pages, nr_percpu_pages; mm.node<N>.<zone>.managed_pages (for the
# "other" band: managed memory the layers do not explain); with one node, the machine-wide
# mm.vmstat.nr_anon_pages / nr_file_pages / nr_page_table_pages, slab.nr_slab_*,
# mm.vmalloc.VmallocUsed and mm.percpu.Percpu stand in for missing node series.
# kswapd: mm.node<N>.kswapd_runtime (ps, cumulative), else mm.vmstat.pageoutrun (all panels).
# Markers: mm.vmstat.mmsim_alloc_fail, mm.vmstat.oom_kill (cumulative counters).
# needs: mm.node*.nr_free_pages
load plotdir."/common.gp"
nn = words(nodes)
mib(p) = p * 4096.0 / 1048576
zone_of(z, n) = strstrt(z, "node".n.".") == 1
# Per node: the columns to sum for each layer (blank-separated), "" if the run lacks it.
array LN[8] = ["free", "anon", "file (page cache)", "slab reclaimable", "slab unreclaimable", \
               "page tables", "vmalloc", "percpu"]
array LC[8] = ["#cfe8cf", "#D55E00", "#56B4E9", "#009E73", "#0072B2", "#CC79A7", "#E69F00", "#999999"]
array NODEK[8] = ["", "nr_anon_pages", "nr_file_pages", "nr_slab_reclaimable", "nr_slab_unreclaimable", \
                  "nr_page_table_pages", "nr_vmalloc_pages", "nr_percpu_pages"]
array GLOBK[8] = ["", "mm.vmstat.nr_anon_pages", "mm.vmstat.nr_file_pages", "slab.nr_slab_reclaimable", \
                  "slab.nr_slab_unreclaimable", "mm.vmstat.nr_page_table_pages", \
                  "mm.vmalloc.VmallocUsed", "mm.percpu.Percpu"]
array COLS[8]
stats ts using 1 nooutput
dt = STATS_records > 1 ? (STATS_max - STATS_min) / (STATS_records - 1) : 1e-3
set xrange [tms(STATS_min):tms(STATS_max)]
colsum(list) = sum [k=1:words(list)] column(word(list, k))
# Cumulative counters → "did it happen in this interval" (per series index i).
array PV[4]
do for [i=1:4] { PV[i] = 0 }
happened(i, v) = (d = v - PV[i], PV[i] = v, d > 0 ? 1 : NaN)
# With several nodes but machine-wide layers only, a first "all nodes" panel shows them.
pernode_layers = 0
do for [n in nodes] { do for [k=2:8] { if (has("mm.node".n.".".NODEK[k])) { pernode_layers = 1 } } }
global_layers = 0
do for [k=2:8] { if (GLOBK[k] ne "" && has(GLOBK[k])) { global_layers = 1 } }
panels = (nn > 1 && !pernode_layers && global_layers && has("mm.vmstat.nr_free_pages") ? "all " : "").nodes
npanels = words(panels)
fig_h = npanels > 1 ? 380 * npanels + 60 : 560
@resize
set multiplot layout npanels, 1 title "Memory use per node (stacked) with watermarks, kswapd activity, allocation failures and OOM kills"
set xlabel "simulated time (ms)"
set ylabel "memory (MiB)"
set y2range [0:1]
unset y2tics
set style fill solid 1.0 noborder
# The same plot width in every panel, whatever the key holds.
set rmargin at screen 0.78
do for [n in panels] {
    all = n eq "all"
    set key outside right top vertical Left reverse noopaque nobox
    node = "mm.node".n."."
    COLS[1] = all ? "mm.vmstat.nr_free_pages" : ""
    do for [z in zones] { if (!all && zone_of(z, n)) { COLS[1] = COLS[1]." mm.".z.".nr_free_pages" } }
    do for [k=2:8] {
        COLS[k] = has(node.NODEK[k]) ? node.NODEK[k] : ((nn == 1 || all) && GLOBK[k] ne "" && has(GLOBK[k]) ? GLOBK[k] : "")
    }
    managed = ""
    do for [z in zones] { if ((all || zone_of(z, n)) && has("mm.".z.".managed_pages")) { managed = managed." mm.".z.".managed_pages" } }
    wm_min = ""; wm_low = ""; wm_high = ""
    do for [z in zones] {
        if ((all || zone_of(z, n)) && has("mm.".z.".watermark_min")) {
            wm_min = wm_min." mm.".z.".watermark_min"
            wm_low = wm_low." mm.".z.".watermark_low"
            wm_high = wm_high." mm.".z.".watermark_high"
        }
    }
    # Layers present, bottom (free) to top; the stack is drawn top layer first.
    present = ""
    do for [k=1:8] { if (words(COLS[k]) > 0) { present = present." ".k } }
    np = words(present)
    missing = ""
    do for [k=2:8] { if (words(COLS[k]) == 0) { missing = missing.(strlen(missing) ? ", " : "").LN[k] } }
    if (strlen(missing)) {
        set label 98 (nn > 1 && !all ? "not sampled per node in this run: " : "not sampled in this run: ").missing at graph 0.01, 0.96 left front font ",9" tc rgb "#606060"
    } else {
        unset label 98
    }
    ks = has(node."kswapd_runtime") ? node."kswapd_runtime" : (has("mm.vmstat.pageoutrun") ? "mm.vmstat.pageoutrun" : "")
    af = has("mm.vmstat.mmsim_alloc_fail") ? "mm.vmstat.mmsim_alloc_fail" : ""
    oom = has("mm.vmstat.oom_kill") ? "mm.vmstat.oom_kill" : ""
    set title all ? "All nodes (machine-wide counters)" : "Node ".n
    do for [i=1:4] { PV[i] = 0 }
    # sum of layers 1..j of the present list, in MiB
    upto(j) = sum [q=1:j] mib(colsum(COLS[int(word(present, q))]))
    # Optional series are appended to the command only when the run has them.
    cmd = 'plot '
    if (words(managed)) {
        # Everything the layers do not explain (kernel image, memmap, workload pages not on an LRU...).
        cmd = cmd.'ts using (tms($1)):(upto(np)):(mib(colsum(managed))) with filledcurves lc rgb "#e0e0e0" title "other (managed - layers)", '
        cmd = cmd.'ts using (tms($1)):(mib(colsum(managed))) with lines lw 1 lc rgb "#606060" title "managed pages", '
    }
    cmd = cmd.'for [j=np:1:-1] ts using (tms($1)):(upto(j)) with filledcurves x1 lc rgb LC[int(word(present, j))] title LN[int(word(present, j))]'
    if (words(wm_min)) {
        cmd = cmd.', ts using (tms($1)):(mib(colsum(wm_min))) with lines lw 1.5 dt 3 lc rgb "#000000" title "min watermark"'
        cmd = cmd.', ts using (tms($1)):(mib(colsum(wm_low))) with lines lw 1.5 dt 2 lc rgb "#000000" title "low watermark"'
        cmd = cmd.', ts using (tms($1)):(mib(colsum(wm_high))) with lines lw 1.5 dt 1 lc rgb "#000000" title "high watermark"'
    }
    if (af ne "") {
        cmd = cmd.', ts using (tms($1)):(happened(2, column(af)) * 0.96) axes x1y2 with points pt 9 ps 1.3 lc rgb "#000000" title "allocation failure"'
    }
    if (oom ne "") {
        cmd = cmd.', ts using (tms($1)):(happened(3, column(oom)) * 0.90) axes x1y2 with points pt 2 ps 2 lw 2 lc rgb "#CC0000" title "OOM kill"'
    }
    if (ks ne "") {
        cmd = cmd.', ts using (tms($1 - dt / 2)):(happened(1, column(ks))):(tms(dt)) axes x1y2 with boxes fs transparent solid 0.18 noborder lc rgb "#D55E00" title "kswapd ran (interval)"'
    }
    if (np == 0) {
        nodata_msg = "no memory series for node ".n
        @nodata
    } else {
        eval cmd
    }
}
unset multiplot
