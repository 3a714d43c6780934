/*
 * Deciding one line of JSON Lines input: parse, pick the rule version by the
 * record's selector date, read the record against that version's input
 * declaration, run its checks, evaluate the results, and write exactly one
 * result line (or one error record) to the output buffer.
 */
#ifndef REGEL_BATCH_H
#define REGEL_BATCH_H

#include <stddef.h>

#include "outbuf.h"
#include "ruleset.h"

typedef struct bt_session bt_session;

typedef enum { BT_DECIDED, BT_REJECTED, BT_FAILED } bt_outcome;

/* One session per thread; it reuses its parser and arena from line to line. */
bt_session *bt_session_new(const ruleset *rs, size_t max_depth);
void bt_session_free(bt_session *s);
/* `line` has no newline and is followed by at least JR_PADDING readable bytes.
 * BT_FAILED means memory ran out; an error record is still written if possible. */
bt_outcome bt_decide_line(bt_session *s, const char *line, size_t len, ob_buf *out);
/* True for a line holding only spaces, tabs and CRs: it gets no result. */
bool bt_blank(const char *line, size_t len);

#endif
