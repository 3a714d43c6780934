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
#include <sys/stat.h>
#include <unistd.h>

#include "audit_log.h"
#include "batch.h"
#include "cli.h"
#include "cli_diag.h"
#include "json_reader.h"
#include "parallel.h"

#ifndef REGEL_VERSION
#define REGEL_VERSION "0.0.0"
#endif

enum { DEFAULT_MAX_DEPTH = 64, BLOCK = 1 << 20 };
/* Longer lines get an error record; the reader holds at most this much of one. */
#define DEFAULT_MAX_LINE_BYTES ((size_t)16 << 20)

static const char synopsis[] = "eval [OPTIONS] RULESET [FILE|-]";
static const char options[] =
    "Reads case records from FILE, or standard input when FILE is - or absent.\n\n"
    "options:\n"
    "  -o, --output FILE   write the results to FILE (complete, or not at all)\n"
    "  -t, --trace         add to each result the trace of the rules evaluated\n"
    "                      (docs/trace-schema.json)\n"
    "  -l, --log DB        append every decision, with its trace, to the SQLite\n"
    "                      decision log DB (docs/audit.md)\n"
    "      --log-batch N   decisions per transaction of the log (default 4096)\n"
    "  -j, --jobs N        decide on N threads (default: the number of processors);\n"
    "                      the output is the same for any N (with --log, one thread)\n"
    "  -h, --help          show this help\n"
    "\nlimits (a record past one gets an error record; the batch goes on):\n"
    "      --max-line-bytes N  bytes in one input line (default 16777216)\n"
    "      --max-depth N       nesting of a JSON record (default 64, at most 1024)\n"
    "      --max-steps N       evaluation steps per record (default 100000000)\n"
    "      --max-nesting N     nesting of expressions in the rule files; a deeper\n"
    "                          file is an error (default 256, at most 1024)\n"
    CLI_DIAG_HELP;

typedef struct eval_run {
    bt_session *session;
    al_log *log;
    bool trace;               /* the output carries the trace (else only the log has it) */
    size_t line_no;
    size_t max_line;          /* --max-line-bytes */
    ob_buf out;
    FILE *sink;
    int status;
    bool failed;
    pl_pool *pool;            /* -j N > 1: the lines go to worker threads (parallel.h) */
} eval_run;

/* A line that is not blank gets exactly one result. `whole` is false for a
 * line past --max-line-bytes, of which only the first part is at hand. */
static void decide(eval_run *run, const char *line, size_t len, bool whole)
{
    run->line_no++;
    if (run->pool) {
        if (!pl_line(run->pool, line, len, whole, run->sink))
            run->failed = true;
        return;
    }
    if (len && line[len - 1] == '\r')
        len--;
    if (whole && bt_blank(line, len))
        return;
    if (len > run->max_line)
        whole = false;
    bt_outcome o = whole ? bt_decide_line(run->session, line, len, &run->out)
                         : bt_reject_line(run->session, "line too long", &run->out);
    if (run->log) {
        const bt_decision *d = bt_last(run->session);
        /* A line too long to read is not kept either (docs/audit.md). */
        if (!al_append(run->log, run->line_no, line, whole ? len : 0, &run->out, d)) {
            fprintf(stderr, "regel: decision log: %s\n", al_error(run->log));
            run->failed = true;
        }
    }
    if (o != BT_DECIDED && run->status == EXIT_OK)
        run->status = EXIT_REJECTED;
    if (o == BT_FAILED)
        run->failed = true;
    if (run->out.len > (1 << 16) && !ob_flush(&run->out, run->sink))
        run->failed = true;
}

/* Splits the input into lines; each line is followed in the block by at least
 * JR_PADDING spare bytes. The block grows to hold the longest line up to
 * --max-line-bytes; the rest of a longer line is read and dropped (only
 * whether it was blank is kept), so memory stays bounded whatever the input. */
