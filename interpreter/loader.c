/*
 * Loading a ruleset: read the rule files of a directory, parse each, order
 * the versions by effective date and build each version's declarations by
 * applying its amendments (add, replace, remove) to the version it amends,
 * as OpenFisca applies reforms, but as data. Then check every version.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "ruleset.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <nettle/sha2.h>
#include <stdint.h>

#include "calendar.h"
#include "lint.h"

static src_file *read_source(ruleset *rs, diag_sink *diags, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_report(diags, DIAG_ERROR, (loc){0}, NULL, "cannot open rule file '%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 8192, len = 0;
    char *buf = arena_alloc(rs->arena, cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        char *bigger = arena_alloc(rs->arena, cap * 2);
        if (bigger)
            memcpy(bigger, buf, len);
        buf = bigger;
        cap *= 2;
    }
    bool failed = ferror(f);
    fclose(f);
    src_file *src = arena_calloc(rs->arena, 1, sizeof *src);
    if (!buf || !src || failed) {
        diag_report(diags, DIAG_ERROR, (loc){0}, NULL, "cannot read rule file '%s'", path);
        return NULL;
    }
    buf[len] = '\0';
    size_t lines = 1;
    for (const char *nl = buf; (nl = memchr(nl, '\n', (size_t)(buf + len - nl))); nl++)
        lines++;
    src->line_starts = arena_alloc(rs->arena, lines * sizeof *src->line_starts);
    src->path = arena_strndup(rs->arena, path, strlen(path));
    if (!src->line_starts || !src->path)
        return NULL;
    src->line_starts[0] = 0;
    size_t k = 1;
    for (const char *nl = buf; (nl = memchr(nl, '\n', (size_t)(buf + len - nl))); nl++)
        src->line_starts[k++] = (uint32_t)(nl - buf + 1);
    src->line_count = lines;
    src->max_nesting = rs->max_nesting;
    src->text = buf;
    src->len = len;
    return src;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the paths of the rule files: the file itself, or the *.regel files of a directory by name. */
