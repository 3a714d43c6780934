/*
 * A ruleset: a directory of rule files, one per version. The loader parses
 * every file, lays the versions out in date order, applies each amendment to
 * the declarations of the version it amends, and has the checker compile
 * every version. Everything lives in the ruleset's arena.
 */
#ifndef REGEL_RULESET_H
#define REGEL_RULESET_H

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "program.h"

enum { RS_HASH_LEN = 71 };

typedef struct rs_version {
    int32_t date;
    const ast_file *file;
    ast_decl **decls;          /* the declarations in force, amendments applied */
    size_t decl_count, decl_cap;
    ir_program *program;
    const struct rs_version *base;   /* the version this one amends, or NULL */
    char hash[72];             /* "sha256:" and 64 hex digits over the files in force (rs_load) */
} rs_version;

typedef struct ruleset {
    arena *arena;
    const char *path;
    src_file **files;
    const char **rel_paths;    /* per file: its path from the repository root (the
                                * directory holding .git), or as given outside one */
    size_t file_count;
    rs_version *versions;      /* ascending by date */
    size_t version_count;
    unsigned max_nesting;      /* the nesting bound its files were read with (src_max_nesting) */
} ruleset;

/* Loads and checks a ruleset directory (or a single rule file). Returns NULL
 * when any error was reported to diags; warnings do not stop it. */
ruleset *rs_load(const char *path, diag_sink *diags);
/* The same with the rule files' nesting bound (source.h); 0 is the default. */
ruleset *rs_load_limited(const char *path, diag_sink *diags, unsigned max_nesting);
void rs_free(ruleset *rs);
/* A rule file's path from the repository root, for traces; the path as given when unknown. */
const char *rs_rel_path(const ruleset *rs, const src_file *file);
/* The version in force on `day`, or NULL before the oldest. */
const rs_version *rs_pick(const ruleset *rs, int32_t day);

/* The checker: compiles one version's declarations. NULL on error. */
ir_program *chk_compile(arena *a, diag_sink *diags, const ast_file *file, ast_decl *const *decls, size_t count);

#endif
