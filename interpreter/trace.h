/*
 * The trace of a decision as JSON, for `regel eval --trace`, the decision log
 * and replay: one entry per rule evaluated (ev_step, see eval.h), naming the
 * rule, its citation, the line of the rule file that defines it, whether it
 * fired, the values it read and gave, and the table rows it looked up. The
 * format is docs/trace-schema.json; TR_SCHEMA names its version and every
 * traced result carries it.
 */
#ifndef REGEL_TRACE_H
#define REGEL_TRACE_H

#include "eval.h"
#include "outbuf.h"
#include "ruleset.h"

#define TR_SCHEMA "urn:regel:trace-schema:1"

/* ob_bytes for a length that may be 0: ob_bytes would hand memcpy the NULL
 * of a buffer that has not grown yet, which is undefined even for 0 bytes. */
static inline void tr_put(ob_buf *out, const char *s, size_t n)
{
    if (n)
        ob_bytes(out, s, n);
}

/* A value as JSON: durations, weekly times and years as integers (minutes,
 * years), money in öre, decimals as numbers, dates as "YYYY-MM-DD" strings,
 * enums by member name. */
void tr_write_value(ob_buf *out, vtype t, value v);
/* "path/from/repository/root.regel:LINE" for a span: the line it starts on. */
const char *tr_at(arena *a, const ruleset *rs, loc at);
/* The `at` of every rule of `p`, by ir_rule.index: the line naming its id in
 * the file that holds it (an amended rule: the amending file). */
const char **tr_rule_ats(arena *a, const ruleset *rs, const ir_program *p);
/* The name a trace gives a value read: "basic_minutes", or "needs[0].counted_minutes". */
void tr_write_seen_name(ob_buf *out, const ev_seen *s);
/* Writes the trace array of a decided case; `rule_at` from tr_rule_ats. */
void tr_write_trace(ob_buf *out, const ruleset *rs, const ev_case *c, const char *const *rule_at);

/*
 * The compact trace of the decision log: the same content as the JSON trace,
 * as bytes. Strings (a rule with its citation and place, value names, list
 * names, enum members, tables and rows) are symbols numbered per run whose
 * text is the exact JSON they stand for, so decoding writes byte for byte
 * what tr_write_trace writes, and an entry costs a few bytes instead of a few
 * hundred. Integers are LEB128 varints (signed ones zigzagged).
 */
typedef struct tr_symbols tr_symbols;

tr_symbols *tr_symbols_new(const ruleset *rs);
void tr_symbols_free(tr_symbols *s);
/* Symbols are numbered 0, 1, ... in the order they were first used. */
size_t tr_symbol_count(const tr_symbols *s);
const char *tr_symbol_text(const tr_symbols *s, size_t id);
/* Appends the compact trace of a decided case; false when out of memory. */
bool tr_encode(ob_buf *out, tr_symbols *s, const ev_case *c);
/* Writes the JSON trace a compact one stands for. `text` gives a symbol's
 * text (NULL when unknown). false on a malformed or unknown blob. */
typedef const char *(*tr_symbol_fn)(void *ctx, uint64_t id, size_t *len);
bool tr_decode(ob_buf *out, const unsigned char *blob, size_t len, tr_symbol_fn text, void *ctx);

#endif
