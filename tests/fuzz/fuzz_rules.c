/*
 * Fuzz target: the rule-file front end. The input is read as one rule file by
 * the scanner and parser (ast_parse_file); when it parses, the checker
 * compiles its declarations (chk_compile), as the loader does for a version
 * that amends nothing. Any input must end in diagnostics or a program, never
 * a crash, a sanitizer report or a leak; every diagnostic must point inside
 * the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct seen {
    const src_file *src;
    unsigned errors;
} seen;

/* A diagnostic must name a span inside its file, so that printing it (line,
 * caret) is safe; print it to /dev/null to run that code too. */
static void check_diag(void *ctx, const diag *d)
{
    seen *s = ctx;
    if (d->at.file && (d->at.start > d->at.end || d->at.end > d->at.file->len))
        abort();
    if (d->has_note && d->note_at.file && (d->note_at.start > d->note_at.end || d->note_at.end > d->note_at.file->len))
        abort();
    if (!d->message)
        abort();
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    if (null)
        diag_print(null, d, true);
    s->errors += d->severity == DIAG_ERROR;
}

/* The loader hands the checker a version's declarations with amendments applied:
 * no replace or remove in a version that amends nothing, and no name declared
 * twice (rules and checks share one namespace, everything else another). The
 * checker may rely on that, so inputs outside it stop after the parse. */
static bool loader_would_accept(const ast_file *f)
{
    if (f->amends)
        return false;
    for (size_t i = 0; i < f->decl_count; i++) {
        const ast_decl *d = f->decls[i];
        if (d->amend != AMEND_ADD)
            return false;
        bool d_id = d->kind == DECL_RULE || d->kind == DECL_CHECK;
        for (size_t j = 0; j < i && d->name; j++) {
            const ast_decl *e = f->decls[j];
            bool e_id = e->kind == DECL_RULE || e->kind == DECL_CHECK;
            if (e->name && d_id == e_id && strcmp(e->name, d->name) == 0)
                return false;
        }
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0; /* rule files are small; spans are 32-bit */
    arena *a = arena_new();
    if (!a)
        abort();
    src_file *src = arena_calloc(a, 1, sizeof *src);
    char *text = arena_alloc(a, size + 1);
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    uint32_t *starts = arena_alloc(a, lines * sizeof *starts);
    if (!src || !text || !starts)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    starts[0] = 0;
    size_t k = 1;
    for (size_t i = 0; i < size; i++)
        if (data[i] == '\n')
            starts[k++] = (uint32_t)(i + 1);
    *src = (src_file){.path = "fuzz.regel", .text = text, .len = size, .line_starts = starts, .line_count = lines};

    seen s = {.src = src};
    diag_sink sink = {.fn = check_diag, .ctx = &s, .cap = 50};
    ast_file *file = NULL;
    bool ok = ast_parse_file(a, &sink, src, &file);
    if (ok != (sink.errors == 0))
        abort(); /* the parse result and the errors reported must agree */
    if (ok && loader_would_accept(file)) {
        ir_program *p = chk_compile(a, &sink, file, file->decls, file->decl_count);
        if ((p != NULL) != (sink.errors == 0))
            abort(); /* a program exactly when no error was reported */
    }
    arena_free(a);
    return 0;
}
