/*
 * AST builders, called from the grammar actions, and the driver that runs the
 * scanner and parser over one rule file. Literals are converted exactly here,
 * so that "2.5 h/day" is 1050 minutes a week and "0.01 h" is an error rather
 * than a rounded number.
 */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "exact.h"

const char *const ast_binop_text[] = {
#define X(name, text) text,
    AST_BINOPS(X)
#undef X
};

const char *const ast_aggregate_text[] = {
#define X(name, text) text,
    AST_AGGREGATES(X)
#undef X
};

const char *const ast_decl_kind_text[] = {
#define X(name, text) text,
    AST_DECL_KINDS(X)
#undef X
};

static void *ps_alloc(ast_parse *ps, size_t size)
{
    void *p = arena_calloc(ps->arena, 1, size);
    if (!p)
        ps->out_of_memory = true;
    return p;
}

/* Grows an arena-backed array; the old block is left in the arena, which is freed whole. */
static void *grow(ast_parse *ps, void *items, size_t count, size_t *cap, size_t size)
{
    if (count < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 4;
    void *n = arena_calloc(ps->arena, ncap, size);
    if (!n) {
        ps->out_of_memory = true;
        return NULL;
    }
    if (count)
        memcpy(n, items, count * size);
    *cap = ncap;
    return n;
}

loc ast_span(ast_parse *ps, uint32_t start, uint32_t end)
{
    return (loc){ps->src, start, end};
}

const char *ast_text(ast_parse *ps, uint32_t start, uint32_t end)
{
    const char *s = arena_strndup(ps->arena, ps->src->text + start, end - start);
    if (!s)
        ps->out_of_memory = true;
    return s ? s : "";
}

const char *ast_string_literal(ast_parse *ps, uint32_t start, uint32_t end)
{
    const char *t = ps->src->text + start + 1;
    size_t n = end - start >= 2 ? end - start - 2 : 0;
    if (end - start >= 1 && ps->src->text[end - 1] != '"')
        n = end - start - 1; /* unterminated: already reported by the scanner */
    char *out = arena_alloc(ps->arena, n + 1);
    if (!out) {
        ps->out_of_memory = true;
        return "";
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (c == '\\' && i + 1 < n) {
            c = t[++i];
            if (c == 'n')
                c = '\n';
            else if (c == 't')
                c = '\t';
        }
        out[k++] = c;
    }
    out[k] = '\0';
    return out;
}

static ast_expr *expr_new(ast_parse *ps, ast_expr_kind kind, loc at)
{
    ast_expr *e = ps_alloc(ps, sizeof *e);
    if (e) {
        e->kind = kind;
        e->at = at;
    }
    return e;
}

ast_expr *ast_bool(ast_parse *ps, bool value, loc at)
{
    ast_expr *e = expr_new(ps, EXPR_BOOL, at);
    if (e)
        e->u.boolean = value;
    return e;
}

static ast_expr *number_expr(ast_parse *ps, ast_literal_kind unit, int64_t value, loc at)
{
    ast_expr *e = expr_new(ps, EXPR_NUMBER, at);
    if (e) {
        e->u.number.unit = unit;
        e->u.number.value = value;
    }
    return e;
}

ast_expr *ast_number(ast_parse *ps, loc at)
{
    const char *t = ps->src->text + at.start;
    size_t n = at.end - at.start;
    int64_t v = 0;
    const char *dot = memchr(t, '.', n);
    if (dot) {
        if ((size_t)(t + n - dot - 1) > 6)
            diag_report(ps->diags, DIAG_ERROR, at, "decimals are exact to six places",
                        "a decimal literal has at most six decimals");
        else if (ex_parse_decimal(t, n, &v) != EX_OK)
            diag_report(ps->diags, DIAG_ERROR, at, NULL, "number too large");
        return number_expr(ps, LIT_DECIMAL, v, at);
    }
    ex_status status = ex_parse_int(t, n, INT64_MIN, INT64_MAX, &v);
    if (status == EX_SYNTAX)
        diag_report(ps->diags, DIAG_ERROR, at, "write `7`, not `007`", "a number cannot start with 0");
    else if (status != EX_OK)
        diag_report(ps->diags, DIAG_ERROR, at, NULL, "number too large");
    return number_expr(ps, LIT_INT, v, at);
}

/* Reads a decimal number at *p and skips the blanks after it. */
static bool scan_decimal(const char **p, const char *end, int64_t *scaled)
{
    const char *s = *p;
    while (*p < end && ((**p >= '0' && **p <= '9') || **p == '.'))
        (*p)++;
    bool ok = ex_parse_decimal(s, (size_t)(*p - s), scaled) == EX_OK;
    while (*p < end && (**p == ' ' || **p == '\t'))
        (*p)++;
    return ok;
}

static bool word_at(const char **p, const char *end, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - *p) >= n && memcmp(*p, word, n) == 0) {
        const char *after = *p + n;
        if (after == end || !((*after >= 'a' && *after <= 'z') || *after == 's')) {
            *p = after;
            return true;
        }
        if (*after == 's' && (after + 1 == end || after[1] == ' ' || after[1] == '\t' || after[1] == '/')) {
            *p = after + 1;
            return true;
        }
    }
    return false;
}

