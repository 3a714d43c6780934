/*
 * The rule-test runner. A test file is read line by line into cases: the
 * input record (the `defaults` block, then the case's own fields), and the
 * checks on the result. Each case becomes one JSON line that batch.c decides
 * exactly as `regel eval` would; the checks are run on that result line
 * parsed back, so a test sees what the case systems see. The evaluator's
 * trace of the same decision (BT_RECORD, bt_last) explains a failure and
 * feeds the coverage.
 *
 * The format (docs/testing-rules.md):
 *
 *   # comment
 *   defaults
 *     NAME: JSON                  input fields of every following case
 *   case "NAME"
 *     NAME: JSON                  an input field (replaces the default)
 *     NAME[]: JSON                appends an item to a list field
 *     omit NAME ...               leaves default fields out
 *     expect PATH: JSON           the result at PATH (a.b, a[0]) equals JSON
 *     fired ID ...                these rules fired
 *     not fired ID ...            these rules did not fire
 *
 * A JSON value may go on over the following lines, indented deeper than its
 * first, while a bracket is open.
 */
#include "ruletest.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "calendar.h"
#include "json_reader.h"
#include "probe.h"

enum { RT_MAX_DEPTH = 64 };

typedef struct rt_field {
    const char *name;
    const char *raw;          /* the value as written (checked JSON); NULL when only items were appended */
    size_t raw_len;
    const char **items;       /* items appended with NAME[]:, as written */
    size_t *item_lens;
    size_t item_count;
} rt_field;

typedef struct rt_fields {
    rt_field *items;
    size_t count, cap;
} rt_fields;

typedef struct rt_segment {
    const char *name;         /* NULL: an index */
    size_t index;
} rt_segment;

typedef enum { RT_EXPECT, RT_FIRED, RT_NOT_FIRED } rt_check_kind;

typedef struct rt_check {
    rt_check_kind kind;
    loc at;
    const char *path_text;    /* EXPECT: as written */
    rt_segment *path;
    size_t path_len;
    const jr_value *want;     /* EXPECT */
    const char *rule;         /* FIRED, NOT_FIRED */
} rt_check;

typedef struct rt_case {
    const char *name;
    loc at;
    rt_fields fields;
    rt_check *checks;
    size_t check_count, check_cap;
    char *line;               /* the input record, padded for the JSON reader */
    size_t line_len;
} rt_case;

/* Coverage counters. Rules and table rows are keyed by their place in the
 * rule files, so a rule inherited by four versions is one rule. */
typedef struct rt_rule_cov {
    const ast_decl *decl;
    size_t evaluated, fired;
} rt_rule_cov;

typedef struct rt_cond_cov {
    const ast_decl *rule;
    loc at;                   /* one operand of the rule's condition */
    size_t when_true, when_false;
} rt_cond_cov;

typedef struct rt_row_cov {
    const ast_decl *table;
    loc at;
    size_t matched;
} rt_row_cov;

struct rt_suite {
    arena *arena;
    const ruleset *rs;
    diag_sink *diags;
    jr_reader *reader;
    rt_case *cases;
    size_t case_count, case_cap;
    /* names a check may use, over every version */
    const char **result_names;
    size_t result_name_count;
    const char **rule_ids;
    size_t rule_id_count;
    const char *fired_name, *error_name;
    /* coverage */
    bool covered;
    rt_rule_cov *rules;
    size_t rule_count;
    rt_cond_cov *conds;
    size_t cond_count, cond_cap;
    rt_row_cov *rows;
    size_t row_count;
};

/* ---------------------------------------------------------------- small helpers */

