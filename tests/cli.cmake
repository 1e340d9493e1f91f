# Tests of the CLI tests' own helpers (tests/cli/lib.sh, sourced by every tests/cli/*.sh).
gl_cli_test(lib_selftest lib_selftest.sh)
# scripts/compare-runs.sh: the byte-identity check used around behaviour-preserving changes.
gl_cli_test(scripts_compare_runs scripts_compare_runs.sh)
# scripts/compare-matrix.sh: the same over partitions, random latency and 100-node runs.
gl_cli_test(scripts_compare_matrix scripts_compare_matrix.sh)
# bench/soak.sh at a small scale: the table, and file strategies soaked on a 100-node topology.
gl_cli_test(bench_soak bench_soak.sh)
