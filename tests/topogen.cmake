# Tests of topogen/: enumeration counts against known values and independent counts, scores,
# majorization; CLI tests of the topogen executable.
gl_check(check_topogen SOURCES check_topogen.c LIBS gl_topogen gl_common)
file(GLOB GL_TOPOGEN_CLI CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/cli/topogen*.sh)
foreach(script ${GL_TOPOGEN_CLI})
    get_filename_component(name ${script} NAME_WE)
    gl_cli_test(${name} ${name}.sh)
endforeach()