static void *grow(arena *a, void *items, size_t count, size_t *cap, size_t size)
{
    if (count < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *bigger = arena_alloc(a, ncap * size);
    if (bigger && count)
        memcpy(bigger, items, count * size);
    if (bigger)
        *cap = ncap;
    return bigger;
}

static bool add_name(arena *a, const char ***names, size_t *count, size_t *cap, const char *name)
{
    for (size_t i = 0; i < *count; i++)
        if (strcmp((*names)[i], name) == 0)
            return true;
    const char **n = grow(a, *names, *count, cap, sizeof **names);
    if (!n)
        return false;
    *names = n;
    n[(*count)++] = name;
    return true;
}

static bool known(const char *const *names, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

/* Parses JSON text that is not followed by padding, by copying it. */
static bool parse_json(rt_suite *s, arena *a, const char *text, size_t len, jr_value **out)
{
    char *copy = arena_alloc(a, len + JR_PADDING);
    if (!copy)
        return false;
    memcpy(copy, text, len);
    memset(copy + len, ' ', JR_PADDING);
    return jr_parse(s->reader, copy, len, a, out) == JR_OK;
}

static src_file *read_test_file(rt_suite *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_report(s->diags, DIAG_ERROR, (loc){0}, NULL, "cannot open test file '%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1 || ferror(f))
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    bool failed = !buf || ferror(f);
    fclose(f);
    src_file *src = arena_calloc(s->arena, 1, sizeof *src);
    char *text = failed ? NULL : arena_alloc(s->arena, len + 1);
    size_t lines = 1;
    for (size_t i = 0; !failed && i < len; i++)
        lines += buf[i] == '\n';
    uint32_t *starts = failed ? NULL : arena_alloc(s->arena, lines * sizeof *starts);
    if (failed || !src || !text || !starts || len > UINT32_MAX) {
        free(buf);
        diag_report(s->diags, DIAG_ERROR, (loc){0}, NULL, "cannot read test file '%s'", path);
        return NULL;
    }
    memcpy(text, buf, len);
    text[len] = '\0';
    free(buf);
    starts[0] = 0;
    size_t k = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            starts[k++] = (uint32_t)(i + 1);
    src->path = arena_strndup(s->arena, path, strlen(path));
    src->text = text;
    src->len = len;
    src->line_starts = starts;
    src->line_count = lines;
    return src->path ? src : NULL;
}

/* ---------------------------------------------------------------- reading test files */

typedef struct rt_reader {
    rt_suite *s;
    const src_file *src;
    size_t line;              /* 0-based index of the current line */
    uint32_t pos, end;        /* the unread part of the current line */
    rt_fields defaults;
    rt_case *current;         /* NULL in a defaults block or before the first case */
    bool in_block;            /* a `defaults` or `case` line was seen */
} rt_reader;

static loc here(const rt_reader *r, uint32_t start, uint32_t end)
{
    return (loc){r->src, start, end};
}

static bool is_word_char(unsigned char c, bool first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 || (!first && c >= '0' && c <= '9');
}

static void skip_blanks(rt_reader *r)
{
    while (r->pos < r->end && (r->src->text[r->pos] == ' ' || r->src->text[r->pos] == '\t'))
        r->pos++;
}

/* The next word of the line, or NULL (and *len 0) when there is none. */
static const char *word(rt_reader *r, size_t *len)
{
    skip_blanks(r);
    uint32_t start = r->pos;
    while (r->pos < r->end && is_word_char((unsigned char)r->src->text[r->pos], r->pos == start))
        r->pos++;
    *len = r->pos - start;
    return *len ? r->src->text + start : NULL;
}

static bool rest_is_empty(rt_reader *r)
{
    skip_blanks(r);
    return r->pos >= r->end || r->src->text[r->pos] == '#';
}

static uint32_t line_end(const src_file *src, size_t line)
{
    uint32_t e = line + 1 < src->line_count ? src->line_starts[line + 1] : (uint32_t)src->len;
    while (e > src->line_starts[line] && (src->text[e - 1] == '\n' || src->text[e - 1] == '\r'))
        e--;
    return e;
}

static uint32_t indentation(const src_file *src, size_t line)
{
    uint32_t i = src->line_starts[line];
    while (i < src->len && (src->text[i] == ' ' || src->text[i] == '\t'))
        i++;
    return i - src->line_starts[line];
}

/* Reads a JSON value from the current position; it may go on over the next
 * lines, indented deeper than its first, while a bracket is open (so a
 * bracket left open does not swallow the rest of the file). A '#' outside
 * strings starts a comment. */
static bool json_value(rt_reader *r, const char **text, size_t *len, const jr_value **out)
{
    skip_blanks(r);
    uint32_t start = r->pos, stop = r->pos;
    uint32_t indent = indentation(r->src, r->line);
    const char *t = r->src->text;
    int depth = 0;
    bool in_string = false, escaped = false, done = false;
    for (;;) {
        uint32_t i = r->pos;
        for (; i < r->end; i++) {
            char ch = t[i];
            if (in_string) {
                if (escaped)
                    escaped = false;
                else if (ch == '\\')
                    escaped = true;
                else if (ch == '"')
                    in_string = false;
            } else if (ch == '"')
                in_string = true;
            else if (ch == '#')
                break;
            else if (ch == '[' || ch == '{')
                depth++;
            else if (ch == ']' || ch == '}')
                depth--;
        }
        stop = i;
        while (stop > start && (t[stop - 1] == ' ' || t[stop - 1] == '\t'))
            stop--;
        if (depth <= 0 || in_string || r->line + 1 >= r->src->line_count ||
            indentation(r->src, r->line + 1) <= indent || line_end(r->src, r->line + 1) == r->src->line_starts[r->line + 1]) {
            done = depth <= 0 && !in_string;
            break;
        }
        r->line++;
        r->pos = r->src->line_starts[r->line];
        r->end = line_end(r->src, r->line);
    }
    r->pos = r->end;
    if (stop == start) {
        diag_report(r->s->diags, DIAG_ERROR, here(r, start, start + 1), NULL, "a JSON value is missing here");
        return false;
    }
    jr_value *v = NULL;
    if (!done || !parse_json(r->s, r->s->arena, t + start, stop - start, &v)) {
        diag_report(r->s->diags, DIAG_ERROR, here(r, start, stop),
                    "strings in double quotes, numbers, true, false, null, [arrays] and {objects}",
                    "this is not a JSON value");
        return false;
    }
    *text = t + start;
    *len = stop - start;
    *out = v;
    return true;
}

static rt_field *find_field(rt_fields *fs, const char *name)
{
    for (size_t i = 0; i < fs->count; i++)
        if (strcmp(fs->items[i].name, name) == 0)
            return &fs->items[i];
    return NULL;
}

static rt_field *add_field(rt_suite *s, rt_fields *fs, const char *name)
{
    rt_field *f = find_field(fs, name);
    if (f)
        return f;
    rt_field *n = grow(s->arena, fs->items, fs->count, &fs->cap, sizeof *n);
    if (!n)
        return NULL;
    fs->items = n;
    f = &n[fs->count++];
    memset(f, 0, sizeof *f);
    f->name = name;
    return f;
}

static bool copy_fields(rt_suite *s, const rt_fields *from, rt_fields *to)
{
    memset(to, 0, sizeof *to);
    for (size_t i = 0; i < from->count; i++) {
        rt_field *f = add_field(s, to, from->items[i].name);
        if (!f)
            return false;
        *f = from->items[i];
    }
    return true;
}

/* NAME: JSON or NAME[]: JSON */
static bool input_line(rt_reader *r, rt_fields *fs, const char *name, size_t name_len, uint32_t name_start)
{
    rt_suite *s = r->s;
    bool append = r->src->text[r->pos] == '[';
    r->pos += append ? 3 : 1;
    const char *text;
    size_t len;
    const jr_value *v;
    if (!json_value(r, &text, &len, &v))
        return true;
    const char *n = arena_strndup(s->arena, name, name_len);
    rt_field *f = n ? add_field(s, fs, n) : NULL;
    if (!f)
        return false;
    if (!append) {
        f->raw = text;
        f->raw_len = len;
        f->item_count = 0;
        return true;
    }
    if (f->raw) {
        jr_value *base = NULL;
        if (!parse_json(s, s->arena, f->raw, f->raw_len, &base) || base->kind != JR_ARRAY) {
            diag_report(s->diags, DIAG_ERROR, here(r, name_start, name_start + (uint32_t)name_len), NULL,
                        "'%s' is not a list, so nothing can be appended to it", f->name);
            return true;
        }
    }
    /* Fresh arrays on every append: a case's fields share the defaults' arrays. */
    const char **items = arena_alloc(s->arena, (f->item_count + 1) * sizeof *items);
    size_t *lens = arena_alloc(s->arena, (f->item_count + 1) * sizeof *lens);
    if (!items || !lens)
        return false;
    if (f->item_count) {
        memcpy(items, f->items, f->item_count * sizeof *items);
        memcpy(lens, f->item_lens, f->item_count * sizeof *lens);
    }
    items[f->item_count] = text;
    lens[f->item_count] = len;
    f->items = items;
    f->item_lens = lens;
    f->item_count++;
    return true;
}

/* PATH := name {. name | [digits]} */
static bool path_of(rt_reader *r, rt_check *c)
{
    rt_suite *s = r->s;
    skip_blanks(r);
    uint32_t start = r->pos;
    const char *t = r->src->text;
    size_t n = 0, cap = 0;
    rt_segment *segs = NULL;
    for (;;) {
        rt_segment seg = {0};
        if (n == 0 || t[r->pos] == '.') {
            if (n)
                r->pos++;
            size_t len;
            const char *w = word(r, &len);
            if (!w)
                break;
            seg.name = arena_strndup(s->arena, w, len);
            if (!seg.name)
                return false;
        } else if (t[r->pos] == '[') {
            uint32_t p = r->pos + 1;
            size_t index = 0;
            while (p < r->end && t[p] >= '0' && t[p] <= '9' && index < 1000000)
                index = index * 10 + (size_t)(t[p++] - '0');
            if (p == r->pos + 1 || p >= r->end || t[p] != ']')
                break;
            seg.index = index;
            r->pos = p + 1;
        } else
            break;
        segs = grow(s->arena, segs, n, &cap, sizeof *segs);
        if (!segs)
            return false;
        segs[n++] = seg;
        if (r->pos >= r->end || (t[r->pos] != '.' && t[r->pos] != '['))
            break;
    }
    c->path = segs;
    c->path_len = n;
    c->path_text = arena_strndup(s->arena, t + start, r->pos - start);
    return c->path_text != NULL;
}

static rt_check *new_check(rt_reader *r, rt_check_kind kind, loc at)
{
    rt_case *c = r->current;
    rt_check *n = grow(r->s->arena, c->checks, c->check_count, &c->check_cap, sizeof *n);
    if (!n)
        return NULL;
    c->checks = n;
    rt_check *k = &n[c->check_count++];
    memset(k, 0, sizeof *k);
    k->kind = kind;
    k->at = at;
    return k;
}

/* expect PATH: JSON */
static bool expect_line(rt_reader *r, uint32_t kw_start)
{
    rt_suite *s = r->s;
    uint32_t path_start = r->pos;
    rt_check c = {.kind = RT_EXPECT};
    if (!path_of(r, &c))
        return false;
    skip_blanks(r);
    if (c.path_len == 0 || r->pos >= r->end || r->src->text[r->pos] != ':') {
        diag_report(s->diags, DIAG_ERROR, here(r, path_start, r->pos > path_start ? r->pos : path_start + 1),
                    "write `expect FIELD: VALUE`, e.g. `expect granted_minutes: 1950`", "expected a result field and ':'");
        r->pos = r->end;
        return true;
    }
    r->pos++;
    if (!known(s->result_names, s->result_name_count, c.path[0].name)) {
        const char *near = diag_nearest(c.path[0].name, s->result_names, s->result_name_count);
        char hint[160];
        if (near)
            snprintf(hint, sizeof hint, "did you mean '%s'?", near);
        diag_report(s->diags, DIAG_ERROR, here(r, path_start, path_start + (uint32_t)strlen(c.path[0].name)),
                    near ? hint : NULL, "no result line of this ruleset has a field '%s'", c.path[0].name);
        r->pos = r->end;
        return true;
    }
    const char *text;
    size_t len;
    const jr_value *v;
    if (!json_value(r, &text, &len, &v))
        return true;
    rt_check *k = new_check(r, RT_EXPECT, here(r, kw_start, path_start + (uint32_t)strlen(c.path_text)));
    if (!k)
        return false;
    c.at = k->at;
    c.want = v;
    *k = c;
    return true;
}

/* fired ID ... | not fired ID ... */
static bool fired_line(rt_reader *r, rt_check_kind kind, uint32_t kw_start)
{
    rt_suite *s = r->s;
    size_t count = 0;
    for (;;) {
        skip_blanks(r);
        if (r->pos < r->end && r->src->text[r->pos] == ',') {
            r->pos++;
            continue;
        }
        uint32_t start = r->pos;
        size_t len;
        const char *w = word(r, &len);
        if (!w)
            break;
        const char *id = arena_strndup(s->arena, w, len);
        if (!id)
            return false;
        count++;
        if (!known(s->rule_ids, s->rule_id_count, id)) {
            const char *near = diag_nearest(id, s->rule_ids, s->rule_id_count);
            char hint[160];
            if (near)
                snprintf(hint, sizeof hint, "did you mean '%s'?", near);
            diag_report(s->diags, DIAG_ERROR, here(r, start, r->pos), near ? hint : NULL,
                        "no version of this ruleset has a rule '%s'", id);
            continue;
        }
        rt_check *k = new_check(r, kind, here(r, start, r->pos));
        if (!k)
            return false;
        k->rule = id;
    }
    if (count == 0 || !rest_is_empty(r))
        diag_report(s->diags, DIAG_ERROR, here(r, kw_start, r->end > kw_start ? r->end : kw_start + 1),
                    "write the rule ids after it, e.g. `fired state_pays`", "expected rule ids");
    return true;
}

/* omit NAME ... */
static void omit_line(rt_reader *r, rt_fields *fs, uint32_t kw_start)
{
    size_t count = 0;
    for (;;) {
        skip_blanks(r);
        uint32_t start = r->pos;
        size_t len;
        const char *w = word(r, &len);
        if (!w)
            break;
        count++;
        size_t i = 0;
        while (i < fs->count && !(strlen(fs->items[i].name) == len && memcmp(fs->items[i].name, w, len) == 0))
            i++;
        if (i == fs->count) {
            diag_report(r->s->diags, DIAG_ERROR, here(r, start, r->pos), NULL, "no field '%.*s' to omit", (int)len, w);
            continue;
        }
        memmove(fs->items + i, fs->items + i + 1, (fs->count - i - 1) * sizeof *fs->items);
        fs->count--;
    }
    if (count == 0 || !rest_is_empty(r))
        diag_report(r->s->diags, DIAG_ERROR, here(r, kw_start, r->end > kw_start ? r->end : kw_start + 1), NULL,
                    "expected the names of the fields to leave out");
}

/* case "NAME" */
static bool case_line(rt_reader *r, uint32_t kw_start)
{
    rt_suite *s = r->s;
    const char *text;
    size_t len;
    const jr_value *v = NULL;
    skip_blanks(r);
    uint32_t start = r->pos;
    bool quoted = r->pos < r->end && r->src->text[r->pos] == '"';
    if (quoted && !json_value(r, &text, &len, &v))
        return true;
    if (!quoted || v->kind != JR_STRING || v->len == 0) {
        r->pos = r->end;
        diag_report(s->diags, DIAG_ERROR, here(r, start, r->end > start ? r->end : start + 1),
                    "write `case \"what the case shows\"`", "a case is named by a string in double quotes");
        return true;
    }
    for (size_t i = 0; i < s->case_count; i++)
        if (strcmp(s->cases[i].name, v->text) == 0 && s->cases[i].at.file == r->src) {
            diag_report_note(s->diags, DIAG_ERROR, here(r, kw_start, r->end), s->cases[i].at, "the other is here",
                             "two cases of this file are named \"%s\"", v->text);
            break;
        }
    rt_case *n = grow(s->arena, s->cases, s->case_count, &s->case_cap, sizeof *n);
    if (!n)
        return false;
    s->cases = n;
    rt_case *c = &n[s->case_count++];
    memset(c, 0, sizeof *c);
    c->name = v->text;
    c->at = here(r, kw_start, r->end);
    r->current = c;
    return copy_fields(s, &r->defaults, &c->fields);
}

static bool read_line(rt_reader *r)
{
    rt_suite *s = r->s;
    skip_blanks(r);
    if (rest_is_empty(r))
        return true;
    uint32_t start = r->pos;
    size_t len;
    const char *w = word(r, &len);
    const char *t = r->src->text;
    if (w && r->pos < r->end && (t[r->pos] == ':' || (r->end - r->pos >= 3 && memcmp(t + r->pos, "[]:", 3) == 0))) {
        if (!r->in_block) {
            diag_report(s->diags, DIAG_ERROR, here(r, start, r->pos), "start with `defaults` or `case \"NAME\"`",
                        "an input field outside a case");
            r->pos = r->end;
            return true;
        }
        return input_line(r, r->current ? &r->current->fields : &r->defaults, w, len, start);
    }
#define IS(kw) (len == sizeof kw - 1 && memcmp(w, kw, len) == 0)
    if (w && IS("defaults")) {
        r->current = NULL;
        r->in_block = true;
        memset(&r->defaults, 0, sizeof r->defaults);
        if (!rest_is_empty(r))
            diag_report(s->diags, DIAG_ERROR, here(r, r->pos, r->end), "the fields go on the lines below it",
                        "nothing may follow `defaults` on its line");
        r->pos = r->end;
        return true;
    }
    if (w && IS("case")) {
        r->in_block = true;
        return case_line(r, start);
    }
    if (w && IS("omit") && r->in_block) {
        omit_line(r, r->current ? &r->current->fields : &r->defaults, start);
        return true;
    }
    if (w && (IS("expect") || IS("fired") || IS("not")) && r->current) {
        if (IS("expect"))
            return expect_line(r, start);
        if (IS("fired"))
            return fired_line(r, RT_FIRED, start);
        size_t len2;
        const char *w2 = word(r, &len2);
        if (w2 && len2 == 5 && memcmp(w2, "fired", 5) == 0)
            return fired_line(r, RT_NOT_FIRED, start);
    } else if (w && (IS("expect") || IS("fired") || IS("not"))) {
        diag_report(s->diags, DIAG_ERROR, here(r, start, start + (uint32_t)len), "checks go in a `case` block",
                    "'%.*s' outside a case", (int)len, w);
        r->pos = r->end;
        return true;
    }
#undef IS
    diag_report(s->diags, DIAG_ERROR, here(r, start, r->end > start ? r->end : start + 1),
                "a line is `NAME: JSON`, `NAME[]: JSON`, `omit NAME`, `expect PATH: JSON`, `fired ID`, "
                "`not fired ID`, `case \"NAME\"` or `defaults`",
                "cannot read this line");
    r->pos = r->end;
    return true;
}

static bool read_file(rt_suite *s, const char *path)
{
    const src_file *src = read_test_file(s, path);
    if (!src)
        return true;
    rt_reader r = {.s = s, .src = src};
    size_t first_case = s->case_count;
    for (r.line = 0; r.line < src->line_count; r.line++) {
        r.pos = src->line_starts[r.line];
        r.end = line_end(src, r.line);
        if (!read_line(&r))
            return false;
        if (!rest_is_empty(&r))
            diag_report(s->diags, DIAG_ERROR, here(&r, r.pos, r.end), NULL, "unexpected text at the end of the line");
    }
    if (s->case_count == first_case)
        diag_report(s->diags, DIAG_ERROR, (loc){src, 0, 0}, "a test file holds `case \"NAME\"` blocks",
                    "no cases in '%s'", path);
    return true;
}

/* ---------------------------------------------------------------- building records */

static void write_field_value(ob_buf *out, const rt_field *f)
{
    if (!f->item_count) {
        ob_bytes(out, f->raw, f->raw_len);
        return;
    }
    /* A list with appended items: the written list without its ']', then the items. */
    bool any = false;
    if (f->raw) {
        size_t end = f->raw_len;
        while (end > 0 && f->raw[end - 1] != ']')
            end--;
        end--; /* the closing bracket; raw is a checked JSON array */
        ob_bytes(out, f->raw, end);
        for (size_t i = 1; i < end; i++)
            if (f->raw[i] != ' ' && f->raw[i] != '\t' && f->raw[i] != '\n' && f->raw[i] != '\r')
                any = true;
    } else
        ob_char(out, '[');
    for (size_t i = 0; i < f->item_count; i++) {
        if (any || i)
            ob_char(out, ',');
        ob_bytes(out, f->items[i], f->item_lens[i]);
    }
    ob_char(out, ']');
}

static bool build_line(rt_suite *s, rt_case *c)
{
    const char *key = s->rs->versions[s->rs->version_count - 1].program->key_name;
    ob_buf b = {0};
    ob_char(&b, '{');
    bool first = true;
    if (!find_field(&c->fields, key)) {
        ob_json_string(&b, key, strlen(key));
        ob_char(&b, ':');
        ob_json_string(&b, c->name, strlen(c->name));
        first = false;
    }
    for (size_t i = 0; i < c->fields.count; i++) {
        if (!first)
            ob_char(&b, ',');
        first = false;
        ob_json_string(&b, c->fields.items[i].name, strlen(c->fields.items[i].name));
        ob_char(&b, ':');
        write_field_value(&b, &c->fields.items[i]);
    }
    ob_char(&b, '}');
    /* A value written over several lines: outside strings a line break and
     * the indentation after it are only white space (and inside a string a
     * line break is not JSON), so they become one space. */
    size_t kept = 0;
    for (size_t i = 0; !b.failed && i < b.len; i++) {
        if (b.data[i] == '\n' || b.data[i] == '\r') {
            while (i + 1 < b.len && (b.data[i + 1] == ' ' || b.data[i + 1] == '\t' || b.data[i + 1] == '\n' ||
                                     b.data[i + 1] == '\r'))
                i++;
            b.data[kept++] = ' ';
        } else
            b.data[kept++] = b.data[i];
    }
    b.len = b.failed ? b.len : kept;
    c->line = b.failed ? NULL : arena_alloc(s->arena, b.len + JR_PADDING);
    if (c->line) {
        memcpy(c->line, b.data, b.len);
        memset(c->line + b.len, ' ', JR_PADDING);
        c->line_len = b.len;
    }
    ob_free(&b);
    return c->line != NULL;
}

/* ---------------------------------------------------------------- loading */

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool collect_names(rt_suite *s)
{
    size_t rcap = 0, icap = 0;
    for (size_t v = 0; v < s->rs->version_count; v++) {
        const ir_program *p = s->rs->versions[v].program;
        const char *fixed[] = {p->key_name, p->version_name, p->fired_name, p->error_name};
        for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
            if (!add_name(s->arena, &s->result_names, &s->result_name_count, &rcap, fixed[i]))
                return false;
        for (size_t i = 0; i < p->result_count; i++)
            if (!add_name(s->arena, &s->result_names, &s->result_name_count, &rcap, p->results[i].name))
                return false;
        for (size_t i = 0; i < p->rule_count; i++)
            if (!add_name(s->arena, &s->rule_ids, &s->rule_id_count, &icap, p->rules[i]->decl->name))
                return false;
    }
    const ir_program *newest = s->rs->versions[s->rs->version_count - 1].program;
    s->fired_name = newest->fired_name;
    s->error_name = newest->error_name;
    return true;
}

static char **list_dir(const char *dir, size_t *count, diag_sink *diags)
{
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) {
        diag_report(diags, DIAG_ERROR, (loc){0}, "rule tests live in RULESET/tests/*.regeltest",
                    "cannot open the test directory '%s': %s", dir, strerror(errno));
        return NULL;
    }
    size_t cap = 16, n = 0, dlen = strlen(dir);
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while (names && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        static const char ext[] = ".regeltest";
        if (e->d_name[0] == '.' || len <= sizeof ext - 1 || strcmp(e->d_name + len - (sizeof ext - 1), ext) != 0)
            continue;
        if (n == cap) {
            char **bigger = realloc(names, cap * 2 * sizeof *names);
            if (!bigger)
                break;
            names = bigger;
            cap *= 2;
        }
        char *full = malloc(dlen + len + 2);
        if (!full)
            break;
        snprintf(full, dlen + len + 2, "%s%s%s", dir, dlen && dir[dlen - 1] == '/' ? "" : "/", e->d_name);
        names[n++] = full;
    }
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, compare_names);
    *count = n;
    return names;
}

rt_suite *rt_load(const ruleset *rs, const char *dir, const char *const *paths, size_t count, diag_sink *diags)
{
    arena *a = arena_new();
    rt_suite *s = a ? arena_calloc(a, 1, sizeof *s) : NULL;
    if (!s) {
        arena_free(a);
        diag_report(diags, DIAG_ERROR, (loc){0}, NULL, "out of memory");
        return NULL;
    }
    s->arena = a;
    s->rs = rs;
    s->diags = diags;
    s->reader = jr_reader_new(RT_MAX_DEPTH);
    unsigned errors = diags->errors;
    bool ok = s->reader && collect_names(s);
    char **owned = NULL;
    size_t owned_count = 0;
    if (ok && count == 0) {
        owned = list_dir(dir, &owned_count, diags);
        if (owned && owned_count == 0)
            diag_report(diags, DIAG_ERROR, (loc){0}, "rule tests are files named like NAME.regeltest",
                        "no test files in '%s'", dir);
        paths = (const char *const *)owned;
        count = owned_count;
    }
    for (size_t i = 0; ok && i < count; i++)
        ok = read_file(s, paths[i]);
    for (size_t i = 0; ok && i < s->case_count; i++)
        ok = build_line(s, &s->cases[i]);
    for (size_t i = 0; i < owned_count; i++)
        free(owned[i]);
    free(owned);
    if (!ok)
        diag_report(diags, DIAG_ERROR, (loc){0}, NULL, "out of memory while reading the tests");
    if (!ok || diags->errors != errors) {
        rt_free(s);
        return NULL;
    }
    return s;
}

void rt_free(rt_suite *s)
{
    if (!s)
        return;
    if (s->reader)
        jr_reader_free(s->reader);
    arena_free(s->arena);
}

/* ---------------------------------------------------------------- explaining a result */

/* Writes source text with every run of blanks and newlines as one space. */
static void write_source(ob_buf *out, loc at)
{
    if (!at.file)
        return;
    bool space = false;
    for (uint32_t i = at.start; i < at.end; i++) {
        char ch = at.file->text[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            space = true;
            continue;
        }
        if (space)
            ob_char(out, ' ');
        space = false;
        ob_char(out, ch);
    }
}

static void write_rule_head(ob_buf *out, const ir_rule *r)
{
    ob_str(out, r->decl->name);
    if (r->decl->cite) {
        ob_str(out, " (");
        ob_str(out, r->decl->cite);
        ob_char(out, ')');
    }
    ob_str(out, ", ");
    pb_write_where(out, r->decl->name_at);
}

static int seen_order(const void *a, const void *b)
{
    const ev_seen *x = *(const ev_seen *const *)a, *y = *(const ev_seen *const *)b;
    int by_name = strcmp(x->name, y->name);
    return by_name ? by_name : (x->item > y->item) - (x->item < y->item);
}

/* What a rule read, by name: the order of reading follows the evaluator's
 * order of operands, which is no part of the law. */
static void write_seen(ob_buf *out, const ev_step *st, const char *indent)
{
    const ev_seen *sorted[st->seen_count ? st->seen_count : 1];
    size_t n = 0;
    for (size_t i = 0; i < st->seen_count; i++) {
        const ev_seen *seen = &st->seen[i];
        if (seen->kind != EV_SEEN_DEFINED && !(seen->kind == EV_SEEN_VALUE && seen->type.kind == VT_LIST))
            sorted[n++] = seen;
    }
    qsort(sorted, n, sizeof *sorted, seen_order);
    for (size_t i = 0; i < n; i++) {
        const ev_seen *seen = sorted[i];
        ob_str(out, i ? ", " : indent);
        if (!i)
            ob_str(out, "read ");
        ob_str(out, seen->name);
        if (seen->item >= 0) {
            ob_char(out, '[');
            ob_int(out, seen->item);
            ob_char(out, ']');
        }
        ob_str(out, " = ");
        pb_write_typed(out, seen->type, seen->v);
    }
    if (n)
        ob_char(out, '\n');
}

static void write_item(ob_buf *out, const ev_step *st)
{
    if (st->item < 0)
        return;
    ob_str(out, " for ");
    ob_str(out, st->list ? st->list : "item");
    ob_char(out, '[');
    ob_int(out, st->item);
    ob_char(out, ']');
}

/* One evaluated rule: where it is, its condition and value, what it read. */
static void write_step(ob_buf *out, const ev_step *st)
{
    const ir_rule *r = st->rule;
    ob_str(out, st->fired ? "    fired: " : "    did not fire: ");
    write_rule_head(out, r);
    write_item(out, st);
    ob_char(out, '\n');
    if (r->decl->u.rule.when) {
        ob_str(out, "      when ");
        write_source(out, r->decl->u.rule.when->at);
        ob_char(out, '\n');
    }
    if (st->fired) {
        ob_str(out, "      ");
        ob_str(out, r->target->name);
        ob_str(out, " = ");
        write_source(out, r->decl->u.rule.value->at);
        for (size_t i = 0; i < st->seen_count; i++)
            if (st->seen[i].kind == EV_SEEN_DEFINED) {
                ob_str(out, "  => ");
                pb_write_typed(out, st->seen[i].type, st->seen[i].v);
            }
        ob_char(out, '\n');
    }
    write_seen(out, st, "      ");
}

/* The steps of the rules of value `v`: those tried first that did not fire, and the one that did. */
static void write_value_trace(ob_buf *out, const ev_case *c, const ir_value *v)
{
    bool any = false;
    for (const ev_step *st = c->steps; st; st = st->next)
        if (st->rule->target == v) {
            write_step(out, st);
            any = true;
        }
    if (!any) {
        ob_str(out, "    ");
        ob_str(out, v->name);
        ob_str(out, " was not evaluated\n");
    }
}

static const ir_rule *rule_named(const ir_program *p, const char *id)
{
    for (size_t i = 0; i < p->rule_count; i++)
        if (strcmp(p->rules[i]->decl->name, id) == 0)
            return p->rules[i];
    return NULL;
}

/* Why a rule did (or did not) fire. */
static void write_rule_trace(ob_buf *out, const ev_case *c, const char *id)
{
    const ir_rule *r = rule_named(c->prog, id);
    char date[11];
    if (!r) {
        cal_format(c->prog->version, date);
        ob_str(out, "    rule version ");
        ob_str(out, date);
        ob_str(out, " has no rule ");
        ob_str(out, id);
        ob_char(out, '\n');
        return;
    }
    bool any = false;
    for (const ev_step *st = c->steps; st; st = st->next)
        if (st->rule == r) {
            write_step(out, st);
            any = true;
        }
    if (any)
        return;
    ob_str(out, "    not evaluated: ");
    write_rule_head(out, r);
    ob_char(out, '\n');
    const ir_rule *winner = pb_fired_rule(c, r->target);
    if (winner) {
        ob_str(out, "    ");
        ob_str(out, r->target->name);
        ob_str(out, " was decided first by:\n");
        for (const ev_step *st = c->steps; st; st = st->next)
            if (st->rule == winner && st->fired) {
                write_step(out, st);
                break;
            }
    } else {
        ob_str(out, "    nothing in this case needed ");
        ob_str(out, r->target->name);
        ob_char(out, '\n');
    }
}

/* ---------------------------------------------------------------- running */

static const jr_value *at_path(const jr_value *v, const rt_segment *path, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        if (path[i].name)
            v = pb_member(v, path[i].name);
        else
            v = v->kind == JR_ARRAY && path[i].index < v->count ? &v->items[path[i].index] : NULL;
    }
    return v;
}

