/*
 * Deciding one line of JSON Lines input: parse, pick the rule version by the
 * record's selector date, read the record against that version's input
 * declaration, run its checks, evaluate the results, and write exactly one
 * result line (or one error record) to the output buffer.
 */
#ifndef REGEL_BATCH_H
#define REGEL_BATCH_H

#include <stddef.h>

#include "eval.h"
#include "outbuf.h"
#include "ruleset.h"

typedef struct bt_session bt_session;

typedef enum { BT_DECIDED, BT_REJECTED, BT_FAILED } bt_outcome;

/* What a result line carries beyond the results and `fired` (bt_session_set). */
enum {
    BT_HASH = 1,     /* "ruleset_hash": the hash of the rule files of the deciding version */
    BT_TRACE = 2,    /* "trace_schema" and "trace" (trace.h); implies recording the trace */
    BT_RECORD = 4,   /* record the trace in the case (bt_last()->c) without writing it */
    /* Read every line the general way (a tree, then the record), never straight
     * from the JSON walk: the two readers must give the same bytes, and the
     * differential fuzz target (tests/fuzz/fuzz_records.c) holds them to it. */
    BT_GENERAL_READER = 8
};

/* The last line decided, for the decision log and explanations; valid until
 * the next call of bt_decide_line on the session. */
typedef struct bt_decision {
    bt_outcome outcome;
    const rs_version *version;   /* the version that read the record; NULL if none did */
    const char *id;              /* the key when the line had one as a string, else NULL */
    size_t id_len;
    bool has_day;                /* the selector date could be read */
    int32_t day;
    size_t line_start, line_end; /* the line written, in the output buffer (with its newline) */
    size_t trace_start, trace_end; /* the `,"trace_schema":..,"trace":[..]` part of it; empty when not traced */
    const ev_case *c;            /* decided records: the evaluated case (with its steps when traced) */
    const value *results;        /* decided records: one per ir_program.results */
} bt_decision;

/* One session per thread; it reuses its parser and arena from line to line. */
bt_session *bt_session_new(const ruleset *rs, size_t max_depth);
void bt_session_free(bt_session *s);
/* Chooses what result lines carry (BT_* flags; none by default). false when out of memory. */
bool bt_session_set(bt_session *s, unsigned flags);
const bt_decision *bt_last(const bt_session *s);
/* Steps allowed per record (ev_case.max_steps); 0 keeps the default. */
void bt_session_limit(bt_session *s, uint64_t max_steps);
/* Writes an error record (key null, field null) for a line that was not read,
 * such as one past the length limit. */
bt_outcome bt_reject_line(bt_session *s, const char *message, ob_buf *out);
/* `line` has no newline and is followed by at least JR_PADDING readable bytes.
 * BT_FAILED means memory ran out; an error record is still written if possible. */
bt_outcome bt_decide_line(bt_session *s, const char *line, size_t len, ob_buf *out);
/* True for a line holding only spaces, tabs and CRs: it gets no result.
 * Inline, as bt_take_line: a record's line is known not to be blank at its
 * first byte, which is not worth a call. */
static inline bool bt_blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            return false;
    return true;
}

/* A whole line of input, without its newline, as every reader that splits
 * lines takes it (the serial one and the pool's): a trailing CR is not part
 * of it, a blank line gets no result, and one longer than max_line gets a
 * "line too long" error record instead of a decision. False for a blank
 * line; otherwise *outcome says how it went. *len loses the CR. */
static inline bool bt_take_line(bt_session *s, const char *line, size_t *len, size_t max_line, ob_buf *out,
                                bt_outcome *outcome)
{
    size_t n = *len;
    if (n && line[n - 1] == '\r')
        n--;
    *len = n;
    if (bt_blank(line, n))
        return false;
    *outcome = n <= max_line ? bt_decide_line(s, line, n, out) : bt_reject_line(s, "line too long", out);
    return true;
}

#endif
