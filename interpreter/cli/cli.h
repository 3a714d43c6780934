/*
 * The regel command line: one file per command (cmd_NAME.c), each a thin
 * client of the library: it parses its options, opens its files and calls
 * include/regel.h, and includes no header of the interpreter (a test holds it
 * to that; the executable links libregel only). This header lists the
 * commands (the single source of truth for dispatch and `regel --help`) and
 * the helpers they share.
 */
#ifndef REGEL_CLI_H
#define REGEL_CLI_H

#include <stdbool.h>

#include "regel.h"

/* Exit status of every command. */
enum { EXIT_OK = 0, EXIT_REJECTED = 1, EXIT_USAGE = 2 };

/* X(name, synopsis, summary) */
#define CLI_COMMANDS(X)                                                                        \
    X(check, "check [--strict] RULESET", "compile and check a ruleset; print its versions")   \
    X(eval, "eval [OPTIONS] RULESET [FILE|-]", "decide JSON Lines case records")              \
    X(test, "test [--coverage] [-v] RULESET [TESTFILE...]", "run the rule tests of a ruleset") \
    X(diff, "diff [--as-of-old DATE] [--as-of-new DATE] OLD [NEW] FILE", "compare the results of two rule trees or versions") \
    X(explain, "explain [--id ID] [--lang sv|en] RULESET [FILE|-]", "explain decisions in words, with their grounds")  \
    X(version, "version RULESET", "list the rule versions with their dates, files and hashes")                       \
    X(audit, "audit DB (--id ID | --rule RULE_ID) [--trace]", "show logged decisions of a case or a rule")           \
    X(replay, "replay DB RULESET", "re-decide logged records and report any that differ")            \
    X(fmt, "fmt [--check] FILE|DIRECTORY|-...", "rewrite rule files in the canonical layout")

#define X(name, synopsis, summary) int cmd_##name(int argc, char **argv);
CLI_COMMANDS(X)
#undef X

/* Loads a ruleset, printing its diagnostics and a summary line; NULL when it
 * is broken. `max_nesting` as regel_load_options has it (0: the default);
 * `counts` (may be NULL) receives the diagnostic counts. */
regel_ruleset *cli_load(const char *path, unsigned max_nesting, regel_diagnostic_counts *counts);
/* The message callback of every command: `regel: MESSAGE` on standard error. */
void cli_message(void *ctx, const char *message);
/* For a command whose only option is --help: parses the options and checks
 * that exactly `count` arguments follow. Returns the index of the first
 * argument, or -1 with *status set to what the command should return. */
int cli_arguments(int argc, char **argv, const char *synopsis, const char *options, int count, int *status);
/* Prints "usage: regel SYNOPSIS" and the given option help to `out`. */
void cli_usage(bool to_stdout, const char *synopsis, const char *options);

#endif