static bool fired_in(const jr_value *result, const char *fired_name, const char *id)
{
    const jr_value *list = pb_member(result, fired_name);
    for (size_t i = 0; list && list->kind == JR_ARRAY && i < list->count; i++)
        if (list->items[i].kind == JR_STRING && strcmp(list->items[i].text, id) == 0)
            return true;
    return false;
}

static const ir_value *result_value(const ir_program *p, const char *name)
{
    for (size_t i = 0; i < p->result_count; i++)
        if (strcmp(p->results[i].name, name) == 0)
            return p->results[i].value;
    return NULL;
}

/* The operands of a condition: its and/or tree down to what is neither. */
typedef struct cond_walk {
    rt_suite *s;
    ev_case *c;
    const ev_step *st;
} cond_walk;

static bool note_cond(rt_suite *s, const ast_decl *rule, loc at, bool holds)
{
    rt_cond_cov *c = NULL;
    for (size_t i = 0; i < s->cond_count && !c; i++)
        if (s->conds[i].rule == rule && s->conds[i].at.start == at.start && s->conds[i].at.end == at.end &&
            s->conds[i].at.file == at.file)
            c = &s->conds[i];
    if (!c) {
        rt_cond_cov *n = grow(s->arena, s->conds, s->cond_count, &s->cond_cap, sizeof *n);
        if (!n)
            return false;
        s->conds = n;
        c = &n[s->cond_count++];
        *c = (rt_cond_cov){.rule = rule, .at = at};
    }
    if (holds)
        c->when_true++;
    else
        c->when_false++;
    return true;
}

