/*
 * Static checks of rule files beyond names and types (lint.c): the mistakes
 * a rule file can make that still compile, found before a single case is
 * decided. The checker and the loader call these through one-line hooks;
 * everything here only reads the AST and the compiled programs and reports.
 *
 * Errors (rows of a table that overlap, a misspelt declaration, an empty
 * record) stop the ruleset from loading; warnings (a rule that can never
 * fire, a gap in a table, an input never read, a result whose type changes
 * between versions) do not, unless `regel check --strict`.
 */
#ifndef REGEL_LINT_H
#define REGEL_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "program.h"

struct ruleset;
struct rs_version;

/* Names the checker must not report as unknown: a misspelt declaration was
 * reported once at the declaration instead of at every use. */
typedef struct lint_names {
    const char **items;
    size_t count;
} lint_names;

bool lint_names_has(const lint_names *names, const char *name);

/* One version's declarations, before the checker compiles them: records
 * without fields, and declarations whose name is never used while a near
 * name that nothing declares is used in several places (a misspelt
 * declaration: reported at the declaration, and the near name put in
 * `*quiet`). False when an error was reported. */
bool lint_declarations(arena *a, diag_sink *diags, ast_decl *const *decls, size_t count, lint_names *quiet);

/* A compiled table: rows that overlap (an error, naming both rows), gaps
 * between rows, rows outside the key's declared range, an `otherwise` no key
 * can reach. False when an error was reported. */
bool lint_table(diag_sink *diags, const ir_table *t);

/* A compiled version, when it has no errors: by interval reasoning over the
 * declared ranges of fields, conditions that can never hold or always hold
 * (rules that can never fire, checks that reject everything or nothing,
 * `where` clauses), rules after one that always applies, values some cases
 * leave without any rule, and `let`s never used. */
void lint_program(diag_sink *diags, const ir_program *p);

/* The versions in date order, before amendments are applied: a file whose
 * name is a date other than its version's, and an `amends` that passes over
 * a version in between (whose changes then silently end). */
void lint_versions(const struct ruleset *rs, diag_sink *diags);
/* Reports why version `v` has no version to amend: it names itself, a later
 * version, or a date no version has. */
void lint_missing_base(const struct ruleset *rs, const struct rs_version *v, diag_sink *diags);

/* Reports that `replace` or `remove` in `d` names nothing of its kind in the
 * declarations `v` has so far, with the nearest name of that kind, or the
 * kind the name does have. */
void lint_missing_amended(const struct rs_version *v, const ast_decl *d, diag_sink *diags);

/* The whole ruleset, once every version compiled: input and record fields
 * never read, values, constants, tables and records never used (in any
 * version where they are declared), and results that a version drops or
 * gives another type. */
void lint_ruleset(const struct ruleset *rs, diag_sink *diags);

/* A value as a rule file would write it: `17 h 30 min/week`, `65 years`,
 * `324.50 kr`, `2023-01-01`, an enum member. `out` holds 64 bytes. */
void lint_format_value(vtype t, int64_t v, char out[64]);

#endif
