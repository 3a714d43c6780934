/*
 * The formatter (`regel fmt`). The parser decides whether the file is a rule
 * file at all and where each declaration starts; the layout itself works on
 * lexemes, with a scanner of its own here because the layout must keep what
 * the front end's scanner throws away (comments) and must know where every
 * line break was. The scanner below follows grammar/lexer.l token for token.
 *
 * A formatter must never change what a file means. Before anything is
 * returned, the output is scanned again and its lexemes compared with the
 * input's (quantities compared in their canonical spelling): any difference
 * is reported as an internal error and nothing is written.
 */
#include "format.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"

typedef enum { FT_WORD, FT_NUMBER, FT_QUANTITY, FT_DATE, FT_STRING, FT_PUNCT, FT_COMMENT, FT_LAW, FT_OTHER } fmt_kind;

typedef struct fmt_token {
    fmt_kind kind;
    uint32_t start, end;   /* bytes of the text; a law line starts at its '>' */
    uint32_t line;         /* 0-based */
} fmt_token;

typedef struct fmt_tokens {
    fmt_token *items;
    size_t count, cap;
} fmt_tokens;

typedef enum { L_BLANK, L_COMMENT, L_LAW, L_CODE } line_kind;

typedef struct fmt_line {
    line_kind kind;
    size_t first, count;   /* the code tokens of the line */
    size_t comment;        /* the comment token, or NONE */
    size_t law;            /* the law-text token, or NONE */
    unsigned indent;
    size_t decl;           /* index into file->decls of the declaration it belongs to, or NONE */
    bool decl_start;       /* the line opens a declaration (or the version header) */
    bool group_start;      /* first line of a declaration with the comments and law text just above it */
    size_t opener;         /* group_start lines: the line that opens the declaration */
    bool multi_line;       /* declaration openers: the declaration goes on after this line */
    bool continuation;     /* continues the clause of the line before */
    bool row;              /* a table row: `=>` at depth 0 */
    bool row_single;       /* the whole row is on this line */
    size_t arrow;          /* the row's `=>` token */
} fmt_line;

/* Column widths of one table: where `=>` goes and how wide each cell is. */
typedef struct fmt_table {
    size_t arrow_col;
    size_t *cell_width;
    size_t cells;
} fmt_table;

typedef struct fmt {
    const char *text;
    size_t len;
    arena *arena;
    fmt_tokens toks;
    fmt_line *lines;
    size_t line_count;
    ob_buf scratch;
    bool no_memory;
} fmt;

#define NONE SIZE_MAX

/* ---------------------------------------------------------------- scanning */

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_id_start(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80; }
static bool is_id_char(unsigned char c) { return is_id_start(c) || is_digit(c); }

/* {DIGITS}(\.{DIGITS})? at i: its end, or NONE. */
static size_t match_num(const char *s, size_t i, size_t n)
{
    if (i >= n || !is_digit((unsigned char)s[i]))
        return NONE;
    while (i < n && is_digit((unsigned char)s[i]))
        i++;
    if (i + 1 < n && s[i] == '.' && is_digit((unsigned char)s[i + 1])) {
        i++;
        while (i < n && is_digit((unsigned char)s[i]))
            i++;
    }
    return i;
}

