/*
 * The one place that formats diagnostics: `path:line:col: severity: message`,
 * the source line, a caret with tildes under the span, then a note and a
 * hint; or the same as one JSON object a line. Columns count characters, so
 * the caret stands under the right letter of "föräldraavdrag" on a terminal
 * and an editor's column agrees with the message.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a over what makes two diagnostics the same message at the same place. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211u;
    return h;
}

static uint64_t hash_diag(const diag *d)
{
    uint64_t h = 14695981039346656037u;
    h = hash_bytes(h, &d->severity, sizeof d->severity);
    h = hash_bytes(h, &d->at.file, sizeof d->at.file);
    h = hash_bytes(h, &d->at.start, sizeof d->at.start);
    h = hash_bytes(h, &d->at.end, sizeof d->at.end);
    h = hash_bytes(h, d->message, strlen(d->message));
    return h | 1; /* 0 marks an empty slot */
}

/* True when the same diagnostic was passed on before; otherwise remembers it.
 * When the table is full, everything counts as new: a repeat is noise, a lost
 * message would be worse. */
static bool seen_before(diag_sink *s, const diag *d)
{
    uint64_t h = hash_diag(d);
    size_t i = (size_t)(h % DIAG_SEEN);
    for (size_t probes = 0; probes < DIAG_SEEN; probes++, i = (i + 1) % DIAG_SEEN) {
        if (s->seen[i] == h)
            return true;
        if (s->seen[i] == 0) {
            s->seen[i] = h;
            return false;
        }
    }
    return false;
}

static void emit(diag_sink *s, diag *d)
{
    if (d->severity == DIAG_ERROR)
        s->errors++;
    else if (d->severity == DIAG_WARNING)
        s->warnings++;
    if (seen_before(s, d)) {
        if (d->severity == DIAG_ERROR)
            s->repeated_errors++;
        else if (d->severity == DIAG_WARNING)
            s->repeated_warnings++;
        return;
    }
    if (d->severity == DIAG_ERROR && s->cap && s->errors - s->repeated_errors > s->cap) {
        s->dropped++;
        return;
    }
    if (s->fn)
        s->fn(s->ctx, d);
}

unsigned diag_error_count(const diag_sink *s)
{
    return s->errors - s->repeated_errors;
}

unsigned diag_warning_count(const diag_sink *s)
{
    return s->warnings - s->repeated_warnings;
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

void diag_report_full(diag_sink *s, diag_severity sev, loc at, const char *hint, loc note_at, const char *note,
                      const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    diag d = {.severity = sev, .at = at, .message = message, .hint = hint, .has_note = note != NULL,
              .note_at = note_at, .note = note};
    emit(s, &d);
}

static bool continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Characters (not UTF-8 continuation bytes) in text[0, n). */
static unsigned char_count(const char *text, size_t n)
{
    unsigned k = 0;
    for (size_t i = 0; i < n; i++)
        k += !continuation((unsigned char)text[i]);
    return k;
}

void diag_line_col(const src_file *f, uint32_t offset, unsigned *line, unsigned *col)
{
    unsigned byte_col;
    src_line_col(f, offset, line, &byte_col);
    *col = char_count(f->text + f->line_starts[*line - 1], byte_col - 1) + 1;
}

static const char *const severity_text[] = {"error", "warning", "note"};
/* As compilers do: bold location, red error, magenta warning, cyan note, green hint. */
static const char *const severity_colour[] = {"\033[1;31m", "\033[1;35m", "\033[1;36m"};

static void print_at(FILE *out, loc at, diag_severity sev, const char *message, bool colour)
{
    const char *bold = colour ? "\033[1m" : "", *reset = colour ? "\033[0m" : "";
    const char *sc = colour ? severity_colour[sev] : "";
    if (!at.file) {
        fprintf(out, "%sregel:%s %s%s:%s %s\n", bold, reset, sc, severity_text[sev], reset, message);
        return;
    }
    unsigned line, col, byte_col;
    src_line_col(at.file, at.start, &line, &byte_col);
    diag_line_col(at.file, at.start, &line, &col);
    fprintf(out, "%s%s:%u:%u:%s %s%s:%s %s\n", bold, at.file->path, line, col, reset, sc,
            severity_text[sev], reset, message);
    size_t len;
    const char *text = src_line_text(at.file, line, &len);
    fprintf(out, "%5u | %.*s\n      | ", line, (int)len, text);
    size_t before = byte_col - 1 < len ? byte_col - 1 : len;
    for (size_t i = 0; i < before; i++)
        if (!continuation((unsigned char)text[i]))
            fputc(text[i] == '\t' ? '\t' : ' ', out);
    /* The span's characters on this line; at least one caret, also for a span at the end of the line. */
    size_t end = at.end > at.start ? before + (at.end - at.start) : before + 1;
    if (end > len)
        end = len;
    unsigned width = end > before ? char_count(text + before, end - before) : 1;
    fprintf(out, "%s^", sc);
    for (unsigned i = 1; i < width; i++)
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

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
               : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!continuation(s[i]))
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) || (s[0] == 0xF0 && s[1] < 0x90) ||
        (s[0] == 0xF4 && s[1] > 0x8F))
        return 0; /* overlong, a surrogate, or past U+10FFFF */
    return len;
}

/* A JSON string; bytes that are not UTF-8 (a rule file may hold any) become U+FFFD. */
static void json_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
            i++;
        } else if (c == '\n') {
            fputs("\\n", out);
            i++;
        } else if (c == '\t') {
            fputs("\\t", out);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            fprintf(out, "\\u%04x", c);
            i++;
        } else {
            size_t len = utf8_sequence(p + i, n - i);
            if (len == 0) {
                fputs("\\ufffd", out);
                i++;
            } else {
                fwrite(p + i, 1, len, out);
                i += len;
            }
        }
    }
    fputc('"', out);
}

static void json_place(FILE *out, loc at, bool with_end)
{
    if (!at.file) {
        fputs("\"file\":null,\"line\":null,\"column\":null", out);
        if (with_end)
            fputs(",\"end_line\":null,\"end_column\":null", out);
        return;
    }
    unsigned line, col;
    diag_line_col(at.file, at.start, &line, &col);
    fputs("\"file\":", out);
    json_string(out, at.file->path);
    fprintf(out, ",\"line\":%u,\"column\":%u", line, col);
    if (with_end) {
        unsigned end_line, end_col;
        diag_line_col(at.file, at.end > at.start ? at.end : at.start, &end_line, &end_col);
        if (at.end <= at.start)
            end_col++; /* an empty span still marks one character */
        fprintf(out, ",\"end_line\":%u,\"end_column\":%u", end_line, end_col);
    }
}

void diag_print_json(FILE *out, const diag *d)
{
    fputc('{', out);
    json_place(out, d->at, true);
    fprintf(out, ",\"severity\":\"%s\",\"message\":", severity_text[d->severity]);
    json_string(out, d->message);
    fputs(",\"note\":", out);
    if (d->has_note) {
        fputc('{', out);
        json_place(out, d->note_at, false);
        fputs(",\"message\":", out);
        json_string(out, d->note);
        fputc('}', out);
    } else
        fputs("null", out);
    fputs(",\"hint\":", out);
    json_string(out, d->hint);
    fputs("}\n", out);
}

size_t diag_distance(const char *a, const char *b)
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
        size_t d = diag_distance(name, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}
