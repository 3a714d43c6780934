/*
 * regel diff [--as-of-old DATE] [--as-of-new DATE] OLD NEW FILE
 * regel diff --as-of-old DATE --as-of-new DATE RULESET FILE
 *
 * Decides every record of FILE under two rule trees (say a checkout of the
 * last release and the working copy), or under two versions of one tree,
 * and writes one JSON line per record whose result differs; a summary goes
 * to standard error. --as-of-old/--as-of-new decide every record of that
 * side under the version in force on DATE instead of the one its own
 * selector date picks, so an analyst can see what a change in the law does
 * to a caseload before it takes effect. Exit status as diff(1): 0 no record
 * changed, 1 some did, 2 trouble.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_diag.h"

static const char synopsis[] = "diff [--as-of-old DATE] [--as-of-new DATE] OLD NEW FILE|-\n"
                               "       regel diff --as-of-old DATE --as-of-new DATE RULESET FILE|-";
static const char options[] =
    "Writes one JSON line per record whose result differs between the two sides, and a\n"
    "summary to standard error. Exit status: 0 no record changed, 1 some did, 2 trouble.\n\n"
    "options:\n"
    "  --as-of-old DATE   decide every record on the old side under the version in force on DATE\n"
    "  --as-of-new DATE   the same for the new side\n"
    "  -h, --help         show this help\n"
    CLI_DIAG_HELP;

/* Whether `date`, when one was asked for, has a version of `rs` in force;
 * says what is wrong otherwise. */
static bool can_pin(const regel_ruleset *rs, const char *date)
{
    size_t index;
    switch (date ? regel_ruleset_version_at(rs, date, &index) : REGEL_OK) {
    case REGEL_OK: return true;
    case REGEL_ERROR_NOT_FOUND:
        fprintf(stderr, "regel: no version of '%s' is in force on %s\n", regel_ruleset_path(rs), date);
        return false;
    default: fprintf(stderr, "regel: '%s' is not a date YYYY-MM-DD\n", date); return false;
    }
}

int cmd_diff(int argc, char **argv)
{
    if ((argc = cli_diag_option(argc, argv)) < 0)
        return EXIT_USAGE;
    enum { AS_OF_OLD = 1000, AS_OF_NEW };
    static const struct option longopts[] = {{"as-of-old", required_argument, NULL, AS_OF_OLD},
                                             {"as-of-new", required_argument, NULL, AS_OF_NEW},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    const char *as_of[2] = {NULL, NULL};
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (o) {
        case AS_OF_OLD: as_of[0] = optarg; break;
        case AS_OF_NEW: as_of[1] = optarg; break;
        case 'h': cli_usage(true, synopsis, options); return EXIT_OK;
        default: cli_usage(false, synopsis, options); return EXIT_USAGE;
        }
    }
    int args = argc - optind;
    if (args != 2 && args != 3) {
        cli_usage(false, synopsis, options);
        return EXIT_USAGE;
    }
    const char *input = argv[argc - 1];
    regel_ruleset *loaded[2] = {cli_load(argv[optind], 0, NULL), NULL};
    if (loaded[0] && args == 3)
        loaded[1] = cli_load(argv[optind + 1], 0, NULL);
    const regel_ruleset *side[2] = {loaded[0], args == 3 ? loaded[1] : loaded[0]};
    bool pinned = side[0] && side[1] && can_pin(side[0], as_of[0]) && can_pin(side[1], as_of[1]);
    FILE *in = stdin;
    int status = EXIT_USAGE;
    if (pinned && strcmp(input, "-") != 0 && !(in = fopen(input, "rb")))
        fprintf(stderr, "regel: cannot open '%s': %s\n", input, strerror(errno));
    else if (pinned) {
        regel_diff_options how = REGEL_DIFF_OPTIONS_INIT;
        how.as_of_old = as_of[0];
        how.as_of_new = as_of[1];
        how.on_message = cli_message;
        regel_diff_stats stats;
        regel_status st = regel_diff_stream(side[0], side[1], in, stdout, stderr, &how, &stats);
        if (st == REGEL_ERROR_MEMORY || st == REGEL_ERROR_IO)
            fputs("regel: out of memory or cannot write the differences\n", stderr);
        else if (st == REGEL_OK)
            status = stats.changed ? EXIT_REJECTED : EXIT_OK;
        if (in != stdin)
            fclose(in);
    }
    regel_ruleset_free(loaded[0]);
    regel_ruleset_free(loaded[1]);
    return status;
}