static size_t skip_blanks(const char *s, size_t i, size_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* The longest of `words` at i: its end, or NONE. `words` lists longer spellings first. */
static size_t match_words(const char *s, size_t i, size_t n, const char *const *words)
{
    for (; *words; words++) {
        size_t w = strlen(*words);
        if (w <= n - i && memcmp(s + i, *words, w) == 0)
            return i + w;
    }
    return NONE;
}

static const char *const time_units[] = {"minutes", "minute", "min", "hours", "hour", "h", NULL};
static const char *const minute_units[] = {"minutes", "minute", "min", NULL};
static const char *const rate_units[] = {"day", "week", NULL};
static const char *const other_units[] = {"years", "year", "kr", "SEK", "\xc3\xb6re", NULL};

/* QUANTITY of lexer.l at i, the longest match: its end, or NONE.
 *   {NUM}{SP}{TIMEUNIT}([ \t]+{NUM}{SP}(min|minutes?))?({SP}"/"{SP}(day|week))?
 *   {NUM}{SP}(years?|kr|SEK|öre) */
static size_t match_quantity(const char *s, size_t i, size_t n)
{
    size_t num = match_num(s, i, n);
    if (num == NONE)
        return NONE;
    size_t unit_at = skip_blanks(s, num, n);
    size_t q = match_words(s, unit_at, n, time_units);
    if (q == NONE)
        return match_words(s, unit_at, n, other_units);
    size_t t = skip_blanks(s, q, n);
    if (t > q) {
        size_t m = match_num(s, t, n);
        size_t mm = m == NONE ? NONE : match_words(s, skip_blanks(s, m, n), n, minute_units);
        if (mm != NONE)
            q = mm;
    }
    size_t r = skip_blanks(s, q, n);
    if (r < n && s[r] == '/') {
        size_t d = match_words(s, skip_blanks(s, r + 1, n), n, rate_units);
        if (d != NONE)
            q = d;
    }
    return q;
}

static bool is_date(const char *s, size_t i, size_t n)
{
    static const char shape[] = "dddd-dd-dd";
    if (n - i < 10)
        return false;
    for (size_t k = 0; k < 10; k++)
        if (shape[k] == 'd' ? !is_digit((unsigned char)s[i + k]) : s[i + k] != '-')
            return false;
    return true;
}

static bool push(fmt *f, fmt_tokens *t, fmt_kind kind, size_t start, size_t end, uint32_t line)
{
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        fmt_token *items = arena_alloc(f->arena, cap * sizeof *items);
        if (!items)
            return false;
        if (t->count)
            memcpy(items, t->items, t->count * sizeof *items);
        t->items = items;
        t->cap = cap;
    }
    t->items[t->count++] = (fmt_token){kind, (uint32_t)start, (uint32_t)end, line};
    return true;
}

/* Splits s[0..n) into lexemes, comments and law-text lines included, as lexer.l would. */
static bool scan(fmt *f, const char *s, size_t n, fmt_tokens *out)
{
    static const char *const two_char[] = {"=>", "..", "!=", "<=", ">=", NULL};
    uint32_t line = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t start = i, end;
        fmt_kind kind;
        if (i == 0 || s[i - 1] == '\n') {
            size_t j = skip_blanks(s, i, n);
            if (j < n && s[j] == '>') {
                end = j;
                while (end < n && s[end] != '\n')
                    end++;
                if (!push(f, out, FT_LAW, j, end, line))
                    return false;
                i = end;
                continue;
            }
        }
        if (c == '\n') {
            line++;
            i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            i++;
            continue;
        }
        if (c == '#') {
            kind = FT_COMMENT;
            for (end = i; end < n && s[end] != '\n'; end++)
                ;
        } else if (c == '"') {
            kind = FT_STRING;
            end = i + 1;
            while (end < n && s[end] != '"' && s[end] != '\n') {
                if (s[end] == '\\' && end + 1 < n && s[end + 1] != '\n')
                    end++;
                end++;
            }
            if (end < n && s[end] == '"')
                end++;
        } else if (is_digit(c)) {
            if (is_date(s, i, n)) {
                kind = FT_DATE;
                end = i + 10;
            } else if ((end = match_quantity(s, i, n)) != NONE) {
                kind = FT_QUANTITY;
            } else {
                kind = FT_NUMBER;
                end = match_num(s, i, n);
            }
        } else if (is_id_start(c)) {
            kind = FT_WORD;
            for (end = i + 1; end < n && is_id_char((unsigned char)s[end]); end++)
                ;
        } else if ((end = match_words(s, i, n, two_char)) != NONE) {
            kind = FT_PUNCT;
        } else {
            kind = strchr("=<>+-*/().,:[]", c) ? FT_PUNCT : FT_OTHER;
            end = i + 1;
        }
        if (!push(f, out, kind, start, end, line))
            return false;
        i = end;
    }
    return true;
}

