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

#include "cli.h"
#include "cli_diag.h"

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
    "      --max-steps N       evaluation steps per record (default 100000000): a\n"
    "                          step is a rule tried, a const or check evaluated,\n"
    "                          or an item an aggregate visits\n"
    "      --max-nesting N     nesting of expressions in the rule files; a deeper\n"
    "                          file is an error (default 256, at most 1024)\n"
    CLI_DIAG_HELP;

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
    /* Zero leaves a limit at the library's default, which the help text gives. */
    unsigned long long max_line = 0, max_depth = 0, max_steps = 0,
                       max_nesting = 0, jobs = regel_default_jobs();
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
            if (!limit_arg("--max-depth", optarg, 1, REGEL_MAX_DEPTH_CAP, &max_depth))
                return EXIT_USAGE;
            break;
        case 'S':
            if (!limit_arg("--max-steps", optarg, 1, UINT64_MAX, &max_steps))
                return EXIT_USAGE;
            break;
        case 'N':
            if (!limit_arg("--max-nesting", optarg, 1, REGEL_MAX_NESTING_CAP, &max_nesting))
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
    regel_ruleset *rs = cli_load(argv[optind], (unsigned)max_nesting, NULL);
    if (!rs)
        return EXIT_USAGE;
    FILE *in = stdin;
    if (strcmp(input, "-") != 0 && !(in = fopen(input, "rb"))) {
        fprintf(stderr, "regel: cannot open '%s': %s\n", input, strerror(errno));
        regel_ruleset_free(rs);
        return EXIT_USAGE;
    }
    FILE *sink = stdout;
    char *temp = NULL;
    struct stat existing;
    if (output && stat(output, &existing) == 0 && !S_ISREG(existing.st_mode)) {
        /* A device or a pipe (-o /dev/stdout, say) is written as it is: renaming a
         * file over it would replace the device, not write to it. */
        if (!(sink = fopen(output, "wb"))) {
            fprintf(stderr, "regel: cannot write '%s': %s\n", output, strerror(errno));
            if (in != stdin)
                fclose(in);
            regel_ruleset_free(rs);
            return EXIT_USAGE;
        }
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
        if (fd < 0 || !(sink = fdopen(fd, "wb"))) {
            fprintf(stderr, "regel: cannot write '%s': %s\n", output, strerror(errno));
            if (fd >= 0)
                close(fd);
            free(temp);
            if (in != stdin)
                fclose(in);
            regel_ruleset_free(rs);
            return EXIT_USAGE;
        }
    }
    regel_eval_options o = REGEL_EVAL_OPTIONS_INIT;
    o.flags = trace ? REGEL_EVAL_TRACE : 0;
    o.jobs = (unsigned)jobs;
    o.limits = (regel_limits){(size_t)max_line, (size_t)max_depth, max_steps};
    o.on_message = cli_message;
    regel_eval_stats stats = {0, 0};
    regel_status status = REGEL_OK;
    if (log_path) {
        regel_log_options lo = REGEL_LOG_OPTIONS_INIT;
        lo.ruleset_path = argv[optind];
        lo.input_name = input;
        lo.batch = (size_t)log_batch;
        status = regel_log_open(log_path, rs, &lo, cli_message, NULL, &o.log);
    }
    if (status == REGEL_OK)
        status = regel_eval_stream(rs, in, sink, &o, &stats);
    bool output_lost = ferror(sink) != 0;
    if (o.log && regel_log_close(o.log) != REGEL_OK) {
        fprintf(stderr, "regel: cannot write the decision log '%s'\n", log_path);
        if (status == REGEL_OK)
            status = REGEL_ERROR_LOG;
    }
    if (sink != stdout && fclose(sink) != 0)
        output_lost = true;
    bool failed = status != REGEL_OK || output_lost;
    if (output) {
        if (failed || rename(temp, output) != 0) {
            if (!failed)
                fprintf(stderr, "regel: cannot write '%s': %s\n", output, strerror(errno));
            unlink(temp);
            failed = true;
        }
        free(temp);
    }
    if (in != stdin)
        fclose(in);
    regel_ruleset_free(rs);
    if (failed) {
        /* The last line says what went wrong, unless a message above already
         * has: a decision log and a read error name their own failure. */
        if (status == REGEL_ERROR_MEMORY)
            fputs("regel: out of memory\n", stderr);
        else if (output_lost)
            fputs("regel: cannot write the results\n", stderr);
        else if (status == REGEL_ERROR_ARGUMENT)
            fputs("regel: the options cannot be used together\n", stderr);
        return EXIT_USAGE;
    }
    return stats.rejected ? EXIT_REJECTED : EXIT_OK;
}