static char **list_rule_files(ruleset *rs, diag_sink *diags, const char *path, size_t *count)
{
    struct stat st;
    *count = 0;
    if (stat(path, &st) != 0) {
        diag_report(diags, DIAG_ERROR, (loc){0}, NULL, "cannot open ruleset '%s': %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISDIR(st.st_mode)) {
        char **one = arena_alloc(rs->arena, sizeof *one);
        if (one) {
            one[0] = arena_strndup(rs->arena, path, strlen(path));
            *count = 1;
        }
        return one;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        diag_report(diags, DIAG_ERROR, (loc){0}, NULL, "cannot open ruleset '%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 16, n = 0;
    char **names = arena_alloc(rs->arena, cap * sizeof *names);
    struct dirent *e;
    size_t plen = strlen(path);
    while (names && (e = readdir(dir))) {
        size_t nlen = strlen(e->d_name);
        if (nlen <= 6 || strcmp(e->d_name + nlen - 6, ".regel") != 0 || e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **bigger = arena_alloc(rs->arena, cap * 2 * sizeof *names);
            if (bigger)
                memcpy(bigger, names, n * sizeof *names);
            names = bigger;
            cap *= 2;
            if (!names)
                break;
        }
        char *full = arena_alloc(rs->arena, plen + nlen + 2);
        if (!full) {
            names = NULL;
            break;
        }
        bool slash = plen > 0 && path[plen - 1] == '/';
        snprintf(full, plen + nlen + 2, "%s%s%s", path, slash ? "" : "/", e->d_name);
        names[n++] = full;
    }
    closedir(dir);
    if (!names)
        return NULL;
    if (n == 0)
        diag_report(diags, DIAG_ERROR, (loc){0}, "a ruleset is a directory of files named like 2023-01-01.regel",
                    "no rule files (*.regel) in '%s'", path);
    qsort(names, n, sizeof *names, compare_names);
    *count = n;
    return names;
}

/* Rules and checks share one namespace of ids; everything else shares one of names. */
static bool same_namespace(const ast_decl *a, const ast_decl *b)
{
    bool a_id = a->kind == DECL_RULE || a->kind == DECL_CHECK;
    bool b_id = b->kind == DECL_RULE || b->kind == DECL_CHECK;
    return a_id == b_id;
}

static long find_decl(const rs_version *v, const ast_decl *d)
{
    for (size_t i = 0; i < v->decl_count; i++)
        if (same_namespace(v->decls[i], d) && strcmp(v->decls[i]->name, d->name) == 0)
            return (long)i;
    return -1;
}

static bool insert_decl(ruleset *rs, rs_version *v, size_t at, ast_decl *d)
{
    if (v->decl_count == v->decl_cap) {
        size_t ncap = v->decl_cap ? v->decl_cap * 2 : 32;
        ast_decl **n = arena_alloc(rs->arena, ncap * sizeof *n);
        if (!n)
            return false;
        if (v->decl_count) /* memcpy from the NULL of an empty list is undefined */
            memcpy(n, v->decls, v->decl_count * sizeof *n);
        v->decls = n;
        v->decl_cap = ncap;
    }
    memmove(v->decls + at + 1, v->decls + at, (v->decl_count - at) * sizeof *v->decls);
    v->decls[at] = d;
    v->decl_count++;
    return true;
}

static bool same_target(const ast_decl *a, const ast_decl *b)
{
    if (a->kind != DECL_RULE || b->kind != DECL_RULE || !a->u.rule.target.name || !b->u.rule.target.name)
        return false;
    const char *fa = a->u.rule.for_each.name, *fb = b->u.rule.for_each.name;
    if ((fa == NULL) != (fb == NULL) || (fa && strcmp(fa, fb) != 0))
        return false;
    return strcmp(a->u.rule.target.name, b->u.rule.target.name) == 0;
}

/* Where an added rule goes: before/after its anchor, or else just before the
 * unconditional rule (the fallback) of the value it defines, so that a new
 * exception is tried before the general case. */
static size_t placement_of(const rs_version *v, const ast_decl *d, diag_sink *diags)
{
    if (d->kind != DECL_RULE)
        return v->decl_count;
    if (d->u.rule.placement != PLACE_DEFAULT) {
        for (size_t i = 0; i < v->decl_count; i++)
            if (v->decls[i]->kind == DECL_RULE && strcmp(v->decls[i]->name, d->u.rule.anchor.name) == 0)
                return d->u.rule.placement == PLACE_BEFORE ? i : i + 1;
        diag_report(diags, DIAG_ERROR, d->u.rule.anchor.at, NULL, "no rule '%s' to place this rule %s",
                    d->u.rule.anchor.name, d->u.rule.placement == PLACE_BEFORE ? "before" : "after");
        return v->decl_count;
    }
    for (size_t i = 0; i < v->decl_count; i++)
        if (same_target(v->decls[i], d) && !v->decls[i]->u.rule.when && v->decls[i]->at.file != d->at.file)
            return i;
    return v->decl_count;
}

static bool apply_file(ruleset *rs, rs_version *v, diag_sink *diags)
{
    const ast_file *f = v->file;
    for (size_t i = 0; i < f->decl_count; i++) {
        ast_decl *d = f->decls[i];
        long at = find_decl(v, d);
        const char *kind = ast_decl_kind_text[d->kind];
        switch (d->amend) {
        case AMEND_ADD:
            if (at >= 0) {
                const ast_decl *old = v->decls[at];
                bool same_file = old->at.file == d->at.file;
                diag_report_note(diags, DIAG_ERROR, d->name_at, old->name_at,
                                 same_file ? "first declared here" : "declared in the version amended here",
                                 same_file ? "'%s' is declared twice" : "'%s' already exists; write `replace %s %s` to change it",
                                 d->name, kind, d->name);
                continue;
            }
            if (!insert_decl(rs, v, placement_of(v, d, diags), d))
                return false;
            break;
        case AMEND_REPLACE:
        case AMEND_REMOVE:
            if (at < 0 || v->decls[at]->kind != d->kind || (v->decls[at]->at.file == d->at.file && !f->amends)) {
                lint_missing_amended(v, d, diags);
                continue;
            }
            /* An amendment changes what the version amended declares; a
             * declaration of this same file is changed where it is written. */
            if (v->decls[at]->at.file == d->at.file) {
                diag_report_full(diags, DIAG_ERROR, d->name_at,
                                 d->amend == AMEND_REPLACE ? "change the declaration itself instead"
                                                           : "delete the declaration itself instead",
                                 v->decls[at]->name_at,
                                 "declared here", "'%s' is declared in this file, not in the version amended",
                                 d->name);
                continue;
            }
            /* A replacement takes the place of what it replaces, unless it
             * says `before` or `after`: then it moves there. */
            bool moves = d->amend == AMEND_REPLACE && d->kind == DECL_RULE && d->u.rule.placement != PLACE_DEFAULT;
            if (d->amend == AMEND_REPLACE && !moves) {
                v->decls[at] = d;
                break;
            }
            memmove(v->decls + at, v->decls + at + 1, (v->decl_count - (size_t)at - 1) * sizeof *v->decls);
            v->decl_count--;
            if (moves && !insert_decl(rs, v, placement_of(v, d, diags), d))
                return false;
            break;
        }
    }
    return true;
}

/* A record is read before its version is known (the selector picks it), so
 * every version must agree on the selector, the key and the names of the
 * result line's fixed fields. */
static void check_versions_agree(const ruleset *rs, diag_sink *diags)
{
    const ir_program *newest = rs->versions[rs->version_count - 1].program;
    for (size_t i = 0; i + 1 < rs->version_count; i++) {
        const ir_program *p = rs->versions[i].program;
        const char *mine[] = {p->input.fields[p->selector].name, p->key_name, p->version_name, p->fired_name,
                              p->error_name, p->error_field_name, p->error_message_name};
        const char *theirs[] = {newest->input.fields[newest->selector].name, newest->key_name, newest->version_name,
                                newest->fired_name, newest->error_name, newest->error_field_name,
                                newest->error_message_name};
        for (size_t k = 0; k < sizeof mine / sizeof *mine; k++)
            if (strcmp(mine[k], theirs[k]) != 0) {
                diag_report(diags, DIAG_ERROR, rs->versions[i].file->version_at,
                            "the version selector, the key and the output's fixed names must stay the same in every version",
                            "this version calls '%s' what the newest version calls '%s'", mine[k], theirs[k]);
                return;
            }
    }
}

/* ---- Identity: content hashes and repository-relative paths ---- */

/* Feeds one rule file to the hash as "name\nlength\ntext", the text with
 * CRLF read as LF: a checkout that converts line endings, or a ruleset
 * directory moved or renamed, must not change the identity of the rules. */
static void hash_file(struct sha256_ctx *md, const src_file *f)
{
    const char *slash = strrchr(f->path, '/');
    const char *name = slash ? slash + 1 : f->path;
    size_t len = f->len;
    for (const char *cr = f->text; (cr = memchr(cr, '\r', (size_t)(f->text + f->len - cr))); cr++)
        len -= cr + 1 < f->text + f->len && cr[1] == '\n';
    char head[64];
    int n = snprintf(head, sizeof head, "\n%zu\n", len);
    sha256_update(md, strlen(name), (const uint8_t *)name);
    sha256_update(md, (size_t)n, (const uint8_t *)head);
    size_t start = 0;
    for (const char *cr = f->text; (cr = memchr(cr, '\r', (size_t)(f->text + f->len - cr))); cr++)
        if (cr + 1 < f->text + f->len && cr[1] == '\n') {
            size_t i = (size_t)(cr - f->text);
            sha256_update(md, i - start, (const uint8_t *)f->text + start);
            start = i + 1;
        }
    sha256_update(md, f->len - start, (const uint8_t *)f->text + start);
}

/* The hash of a version covers its own file and, oldest first, every file it
 * amends transitively: exactly the text that decides its results. Nettle's
 * SHA-256 rather than OpenSSL's EVP interface: EVP looks the digest up in its
 * provider tables on first use, which cost more than 40 % of compiling the
 * ruleset and deciding one record. A version's text begins with its base's,
 * and a base is an earlier version (loading sorts them by date), so the state
 * after the base's text is already in `states` and is copied rather than
 * hashed again: each file is hashed once, however long the chain. */
static void hash_version(const ruleset *rs, size_t i, struct sha256_ctx *states)
{
    rs_version *v = &rs->versions[i];
    struct sha256_ctx *md = &states[i];
    if (v->base) {
        *md = states[v->base - rs->versions];
    } else {
        static const char magic[] = "regel ruleset hash 1\n";
        sha256_init(md);
        sha256_update(md, sizeof magic - 1, (const uint8_t *)magic);
    }
    hash_file(md, v->file->src);
    struct sha256_ctx done = *md;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&done, sizeof digest, digest);
    static const char hex[] = "0123456789abcdef";
    memcpy(v->hash, "sha256:", 7);
    for (size_t k = 0; k < sizeof digest; k++) {
        v->hash[7 + 2 * k] = hex[digest[k] >> 4];
        v->hash[8 + 2 * k] = hex[digest[k] & 15];
    }
    v->hash[7 + 2 * sizeof digest] = '\0';
}

/* The path of `path` from the nearest directory above it that holds .git. */
static const char *repo_relative(ruleset *rs, const char *path)
{
    char *full = realpath(path, NULL);
    if (!full)
        return path;
    const char *found = NULL;
    size_t len = strlen(full);
    char *probe = malloc(len + 6);
    for (size_t cut = len; probe && cut-- > 0;) {
        if (full[cut] != '/')
            continue;
        memcpy(probe, full, cut);
        memcpy(probe + cut, "/.git", 6);
        struct stat st;
        if (stat(probe, &st) == 0) {
            found = arena_strndup(rs->arena, full + cut + 1, len - cut - 1);
            break;
        }
    }
    free(probe);
    free(full);
    return found ? found : path;
}

static bool identify(ruleset *rs)
{
    rs->rel_paths = arena_calloc(rs->arena, rs->file_count ? rs->file_count : 1, sizeof *rs->rel_paths);
    if (!rs->rel_paths)
        return false;
    for (size_t i = 0; i < rs->file_count; i++)
        rs->rel_paths[i] = repo_relative(rs, rs->files[i]->path);
    struct sha256_ctx *states = arena_alloc(rs->arena, (rs->version_count ? rs->version_count : 1) * sizeof *states);
    if (!states)
        return false;
    for (size_t i = 0; i < rs->version_count; i++)
        hash_version(rs, i, states);
    return true;
}

const char *rs_rel_path(const ruleset *rs, const src_file *file)
{
    for (size_t i = 0; rs->rel_paths && i < rs->file_count; i++)
        if (rs->files[i] == file)
            return rs->rel_paths[i];
    return file ? file->path : "";
}

static int compare_versions(const void *a, const void *b)
{
    const rs_version *x = a, *y = b;
    return (x->date > y->date) - (x->date < y->date);
}

ruleset *rs_load(const char *path, diag_sink *diags)
{
    return rs_load_limited(path, diags, 0);
}

ruleset *rs_load_limited(const char *path, diag_sink *diags, unsigned max_nesting)
{
    arena *a = arena_new();
    ruleset *rs = a ? arena_calloc(a, 1, sizeof *rs) : NULL;
    if (!rs) {
        /* Said, not just returned: a caller must never see a load fail silently. */
        diag_report(diags, DIAG_ERROR, (loc){0}, NULL, "out of memory while loading '%s'", path);
        arena_free(a);
        return NULL;
    }
    rs->arena = a;
    rs->max_nesting = max_nesting;
    rs->path = arena_strndup(a, path, strlen(path));
    unsigned errors_before = diags->errors;
    size_t n = 0;
    char **paths = list_rule_files(rs, diags, path, &n);
    rs->files = arena_calloc(a, n ? n : 1, sizeof *rs->files);
    rs->versions = arena_calloc(a, n ? n : 1, sizeof *rs->versions);
    if (!paths || !rs->files || !rs->versions || n == 0)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        src_file *src = read_source(rs, diags, paths[i]);
        ast_file *file = NULL;
        if (!src || !ast_parse_file(a, diags, src, &file))
            continue;
        rs->files[rs->file_count++] = src;
        rs->versions[rs->version_count++] = (rs_version){.date = file->version, .file = file};
    }
    if (diags->errors != errors_before)
        goto fail;
    qsort(rs->versions, rs->version_count, sizeof *rs->versions, compare_versions);
    lint_versions(rs, diags); /* file names against dates, amends that pass over a version */
    for (size_t i = 0; i < rs->version_count; i++) {
        rs_version *v = &rs->versions[i];
        if (i > 0 && v->date == rs->versions[i - 1].date) {
            diag_report_note(diags, DIAG_ERROR, v->file->version_at, rs->versions[i - 1].file->version_at,
                             "the other version is here", "two rule files take effect on the same date");
            continue;
        }
        if (v->file->amends) {
            const rs_version *base = NULL;
            for (size_t j = 0; j < i; j++)
                if (rs->versions[j].date == v->file->amended_version)
                    base = &rs->versions[j];
            v->base = base;
            if (!base) {
                lint_missing_base(rs, v, diags);
                continue;
            }
            v->decl_cap = base->decl_count + v->file->decl_count + 1;
            v->decls = arena_alloc(a, v->decl_cap * sizeof *v->decls);
            if (!v->decls)
                goto fail;
            if (base->decl_count)
                memcpy(v->decls, base->decls, base->decl_count * sizeof *v->decls);
            v->decl_count = base->decl_count;
        }
        if (!apply_file(rs, v, diags))
            goto fail;
    }
    if (diags->errors != errors_before)
        goto fail;
    for (size_t i = 0; i < rs->version_count; i++) {
        rs_version *v = &rs->versions[i];
        unsigned errors = diags->errors;
        v->program = chk_compile(a, diags, v->file, v->decls, v->decl_count);
        /* The checker gives up without a word only when memory runs out. */
        if (!v->program && diags->errors == errors)
            diag_report(diags, DIAG_ERROR, v->file->version_at, NULL, "out of memory while checking");
    }
    if (diags->errors != errors_before)
        goto fail;
    check_versions_agree(rs, diags);
    if (diags->errors != errors_before)
        goto fail;
    lint_ruleset(rs, diags); /* warnings only: what is never used, results across versions */
    if (!identify(rs))
        goto fail;
    return rs;
fail:
    if (diags->errors == errors_before)
        diag_report(diags, DIAG_ERROR, (loc){0}, NULL, "out of memory while loading '%s'", path);
    arena_free(a);
    return NULL;
}

void rs_free(ruleset *rs)
{
    if (rs)
        arena_free(rs->arena);
}

/* The last version in force by `day`, searched from the end: most cases are
 * decided under the newer versions, so the search stops after one or two. */
const rs_version *rs_pick(const ruleset *rs, int32_t day)
{
    for (size_t i = rs->version_count; i-- > 0;)
        if (rs->versions[i].date <= day)
            return &rs->versions[i];
    return NULL;
}