/* ---------------------------------------------------------------- lexemes */

static bool tok_is(const fmt *f, size_t k, const char *text)
{
    if (k == NONE || k >= f->toks.count)
        return false;
    const fmt_token *t = &f->toks.items[k];
    size_t n = strlen(text);
    return (t->kind == FT_PUNCT || t->kind == FT_WORD) && t->end - t->start == n &&
           memcmp(f->text + t->start, text, n) == 0;
}

static bool tok_in(const fmt *f, size_t k, const char *const *set)
{
    for (; *set; set++)
        if (tok_is(f, k, *set))
            return true;
    return false;
}

/* The keywords of lexer.l: a word that is one of them is no name. */
static const char *const keywords[] = {
    "version", "amends", "title", "source", "enum", "record", "input", "output", "field", "list", "of",
    "select", "by", "key", "result", "fired", "error", "check", "require", "otherwise", "reject", "const",
    "table", "value", "rule", "for", "each", "when", "let", "add", "replace", "remove", "before", "after",
    "if", "then", "else", "and", "or", "not", "in", "true", "false", "sum", "count", "any", "all", "where",
    "explain", NULL};
static const char *const aggregates[] = {"sum", "count", "any", "all", NULL};

/* A clause whose line ends with one of these goes on on the next line. */
static const char *const open_ends[] = {
    "and", "or", "not", "if", "then", "else", "in", "when", "let", "require", "where", "of", "by",
    "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", ",", "(", "[", "=>", "..", ":", ".", NULL};
/* A line starting with one of these continues the clause of the line before. */
static const char *const continuing_starts[] = {
    "and", "or", "then", "else", "in", "where", "of",
    "=", "!=", "<", "<=", ">=", "+", "-", "*", "/", ")", "]", ",", ".", "=>", ":", NULL};

static size_t prev_code(const fmt *f, size_t k)
{
    while (k-- > 0)
        if (f->toks.items[k].kind != FT_COMMENT && f->toks.items[k].kind != FT_LAW)
            return k;
    return NONE;
}

/* Whether the token ends an operand, so that a '-' after it subtracts. */
static bool ends_operand(const fmt *f, size_t k)
{
    if (k == NONE)
        return false;
    const fmt_token *t = &f->toks.items[k];
    switch (t->kind) {
    case FT_NUMBER:
    case FT_QUANTITY:
    case FT_DATE:
    case FT_STRING: return true;
    case FT_WORD: return !tok_in(f, k, keywords) || tok_is(f, k, "true") || tok_is(f, k, "false");
    case FT_PUNCT: return tok_is(f, k, ")") || tok_is(f, k, "]");
    default: return false;
    }
}

static bool is_unary_minus(const fmt *f, size_t k) { return tok_is(f, k, "-") && !ends_operand(f, prev_code(f, k)); }

/* One space between every two lexemes of a line but these. */
static bool space_between(const fmt *f, size_t a, size_t b)
{
    static const char *const tight_before[] = {",", ")", "]", ":", ".", NULL};
    static const char *const tight_after[] = {"(", "[", ".", NULL};
    if (tok_in(f, b, tight_before) || tok_in(f, a, tight_after) || is_unary_minus(f, a))
        return false;
    if (tok_is(f, b, "(") && f->toks.items[a].kind == FT_WORD && (!tok_in(f, a, keywords) || tok_in(f, a, aggregates)))
        return false; /* a call: min(a, b), sum(x of xs) */
    return true;
}

/* A quantity in canonical spelling: one space between a number and its
 * unit, none around the '/' of a rate ("2.5 h/day", "1 h 30 min"). */
