/*
 * Diagnostics. The library never prints: it hands each message to a sink.
 * diag_print formats one as `path:line:col: error: message`, the source line,
 * a caret and tildes under the span, then a note and a hint; diag_print_json
 * writes the same as one JSON object on one line, for editors and CI.
 *
 * The sink reports each diagnostic once: the checker compiles every version
 * of a ruleset, and a mistake in a declaration that four versions share would
 * otherwise be reported four times. Past `cap` errors it stops passing errors
 * on but keeps counting them, so a summary can say how many were not shown.
 */
#ifndef REGEL_DIAG_H
#define REGEL_DIAG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "source.h"

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_severity;

typedef struct diag {
    diag_severity severity;
    loc at;               /* at.file may be NULL for messages about no file */
    const char *message;
    const char *hint;     /* may be NULL */
    bool has_note;
    loc note_at;
    const char *note;
} diag;

typedef void (*diag_fn)(void *ctx, const diag *d);

enum { DIAG_SEEN = 1024 };

typedef struct diag_sink {
    diag_fn fn;
    void *ctx;
    unsigned errors;      /* every error reported, repeats included: callers test it for "did this fail" */
    unsigned warnings;
    unsigned cap;         /* stop passing errors on after this many; 0 = no cap */
    unsigned repeated_errors, repeated_warnings; /* identical to one reported before: not passed on */
    unsigned dropped;     /* distinct errors past the cap: counted, not passed on */
    uint64_t seen[DIAG_SEEN]; /* hashes of what was passed on, to pass each diagnostic on once */
} diag_sink;

void diag_report(diag_sink *s, diag_severity sev, loc at, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The same with a note pointing at a related place (an earlier definition, say). */
void diag_report_note(diag_sink *s, diag_severity sev, loc at, loc note_at, const char *note,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Both: a hint (may be NULL) and a note (none when `note` is NULL). */
void diag_report_full(diag_sink *s, diag_severity sev, loc at, const char *hint, loc note_at, const char *note,
                      const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Distinct errors and warnings reported so far (repeats not counted). */
unsigned diag_error_count(const diag_sink *s);
unsigned diag_warning_count(const diag_sink *s);

void diag_print(FILE *out, const diag *d, bool colour);
/* One JSON object and a newline: file, line, column, end_line, end_column,
 * severity, message, note {file, line, column, message} and hint; null where
 * there is none. Lines and columns count from 1; a column counts characters,
 * not bytes; the end is exclusive. */
void diag_print_json(FILE *out, const diag *d);

/* 1-based line and column of a byte offset, the column in characters (UTF-8). */
void diag_line_col(const src_file *f, uint32_t offset, unsigned *line, unsigned *col);

/* The nearest of `candidates` to `name` by edit distance, or NULL if none is near. */
const char *diag_nearest(const char *name, const char *const *candidates, size_t count);
/* The edit distance of two names, or SIZE_MAX when either is too long to compare. */
size_t diag_distance(const char *a, const char *b);

#endif