/* Walks a condition as the evaluator did, short circuits included, and
 * counts each operand it reached as true or false. The operands' values are
 * all memoised by the evaluation, so ev_reeval recomputes nothing. */
static bool walk_cond(cond_walk *w, const ir_expr *x, bool *holds)
{
    if (x->op == IR_AND || x->op == IR_OR) {
        bool left;
        if (!walk_cond(w, x->a, &left))
            return false;
        if ((x->op == IR_AND) != left) {
            *holds = left;
            return true;
        }
        return walk_cond(w, x->b, holds);
    }
    value v;
    if (!ev_reeval(w->c, w->st, x, &v))
        return false;
    *holds = v.i != 0;
    return note_cond(w->s, w->st->rule->decl, x->at, *holds);
}

static const ast_row *row_of(const ir_table *t, long row)
{
    loc at = row >= 0 ? t->rows[row].at : t->otherwise->at;
    for (size_t i = 0; i < t->decl->u.table.row_count; i++)
        if (t->decl->u.table.rows[i]->at.start == at.start)
            return t->decl->u.table.rows[i];
    return NULL;
}

static void count_coverage(rt_suite *s, ev_case *c)
{
    for (const ev_step *st = c->steps; st; st = st->next) {
        for (size_t i = 0; i < s->rule_count; i++)
            if (s->rules[i].decl == st->rule->decl) {
                s->rules[i].evaluated++;
                s->rules[i].fired += st->fired;
            }
        if (st->rule->when) {
            cond_walk w = {s, c, st};
            bool holds;
            walk_cond(&w, st->rule->when, &holds);
        }
        for (size_t k = 0; k < st->lookup_count; k++) {
            const ev_lookup *l = &st->lookups[k];
            const ast_row *row = row_of(l->table, l->row);
            for (size_t i = 0; row && i < s->row_count; i++)
                if (s->rows[i].table == l->table->decl && s->rows[i].at.start == row->at.start)
                    s->rows[i].matched++;
        }
    }
}

