# Tests of common/: rng, heap (more suites: codec, cfg, topo, msg).
gl_check(check_rng SOURCES check_rng.c LIBS gl_common)
gl_check(check_heap SOURCES check_heap.c LIBS gl_common)
gl_check(check_msg SOURCES check_msg.c LIBS gl_common)
gl_check(check_codec SOURCES check_codec.c LIBS gl_common)
gl_check(check_cfg SOURCES check_cfg.c LIBS gl_common)
