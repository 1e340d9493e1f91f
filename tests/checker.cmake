# Tests of the checker and the results files (harness/): EDN reader and printer, the checker
# against real Maelstrom histories and results, the results writers and readers, and the CLI.
gl_check(check_edn SOURCES check_edn.c LIBS gl_check gl_edn)
gl_check(check_checker SOURCES check_checker.c LIBS gl_check)
gl_check(check_checker_rules SOURCES check_checker_rules.c LIBS gl_check)
gl_check(check_results SOURCES check_results.c LIBS gl_check)
gl_check(check_checker_io SOURCES check_checker_io.c LIBS gl_check)
gl_cli_test(check_cli check_cli.sh)
