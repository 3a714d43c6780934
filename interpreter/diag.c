/*
 * The one place that formats diagnostics: `path:line:col: severity: message`,
 * the source line, a caret with tildes under the span, then a note and a hint.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void emit(diag_sink *s, diag *d)
{
    if (d->severity == DIAG_ERROR) {
        s->errors++;
        if (s->cap && s->errors > s->cap)
            return;
    } else if (d->severity == DIAG_WARNING)
        s->warnings++;
    if (s->fn)
        s->fn(s->ctx, d);
}

void diag_report(diag_sink *s, diag_severity sev, loc at, const char *hint, const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    diag d = {.severity = sev, .at = at, .message = message, .hint = hint};
    emit(s, &d);
}

void diag_report_note(diag_sink *s, diag_severity sev, loc at, loc note_at, const char *note, const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    diag d = {.severity = sev, .at = at, .message = message, .has_note = true, .note_at = note_at, .note = note};
    emit(s, &d);
}

static const char *const severity_text[] = {"error", "warning", "note"};
static const char *const severity_colour[] = {"\033[1;31m", "\033[1;35m", "\033[1;36m"};

static void print_at(FILE *out, loc at, diag_severity sev, const char *message, bool colour)
{
    const char *bold = colour ? "\033[1m" : "", *reset = colour ? "\033[0m" : "";
    const char *sc = colour ? severity_colour[sev] : "";
    if (!at.file) {
        fprintf(out, "%sregel:%s %s%s:%s %s\n", bold, reset, sc, severity_text[sev], reset, message);
        return;
    }
    unsigned line, col;
    src_line_col(at.file, at.start, &line, &col);
    fprintf(out, "%s%s:%u:%u:%s %s%s:%s %s\n", bold, at.file->path, line, col, reset, sc,
            severity_text[sev], reset, message);
    size_t len;
    const char *text = src_line_text(at.file, line, &len);
    fprintf(out, "%5u | %.*s\n      | ", line, (int)len, text);
    for (unsigned i = 1; i < col; i++)
        fputc(text[i - 1] == '\t' ? '\t' : ' ', out);
    size_t width = at.end > at.start ? at.end - at.start : 1;
    if (col - 1 + width > len)
        width = len >= col ? len - (col - 1) : 1;
    fprintf(out, "%s^", sc);
    for (size_t i = 1; i < width; i++)
        fputc('~', out);
    fprintf(out, "%s\n", reset);
}

void diag_print(FILE *out, const diag *d, bool colour)
{
    print_at(out, d->at, d->severity, d->message, colour);
    if (d->has_note)
        print_at(out, d->note_at, DIAG_NOTE, d->note, colour);
    if (d->hint)
        fprintf(out, "%shint:%s %s\n", colour ? "\033[1;32m" : "", colour ? "\033[0m" : "", d->hint);
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag_prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag_prev + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag_prev = up;
        }
    }
    return row[lb];
}

const char *diag_nearest(const char *name, const char *const *candidates, size_t count)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t limit = strlen(name) / 3 + 1;
    for (size_t i = 0; i < count; i++) {
        size_t d = edit_distance(name, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}
