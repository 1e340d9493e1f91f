# Tests of the real-process driver (drv_proc): every way a node can fail is reported precisely
# and no node outlives the harness; an independent Python node is run and checked valid.
gl_cli_test(harness_failures harness_failures.sh REAL_TIME)
gl_cli_test(harness_python harness_python.sh REAL_TIME)
