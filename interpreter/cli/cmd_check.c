/*
 * regel check [--strict] [--diagnostics=FORMAT] RULESET: runs the front end,
 * the checker and the static checks over every version and lists the
 * versions with their files. Warnings (a rule that can never fire, an input
 * never read, a gap in a table) do not fail the check, as they do not stop
 * `eval`; with --strict they do.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "cli_diag.h"

static const char synopsis[] = "check [--strict] [--diagnostics=FORMAT] RULESET";
static const char options[] =
    "options:\n"
    "  --strict              treat warnings as errors\n"
    CLI_DIAG_HELP
    "  -h, --help            show this help\n";

int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"strict", no_argument, NULL, 's'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    bool strict = false;
    int opt;
    if ((argc = cli_diag_option(argc, argv)) < 0)
        return EXIT_USAGE;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 's': strict = true; break;
        case 'h': cli_usage(true, synopsis, options); return EXIT_OK;
        default: cli_usage(false, synopsis, options); return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        cli_usage(false, synopsis, options);
        return EXIT_USAGE;
    }
    regel_diagnostic_counts counts;
    regel_ruleset *rs = cli_load(argv[optind], 0, &counts);
    if (!rs)
        return EXIT_USAGE;
    for (size_t i = 0; i < regel_ruleset_version_count(rs); i++)
        printf("%s  %s  %zu rules\n", regel_ruleset_version_date(rs, i), regel_ruleset_version_path(rs, i),
               regel_ruleset_version_rule_count(rs, i));
    regel_ruleset_free(rs);
    if (strict && counts.warnings) {
        cli_diag_notice("the warnings fail the check (--strict)");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}
