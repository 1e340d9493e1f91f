# latency.gp: stable latency against the batch timeout T, one panel per quantile (median, p95,
# max), one series per group (the strategy's colour; with other axes, one point type and dash
# pattern per variant). Points are the mean over the seeds, the bars their minimum and maximum
# (the seeds' spread); the dashed line is the least-squares fit latency = k*T + b, whose k, b
# and R² are in the legend (a poor fit, R² < 0.9, is not drawn: the legend says so). Thin grey
# lines mark the challenges' median and maximum limits. Input: a sweep's summary.csv and fit.csv,
# whose columns are found by name.
#
#   gnuplot plots/latency.gp                          # the latest sweep, into its directory
#   gnuplot -e "sweep='experiments/results/DIR'" plots/latency.gp
#   gnuplot -e "summary='summary.csv'; fits='fit.csv'; png='latency.png'; svg='latency.svg'; \
#               challenges='3d 3e'; limit_mpo='M1 M2'; limit_p50='P1 P2'; limit_max='X1 X2'" \
#           plots/latency.gp
#
# Any variable -e does not give comes from the sweep's figures.gp (plots/lib/sweep.gp says how):
# summary, fits, groups, known, title, workload, the outputs png and svg, and the limits
# (challenges, limit_mpo, limit_p50, limit_max: the rows of experiments/limits.csv, the one place
# they are written; there are no defaults here).
fig = "latency"
p_ = 0
do for [i_ = 1:strlen(ARG0)] { if (ARG0[i_:i_] eq "/") { p_ = i_ } }
plotsdir = p_ > 0 ? ARG0[1:p_] : ""
load plotsdir . "lib/sweep.gp"
if (!exists("fits")) { print "latency.gp: give -e \"fits='fit.csv'\""; exit status 2 }
if (!exists("title")) { title = "Stable latency against the batch timeout T (" . workload . ")" }

metrics = "p50 p95 max"
array K[3 * N]
array B[3 * N]
array R[3 * N]
array Q[3 * N]
do for [m = 1:3] {
    do for [i = 1:N] {
        g = word(groups, i)
        q = word(metrics, m)
        k = NaN; b = NaN; r = NaN; poor = 0
        stats fits using (strcol("group") eq g && strcol("metric") eq q ? \
            (k = column("k"), b = column("b"), r = column("r2"), poor = (strcol("quality") eq "poor"), 0) : 0) nooutput
        K[(m - 1) * N + i] = k
        B[(m - 1) * N + i] = b
        R[(m - 1) * N + i] = r
        Q[(m - 1) * N + i] = poor
    }
}
stats summary using "timeout_ms" nooutput
tmax = STATS_max > 0 ? STATS_max : 1

good(i) = K[i] == K[i] && Q[i] == 0
fitlabel(g, i) = K[i] != K[i] ? sprintf("%s (no fit)", g) : Q[i] ? sprintf("%s: poor fit, R²=%.2f", g, R[i]) : sprintf("%s: k=%.2f  b=%.0f ms  R²=%.3f", g, K[i], B[i], R[i])

set grid lc rgb "#e0e0e0"
set xlabel "batch timeout T (ms)"
set ylabel "stable latency (ms)"
set xrange [-0.03 * tmax : 1.03 * tmax]
set yrange [0:*]
set key top left reverse Left box opaque samplen 2.5 spacing 1.15 font ",10" noenhanced
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
            plot for [i = 1:N] summary using "timeout_ms":(sel(word(groups, i), q . "_mean")):q . "_min":q . "_max" \
                    with yerrorbars pt ptype(word(groups, i)) ps 0.8 lw 1.2 lc rgb col(word(groups, i)) notitle, \
                 for [i = 1:N] (good((m - 1) * N + i) ? K[(m - 1) * N + i] * x + B[(m - 1) * N + i] : NaN) \
                    with lines dt dtype(word(groups, i)) lw 2 lc rgb col(word(groups, i)) title fitlabel(word(groups, i), (m - 1) * N + i)
        }
        unset multiplot
        set output
    }
}
