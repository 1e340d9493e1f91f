/*
 * cmds: the harness's subcommands. Each takes the arguments after its name (argv[0] is the
 * subcommand's name) and returns the process exit status: 0/1/2 for valid/invalid/unknown
 * results as Maelstrom does, 254 for bad arguments or unreadable input.
 */
#ifndef GL_CMDS_H
#define GL_CMDS_H

#include <stdbool.h>

/* Exit status for a usage error or unusable input (Maelstrom's bad-args status). */
#define CMD_EXIT_USAGE 254

int cmd_check(int argc, char **argv);
int cmd_results(int argc, char **argv);
int cmd_test(int argc, char **argv);

/* True when cmd_test's arguments ask for a large virtual run (hugepages.h): >= a million ops
 * times nodes. */
bool cmd_test_is_large(int argc, char **argv);

#endif