static void skip_blanks(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || **p == '\t'))
        (*p)++;
}

/* Minutes of `scaled` hours or minutes, or false when not a whole number of minutes. */
static bool to_minutes(int64_t scaled, int64_t per_unit, int64_t *minutes)
{
    return ex_decimal_times_int_exact(scaled, per_unit, minutes);
}

ast_expr *ast_quantity(ast_parse *ps, loc at)
{
    const char *p = ps->src->text + at.start, *end = ps->src->text + at.end;
    int64_t scaled, minutes = 0, part;
    bool exact = scan_decimal(&p, end, &scaled);
    if (!exact) {
        diag_report(ps->diags, DIAG_ERROR, at, "write numbers without leading zeros and with at most six decimals",
                    "'%.*s' is not a number regel can keep exactly", (int)(at.end - at.start), ps->src->text + at.start);
        return number_expr(ps, LIT_INT, 0, at);
    }
    if (word_at(&p, end, "years") || word_at(&p, end, "year")) {
        if (!ex_decimal_times_int_exact(scaled, 1, &part))
            diag_report(ps->diags, DIAG_ERROR, at, "ages are whole years: write `65 years`",
                        "an age in years must be a whole number");
        return number_expr(ps, LIT_YEARS, part, at);
    }
    if (word_at(&p, end, "kr") || word_at(&p, end, "SEK")) {
        if (!ex_decimal_times_int_exact(scaled, 100, &part))
            diag_report(ps->diags, DIAG_ERROR, at, "write at most two decimals: `324.50 kr`",
                        "an amount of money must be a whole number of öre");
        return number_expr(ps, LIT_MONEY, part, at);
    }
    if (word_at(&p, end, "öre")) {
        if (!ex_decimal_times_int_exact(scaled, 1, &part))
            diag_report(ps->diags, DIAG_ERROR, at, NULL, "öre must be a whole number");
        return number_expr(ps, LIT_MONEY, part, at);
    }
    bool hours = word_at(&p, end, "hours") || word_at(&p, end, "hour") || word_at(&p, end, "h");
    if (!hours && !(word_at(&p, end, "minutes") || word_at(&p, end, "minute") || word_at(&p, end, "min")))
        diag_report(ps->diags, DIAG_ERROR, at, NULL, "unknown unit");
    bool whole = to_minutes(scaled, hours ? 60 : 1, &minutes);
    skip_blanks(&p, end);
    if (p < end && *p >= '0' && *p <= '9') {
        whole = scan_decimal(&p, end, &scaled) && to_minutes(scaled, 1, &part) && whole &&
                ex_add(minutes, part, &minutes);
        (void)(word_at(&p, end, "minutes") || word_at(&p, end, "minute") || word_at(&p, end, "min"));
        skip_blanks(&p, end);
    }
    ast_literal_kind unit = LIT_DURATION;
    if (p < end && *p == '/') {
        p++;
        skip_blanks(&p, end);
        unit = LIT_WEEKLY;
        if (word_at(&p, end, "day"))
            whole = whole && ex_mul(minutes, 7, &minutes);
    }
    if (!whole)
        diag_report(ps->diags, DIAG_ERROR, at, "durations are kept in whole minutes: write e.g. `1 h 30 min`",
                    "'%.*s' is not a whole number of minutes", (int)(at.end - at.start),
                    ps->src->text + at.start);
    return number_expr(ps, unit, minutes, at);
}

ast_expr *ast_date(ast_parse *ps, loc at)
{
    cal_day day = 0;
    if (!cal_parse(ps->src->text + at.start, at.end - at.start, &day))
        diag_report(ps->diags, DIAG_ERROR, at, "a date is YYYY-MM-DD and must exist in the calendar",
                    "impossible date '%.*s'", (int)(at.end - at.start), ps->src->text + at.start);
    return number_expr(ps, LIT_DATE, day, at);
}

