/*
 * How the command line shows diagnostics: as text for people (in colour on a
 * terminal unless NO_COLOR is set) or, with --diagnostics=json, as one JSON
 * object a line for editors and CI. Every command that loads a ruleset takes
 * the option; it adopts it with one line before its own option parsing:
 *
 *     if ((argc = cli_diag_option(argc, argv)) < 0) return EXIT_USAGE;
 *
 * and may add CLI_DIAG_HELP to its help text.
 */
#ifndef REGEL_CLI_DIAG_H
#define REGEL_CLI_DIAG_H

#include "regel.h"

#define CLI_DIAG_HELP "  --diagnostics=FORMAT  text (default) or json: one JSON object a line on standard error\n"

/* Takes --diagnostics=FORMAT (or --diagnostics FORMAT) out of argv, up to a
 * "--", and sets the format. Returns the new argc, or -1 after a message when
 * the format is unknown or missing. */
int cli_diag_option(int argc, char **argv);

/* The diagnostic callback of every command: prints one diagnostic to standard error. */
void cli_print_diag(void *ctx, const regel_diagnostic *d);
/* Errors shown per load; past them only a count is. */
enum { CLI_MAX_ERRORS = 50 };
/* After loading: the count line (text), and how many errors were not shown. */
void cli_diag_summary(const char *path, const regel_diagnostic_counts *counts);
/* A remark about the run, not about a place in a file: `regel: MESSAGE` as
 * text, or a JSON object of severity "note" with no file. */
void cli_diag_notice(const char *message);

#endif
