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
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "calendar.h"
#include "cli.h"
#include "cli_diag.h"
#include "diff.h"
#include "json_reader.h"
#include "probe.h"

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

/* Pins `rs` to its version in force on `date` when one was asked for. */
static const ruleset *pin(const ruleset *rs, const char *date, ruleset *view, rs_version *slot)
{
    if (!date)
        return rs;
    cal_day day;
    if (!cal_parse(date, strlen(date), &day)) {
        fprintf(stderr, "regel: '%s' is not a date YYYY-MM-DD\n", date);
        return NULL;
    }
    const rs_version *v = rs_pick(rs, day);
    if (!v) {
        fprintf(stderr, "regel: no version of '%s' is in force on %s\n", rs->path, date);
        return NULL;
    }
    pb_pin(rs, v, view, slot);
    return view;
}

static int compare(df_session *s, FILE *in)
{
    char *line = NULL, *padded = NULL;
    size_t cap = 0, padded_cap = 0;
    ssize_t got;
    ob_buf out = {0};
    bool ok = true;
    while (ok && (got = getline(&line, &cap, in)) >= 0) {
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (bt_blank(line, len))
            continue;
        if (len + JR_PADDING > padded_cap) {
            char *bigger = realloc(padded, len + JR_PADDING);
            if (!bigger) {
                ok = false;
                break;
            }
            padded = bigger;
            padded_cap = len + JR_PADDING;
        }
        memcpy(padded, line, len);
        memset(padded + len, ' ', JR_PADDING);
        ok = df_line(s, padded, len, &out);
        if (ok && out.len > (1 << 16))
            ok = ob_flush(&out, stdout);
    }
    if (ferror(in)) {
        fprintf(stderr, "regel: error reading input: %s\n", strerror(errno));
        ok = false;
    }
    ok = ob_flush(&out, stdout) && fflush(stdout) == 0 && ok;
    ob_free(&out);
    free(line);
    free(padded);
    if (!ok) {
        fputs("regel: out of memory or cannot write the differences\n", stderr);
        return EXIT_USAGE;
    }
    ob_buf summary = {0};
    df_summary(s, &summary);
    ob_flush(&summary, stderr);
    ob_free(&summary);
    return df_changed(s) ? EXIT_REJECTED : EXIT_OK;
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
    diag_sink sink = {.fn = cli_print_diag, .cap = 50};
    ruleset *loaded[2] = {cli_load(argv[optind], &sink), NULL};
    if (loaded[0] && args == 3)
        loaded[1] = cli_load(argv[optind + 1], &sink);
    const ruleset *tree[2] = {loaded[0], args == 3 ? loaded[1] : loaded[0]};
    ruleset views[2];
    rs_version slots[2];
    const ruleset *side[2] = {NULL, NULL};
    if (tree[0] && tree[1]) {
        side[0] = pin(tree[0], as_of[0], &views[0], &slots[0]);
        side[1] = side[0] ? pin(tree[1], as_of[1], &views[1], &slots[1]) : NULL;
    }
    FILE *in = stdin;
    int status = EXIT_USAGE;
    if (side[0] && side[1] && strcmp(input, "-") != 0 && !(in = fopen(input, "rb")))
        fprintf(stderr, "regel: cannot open '%s': %s\n", input, strerror(errno));
    else if (side[0] && side[1]) {
        df_session *s = df_new(side[0], side[1]);
        if (s)
            status = compare(s, in);
        else
            fputs("regel: out of memory\n", stderr);
        df_free(s);
        if (in != stdin)
            fclose(in);
    }
    rs_free(loaded[0]);
    rs_free(loaded[1]);
    return status;
}
