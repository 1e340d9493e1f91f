# Tests of harness/world. The world's modules each alone, linking only gl_world (and what it
# pulls in): wire, network, workload, nemesis. The whole world driven in virtual time
# (check_world links gl_drv_virt for that), and `harness test --virtual` end to end; the virtual
# and the process drivers agree on the same workload (harness_agree, against the wall clock).
gl_check(check_wire SOURCES check_wire.c LIBS gl_world)
gl_check(check_network SOURCES check_network.c LIBS gl_world)
gl_check(check_workload SOURCES check_workload.c LIBS gl_world)
gl_check(check_nemesis SOURCES check_nemesis.c LIBS gl_world)
gl_check(check_world SOURCES check_world.c LIBS gl_drv_virt gl_world gl_check)
# The setup's and the delivery threads' timing: init offsets, the batch phase, the ack/tick race.
gl_check(check_world_timing SOURCES check_world_timing.c LIBS gl_drv_virt gl_world gl_check)
gl_cli_test(harness_virtual harness_virtual.sh)
# Virtual runs pinned to the byte (tests/golden/virtual_runs.sha256): the order of events.
gl_cli_test(harness_golden harness_golden.sh)
gl_cli_test(harness_agree harness_agree.sh REAL_TIME)
