# Tests of node/: the core on a fake clock and its value set (Check), and the real binary over
# stdin (CLI).
gl_check(check_node SOURCES check_node.c node_cluster.c LIBS gl_node gl_common)
gl_check(check_valset SOURCES check_valset.c LIBS gl_node gl_common)
# The core's refusals of input it must not act on (decoded by the codec, as broadcast-node does).
gl_check(check_node_input SOURCES check_node_input.c LIBS gl_node gl_common)
gl_cli_test(node_conversation node_conversation.sh)
gl_cli_test(node_input node_input.sh)
gl_cli_test(node_timers node_timers.sh REAL_TIME)
gl_check(check_ranges SOURCES check_ranges.c LIBS gl_node gl_common)
gl_check(check_timers SOURCES check_timers.c LIBS gl_node gl_common)
gl_check(check_batch SOURCES check_batch.c LIBS gl_node gl_common)
gl_check(check_delivery SOURCES check_delivery.c LIBS gl_node gl_common)
gl_check(check_sync SOURCES check_sync.c LIBS gl_node gl_common)
gl_check(check_node_modes SOURCES check_node_modes.c node_cluster.c LIBS gl_node gl_common)
gl_cli_test(node_modes node_modes.sh)
