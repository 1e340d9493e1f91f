# msgs.gp: messages per operation (Maelstrom's :net :servers :msgs-per-op: server-to-server
# messages over all client operations) against the batch timeout T, one colour per strategy.
# Points are the mean over the seeds, bars their minimum and maximum. Grey lines mark the
# challenges' limits. Input: experiments/sweep.sh's summary.csv.
#
#   gnuplot -e "summary='summary.csv'; strategies='grid tree star flat'; \
#               challenges='3d 3e'; limit_mpo='M1 M2'; limit_p50='P1 P2'; limit_max='X1 X2'; \
#               png='msgs.png'; svg='msgs.svg'" plots/msgs.gp
#
# summary is required, png and/or svg too; strategies defaults to the four of the default
# sweep; known (every strategy name, in a fixed order: it picks the colours) and title are
# optional. fits is accepted and ignored (sweep.sh passes the same variables to
# every figure).
# challenges, limit_mpo, limit_p50 and limit_max are required too: the challenge names and their
# limits from experiments/limits.csv, the one place they are written (the i-th word of each list
# belongs to the i-th challenge). sweep.sh passes them; there are no defaults, so no copy here.
if (!exists("summary")) { print "msgs.gp: give -e \"summary='summary.csv'\""; exit status 2 }
if (!exists("challenges") || !exists("limit_mpo") || !exists("limit_p50") || !exists("limit_max")) {
    print "msgs.gp: give the limits of experiments/limits.csv, e.g. -e \"challenges='3d 3e'; limit_mpo='M1 M2'; limit_p50='P1 P2'; limit_max='X1 X2'\" (sweep.sh passes them)"; exit status 2
}
if (!exists("png") && !exists("svg")) { print "msgs.gp: give png='OUT' and/or svg='OUT'"; exit status 2 }
if (!exists("strategies")) { strategies = "grid tree star flat" }
if (!exists("title")) { title = "Messages per operation against the batch timeout T (25 nodes, rate 100, latency 100 ms)" }

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
stats summary using "timeout_ms" nooutput
tmax = STATS_max > 0 ? STATS_max : 1
stats summary using "mpo_max" nooutput
ymax = STATS_max
# The highest limit, with room above it for its label.
lhi = 0
do for [c = 1:words(challenges)] { lhi = real(word(limit_mpo, c)) > lhi ? real(word(limit_mpo, c)) : lhi }

sel(s, c) = strcol("strategy") eq s ? column(c) : NaN

set grid lc rgb "#e0e0e0"
set xlabel "batch timeout T (ms)"
set ylabel "server messages per operation"
set xrange [-0.03 * tmax : 1.03 * tmax]
set yrange [0 : (ymax > lhi * 16 / 15 ? ymax * 1.08 : lhi * 17 / 15)]
set key top right reverse Left box opaque samplen 2.5 spacing 1.15 font ",10"
set style line 100 lc rgb "#9a9a9a" dt 2 lw 1
set style textbox opaque noborder margins 1, 1
do for [c = 1:words(challenges)] {
    l = real(word(limit_mpo, c))
    set arrow c from graph 0, first l to graph 1, first l nohead ls 100 back
    set label c sprintf("%s limit %g", word(challenges, c), l) at graph 0.5, first l center offset 0, 0.5 tc rgb "#707070" font ",9" boxed front
}
set title title . "\n{/*0.8 points: mean over the seeds, bars: their minimum and maximum}" font ",13"

plotcmd = "plot for [i = 1:N] summary using 'timeout_ms':(sel(word(strategies, i), 'mpo_mean')) \
        with lines lw 1.5 lc rgb col(word(strategies, i)) notitle, \
    for [i = 1:N] summary using 'timeout_ms':(sel(word(strategies, i), 'mpo_mean')):'mpo_min':'mpo_max' \
        with yerrorbars pt 7 ps 0.9 lw 1.2 lc rgb col(word(strategies, i)) title word(strategies, i)"

if (exists("png")) {
    if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
        set terminal pngcairo size 1100, 680 font "sans,11"
    } else {
        set terminal png size 1100, 680
    }
    set output png
    eval plotcmd
    set output
}
if (exists("svg")) {
    set terminal svg size 1100, 680 font "sans,11" background rgb "white"
    set output svg
    eval plotcmd
    set output
}
