/*
 * What the files of the public API share (regel.c: rulesets, sessions and
 * results; regel_stream.c: streams of records; regel_log.c: the decision
 * log; regel_tools.c: rule tests and the formatter). Private: the prefix is
 * api_, so that nothing here can be taken for a name of include/regel.h,
 * and the types behind the header's opaque ones are defined here.
 */
#ifndef REGEL_API_H
#define REGEL_API_H

#include "regel.h"

#include <stdbool.h>

#include "diag.h"
#include "ruleset.h"

struct regel_ruleset {
    ruleset *rs;
    const ir_program *newest;  /* its output declaration names the fixed fields */
    char (*dates)[11];
};

/* The decision log of the API: the audit module's log and the ruleset whose
 * run it records, so that an eval of another ruleset into it is refused. */
struct regel_log {
    struct al_log *log;
    const regel_ruleset *rs;
    regel_message_fn on_message; /* why closing failed, as regel_log_open was told */
    void *context;
};

/* A diagnostic handed to the caller: a view of the interpreter's own. */
struct regel_diagnostic {
    const diag *d;
};

/* The longest record and the deepest nesting when the caller sets no limit
 * (the command line's defaults). */
#define API_DEFAULT_MAX_RECORD_BYTES ((size_t)16 << 20)
enum { API_DEFAULT_MAX_DEPTH = 64 };

/* A diag_sink that passes each diagnostic on to a regel_diagnostic_fn. */
typedef struct api_forward {
    regel_diagnostic_fn fn;
    void *context;
} api_forward;
void api_forward_diagnostic(void *ctx, const diag *d);
/* The sink's counts as the header promises them. */
void api_counts(const diag_sink *sink, regel_diagnostic_counts *counts);

/* A caller's options struct, of whatever version of regel.h it was built
 * with: copied into the full struct `into` (of `full` bytes), the fields the
 * caller's version lacks left zero, which is their default everywhere. false
 * when `given` is NULL or too short to hold even its size field. */
bool api_options(void *into, size_t full, const void *given);

/* Formats a message and passes it to `fn`, when there is one. */
void api_message(regel_message_fn fn, void *context, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
