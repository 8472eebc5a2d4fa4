# numa — NUMA placement and cost per node.
# Top: page allocations satisfied on the local node (numa_local, solid) and on another node
# (numa_other, dashed) per simulated second, per node (mm.node<N>.numa vector, or the machine-wide
# mm.vmstat.numa: numa_hit, numa_miss, numa_foreign, numa_interleave, numa_local, numa_other).
# Bottom (when the run records them): CDF of DRAM access latency per home node, accesses from the
# local node (solid) and from remote nodes (dashed) — histograms node<N>.dram.access_latency.local
# / .remote; otherwise the share of each node's DRAM requests that came from other nodes
# (node<N>.dram.remote_requests / node<N>.dram.reads + writes) over time.
# needs: mm.vmstat.numa.|mm.node*.numa.*
load plotdir."/common.gp"
pernode = 0
do for [n in nodes] { if (has("mm.node".n.".numa.4")) { pernode = pernode + 1 } }
lathists = ""
do for [h in hists] { if (strstrt(h, "node") == 1 && strstrt(h, ".dram.access_latency.")) { lathists = lathists." ".h } }
remote = ""
do for [n in nodes] { if (has("node".n.".dram.remote_requests") && has("node".n.".dram.reads")) { remote = remote." ".n } }
np = (words(lathists) || words(remote)) ? 2 : 1
fig_h = np > 1 ? 760 : 500
@resize
array P[64]
array PT[64]
do for [i=1:64] { P[i] = 0; PT[i] = 0 }
rate(i, c) = (t = $1, r = t > PT[i] ? (c - P[i]) / (t - PT[i]) : NaN, P[i] = c, PT[i] = t, r)
share(i, rem, all) = (t = $1, d = all - PT[i], r = d > 0 ? 100.0 * (rem - P[i]) / d : NaN, P[i] = rem, PT[i] = all, r)
set multiplot layout np, 1 title "NUMA: local vs remote page allocations and memory access cost per node"
set xlabel "simulated time (ms)"
set ylabel "page allocations per simulated second"
set format y "%.1s%c"
set yrange [0:*]
set key top left box opaque Left reverse
set title "Allocations on the local node (numa_local) and on another node (numa_other)"
if (pernode) {
    plot for [i=1:words(nodes)] ts using (tms($1)):(rate(i, column("mm.node".word(nodes, i).".numa.4"))) \
             with lines lt i lw 2 title "node ".word(nodes, i)." numa_local", \
         for [i=1:words(nodes)] ts using (tms($1)):(rate(32 + i, column("mm.node".word(nodes, i).".numa.5"))) \
             with lines lt i lw 2 dt 2 title "node ".word(nodes, i)." numa_other"
} else {
    plot ts using (tms($1)):(rate(1, column("mm.vmstat.numa.4"))) with lines lt 1 lw 2 title "numa_local (all nodes)", \
         ts using (tms($1)):(rate(2, column("mm.vmstat.numa.5"))) with lines lt 1 lw 2 dt 2 title "numa_other (all nodes)"
}
if (words(lathists)) {
    set title "DRAM access latency per home node (CDF)"
    set xlabel "access latency (log scale)"
    set ylabel "fraction of accesses ≤ latency"
    set logscale x 10
    set format x "%.0s%cs"
    set format y "%g"
    set yrange [0:1.02]
    set key bottom right
    mid(lo, hi) = ((lo + hi) / 2.0 > 1000 ? (lo + hi) / 2.0 : 1000) * 1e-12
    hnode(h) = h[5:strstrt(h, ".") - 1]
    plot for [i=1:words(lathists)] lat using (strcol(1) eq word(lathists, i) ? mid($3, $4) : NaN):(strcol(1) eq word(lathists, i) ? $5 : 0) \
         smooth cnormal with steps lt (int(hnode(word(lathists, i))) + 1) lw 2 \
         dt 1 + (strstrt(word(lathists, i), "remote") ? 1 : 0) \
         title "node ".hnode(word(lathists, i))." ".(strstrt(word(lathists, i), "remote") ? "from remote nodes" : "local")
} else {
    if (words(remote)) {
        set title "Share of each node's DRAM requests that came from other nodes"
        set ylabel "remote requests (%)"
        set format y "%g"
        set yrange [0:100]
        do for [i=1:64] { P[i] = 0; PT[i] = 0 }
        plot for [i=1:words(remote)] ts using (tms($1)):(share(i, column("node".word(remote, i).".dram.remote_requests"), \
                 column("node".word(remote, i).".dram.reads") + (has("node".word(remote, i).".dram.writes") ? column("node".word(remote, i).".dram.writes") : 0))) \
             with lines lt i lw 2 title "node ".word(remote, i)
    }
}
unset multiplot
