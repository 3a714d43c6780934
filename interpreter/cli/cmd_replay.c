/*
 * regel replay DB RULESET: re-decides every record of a decision log with
 * the rules of RULESET and reports each decision whose result or trace now
 * differs from the one logged, naming the ruleset hash used then and now. A
 * receipt an auditor can verify later: with the same rule files, nothing
 * differs. The ruleset hash itself is not compared (it is what says whether
 * the rules changed); everything else in the result line and trace is,
 * byte for byte, since regel writes both deterministically.
 */
#include <stdio.h>

#include "cli.h"
#include "cli_diag.h"

static const char synopsis[] = "replay DB RULESET";
static const char options[] =
    "Prints one line per decision that differs, then a summary.\n"
    "Exit status: 0 when every decision replays the same, 1 when some differ.\n\n"
    "options:\n"
    "  -h, --help  show this help\n"
    CLI_DIAG_HELP;

int cmd_replay(int argc, char **argv)
{
    if ((argc = cli_diag_option(argc, argv)) < 0)
        return EXIT_USAGE;
    int status;
    int first = cli_arguments(argc, argv, synopsis, options, 2, &status);
    if (first < 0)
        return status;
    regel_replay *replay = NULL;
    if (regel_replay_open(argv[first], cli_message, NULL, &replay) != REGEL_OK)
        return EXIT_USAGE;
    regel_ruleset *rs = cli_load(argv[first + 1], 0, NULL);
    regel_replay_stats stats;
    regel_status st = rs ? regel_replay_run(replay, rs, stdout, &stats) : REGEL_ERROR_RULESET;
    regel_ruleset_free(rs);
    regel_replay_free(replay);
    return st != REGEL_OK ? EXIT_USAGE : stats.differ ? EXIT_REJECTED : EXIT_OK;
}
