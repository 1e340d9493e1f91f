# lib/sweep.gp: what the sweep figures (latency.gp, msgs.gp, pareto.gp, frontier.gp) share, loaded
# by each with fig (its name) and plotsdir (the directory of plots/, from ARG0) set; not a figure
# itself. It finds the data, the limits and the outputs, and sets the colours.
#
# Every variable may be given with gnuplot -e; what is not comes from the sweep's figures.gp
# (written by experiments/sweep.sh into its result directory): sweep is that directory, by
# default experiments/results/latest. Without png and svg the figure goes into the sweep's
# directory as FIG.png and FIG.svg, and the script says so. groups (the series, from summary.csv's
# group column) and variants (the groups' parts after the strategy) are read from the data when
# not given; an old -e strategies='...' is taken as the groups.
# A summary given with -e and no sweep is drawn alone: no sweep's figures.gp is read (its groups
# would be another sweep's), so the limits must be given too.
if (!exists("sweep") && !exists("summary")) { sweep = plotsdir . "../experiments/results/latest" }
if (exists("sweep")) {
    if (system("test -f '" . sweep . "/figures.gp' && echo yes") eq "yes") { load sweep . "/figures.gp" }
}
if (!exists("summary")) {
    print fig . ".gp: no sweep to draw at '" . sweep . "' (it has no figures.gp): run experiments/sweep.sh, or give -e \"sweep='DIR'\" or -e \"summary='summary.csv'; ...\" (see the top of " . fig . ".gp)"
    exit status 2
}
if (!exists("challenges") || !exists("limit_mpo") || !exists("limit_p50") || !exists("limit_max")) {
    print fig . ".gp: give the limits of experiments/limits.csv, e.g. -e \"challenges='3d 3e'; limit_mpo='M1 M2'; limit_p50='P1 P2'; limit_max='X1 X2'\" (sweep.sh writes them to figures.gp)"
    exit status 2
}
if (!exists("png") && !exists("svg")) {
    if (!exists("sweep")) { sweep = system("dirname '" . summary . "'") }
    png = sweep . "/" . fig . ".png"
    svg = sweep . "/" . fig . ".svg"
    print fig . ".gp: drawing " . summary . " into " . png . " and " . svg
}
if (!exists("workload")) { workload = "25 nodes, rate 100, latency 100 ms" }

set encoding utf8
set datafile separator ","
set datafile columnheaders

if (!exists("groups") && exists("strategies")) { groups = strategies }
if (!exists("groups")) {
    groups = ""
    stats summary using (g_ = strcol("group"), strstrt(" " . groups . " ", " " . g_ . " ") == 0 ? (groups = groups . (groups eq "" ? "" : " ") . g_, 0) : 0) nooutput
}
# strat(g): the strategy of group g ("star/mode=acks" -> "star"); variant(g): the rest.
strat(g) = strstrt(g, "/") > 0 ? g[1:strstrt(g, "/") - 1] : g
variant(g) = strstrt(g, "/") > 0 ? g[strstrt(g, "/"):] : ""
if (!exists("variants")) {
    variants = ""
    do for [i_ = 1:words(groups)] {
        v_ = variant(word(groups, i_))
        if (v_ ne "" && strstrt(" " . variants . " ", " " . v_ . " ") == 0) { variants = variants . (variants eq "" ? "" : " ") . v_ }
    }
}
N = words(groups)

# One fixed colour per strategy name, the same in every figure: the i-th colour of the palette
# for the i-th name of known, the node's own list of strategies (figures.gp has
# `broadcast-node --list-strategies`), else of the groups' strategies; one point type and dash
# pattern per variant.
if (!exists("known")) { known = "" ; do for [i_ = 1:N] { known = known . " " . strat(word(groups, i_)) } }
palette = "#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b #e377c2 #17becf #7f7f7f #bcbd22"
colour(s) = sum [j = 1:words(known)] (word(known, j) eq s ? j : 0)
col(g) = colour(strat(g)) > 0 ? word(palette, (colour(strat(g)) - 1) % words(palette) + 1) : "#000000"
vindex(g) = sum [j = 1:words(variants)] (word(variants, j) eq variant(g) ? j : 0)
pointtypes = "7 5 9 11 13 15 4 6 8 10"
ptype(g) = int(word(pointtypes, vindex(g) % words(pointtypes) + 1))
dtype(g) = vindex(g) % 4 + 2
ltype(g) = dtype(g) - 1
# sel(g, c): column c of a row of group g, else NaN (the row is another group's).
sel(g, c) = strcol("group") eq g ? column(c) : NaN
