# highorder-success — success rate of high-order allocations over time, for every generator that
# counts them (counters <prefix>.order<N>.attempts / .successes, e.g. the fragmenter's bursts).
# Solid: the share of the attempts made in each sampling interval that succeeded (no point when
# the interval made none); dashed: the cumulative share since the start.
# needs: *.order*.successes
load plotdir."/common.gp"
series = ""
do for [w in cols] {
    n = strlen(w)
    if (n > 9 && w[n-7:n] eq "attempts") {
        p = w[1:n-9]
        if (has(p.".successes")) { series = series." ".p }
    }
}
# Keep the generators that made at least one attempt.
kept = ""
do for [p in series] {
    stats ts using (column(p.".attempts")) nooutput
    if (STATS_max > 0) { kept = kept." ".p }
}
series = kept
ns = words(series)
set title "High-order allocation success rate"
set xlabel "simulated time (ms)"
set ylabel "successful allocations (%)"
set yrange [-2:105]
set key bottom left box opaque Left reverse
array PA[ns > 0 ? ns : 1]
array PS[ns > 0 ? ns : 1]
array PT[ns > 0 ? ns : 1]
do for [i=1:ns] { PA[i] = 0; PS[i] = 0; PT[i] = -1 }
# Per interval: successes / attempts made since the previous sample (NaN if none).
rate(i, a, s) = (r = a > PA[i] ? 100.0 * (s - PS[i]) / (a - PA[i]) : NaN, PA[i] = a, PS[i] = s, r)
cum(a, s) = a > 0 ? 100.0 * s / a : NaN
# "workload.frag.order9" -> "frag: order-9"
shortp(p) = p[1:9] eq "workload." ? p[10:strlen(p)] : p
label(p) = (q = shortp(p), k = strstrt(q, ".order"), k > 0 ? q[1:k-1].": order-".q[k+6:strlen(q)] : q)
if (ns == 0) {
    nodata_msg = "no high-order allocation was attempted in this run"
    @nodata
    exit
}
plot for [i=1:ns] ts using (tms($1)):(rate(i, column(word(series, i).".attempts"), column(word(series, i).".successes"))) \
         with points lt i pt 7 ps 0.8 title label(word(series, i))." (per interval)", \
     for [i=1:ns] ts using (tms($1)):(cum(column(word(series, i).".attempts"), column(word(series, i).".successes"))) \
         with lines lt i dt 2 title label(word(series, i))." (cumulative)"