static int by_place(loc a, loc b)
{
    if (a.file != b.file)
        return a.file < b.file ? -1 : 1;
    return (a.start > b.start) - (a.start < b.start);
}

static int rule_order(const void *a, const void *b)
{
    return by_place(((const rt_rule_cov *)a)->decl->at, ((const rt_rule_cov *)b)->decl->at);
}

static int row_order(const void *a, const void *b)
{
    return by_place(((const rt_row_cov *)a)->at, ((const rt_row_cov *)b)->at);
}

static bool prepare_coverage(rt_suite *s)
{
    size_t rule_cap = 0, row_cap = 0;
    s->covered = true;
    for (size_t v = 0; v < s->rs->version_count; v++) {
        const rs_version *ver = &s->rs->versions[v];
        for (size_t d = 0; d < ver->decl_count; d++) {
            const ast_decl *decl = ver->decls[d];
            if (decl->kind == DECL_RULE) {
                bool seen = false;
                for (size_t i = 0; i < s->rule_count && !seen; i++)
                    seen = s->rules[i].decl == decl;
                if (seen)
                    continue;
                rt_rule_cov *n = grow(s->arena, s->rules, s->rule_count, &rule_cap, sizeof *n);
                if (!n)
                    return false;
                s->rules = n;
                n[s->rule_count++] = (rt_rule_cov){.decl = decl};
                /* every operand of the condition starts at zero, so the never-seen show up */
                const ast_expr *stack[64];
                size_t top = 0;
                if (decl->u.rule.when)
                    stack[top++] = decl->u.rule.when;
                while (top) {
                    const ast_expr *e = stack[--top];
                    if (e->kind == EXPR_BINARY && (e->u.binary.op == OP_AND || e->u.binary.op == OP_OR) && top + 2 <= 64) {
                        stack[top++] = e->u.binary.right;
                        stack[top++] = e->u.binary.left;
                        continue;
                    }
                    rt_cond_cov *c = grow(s->arena, s->conds, s->cond_count, &s->cond_cap, sizeof *c);
                    if (!c)
                        return false;
                    s->conds = c;
                    c[s->cond_count++] = (rt_cond_cov){.rule = decl, .at = e->at};
                }
            } else if (decl->kind == DECL_TABLE) {
                bool seen = false;
                for (size_t i = 0; i < s->row_count && !seen; i++)
                    seen = s->rows[i].table == decl;
                for (size_t r = 0; !seen && r < decl->u.table.row_count; r++) {
                    rt_row_cov *n = grow(s->arena, s->rows, s->row_count, &row_cap, sizeof *n);
                    if (!n)
                        return false;
                    s->rows = n;
                    n[s->row_count++] = (rt_row_cov){.table = decl, .at = decl->u.table.rows[r]->at};
                }
            }
        }
    }
    /* the report lists them in file order; an amendment can place a rule before older ones */
    if (s->rule_count)
        qsort(s->rules, s->rule_count, sizeof *s->rules, rule_order);
    if (s->row_count)
        qsort(s->rows, s->row_count, sizeof *s->rows, row_order);
    return true;
}

