# Tests of common/: rng, heap, msg, codec, cfg, strbuf (topo: topo.cmake).
gl_check(check_rng SOURCES check_rng.c LIBS gl_common)
gl_check(check_heap SOURCES check_heap.c LIBS gl_common)
gl_check(check_msg SOURCES check_msg.c LIBS gl_common)
gl_check(check_codec SOURCES check_codec.c LIBS gl_common)
gl_check(check_cfg SOURCES check_cfg.c LIBS gl_common)
gl_check(check_strbuf SOURCES check_strbuf.c LIBS gl_common)
