/*
 * The --diagnostics option and the printing of diagnostics for every command
 * (see cli_diag.h). The format is the one piece of state the command line
 * keeps outside a command: it is set once, from argv, before anything loads.
 */
#include "cli_diag.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef enum { FORMAT_TEXT, FORMAT_JSON } diag_format;

static diag_format format = FORMAT_TEXT;

static bool set_format(const char *name)
{
    if (strcmp(name, "text") == 0)
        format = FORMAT_TEXT;
    else if (strcmp(name, "json") == 0)
        format = FORMAT_JSON;
    else {
        fprintf(stderr, "regel: unknown diagnostics format '%s' (use text or json)\n", name);
        return false;
    }
    return true;
}

int cli_diag_option(int argc, char **argv)
{
    static const char option[] = "--diagnostics";
    const size_t n = sizeof option - 1;
    int kept = 1;
    bool ok = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            while (i < argc)
                argv[kept++] = argv[i++];
            break;
        }
        if (strncmp(a, option, n) != 0 || (a[n] != '=' && a[n] != '\0')) {
            argv[kept++] = argv[i];
            continue;
        }
        if (a[n] == '=')
            ok = set_format(a + n + 1) && ok;
        else if (i + 1 < argc)
            ok = set_format(argv[++i]) && ok;
        else {
            fprintf(stderr, "regel: --diagnostics needs a format (text or json)\n");
            ok = false;
        }
    }
    argv[kept] = NULL;
    return ok ? kept : -1;
}

void cli_print_diag(void *ctx, const regel_diagnostic *d)
{
    (void)ctx;
    if (format == FORMAT_JSON) {
        regel_diagnostic_write(d, stderr, REGEL_WRITE_JSON);
        return;
    }
    const char *no_colour = getenv("NO_COLOR");
    regel_diagnostic_write(d, stderr, isatty(2) && !(no_colour && *no_colour) ? REGEL_WRITE_COLOUR : 0);
}

void cli_diag_summary(const char *path, const regel_diagnostic_counts *counts)
{
    unsigned errors = counts->errors, warnings = counts->warnings;
    char more[96] = "";
    if (counts->dropped)
        snprintf(more, sizeof more, "%u more error(s) not shown", counts->dropped);
    if (format == FORMAT_JSON) {
        if (counts->dropped)
            cli_diag_notice(more);
        return;
    }
    if (errors || warnings)
        fprintf(stderr, "%s: %u error(s), %u warning(s)%s%s%s\n", path, errors, warnings, more[0] ? " (" : "", more,
                more[0] ? ")" : "");
}

void cli_diag_notice(const char *message)
{
    if (format == FORMAT_JSON)
        regel_note_write_json(stderr, message);
    else
        fprintf(stderr, "regel: %s\n", message);
}
