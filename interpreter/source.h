/*
 * Source files and byte spans. Every token and AST node carries a span (a file
 * and two byte offsets); line and column are worked out only when a message
 * is printed, from the file's table of line starts.
 */
#ifndef REGEL_SOURCE_H
#define REGEL_SOURCE_H

#include <stddef.h>
#include <stdint.h>

typedef struct src_file {
    const char *path;   /* as the user named it, for messages */
    const char *text;   /* NUL-terminated contents */
    size_t len;
    uint32_t *line_starts;
    size_t line_count;
    unsigned max_nesting; /* how deep its text may nest (src_max_nesting); 0: the default */
} src_file;

/* The bound on nesting in a rule file: the parser's stack, and the recursion
 * of the checker and of the evaluator over its expressions. Beyond it a file
 * gets a diagnostic (a record, an error record), never a stack overflow.
 * Whoever reads a file may lower or raise it, up to the cap, which keeps the
 * deepest recursion allowed well inside a thread's stack. */
enum { SRC_DEFAULT_MAX_NESTING = 256, SRC_MAX_NESTING_CAP = 1024 };

static inline unsigned src_max_nesting(const src_file *f)
{
    unsigned n = f && f->max_nesting ? f->max_nesting : SRC_DEFAULT_MAX_NESTING;
    return n < SRC_MAX_NESTING_CAP ? n : SRC_MAX_NESTING_CAP;
}

typedef struct loc {
    const src_file *file;
    uint32_t start, end;
} loc;

/* 1-based line and column (in bytes) of a byte offset. */
void src_line_col(const src_file *f, uint32_t offset, unsigned *line, unsigned *col);
/* The text of the line holding offset, without its newline. */
const char *src_line_text(const src_file *f, unsigned line, size_t *len);

#endif
