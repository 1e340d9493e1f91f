# topology.gp: draws topogen drawing data (topogen --format gnuplot) on its grid layout: nodes
# as discs with their names, the root ringed in red, directed edges as arrows (parent -> child),
# undirected edges as plain lines. Writes a PNG and/or an SVG.
#
#   gnuplot -e "data='tree.dat'; png='tree.png'; svg='tree.svg'; title='centred tree'" \
#       plots/topology.gp
#
# data is required; png, svg and title are optional (at least one of png/svg).
if (!exists("data")) { print "topology.gp: give -e \"data='FILE'\""; exit status 2 }
if (!exists("png") && !exists("svg")) { print "topology.gp: give png='OUT' and/or svg='OUT'"; exit status 2 }
if (!exists("title")) { title = "" }

stats data index 0 using 1:2 nooutput
xmax = STATS_max_x
ymax = STATS_max_y
unit = 110
W = int(unit * (xmax + 1) + 80)
H = int(unit * (ymax + 1) + 110)

set size ratio -1
set xrange [-0.55 : xmax + 0.55]
set yrange [ymax + 0.55 : -0.55]
unset border
unset tics
unset key
set title title font ",13" noenhanced
set style arrow 1 head filled size 0.09,25 lw 1.6 lc rgb "#1f4e79"
set style arrow 2 nohead lw 1.6 lc rgb "#8c8c8c"

draw(term_set) = 0
plotcmd = "plot data index 1 using 1:2:3:4:($5 == 1 ? 1 : 2) with vectors arrowstyle variable, \
    data index 0 using 1:2 with points pt 7 ps 4.2 lc rgb '#dbe9f6', \
    data index 0 using 1:2 with points pt 6 ps 4.2 lw 1 lc rgb '#1f4e79', \
    data index 0 using ($4 == 1 ? $1 : NaN):2 with points pt 6 ps 5.4 lw 3 lc rgb '#d62728', \
    data index 0 using 1:2:3 with labels noenhanced font ',9' tc rgb '#000000'"

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
