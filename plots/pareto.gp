# pareto.gp: the trade-off between messages and latency. Two panels: server messages per
# operation against the median stable latency, and against the maximum; one curve per strategy
# through its batch timeouts (each point labelled with its T in ms), means over the seeds. The
# shaded boxes are the challenges' feasible regions, lower left of their limits (msgs-per-op,
# and the median or the maximum stable latency). Both axes are logarithmic, with ticks at the
# limits. Input: experiments/sweep.sh's summary.csv.
#
#   gnuplot -e "summary='summary.csv'; strategies='grid tree star flat'; \
#               challenges='3d 3e'; limit_mpo='M1 M2'; limit_p50='P1 P2'; limit_max='X1 X2'; \
#               png='pareto.png'; svg='pareto.svg'" plots/pareto.gp
#
# summary is required, png and/or svg too; strategies defaults to the four of the default
# sweep; known (every strategy name, in a fixed order: it picks the colours) and title are
# optional; fits is accepted and ignored. points (optional) is a CSV of single designs drawn on
# top, header label,mpo_mean,p50_mean,max_mean,kind: kind "ours" is a filled black diamond,
# anything else (e.g. "published") an open grey one, each labelled (bench/frontier.sh --figure
# writes it).
# challenges, limit_mpo, limit_p50 and limit_max are required too: the challenge names and their
# limits from experiments/limits.csv, the one place they are written (the i-th word of each list
# belongs to the i-th challenge). sweep.sh passes them; there are no defaults, so no copy here.
if (!exists("summary")) { print "pareto.gp: give -e \"summary='summary.csv'\""; exit status 2 }
if (!exists("challenges") || !exists("limit_mpo") || !exists("limit_p50") || !exists("limit_max")) {
    print "pareto.gp: give the limits of experiments/limits.csv, e.g. -e \"challenges='3d 3e'; limit_mpo='M1 M2'; limit_p50='P1 P2'; limit_max='X1 X2'\" (sweep.sh passes them)"; exit status 2
}
if (!exists("png") && !exists("svg")) { print "pareto.gp: give png='OUT' and/or svg='OUT'"; exit status 2 }
if (!exists("strategies")) { strategies = "grid tree star flat" }
if (!exists("title")) { title = "Messages against latency, one curve per strategy through its batch timeouts (labels: T in ms)" }

set encoding utf8
set datafile separator ","
set datafile columnheaders

# One fixed colour per strategy name, the same in every figure: the i-th colour of the palette
# for the i-th name of known, the node's own list of strategies (sweep.sh passes
# `broadcast-node --list-strategies`), else of strategies.
if (!exists("known")) { known = strategies }
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

# The highest limits: every box stays inside the plot.
NC = words(challenges)
most(list) = (m_ = 0, sum [c = 1:NC] (m_ = real(word(list, c)) > m_ ? real(word(list, c)) : m_, 0), m_)
mpohi = most(limit_mpo)
maxhi = most(limit_max)

stats summary using "mpo_mean" nooutput
if (exists("points")) {
    lo_ = STATS_min
    stats points using "mpo_mean" nooutput
    STATS_min = STATS_min < lo_ ? STATS_min : lo_
}
ylo = STATS_min > 0 ? STATS_min / 1.5 : 0.1
yhi = STATS_max > mpohi ? STATS_max * 1.5 : mpohi * 1.5
stats summary using "p50_mean" nooutput
x1lo = STATS_min > 0 ? STATS_min / 1.5 : 10
stats summary using "max_mean" nooutput
xhi = STATS_max > maxhi ? STATS_max * 1.5 : maxhi * 1.5
x2lo = STATS_min > 0 ? STATS_min / 1.5 : 10

