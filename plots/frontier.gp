# frontier.gp: the configurations no other beats in messages per operation, median and maximum
# stable latency at once (a sweep's frontier.csv, written by gl-fit), among all the sweep's
# configurations (grey). Two panels, as pareto.gp: messages per operation against the median and
# against the maximum stable latency, log-log, with the challenges' boxes. Each frontier point is
# the mean over the seeds with bars over the seeds' range in both directions, labelled with what
# differs between the frontier's configurations (strategy, T, the other axes). A point may look
# beaten in one panel: the frontier is over all three measures.
#
#   gnuplot plots/frontier.gp                         # the latest sweep, into its directory
#   gnuplot -e "sweep='experiments/results/DIR'" plots/frontier.gp
#   gnuplot -e "summary='summary.csv'; frontier='frontier.csv'; png='f.png'; svg='f.svg'; \
#               challenges='3d 3e'; limit_mpo='M1 M2'; limit_p50='P1 P2'; limit_max='X1 X2'" \
#           plots/frontier.gp
#
# Any variable -e does not give comes from the sweep's figures.gp (plots/lib/sweep.gp says how):
# summary, frontier, title, png and svg, and the limits (no defaults here). labelmax (default
# 10): a frontier of more points has each point numbered instead (its row in frontier.csv, as
# sweep.sh's summary numbers them), and past 60 none. points
# (optional, as pareto.gp's: label,mpo_mean,p50_mean,max_mean,kind) are drawn on top as black
# diamonds, each labelled, titled points_title in the key (best.sh marks its winner so).
fig = "frontier"
p_ = 0
do for [i_ = 1:strlen(ARG0)] { if (ARG0[i_:i_] eq "/") { p_ = i_ } }
plotsdir = p_ > 0 ? ARG0[1:p_] : ""
load plotsdir . "lib/sweep.gp"
if (!exists("frontier")) { print "frontier.gp: give -e \"frontier='frontier.csv'\""; exit status 2 }
if (!exists("title")) { title = "The frontier: no other configuration has fewer messages per operation, a lower median and a lower maximum latency at once (" . workload . ")" }

if (!exists("labelmax")) { labelmax = 10 }
if (!exists("points_title")) { points_title = "marked" }
stats frontier using "mpo_mean" nooutput
nfront = STATS_records
subtitle = "red: the frontier, means over the seeds with bars over their range; grey: every configuration of the sweep; boxes: the challenge limits"
if (nfront > labelmax && nfront <= 60) { subtitle = subtitle . "; numbers: the frontier's rows in frontier.csv (sweep.sh's summary names them)" }
if (nfront > 60) { subtitle = subtitle . sprintf(" (%d frontier points: their labels are in frontier.csv)", nfront) }
plotpanel = "plot summary using (pos(column(q . '_mean'))):(pos(column('mpo_mean'))) \
        with points pt 7 ps 0.6 lc rgb '#c8c8c8' title 'every configuration', \
    frontier using (pos(column(q . '_mean'))):(pos(column('mpo_mean'))):q . '_min':q . '_max':'mpo_min':'mpo_max' \
        with xyerrorbars pt 7 ps 1.0 lw 1.3 lc rgb '#d62728' title 'the frontier'"
if (nfront <= labelmax) {
    plotpanel = plotpanel . ", \
    frontier using (far(column(q . '_mean'))):(far(column('mpo_mean'))):(strcol('label')) \
        with labels offset char 0.5, char 0.7 left font ',8' tc rgb '#8b1a1a' noenhanced notitle"
}
if (nfront > labelmax && nfront <= 60) {
    plotpanel = plotpanel . ", \
    frontier using (far(column(q . '_mean'))):(far(column('mpo_mean'))):(sprintf('%d', column(0) + 1)) \
        with labels offset char 0.4, char 0.6 left font ',8' tc rgb '#8b1a1a' notitle"
}
if (exists("points")) {
    plotpanel = plotpanel . ", \
    points using (pos(column(q . '_mean'))):(pos(column('mpo_mean'))) with points pt 13 ps 1.8 lc rgb '#000000' title points_title, \
    points using (far(column(q . '_mean'))):(far(column('mpo_mean'))):(strcol('label')) \
        with labels offset char 0.8, char -0.8 left font ',9' tc rgb '#000000' noenhanced notitle"
}

load plotsdir . "lib/tradeoff.gp"