static void put_quantity(ob_buf *b, const char *s, size_t n)
{
    int last = 0; /* 0 nothing yet, 1 number, 2 unit, 3 slash */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t')
            continue;
        int now = c == '/' ? 3 : is_digit(c) || c == '.' ? 1 : 2;
        if (last && last != 3 && now != 3 && now != last)
            ob_char(b, ' ');
        ob_char(b, (char)c);
        last = now;
    }
}

/* A lexeme as the formatter writes it: trailing blanks cut from comments and
 * law text, quantities canonical, everything else as written. */
static void put_token(ob_buf *b, const char *text, const fmt_token *t)
{
    size_t end = t->end;
    if (t->kind == FT_COMMENT || t->kind == FT_LAW)
        while (end > t->start && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r'))
            end--;
    if (t->kind == FT_QUANTITY)
        put_quantity(b, text + t->start, end - t->start);
    else
        ob_bytes(b, text + t->start, end - t->start);
}

/* Display width: characters, not bytes, so that `öre` lines up. */
static size_t width_of(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xc0) != 0x80;
    return w;
}

static void put_spaces(ob_buf *b, size_t n)
{
    while (n--)
        ob_char(b, ' ');
}

/* Tokens [from, to) with their spacing; `first_spaced` puts a space before the first. */
static void render(fmt *f, size_t from, size_t to, bool first_spaced, ob_buf *b)
{
    for (size_t k = from; k < to; k++) {
        if (k > from ? space_between(f, k - 1, k) : first_spaced)
            ob_char(b, ' ');
        put_token(b, f->text, &f->toks.items[k]);
    }
}

static size_t render_width(fmt *f, size_t from, size_t to)
{
    f->scratch.len = 0;
    render(f, from, to, false, &f->scratch);
    return width_of(f->scratch.data, f->scratch.len);
}

/* ---------------------------------------------------------------- layout */

static bool build_lines(fmt *f)
{
    uint32_t count = f->toks.count ? f->toks.items[f->toks.count - 1].line + 1 : 0;
    f->lines = arena_calloc(f->arena, count ? count : 1, sizeof *f->lines);
    if (!f->lines)
        return false;
    f->line_count = count;
    for (size_t i = 0; i < count; i++)
        f->lines[i] = (fmt_line){.kind = L_BLANK, .comment = NONE, .law = NONE, .decl = NONE, .arrow = NONE};
    for (size_t k = 0; k < f->toks.count; k++) {
        fmt_line *l = &f->lines[f->toks.items[k].line];
        switch (f->toks.items[k].kind) {
        case FT_COMMENT: l->comment = k; break;
        case FT_LAW: l->law = k; break;
        default:
            if (!l->count)
                l->first = k;
            l->count++;
        }
    }
    for (size_t i = 0; i < count; i++) {
        fmt_line *l = &f->lines[i];
        l->kind = l->law != NONE ? L_LAW : l->count ? L_CODE : l->comment != NONE ? L_COMMENT : L_BLANK;
    }
    return true;
}

static size_t token_at(const fmt *f, uint32_t offset)
{
    size_t lo = 0, hi = f->toks.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->toks.items[mid].start < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->toks.count && f->toks.items[lo].start == offset ? lo : NONE;
}

/* Marks the lines that open a declaration, from where the parser saw each start. */
static bool mark_declarations(fmt *f, const ast_file *file)
{
    size_t header = token_at(f, file->version_at.start);
    if (header == NONE)
        return false;
    /* The header stands apart from the declarations even when it is one line. */
    f->lines[f->toks.items[header].line].decl_start = true;
    f->lines[f->toks.items[header].line].multi_line = true;
    for (size_t d = 0; d < file->decl_count; d++) {
        size_t k = token_at(f, file->decls[d]->at.start);
        if (k == NONE)
            return false;
        size_t before = prev_code(f, k);
        if (tok_is(f, before, "add")) /* `add rule ...`: the parser's span starts at `rule` */
            k = before;
        fmt_line *l = &f->lines[f->toks.items[k].line];
        if (l->first != k)
            continue; /* two declarations on one line: the line's layout is the first's */
        l->decl_start = true;
        l->decl = d;
    }
    return true;
}

