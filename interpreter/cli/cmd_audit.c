/*
 * regel audit DB (--id ID | --rule RULE_ID) [--trace]: reads the decision
 * log written by `regel eval --log` (schema: docs/audit.md). --id gives the
 * history of one case, oldest first; --rule every decision in which that rule
 * fired (read from the per-batch bitmaps). One JSON line per decision: when and by which regel and rules it was
 * made, the result as it was written, and with --trace its trace.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static const char synopsis[] = "audit DB (--id ID | --rule RULE_ID) [--trace]";
static const char options[] =
    "options:\n"
    "  -i, --id ID         the history of the case whose key is ID\n"
    "  -r, --rule RULE_ID  the decisions in which rule RULE_ID fired\n"
    "  -t, --trace         include each decision's trace\n"
    "  -h, --help          show this help\n";

int cmd_audit(int argc, char **argv)
{
    static const struct option longopts[] = {{"id", required_argument, NULL, 'i'},
                                             {"rule", required_argument, NULL, 'r'},
                                             {"trace", no_argument, NULL, 't'},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    const char *id = NULL, *rule = NULL;
    bool trace = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "i:r:th", longopts, NULL)) != -1) {
        switch (opt) {
        case 'i': id = optarg; break;
        case 'r': rule = optarg; break;
        case 't': trace = true; break;
        case 'h': cli_usage(true, synopsis, options); return EXIT_OK;
        default: cli_usage(false, synopsis, options); return EXIT_USAGE;
        }
    }
    if (argc - optind != 1 || !id == !rule) {
        cli_usage(false, synopsis, options);
        return EXIT_USAGE;
    }
    regel_audit_options o = REGEL_AUDIT_OPTIONS_INIT;
    o.by = id ? REGEL_AUDIT_CASE : REGEL_AUDIT_RULE;
    o.key = id ? id : rule;
    o.flags = trace ? REGEL_AUDIT_TRACE : 0;
    o.on_message = cli_message;
    size_t found;
    regel_status st = regel_audit(argv[optind], &o, stdout, &found);
    if (st != REGEL_OK && st != REGEL_ERROR_IO)
        return EXIT_USAGE;
    int status = EXIT_OK;
    if (!found) {
        fprintf(stderr, "regel: no decision %s '%s' in the log\n", id ? "of the case" : "in which fired the rule",
                o.key);
        status = EXIT_REJECTED;
    }
    return st == REGEL_ERROR_IO ? EXIT_USAGE : status;
}
