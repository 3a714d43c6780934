/*
 * Explanations for people (`regel explain`): a decided case told as a case
 * officer would write it, from its trace (eval.h). The sentences come from
 * the rule files (`explain LANG "..."` and `explain not LANG "..."` clauses,
 * with {name} holes filled from the case); this file only arranges them and
 * adds the figures it can read off the conditions: which part of a condition
 * failed, with the actual and the required value, and how far the case is
 * from each threshold it is near.
 */
#ifndef REGEL_EXPLAIN_H
#define REGEL_EXPLAIN_H

#include "batch.h"
#include "outbuf.h"
#include "ruleset.h"

/* A threshold is "near" when the case is within a twentieth (5 %) of its value (a
 * year, for dates) on either side. */
enum { XP_NEAR_PERCENT = 5, XP_NEAR_DAYS = 366 };

/* Writes the account of the line bt_decide_line just decided (the session
 * must record traces: BT_TRACE). `lang` is a language code of the rule
 * files' texts ("sv", "en"); a rule without a text in it is told by its id
 * and value. Error records are told as the error they are. */
void xp_explain(ob_buf *out, const ruleset *rs, const bt_decision *d, const char *lang);

#endif
