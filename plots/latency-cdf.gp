# latency-cdf — CDF of simulated allocation latency per API (log x): alloc_pages and
# __get_free_pages by order class, kmalloc, kmem_cache_alloc, vmalloc, kvmalloc, mempool_alloc,
# alloc_percpu. Every path of an API (fast, refill, slow path, failed...) counts: this is the
# latency a caller sees. A run without those histograms (the engine exerciser) gets one CDF per
# histogram instead.
# needs: latency
load plotdir."/common.gp"
set title "Simulated latency: cumulative distribution per API"
set xlabel "latency (log scale; zero is drawn at 1 ns)"
set format x "%.0s%cs"
set ylabel "fraction of operations ≤ latency"
set logscale x 10
set yrange [0:1.02]
set key bottom right box opaque Left reverse
in(w, list) = strstrt(" ".list." ", " ".w." ") > 0
# API groups: a label and the histograms that belong to it.
array GL[40]
array GH[40]
ng = 0
do for [h in hists] {
    lbl = ""
    if (strstrt(h, "mm.page_alloc.latency.") == 1) {
        r = h[23:strlen(h)]
        # "<api>.<order class>.<path>" -> "<api> <order class>"
        a = r[1:strstrt(r, ".") - 1]
        r2 = r[strstrt(r, ".") + 1:strlen(r)]
        lbl = a." ".r2[1:strstrt(r2, ".") - 1]
    }
    if (strstrt(h, "slab.latency.kmalloc.") == 1) { lbl = "kmalloc" }
    if (strstrt(h, "slab.latency.kmem_cache_alloc.") == 1) { lbl = "kmem_cache_alloc" }
    do for [api in "vmalloc kvmalloc mempool_alloc alloc_percpu"] {
        if (strstrt(h, "mm.latency.".api.".") == 1) { lbl = api }
    }
    if (lbl ne "") {
        g = 0
        do for [i=1:ng] { if (GL[i] eq lbl) { g = i } }
        if (g == 0 && ng < 40) { ng = ng + 1; g = ng; GL[g] = lbl; GH[g] = "" }
        if (g > 0) { GH[g] = GH[g]." ".h }
    }
}
# Bucket midpoint in seconds (the unit column is ps), at least 1 ns. Rows of other histograms
# add nothing at 0.1 ns, left of the axis (an undefined x would split the smoothed curve).
mid(lo, hi) = ((lo + hi) / 2.0 > 1000 ? (lo + hi) / 2.0 : 1000) * 1e-12
set xrange [1e-9:*]
if (ng > 0) {
    plot for [g=1:ng] lat using (in(strcol(1), GH[g]) ? mid($3, $4) : 1e-10):(in(strcol(1), GH[g]) ? $5 : 0) \
         smooth cnormal with steps lw 2 title GL[g]
} else {
    set title "Simulated latency: cumulative distribution per histogram"
    plot for [h in hists] lat using (strcol(1) eq h ? mid($3, $4) : 1e-10):(strcol(1) eq h ? $5 : 0) \
         smooth cnormal with steps lw 2 title h
}