static void decide_stream(eval_run *run, FILE *in)
{
    size_t cap = BLOCK, len = 0;
    bool skipping = false, skipped_blank = true; /* in a line too long to hold */
    char *buf = malloc(cap + JR_PADDING);
    if (!buf) {
        run->failed = true;
        return;
    }
    for (;;) {
        /* read(), not fread(): from a pipe, decide (and log) what has come
         * so far instead of waiting for a whole block. */
        ssize_t got;
        do
            got = read(fileno(in), buf + len, cap - len);
        while (got < 0 && errno == EINTR);
        bool eof = got == 0;
        if (got < 0) {
            fprintf(stderr, "regel: error reading input: %s\n", strerror(errno));
            run->failed = true;
            break;
        }
        len += (size_t)got;
        size_t start = 0;
        char *nl;
        if (skipping) {
            nl = memchr(buf, '\n', len);
            size_t end = nl ? (size_t)(nl - buf) : len;
            skipped_blank = skipped_blank && bt_blank(buf, end);
            if (nl || eof) {
                skipping = false;
                if (!skipped_blank) /* a blank line gets no result, however long */
                    decide(run, buf, 0, false);
            }
            start = nl ? end + 1 : len;
        }
        while (!run->failed && (nl = memchr(buf + start, '\n', len - start))) {
            size_t end = (size_t)(nl - buf);
            decide(run, buf + start, end - start, true);
            start = end + 1;
        }
        if (eof) {
            if (start < len && !run->failed)
                decide(run, buf + start, len - start, true); /* a last line without a newline */
            break;
        }
        memmove(buf, buf + start, len - start);
        len -= start;
        if (len == cap && cap > run->max_line) {
            /* The line is longer than allowed: drop what is held and the rest of it. */
            skipping = true;
            skipped_blank = bt_blank(buf, len);
            len = 0;
        } else if (len == cap) {
            /* One line fills the block: grow it, up to what the longest allowed line needs. */
            size_t want = cap <= SIZE_MAX / 2 - JR_PADDING ? cap * 2 : SIZE_MAX / 2 - JR_PADDING;
            if (want > run->max_line + 1)
                want = run->max_line + 1;
            char *bigger = realloc(buf, want + JR_PADDING);
            if (!bigger) {
                run->failed = true;
                break;
            }
            buf = bigger;
            cap = want;
        }
        if (run->failed)
            break;
    }
    free(buf);
}

/* A whole number from min to max for a limit flag; says what is wrong otherwise. */
static bool limit_arg(const char *flag, const char *arg, unsigned long long min, unsigned long long max,
                      unsigned long long *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || !end || end == arg || *end || arg[0] == '-' || v < min || v > max) {
        fprintf(stderr, "regel: %s wants a whole number from %llu to %llu\n", flag, min, max);
        return false;
    }
    *out = v;
    return true;
}

