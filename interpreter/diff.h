/*
 * Version diffs: every record decided on two sides (two rule trees, or two
 * versions of one tree pinned with pb_pin), through batch.c as `regel eval`
 * decides it, and one JSON line written for each record whose results
 * differ: the id, each changed field with its old and new value, the rules
 * that fired on one side only, and the cause, the first rule (in the order
 * evaluations completed) whose value differs between the sides. A summary
 * counts the records compared and changed, the changes per field and per
 * cause.
 *
 * The version that decided is shown on every line but is not itself a
 * change: pinning two versions changes it on every record by design.
 */
#ifndef REGEL_DIFF_H
#define REGEL_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "outbuf.h"
#include "ruleset.h"

typedef struct df_session df_session;

/* Both rulesets must outlive the session. NULL when out of memory. */
df_session *df_new(const ruleset *old_side, const ruleset *new_side);
void df_free(df_session *s);

/* Decides one non-blank line on both sides (followed by JR_PADDING readable
 * bytes) and writes a line to `out` when they differ. false when memory ran out. */
bool df_line(df_session *s, const char *line, size_t len, ob_buf *out);

/* The summary, for people (it sorts the counts, hence not const). */
void df_summary(df_session *s, ob_buf *out);
/* Records compared and changed so far. */
size_t df_compared(const df_session *s);
size_t df_changed(const df_session *s);

#endif
