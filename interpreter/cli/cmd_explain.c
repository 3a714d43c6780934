/*
 * regel explain [--id ID] [--lang sv|en] RULESET [FILE|-]: for each record
 * (or the one whose key is ID), the decision in words: the results, the
 * rules that gave them with their citations and figures, why the rules that
 * did not apply did not, and the thresholds the case is near. The sentences
 * are the rule files' own `explain` texts (explain.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_diag.h"

static const char synopsis[] = "explain [--id ID] [--lang sv|en] RULESET [FILE|-]";
static const char options[] =
    "Reads case records from FILE, or standard input when FILE is - or absent.\n\n"
    "options:\n"
    "  -i, --id ID         explain only the record whose key is ID\n"
    "  -L, --lang LANG     the language of the account: sv (default) or en\n"
    "  -h, --help          show this help\n"
    CLI_DIAG_HELP;

int cmd_explain(int argc, char **argv)
{
    if ((argc = cli_diag_option(argc, argv)) < 0)
        return EXIT_USAGE;
    static const struct option longopts[] = {{"id", required_argument, NULL, 'i'},
                                             {"lang", required_argument, NULL, 'L'},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    const char *only = NULL, *lang = "sv";
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "i:L:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'i': only = optarg; break;
        case 'L': lang = optarg; break;
        case 'h': cli_usage(true, synopsis, options); return EXIT_OK;
        default: cli_usage(false, synopsis, options); return EXIT_USAGE;
        }
    }
    if (argc - optind < 1 || argc - optind > 2 || (strcmp(lang, "sv") != 0 && strcmp(lang, "en") != 0)) {
        cli_usage(false, synopsis, options);
        return EXIT_USAGE;
    }
    const char *input = argc - optind == 2 ? argv[optind + 1] : "-";
    regel_ruleset *rs = cli_load(argv[optind], 0, NULL);
    if (!rs)
        return EXIT_USAGE;
    FILE *in = stdin;
    if (strcmp(input, "-") != 0 && !(in = fopen(input, "rb"))) {
        fprintf(stderr, "regel: cannot open '%s': %s\n", input, strerror(errno));
        regel_ruleset_free(rs);
        return EXIT_USAGE;
    }
    regel_explain_options o = REGEL_EXPLAIN_OPTIONS_INIT;
    o.lang = lang;
    o.key = only;
    regel_explain_stats stats;
    regel_status done = regel_explain_stream(rs, in, stdout, &o, &stats);
    if (done != REGEL_OK) /* the library says nothing itself */
        fprintf(stderr, "regel: cannot explain: %s\n", regel_status_message(done));
    int status = done != REGEL_OK ? EXIT_USAGE : stats.rejected ? EXIT_REJECTED : EXIT_OK;
    if (only && !stats.explained) {
        fprintf(stderr, "regel: no record with the key '%s'\n", only);
        if (status == EXIT_OK)
            status = EXIT_REJECTED;
    }
    if (in != stdin)
        fclose(in);
    regel_ruleset_free(rs);
    return status;
}
