/*
 * harness: gossip-lab's Maelstrom-compatible harness. A thin dispatcher over the subcommands of
 * cmds.h; only this file exits.
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "hugepages.h"

static int usage(int status)
{
    fprintf(stderr,
            "usage: harness <command> [options]\n"
            "\n"
            "commands:\n"
            "  test     run a broadcast test (Maelstrom's `test -w broadcast`)\n"
            "  check    check a history (Maelstrom's history.edn or ours) and print results\n"
            "  results  print the key figures of a results.edn or results.json\n"
            "\n"
            "`harness <command> --help` describes a command's options.\n");
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage(CMD_EXIT_USAGE);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "check")) return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "results")) return cmd_results(argc - 1, argv + 1);
    if (!strcmp(cmd, "test")) {
        if (hugepages_wanted(cmd_test_is_large(argc - 1, argv + 1))) hugepages_reexec(argv);
        return cmd_test(argc - 1, argv + 1);
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) return usage(0);
    fprintf(stderr, "harness: unknown command '%s'\n", cmd);
    return usage(CMD_EXIT_USAGE);
}
