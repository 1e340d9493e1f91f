/*
 * check_run: the main() of every Check suite: runs it (fork mode unless CK_FORK=no) and turns
 * the failure count into the exit status ctest reads.
 */
#ifndef GL_CHECK_RUN_H
#define GL_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int check_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
