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
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_diag.h"
#include "ruletest.h"

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
    rt_options opt = {0};
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
        switch (o) {
        case 'c': opt.coverage = true; break;
        case 'v': opt.verbose = true; break;
        case 'h': cli_usage(true, synopsis, options); return EXIT_OK;
        default: cli_usage(false, synopsis, options); return EXIT_USAGE;
        }
    }
    if (argc - optind < 1) {
        cli_usage(false, synopsis, options);
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    diag_sink sink = {.fn = cli_print_diag, .cap = 50};
    ruleset *rs = cli_load(path, &sink);
    if (!rs)
        return EXIT_USAGE;
    size_t n = strlen(path);
    char *dir = malloc(n + sizeof "/tests");
    if (!dir) {
        rs_free(rs);
        fputs("regel: out of memory\n", stderr);
        return EXIT_USAGE;
    }
    snprintf(dir, n + sizeof "/tests", "%s%stests", path, n && path[n - 1] == '/' ? "" : "/");
    diag_sink test_sink = {.fn = cli_print_diag, .cap = 50};
    rt_suite *suite = rt_load(rs, dir, (const char *const *)argv + optind + 1, (size_t)(argc - optind - 1), &test_sink);
    free(dir);
    if (!suite) {
        fprintf(stderr, "regel: the tests were not run: %u error(s) in the test files\n", test_sink.errors);
        rs_free(rs);
        return EXIT_USAGE;
    }
    ob_buf report = {0};
    rt_totals totals;
    bool ok = rt_run(suite, &opt, &report, &totals);
    if (ok && opt.coverage)
        rt_write_coverage(suite, &report);
    if (!ob_flush(&report, stdout) || fflush(stdout) != 0 || report.failed)
        ok = false;
    ob_free(&report);
    rt_free(suite);
    rs_free(rs);
    if (!ok) {
        fputs("regel: out of memory or cannot write the report\n", stderr);
        return EXIT_USAGE;
    }
    return totals.failed ? EXIT_REJECTED : EXIT_OK;
}
