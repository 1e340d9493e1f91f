# Tests of common/topo.c: Maelstrom's topologies against the fixture vectors, our strategies.
gl_check(check_topo SOURCES check_topo.c LIBS gl_common)
gl_check(check_route SOURCES check_route.c LIBS gl_common)
