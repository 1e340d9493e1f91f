# latency.gp: stable latency against the batch timeout T, one panel per quantile (median, p95,
# max), one colour per strategy. Points are the mean over the seeds, the bars their minimum and
# maximum (the seeds' spread); the dashed line is the least-squares fit latency = k*T + b, whose
# k, b and R² are in the legend. Thin grey lines mark the challenges' median and maximum limits.
# Input: experiments/sweep.sh's summary.csv and fit.csv, whose columns are found by name.
#
#   gnuplot -e "summary='summary.csv'; fits='fit.csv'; strategies='grid tree star flat'; \
#               challenges='3d 3e'; limit_mpo='M1 M2'; limit_p50='P1 P2'; limit_max='X1 X2'; \
#               png='latency.png'; svg='latency.svg'" plots/latency.gp
#
# summary and fits are required, png and/or svg too; strategies defaults to the four of the
# default sweep; known (every strategy name, in a fixed order: it picks the colours) and title
# are optional.
# challenges, limit_mpo, limit_p50 and limit_max are required too: the challenge names and their
# limits from experiments/limits.csv, the one place they are written (the i-th word of each list
# belongs to the i-th challenge). sweep.sh passes them; there are no defaults, so no copy here.
if (!exists("summary") || !exists("fits")) {
    print "latency.gp: give -e \"summary='summary.csv'; fits='fit.csv'\""; exit status 2
}
if (!exists("challenges") || !exists("limit_mpo") || !exists("limit_p50") || !exists("limit_max")) {
    print "latency.gp: give the limits of experiments/limits.csv, e.g. -e \"challenges='3d 3e'; limit_mpo='M1 M2'; limit_p50='P1 P2'; limit_max='X1 X2'\" (sweep.sh passes them)"; exit status 2
}
if (!exists("png") && !exists("svg")) { print "latency.gp: give png='OUT' and/or svg='OUT'"; exit status 2 }
if (!exists("strategies")) { strategies = "grid tree star flat" }
if (!exists("title")) { title = "Stable latency against the batch timeout T (25 nodes, rate 100, latency 100 ms)" }

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
metrics = "p50 p95 max"
labels = "median (p50) | p95 | maximum"
array K[3 * N]
array B[3 * N]
array R[3 * N]
do for [m = 1:3] {
    do for [i = 1:N] {
        s = word(strategies, i)
        q = word(metrics, m)
        k = NaN; b = NaN; r = NaN
        stats fits using (strcol("strategy") eq s && strcol("metric") eq q ? \
            (k = column("k"), b = column("b"), r = column("r2"), 0) : 0) nooutput
        K[(m - 1) * N + i] = k
        B[(m - 1) * N + i] = b
        R[(m - 1) * N + i] = r
    }
}
stats summary using "timeout_ms" nooutput
tmax = STATS_max > 0 ? STATS_max : 1

sel(s, c) = strcol("strategy") eq s ? column(c) : NaN
fitlabel(s, i) = K[i] == K[i] ? sprintf("%s: k=%.2f  b=%.0f ms  R²=%.3f", s, K[i], B[i], R[i]) : sprintf("%s (no fit)", s)

set grid lc rgb "#e0e0e0"
set xlabel "batch timeout T (ms)"
set ylabel "stable latency (ms)"
set xrange [-0.03 * tmax : 1.03 * tmax]
set yrange [0:*]
set key top left reverse Left box opaque samplen 2.5 spacing 1.15 font ",10"
set style textbox opaque noborder margins 1, 1
set style line 100 lc rgb "#9a9a9a" dt 2 lw 1
set samples 200

do for [pass = 1:2] {
    if (pass == 1 && exists("png")) {
        if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
            set terminal pngcairo size 1800, 680 font "sans,11"
        } else {
            set terminal png size 1800, 680
        }
        set output png
    }
    if (pass == 2 && exists("svg")) {
        set terminal svg size 1800, 680 font "sans,11" background rgb "white"
        set output svg
    }
    if ((pass == 1 && exists("png")) || (pass == 2 && exists("svg"))) {
        set multiplot layout 1, 3 title title . "\n{/*0.8 points: mean over the seeds, bars: their minimum and maximum; dashed lines: least-squares fits}" font ",14"
        do for [m = 1:3] {
            q = word(metrics, m)
            set title (m == 1 ? "median (p50)" : m == 2 ? "p95" : "maximum") font ",12"
            unset arrow
            unset label
            if (m != 2) {
                do for [c = 1:words(challenges)] {
                    l = real(word(m == 1 ? limit_p50 : limit_max, c))
                    set arrow c from graph 0, first l to graph 1, first l nohead ls 100 front
                    set label c sprintf("%s limit %d ms", word(challenges, c), l) at graph 0.99, first l right offset 0, 0.5 tc rgb "#707070" font ",9" boxed front
                }
            }
            plot for [i = 1:N] summary using "timeout_ms":(sel(word(strategies, i), q . "_mean")):q . "_min":q . "_max" \
                    with yerrorbars pt 7 ps 0.8 lw 1.2 lc rgb col(word(strategies, i)) notitle, \
                 for [i = 1:N] (K[(m - 1) * N + i] == K[(m - 1) * N + i] ? K[(m - 1) * N + i] * x + B[(m - 1) * N + i] : NaN) \
                    with lines dt 2 lw 2 lc rgb col(word(strategies, i)) title fitlabel(word(strategies, i), (m - 1) * N + i)
        }
        unset multiplot
        set output
    }
}
