/*
 * Line and column of a byte offset, from a table of line starts built when
 * the file is read (see loader.c), by binary search.
 */
#include "source.h"

void src_line_col(const src_file *f, uint32_t offset, unsigned *line, unsigned *col)
{
    size_t lo = 0, hi = f->line_count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    *line = (unsigned)lo + 1;
    *col = offset - f->line_starts[lo] + 1;
}

const char *src_line_text(const src_file *f, unsigned line, size_t *len)
{
    uint32_t start = f->line_starts[line - 1];
    uint32_t end = line < f->line_count ? f->line_starts[line] : (uint32_t)f->len;
    while (end > start && (f->text[end - 1] == '\n' || f->text[end - 1] == '\r'))
        end--;
    *len = end - start;
    return f->text + start;
}