static void write_case_head(ob_buf *out, const rt_case *c, const char *verdict)
{
    ob_str(out, verdict);
    ob_char(out, ' ');
    pb_write_where(out, c->at);
    ob_str(out, ": ");
    ob_str(out, c->name);
    ob_char(out, '\n');
}

static void write_json_or_nothing(ob_buf *out, const jr_value *v)
{
    if (v)
        pb_write_json(out, v);
    else
        ob_str(out, "nothing (no such field)");
}

/* Runs one case; writes its failures. Returns whether it passed, or -1 when memory ran out. */
static int run_case(rt_suite *s, const rt_options *opt, bt_session *session, arena *a, rt_case *c, ob_buf *report)
{
    arena_reset(a);
    ob_buf line = {0};
    bt_outcome outcome = bt_decide_line(session, c->line, c->line_len, &line);
    jr_value *result = NULL;
    bool parsed = !line.failed && line.len > 0 && parse_json(s, a, line.data, line.len - 1, &result);
    ob_free(&line);
    if (outcome == BT_FAILED || !parsed)
        return -1;
    /* The case as batch decided it, with its trace (BT_RECORD); valid until
     * the session decides its next line. */
    const ev_case *decided = outcome == BT_DECIDED ? bt_last(session)->c : NULL;
    size_t failures = 0;
    ob_buf why = {0};
    for (size_t i = 0; i < c->check_count; i++) {
        const rt_check *k = &c->checks[i];
        const jr_value *got = k->kind == RT_EXPECT ? at_path(result, k->path, k->path_len) : NULL;
        bool ok = k->kind == RT_EXPECT      ? got && pb_json_equal(got, k->want)
                  : k->kind == RT_FIRED     ? fired_in(result, s->fired_name, k->rule)
                                            : !fired_in(result, s->fired_name, k->rule);
        if (ok)
            continue;
        if (failures++ == 0)
            write_case_head(&why, c, "FAIL");
        unsigned line_no, col;
        src_line_col(k->at.file, k->at.start, &line_no, &col);
        ob_str(&why, "  line ");
        ob_int(&why, line_no);
        ob_str(&why, ": ");
        if (k->kind == RT_EXPECT) {
            ob_str(&why, k->path_text);
            ob_str(&why, ": expected ");
            pb_write_json(&why, k->want);
            ob_str(&why, ", got ");
            write_json_or_nothing(&why, got);
            ob_char(&why, '\n');
            const ir_value *v = decided ? result_value(decided->prog, k->path[0].name) : NULL;
            if (v)
                write_value_trace(&why, decided, v);
        } else {
            ob_str(&why, "expected rule ");
            ob_str(&why, k->rule);
            ob_str(&why, k->kind == RT_FIRED ? " to fire; it did not\n" : " not to fire; it fired\n");
            if (decided)
                write_rule_trace(&why, decided, k->rule);
        }
    }
    if (failures && outcome != BT_DECIDED) {
        const jr_value *error = pb_member(result, s->error_name);
        ob_str(&why, "  the record was rejected: ");
        write_json_or_nothing(&why, error);
        ob_char(&why, '\n');
    }
    if (failures) {
        ob_str(&why, "  input: ");
        ob_bytes(&why, c->line, c->line_len);
        ob_char(&why, '\n');
    } else if (opt->verbose)
        write_case_head(&why, c, "ok");
    /* bt_last hands the case out read-only; the coverage walk re-evaluates
     * operands that the decision already evaluated, through ev_reeval, which
     * recomputes and records nothing, and the next line resets the case. */
    if (opt->coverage && decided)
        count_coverage(s, (ev_case *)decided);
    bool failed = why.failed;
    if (why.len)
        ob_bytes(report, why.data, why.len);
    ob_free(&why);
    if (failed)
        return -1;
    return failures == 0;
}

