/*
 * regel: dispatches to the command named by the first argument. Diagnostics
 * go to standard error, results to standard output. Exit status: 0 all
 * decided, 1 some records were errors, 2 a broken ruleset or a wrong command
 * line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_diag.h"

static const struct {
    const char *name, *synopsis, *summary;
    int (*run)(int, char **);
} commands[] = {
#define X(name, synopsis, summary) {#name, synopsis, summary, cmd_##name},
    CLI_COMMANDS(X)
#undef X
};

static void help(FILE *out)
{
    fputs("usage: regel COMMAND [OPTIONS] ...\n\nregel decides cases on versioned rule files.\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n`regel COMMAND --help` shows the options of a command.\n"
          "Exit status: 0 success (every record decided), 1 some records were errors,\n"
          "2 the ruleset is broken or the command line is wrong.\n", out);
}

regel_ruleset *cli_load(const char *path, unsigned max_nesting, regel_diagnostic_counts *counts)
{
    regel_load_options o = REGEL_LOAD_OPTIONS_INIT;
    o.on_diagnostic = cli_print_diag;
    o.max_errors = CLI_MAX_ERRORS;
    o.max_nesting = max_nesting;
    regel_diagnostic_counts seen;
    regel_ruleset *rs = NULL;
    regel_ruleset_load_with(path, &o, &seen, &rs);
    cli_diag_summary(path, &seen);
    if (counts)
        *counts = seen;
    return rs;
}

void cli_message(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "regel: %s\n", message);
}

void cli_usage(bool to_stdout, const char *synopsis, const char *options)
{
    FILE *out = to_stdout ? stdout : stderr;
    fprintf(out, "usage: regel %s\n", synopsis);
    if (options && *options)
        fprintf(out, "\n%s", options);
}

int cli_arguments(int argc, char **argv, const char *synopsis, const char *options, int count, int *status)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        bool help = opt == 'h';
        cli_usage(help, synopsis, options);
        *status = help ? EXIT_OK : EXIT_USAGE;
        return -1;
    }
    if (argc - optind != count) {
        cli_usage(false, synopsis, options);
        *status = EXIT_USAGE;
        return -1;
    }
    return optind;
}

/* What a command wrote to standard output may still sit in stdio's buffer,
 * and a failure to write it (a full disk) shows only when it is flushed: so
 * it is flushed here, while the failure can still set the exit status. */
static int flushed(int status)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return status;
    if (status != EXIT_USAGE) /* else the command has said what went wrong */
        fprintf(stderr, "regel: cannot write the output: %s\n", strerror(errno));
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        help(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        help(stdout);
        return flushed(EXIT_OK);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("regel %s\n", regel_version());
        return flushed(EXIT_OK);
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return flushed(commands[i].run(argc - 1, argv + 1));
    fprintf(stderr, "regel: unknown command '%s'\n\n", argv[1]);
    help(stderr);
    return EXIT_USAGE;
}
