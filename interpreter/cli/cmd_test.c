/*
 * regel test [--coverage] [-v] RULESET [TESTFILE...]: runs the rule tests of
 * a ruleset (every NAME.regeltest in RULESET/tests, or the files named) and
 * prints each failure with the field, the expected and the actual value and
 * the rules that produced it, then "N passed, N failed". With --coverage it
 * then reports, per rule file, what the tests exercised and what they never
 * did. Exit status: 0 all passed, 1 some failed, 2 a broken ruleset or test
 * file, or a wrong command line.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "cli_diag.h"

static const char synopsis[] = "test [--coverage] [-v] RULESET [TESTFILE...]";
static const char options[] =
    "Runs RULESET/tests/*.regeltest, or the TESTFILEs given; see docs/testing-rules.md.\n\n"
    "options:\n"
    "  --coverage      report the rules, table rows and condition branches exercised\n"
    "  -v, --verbose   also list the cases that passed\n"
    "  -h, --help      show this help\n"
    CLI_DIAG_HELP;

int cmd_test(int argc, char **argv)
{
    if ((argc = cli_diag_option(argc, argv)) < 0)
        return EXIT_USAGE;
    static const struct option longopts[] = {{"coverage", no_argument, NULL, 'c'},
                                             {"verbose", no_argument, NULL, 'v'},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    regel_test_options opt = REGEL_TEST_OPTIONS_INIT;
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
        switch (o) {
        case 'c': opt.flags |= REGEL_TEST_COVERAGE; break;
        case 'v': opt.flags |= REGEL_TEST_VERBOSE; break;
        case 'h': cli_usage(true, synopsis, options); return EXIT_OK;
        default: cli_usage(false, synopsis, options); return EXIT_USAGE;
        }
    }
    if (argc - optind < 1) {
        cli_usage(false, synopsis, options);
        return EXIT_USAGE;
    }
    regel_ruleset *rs = cli_load(argv[optind], 0, NULL);
    if (!rs)
        return EXIT_USAGE;
    opt.files = (const char *const *)argv + optind + 1;
    opt.file_count = (size_t)(argc - optind - 1);
    opt.on_diagnostic = cli_print_diag;
    opt.max_errors = CLI_MAX_ERRORS;
    regel_test_totals totals;
    regel_status st = regel_test_run(rs, NULL, &opt, stdout, &totals);
    regel_ruleset_free(rs);
    if (st == REGEL_ERROR_RULESET) {
        fprintf(stderr, "regel: the tests were not run: %u error(s) in the test files\n", totals.file_errors);
        return EXIT_USAGE;
    }
    if (st != REGEL_OK) {
        fputs("regel: out of memory or cannot write the report\n", stderr);
        return EXIT_USAGE;
    }
    return totals.failed ? EXIT_REJECTED : EXIT_OK;
}
