# Tests of the harness world and its virtual-time driver.
gl_check(check_world SOURCES check_world.c LIBS gl_drv_virt gl_world gl_check)
gl_cli_test(harness_virtual harness_virtual.sh)
gl_cli_test(harness_agree harness_agree.sh REAL_TIME)
gl_check(check_wire SOURCES check_wire.c LIBS gl_world)
gl_check(check_history SOURCES check_history.c LIBS gl_check)
# The world's modules, each alone: they link only gl_world (and what it pulls in).
gl_check(check_network SOURCES check_network.c LIBS gl_world)
gl_check(check_workload SOURCES check_workload.c LIBS gl_world)
gl_check(check_nemesis SOURCES check_nemesis.c LIBS gl_world)
