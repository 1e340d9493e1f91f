# lib/tradeoff.gp: the two log-log panels pareto.gp and frontier.gp share (messages per operation
# against the median and against the maximum stable latency, with the challenges' boxes), loaded
# by each after lib/sweep.gp with title, subtitle and plotpanel (the plot command of one panel,
# q being "p50" or "max") set; not a figure itself.
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
# The single designs of pareto.gp's points, if given, widen the message axis too.
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
set key bottom left reverse Left box opaque samplen 2.5 spacing 1.15 font ",10" noenhanced
set style rect fc rgb "#2ca02c" fs transparent solid 0.10 border lc rgb "#2ca02c"
boxcolours = "#2ca02c #1f77b4 #ff7f0e #9467bd"

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
        set multiplot layout 1, 2 title title . "\n{/*0.8 " . subtitle . "}" font ",14"
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
