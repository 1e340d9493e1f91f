# pareto.gp: the trade-off between messages and latency. Two panels: server messages per
# operation against the median stable latency, and against the maximum; one curve per strategy
# through its batch timeouts (each point labelled with its T in ms), means over the seeds. The
# shaded boxes are the challenges' feasible regions, lower left of the limits: 3d (msgs-per-op
# < 30, median < 400 ms, max < 600 ms) and 3e (< 20, < 1 s, < 2 s). Both axes are logarithmic.
# Input: experiments/sweep.sh's summary.csv.
#
#   gnuplot -e "summary='summary.csv'; strategies='grid tree star flat'; \
#               png='pareto.png'; svg='pareto.svg'" plots/pareto.gp
#
# summary is required, png and/or svg too; strategies defaults to the four of the default
# sweep; title is optional; fits is accepted and ignored.
if (!exists("summary")) { print "pareto.gp: give -e \"summary='summary.csv'\""; exit status 2 }
if (!exists("png") && !exists("svg")) { print "pareto.gp: give png='OUT' and/or svg='OUT'"; exit status 2 }
if (!exists("strategies")) { strategies = "grid tree star flat" }
if (!exists("title")) { title = "Messages against latency, one curve per strategy through its batch timeouts (labels: T in ms)" }

set encoding utf8
set datafile separator ","
set datafile columnheaders

# One fixed colour per strategy name, the same in every figure of the sweep.
known = "grid tree star flat line tree2 tree3 tree4 total maelstrom"
palette = "#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b #e377c2 #17becf #7f7f7f #bcbd22"
colour(s) = sum [j = 1:words(known)] (word(known, j) eq s ? j : 0)
col(s) = colour(s) > 0 ? word(palette, colour(s)) : "#000000"

N = words(strategies)
sel(s, c) = strcol("strategy") eq s ? column(c) : NaN
# Log axes need positive values: a point with a latency or a message count of 0 (or of another
# strategy: NaN) is left out. Its label is moved far outside the plot instead, because gnuplot
# 5.4 crashes on a labels plot whose points are all undefined.
pos(v) = v > 0 ? v : NaN
far(v) = v > 0 ? v : 1e-30

stats summary using "mpo_mean" nooutput
ylo = STATS_min > 0 ? STATS_min / 1.5 : 0.1
yhi = STATS_max * 1.5 > 45 ? STATS_max * 1.5 : 45
stats summary using "p50_mean" nooutput
x1lo = STATS_min > 0 ? STATS_min / 1.5 : 10
stats summary using "max_mean" nooutput
xhi = STATS_max * 1.5 > 3000 ? STATS_max * 1.5 : 3000
x2lo = STATS_min > 0 ? STATS_min / 1.5 : 10

set grid lc rgb "#e0e0e0"
set logscale xy
set ylabel "server messages per operation"
set yrange [ylo : yhi]
set ytics ("0.5" 0.5, "1" 1, "2" 2, "5" 5, "10" 10, "20" 20, "30" 30, "50" 50, "100" 100, "200" 200)
set xtics ("50" 50, "100" 100, "200" 200, "400" 400, "600" 600, "1000" 1000, "2000" 2000, "5000" 5000, "10000" 10000, "20000" 20000)
set key bottom left reverse Left box opaque samplen 2.5 spacing 1.15 font ",10"
set style rect fc rgb "#2ca02c" fs transparent solid 0.10 border lc rgb "#2ca02c"

plotpanel = "plot for [i = 1:N] summary using (pos(sel(word(strategies, i), q . '_mean'))):(pos(column('mpo_mean'))) \
        with linespoints pt 7 ps 0.9 lw 1.5 lc rgb col(word(strategies, i)) title word(strategies, i), \
    for [i = 1:N] summary using (far(sel(word(strategies, i), q . '_mean'))):(far(column('mpo_mean'))):(sprintf('%d', column('timeout_ms'))) \
        with labels offset char 0.4, char 0.6 left font ',8' tc rgb col(word(strategies, i)) notitle"

do for [pass = 1:2] {
    if (pass == 1 && exists("png")) {
        if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
            set terminal pngcairo size 1800, 720 font "sans,11"
        } else {
            set terminal png size 1800, 720
        }
        set output png
    }
    if (pass == 2 && exists("svg")) {
        set terminal svg size 1800, 720 font "sans,11" background rgb "white"
        set output svg
    }
    if ((pass == 1 && exists("png")) || (pass == 2 && exists("svg"))) {
        set multiplot layout 1, 2 title title . "\n{/*0.8 points: means over the seeds; boxes: the challenge limits (a configuration passes where it is inside the box in both panels)}" font ",14"
        do for [m = 1:2] {
            q = (m == 1 ? "p50" : "max")
            l3d = (m == 1 ? 400 : 600)
            l3e = (m == 1 ? 1000 : 2000)
            set title (m == 1 ? "against the median (p50) stable latency" : "against the maximum stable latency") font ",12"
            set xlabel (m == 1 ? "median stable latency (ms)" : "maximum stable latency (ms)")
            set xrange [(m == 1 ? x1lo : x2lo) : xhi]
            unset object
            unset label
            set object 1 rect from graph 0, graph 0 to first l3e, first 20 fc rgb "#1f77b4" fs transparent solid 0.08 border lc rgb "#1f77b4" dt 2 back
            set object 2 rect from graph 0, graph 0 to first l3d, first 30 fc rgb "#2ca02c" fs transparent solid 0.10 border lc rgb "#2ca02c" dt 2 back
            set label 1 sprintf("3e: < 20 msgs/op, %s < %g s", q, l3e / 1000.0) at first l3e, graph 0.04 right offset -0.5, 0 tc rgb "#1f77b4" font ",10" front
            set label 2 sprintf("3d: < 30 msgs/op, %s < %d ms", q, l3d) at first l3d, first 30 right offset -0.5, 1 tc rgb "#2ca02c" font ",10" front
            eval plotpanel
        }
        unset multiplot
        set output
    }
}