ast_expr *ast_string(ast_parse *ps, loc at)
{
    ast_expr *e = expr_new(ps, EXPR_STRING, at);
    if (e) {
        e->u.string.text = ast_string_literal(ps, at.start, at.end);
        e->u.string.len = strlen(e->u.string.text);
    }
    return e;
}

ast_expr *ast_name_ref(ast_parse *ps, loc at)
{
    ast_expr *e = expr_new(ps, EXPR_NAME, at);
    if (e)
        e->u.name = ast_text(ps, at.start, at.end);
    return e;
}

ast_expr *ast_member(ast_parse *ps, ast_expr *object, loc name_at, loc at)
{
    ast_expr *e = expr_new(ps, EXPR_MEMBER, at);
    if (e) {
        e->u.member.object = object;
        e->u.member.name = ast_text(ps, name_at.start, name_at.end);
        e->u.member.name_at = name_at;
    }
    return e;
}

ast_expr *ast_call(ast_parse *ps, loc name_at, ast_exprs args, loc at)
{
    ast_expr *e = expr_new(ps, EXPR_CALL, at);
    if (e) {
        e->u.call.name = ast_text(ps, name_at.start, name_at.end);
        e->u.call.args = args;
    }
    return e;
}

ast_expr *ast_aggregate_expr(ast_parse *ps, ast_aggregate op, ast_expr *body, loc list_at, ast_expr *where, loc at)
{
    ast_expr *e = expr_new(ps, EXPR_AGGREGATE, at);
    if (e) {
        e->u.aggregate.op = op;
        e->u.aggregate.body = body;
        e->u.aggregate.list = ast_text(ps, list_at.start, list_at.end);
        e->u.aggregate.list_at = list_at;
        e->u.aggregate.where = where;
    }
    return e;
}

ast_expr *ast_if(ast_parse *ps, ast_expr *cond, ast_expr *then_branch, ast_expr *else_branch, loc at)
{
    ast_expr *e = expr_new(ps, EXPR_IF, at);
    if (e) {
        e->u.if_.cond = cond;
        e->u.if_.then_branch = then_branch;
        e->u.if_.else_branch = else_branch;
    }
    return e;
}

ast_expr *ast_in(ast_parse *ps, ast_expr *needle, ast_exprs set, loc at)
{
    ast_expr *e = expr_new(ps, EXPR_IN, at);
    if (e) {
        e->u.in.needle = needle;
        e->u.in.set = set;
    }
    return e;
}

ast_expr *ast_unary(ast_parse *ps, ast_expr_kind kind, ast_expr *operand, loc at)
{
    ast_expr *e = expr_new(ps, kind, at);
    if (e)
        e->u.operand = operand;
    return e;
}

ast_expr *ast_binary(ast_parse *ps, ast_binop op, ast_expr *left, ast_expr *right, loc at)
{
    ast_expr *e = expr_new(ps, EXPR_BINARY, at);
    if (e) {
        e->u.binary.op = op;
        e->u.binary.left = left;
        e->u.binary.right = right;
    }
    return e;
}

ast_exprs ast_exprs_one(ast_parse *ps, ast_expr *e)
{
    return ast_exprs_add(ps, (ast_exprs){0}, e);
}

ast_exprs ast_exprs_add(ast_parse *ps, ast_exprs list, ast_expr *e)
{
    ast_expr **items = grow(ps, list.items, list.count, &list.cap, sizeof *items);
    if (items) {
        list.items = items;
        list.items[list.count++] = e;
    }
    return list;
}

ast_name ast_name_at(ast_parse *ps, loc at)
{
    return (ast_name){ast_text(ps, at.start, at.end), at};
}

ast_names ast_names_add(ast_parse *ps, ast_names list, ast_name n)
{
    ast_name *items = grow(ps, list.items, list.count, &list.cap, sizeof *items);
    if (items) {
        list.items = items;
        list.items[list.count++] = n;
    }
    return list;
}

ast_type ast_type_named(ast_parse *ps, loc at, bool is_list)
{
    return (ast_type){ast_text(ps, at.start, at.end), is_list, at};
}

