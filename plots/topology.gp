# topology.gp: draws topogen drawing data (topogen --format gnuplot) on its grid layout: nodes
# as discs with their names, the root ringed in red, directed edges as arrows (parent -> child),
# undirected edges as plain lines. Writes a PNG and/or an SVG.
#
#   gnuplot plots/topology.gp        # the latest sweep's topologies, into its directory
#   gnuplot -e "sweep='experiments/results/DIR'" plots/topology.gp
#   gnuplot -e "data='tree.dat'; png='tree.png'; svg='tree.svg'; title='centred tree'" \
#       plots/topology.gp
#
# With data: png and/or svg are required, title is optional. Without data: every
# topology-<strategy>.dat of the sweep (experiments/sweep.sh writes one per strategy it sweeps
# that topogen knows, for its node count) is drawn beside it as topology-<strategy>.png and .svg;
# sweep defaults to experiments/results/latest, and the script says what it drew where.
p_ = 0
do for [i_ = 1:strlen(ARG0)] { if (ARG0[i_:i_] eq "/") { p_ = i_ } }
plotsdir = p_ > 0 ? ARG0[1:p_] : ""
given = exists("data")
if (given) {
    if (!exists("png") && !exists("svg")) { print "topology.gp: give png='OUT' and/or svg='OUT'"; exit status 2 }
    files = data
} else {
    if (!exists("sweep")) { sweep = plotsdir . "../experiments/results/latest" }
    files = system("ls '" . sweep . "'/topology-*.dat 2>/dev/null")
    if (words(files) == 0) {
        print "topology.gp: no topology-*.dat in '" . sweep . "': run experiments/sweep.sh (with topogen built), or give -e \"data='FILE'; png='OUT'\""
        exit status 2
    }
}

set size ratio -1
unset border
unset tics
unset key
set style arrow 1 head filled size 0.09,25 lw 1.6 lc rgb "#1f4e79"
set style arrow 2 nohead lw 1.6 lc rgb "#8c8c8c"

plotcmd = "plot data index 1 using 1:2:3:4:($5 == 1 ? 1 : 2) with vectors arrowstyle variable, \
    data index 0 using 1:2 with points pt 7 ps 4.2 lc rgb '#dbe9f6', \
    data index 0 using 1:2 with points pt 6 ps 4.2 lw 1 lc rgb '#1f4e79', \
    data index 0 using ($4 == 1 ? $1 : NaN):2 with points pt 6 ps 5.4 lw 3 lc rgb '#d62728', \
    data index 0 using 1:2:3 with labels noenhanced font ',9' tc rgb '#000000'"

do for [f = 1:words(files)] {
    data = word(files, f)
    if (!given) {
        base = data[1:strlen(data) - 4]
        png = base . ".png"
        svg = base . ".svg"
        title = base[strstrt(base, "topology-") + 9:] . " (topogen's drawing for the sweep's node count)"
        print "topology.gp: drawing " . data . " into " . png . " and " . svg
    }
    if (!exists("title")) { title = "" }
    set xrange [*:*]
    set yrange [*:*]
    stats data index 0 using 1:2 nooutput
    xmax = STATS_max_x
    ymax = STATS_max_y
    unit = 110
    W = int(unit * (xmax + 1) + 80)
    H = int(unit * (ymax + 1) + 110)
    set xrange [-0.55 : xmax + 0.55]
    set yrange [ymax + 0.55 : -0.55]
    set title title font ",13" noenhanced
    if (exists("png")) {
        set terminal pngcairo size W, H font "sans,10"
        set output png
        eval plotcmd
        set output
    }
    if (exists("svg")) {
        set terminal svg size W, H font "sans,10" background rgb "white"
        set output svg
        eval plotcmd
        set output
    }
}
