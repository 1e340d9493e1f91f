# Tests of harness/edn and harness/check: the EDN reader and printer, the history (ours and
# Maelstrom's), the checker against real Maelstrom histories and results, the results writers
# and readers, and `harness check` / `harness results` end to end. They link gl_check (and
# gl_edn), never the world or the drivers.
gl_check(check_edn SOURCES check_edn.c LIBS gl_check gl_edn)
find_package(Threads REQUIRED)
gl_check(check_history SOURCES check_history.c LIBS gl_check Threads::Threads)
gl_check(check_checker SOURCES check_checker.c LIBS gl_check)
gl_check(check_setfull SOURCES check_setfull.c LIBS gl_check)
gl_check(check_checker_rules SOURCES check_checker_rules.c LIBS gl_check)
gl_check(check_results SOURCES check_results.c LIBS gl_check)
gl_check(check_checker_io SOURCES check_checker_io.c LIBS gl_check)
gl_check(check_history_text SOURCES check_history_text.c LIBS gl_check gl_edn)
# gossip-lab's own convergence check at the final reads, and how the results files show it.
gl_check(check_convergence SOURCES check_convergence.c LIBS gl_check)
gl_cli_test(check_cli check_cli.sh)
gl_cli_test(check_histories check_histories.sh REAL_TIME)
