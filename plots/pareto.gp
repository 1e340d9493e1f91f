# pareto.gp: the trade-off between messages and latency. Two panels: server messages per
# operation against the median stable latency, and against the maximum; one curve per group
# (the strategy's colour; one point type per variant of the other axes) through its batch
# timeouts (each point labelled with its T in ms), means over the seeds. The shaded boxes are the
# challenges' feasible regions, lower left of their limits (msgs-per-op, and the median or the
# maximum stable latency). Both axes are logarithmic, with ticks at the limits. Input: a sweep's
# summary.csv.
#
#   gnuplot plots/pareto.gp                           # the latest sweep, into its directory
#   gnuplot -e "sweep='experiments/results/DIR'" plots/pareto.gp
#   gnuplot -e "summary='summary.csv'; png='pareto.png'; svg='pareto.svg'; \
#               challenges='3d 3e'; limit_mpo='M1 M2'; limit_p50='P1 P2'; limit_max='X1 X2'" \
#           plots/pareto.gp
#
# Any variable -e does not give comes from the sweep's figures.gp (plots/lib/sweep.gp says how):
# summary, groups, known, title, png and svg, and the limits (no defaults here). points (optional)
# is a CSV of single designs drawn on top, header label,mpo_mean,p50_mean,max_mean,kind: kind
# "ours" is a filled black diamond, anything else (e.g. "published") an open grey one, each
# labelled (bench/frontier.sh --figure writes it).
fig = "pareto"
p_ = 0
do for [i_ = 1:strlen(ARG0)] { if (ARG0[i_:i_] eq "/") { p_ = i_ } }
plotsdir = p_ > 0 ? ARG0[1:p_] : ""
load plotsdir . "lib/sweep.gp"
if (!exists("title")) { title = "Messages against latency, one curve per group through its batch timeouts (labels: T in ms)" }

subtitle = "points: means over the seeds; boxes: the challenge limits (a configuration passes where it is inside the box in both panels)"
plotpanel = "plot for [i = 1:N] summary using (pos(sel(word(groups, i), q . '_mean'))):(pos(column('mpo_mean'))) \
        with linespoints pt ptype(word(groups, i)) ps 0.9 lw 1.5 lc rgb col(word(groups, i)) title word(groups, i), \
    for [i = 1:N] summary using (far(sel(word(groups, i), q . '_mean'))):(far(column('mpo_mean'))):(sprintf('%d', column('timeout_ms'))) \
        with labels offset char 0.4, char 0.6 left font ',8' tc rgb col(word(groups, i)) notitle"
# The single designs of points, if given: ours filled, the others open, each labelled.
ours(c) = strcol("kind") eq "ours" ? column(c) : NaN
others(c) = strcol("kind") ne "ours" ? column(c) : NaN
if (exists("points")) {
    plotpanel = plotpanel . ", \
    points using (ours(q . '_mean')):(column('mpo_mean')) with points pt 13 ps 1.6 lc rgb '#000000' title 'frontier configs (ours)', \
    points using (others(q . '_mean')):(column('mpo_mean')) with points pt 12 ps 1.6 lc rgb '#707070' title 'published bests', \
    points using (far(ours(q . '_mean'))):(column('mpo_mean')):(strcol('label')) with labels offset char 0.8, char 0.6 left font ',8' tc rgb '#000000' notitle, \
    points using (far(others(q . '_mean'))):(column('mpo_mean')):(strcol('label')) with labels offset char 0.8, char -0.6 left font ',8' tc rgb '#606060' notitle"
}

load plotsdir . "lib/tradeoff.gp"
