# msgs.gp: messages per operation (Maelstrom's :net :servers :msgs-per-op: server-to-server
# messages over all client operations) against the batch timeout T, one series per group (the
# strategy's colour; one point type per variant of the other axes). Points are the mean over the
# seeds, bars their minimum and maximum. Grey lines mark the challenges' limits. Input: a sweep's
# summary.csv.
#
#   gnuplot plots/msgs.gp                             # the latest sweep, into its directory
#   gnuplot -e "sweep='experiments/results/DIR'" plots/msgs.gp
#   gnuplot -e "summary='summary.csv'; png='msgs.png'; svg='msgs.svg'; \
#               challenges='3d 3e'; limit_mpo='M1 M2'; limit_p50='P1 P2'; limit_max='X1 X2'" \
#           plots/msgs.gp
#
# Any variable -e does not give comes from the sweep's figures.gp (plots/lib/sweep.gp says how):
# summary, groups, known, title, workload, png and svg, and the limits (no defaults here).
fig = "msgs"
p_ = 0
do for [i_ = 1:strlen(ARG0)] { if (ARG0[i_:i_] eq "/") { p_ = i_ } }
plotsdir = p_ > 0 ? ARG0[1:p_] : ""
load plotsdir . "lib/sweep.gp"
if (!exists("title")) { title = "Messages per operation against the batch timeout T (" . workload . ")" }

stats summary using "timeout_ms" nooutput
tmax = STATS_max > 0 ? STATS_max : 1
stats summary using "mpo_max" nooutput
ymax = STATS_max
# The highest limit, with room above it for its label.
lhi = 0
do for [c = 1:words(challenges)] { lhi = real(word(limit_mpo, c)) > lhi ? real(word(limit_mpo, c)) : lhi }

set grid lc rgb "#e0e0e0"
set xlabel "batch timeout T (ms)"
set ylabel "server messages per operation"
set xrange [-0.03 * tmax : 1.03 * tmax]
set yrange [0 : (ymax > lhi * 16 / 15 ? ymax * 1.08 : lhi * 17 / 15)]
set key top right reverse Left box opaque samplen 2.5 spacing 1.15 font ",10" noenhanced
set style line 100 lc rgb "#9a9a9a" dt 2 lw 1
set style textbox opaque noborder margins 1, 1
do for [c = 1:words(challenges)] {
    l = real(word(limit_mpo, c))
    set arrow c from graph 0, first l to graph 1, first l nohead ls 100 back
    set label c sprintf("%s limit %g", word(challenges, c), l) at graph 0.5, first l center offset 0, 0.5 tc rgb "#707070" font ",9" boxed front
}
set title title . "\n{/*0.8 points: mean over the seeds, bars: their minimum and maximum}" font ",13"

plotcmd = "plot for [i = 1:N] summary using 'timeout_ms':(sel(word(groups, i), 'mpo_mean')) \
        with lines lw 1.5 dt ltype(word(groups, i)) lc rgb col(word(groups, i)) notitle, \
    for [i = 1:N] summary using 'timeout_ms':(sel(word(groups, i), 'mpo_mean')):'mpo_min':'mpo_max' \
        with yerrorbars pt ptype(word(groups, i)) ps 0.9 lw 1.2 lc rgb col(word(groups, i)) title word(groups, i)"

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
