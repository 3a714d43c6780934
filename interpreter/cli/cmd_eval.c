/*
 * regel eval [OPTIONS] RULESET [FILE|-]: decides JSON Lines case records, one
 * result line per non-blank input line, in input order. The input is read in
 * large blocks and each line is decided in place; memory stays flat however
 * long the input. With -o the results go to a temporary file renamed into
 * place only when complete, so an interrupted run never leaves a result file
 * that looks whole.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "json_reader.h"

enum { DEFAULT_MAX_DEPTH = 64, BLOCK = 1 << 20 };

static const char synopsis[] = "eval [OPTIONS] RULESET [FILE|-]";
static const char options[] =
    "Reads case records from FILE, or standard input when FILE is - or absent.\n\n"
    "options:\n"
    "  -o, --output FILE   write the results to FILE (complete, or not at all)\n"
    "  -h, --help          show this help\n";

typedef struct eval_run {
    bt_session *session;
    ob_buf out;
    FILE *sink;
    int status;
    bool failed;
} eval_run;

static void decide(eval_run *run, const char *line, size_t len)
{
    if (len && line[len - 1] == '\r')
        len--;
    if (bt_blank(line, len))
        return;
    bt_outcome o = bt_decide_line(run->session, line, len, &run->out);
    if (o != BT_DECIDED && run->status == EXIT_OK)
        run->status = EXIT_REJECTED;
    if (o == BT_FAILED)
        run->failed = true;
    if (run->out.len > (1 << 16) && !ob_flush(&run->out, run->sink))
        run->failed = true;
}

/* Splits the input into lines; each line is followed in the block by at least JR_PADDING spare bytes. */
static void decide_stream(eval_run *run, FILE *in)
{
    size_t cap = BLOCK, len = 0;
    char *buf = malloc(cap + JR_PADDING);
    if (!buf) {
        run->failed = true;
        return;
    }
    for (;;) {
        size_t got = fread(buf + len, 1, cap - len, in);
        len += got;
        bool eof = got == 0;
        if (ferror(in)) {
            fprintf(stderr, "regel: error reading input: %s\n", strerror(errno));
            run->failed = true;
            break;
        }
        size_t start = 0;
        char *nl;
        while (!run->failed && (nl = memchr(buf + start, '\n', len - start))) {
            size_t end = (size_t)(nl - buf);
            decide(run, buf + start, end - start);
            start = end + 1;
        }
        if (eof) {
            if (start < len && !run->failed)
                decide(run, buf + start, len - start); /* a last line without a newline */
            break;
        }
        memmove(buf, buf + start, len - start);
        len -= start;
        if (len == cap) {
            /* One line fills the block: grow it. */
            char *bigger = cap <= SIZE_MAX / 2 - JR_PADDING ? realloc(buf, cap * 2 + JR_PADDING) : NULL;
            if (!bigger) {
                run->failed = true;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        if (run->failed)
            break;
    }
    free(buf);
}

int cmd_eval(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    const char *output = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': output = optarg; break;
        case 'h': cli_usage(true, synopsis, options); return EXIT_OK;
        default: cli_usage(false, synopsis, options); return EXIT_USAGE;
        }
    }
    if (argc - optind < 1 || argc - optind > 2) {
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
    eval_run run = {.sink = stdout, .status = EXIT_OK};
    char *temp = NULL;
    if (output) {
        size_t n = strlen(output) + 16;
        temp = malloc(n);
        int fd = -1;
        if (temp) {
            snprintf(temp, n, "%s.tmp-XXXXXX", output);
            fd = mkstemp(temp);
        }
        if (fd < 0 || !(run.sink = fdopen(fd, "wb"))) {
            fprintf(stderr, "regel: cannot write '%s': %s\n", output, strerror(errno));
            if (fd >= 0)
                close(fd);
            free(temp);
            if (in != stdin)
                fclose(in);
            rs_free(rs);
            return EXIT_USAGE;
        }
    }
    run.session = bt_session_new(rs, DEFAULT_MAX_DEPTH);
    if (!run.session)
        run.failed = true;
    else
        decide_stream(&run, in);
    if (!ob_flush(&run.out, run.sink) || fflush(run.sink) != 0)
        run.failed = true;
    if (output) {
        if (fclose(run.sink) != 0)
            run.failed = true;
        if (run.failed || rename(temp, output) != 0) {
            if (!run.failed)
                fprintf(stderr, "regel: cannot write '%s': %s\n", output, strerror(errno));
            unlink(temp);
            run.failed = true;
        }
        free(temp);
    }
    if (run.failed) {
        fprintf(stderr, "regel: out of memory or cannot write the results\n");
        run.status = EXIT_USAGE;
    }
    ob_free(&run.out);
    bt_session_free(run.session);
    if (in != stdin)
        fclose(in);
    rs_free(rs);
    return run.status;
}
