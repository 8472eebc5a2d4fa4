# reclaim — memory pressure over time from the /proc/vmstat counters (per-interval rates):
# top: pages scanned and reclaimed (pgscan/pgsteal by kswapd and direct reclaim);
# bottom: direct-reclaim stalls (allocstall_*, all zones), compaction stalls / successes /
# failures, kswapd runs (pageoutrun) and OOM kills, in events per simulated second.
# needs: mm.vmstat.pgscan|mm.vmstat.pgsteal|mm.vmstat.allocstall|mm.vmstat.compact_stall
load plotdir."/common.gp"
vm = "mm.vmstat."
# Series of each panel: "label=counter[+counter...]" without blanks; missing counters are dropped.
top = ""
do for [c in "pgscan_kswapd pgscan_direct pgsteal_kswapd pgsteal_direct"] { if (has(vm.c)) { top = top." ".c } }
stalls = ""
do for [w in cols] { if (strstrt(w, vm."allocstall_") == 1) { stalls = stalls." ".w } }
bottom = ""
do for [c in "compact_stall compact_success compact_fail pageoutrun kswapd_low_wmark_hit_quickly kswapd_high_wmark_hit_quickly oom_kill"] {
    if (has(vm.c)) { bottom = bottom." ".c }
}
nt = words(top)
nb = words(bottom) + (words(stalls) ? 1 : 0)
np = (nt ? 1 : 0) + (nb ? 1 : 0)
fig_h = np > 1 ? 760 : 500
@resize
colsum(list) = sum [k=1:words(list)] column(word(list, k))
# Rate of a cumulative counter between consecutive samples (slot i of the arrays).
array P[16]
array PT[16]
reset_rates = 'do for [i=1:16] { P[i] = 0; PT[i] = 0 }'
rate(i, c) = (t = $1, r = t > PT[i] ? (c - P[i]) / (t - PT[i]) : NaN, P[i] = c, PT[i] = t, r)
array LBL[5] = ["compaction stalls (compact_stall)", "compaction successes (compact_success)", \
                "compaction failures (compact_fail)", "kswapd runs (pageoutrun)", "OOM kills (oom_kill)"]
lbl(c) = c eq "compact_stall" ? LBL[1] : c eq "compact_success" ? LBL[2] : c eq "compact_fail" ? LBL[3] : \
         c eq "pageoutrun" ? LBL[4] : c eq "oom_kill" ? LBL[5] : \
         c eq "kswapd_low_wmark_hit_quickly" ? "kswapd woken again during its nap (".c.")" : \
         c eq "kswapd_high_wmark_hit_quickly" ? "kswapd nap ended unbalanced (".c.")" : c
bcol(c) = c eq "compact_stall" ? 0x009E73 : c eq "compact_success" ? 0x0072B2 : c eq "compact_fail" ? 0xE69F00 : \
          c eq "pageoutrun" ? 0x56B4E9 : c eq "kswapd_low_wmark_hit_quickly" ? 0xCC79A7 : \
          c eq "kswapd_high_wmark_hit_quickly" ? 0x999999 : 0x000000
set multiplot layout np, 1 title "Reclaim and compaction activity (/proc/vmstat counters, per-interval rates)"
set xlabel "simulated time (ms)"
set format y "%.1s%c"
set key top left box opaque Left reverse
set yrange [0:*]
if (nt) {
    set title "Page reclaim: pages scanned (pgscan) and reclaimed (pgsteal)"
    set ylabel "pages per simulated second"
    @reset_rates
    tot = 0
    do for [c in top] { stats ts using (column(vm.c)) nooutput; tot = tot + STATS_max }
    if (tot == 0) {
        set label 97 "no page was scanned or reclaimed in this run" at graph 0.5, 0.6 center
        set yrange [0:1]
        set format y "%g"
    }
    # kswapd in blue, direct reclaim in orange; scanned dashed, reclaimed solid.
    colr(c) = strstrt(c, "kswapd") ? 0x0072B2 : 0xD55E00
    scans = ""; steals = ""
    do for [c in top] { if (strstrt(c, "pgscan")) { scans = scans." ".c } else { steals = steals." ".c } }
    plot for [i=1:words(scans)] ts using (tms($1)):(rate(i, column(vm.word(scans, i)))) \
             with lines lc rgb colr(word(scans, i)) dt 2 lw 2 title word(scans, i), \
         for [i=1:words(steals)] ts using (tms($1)):(rate(8 + i, column(vm.word(steals, i)))) \
             with lines lc rgb colr(word(steals, i)) dt 1 lw 2 title word(steals, i)
}
unset label 97
set yrange [0:*]
if (nb) {
    set title "Direct reclaim and compaction stalls, kswapd events, OOM kills"
    set ylabel "events per simulated second"
    set format y "%g"
    @reset_rates
    cmd = 'plot for [i=1:words(bottom)] ts using (tms($1)):(rate(i, column(vm.word(bottom, i)))) with lines lc rgb bcol(word(bottom, i)) lw 2 title lbl(word(bottom, i))'
    if (words(stalls)) {
        cmd = cmd.', ts using (tms($1)):(rate(16, colsum(stalls))) with lines lc rgb "#D55E00" lw 2 title "direct reclaim stalls (allocstall_*)"'
    }
    eval cmd
}
unset multiplot