ast_field *ast_field_new(ast_parse *ps, loc name_at, ast_type type, ast_expr *low, ast_expr *high, ast_expr *fallback, loc at)
{
    ast_field *f = ps_alloc(ps, sizeof *f);
    if (f) {
        f->name = ast_text(ps, name_at.start, name_at.end);
        f->at = name_at;
        (void)at;
        f->type = type;
        f->low = low;
        f->high = high;
        f->fallback = fallback;
    }
    return f;
}

ast_field *ast_field_cite(ast_parse *ps, ast_field *f, loc cite_at)
{
    if (f)
        f->cite = ast_string_literal(ps, cite_at.start, cite_at.end);
    return f;
}

ast_fields ast_fields_add(ast_parse *ps, ast_fields list, ast_field *f)
{
    ast_field **items = grow(ps, list.items, list.count, &list.cap, sizeof *items);
    if (items && f) {
        list.items = items;
        list.items[list.count++] = f;
    }
    return list;
}

/* A placeholder keeps the grammar's actions total when memory runs out. */
static ast_decl oom_decl;

ast_decl *ast_decl_new(ast_parse *ps, ast_decl_kind kind, loc name_at, loc at)
{
    ast_decl *d = ps_alloc(ps, sizeof *d);
    if (!d)
        return &oom_decl;
    d->kind = kind;
    d->amend = AMEND_ADD;
    d->at = at;
    d->name_at = name_at;
    d->name = kind == DECL_OUTPUT ? "output" : ast_text(ps, name_at.start, name_at.end);
    d->law = ps->pending_law;
    ps->pending_law = NULL;
    return d;
}

ast_decl *ast_decl_cite(ast_parse *ps, ast_decl *d, loc cite_at)
{
    if (d != &oom_decl)
        d->cite = ast_string_literal(ps, cite_at.start, cite_at.end);
    return d;
}

ast_decl *ast_decl_source(ast_parse *ps, ast_decl *d, loc source_at)
{
    if (d != &oom_decl)
        d->source = ast_string_literal(ps, source_at.start, source_at.end);
    return d;
}

ast_decl *ast_decl_amend(ast_parse *ps, ast_decl *d, ast_amend amend, loc at)
{
    (void)ps;
    if (d != &oom_decl) {
        d->amend = amend;
        d->at.start = at.start;
    }
    return d;
}

ast_decl *ast_remove(ast_parse *ps, ast_decl_kind kind, loc name_at, loc at)
{
    ast_decl *d = ast_decl_new(ps, kind, name_at, at);
    return ast_decl_amend(ps, d, AMEND_REMOVE, at);
}

ast_decl *ast_enum_member(ast_parse *ps, ast_decl *d, loc name_at)
{
    if (d != &oom_decl)
        d->u.members = ast_names_add(ps, d->u.members, ast_name_at(ps, name_at));
    return d;
}

ast_decl *ast_record_field(ast_parse *ps, ast_decl *d, ast_field *f)
{
    if (d != &oom_decl)
        d->u.record.fields = ast_fields_add(ps, d->u.record.fields, f);
    return d;
}

ast_decl *ast_input_selector(ast_parse *ps, ast_decl *d, loc name_at)
{
    if (d != &oom_decl)
        d->u.record.selector = ast_name_at(ps, name_at);
    return d;
}

ast_decl *ast_output_name(ast_parse *ps, ast_decl *d, ast_output_slot slot, loc name_at)
{
    if (d == &oom_decl)
        return d;
    ast_name n = ast_name_at(ps, name_at);
    switch (slot) {
    case OUT_KEY: d->u.output.key = n; break;
    case OUT_VERSION: d->u.output.version = n; break;
    case OUT_FIRED: d->u.output.fired = n; break;
    case OUT_ERROR: d->u.output.error = n; break;
    }
    return d;
}

ast_decl *ast_output_error(ast_parse *ps, ast_decl *d, loc name_at, loc field_at, loc message_at)
{
    if (d == &oom_decl)
        return d;
    d->u.output.error = ast_name_at(ps, name_at);
    d->u.output.error_field = ast_name_at(ps, field_at);
    d->u.output.error_message = ast_name_at(ps, message_at);
    return d;
}

ast_decl *ast_output_result(ast_parse *ps, ast_decl *d, ast_field *f)
{
    if (d != &oom_decl)
        d->u.output.results = ast_fields_add(ps, d->u.output.results, f);
    return d;
}

ast_decl *ast_const_value(ast_parse *ps, ast_decl *d, ast_expr *value)
{
    (void)ps;
    if (d != &oom_decl)
        d->u.value = value;
    return d;
}