/* Where the continuation lines of a clause start. `explain` lists line up
 * under their first language:
 *     explain sv "...",
 *             en "..."
 * any other clause goes on four spaces in. */
static unsigned continuation_indent(fmt *f, const fmt_line *clause, const fmt_line *prev, long depth)
{
    size_t list = clause->first + 1;
    if (tok_is(f, list, "not"))
        list++;
    if (depth == 0 && tok_is(f, clause->first, "explain") && list < clause->first + clause->count &&
        tok_is(f, prev->first + prev->count - 1, ","))
        return clause->indent + (unsigned)render_width(f, clause->first, list) + 1;
    return 4;
}

static void indent_lines(fmt *f, const ast_file *file)
{
    size_t decl = NONE, prev_line = NONE, clause = NONE, opener = NONE;
    long depth = 0;
    for (size_t i = 0; i < f->line_count; i++) {
        fmt_line *l = &f->lines[i];
        if (l->kind != L_CODE)
            continue;
        if (l->decl_start) {
            decl = l->decl;
            depth = 0;
            l->indent = 0;
            clause = opener = i;
        } else {
            l->decl = decl;
            if (opener != NONE)
                f->lines[opener].multi_line = true;
            const fmt_line *p = prev_line == NONE ? NULL : &f->lines[prev_line];
            l->continuation = (p && (depth > 0 || tok_in(f, p->first + p->count - 1, open_ends))) ||
                              tok_in(f, l->first, continuing_starts);
            bool in_enum = decl != NONE && file->decls[decl]->kind == DECL_ENUM;
            if (in_enum)
                l->indent = 2;
            else if (l->continuation && clause != NONE && p)
                l->indent = continuation_indent(f, &f->lines[clause], p, depth);
            else
                l->indent = l->continuation ? 4 : 2;
            if (!l->continuation)
                clause = i;
        }
        for (size_t k = l->first; k < l->first + l->count; k++) {
            if (tok_is(f, k, "(") || tok_is(f, k, "["))
                depth++;
            else if ((tok_is(f, k, ")") || tok_is(f, k, "]")) && depth > 0)
                depth--;
            else if (tok_is(f, k, "=>") && depth == 0 && !l->continuation && !l->decl_start &&
                     decl != NONE && file->decls[decl]->kind == DECL_TABLE && l->arrow == NONE) {
                l->row = true;
                l->arrow = k;
            }
        }
        prev_line = i;
    }
    /* A row is single when no continuation line follows it. Comment lines
     * take the indentation of the line they stand above. */
    unsigned next_indent = 0;
    bool next_continues = false;
    for (size_t i = f->line_count; i-- > 0;) {
        fmt_line *l = &f->lines[i];
        if (l->kind == L_CODE) {
            l->row_single = l->row && !next_continues;
            next_continues = l->continuation;
            next_indent = l->indent;
        } else if (l->kind == L_LAW) {
            next_continues = false;
            next_indent = 0;
        } else if (l->kind == L_COMMENT) {
            l->indent = next_indent;
        }
    }
    /* The comments and law text right above a declaration belong to it. */
    for (size_t i = 0; i < f->line_count; i++) {
        if (!f->lines[i].decl_start)
            continue;
        size_t j = i;
        while (j > 0 && (f->lines[j - 1].kind == L_COMMENT || f->lines[j - 1].kind == L_LAW))
            j--;
        f->lines[j].group_start = true;
        f->lines[j].opener = i;
    }
}

