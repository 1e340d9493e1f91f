# Tests of the real-process driver (drv_proc): every way a node can fail is reported precisely
# and no node outlives the harness; an independent Python node is run and checked valid.
gl_cli_test(harness_failures harness_failures.sh REAL_TIME)
gl_cli_test(harness_python harness_python.sh REAL_TIME)
# Nothing a node starts outlives the harness (SIGKILL, SIGHUP, a normal end); node logs capped.
gl_cli_test(harness_processes harness_processes.sh REAL_TIME)
# proc_node alone (links only gl_drv_proc): a node's stderr kept for crash reports, bounded.
gl_check(check_proc_node SOURCES check_proc_node.c LIBS gl_drv_proc)
# The convergence report of `harness test` (a Python node that drops values, our node under
# partitions without recovery) and that it leaves Maelstrom's verdict alone.
gl_cli_test(harness_convergence harness_convergence.sh REAL_TIME)
# Each node's process starts at its init's seeded offset, in the inits' order (Maelstrom's setup).
gl_cli_test(harness_spawn harness_spawn.sh REAL_TIME)
