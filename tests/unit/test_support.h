/*
 * Helpers shared by the unit tests: in-memory rule files, a diagnostics
 * sink that keeps the messages, and a ruleset written to a temporary
 * directory so the loader, checker and evaluator run as they do for users.
 */
#ifndef REGEL_TEST_SUPPORT_H
#define REGEL_TEST_SUPPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "source.h"

/* The allocation-failure tests measure leaks as the heap in use, which glibc's
 * per-thread cache counts as in use: they run with the cache off. glibc reads
 * its tunables at start-up, so this starts the test again with the cache off
 * unless it already is; it returns false only when that could not be done. */
__attribute__((unused)) static bool without_malloc_cache(char **argv)
{
    static const char no_tcache[] = "glibc.malloc.tcache_count=0";
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (tunables && strstr(tunables, no_tcache))
        return true;
    setenv("GLIBC_TUNABLES", no_tcache, 1);
    execv("/proc/self/exe", argv);
    perror(argv[0]);
    return false;
}

typedef struct kept_diags {
    char text[8192];
    size_t len;
} kept_diags;

__attribute__((unused)) static void keep_diag(void *ctx, const diag *d)
{
    kept_diags *k = ctx;
    unsigned line = 0, col = 0;
    if (d->at.file)
        src_line_col(d->at.file, d->at.start, &line, &col);
    int n = snprintf(k->text + k->len, sizeof k->text - k->len, "%u:%u: %s: %s\n", line, col,
                     d->severity == DIAG_ERROR ? "error" : d->severity == DIAG_WARNING ? "warning" : "note",
                     d->message);
    if (n > 0 && (size_t)n < sizeof k->text - k->len)
        k->len += (size_t)n;
}

__attribute__((unused)) static src_file *make_src(arena *a, const char *text)
{
    src_file *s = arena_calloc(a, 1, sizeof *s);
    s->path = "test.regel";
    s->len = strlen(text);
    s->text = arena_strndup(a, text, s->len);
    size_t lines = 1;
    for (size_t i = 0; i < s->len; i++)
        lines += text[i] == '\n';
    s->line_starts = arena_calloc(a, lines, sizeof *s->line_starts);
    size_t k = 1;
    for (size_t i = 0; i < s->len; i++)
        if (text[i] == '\n')
            s->line_starts[k++] = (uint32_t)(i + 1);
    s->line_count = lines;
    return s;
}

/* Writes the given files (name, text pairs, NULL-terminated) into a fresh temporary directory. */
__attribute__((unused)) static char *write_ruleset(const char *const *files)
{
    static char dir[64];
    strcpy(dir, "/tmp/regel-test-XXXXXX");
    if (!mkdtemp(dir))
        return NULL;
    for (size_t i = 0; files[i]; i += 2) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        FILE *f = fopen(path, "w");
        if (!f)
            return NULL;
        fputs(files[i + 1], f);
        fclose(f);
    }
    return dir;
}

__attribute__((unused)) static void remove_ruleset(const char *dir, const char *const *files)
{
    for (size_t i = 0; files[i]; i += 2) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

#endif