/* The cells of a row: the tokens after `=>`, split at the commas outside brackets. */
static size_t row_cells(const fmt *f, const fmt_line *l, size_t *bounds, size_t max)
{
    size_t end = l->first + l->count, n = 0;
    long depth = 0;
    bounds[n++] = l->arrow + 1;
    for (size_t k = l->arrow + 1; k < end; k++) {
        if (tok_is(f, k, "(") || tok_is(f, k, "["))
            depth++;
        else if (tok_is(f, k, ")") || tok_is(f, k, "]"))
            depth--;
        else if (tok_is(f, k, ",") && depth == 0 && n < max)
            bounds[n++] = k + 1;
    }
    bounds[n] = end;
    return n;
}

enum { MAX_CELLS = 64 };

static bool measure_table(fmt *f, size_t decl, fmt_table *t)
{
    *t = (fmt_table){0};
    size_t bounds[MAX_CELLS + 1];
    for (size_t i = 0; i < f->line_count; i++) {
        const fmt_line *l = &f->lines[i];
        if (!l->row || l->decl != decl)
            continue;
        size_t w = render_width(f, l->first, l->arrow);
        if (w > t->arrow_col)
            t->arrow_col = w;
        if (!l->row_single)
            continue;
        size_t n = row_cells(f, l, bounds, MAX_CELLS);
        if (n > t->cells) {
            size_t *more = arena_calloc(f->arena, n, sizeof *more);
            if (!more)
                return false;
            if (t->cells)
                memcpy(more, t->cell_width, t->cells * sizeof *more);
            t->cell_width = more;
            t->cells = n;
        }
        for (size_t c = 0; c + 1 < n; c++) {
            /* The cell and its comma, which stays with it. */
            size_t cw = render_width(f, bounds[c], bounds[c + 1]);
            if (cw > t->cell_width[c])
                t->cell_width[c] = cw;
        }
    }
    return true;
}

static void emit_row(fmt *f, const fmt_line *l, const fmt_table *t, ob_buf *out)
{
    size_t start = out->len;
    render(f, l->first, l->arrow, false, out);
    put_spaces(out, t->arrow_col - width_of(out->data + start, out->len - start) + 1);
    ob_str(out, "=>");
    size_t end = l->first + l->count;
    if (!l->row_single) {
        render(f, l->arrow + 1, end, true, out);
        return;
    }
    size_t bounds[MAX_CELLS + 1];
    size_t n = row_cells(f, l, bounds, MAX_CELLS);
    for (size_t c = 0; c < n; c++) {
        size_t cell = out->len;
        render(f, bounds[c], bounds[c + 1], true, out);
        if (c + 1 < n && c < t->cells)
            put_spaces(out, t->cell_width[c] + 1 - width_of(out->data + cell, out->len - cell));
    }
}

static void emit_line(fmt *f, const fmt_line *l, const fmt_table *table, ob_buf *out)
{
    put_spaces(out, l->indent);
    if (l->kind == L_LAW) {
        put_token(out, f->text, &f->toks.items[l->law]);
        return;
    }
    if (l->kind == L_CODE) {
        if (l->row && table)
            emit_row(f, l, table, out);
        else
            render(f, l->first, l->first + l->count, false, out);
        if (l->comment != NONE)
            ob_str(out, "  ");
    }
    if (l->comment != NONE)
        put_token(out, f->text, &f->toks.items[l->comment]);
}

/* One blank line between declarations, and where the author left blank
 * lines; one-line declarations in a row (`remove rule x`, `const x = 1`)
 * may stand together. */
static bool emit(fmt *f, ob_buf *out)
{
    bool emitted = false, blank = false, prev_one_line = false;
    size_t table_decl = NONE;
    fmt_table table = {0};
    for (size_t i = 0; i < f->line_count; i++) {
        const fmt_line *l = &f->lines[i];
        if (l->kind == L_BLANK) {
            blank = emitted;
            continue;
        }
        if (l->group_start) {
            const fmt_line *o = &f->lines[l->opener];
            bool one_line = !o->multi_line && l->opener == i;
            if (!(one_line && prev_one_line))
                blank = true;
            prev_one_line = one_line;
        }
        if (blank && emitted)
            ob_char(out, '\n');
        blank = false;
        if (l->row && l->decl != table_decl) {
            table_decl = l->decl;
            if (!measure_table(f, table_decl, &table))
                return false;
        }
        emit_line(f, l, l->row ? &table : NULL, out);
        ob_char(out, '\n');
        emitted = true;
    }
    return !f->scratch.failed;
}

