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
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cli.h"
#include "cli_diag.h"
#include "explain.h"
#include "json_reader.h"
#include "trace.h"

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
    diag_sink sink = {.fn = cli_print_diag, .cap = 50};
    ruleset *rs = cli_load(argv[optind], &sink);
    if (!rs)
        return EXIT_USAGE;
    FILE *in = stdin;
    if (strcmp(input, "-") != 0 && !(in = fopen(input, "rb"))) {
        fprintf(stderr, "regel: cannot open '%s': %s\n", input, strerror(errno));
        rs_free(rs);
        return EXIT_USAGE;
    }
    bt_session *session = bt_session_new(rs, 64);
    int status = EXIT_OK;
    bool found = false;
    char *line = NULL, *padded = NULL;
    size_t cap = 0, padded_cap = 0;
    ssize_t got;
    ob_buf result = {0}, out = {0};
    if (!session || !bt_session_set(session, BT_HASH | BT_TRACE))
        status = EXIT_USAGE;
    while (status != EXIT_USAGE && (got = getline(&line, &cap, in)) > 0) {
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (bt_blank(line, len))
            continue;
        if (len + JR_PADDING > padded_cap) {
            padded_cap = (len + JR_PADDING) * 2;
            char *bigger = realloc(padded, padded_cap);
            if (!bigger) {
                status = EXIT_USAGE;
                break;
            }
            padded = bigger;
        }
        memcpy(padded, line, len);
        memset(padded + len, ' ', JR_PADDING);
        result.len = 0;
        bt_outcome o = bt_decide_line(session, padded, len, &result);
        const bt_decision *d = bt_last(session);
        if (only && (!d->id || d->id_len != strlen(only) || memcmp(d->id, only, d->id_len) != 0))
            continue;
        found = true;
        if (o == BT_DECIDED)
            xp_explain(&out, rs, d, lang);
        else {
            ob_str(&out, strcmp(lang, "sv") == 0 ? "Ärende " : "Case ");
            if (d->id)
                tr_put(&out, d->id, d->id_len);
            ob_str(&out, strcmp(lang, "sv") == 0 ? ": kunde inte avgöras: " : ": could not be decided: ");
            tr_put(&out, result.data, result.len);
            ob_char(&out, '\n');
            if (status == EXIT_OK)
                status = EXIT_REJECTED;
        }
        if (o == BT_FAILED || result.failed)
            status = EXIT_USAGE;
        if (!ob_flush(&out, stdout))
            status = EXIT_USAGE;
    }
    if (only && !found) {
        fprintf(stderr, "regel: no record with the key '%s'\n", only);
        if (status == EXIT_OK)
            status = EXIT_REJECTED;
    }
    free(line);
    free(padded);
    ob_free(&result);
    ob_free(&out);
    bt_session_free(session);
    if (in != stdin)
        fclose(in);
    rs_free(rs);
    return status;
}
