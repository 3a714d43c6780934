/*
 * regel version RULESET: the rule versions with their effective dates, the
 * files in force for each (its own and those it amends, oldest first) and
 * the hash over them that every result of that version carries as
 * `ruleset_hash`. The hash changes when any of those files changes and
 * nothing else: not the checkout, not the directory's name or place.
 */
#include <stdio.h>

#include "cli.h"
#include "cli_diag.h"

static const char synopsis[] = "version RULESET";
static const char options[] = "options:\n  -h, --help  show this help\n"
    CLI_DIAG_HELP;

int cmd_version(int argc, char **argv)
{
    if ((argc = cli_diag_option(argc, argv)) < 0)
        return EXIT_USAGE;
    int status;
    int first = cli_arguments(argc, argv, synopsis, options, 1, &status);
    if (first < 0)
        return status;
    regel_ruleset *rs = cli_load(argv[first], 0, NULL);
    if (!rs)
        return EXIT_USAGE;
    for (size_t i = 0; i < regel_ruleset_version_count(rs); i++) {
        printf("%s  %s\n", regel_ruleset_version_date(rs, i), regel_ruleset_version_hash(rs, i));
        size_t files = regel_ruleset_version_file_count(rs, i);
        for (size_t f = 0; f < files; f++)
            printf("    %s%s\n", regel_ruleset_version_file(rs, i, f), f + 1 == files ? "" : "  (amended)");
    }
    regel_ruleset_free(rs);
    return EXIT_OK;
}
