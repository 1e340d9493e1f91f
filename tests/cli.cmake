# Tests of the CLI tests' own helpers (tests/cli/lib.sh, sourced by every tests/cli/*.sh).
gl_cli_test(lib_selftest lib_selftest.sh)
