/*
 * Rule tests: named cases kept as data beside the rules (RULESET/tests/
 * NAME.regeltest, described in docs/testing-rules.md), each an input record and
 * the results it must give, optionally the rules that must or must not fire.
 * The runner decides every case through batch.c, exactly as `regel eval`
 * would, compares the result line with the expectations, and for every
 * failure writes the field, the expected and the actual value and the rule
 * that produced it, with the values that rule read. With coverage on, it
 * counts which rules, table rows and condition branches the cases exercised.
 *
 * The library never prints: reports are written to an ob_buf, mistakes in
 * test files go to a diag_sink with their file:line:col.
 */
#ifndef REGEL_RULETEST_H
#define REGEL_RULETEST_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "outbuf.h"
#include "ruleset.h"

typedef struct rt_suite rt_suite;

/* Loads test files for `rs`: the given paths, or when count is 0 every
 * *.regeltest file of `dir` in name order. NULL when any error was reported
 * (including a directory without test files). */
rt_suite *rt_load(const ruleset *rs, const char *dir, const char *const *paths, size_t count, diag_sink *diags);
void rt_free(rt_suite *s);

typedef struct rt_options {
    bool coverage;            /* count what the cases exercise (needs the evaluator's trace) */
    bool verbose;             /* also write a line for every case that passed */
} rt_options;

typedef struct rt_totals {
    size_t passed, failed;
} rt_totals;

/* Runs every case, writing a report of the failures (and with `verbose`, of
 * the passes) to `report`, and the closing line "N passed, N failed". false
 * only when memory ran out. */
bool rt_run(rt_suite *s, const rt_options *opt, ob_buf *report, rt_totals *totals);

/* After a run with coverage: per rule file, the rules, table rows and
 * condition branches exercised, and a list of those never exercised. */
void rt_write_coverage(const rt_suite *s, ob_buf *out);

#endif
