/*
 * Looking inside decisions, for rule tests, their coverage and version
 * diffs: they need more than the result line, namely which rule gave each
 * value and what that value was. The decision itself is always made by
 * batch.c (bt_decide_line with BT_RECORD, read back with bt_last); these
 * helpers read the evaluated case and its trace, write values for people,
 * compare result lines as JSON values, and pin a ruleset to one version.
 */
#ifndef REGEL_PROBE_H
#define REGEL_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "eval.h"
#include "json_reader.h"
#include "outbuf.h"
#include "ruleset.h"

/* Fills `view` as a copy of `rs` in which `v` (one of rs's versions) is in
 * force on every date, so that a batch session on the view decides every
 * record under it whatever its selector date. `slot` holds the view's one
 * version and must live as long as the view. */
void pb_pin(const ruleset *rs, const rs_version *v, ruleset *view, rs_version *slot);

/* The rule of `v` that fired in the case (for a per-item value, the first in
 * firing order), or NULL when none did. */
const ir_rule *pb_fired_rule(const ev_case *c, const ir_value *v);
/* The value a step's rule gave, or NULL when it did not fire. */
const ev_seen *pb_defined(const ev_step *st);

/* One typed value for people, with its unit ("1200 min/week", "65 years",
 * "2023-01-01", "kommun"). */
void pb_write_typed(ob_buf *out, vtype t, value v);

/* Writes a JSON tree as compact JSON (numbers as written). */
void pb_write_json(ob_buf *out, const jr_value *v);
/* JSON equality: objects by key regardless of order, numbers by exact value
 * (1200 = 1200.0), everything else by kind and content. */
bool pb_json_equal(const jr_value *a, const jr_value *b);
/* The member of an object named `key` (its first occurrence), or NULL. */
const jr_value *pb_member(const jr_value *object, const char *key);

/* "file:line" of a declaration, the path as the ruleset named it. */
void pb_write_where(ob_buf *out, loc at);

#endif