ast_decl *ast_table_key(ast_parse *ps, ast_decl *d, ast_field *key)
{
    if (d == &oom_decl)
        return d;
    if (d->u.table.key)
        diag_report(ps->diags, DIAG_ERROR, key ? key->at : d->name_at, "a table has one key column",
                    "table '%s' already has a key", d->name);
    else
        d->u.table.key = key;
    return d;
}

ast_decl *ast_table_column(ast_parse *ps, ast_decl *d, ast_field *column)
{
    if (d != &oom_decl)
        d->u.table.columns = ast_fields_add(ps, d->u.table.columns, column);
    return d;
}

static ast_decl *table_add_row(ast_parse *ps, ast_decl *d, ast_row *row)
{
    ast_row **rows = grow(ps, d->u.table.rows, d->u.table.row_count, &d->u.table.row_cap, sizeof *rows);
    if (rows && row) {
        d->u.table.rows = rows;
        d->u.table.rows[d->u.table.row_count++] = row;
    }
    return d;
}

ast_decl *ast_table_row(ast_parse *ps, ast_decl *d, ast_expr *low, ast_expr *high, bool is_range, ast_exprs cells, loc at)
{
    (void)is_range;
    if (d == &oom_decl)
        return d;
    ast_row *row = ps_alloc(ps, sizeof *row);
    if (row) {
        row->at = ast_span(ps, low ? low->at.start : at.start, at.end);
        row->low = low;
        row->high = high;
        row->cells = cells;
    }
    return table_add_row(ps, d, row);
}

ast_decl *ast_table_otherwise_row(ast_parse *ps, ast_decl *d, ast_exprs cells, loc at)
{
    if (d == &oom_decl)
        return d;
    ast_row *row = ps_alloc(ps, sizeof *row);
    if (row) {
        /* `at` spans the table so far; the row starts at its cells' line. */
        row->at = ast_span(ps, cells.count && cells.items[0] ? cells.items[0]->at.start : at.start, at.end);
        row->is_otherwise = true;
        row->cells = cells;
    }
    return table_add_row(ps, d, row);
}

ast_decl *ast_table_no_match(ast_parse *ps, ast_decl *d, loc message_at)
{
    if (d != &oom_decl && d->u.table.no_match)
        diag_report(ps->diags, DIAG_ERROR, message_at, NULL, "table '%s' already says what happens when no row matches", d->name);
    else if (d != &oom_decl) {
        d->u.table.no_match = ast_string_literal(ps, message_at.start, message_at.end);
        d->u.table.no_match_at = message_at;
    }
    return d;
}

ast_decl *ast_rule_for(ast_parse *ps, ast_decl *d, loc record_at)
{
    if (d != &oom_decl)
        d->u.rule.for_each = ast_name_at(ps, record_at);
    return d;
}

ast_decl *ast_rule_when(ast_parse *ps, ast_decl *d, ast_expr *cond)
{
    if (d == &oom_decl)
        return d;
    if (d->u.rule.when && cond)
        diag_report(ps->diags, DIAG_ERROR, cond->at, "join the conditions with `and`",
                    "rule '%s' has a second `when`", d->name);
    else
        d->u.rule.when = cond;
    return d;
}

ast_decl *ast_rule_let(ast_parse *ps, ast_decl *d, loc name_at, ast_expr *value)
{
    if (d == &oom_decl)
        return d;
    ast_let *lets = grow(ps, d->u.rule.lets, d->u.rule.let_count, &d->u.rule.let_cap, sizeof *lets);
    if (lets) {
        d->u.rule.lets = lets;
        lets[d->u.rule.let_count++] = (ast_let){ast_text(ps, name_at.start, name_at.end), name_at, value};
    }
    return d;
}

ast_decl *ast_rule_define(ast_parse *ps, ast_decl *d, loc target_at, ast_expr *value)
{
    if (d == &oom_decl)
        return d;
    if (d->u.rule.value)
        diag_report_note(ps->diags, DIAG_ERROR, target_at, d->u.rule.target.at, "the first definition is here",
                         "rule '%s' defines a second value; a rule defines one value (use `let` for intermediate values)",
                         d->name);
    else {
        d->u.rule.target = ast_name_at(ps, target_at);
        d->u.rule.value = value;
    }
    return d;
}