# Tick marks: the 1-2-5 series within [lo, hi] and the limits in list, leaving out a series tick
# within a factor 1.3 of a limit (its label would crowd the limit's).
near(v, list) = sum [c = 1:NC] (abs(log(v / real(word(list, c)))) < log(1.3) ? 1 : 0)
tick(v) = sprintf('"%g" %g, ', v, v)
tickset(lo, hi, list) = (t_ = "", \
    sum [e = -1:4] sum [k = 1:3] (v_ = word("1 2 5", k) * 10.0**e, \
        v_ >= lo && v_ <= hi && !near(v_, list) ? (t_ = t_ . tick(v_), 0) : 0), \
    sum [c = 1:NC] (t_ = t_ . tick(real(word(list, c))), 0), \
    t_[1:strlen(t_) - 2])

set grid lc rgb "#e0e0e0"
set logscale xy
set ylabel "server messages per operation"
set yrange [ylo : yhi]
eval "set ytics (" . tickset(ylo < 0.5 ? ylo : 0.5, 200, limit_mpo) . ")"
set key bottom left reverse Left box opaque samplen 2.5 spacing 1.15 font ",10"
set style rect fc rgb "#2ca02c" fs transparent solid 0.10 border lc rgb "#2ca02c"
boxcolours = "#2ca02c #1f77b4 #ff7f0e #9467bd"

plotpanel = "plot for [i = 1:N] summary using (pos(sel(word(strategies, i), q . '_mean'))):(pos(column('mpo_mean'))) \
        with linespoints pt 7 ps 0.9 lw 1.5 lc rgb col(word(strategies, i)) title word(strategies, i), \
    for [i = 1:N] summary using (far(sel(word(strategies, i), q . '_mean'))):(far(column('mpo_mean'))):(sprintf('%d', column('timeout_ms'))) \
        with labels offset char 0.4, char 0.6 left font ',8' tc rgb col(word(strategies, i)) notitle"
# The single designs of points, if given: ours filled, the others open, each labelled.
ours(c) = strcol("kind") eq "ours" ? column(c) : NaN
others(c) = strcol("kind") ne "ours" ? column(c) : NaN
if (exists("points")) {
    plotpanel = plotpanel . ", \
    points using (ours(q . '_mean')):(column('mpo_mean')) with points pt 13 ps 1.6 lc rgb '#000000' title 'frontier configs (ours)', \
    points using (others(q . '_mean')):(column('mpo_mean')) with points pt 12 ps 1.6 lc rgb '#707070' title 'published bests', \
    points using (ours(q . '_mean')):(column('mpo_mean')):(strcol('label')) with labels offset char 0.8, char 0.6 left font ',8' tc rgb '#000000' notitle, \
    points using (others(q . '_mean')):(column('mpo_mean')):(strcol('label')) with labels offset char 0.8, char -0.6 left font ',8' tc rgb '#606060' notitle"
}

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
            lat = (m == 1 ? limit_p50 : limit_max)
            eval "set xtics (" . tickset(50, 20000, lat) . ")"
            set title (m == 1 ? "against the median (p50) stable latency" : "against the maximum stable latency") font ",12"
            set xlabel (m == 1 ? "median stable latency (ms)" : "maximum stable latency (ms)")
            set xrange [(m == 1 ? x1lo : x2lo) : xhi]
            unset object
            unset label
            # One box per challenge; the first one's label above its box, the others' at the
            # bottom of the panel, one above the other.
            do for [c = 1:NC] {
                lx = real(word(lat, c))
                ly = real(word(limit_mpo, c))
                bc = word(boxcolours, (c - 1) % words(boxcolours) + 1)
                set object c rect from graph 0, graph 0 to first lx, first ly fc rgb bc fs transparent solid 0.09 border lc rgb bc dt 2 back
                boxlabel = sprintf("%s: < %g msgs/op, %s < %s", word(challenges, c), ly, q, lx < 1000 ? sprintf("%d ms", lx) : sprintf("%g s", lx / 1000.0))
                if (c == 1) {
                    set label c boxlabel at first lx, first ly right offset -0.5, 1 tc rgb bc font ",10" front
                } else {
                    set label c boxlabel at first lx, graph 0.04 * (c - 1) right offset -0.5, 0 tc rgb bc font ",10" front
                }
            }
            eval plotpanel
        }
        unset multiplot
        set output
    }
}
