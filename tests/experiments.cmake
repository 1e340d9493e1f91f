# Tests of experiments/: the least-squares fit and gl-fit's tables (Check), and the scripts end
# to end (CLI): a tiny sweep, its bad-input errors, the maelstrom runner with a fake maelstrom,
# and challenge.sh's table; each fact the scripts use (strategy names, ranges, limits, CSV
# columns) from one source.
gl_check(check_fit SOURCES check_fit.c LIBS gl_experiments)
gl_cli_test(experiments_sweep experiments_sweep.sh)
gl_cli_test(experiments_bad_input experiments_bad_input.sh)
gl_cli_test(experiments_maelstrom experiments_maelstrom.sh)
gl_cli_test(experiments_challenge experiments_challenge.sh)
gl_cli_test(experiments_facts experiments_facts.sh)
gl_cli_test(experiments_axes experiments_axes.sh)
gl_cli_test(experiments_best experiments_best.sh)
gl_cli_test(experiments_parallel experiments_parallel.sh)
gl_cli_test(experiments_space experiments_space.sh)
