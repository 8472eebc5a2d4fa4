# latency-paths — simulated allocation latency histograms (log2 buckets, as bpftrace hist() prints
# them) split by the path the allocation took, one panel per allocator:
#   fast           pcp list / cpu slab freelist / populated percpu chunk / vmalloc, mempool fast path
#   refill         buddy allocator, SLUB partial or new slab, percpu populate / new chunk,
#                  mempool reserve, vmalloc after a lazy purge, large kmalloc (page allocator)
#   slow path      __alloc_pages_slowpath, mempool retry/wait, kvmalloc falling back to vmalloc
#   direct reclaim / compaction   (paths whose name contains "reclaim" / "compact"; the last
#                  panel shows the stalls themselves: mm.vmscan.direct_reclaim_latency and
#                  mm.compaction.stall_latency)
#   failed         the allocation returned NULL
# Frees and workload-level histograms are left out.
# needs: latency
load plotdir."/common.gp"
last(s) = strstrt(s, ".") ? last(s[strstrt(s, ".") + 1:strlen(s)]) : s
in(w, list) = strstrt(" ".list." ", " ".w." ") > 0
# Class of a histogram h from its name (reclaim / compaction anywhere) or its last component p.
pclass(h, p) = strstrt(h, "reclaim") ? 4 : strstrt(h, "compact") ? 5 : \
    in(p, "pcp fast populated ok kmalloc noblock") ? 1 : \
    in(p, "buddy slow new_slab populate new_chunk reserve purged large") ? 2 : \
    in(p, "slowpath retry waited vmalloc") ? 3 : in(p, "failed fail too_big") ? 6 : 0
array CN[6] = ["fast", "refill", "slow path", "direct reclaim", "compaction", "failed"]
# Families: a title and the histogram-name prefixes that belong to it.
NF = 6
array FT[NF] = ["page allocator (alloc_pages, __get_free_pages)", "SLUB (kmalloc, kmem_cache_alloc)", \
                "vmalloc, kvmalloc", "mempool_alloc", "alloc_percpu", \
                "time in direct reclaim (try_to_free_pages) and direct compaction, per stall"]
array FP[NF] = ["mm.page_alloc.latency.", "slab.latency.kmalloc. slab.latency.kmem_cache_alloc.", \
                "mm.latency.vmalloc. mm.latency.kvmalloc.", "mm.latency.mempool_alloc.", \
                "mm.latency.alloc_percpu.", "mm.vmscan.direct_reclaim_latency mm.compaction.stall_latency"]
family(h) = sum [f=1:NF] (sum [k=1:words(FP[f])] (strstrt(h, word(FP[f], k)) == 1 ? f : 0))
# For every family and class: the histograms that feed it, and the raw path names (for the key).
array L[NF * 6]
array PN[NF * 6]
do for [i=1:NF * 6] { L[i] = ""; PN[i] = "" }
do for [h in hists] {
    f = family(h)
    c = pclass(h, last(h))
    if (f > 0 && c > 0) {
        i = (f - 1) * 6 + c
        L[i] = L[i]." ".h
        if (!in(last(h), PN[i])) { PN[i] = PN[i]." ".last(h) }
    }
}
fams = ""
do for [f=1:NF] {
    n = 0
    do for [c=1:6] { n = n + words(L[(f - 1) * 6 + c]) }
    if (n > 0) { fams = fams." ".f }
}
nf = words(fams)
if (nf == 0) {
    set title "Simulated allocation latency by path (log2 buckets)"
    nodata_msg = "no allocation latency histogram has samples in this run"
    @nodata
    exit
}
fig_h = nf > 2 ? 320 * prows(nf) + 80 : 360 * nf + 80
@resize
set multiplot layout prows(nf), pcols(nf) title "Simulated allocation latency by path (log2 buckets)"
set logscale x 2
set logscale y 10
set yrange [0.7:*]
set xlabel "latency bucket [2^k, 2^(k+1)) ns"
set ylabel "operations"
set format y "%.0s%c"
set xtics ()
do for [k=0:30:2] { v = 2**k; set xtics add ((v < 1024 ? sprintf("%d", v) : v < 2**20 ? sprintf("%dK", v / 1024) : sprintf("%dM", v / 2**20)) v) }
set key top right box opaque Left reverse
commas(l) = words(l) <= 1 ? word(l, 1) : word(l, 1).", ".commas(l[strstrt(l[2:strlen(l)], " ") + 2:strlen(l)])
# Bucket of a latency.csv row: lower power of two of its midpoint in ns (sub-ns values go to 1 ns),
# drawn at the bucket's geometric middle. Rows of other histograms add 0 at 0.5 ns (off the axis):
# an undefined x would split the smoothed curve.
nsb(lo, hi) = (m = (lo + hi) / 2000.0, m < 1 ? 1 : 2**floor(log(m) / log(2)))
# x range: the buckets of the histograms drawn, half a bucket of margin on each side.
ALL = ""
do for [i=1:NF * 6] { ALL = ALL.L[i] }
stats lat using (in(strcol(1), ALL) ? nsb($3, $4) : NaN) nooutput
set xrange [STATS_min / 1.5 : STATS_max * 3]
do for [fi in fams] {
    f = int(fi)
    set title FT[f]
    cl = ""
    do for [c=1:6] { if (words(L[(f - 1) * 6 + c])) { cl = cl." ".c } }
    plot for [ci in cl] lat \
        using (in(strcol(1), L[(f - 1) * 6 + int(ci)]) ? nsb($3, $4) * sqrt(2) : 0.5):(in(strcol(1), L[(f - 1) * 6 + int(ci)]) ? $5 : 0) \
        smooth frequency with linespoints lt int(ci) pt 7 ps 0.7 title CN[int(ci)]." (".commas(PN[(f - 1) * 6 + int(ci)]).")"
}
unset multiplot
