/*
 * regel check [--strict] RULESET: runs the front end and the checker over
 * every version and lists the versions with their files. With --strict,
 * warnings fail the check too.
 */
#include <getopt.h>
#include <stdio.h>

#include "calendar.h"
#include "cli.h"

static const char options[] =
    "options:\n"
    "  --strict   treat warnings as errors\n"
    "  -h, --help show this help\n";

int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"strict", no_argument, NULL, 's'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    bool strict = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 's': strict = true; break;
        case 'h': cli_usage(true, "check [--strict] RULESET", options); return EXIT_OK;
        default: cli_usage(false, "check [--strict] RULESET", options); return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        cli_usage(false, "check [--strict] RULESET", options);
        return EXIT_USAGE;
    }
    diag_sink sink = {.fn = cli_print_diag, .cap = 50};
    ruleset *rs = cli_load(argv[optind], &sink);
    if (!rs)
        return EXIT_USAGE;
    for (size_t i = 0; i < rs->version_count; i++) {
        char date[11];
        cal_format(rs->versions[i].date, date);
        printf("%s  %s  %zu rules\n", date, rs->versions[i].file->src->path, rs->versions[i].program->rule_count);
    }
    rs_free(rs);
    return strict && sink.warnings ? EXIT_USAGE : EXIT_OK;
}