bool rt_run(rt_suite *s, const rt_options *opt, ob_buf *report, rt_totals *totals)
{
    totals->passed = totals->failed = 0;
    if (opt->coverage && !s->covered && !prepare_coverage(s))
        return false;
    bt_session *session = bt_session_new(s->rs, RT_MAX_DEPTH);
    arena *a = arena_new();
    bool ok = session && a && bt_session_set(session, BT_RECORD);
    for (size_t i = 0; ok && i < s->case_count; i++) {
        int r = run_case(s, opt, session, a, &s->cases[i], report);
        if (r < 0)
            ok = false;
        else if (r)
            totals->passed++;
        else
            totals->failed++;
    }
    bt_session_free(session);
    arena_free(a);
    ob_int(report, (int64_t)totals->passed);
    ob_str(report, " passed, ");
    ob_int(report, (int64_t)totals->failed);
    ob_str(report, " failed\n");
    return ok && !report->failed;
}

/* ---------------------------------------------------------------- the coverage report */

static unsigned line_of(loc at)
{
    unsigned line, col;
    src_line_col(at.file, at.start, &line, &col);
    return line;
}

static void write_count(ob_buf *out, const char *what, size_t hit, size_t all)
{
    ob_str(out, "  ");
    ob_str(out, what);
    ob_str(out, ": ");
    ob_int(out, (int64_t)hit);
    ob_char(out, '/');
    ob_int(out, (int64_t)all);
    ob_char(out, '\n');
}

