# Tests of common/: rng, heap, evq, msg, codec, jtree, cfg, strbuf, json (+errmsg), file,
# linebuf (topo: topo.cmake).
gl_check(check_rng SOURCES check_rng.c LIBS gl_common)
gl_check(check_heap SOURCES check_heap.c LIBS gl_common)
gl_check(check_evq SOURCES check_evq.c LIBS gl_common)
gl_check(check_msg SOURCES check_msg.c LIBS gl_common)
gl_check(check_codec SOURCES check_codec.c LIBS gl_common)
gl_check(check_jtree SOURCES check_jtree.c LIBS gl_common)
gl_check(check_cfg SOURCES check_cfg.c LIBS gl_common)
gl_check(check_strbuf SOURCES check_strbuf.c LIBS gl_common)
gl_check(check_json SOURCES check_json.c LIBS gl_common)
gl_check(check_file SOURCES check_file.c LIBS gl_common)
gl_check(check_linebuf SOURCES check_linebuf.c LIBS gl_common)
