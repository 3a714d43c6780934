/*
 * regel version RULESET: the rule versions with their effective dates, the
 * files in force for each (its own and those it amends, oldest first) and
 * the hash over them that every result of that version carries as
 * `ruleset_hash`. The hash changes when any of those files changes and
 * nothing else: not the checkout, not the directory's name or place.
 */
#include <stdio.h>

#include "calendar.h"
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
    diag_sink sink = {.fn = cli_print_diag, .cap = 50};
    ruleset *rs = cli_load(argv[first], &sink);
    if (!rs)
        return EXIT_USAGE;
    for (size_t i = 0; i < rs->version_count; i++) {
        const rs_version *v = &rs->versions[i];
        char date[11];
        cal_format(v->date, date);
        printf("%s  %s\n", date, v->hash);
        const rs_version *chain[64];
        size_t n = 0;
        for (const rs_version *p = v; p && n < 64; p = p->base)
            chain[n++] = p;
        while (n > 0) {
            const rs_version *f = chain[--n];
            printf("    %s%s\n", rs_rel_path(rs, f->file->src), f == v ? "" : "  (amended)");
        }
    }
    rs_free(rs);
    return EXIT_OK;
}