void rt_write_coverage(const rt_suite *s, ob_buf *out)
{
    if (!s->covered)
        return;
    ob_str(out, "\ncoverage of the rule files by ");
    ob_int(out, (int64_t)s->case_count);
    ob_str(out, " cases\n");
    size_t total[7] = {0}; /* rules, evaluated, fired, branches, taken, rows, matched */
    for (size_t f = 0; f < s->rs->file_count; f++) {
        const src_file *file = s->rs->files[f];
        size_t rules = 0, rules_fired = 0, rules_tried = 0, branches = 0, branches_hit = 0, rows = 0, rows_hit = 0;
        ob_buf missed = {0};
        for (size_t i = 0; i < s->rule_count; i++) {
            const rt_rule_cov *r = &s->rules[i];
            if (r->decl->at.file != file)
                continue;
            rules++;
            rules_fired += r->fired > 0;
            rules_tried += r->evaluated > 0;
            bool conditional = r->decl->u.rule.when != NULL;
            branches += conditional ? 2 : 0;
            branches_hit += conditional ? (size_t)(r->fired > 0) + (size_t)(r->evaluated > r->fired) : 0;
            if (!r->fired || (conditional && r->evaluated == r->fired)) {
                ob_str(&missed, "    line ");
                ob_int(&missed, line_of(r->decl->name_at));
                ob_str(&missed, ": rule ");
                ob_str(&missed, r->decl->name);
                ob_str(&missed, !r->evaluated ? " never evaluated\n" : !r->fired ? " never fired\n"
                                                                     : " always fired (its condition never failed)\n");
            }
            for (size_t k = 0; k < s->cond_count; k++) {
                const rt_cond_cov *c = &s->conds[k];
                if (c->rule != r->decl || (c->at.start == r->decl->u.rule.when->at.start &&
                                           c->at.end == r->decl->u.rule.when->at.end))
                    continue; /* a condition of one operand is the rule's own branch */
                branches += 2;
                branches_hit += (size_t)(c->when_true > 0) + (size_t)(c->when_false > 0);
                if (c->when_true && c->when_false)
                    continue;
                ob_str(&missed, "    line ");
                ob_int(&missed, line_of(c->at));
                ob_str(&missed, ": rule ");
                ob_str(&missed, r->decl->name);
                ob_str(&missed, ", `");
                write_source(&missed, c->at);
                ob_str(&missed, !c->when_true && !c->when_false ? "` never evaluated\n"
                                : !c->when_true                ? "` never true\n"
                                                               : "` never false\n");
            }
        }
        for (size_t i = 0; i < s->row_count; i++) {
            const rt_row_cov *r = &s->rows[i];
            if (r->at.file != file)
                continue;
            rows++;
            rows_hit += r->matched > 0;
            if (r->matched)
                continue;
            ob_str(&missed, "    line ");
            ob_int(&missed, line_of(r->at));
            ob_str(&missed, ": table ");
            ob_str(&missed, r->table->name);
            ob_str(&missed, ", row `");
            write_source(&missed, r->at);
            ob_str(&missed, "` never matched\n");
        }
        size_t mine[7] = {rules, rules_tried, rules_fired, branches, branches_hit, rows, rows_hit};
        for (size_t i = 0; i < 7; i++)
            total[i] += mine[i];
        ob_str(out, file->path);
        ob_char(out, '\n');
        write_count(out, "rules evaluated", rules_tried, rules);
        write_count(out, "rules fired", rules_fired, rules);
        write_count(out, "condition branches taken", branches_hit, branches);
        write_count(out, "table rows matched", rows_hit, rows);
        if (missed.len) {
            ob_str(out, "  never exercised:\n");
            ob_bytes(out, missed.data, missed.len);
        }
        ob_free(&missed);
        /* what was exercised, rule by rule */
        if (rules_tried || rows_hit)
            ob_str(out, "  exercised:\n");
        for (size_t i = 0; i < s->rule_count; i++) {
            const rt_rule_cov *r = &s->rules[i];
            if (r->decl->at.file != file || !r->evaluated)
                continue;
            ob_str(out, "    line ");
            ob_int(out, line_of(r->decl->name_at));
            ob_str(out, ": rule ");
            ob_str(out, r->decl->name);
            ob_str(out, ": evaluated ");
            ob_int(out, (int64_t)r->evaluated);
            ob_str(out, ", fired ");
            ob_int(out, (int64_t)r->fired);
            ob_char(out, '\n');
        }
        for (size_t i = 0; i < s->row_count; i++) {
            const rt_row_cov *r = &s->rows[i];
            if (r->at.file != file || !r->matched)
                continue;
            ob_str(out, "    line ");
            ob_int(out, line_of(r->at));
            ob_str(out, ": table ");
            ob_str(out, r->table->name);
            ob_str(out, ", row `");
            write_source(out, r->at);
            ob_str(out, "`: matched ");
            ob_int(out, (int64_t)r->matched);
            ob_char(out, '\n');
        }
    }    ob_str(out, "all rule files\n");
    write_count(out, "rules evaluated", total[1], total[0]);
    write_count(out, "rules fired", total[2], total[0]);
    write_count(out, "condition branches taken", total[4], total[3]);
    write_count(out, "table rows matched", total[6], total[5]);
}