int cmd_eval(int argc, char **argv)
{
    if ((argc = cli_diag_option(argc, argv)) < 0)
        return EXIT_USAGE;
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"jobs", required_argument, NULL, 'j'},
                                             {"trace", no_argument, NULL, 't'},
                                             {"log", required_argument, NULL, 'l'},
                                             {"log-batch", required_argument, NULL, 'b'},
                                             {"max-line-bytes", required_argument, NULL, 'L'},
                                             {"max-depth", required_argument, NULL, 'D'},
                                             {"max-steps", required_argument, NULL, 'S'},
                                             {"max-nesting", required_argument, NULL, 'N'},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    const char *output = NULL, *log_path = NULL;
    bool trace = false;
    long log_batch = 4096;
    unsigned long long max_line = DEFAULT_MAX_LINE_BYTES, max_depth = DEFAULT_MAX_DEPTH, max_steps = 0,
                       max_nesting = 0, jobs = pl_default_jobs();
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:tl:j:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': output = optarg; break;
        case 'j':
            if (!limit_arg("--jobs", optarg, 1, 256, &jobs))
                return EXIT_USAGE;
            break;
        case 't': trace = true; break;
        case 'l': log_path = optarg; break;
        case 'b': {
            char *end = NULL;
            log_batch = strtol(optarg, &end, 10);
            if (!end || *end || log_batch < 1 || log_batch > 1000000) {
                fprintf(stderr, "regel: --log-batch wants a number from 1 to 1000000\n");
                return EXIT_USAGE;
            }
            break;
        }
        case 'L':
            if (!limit_arg("--max-line-bytes", optarg, 1, (1ull << 32) - 1, &max_line))
                return EXIT_USAGE;
            break;
        case 'D':
            if (!limit_arg("--max-depth", optarg, 1, JR_DEPTH_CAP, &max_depth))
                return EXIT_USAGE;
            break;
        case 'S':
            if (!limit_arg("--max-steps", optarg, 1, UINT64_MAX, &max_steps))
                return EXIT_USAGE;
            break;
        case 'N':
            if (!limit_arg("--max-nesting", optarg, 1, SRC_MAX_NESTING_CAP, &max_nesting))
                return EXIT_USAGE;
            break;
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
    ruleset *rs = rs_load_limited(argv[optind], &sink, (unsigned)max_nesting);
    cli_diag_summary(argv[optind], &sink);
    if (!rs)
        return EXIT_USAGE;
    FILE *in = stdin;
    if (strcmp(input, "-") != 0 && !(in = fopen(input, "rb"))) {
        fprintf(stderr, "regel: cannot open '%s': %s\n", input, strerror(errno));
        rs_free(rs);
        return EXIT_USAGE;
    }
    const char *streamed_output = NULL;
    eval_run run = {.sink = stdout, .status = EXIT_OK, .trace = trace, .max_line = (size_t)max_line};
    char *temp = NULL;
    struct stat existing;
    if (output && stat(output, &existing) == 0 && !S_ISREG(existing.st_mode)) {
        /* A device or a pipe (-o /dev/stdout, say) is written as it is: renaming a
         * file over it would replace the device, not write to it. */
        if (!(run.sink = fopen(output, "wb"))) {
            fprintf(stderr, "regel: cannot write '%s': %s\n", output, strerror(errno));
            if (in != stdin)
                fclose(in);
            rs_free(rs);
            return EXIT_USAGE;
        }
        streamed_output = output;
        output = NULL;
    }
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
    run.session = bt_session_new(rs, (size_t)max_depth);
    if (run.session)
        bt_session_limit(run.session, max_steps);
    if (!run.failed && jobs > 1 && !log_path) {
        /* Without threads to be had, the lines are decided here, one by one. */
        pl_options po = {.jobs = (unsigned)jobs, .max_depth = (size_t)max_depth, .max_line = (size_t)max_line,
                         .flags = BT_HASH | (trace ? BT_TRACE : 0), .max_steps = max_steps};
        run.pool = pl_new(rs, &po);
    }
    unsigned flags = BT_HASH | (trace ? BT_TRACE : 0) | (log_path ? BT_RECORD : 0);
    if (!run.session || !bt_session_set(run.session, flags))
        run.failed = true;
    if (!run.failed && log_path) {
        char err[512];
        al_run_info info = {.regel_version = REGEL_VERSION, .ruleset_path = argv[optind], .input_name = input,
                            .batch = (size_t)log_batch};
        if (!(run.log = al_open(log_path, rs, &info, err, sizeof err))) {
            fprintf(stderr, "regel: %s\n", err);
            run.failed = true;
        }
    }
    if (!run.failed)
        decide_stream(&run, in);
    if (run.pool) {
        if (!pl_finish(run.pool, run.sink) || pl_failed(run.pool))
            run.failed = true;
        if (pl_rejected(run.pool) && run.status == EXIT_OK)
            run.status = EXIT_REJECTED;
        pl_free(run.pool);
    }
    if (run.log && !al_close(run.log)) {
        fprintf(stderr, "regel: cannot write the decision log '%s'\n", log_path);
        run.failed = true;
    }
    if (!ob_flush(&run.out, run.sink) || fflush(run.sink) != 0)
        run.failed = true;
    if (streamed_output && fclose(run.sink) != 0)
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