ast_decl *ast_rule_place(ast_parse *ps, ast_decl *d, ast_placement placement, loc anchor_at)
{
    if (d != &oom_decl) {
        d->u.rule.placement = placement;
        d->u.rule.anchor = ast_name_at(ps, anchor_at);
    }
    return d;
}

ast_decl *ast_check_require(ast_parse *ps, ast_decl *d, ast_expr *cond)
{
    (void)ps;
    if (d != &oom_decl)
        d->u.check.require = cond;
    return d;
}

ast_decl *ast_check_reject(ast_parse *ps, ast_decl *d, loc field_at, loc message_at)
{
    if (d != &oom_decl) {
        d->u.check.field = ast_name_at(ps, field_at);
        d->u.check.message = ast_string_literal(ps, message_at.start, message_at.end);
    }
    return d;
}

ast_sentences ast_sentences_add(ast_parse *ps, ast_sentences list, loc lang_at, loc text_at)
{
    ast_sentence *items = grow(ps, list.items, list.count, &list.cap, sizeof *items);
    if (items) {
        list.items = items;
        items[list.count++] = (ast_sentence){ast_text(ps, lang_at.start, lang_at.end), lang_at,
                                         ast_string_literal(ps, text_at.start, text_at.end), text_at};
    }
    return list;
}

/* A second clause for a language it already has is an error: which one would count? */
ast_decl *ast_decl_explain(ast_parse *ps, ast_decl *d, bool negative, ast_sentences texts)
{
    if (d == &oom_decl)
        return d;
    ast_sentences *into = negative ? &d->explain_not : &d->explain;
    for (size_t i = 0; i < texts.count; i++) {
        const ast_sentence *t = &texts.items[i];
        bool twice = false;
        for (size_t k = 0; k < into->count && !twice; k++)
            twice = into->items[k].lang && t->lang && strcmp(into->items[k].lang, t->lang) == 0;
        if (twice) {
            diag_report(ps->diags, DIAG_ERROR, t->lang_at, NULL, "'%s' already has an `explain%s` text in '%s'",
                        d->name ? d->name : "this declaration", negative ? " not" : "", t->lang);
            continue;
        }
        ast_sentence *items = grow(ps, into->items, into->count, &into->cap, sizeof *items);
        if (!items)
            break;
        into->items = items;
        items[into->count++] = *t;
    }
    return d;
}

ast_decl *ast_decl_end(ast_parse *ps, ast_decl *d, loc at)
{
    (void)ps;
    if (d != &oom_decl)
        d->at.end = at.end;
    return d;
}

void ast_version(ast_parse *ps, loc date_at, loc at)
{
    ast_expr *e = ast_date(ps, date_at);
    ps->file->version = e ? (int32_t)e->u.number.value : 0;
    ps->file->version_at = at;
}

void ast_amends(ast_parse *ps, loc date_at)
{
    ast_expr *e = ast_date(ps, date_at);
    ps->file->amends = true;
    ps->file->amended_version = e ? (int32_t)e->u.number.value : 0;
    ps->file->amends_at = date_at;
}

void ast_file_title(ast_parse *ps, loc title_at)
{
    ps->file->title = ast_string_literal(ps, title_at.start, title_at.end);
}

void ast_file_source(ast_parse *ps, loc source_at)
{
    ps->file->source = ast_string_literal(ps, source_at.start, source_at.end);
}

void ast_law_text(ast_parse *ps, loc at)
{
    const char *line = ast_text(ps, at.start, at.end);
    if (!*line)
        return; /* out of memory: the "" holds no '>' to step over */
    while (*line == ' ' || *line == '\t')
        line++;
    line++; /* the '>' */
    if (*line == ' ')
        line++;
    if (!ps->pending_law) {
        ps->pending_law = line;
        return;
    }
    size_t a = strlen(ps->pending_law), b = strlen(line);
    char *joined = arena_alloc(ps->arena, a + b + 2);
    if (!joined) {
        ps->out_of_memory = true;
        return;
    }
    memcpy(joined, ps->pending_law, a);
    joined[a] = '\n';
    memcpy(joined + a + 1, line, b + 1);
    ps->pending_law = joined;
}

void ast_add_decl(ast_parse *ps, ast_decl *d)
{
    if (d == &oom_decl)
        return;
    ast_file *f = ps->file;
    ast_decl **decls = grow(ps, f->decls, f->decl_count, &f->decl_cap, sizeof *decls);
    if (decls) {
        f->decls = decls;
        f->decls[f->decl_count++] = d;
    }
}
