/*
 * The regel command line: `regel check RULESET` and `regel eval RULESET
 * [FILE|-]`. Diagnostics go to standard error, results to standard output.
 * Exit status: 0 all decided, 1 some records were errors, 2 the ruleset is
 * broken or the command line is wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "calendar.h"
#include "json_reader.h"
#include "ruleset.h"

enum { EXIT_DECIDED = 0, EXIT_REJECTED = 1, EXIT_USAGE = 2, MAX_JSON_DEPTH = 64 };

static const char usage[] =
    "usage: regel check RULESET\n"
    "       regel eval RULESET [FILE|-]\n"
    "\n"
    "RULESET is a directory of rule files (*.regel), one per version.\n"
    "eval reads JSON Lines case records from FILE or standard input and writes\n"
    "one JSON result line per non-blank input line to standard output.\n"
    "Exit status: 0 every record decided, 1 some records were errors,\n"
    "2 the ruleset is broken or the command line is wrong.\n";

static void print_diag(void *ctx, const diag *d)
{
    (void)ctx;
    const char *no_colour = getenv("NO_COLOR");
    diag_print(stderr, d, isatty(2) && !(no_colour && *no_colour));
}

static ruleset *load(const char *path, diag_sink *sink)
{
    ruleset *rs = rs_load(path, sink);
    if (sink->errors)
        fprintf(stderr, "%s: %u error(s), %u warning(s)\n", path, sink->errors, sink->warnings);
    return rs;
}

static int run_check(const char *path)
{
    diag_sink sink = {.fn = print_diag, .cap = 50};
    ruleset *rs = load(path, &sink);
    if (!rs)
        return EXIT_USAGE;
    for (size_t i = 0; i < rs->version_count; i++) {
        char date[11];
        cal_format(rs->versions[i].date, date);
        printf("%s  %s  %zu rules\n", date, rs->versions[i].file->src->path, rs->versions[i].program->rule_count);
    }
    if (sink.warnings)
        fprintf(stderr, "%s: %u warning(s)\n", path, sink.warnings);
    rs_free(rs);
    return EXIT_DECIDED;
}

/* Reads the input in large blocks and decides it line by line. Each line is
 * decided in place in the block, which always keeps JR_PADDING bytes spare
 * after the data, as the JSON reader requires. */
static int run_eval(const char *path, const char *input)
{
    diag_sink sink = {.fn = print_diag, .cap = 50};
    ruleset *rs = load(path, &sink);
    if (!rs)
        return EXIT_USAGE;
    FILE *in = stdin;
    if (input && strcmp(input, "-") != 0) {
        in = fopen(input, "rb");
        if (!in) {
            fprintf(stderr, "regel: cannot open '%s': %s\n", input, strerror(errno));
            rs_free(rs);
            return EXIT_USAGE;
        }
    }
    bt_session *session = bt_session_new(rs, MAX_JSON_DEPTH);
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap + JR_PADDING);
    ob_buf out = {0};
    int status = EXIT_DECIDED;
    bool failed = !session || !buf;
    bool eof = false;
    while (!failed && !eof) {
        size_t got = fread(buf + len, 1, cap - len, in);
        len += got;
        eof = got == 0 && (feof(in) || ferror(in));
        if (ferror(in)) {
            fprintf(stderr, "regel: error reading input: %s\n", strerror(errno));
            status = EXIT_USAGE;
            break;
        }
        size_t start = 0;
        for (;;) {
            char *nl = memchr(buf + start, '\n', len - start);
            size_t end = nl ? (size_t)(nl - buf) : len;
            if (!nl && !eof)
                break;
            if (!nl && start == len)
                break;
            size_t line_len = end - start;
            if (line_len && buf[start + line_len - 1] == '\r')
                line_len--;
            if (!bt_blank(buf + start, line_len)) {
                bt_outcome o = bt_decide_line(session, buf + start, line_len, &out);
                if (o != BT_DECIDED && status == EXIT_DECIDED)
                    status = EXIT_REJECTED;
                if (o == BT_FAILED)
                    failed = true;
            }
            start = nl ? end + 1 : len;
            if (out.len > (1 << 16) && !ob_flush(&out, stdout))
                failed = true;
        }
        memmove(buf, buf + start, len - start);
        len -= start;
        if (len == cap) {
            /* A line longer than the block: grow the block. */
            char *bigger = realloc(buf, cap * 2 + JR_PADDING);
            if (!bigger) {
                failed = true;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (!ob_flush(&out, stdout) || fflush(stdout) != 0)
        failed = true;
    if (failed) {
        fprintf(stderr, "regel: out of memory or cannot write the results\n");
        status = EXIT_USAGE;
    }
    ob_free(&out);
    free(buf);
    bt_session_free(session);
    if (in != stdin)
        fclose(in);
    rs_free(rs);
    return status;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        return EXIT_DECIDED;
    }
    if (argc == 3 && strcmp(argv[1], "check") == 0)
        return run_check(argv[2]);
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "eval") == 0)
        return run_eval(argv[2], argc == 4 ? argv[3] : NULL);
    fputs(usage, stderr);
    return EXIT_USAGE;
}
