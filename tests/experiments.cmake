# Tests of experiments/: the least-squares fit and gl-fit's tables (Check), and the scripts end
# to end (CLI): a tiny sweep, its bad-input errors, the maelstrom runner with a fake maelstrom,
# and challenge.sh's table.
gl_check(check_fit SOURCES check_fit.c LIBS gl_experiments)
