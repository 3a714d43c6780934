/*
 * Diagnostics. The library never prints: it hands each message to a sink.
 * diag_print formats one as `path:line:col: error: message`, the source line,
 * a caret and tildes under the span, then notes and a hint.
 */
#ifndef REGEL_DIAG_H
#define REGEL_DIAG_H

#include <stdbool.h>
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

typedef struct diag_sink {
    diag_fn fn;
    void *ctx;
    unsigned errors;
    unsigned warnings;
    unsigned cap;         /* stop reporting errors after this many; 0 = no cap */
} diag_sink;

void diag_report(diag_sink *s, diag_severity sev, loc at, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The same with a note pointing at a related place (an earlier definition, say). */
void diag_report_note(diag_sink *s, diag_severity sev, loc at, loc note_at, const char *note,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void diag_print(FILE *out, const diag *d, bool colour);

/* The nearest of `candidates` to `name` by edit distance, or NULL if none is near. */
const char *diag_nearest(const char *name, const char *const *candidates, size_t count);

#endif