/* ---------------------------------------------------------------- checking */

static bool same_lexeme(const char *a, const fmt_token *ta, const char *b, const fmt_token *tb, ob_buf *x, ob_buf *y)
{
    if (ta->kind != tb->kind)
        return false;
    x->len = y->len = 0;
    put_token(x, a, ta);
    put_token(y, b, tb);
    return !x->failed && !y->failed && x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
}

/* Whether the output holds the input's lexemes, in order, and nothing else. */
static fmt_status same_lexemes(fmt *f, const char *out, size_t out_len)
{
    fmt_tokens again = {0};
    if (!scan(f, out, out_len, &again))
        return FMT_NO_MEMORY;
    if (again.count != f->toks.count)
        return FMT_INTERNAL;
    ob_buf x = {0}, y = {0};
    bool same = true;
    for (size_t k = 0; k < again.count && same; k++)
        same = same_lexeme(f->text, &f->toks.items[k], out, &again.items[k], &x, &y);
    fmt_status status = x.failed || y.failed ? FMT_NO_MEMORY : same ? FMT_OK : FMT_INTERNAL;
    ob_free(&x);
    ob_free(&y);
    return status;
}

static src_file *make_source(arena *a, const char *path, const char *text, size_t len)
{
    src_file *src = arena_calloc(a, 1, sizeof *src);
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    uint32_t *starts = arena_alloc(a, lines * sizeof *starts);
    char *copy = arena_strndup(a, text, len);
    char *name = arena_strndup(a, path, strlen(path));
    if (!src || !starts || !copy || !name)
        return NULL;
    starts[0] = 0;
    for (size_t i = 0, k = 1; i < len; i++)
        if (text[i] == '\n')
            starts[k++] = (uint32_t)(i + 1);
    *src = (src_file){.path = name, .text = copy, .len = len, .line_starts = starts, .line_count = lines};
    return src;
}

fmt_status fmt_format(const char *path, const char *text, size_t len, diag_sink *diags, ob_buf *out)
{
    if (len > UINT32_MAX - 1) {
        diag_report(diags, DIAG_ERROR, (loc){0}, NULL, "%s: the file is too large for a rule file", path);
        return FMT_SYNTAX;
    }
    arena *a = arena_new();
    if (!a)
        return FMT_NO_MEMORY;
    fmt f = {.text = text, .len = len, .arena = a};
    fmt_status status = FMT_NO_MEMORY;
    const src_file *src = make_source(a, path, text, len);
    ast_file *file = NULL;
    if (!src)
        goto done;
    unsigned errors = diags->errors;
    if (!ast_parse_file(a, diags, src, &file) || diags->errors != errors) {
        status = diags->errors != errors ? FMT_SYNTAX : FMT_NO_MEMORY;
        goto done;
    }
    if (!scan(&f, text, len, &f.toks) || !build_lines(&f))
        goto done;
    size_t start = out->len;
    if (!mark_declarations(&f, file)) {
        status = FMT_INTERNAL;
    } else {
        indent_lines(&f, file);
        if (!emit(&f, out) || out->failed)
            goto done;
        status = same_lexemes(&f, out->data + start, out->len - start);
    }
    if (status == FMT_INTERNAL) {
        out->len = start;
        diag_report(diags, DIAG_ERROR, (loc){src, 0, 0}, NULL,
                    "internal error: the formatter would change the tokens of this file; it was left as it is");
    }
done:
    ob_free(&f.scratch);
    arena_free(a);
    return status;
}
