/*
 * The formatter: rewrites one rule file in the canonical layout, changing
 * whitespace only. Declaration keywords start at column 0, clauses are
 * indented two spaces and continuation lines of a clause four, tokens are
 * separated by one space (none inside calls, before commas and colons, after
 * a unary minus), the `=>` of a table's rows and the cells after it line up,
 * declarations are separated by one blank line, and every comment and
 * law-text line is kept. Line breaks inside declarations are the author's.
 */
#ifndef REGEL_FORMAT_H
#define REGEL_FORMAT_H

#include <stddef.h>

#include "diag.h"
#include "outbuf.h"

typedef enum {
    FMT_OK,
    FMT_SYNTAX,     /* the file does not parse (diagnostics were reported); it is left as it is */
    FMT_NO_MEMORY,
    FMT_INTERNAL    /* the layout would have changed the tokens: a bug, reported, nothing written */
} fmt_status;

/* Formats text[0..len) (the file named `path`, for messages) into `out`,
 * which is appended to. The file must parse; syntax errors go to `diags`. */
fmt_status fmt_format(const char *path, const char *text, size_t len, diag_sink *diags, ob_buf *out);

#endif
