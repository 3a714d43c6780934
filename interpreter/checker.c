/*
 * The checker compiles one rule version from its declarations into an
 * ir_program: it resolves every name to a slot, infers and checks the type
 * and unit of every expression, groups rules under the value they define and
 * finds definition cycles. Every mistake is reported at its span with, where
 * it helps, the nearest correct name.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "exact.h"
#include "lint.h"
#include "ruleset.h"

const char *const vt_kind_text[] = {
#define X(name, text) text,
    VT_KINDS(X)
#undef X
};

const char *const ir_builtin_text[] = {
#define X(name, text) text,
    IR_BUILTINS(X)
#undef X
};

enum { CHK_MAX_DEPTH = 256 };

typedef struct chk_reported {
    const ast_decl *rule;
    const char *name;
} chk_reported;

typedef struct chk {
    arena *a;
    diag_sink *diags;
    ir_program *prog;
    ast_decl *const *decls;
    size_t count;
    ir_enum *enums;
    size_t enum_count;
    ir_record *records;
    size_t record_count;
    ir_table *tables;
    size_t table_count;
    /* The scope of the expression being compiled. */
    const ir_record *item;
    const ast_decl *rule;
    ir_expr **rule_lets;      /* the compiled lets of that rule */
    size_t lets_visible;
    ir_value *stack[CHK_MAX_DEPTH];
    size_t depth;
    unsigned nesting, max_nesting; /* compile_expr's recursion, through the definitions it compiles */
    bool nesting_reported;    /* once per outermost expression, not once per operand at the bound */
    bool oom;
    /* Names not to report as unknown: a misspelt declaration reported at the
     * declaration (lint.c), a declaration that failed, or a name already
     * reported in the same rule. */
    lint_names quiet;
    const char *failed[64];
    size_t failed_count;
    chk_reported reported[64];
    size_t reported_count;
} chk;

static void note_failed(chk *c, const char *name)
{
    if (name && c->failed_count < sizeof c->failed / sizeof *c->failed)
        c->failed[c->failed_count++] = name;
}

/* True when an unknown name needs no (further) report: see chk.quiet. */
static bool already_explained(chk *c, const char *name)
{
    if (lint_names_has(&c->quiet, name))
        return true;
    for (size_t i = 0; i < c->failed_count; i++)
        if (strcmp(c->failed[i], name) == 0)
            return true;
    for (size_t i = 0; i < c->reported_count; i++)
        if (c->reported[i].rule == c->rule && strcmp(c->reported[i].name, name) == 0)
            return true;
    if (c->reported_count < sizeof c->reported / sizeof *c->reported)
        c->reported[c->reported_count++] = (chk_reported){c->rule, name};
    return false;
}

static void *alloc(chk *c, size_t n, size_t size)
{
    void *p = arena_calloc(c->a, n ? n : 1, size);
    if (!p)
        c->oom = true;
    return p;
}

static void error_at(chk *c, loc at, const char *hint, const char *fmt, const char *a1, const char *a2, const char *a3)
{
    diag_report(c->diags, DIAG_ERROR, at, hint, fmt, a1, a2, a3);
}

static const char *type_name(chk *c, vtype t)
{
    switch (t.kind) {
    case VT_ENUM: return t.en->name;
    case VT_LIST: {
        size_t n = strlen(t.rec->name) + 9;
        char *s = arena_alloc(c->a, n);
        if (s)
            snprintf(s, n, "list of %s", t.rec->name);
        return s ? s : "list";
    }
    case VT_ITEM: return t.rec->name;
    default: return vt_kind_text[t.kind];
    }
}

static bool same_type(vtype a, vtype b)
{
    return a.kind == b.kind && a.en == b.en && a.rec == b.rec && a.table == b.table;
}

static bool is_numeric(vtype t)
{
    return t.kind <= VT_MONEY;
}

static bool is_unit(vtype t)
{
    return t.kind >= VT_DURATION && t.kind <= VT_MONEY;
}

static bool is_ordered(vtype t)
{
    return t.kind <= VT_DATE;
}

static vtype simple(vt_kind k)
{
    return (vtype){.kind = k};
}

/* ---- Declarations of types ---- */

static const ir_enum *find_enum(chk *c, const char *name)
{
    for (size_t i = 0; i < c->enum_count; i++)
        if (strcmp(c->enums[i].name, name) == 0)
            return &c->enums[i];
    return NULL;
}

static const ir_record *find_record(chk *c, const char *name)
{
    for (size_t i = 0; i < c->record_count; i++)
        if (strcmp(c->records[i].name, name) == 0)
            return &c->records[i];
    return NULL;
}

static const struct { const char *name; vt_kind kind; } builtin_types[] = {
    {"bool", VT_BOOL}, {"int", VT_INT}, {"integer", VT_INT}, {"decimal", VT_DECIMAL}, {"money", VT_MONEY},
    {"duration", VT_DURATION}, {"weekly", VT_WEEKLY}, {"years", VT_YEARS}, {"date", VT_DATE}, {"text", VT_TEXT},
};

/* type -> builtin | enum name | LIST OF record */
static bool resolve_type(chk *c, const ast_type *t, vtype *out)
{
    if (t->is_list) {
        const ir_record *r = find_record(c, t->name);
        if (!r) {
            error_at(c, t->at, "declare it with `record NAME` and its fields", "unknown record '%s'", t->name, 0, 0);
            return false;
        }
        *out = (vtype){.kind = VT_LIST, .rec = r};
        return true;
    }
    for (size_t i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++)
        if (strcmp(builtin_types[i].name, t->name) == 0) {
            *out = simple(builtin_types[i].kind);
            return true;
        }
    const ir_enum *e = find_enum(c, t->name);
    if (e) {
        *out = (vtype){.kind = VT_ENUM, .en = e};
        return true;
    }
    const char *names[64];
    size_t n = 0;
    for (size_t i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++)
        names[n++] = builtin_types[i].name;
    for (size_t i = 0; i < c->enum_count && n < 64; i++)
        names[n++] = c->enums[i].name;
    const char *near = diag_nearest(t->name, names, n);
    char hint[128];
    if (near)
        snprintf(hint, sizeof hint, "did you mean '%s'?", near);
    diag_report(c->diags, DIAG_ERROR, t->at, near ? hint : "types are bool, int, decimal, money, duration, weekly, years, date, text, an enum or `list of RECORD`",
                "unknown type '%s'", t->name);
    return false;
}

/* A literal in a declaration (range bound, default, table cell), as a value of type `want`.
 * `raw_units`: a bare integer stands for the value in its stored unit (minutes, öre), as in records. */
static bool literal_value(chk *c, const ast_expr *e, vtype want, bool raw_units, value *out)
{
    bool negative = false;
    if (e->kind == EXPR_NEG) {
        negative = true;
        e = e->u.operand;
    }
    switch (e->kind) {
    case EXPR_BOOL:
        if (want.kind == VT_BOOL && !negative) {
            out->i = e->u.boolean;
            return true;
        }
        break;
    case EXPR_STRING:
        if (want.kind == VT_TEXT && !negative) {
            ev_text *t = arena_alloc(c->a, sizeof *t + e->u.string.len + 1);
            if (!t)
                return c->oom = true, false;
            t->len = e->u.string.len;
            memcpy(t->bytes, e->u.string.text, t->len + 1);
            out->p = t;
            return true;
        }
        break;
    case EXPR_NAME:
        if (want.kind == VT_ENUM && !negative) {
            for (size_t i = 0; i < want.en->count; i++)
                if (strcmp(want.en->members[i], e->u.name) == 0) {
                    out->i = (int64_t)i;
                    return true;
                }
            const char *near = diag_nearest(e->u.name, want.en->members, want.en->count);
            char hint[128];
            if (near)
                snprintf(hint, sizeof hint, "did you mean '%s'?", near);
            error_at(c, e->at, near ? hint : NULL, "'%s' is not a value of %s", e->u.name, want.en->name, 0);
            return false;
        }
        break;
    case EXPR_NUMBER: {
        ast_literal_kind u = e->u.number.unit;
        int64_t v = e->u.number.value;
        if (negative)
            v = -v;
        if (want.kind == VT_DECIMAL && u == LIT_INT) {
            if (!ex_mul(v, EX_SCALE, &out->i))
                break;
            return true;
        }
        if ((vt_kind)u == want.kind || (raw_units && u == LIT_INT && is_unit(want))) {
            out->i = v;
            return true;
        }
        break;
    }
    default:
        break;
    }
    char hint[160];
    snprintf(hint, sizeof hint, "%s", is_unit(want) ? "give the unit: e.g. `20 h`, `2.5 h/day`, `65 years`, `324.50 kr`" : "");
    error_at(c, e->at, is_unit(want) ? hint : NULL, "expected a literal %s here", type_name(c, want), 0, 0);
    return false;
}

static bool compile_field(chk *c, const ast_field *f, ir_field *out)
{
    out->name = f->name;
    out->at = f->at;
    if (!resolve_type(c, &f->type, &out->type))
        return false;
    if (out->type.kind == VT_ITEM || out->type.kind == VT_ROW)
        return false;
    out->required = f->fallback == NULL;
    bool ok = true;
    if (f->low && f->high) {
        value lo, hi;
        if (!is_ordered(out->type)) {
            error_at(c, f->low->at, NULL, "a %s field has no range", type_name(c, out->type), 0, 0);
            return false;
        }
        ok = literal_value(c, f->low, out->type, true, &lo) && literal_value(c, f->high, out->type, true, &hi);
        if (ok && lo.i > hi.i) {
            error_at(c, f->low->at, "write the smaller bound first", "empty range", 0, 0, 0);
            ok = false;
        }
        out->has_range = ok;
        out->low = lo.i;
        out->high = hi.i;
    }
    if (f->fallback && out->type.kind == VT_LIST) {
        error_at(c, f->fallback->at, NULL, "a list field cannot have a default", 0, 0, 0);
        return false;
    }
    if (ok && f->fallback && literal_value(c, f->fallback, out->type, true, &out->fallback) && out->has_range &&
        (out->fallback.i < out->low || out->fallback.i > out->high)) {
        error_at(c, f->fallback->at, NULL, "the default is outside the field's range", 0, 0, 0);
        ok = false;
    }
    return ok;
}

static bool compile_fields(chk *c, const ast_fields *fields, ir_record *r)
{
    r->fields = alloc(c, fields->count, sizeof *r->fields);
    if (!r->fields)
        return false;
    bool ok = true;
    for (size_t i = 0; i < fields->count; i++) {
        for (size_t j = 0; j < i; j++)
            if (strcmp(fields->items[j]->name, fields->items[i]->name) == 0) {
                diag_report_note(c->diags, DIAG_ERROR, fields->items[i]->at, fields->items[j]->at, "first declared here",
                                 "field '%s' is declared twice", fields->items[i]->name);
                ok = false;
            }
        ok = compile_field(c, fields->items[i], &r->fields[r->field_count]) && ok;
        r->field_count++;
    }
    return ok;
}

static long field_index(const ir_record *r, const char *name)
{
    for (size_t i = 0; i < r->field_count; i++)
        if (strcmp(r->fields[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* ---- Values, rules, tables ---- */

static ir_value *find_value(ir_value **values, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(values[i]->name, name) == 0)
            return values[i];
    return NULL;
}

static const ir_table *find_table(chk *c, const char *name)
{
    for (size_t i = 0; i < c->table_count; i++)
        if (strcmp(c->tables[i].name, name) == 0)
            return &c->tables[i];
    return NULL;
}

static bool compile_value(chk *c, ir_value *v, loc used_at);

/* alloc() of what starts a cache line: an expression node, a value, a rule,
 * a dispatch or a program's steps, so that what evaluation reads of it (its
 * first fields, see ir_expr) takes the fewest lines. */
enum { LINE = 64 };

static void *alloc_line(chk *c, size_t n, size_t size)
{
    n = n ? n : 1;
    void *p = size && n > SIZE_MAX / size ? NULL : arena_alloc_aligned(c->a, n * size, LINE);
    if (p)
        memset(p, 0, n * size);
    else
        c->oom = true;
    return p;
}

static ir_expr *node(chk *c, ir_op op, vtype type, loc at)
{
    ir_expr *e = alloc_line(c, 1, sizeof *e);
    if (e) {
        e->op = op;
        e->free_op = op;
        e->type = type;
        e->at = at;
    }
    return e;
}

/* Every name the current scope can see, for "did you mean". */
static const char *nearest_visible(chk *c, const char *name)
{
    const char *names[512];
    size_t n = 0;
    if (c->rule)
        for (size_t i = 0; i < c->lets_visible && n < 512; i++)
            names[n++] = c->rule->u.rule.lets[i].name;
    if (c->item) {
        for (size_t i = 0; i < c->item->field_count && n < 512; i++)
            names[n++] = c->item->fields[i].name;
        for (size_t i = 0; i < c->item->attr_count && n < 512; i++)
            names[n++] = c->item->attrs[i]->name;
    }
    for (size_t i = 0; i < c->prog->input.field_count && n < 512; i++)
        names[n++] = c->prog->input.fields[i].name;
    for (size_t i = 0; i < c->prog->global_count && n < 512; i++)
        names[n++] = c->prog->globals[i]->name;
    for (size_t i = 0; i < c->enum_count; i++)
        for (size_t j = 0; j < c->enums[i].count && n < 512; j++)
            names[n++] = c->enums[i].members[j];
    return diag_nearest(name, names, n);
}

static ir_expr *compile_expr(chk *c, const ast_expr *e);

static ir_expr *compile_name(chk *c, const ast_expr *e)
{
    const char *name = e->u.name;
    if (c->rule)
        for (size_t i = c->lets_visible; i-- > 0;)
            if (strcmp(c->rule->u.rule.lets[i].name, name) == 0) {
                if (!c->rule_lets[i])
                    return NULL;
                ir_expr *x = node(c, IR_LET, c->rule_lets[i]->type, e->at);
                if (x) {
                    x->index = i;
                    x->name = name;
                }
                return x;
            }
    if (c->item) {
        long f = field_index(c->item, name);
        if (f >= 0) {
            ir_expr *x = node(c, IR_ITEM_FIELD, c->item->fields[f].type, e->at);
            if (x) {
                x->index = (size_t)f;
                x->name = name;
            }
            return x;
        }
        ir_value *v = find_value(c->item->attrs, c->item->attr_count, name);
        if (v) {
            if (!compile_value(c, v, e->at))
                return NULL;
            ir_expr *x = node(c, IR_ITEM_VALUE, v->type, e->at);
            if (x) {
                x->target = v;
                x->index = v->slot;
                x->name = name;
            }
            return x;
        }
    }
    long f = field_index(&c->prog->input, name);
    if (f >= 0) {
        ir_expr *x = node(c, IR_INPUT, c->prog->input.fields[f].type, e->at);
        if (x) {
            x->index = (size_t)f;
            x->name = name;
        }
        return x;
    }
    ir_value *v = find_value(c->prog->globals, c->prog->global_count, name);
    if (v) {
        if (!compile_value(c, v, e->at))
            return NULL;
        ir_expr *x = node(c, IR_VALUE, v->type, e->at);
        if (x) {
            x->target = v;
            x->index = v->slot;
            x->name = name;
            /* Where nothing is counted or traced, a literal `const` is its literal. */
            if (v->constant && v->constant_value->op == IR_CONST) {
                x->free_op = IR_CONST;
                x->constant = v->constant_value->constant;
            }
        }
        return x;
    }
    const ir_enum *found = NULL;
    size_t member = 0;
    for (size_t i = 0; i < c->enum_count; i++)
        for (size_t j = 0; j < c->enums[i].count; j++)
            if (strcmp(c->enums[i].members[j], name) == 0) {
                if (found) {
                    error_at(c, e->at, NULL, "'%s' is a value of both %s and %s", name, found->name, c->enums[i].name);
                    return NULL;
                }
                found = &c->enums[i];
                member = j;
            }
    if (found) {
        ir_expr *x = node(c, IR_CONST, (vtype){.kind = VT_ENUM, .en = found}, e->at);
        if (x)
            x->constant.i = (int64_t)member;
        return x;
    }
    if (find_table(c, name)) {
        error_at(c, e->at, "look a row up with NAME(key), then take a column: NAME(key).column",
                 "'%s' is a table", name, 0, 0);
        return NULL;
    }
    if (already_explained(c, name))
        return NULL;
    const char *near = nearest_visible(c, name);
    char hint[160];
    if (near)
        snprintf(hint, sizeof hint, "did you mean '%s'?", near);
    if (!c->item && !near) {
        for (size_t i = 0; i < c->record_count; i++)
            if (find_value(c->records[i].attrs, c->records[i].attr_count, name) ||
                field_index(&c->records[i], name) >= 0) {
                snprintf(hint, sizeof hint, "'%s' belongs to each %s: use it inside sum(... of LIST ...) or a `for each %s` rule",
                         name, c->records[i].name, c->records[i].name);
                near = hint;
                break;
            }
    }
    error_at(c, e->at, near ? hint : NULL, "unknown name '%s'", name, 0, 0);
    return NULL;
}

static ir_expr *expect(chk *c, ir_expr *x, vt_kind kind, const char *what)
{
    if (x && x->type.kind != kind) {
        error_at(c, x->at, NULL, "%s must be %s, not %s", what, vt_kind_text[kind], type_name(c, x->type));
        return NULL;
    }
    return x;
}

/* A bare integer literal where a quantity is wanted: the hint writes it with its unit. */
static const char *unit_hint(const ir_expr *bare, vtype want, char *out, size_t size)
{
    if (!bare || bare->op != IR_CONST || bare->type.kind != VT_INT)
        return NULL;
    long long n = (long long)bare->constant.i;
    switch (want.kind) {
    case VT_WEEKLY:
    case VT_DURATION: {
        const char *per = want.kind == VT_WEEKLY ? "/week" : "";
        char as_hours[96] = "", or_hours[96] = "";
        if (n % 60 == 0 && n != 0)
            snprintf(as_hours, sizeof as_hours, " (that is `%lld h%s`)", n / 60, per);
        if (n > 0 && (want.kind != VT_WEEKLY || n <= 7 * 24)) /* hours a week fit in a week */
            snprintf(or_hours, sizeof or_hours, ", or `%lld h%s` if you mean hours", n, per);
        snprintf(out, size, "durations need a unit: write `%lld min%s`%s%s", n, per, as_hours, or_hours);
        return out;
    }
    case VT_YEARS: snprintf(out, size, "ages need a unit: write `%lld years`", n); return out;
    case VT_MONEY: snprintf(out, size, "amounts need a unit: write `%lld kr`", n); return out;
    default: return NULL;
    }
}

static ir_expr *unit_mismatch(chk *c, loc at, const char *op, const ir_expr *lx, const ir_expr *rx)
{
    vtype l = lx->type, r = rx->type;
    char literal[256];
    const char *hint = unit_hint(lx, r, literal, sizeof literal);
    if (!hint)
        hint = unit_hint(rx, l, literal, sizeof literal);
    if (hint)
        ;
    else if (l.kind == VT_DATE && r.kind == VT_DATE && (strcmp(op, "+") == 0 || strcmp(op, "-") == 0))
        hint = "two dates cannot be added or subtracted: days_between(a, b) gives the days from one to the other";
    else if ((l.kind == VT_DATE) != (r.kind == VT_DATE))
        hint = "dates do not mix with numbers or durations; use age(), birthday() or days_between()";
    else if ((l.kind == VT_WEEKLY && r.kind == VT_DURATION) || (l.kind == VT_DURATION && r.kind == VT_WEEKLY))
        hint = "a time per week (e.g. `20 h/week`) and a length of time (e.g. `20 h`) are different units";
    else if (is_unit(l) && r.kind == VT_INT)
        hint = "give the number its unit, e.g. `20 h/week` or `65 years`";
    else if (l.kind == VT_INT && is_unit(r))
        hint = "give the number its unit, e.g. `20 h/week` or `65 years`";
    else if (((l.kind == VT_DURATION || l.kind == VT_WEEKLY) && r.kind == VT_MONEY) ||
             (l.kind == VT_MONEY && (r.kind == VT_DURATION || r.kind == VT_WEEKLY)))
        hint = "time and money are different units: compare minutes with minutes, kronor with kronor";
    char msg[256];
    snprintf(msg, sizeof msg, "cannot apply '%s' to %s and %s", op, type_name(c, l), type_name(c, r));
    diag_report(c->diags, DIAG_ERROR, at, hint, "%s", msg);
    return NULL;
}

static ir_expr *compile_binary(chk *c, const ast_expr *e)
{
    ast_binop op = e->u.binary.op;
    ir_expr *l = compile_expr(c, e->u.binary.left);
    ir_expr *r = compile_expr(c, e->u.binary.right);
    if (!l || !r)
        return NULL;
    vtype lt = l->type, rt = r->type, result;
    const char *text = ast_binop_text[op];
    ir_op irop;
    switch (op) {
    case OP_AND:
    case OP_OR:
        if (!expect(c, l, VT_BOOL, "each side of 'and'/'or'") || !expect(c, r, VT_BOOL, "each side of 'and'/'or'"))
            return NULL;
        result = simple(VT_BOOL);
        irop = op == OP_AND ? IR_AND : IR_OR;
        break;
    case OP_EQ:
    case OP_NE:
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE: {
        bool mixed_number = (lt.kind == VT_INT && rt.kind == VT_DECIMAL) || (lt.kind == VT_DECIMAL && rt.kind == VT_INT);
        if (!same_type(lt, rt) && !mixed_number)
            return unit_mismatch(c, e->at, text, l, r);
        if (op != OP_EQ && op != OP_NE && !is_ordered(lt))
            return unit_mismatch(c, e->at, text, l, r);
        if (lt.kind == VT_LIST || lt.kind == VT_ROW || lt.kind == VT_ITEM)
            return unit_mismatch(c, e->at, text, l, r);
        result = simple(VT_BOOL);
        irop = IR_COMPARE;
        break;
    }
    case OP_ADD:
    case OP_SUB:
        if (same_type(lt, rt) && is_numeric(lt))
            result = lt;
        else if ((lt.kind == VT_INT && rt.kind == VT_DECIMAL) || (lt.kind == VT_DECIMAL && rt.kind == VT_INT))
            result = simple(VT_DECIMAL);
        else
            return unit_mismatch(c, e->at, text, l, r);
        irop = IR_ARITH;
        break;
    case OP_MUL:
        if ((lt.kind == VT_INT || lt.kind == VT_DECIMAL) && is_unit(rt))
            result = rt;
        else if (is_unit(lt) && (rt.kind == VT_INT || rt.kind == VT_DECIMAL))
            result = lt;
        else if (lt.kind == VT_INT && rt.kind == VT_INT)
            result = lt;
        else if ((lt.kind == VT_INT || lt.kind == VT_DECIMAL) && (rt.kind == VT_INT || rt.kind == VT_DECIMAL))
            result = simple(VT_DECIMAL);
        else
            return unit_mismatch(c, e->at, text, l, r);
        irop = IR_ARITH;
        break;
    case OP_DIV:
        if (is_unit(lt) && (rt.kind == VT_INT || rt.kind == VT_DECIMAL))
            result = lt;
        else if ((is_unit(lt) && same_type(lt, rt)) ||
                 ((lt.kind == VT_INT || lt.kind == VT_DECIMAL) && (rt.kind == VT_INT || rt.kind == VT_DECIMAL)))
            result = simple(VT_DECIMAL);
        else
            return unit_mismatch(c, e->at, text, l, r);
        irop = IR_ARITH;
        break;
    default:
        return NULL;
    }
    ir_expr *x = node(c, irop, result, e->at);
    if (x) {
        x->sub = (int)op;
        x->a = l;
        x->b = r;
        if (irop == IR_COMPARE && lt.kind == rt.kind && lt.kind != VT_TEXT)
            x->free_op = IR_FREE_COMPARE;
        else if ((op == OP_ADD || op == OP_SUB) && result.kind != VT_DECIMAL)
            x->free_op = op == OP_ADD ? IR_FREE_ADD : IR_FREE_SUB;
    }
    return x;
}

static ir_expr *compile_call(chk *c, const ast_expr *e)
{
    const char *name = e->u.call.name;
    size_t n = e->u.call.args.count;
    ir_expr **args = alloc(c, n, sizeof *args);
    if (!args)
        return NULL;
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        ok = (args[i] = compile_expr(c, e->u.call.args.items[i])) != NULL && ok;
    if (!ok)
        return NULL;
    const ir_table *t = find_table(c, name);
    if (t) {
        if (n != 1) {
            error_at(c, e->at, NULL, "table '%s' is looked up by one key", name, 0, 0);
            return NULL;
        }
        if (!same_type(args[0]->type, t->key_type)) {
            error_at(c, args[0]->at, NULL, "table '%s' is keyed by %s, not %s", name, type_name(c, t->key_type),
                     type_name(c, args[0]->type));
            return NULL;
        }
        ir_expr *x = node(c, IR_TABLE, (vtype){.kind = VT_ROW, .table = t}, e->at);
        if (x) {
            x->table = t;
            x->a = args[0];
            x->name = name;
        }
        return x;
    }
    static const struct { ir_builtin bi; size_t argc; vt_kind a0, a1, result; } sig[] = {
        {BI_AGE, 2, VT_DATE, VT_DATE, VT_YEARS},
        {BI_AGE_IN_MONTH, 2, VT_DATE, VT_DATE, VT_YEARS},
        {BI_BIRTHDAY, 2, VT_DATE, VT_YEARS, VT_DATE},
        {BI_YEAR, 1, VT_DATE, VT_DATE, VT_INT},
        {BI_MONTH, 1, VT_DATE, VT_DATE, VT_INT},
        {BI_START_OF_MONTH, 1, VT_DATE, VT_DATE, VT_DATE},
        {BI_END_OF_MONTH, 1, VT_DATE, VT_DATE, VT_DATE},
        {BI_DAYS_BETWEEN, 2, VT_DATE, VT_DATE, VT_INT},
    };
    for (int bi = 0; bi < BI_COUNT_; bi++) {
        if (strcmp(ir_builtin_text[bi], name) != 0)
            continue;
        vtype result;
        if (bi == BI_MIN || bi == BI_MAX) {
            if (n < 2) {
                error_at(c, e->at, NULL, "%s() takes two or more values", name, 0, 0);
                return NULL;
            }
            for (size_t i = 1; i < n; i++)
                if (!same_type(args[i]->type, args[0]->type) || !is_ordered(args[0]->type))
                    return unit_mismatch(c, args[i]->at, name, args[0], args[i]);
            result = args[0]->type;
        } else {
            size_t k = 0;
            while (sig[k].bi != (ir_builtin)bi)
                k++;
            if (n != sig[k].argc) {
                char msg[64];
                snprintf(msg, sizeof msg, "%zu", sig[k].argc);
                error_at(c, e->at, NULL, "%s() takes %s argument(s)", name, msg, 0);
                return NULL;
            }
            for (size_t i = 0; i < n; i++) {
                vt_kind want = i == 0 ? sig[k].a0 : sig[k].a1;
                if (args[i]->type.kind != want) {
                    error_at(c, args[i]->at, NULL, "%s() wants %s here, not %s", name, vt_kind_text[want],
                             type_name(c, args[i]->type));
                    return NULL;
                }
            }
            result = simple(sig[k].result);
        }
        ir_expr *x = node(c, IR_BUILTIN, result, e->at);
        if (x) {
            x->sub = bi;
            x->args = args;
            x->arg_count = n;
            x->name = name;
            if (bi == BI_AGE || bi == BI_AGE_IN_MONTH)
                x->free_op = bi == BI_AGE ? IR_FREE_AGE : IR_FREE_AGE_IN_MONTH;
            else if ((bi == BI_MIN || bi == BI_MAX) && n == 2)
                x->free_op = bi == BI_MIN ? IR_FREE_MIN2 : IR_FREE_MAX2;
        }
        return x;
    }
    if (already_explained(c, name))
        return NULL;
    const char *names[BI_COUNT_ + 64];
    size_t k = 0;
    for (int bi = 0; bi < BI_COUNT_; bi++)
        names[k++] = ir_builtin_text[bi];
    for (size_t i = 0; i < c->table_count && k < BI_COUNT_ + 64; i++)
        names[k++] = c->tables[i].name;
    const char *near = diag_nearest(name, names, k);
    char hint[128];
    if (near)
        snprintf(hint, sizeof hint, "did you mean '%s'?", near);
    error_at(c, e->at, near ? hint : NULL, "unknown function or table '%s'", name, 0, 0);
    return NULL;
}

static ir_expr *compile_aggregate(chk *c, const ast_expr *e)
{
    if (c->item) {
        error_at(c, e->at, NULL, "an aggregate cannot be nested inside a per-item rule or another aggregate", 0, 0, 0);
        return NULL;
    }
    long f = field_index(&c->prog->input, e->u.aggregate.list);
    if (f < 0 || c->prog->input.fields[f].type.kind != VT_LIST) {
        error_at(c, e->u.aggregate.list_at, NULL, "'%s' is not a list field of the input", e->u.aggregate.list, 0, 0);
        return NULL;
    }
    const ir_record *rec = c->prog->input.fields[f].type.rec;
    c->item = rec;
    ir_expr *body = e->u.aggregate.body ? compile_expr(c, e->u.aggregate.body) : NULL;
    ir_expr *where = e->u.aggregate.where ? compile_expr(c, e->u.aggregate.where) : NULL;
    c->item = NULL;
    if ((e->u.aggregate.body && !body) || (e->u.aggregate.where && !where))
        return NULL;
    if (where && !expect(c, where, VT_BOOL, "the condition after 'where'"))
        return NULL;
    vtype result = simple(VT_BOOL);
    switch ((ast_aggregate)e->u.aggregate.op) {
    case AGG_SUM:
        if (!is_numeric(body->type)) {
            error_at(c, body->at, NULL, "sum() adds numbers, not %s", type_name(c, body->type), 0, 0);
            return NULL;
        }
        result = body->type;
        break;
    case AGG_COUNT: result = simple(VT_INT); break;
    case AGG_ANY:
    case AGG_ALL: break;
    }
    ir_expr *x = node(c, IR_AGGREGATE, result, e->at);
    if (x) {
        x->sub = (int)e->u.aggregate.op;
        x->index = (size_t)f;
        x->a = body;
        x->b = where;
        x->name = e->u.aggregate.list;
    }
    return x;
}

static ir_expr *compile_expr_node(chk *c, const ast_expr *e)
{
    if (!e)
        return NULL;
    ir_expr *x = NULL;
    switch (e->kind) {
    case EXPR_BOOL:
        x = node(c, IR_CONST, simple(VT_BOOL), e->at);
        if (x)
            x->constant.i = e->u.boolean;
        return x;
    case EXPR_NUMBER:
        x = node(c, IR_CONST, simple((vt_kind)e->u.number.unit), e->at);
        if (x)
            x->constant.i = e->u.number.value;
        return x;
    case EXPR_STRING: {
        x = node(c, IR_CONST, simple(VT_TEXT), e->at);
        if (x && !literal_value(c, e, simple(VT_TEXT), false, &x->constant))
            return NULL;
        return x;
    }
    case EXPR_NAME:
        return compile_name(c, e);
    case EXPR_MEMBER: {
        ir_expr *obj = compile_expr(c, e->u.member.object);
        if (!obj)
            return NULL;
        if (obj->type.kind != VT_ROW) {
            error_at(c, e->u.member.name_at, NULL, "%s has no part '%s'", type_name(c, obj->type), e->u.member.name, 0);
            return NULL;
        }
        const ir_table *t = obj->type.table;
        for (size_t i = 0; i < t->column_count; i++)
            if (strcmp(t->columns[i], e->u.member.name) == 0) {
                x = node(c, IR_COLUMN, t->column_types[i], e->at);
                if (x) {
                    x->a = obj;
                    x->index = i;
                    x->name = e->u.member.name;
                }
                return x;
            }
        const char *near = diag_nearest(e->u.member.name, t->columns, t->column_count);
        char hint[128];
        if (near)
            snprintf(hint, sizeof hint, "did you mean '%s'?", near);
        error_at(c, e->u.member.name_at, near ? hint : NULL, "table '%s' has no column '%s'", t->name, e->u.member.name, 0);
        return NULL;
    }
    case EXPR_CALL:
        return compile_call(c, e);
    case EXPR_AGGREGATE:
        return compile_aggregate(c, e);
    case EXPR_IF: {
        ir_expr *cond = expect(c, compile_expr(c, e->u.if_.cond), VT_BOOL, "the condition of 'if'");
        ir_expr *a = compile_expr(c, e->u.if_.then_branch), *b = compile_expr(c, e->u.if_.else_branch);
        if (!cond || !a || !b)
            return NULL;
        if (!same_type(a->type, b->type))
            return unit_mismatch(c, e->at, "if/else", a, b);
        x = node(c, IR_IF, a->type, e->at);
        if (x) {
            x->a = cond;
            x->b = a;
            x->c = b;
        }
        return x;
    }
    case EXPR_IN: {
        ir_expr *needle = compile_expr(c, e->u.in.needle);
        size_t n = e->u.in.set.count;
        ir_expr **set = alloc(c, n, sizeof *set);
        if (!needle || !set)
            return NULL;
        for (size_t i = 0; i < n; i++) {
            set[i] = compile_expr(c, e->u.in.set.items[i]);
            if (!set[i])
                return NULL;
            if (!same_type(set[i]->type, needle->type))
                return unit_mismatch(c, set[i]->at, "in", needle, set[i]);
        }
        x = node(c, IR_IN, simple(VT_BOOL), e->at);
        if (x) {
            x->a = needle;
            x->args = set;
            x->arg_count = n;
        }
        return x;
    }
    case EXPR_NOT:
        x = expect(c, compile_expr(c, e->u.operand), VT_BOOL, "the operand of 'not'");
        if (!x)
            return NULL;
        ir_expr *not = node(c, IR_NOT, simple(VT_BOOL), e->at);
        if (not)
            not->a = x;
        return not;
    case EXPR_NEG: {
        x = compile_expr(c, e->u.operand);
        if (!x)
            return NULL;
        if (!is_numeric(x->type)) {
            error_at(c, e->at, NULL, "cannot negate %s", type_name(c, x->type), 0, 0);
            return NULL;
        }
        ir_expr *neg = node(c, IR_NEG, x->type, e->at);
        if (neg)
            neg->a = x;
        return neg;
    }
    case EXPR_BINARY:
        return compile_binary(c, e);
    }
    return NULL;
}

/* How an evaluation that counts nothing reads x where x is an operand
 * (ir_operand): a leaf from its slot, anything else through x. */
static ir_operand operand_of(const ir_expr *x)
{
    if (!x)
        return (ir_operand){.from = IR_THROUGH_NODE};
    if (x->free_op > IR_LET || x->index > UINT32_MAX)
        return (ir_operand){.from = IR_THROUGH_NODE, .expr = x};
    ir_operand o = {.from = x->free_op, .slot = (uint32_t)x->index};
    if (x->free_op == IR_CONST)
        o.constant = x->constant;
    else if (x->free_op == IR_VALUE || x->free_op == IR_ITEM_VALUE)
        o.target = x->target;
    return o;
}

/* The recursion over an expression, and into the definitions it uses, is
 * bounded by the file's nesting bound: 100,000 parentheses (or a chain of
 * 100,000 additions, which the parser's stack does not see) get a
 * diagnostic, not a stack overflow. */
static ir_expr *compile_expr(chk *c, const ast_expr *e)
{
    if (e && c->nesting >= c->max_nesting) {
        if (!c->nesting_reported)
            diag_report(c->diags, DIAG_ERROR, e->at, "give parts of the expression names of their own (`let`, a rule, a const)",
                        "this expression nests too deeply (more than %u levels, counting the definitions it uses)",
                        c->max_nesting);
        c->nesting_reported = true;
        return NULL;
    }
    c->nesting++;
    ir_expr *x = compile_expr_node(c, e);
    if (x) {
        x->left = operand_of(x->a ? x->a : x->arg_count ? x->args[0] : NULL);
        x->right = operand_of(x->b ? x->b : !x->a && x->arg_count > 1 ? x->args[1] : NULL);
    }
    if (--c->nesting == 0)
        c->nesting_reported = false;
    return x;
}

static bool compile_rule(chk *c, ir_rule *r)
{
    const ast_decl *d = r->decl;
    c->rule = d;
    c->lets_visible = 0;
    bool ok = true;
    r->lets = alloc(c, d->u.rule.let_count, sizeof *r->lets);
    r->let_count = d->u.rule.let_count;
    if (!r->lets)
        return false;
    c->rule_lets = r->lets;
    for (size_t i = 0; i < d->u.rule.let_count; i++) {
        r->lets[i] = compile_expr(c, d->u.rule.lets[i].value);
        ok = r->lets[i] != NULL && ok;
        c->lets_visible = i + 1;
    }
    if (d->u.rule.when) {
        r->when = compile_expr(c, d->u.rule.when);
        ok = expect(c, r->when, VT_BOOL, "the condition after 'when'") != NULL && ok;
    }
    r->value = compile_expr(c, d->u.rule.value);
    ok = r->value != NULL && ok;
    c->rule = NULL;
    c->lets_visible = 0;
    return ok;
}

/* A field of the record or of the item, read from its slot with no call. */
static bool is_field(const ir_expr *x)
{
    return x->op == IR_INPUT || x->op == IR_ITEM_FIELD;
}

/* A comparison of a field with k as a range (ir_test.low, .high, .negate). */
static ir_test compare_test(bool of_item, size_t index, int cmp, int64_t k, unsigned reach, const ir_expr *expr)
{
    ir_test t = {.kind = IR_TEST_COMPARE, .reach = reach, .of_item = of_item, .cmp = cmp, .index = index, .k = k,
                 .low = INT64_MIN, .high = INT64_MAX, .expr = expr};
    switch ((ast_binop)cmp) {
    case OP_EQ: t.low = t.high = k; break;
    case OP_NE: t.low = t.high = k; t.negate = true; break;
    /* Below the least or above the greatest: never, the whole range negated. */
    case OP_LT: t.negate = k == INT64_MIN; t.high = k == INT64_MIN ? INT64_MAX : k - 1; break;
    case OP_LE: t.high = k; break;
    case OP_GT: t.negate = k == INT64_MAX; t.low = k == INT64_MAX ? INT64_MIN : k + 1; break;
    default: t.low = k; break;
    }
    return t;
}

/* One conjunct: a field compared with a constant of its own kind (which the
 * evaluator compares as plain integers) or with another field, a field among
 * constants, a boolean field or value, or else the expression itself; each
 * but the comparisons also negated (`not X`, tested without a call for the
 * `not`). `reach` counts the operations the tree enters for it besides its
 * `and`s: the `not`, the comparison. */
static ir_test compile_test(chk *c, const ir_expr *x)
{
    bool negate = x->op == IR_NOT;
    const ir_expr *y = negate ? x->a : x;
    ir_test t = {.kind = IR_TEST_EXPR, .reach = negate, .negate = negate, .expr = y};
    if (is_field(y))
        return compare_test(y->op == IR_ITEM_FIELD, y->index, negate ? OP_EQ : OP_NE, 0, negate, y);
    if (y->op == IR_VALUE || y->op == IR_ITEM_VALUE)
        return (ir_test){.kind = IR_TEST_VALUE, .reach = negate, .negate = negate, .of_item = y->op == IR_ITEM_VALUE,
                         .index = y->index, .expr = y, .operand = {.from = y->op, .target = y->target}};
    if (negate)
        return t;
    if (x->op == IR_COMPARE && is_field(x->a) && x->b->op == IR_CONST && x->a->type.kind == x->b->type.kind &&
        x->a->type.kind != VT_TEXT && x->sub >= OP_EQ && x->sub <= OP_GE)
        return compare_test(x->a->op == IR_ITEM_FIELD, x->a->index, x->sub, x->b->constant.i, 1, NULL);
    if (x->op == IR_COMPARE && x->free_op == IR_FREE_COMPARE && x->sub >= OP_EQ && x->sub <= OP_GE) {
        /* Anything and a literal: evaluated as written when counted, and
         * as a range of the one operand where nothing is counted. */
        static const int mirrored[] = {[OP_EQ] = OP_EQ, [OP_NE] = OP_NE, [OP_LT] = OP_GT,
                                       [OP_LE] = OP_GE, [OP_GT] = OP_LT, [OP_GE] = OP_LE};
        bool left = x->b->free_op == IR_CONST;
        if (left || x->a->free_op == IR_CONST) {
            const ir_expr *operand = left ? x->a : x->b;
            ir_test r = compare_test(false, 0, left ? x->sub : mirrored[x->sub], (left ? x->b : x->a)->constant.i, 0,
                                     NULL);
            t.free = r.negate ? IR_FREE_RANGE_OUT : IR_FREE_RANGE_IN;
            t.low = r.low;
            t.high = r.high;
            t.operand = operand_of(operand);
            return t;
        }
    }
    if (x->op == IR_COMPARE && is_field(x->a) && is_field(x->b) && x->a->type.kind == x->b->type.kind &&
        x->a->type.kind != VT_TEXT && x->sub >= OP_EQ && x->sub <= OP_GE)
        return (ir_test){.kind = IR_TEST_FIELDS, .reach = 1, .of_item = x->a->op == IR_ITEM_FIELD, .cmp = x->sub,
                         .index = x->a->index, .other_of_item = x->b->op == IR_ITEM_FIELD, .other = x->b->index};
    if (x->op == IR_IN && is_field(x->a) && x->a->type.kind != VT_TEXT) {
        for (size_t i = 0; i < x->arg_count; i++)
            if (x->args[i]->op != IR_CONST)
                return t;
        int64_t *set = alloc(c, x->arg_count ? x->arg_count : 1, sizeof *set);
        if (!set)
            return t;
        for (size_t i = 0; i < x->arg_count; i++)
            set[i] = x->args[i]->constant.i;
        return (ir_test){.kind = IR_TEST_IN, .reach = 1, .of_item = x->a->op == IR_ITEM_FIELD, .index = x->a->index,
                         .set = set, .set_count = x->arg_count};
    }
    return t;
}

/* What an evaluation that counts nothing does for t (ir_test.free). */
static ir_free_test free_test(const ir_test *t)
{
    switch (t->kind) {
    case IR_TEST_VALUE:
        if (t->of_item)
            return t->negate ? IR_FREE_NOT_ITEM_VALUE : IR_FREE_ITEM_VALUE;
        return t->negate ? IR_FREE_NOT_VALUE : IR_FREE_VALUE;
    case IR_TEST_COMPARE:
        if (t->of_item)
            return t->negate ? IR_FREE_ITEM_OUT : IR_FREE_ITEM_IN;
        return t->negate ? IR_FREE_INPUT_OUT : IR_FREE_INPUT_IN;
    case IR_TEST_IN: return IR_FREE_SET;
    case IR_TEST_FIELDS: return IR_FREE_FIELDS;
    default: return t->free; /* IR_FREE_EXPR, or what compile_test settled */
    }
}

/* How many conjuncts `a and b and ...` has, however its `and`s are grouped. */
static size_t count_conjuncts(const ir_expr *x)
{
    return x->op == IR_AND ? count_conjuncts(x->a) + count_conjuncts(x->b) : 1;
}

/* The conjuncts left to right: the order the tree evaluates them in, each
 * only when those before it held, so an error is raised by the same one.
 * `ands` is how many `and`s are above x: with them, each test knows how deep
 * the tree would nest, so that the nesting bound stops both at one place. */
static void flatten_conjuncts(chk *c, const ir_expr *x, unsigned ands, ir_test *out, size_t *n)
{
    if (x->op == IR_AND) {
        flatten_conjuncts(c, x->a, ands + 1, out, n);
        flatten_conjuncts(c, x->b, ands + 1, out, n);
        return;
    }
    ir_test t = compile_test(c, x);
    t.reach += ands;
    t.free = free_test(&t);
    out[(*n)++] = t;
}

/* A condition as the list of tests the untraced evaluator runs. */
static ir_test *compile_conjuncts(chk *c, const ir_expr *when, size_t *count)
{
    ir_test *tests = alloc(c, count_conjuncts(when), sizeof *tests);
    if (tests)
        flatten_conjuncts(c, when, 0, tests, count);
    return tests;
}

/* Every expression of a rule, in the order a rule is evaluated: its lets,
 * its `when`, its value (either of the last two may be NULL). The walks
 * over a rule's expressions below go through these, so that the order and
 * the parts are written once. */
static size_t rule_expr_count(const ir_rule *r) { return r->let_count + 2; }

static ir_expr *rule_expr(const ir_rule *r, size_t k)
{
    return k < r->let_count ? r->lets[k] : k == r->let_count ? r->when : r->value;
}

/* The `where` of every aggregate in an expression, as tests. */
static void compile_wheres(chk *c, ir_expr *x)
{
    if (!x)
        return;
    if (x->op == IR_AGGREGATE && x->b && !x->where)
        x->where = compile_conjuncts(c, x->b, &x->where_count);
    compile_wheres(c, x->a);
    compile_wheres(c, x->b);
    compile_wheres(c, x->c);
    for (size_t i = 0; i < x->arg_count; i++)
        compile_wheres(c, x->args[i]);
}

static void compile_tests(chk *c, ir_rule *r)
{
    if (r->when)
        r->tests = compile_conjuncts(c, r->when, &r->test_count);
    for (size_t k = 0; k < rule_expr_count(r); k++)
        compile_wheres(c, rule_expr(r, k));
}

/* Whether a rule's first test (an equality or membership test) lets `key` through. */
static bool admits(const ir_test *t, int64_t key)
{
    if (t->kind == IR_TEST_COMPARE)
        return t->k == key;
    for (size_t i = 0; i < t->set_count; i++)
        if (t->set[i] == key)
            return true;
    return false;
}

static bool keyed_on(const ir_rule *r, const ir_test *first)
{
    if (r->let_count || !r->test_count)
        return false;
    const ir_test *t = &r->tests[0];
    return ((t->kind == IR_TEST_COMPARE && t->cmp == OP_EQ) || t->kind == IR_TEST_IN) &&
           t->of_item == first->of_item && t->index == first->index;
}

static int by_key(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The dispatch of a value whose first rules all test one field against
 * constants (ir_dispatch); none when fewer than two rules would share it. */
static void compile_dispatch(chk *c, ir_value *v)
{
    if (v->constant || v->rule_count < 2 || !v->rules[0]->test_count)
        return;
    const ir_test *first = &v->rules[0]->tests[0];
    if (!keyed_on(v->rules[0], first))
        return;
    size_t run = 1, keys = 0;
    while (run < v->rule_count && keyed_on(v->rules[run], first))
        run++;
    if (run < 2)
        return;
    unsigned reach = 0;
    for (size_t i = 0; i < run; i++) {
        keys += v->rules[i]->tests[0].kind == IR_TEST_IN ? v->rules[i]->tests[0].set_count : 1;
        if (v->rules[i]->tests[0].reach > reach)
            reach = v->rules[i]->tests[0].reach;
    }
    int64_t *key = alloc(c, keys, sizeof *key);
    ir_dispatch *d = alloc_line(c, 1, sizeof *d);
    if (!key || !d)
        return;
    size_t n = 0;
    for (size_t i = 0; i < run; i++) {
        const ir_test *t = &v->rules[i]->tests[0];
        if (t->kind == IR_TEST_IN)
            for (size_t k = 0; k < t->set_count; k++)
                key[n++] = t->set[k];
        else
            key[n++] = t->k;
    }
    qsort(key, n, sizeof *key, by_key);
    d->cases = alloc(c, n, sizeof *d->cases);
    if (!d->cases)
        return;
    for (size_t k = 0; k < n; k++) {
        if (k && key[k] == key[k - 1])
            continue;
        uint32_t *rules = alloc(c, run, sizeof *rules);
        if (!rules)
            return;
        ir_dispatch_case *e = &d->cases[d->case_count++];
        e->key = key[k];
        e->rules = rules;
        for (size_t i = 0; i < run; i++)
            if (admits(&v->rules[i]->tests[0], key[k]))
                rules[e->count++] = (uint32_t)i;
    }
    d->of_item = first->of_item;
    d->index = first->index;
    d->run = run;
    d->reach = reach;
    uint64_t span = (uint64_t)d->cases[d->case_count - 1].key - (uint64_t)d->cases[0].key + 1;
    if (span <= 256) {
        d->direct = alloc(c, (size_t)span, sizeof *d->direct);
        if (!d->direct)
            return;
        d->first = d->cases[0].key;
        d->span = span;
        for (size_t k = 0; k < d->case_count; k++)
            d->direct[(uint64_t)d->cases[k].key - (uint64_t)d->first] = &d->cases[k];
    }
    v->dispatch = d;
}

/* A test's kind without its negation: *negated says whether it had one. */
static ir_free_test unnegated(ir_free_test f, bool *negated)
{
    *negated = f == IR_FREE_NOT_VALUE || f == IR_FREE_NOT_ITEM_VALUE || f == IR_FREE_INPUT_OUT || f == IR_FREE_ITEM_OUT;
    switch (f) {
    case IR_FREE_NOT_VALUE: return IR_FREE_VALUE;
    case IR_FREE_NOT_ITEM_VALUE: return IR_FREE_ITEM_VALUE;
    case IR_FREE_INPUT_OUT: return IR_FREE_INPUT_IN;
    case IR_FREE_ITEM_OUT: return IR_FREE_ITEM_IN;
    default: return f;
    }
}

/* Whether two tests of one value's rules give the same answer (1), the
 * opposite (-1), or may not (0). Only tests of a field or a value in place
 * are told apart: within a case, their answer, once known, cannot change
 * (a value is decided once; the item is the one the value is decided for).
 * An expression is never taken for another. */
static int same_answer(const ir_test *a, const ir_test *b)
{
    bool na, nb;
    ir_free_test f = unnegated(a->free, &na);
    if (f != unnegated(b->free, &nb) || a->index != b->index)
        return 0;
    switch (f) {
    case IR_FREE_VALUE:
    case IR_FREE_ITEM_VALUE:
        if (a->expr->target != b->expr->target)
            return 0;
        break;
    case IR_FREE_INPUT_IN:
    case IR_FREE_ITEM_IN:
        if (a->low != b->low || a->high != b->high)
            return 0;
        break;
    case IR_FREE_SET:
        if (a->of_item != b->of_item || a->set_count != b->set_count ||
            memcmp(a->set, b->set, a->set_count * sizeof *a->set) != 0)
            return 0;
        break;
    case IR_FREE_FIELDS:
        if (a->of_item != b->of_item || a->cmp != b->cmp || a->other_of_item != b->other_of_item ||
            a->other != b->other)
            return 0;
        break;
    default:
        return 0;
    }
    return na == nb ? 1 : -1;
}

/* What is known of test t when the tests held[0 .. k) held and held[k]
 * failed: 1 it holds, -1 it fails, 0 not known. */
static int known_answer(const ir_test *t, const ir_flow *held, size_t k)
{
    for (size_t q = 0; q < k; q++) {
        int same = same_answer(t, &held[q].test);
        if (same)
            return same;
    }
    return -same_answer(t, &held[k].test);
}

/* Where a program goes on when the k-th test of its i-th rule fails (rule j
 * has its tests at start[j] and fires at start[j + 1] - 1): the first later
 * rule that what is then known does not rule out, at its first test not known
 * to hold, or at the step that fires it when all are. */
static const ir_flow *fail_target(const ir_flow *flow, const size_t *start, size_t rules, size_t i, size_t k)
{
    for (size_t j = i + 1; j < rules; j++) {
        size_t len = start[j + 1] - 1 - start[j], p = 0;
        int answer = 1;
        while (p < len && (answer = known_answer(&flow[start[j] + p].test, &flow[start[i]], k)) == 1)
            p++;
        if (answer != -1)
            return &flow[start[j] + p];
    }
    return &flow[start[rules]];
}

/* The step of a program that fires r, with its value in the step where that
 * is a constant or a field (ir_flow). */
static ir_flow fire_step(const ir_rule *r)
{
    const ir_expr *x = r->value;
    switch (x->free_op) {
    case IR_CONST:
        return (ir_flow){.test = {.free = IR_FREE_FIRE_CONST, .rule_index = r->index}, .fired = x->constant, .rule = r};
    case IR_INPUT:
        return (ir_flow){.test = {.free = IR_FREE_FIRE_INPUT, .index = x->index, .rule_index = r->index}, .rule = r};
    case IR_ITEM_FIELD:
        return (ir_flow){.test = {.free = IR_FREE_FIRE_ITEM_FIELD, .index = x->index, .rule_index = r->index}, .rule = r};
    default: return (ir_flow){.test = {.free = IR_FREE_FIRE, .rule_index = r->index}, .rule = r};
    }
}

/* The rules of v from `from` on, but for the dispatched run's those not in
 * `only` (count of them; NULL: none of the run), as one program (ir_flow):
 * a dispatched rule's first test, which the key settled, left out. */
static const ir_flow *compile_flow(chk *c, const ir_value *v, size_t from, const uint32_t *only, size_t count)
{
    size_t rules = count + v->rule_count - from, steps = 1;
    for (size_t j = 0; j < count; j++)
        steps += v->rules[only[j]]->test_count;
    for (size_t i = from; i < v->rule_count; i++)
        steps += v->rules[i]->test_count + 1;
    ir_flow *flow = alloc_line(c, steps, sizeof *flow);
    size_t *start = alloc(c, rules + 1, sizeof *start);
    if (!flow || !start)
        return NULL;
    size_t n = 0;
    for (size_t j = 0; j < rules; j++) {
        const ir_rule *r = j < count ? v->rules[only[j]] : v->rules[from + j - count];
        start[j] = n;
        for (size_t k = j < count ? 1 : 0; k < r->test_count; k++)
            flow[n++].test = r->tests[k];
        flow[n++] = fire_step(r);
    }
    start[rules] = n;
    flow[n].test.free = IR_FREE_FIRE; /* and no rule: none applies */
    for (size_t j = 0; j < rules; j++)
        for (size_t k = 0; start[j] + k + 1 < start[j + 1]; k++)
            flow[start[j] + k].fail = fail_target(flow, start, rules, j, k);
    return flow;
}

/* The programs of a value without lets: all its rules, and with a dispatch,
 * those of each key and of a key with no case. */
static void compile_flows(chk *c, ir_value *v)
{
    if (v->constant || v->has_lets)
        return;
    v->flow = compile_flow(c, v, 0, NULL, 0);
    if (v->flow && v->flow[0].test.free >= IR_FREE_FIRE) {
        v->always = v->flow[0].rule;
        v->always_value = v->always->value;
        v->always_index = v->always->index;
    }
    ir_dispatch *d = v->dispatch;
    if (!d)
        return;
    d->flow_none = compile_flow(c, v, d->run, NULL, 0);
    for (size_t k = 0; k < d->case_count; k++)
        d->cases[k].flow = compile_flow(c, v, d->run, d->cases[k].rules, d->cases[k].count);
}

/* An expression of the record's fields and constants alone: it gives the
 * same wherever it is written, within a case. */
static bool of_inputs(const ir_expr *x)
{
    switch (x->op) {
    case IR_CONST:
    case IR_INPUT: return true;
    case IR_NEG:
    case IR_NOT:
    case IR_AND:
    case IR_OR:
    case IR_COMPARE:
    case IR_ARITH:
    case IR_IF:
    case IR_BUILTIN:
    case IR_TABLE:
    case IR_COLUMN: break;
    default: return false;
    }
    if ((x->a && !of_inputs(x->a)) || (x->b && !of_inputs(x->b)) || (x->c && !of_inputs(x->c)))
        return false;
    for (size_t i = 0; i < x->arg_count; i++)
        if (!of_inputs(x->args[i]))
            return false;
    return true;
}

/* Whether two expressions are written alike: the same operations on the same
 * operands, of the same types. */
static bool alike(const ir_expr *x, const ir_expr *y)
{
    if (!x || !y)
        return x == y;
    if (x->op != y->op || x->sub != y->sub || x->type.kind != y->type.kind || x->index != y->index ||
        x->table != y->table || x->constant.i != y->constant.i || x->arg_count != y->arg_count ||
        !alike(x->a, y->a) || !alike(x->b, y->b) || !alike(x->c, y->c))
        return false;
    for (size_t i = 0; i < x->arg_count; i++)
        if (!alike(x->args[i], y->args[i]))
            return false;
    return true;
}

/* The outermost calls and table lookups of fields and constants alone in x,
 * into out (when not NULL) from *n on. */
static void find_of_inputs(ir_expr *x, ir_expr **out, size_t *n)
{
    if (!x)
        return;
    if ((x->op == IR_BUILTIN || x->op == IR_TABLE) && of_inputs(x)) {
        if (out)
            out[*n] = x;
        ++*n;
        return;
    }
    find_of_inputs(x->a, out, n);
    find_of_inputs(x->b, out, n);
    find_of_inputs(x->c, out, n);
    for (size_t i = 0; i < x->arg_count; i++)
        find_of_inputs(x->args[i], out, n);
}

static void rules_of_inputs(const ir_program *p, ir_expr **out, size_t *n)
{
    for (size_t i = 0; i < p->rule_count; i++) {
        const ir_rule *r = p->rules[i];
        for (size_t k = 0; k < rule_expr_count(r); k++)
            find_of_inputs(rule_expr(r, k), out, n);
    }
}

/* A call or lookup of fields and constants alone written in more than one
 * place (the same age in several rules) is computed once a case by an
 * evaluation that counts nothing (IR_FREE_SHARED); one that counts computes
 * each where it is written, as it counts them. */
static void share_of_inputs(chk *c, ir_program *p)
{
    size_t n = 0;
    rules_of_inputs(p, NULL, &n);
    ir_expr **found = n ? alloc(c, n, sizeof *found) : NULL;
    if (!found)
        return;
    n = 0;
    rules_of_inputs(p, found, &n);
    for (size_t i = 0; i < n; i++) {
        if (found[i]->free_op == IR_FREE_SHARED)
            continue;
        bool again = false;
        for (size_t j = i + 1; j < n; j++) {
            ir_expr *y = found[j];
            if (y == found[i] || y->free_op == IR_FREE_SHARED || !alike(found[i], y))
                continue;
            y->shared_op = y->free_op;
            y->free_op = IR_FREE_SHARED;
            y->shared = p->shared_count;
            again = true;
        }
        if (again) {
            found[i]->shared_op = found[i]->free_op;
            found[i]->free_op = IR_FREE_SHARED;
            found[i]->shared = p->shared_count++;
        }
    }
}

static unsigned deeper_of(unsigned depth, const ir_expr *x);

/* The aggregates over each input field in x, added to per_field (or, when
 * `any_field`, all to per_field[0]). */
static void count_aggregates(const ir_expr *x, uint64_t *per_field, bool any_field)
{
    if (!x)
        return;
    if (x->op == IR_AGGREGATE)
        per_field[any_field ? 0 : x->index]++;
    count_aggregates(x->a, per_field, any_field);
    count_aggregates(x->b, per_field, any_field);
    count_aggregates(x->c, per_field, any_field);
    for (size_t i = 0; i < x->arg_count; i++)
        count_aggregates(x->args[i], per_field, any_field);
}

/* The bounds on deciding a case (ir_program.depth, .steps_fixed, .list_steps).
 * Each value is decided at most once per case (per item for a per-item
 * value), each of its rules tried at most once then, and each aggregate in
 * a rule evaluated at most once per try, visiting each item of its list;
 * aggregates cannot nest, nor be in per-item rules. */
static void compile_bounds(chk *c, ir_program *p)
{
    uint64_t *per_field = alloc(c, p->input.field_count, sizeof *per_field);
    if (!per_field)
        return;
    for (size_t i = 0; i < p->global_count; i++) {
        const ir_value *v = p->globals[i];
        if (v->depth > p->depth)
            p->depth = v->depth;
        p->steps_fixed += v->constant ? 1 : v->rule_count;
        count_aggregates(v->constant_value, per_field, false);
        for (size_t k = 0; k < v->rule_count; k++) {
            const ir_rule *r = v->rules[k];
            for (size_t j = 0; j < rule_expr_count(r); j++)
                count_aggregates(rule_expr(r, j), per_field, false);
        }
    }
    for (size_t i = 0; i < p->check_count; i++) {
        uint64_t visits = 0;
        count_aggregates(p->checks[i].require, &visits, true);
        p->check_depth = visits ? UINT_MAX : deeper_of(p->check_depth, p->checks[i].require);
        if (visits)
            break;
    }
    size_t lists = 0;
    for (size_t f = 0; f < p->input.field_count; f++) {
        const ir_record *rec = p->input.fields[f].type.kind == VT_LIST ? p->input.fields[f].type.rec : NULL;
        for (size_t i = 0; rec && i < rec->attr_count; i++)
            per_field[f] += rec->attrs[i]->rule_count;
        lists += per_field[f] != 0;
    }
    p->list_steps = alloc(c, lists, sizeof *p->list_steps);
    if (!p->list_steps)
        return;
    for (size_t f = 0; f < p->input.field_count; f++)
        if (per_field[f])
            p->list_steps[p->list_step_count++] = (ir_list_steps){f, per_field[f]};
}

/* Where the k-th hole of a sentence is in the source: its `{` in the string
 * literal (escapes before it could shift a computed offset, so search). */
static loc hole_at(const ast_sentence *t, const char *name)
{
    const src_file *f = t->at.file;
    size_t n = strlen(name);
    for (uint32_t i = t->at.start; f && i + n + 2 <= t->at.end; i++) {
        const char *brace = memchr(f->text + i, '{', t->at.end - n - 1 - i);
        if (!brace)
            break;
        i = (uint32_t)(brace - f->text);
        if (strncmp(f->text + i + 1, name, n) == 0 && f->text[i + n + 1] == '}')
            return (loc){f, i, i + (uint32_t)n + 2};
    }
    return t->at;
}

/* The length of the run of letters, digits and underscores s begins with
 * (strspn with that set, without its per-call table). */
static size_t name_chars(const char *s)
{
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_')
        n++;
    return n;
}

/* The lookup of table t somewhere in a rule's expression. */
static ir_expr *find_lookup(ir_expr *e, const ir_table *t)
{
    if (!e)
        return NULL;
    if (e->op == IR_TABLE && e->table == t)
        return e;
    ir_expr *found = find_lookup(e->a, t);
    if (!found)
        found = find_lookup(e->b, t);
    if (!found)
        found = find_lookup(e->c, t);
    for (size_t i = 0; !found && i < e->arg_count; i++)
        found = find_lookup(e->args[i], t);
    return found;
}

/* explain LANG "text with {name} holes": each hole must name a value the
 * declaration can see, so a template never prints a name it cannot fill. A
 * hole naming a table the rule looks up stands for the key it looked up. */
static ir_sentence *compile_sentences(chk *c, const ir_rule *r, const ast_sentences *in, size_t *count)
{
    *count = 0;
    if (!in->count)
        return NULL;
    ir_sentence *out = alloc(c, in->count, sizeof *out);
    for (size_t i = 0; out && i < in->count; i++) {
        const ast_sentence *t = &in->items[i];
        ir_sentence *s = &out[(*count)++];
        s->lang = t->lang;
        s->text = t->text ? t->text : "";
        size_t holes = 0;
        for (const char *p = s->text; (p = strchr(p, '{')); p++)
            holes += p[1] != '{';
        s->holes = alloc(c, holes, sizeof *s->holes);
        if (!s->holes)
            return NULL;
        size_t ll = strlen(s->lang), lower = 0;
        while (s->lang[lower] >= 'a' && s->lang[lower] <= 'z')
            lower++;
        if (ll < 2 || ll > 3 || lower != ll)
            error_at(c, t->lang_at, "write a language code such as sv or en", "'%s' is not a language code", s->lang, 0, 0);
        for (const char *p = s->text; (p = strchr(p, '{')); p++) {
            if (p[1] == '{') {
                p++;
                continue;
            }
            const char *end = strchr(p, '}');
            size_t n = end ? (size_t)(end - p - 1) : 0;
            char *name = end ? arena_strndup(c->a, p + 1, n) : NULL;
            if (!name || n == 0 || name_chars(name) != n) {
                error_at(c, t->at, "a hole names one value, as in {basic_minutes}; write {{ for a brace",
                         "this text has a malformed {hole}", 0, 0, 0);
                break;
            }
            ast_expr ref = {.kind = EXPR_NAME, .at = hole_at(t, name), .u.name = name};
            const ir_table *table = r ? find_table(c, name) : NULL;
            ir_expr *lookup = NULL;
            for (size_t k = 0; table && !lookup && k < rule_expr_count(r); k++)
                lookup = find_lookup(rule_expr(r, k), table);
            if (table && !lookup) {
                error_at(c, ref.at, NULL, "rule '%s' does not look up table '%s'", r->decl->name, name, 0);
                p = end;
                continue;
            }
            ir_expr *x = lookup ? lookup->a : compile_name(c, &ref);
            if (x && (x->type.kind == VT_LIST || x->type.kind == VT_ROW || x->type.kind == VT_ITEM)) {
                error_at(c, ref.at, NULL, "'%s' is %s, which a sentence cannot show", name, type_name(c, x->type), 0);
                x = NULL;
            }
            if (x)
                s->holes[s->hole_count++] = x;
            p = end;
        }
    }
    return out;
}

static void compile_explanations(chk *c)
{
    ir_program *p = c->prog;
    for (size_t i = 0; i < p->rule_count; i++) {
        ir_rule *r = p->rules[i];
        const ast_decl *d = r->decl;
        if (!d->explain.count && !d->explain_not.count)
            continue;
        c->rule = d;
        c->item = r->target->item;
        c->rule_lets = r->lets;
        c->lets_visible = r->let_count;
        r->explain = compile_sentences(c, r, &d->explain, &r->explain_count);
        r->explain_not = compile_sentences(c, r, &d->explain_not, &r->explain_not_count);
    }
    c->rule = NULL;
    c->item = NULL;
    c->lets_visible = 0;
    for (size_t i = 0; i < p->global_count; i++) {
        ir_value *v = p->globals[i];
        if (v->constant)
            v->explain = compile_sentences(c, NULL, &v->constant->explain, &v->explain_count);
    }
}

/* One more level of nesting, saturating: only whether a depth reaches the
 * bound (at most SRC_MAX_NESTING_CAP) matters. */
static unsigned one_deeper(unsigned depth)
{
    return depth < UINT_MAX / 2 ? depth + 1 : depth;
}

/* How far above where it is evaluated evaluating x can take the evaluator's
 * nesting count (eval.c: operations and values still to decide count, leaves
 * do not); for a condition, at least as far as each of its compiled tests
 * reaches (ir_test.reach). The values x uses are compiled, so their depth
 * is known. */
static unsigned expr_depth(const ir_expr *x)
{
    if (!x)
        return 0;
    switch (x->op) {
    case IR_CONST:
    case IR_INPUT:
    case IR_ITEM_FIELD:
    case IR_LET: return 0;
    case IR_VALUE:
    case IR_ITEM_VALUE: return one_deeper(x->target->depth);
    default: break;
    }
    unsigned d = expr_depth(x->a);
    unsigned e = expr_depth(x->b);
    d = e > d ? e : d;
    e = expr_depth(x->c);
    d = e > d ? e : d;
    for (size_t i = 0; i < x->arg_count; i++) {
        e = expr_depth(x->args[i]);
        d = e > d ? e : d;
    }
    return one_deeper(d);
}

static unsigned deeper_of(unsigned depth, const ir_expr *x)
{
    unsigned d = expr_depth(x);
    return d > depth ? d : depth;
}

/* ir_value.depth, once its rules (and the values they use) are compiled. */
static unsigned value_depth(const ir_value *v)
{
    unsigned d = v->constant ? expr_depth(v->constant_value) : 0;
    for (size_t i = 0; i < v->rule_count; i++) {
        const ir_rule *r = v->rules[i];
        for (size_t k = 0; k < rule_expr_count(r); k++)
            d = deeper_of(d, rule_expr(r, k));
    }
    return d;
}

static bool compile_value(chk *c, ir_value *v, loc used_at)
{
    if (v->state == 2)
        return v->typed;
    if (v->state == 1) {
        char chain[512] = "";
        size_t start = 0;
        while (start < c->depth && c->stack[start] != v)
            start++;
        for (size_t i = start; i < c->depth; i++) {
            strncat(chain, c->stack[i]->name, sizeof chain - strlen(chain) - 1);
            strncat(chain, " -> ", sizeof chain - strlen(chain) - 1);
        }
        strncat(chain, v->name, sizeof chain - strlen(chain) - 1);
        diag_report(c->diags, DIAG_ERROR, used_at, "a value cannot depend on itself; break the cycle",
                    "definition cycle: %s", chain);
        return false;
    }
    if (c->depth == CHK_MAX_DEPTH) {
        diag_report(c->diags, DIAG_ERROR, used_at, NULL, "definitions nest too deeply");
        return false;
    }
    v->state = 1;
    c->stack[c->depth++] = v;
    const ir_record *saved_item = c->item;
    const ast_decl *saved_rule = c->rule;
    ir_expr **saved_rule_lets = c->rule_lets;
    size_t saved_lets = c->lets_visible;
    c->item = v->item;
    c->rule = NULL;
    bool ok = true;
    if (v->constant) {
        v->constant_value = compile_expr(c, v->constant->u.value);
        ok = v->constant_value != NULL;
        if (ok) {
            v->type = v->constant_value->type;
            v->typed = true;
        }
    }
    for (size_t i = 0; i < v->rule_count; i++) {
        ir_rule *r = v->rules[i];
        if (!compile_rule(c, r)) {
            ok = false;
            continue;
        }
        if (!v->typed) {
            v->type = r->value->type;
            v->typed = true;
        } else if (!same_type(v->type, r->value->type)) {
            diag_report_note(c->diags, DIAG_ERROR, r->value->at, v->rules[0]->decl->u.rule.value->at,
                             "the first rule gives it this type",
                             "rule '%s' gives '%s' a value of type %s, but other rules give it %s", r->decl->name,
                             v->name, type_name(c, r->value->type), type_name(c, v->type));
            ok = false;
        }
    }
    c->item = saved_item;
    c->rule = saved_rule;
    c->rule_lets = saved_rule_lets;
    c->lets_visible = saved_lets;
    c->depth--;
    v->state = 2;
    v->typed = v->typed && ok;
    if (v->typed)
        v->depth = value_depth(v);
    return v->typed;
}

static ir_value *new_value(chk *c, const char *name)
{
    ir_value *v = alloc_line(c, 1, sizeof *v);
    if (v)
        v->name = name;
    return v;
}

static bool add_to(chk *c, ir_value ***list, size_t *count, ir_value *v)
{
    ir_value **n = alloc(c, *count + 1, sizeof *n);
    if (!n)
        return false;
    if (*count) /* memcpy from the NULL of an empty list is undefined */
        memcpy(n, *list, *count * sizeof *n);
    n[(*count)++] = v;
    *list = n;
    return true;
}

static bool add_rule(chk *c, ir_value *v, ir_rule *r)
{
    if (v->rule_count == v->rule_cap) {
        size_t ncap = v->rule_cap ? v->rule_cap * 2 : 4;
        ir_rule **n = alloc(c, ncap, sizeof *n);
        if (!n)
            return false;
        if (v->rule_count)
            memcpy(n, v->rules, v->rule_count * sizeof *n);
        v->rules = n;
        v->rule_cap = ncap;
    }
    v->rules[v->rule_count++] = r;
    r->target = v;
    return true;
}

static bool compile_table(chk *c, const ast_decl *d, ir_table *t)
{
    /* The slot may hold what a table that failed left in it. */
    *t = (ir_table){0};
    t->decl = d;
    t->name = d->name;
    t->no_match = d->u.table.no_match;
    bool ok = true;
    if (!d->u.table.key) {
        error_at(c, d->name_at, "add a line `key NAME: TYPE`", "table '%s' has no key column", d->name, 0, 0);
        return false;
    }
    ok = resolve_type(c, &d->u.table.key->type, &t->key_type) && ok;
    if (ok && !is_ordered(t->key_type)) {
        error_at(c, d->u.table.key->at, NULL, "a table cannot be keyed by %s", type_name(c, t->key_type), 0, 0);
        ok = false;
    }
    size_t nc = d->u.table.columns.count;
    if (nc == 0) {
        error_at(c, d->name_at, "add lines `value NAME: TYPE`", "table '%s' has no value columns", d->name, 0, 0);
        return false;
    }
    t->column_count = nc;
    t->columns = alloc(c, nc, sizeof *t->columns);
    t->column_types = alloc(c, nc, sizeof *t->column_types);
    t->rows = alloc(c, d->u.table.row_count, sizeof *t->rows);
    if (!t->columns || !t->column_types || !t->rows)
        return false;
    for (size_t i = 0; i < nc; i++) {
        t->columns[i] = d->u.table.columns.items[i]->name;
        ok = resolve_type(c, &d->u.table.columns.items[i]->type, &t->column_types[i]) && ok;
        const ast_field *col = d->u.table.columns.items[i];
        if (col->low || col->fallback) {
            error_at(c, col->low ? col->low->at : col->fallback->at, "write the values in the rows",
                     "a table column has no range or default", 0, 0, 0);
            ok = false;
        }
    }
    if (!ok)
        return false;
    for (size_t i = 0; i < d->u.table.row_count; i++) {
        const ast_row *ar = d->u.table.rows[i];
        ir_row row = {.low = INT64_MIN, .high = INT64_MAX, .at = ar->at};
        if (ar->cells.count != nc) {
            char got[32], want[32];
            snprintf(got, sizeof got, "%zu", ar->cells.count);
            snprintf(want, sizeof want, "%zu", nc);
            error_at(c, ar->at, NULL, "this row has %s value(s), but the table has %s column(s)", got, want, 0);
            ok = false;
            continue;
        }
        row.cells = alloc(c, nc, sizeof *row.cells);
        if (!row.cells)
            return false;
        for (size_t k = 0; k < nc; k++)
            ok = literal_value(c, ar->cells.items[k], t->column_types[k], false, &row.cells[k]) && ok;
        if (ar->is_otherwise) {
            if (t->otherwise || t->no_match) {
                error_at(c, ar->at, NULL, "a table has one `otherwise`", 0, 0, 0);
                ok = false;
            }
            ir_row *o = alloc(c, 1, sizeof *o);
            if (!o)
                return false;
            *o = row;
            t->otherwise = o;
            continue;
        }
        value lo = {0}, hi = {0};
        if (ar->low) {
            ok = literal_value(c, ar->low, t->key_type, false, &lo) && ok;
            row.has_low = true;
            row.low = lo.i;
        }
        if (ar->high) {
            ok = literal_value(c, ar->high, t->key_type, false, &hi) && ok;
            row.has_high = true;
            row.high = hi.i;
        }
        if (row.has_low && row.has_high && row.low > row.high) {
            error_at(c, ar->at, "write the smaller bound first", "this row's range is empty", 0, 0, 0);
            ok = false;
        }
        t->rows[t->row_count++] = row;
    }
    ok = ok && lint_table(c->diags, t);
    if (!t->otherwise && !t->no_match) {
        /* Where the `otherwise` line belongs: after the last row. */
        loc end = d->u.table.row_count ? d->u.table.rows[d->u.table.row_count - 1]->at : d->name_at;
        diag_report_full(c->diags, DIAG_ERROR, end, "end the table with `otherwise => ...` or `otherwise error \"why\"`",
                         d->name_at, "the table starts here",
                         "table '%s' does not say what happens when no row matches", d->name);
        ok = false;
    }
    return ok;
}

static const ast_decl *the_only(chk *c, ast_decl_kind kind)
{
    const ast_decl *found = NULL;
    for (size_t i = 0; i < c->count; i++)
        if (c->decls[i]->kind == kind) {
            if (found) {
                diag_report_note(c->diags, DIAG_ERROR, c->decls[i]->name_at, found->name_at, "the first is here",
                                 "a ruleset has one %s declaration", ast_decl_kind_text[kind]);
                return NULL;
            }
            found = c->decls[i];
        }
    return found;
}

static bool compile_output(chk *c, const ast_decl *out)
{
    ir_program *p = c->prog;
    const ast_name *names[] = {&out->u.output.key, &out->u.output.version, &out->u.output.fired, &out->u.output.error};
    const char *what[] = {"key", "version", "fired", "error"};
    const char *line[] = {"add a line `key FIELD` naming the input field echoed in every result",
                          "add a line `version NAME` naming the field that says which version decided",
                          "add a line `fired NAME` naming the field that lists the rules that fired",
                          "add a line `error NAME: FIELD, MESSAGE` naming the parts of an error"};
    for (size_t i = 0; i < 4; i++)
        if (!names[i]->name) {
            /* At the end of the block, where the missing line belongs. */
            diag_report_full(c->diags, DIAG_ERROR, (loc){out->at.file, out->at.end, out->at.end}, line[i], out->name_at,
                             "the output starts here", "the output does not name its '%s' field", what[i]);
            return false;
        }
    long key = field_index(&p->input, out->u.output.key.name);
    if (key < 0 || p->input.fields[key].type.kind != VT_TEXT) {
        error_at(c, out->u.output.key.at, NULL, "the key must be a text field of the input", 0, 0, 0);
        return false;
    }
    p->key = (size_t)key;
    p->key_name = out->u.output.key.name;
    p->version_name = out->u.output.version.name;
    p->fired_name = out->u.output.fired.name;
    p->error_name = out->u.output.error.name;
    p->error_field_name = out->u.output.error_field.name;
    p->error_message_name = out->u.output.error_message.name;
    size_t n = out->u.output.results.count;
    p->results = alloc(c, n, sizeof *p->results);
    p->result_values = alloc_line(c, n, sizeof *p->result_values);
    if (!p->results || !p->result_values)
        return false;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const ast_field *f = out->u.output.results.items[i];
        ir_result *r = &p->results[p->result_count++];
        r->name = f->name;
        if (f->low || f->fallback) {
            error_at(c, f->low ? f->low->at : f->fallback->at, "a range or default belongs on an input field",
                     "a result has no range or default", 0, 0, 0);
            ok = false;
        }
        if (!resolve_type(c, &f->type, &r->type)) {
            ok = false;
            continue;
        }
        ir_value *v = find_value(p->globals, p->global_count, f->name);
        if ((!v || v->constant) && already_explained(c, f->name)) {
            ok = false;
            continue;
        }
        if (!v || v->constant) {
            error_at(c, f->at, "write a rule that defines it", "no rule defines the result '%s'", f->name, 0, 0);
            ok = false;
            continue;
        }
        r->value = v;
        p->result_values[i] = v;
        if (v->typed && !same_type(v->type, r->type)) {
            error_at(c, f->at, NULL, "the result '%s' is declared %s, but its rules give %s", f->name,
                     type_name(c, r->type), type_name(c, v->type));
            ok = false;
        }
    }
    return ok;
}

ir_program *chk_compile(arena *a, diag_sink *diags, const ast_file *file, ast_decl *const *decls, size_t count)
{
    chk cx = {.a = a, .diags = diags, .decls = decls, .count = count};
    chk *c = &cx;
    cx.max_nesting = src_max_nesting(file ? file->src : NULL);
    unsigned errors_before = diags->errors;
    ir_program *p = c->prog = alloc(c, 1, sizeof *p);
    if (!p)
        return NULL;
    p->version = file->version;
    p->file = file;
    lint_declarations(a, diags, decls, count, &c->quiet);
    size_t n_enum = 0, n_rec = 0, n_table = 0, n_rule = 0, n_check = 0;
    for (size_t i = 0; i < count; i++)
        switch (decls[i]->kind) {
        case DECL_ENUM: n_enum++; break;
        case DECL_RECORD: n_rec++; break;
        case DECL_TABLE: n_table++; break;
        case DECL_RULE: n_rule++; break;
        case DECL_CHECK: n_check++; break;
        default: break;
        }
    c->enums = alloc(c, n_enum, sizeof *c->enums);
    c->records = alloc(c, n_rec, sizeof *c->records);
    c->tables = alloc(c, n_table, sizeof *c->tables);
    p->rules = alloc(c, n_rule, sizeof *p->rules);
    p->checks = alloc(c, n_check, sizeof *p->checks);
    if (c->oom)
        return NULL;
    /* Enums and record shells first, so that fields can name them in any order. */
    for (size_t i = 0; i < count; i++) {
        const ast_decl *d = decls[i];
        if (d->kind == DECL_ENUM) {
            ir_enum *e = &c->enums[c->enum_count++];
            e->name = d->name;
            e->at = d->name_at;
            e->count = d->u.members.count;
            e->members = alloc(c, e->count, sizeof *e->members);
            for (size_t k = 0; e->members && k < e->count; k++) {
                e->members[k] = d->u.members.items[k].name;
                for (size_t j = 0; j < k; j++)
                    if (strcmp(e->members[j], e->members[k]) == 0)
                        diag_report_note(diags, DIAG_ERROR, d->u.members.items[k].at, d->u.members.items[j].at,
                                         "first listed here", "'%s' is listed twice in enum %s", e->members[k], e->name);
            }
        } else if (d->kind == DECL_RECORD) {
            ir_record *r = &c->records[c->record_count++];
            r->name = d->name;
            r->at = d->name_at;
        }
    }
    for (size_t i = 0, k = 0; i < count; i++)
        if (decls[i]->kind == DECL_RECORD)
            compile_fields(c, &decls[i]->u.record.fields, &c->records[k++]);
    const ast_decl *input = the_only(c, DECL_INPUT), *output = the_only(c, DECL_OUTPUT);
    if (!input || !output) {
        if (diags->errors == errors_before)
            diag_report(diags, DIAG_ERROR, file->version_at, "declare `input NAME` with its fields and an `output` block",
                        "this version has no %s declaration", input ? "output" : "input");
        return NULL;
    }
    p->input.name = input->name;
    p->input.at = input->name_at;
    if (!compile_fields(c, &input->u.record.fields, &p->input))
        return NULL;
    long sel = input->u.record.selector.name ? field_index(&p->input, input->u.record.selector.name) : -1;
    if (sel < 0 || p->input.fields[sel].type.kind != VT_DATE || !p->input.fields[sel].required) {
        error_at(c, input->u.record.selector.name ? input->u.record.selector.at : input->name_at,
                 "add `select version by FIELD` naming a required date field", "the input does not say which date picks the rule version", 0, 0, 0);
        return NULL;
    }
    p->selector = (size_t)sel;
    /* Tables. */
    for (size_t i = 0; i < count; i++)
        if (decls[i]->kind == DECL_TABLE && compile_table(c, decls[i], &c->tables[c->table_count]))
            c->table_count++;
        else if (decls[i]->kind == DECL_TABLE)
            note_failed(c, decls[i]->name);
    /* Values: consts and the targets of rules, global or per item. */
    for (size_t i = 0; i < count; i++) {
        const ast_decl *d = decls[i];
        if (d->kind == DECL_CONST) {
            if (find_value(p->globals, p->global_count, d->name) || field_index(&p->input, d->name) >= 0) {
                error_at(c, d->name_at, NULL, "'%s' is already the name of a value or input field", d->name, 0, 0);
                continue;
            }
            ir_value *v = new_value(c, d->name);
            if (!v || !add_to(c, &p->globals, &p->global_count, v))
                return NULL;
            v->slot = p->global_count - 1;
            v->constant = d;
        } else if (d->kind == DECL_RULE) {
            if (!d->u.rule.value) {
                /* Where the definition belongs: after the rule's last condition or `let`. */
                uint32_t after = d->name_at.end;
                if (d->u.rule.for_each.name && d->u.rule.for_each.at.end > after)
                    after = d->u.rule.for_each.at.end;
                if (d->u.rule.when && d->u.rule.when->at.end > after)
                    after = d->u.rule.when->at.end;
                for (size_t k = 0; k < d->u.rule.let_count; k++)
                    if (d->u.rule.lets[k].value && d->u.rule.lets[k].value->at.end > after)
                        after = d->u.rule.lets[k].value->at.end;
                diag_report_full(diags, DIAG_ERROR, (loc){d->at.file, after, after},
                                 "a rule ends with a line `NAME = expression`", d->name_at, "the rule starts here",
                                 "rule '%s' ends without defining a value", d->name);
                continue;
            }
            ir_record *rec = NULL;
            if (d->u.rule.for_each.name) {
                rec = (ir_record *)find_record(c, d->u.rule.for_each.name);
                if (!rec) {
                    error_at(c, d->u.rule.for_each.at, NULL, "unknown record '%s'", d->u.rule.for_each.name, 0, 0);
                    note_failed(c, d->u.rule.target.name);
                    continue;
                }
            }
            const char *target = d->u.rule.target.name;
            ir_value ***list = rec ? &rec->attrs : &p->globals;
            size_t *n = rec ? &rec->attr_count : &p->global_count;
            if ((rec ? field_index(rec, target) : field_index(&p->input, target)) >= 0) {
                error_at(c, d->u.rule.target.at, NULL, "'%s' is an input field; rules cannot redefine it", target, 0, 0);
                continue;
            }
            ir_value *v = find_value(*list, *n, target);
            if (v && v->constant) {
                error_at(c, d->u.rule.target.at, NULL, "'%s' is a constant; rules cannot redefine it", target, 0, 0);
                continue;
            }
            if (!v) {
                v = new_value(c, target);
                if (!v || !add_to(c, list, n, v))
                    return NULL;
                v->slot = *n - 1;
                v->item = rec;
            }
            ir_rule *r = alloc_line(c, 1, sizeof *r);
            if (!r || !add_rule(c, v, r))
                return NULL;
            r->decl = d;
            r->index = p->rule_count;
            p->rules[p->rule_count++] = r;
            for (size_t k = 0; k < r->index; k++)
                if (strcmp(p->rules[k]->decl->name, d->name) == 0)
                    diag_report_note(diags, DIAG_ERROR, d->name_at, p->rules[k]->decl->name_at, "the other is here",
                                     "two rules have the id '%s'", d->name);
        }
    }
    if (c->oom)
        return NULL;
    for (size_t i = 0; i < p->global_count; i++)
        compile_value(c, p->globals[i], p->globals[i]->constant ? p->globals[i]->constant->name_at
                                                                : p->globals[i]->rules[0]->decl->name_at);
    for (size_t r = 0; r < c->record_count; r++)
        for (size_t i = 0; i < c->records[r].attr_count; i++)
            compile_value(c, c->records[r].attrs[i], c->records[r].attrs[i]->rules[0]->decl->name_at);
    compile_explanations(c);
    for (size_t i = 0; i < count; i++) {
        const ast_decl *d = decls[i];
        if (d->kind != DECL_CHECK)
            continue;
        ir_check *k = &p->checks[p->check_count];
        k->decl = d;
        k->message = d->u.check.message;
        k->field = d->u.check.field.name;
        if (!d->u.check.require || !k->field) {
            error_at(c, d->name_at, "write `require CONDITION otherwise reject FIELD \"message\"`",
                     "check '%s' is incomplete", d->name, 0, 0);
            continue;
        }
        k->require = expect(c, compile_expr(c, d->u.check.require), VT_BOOL, "a check's condition");
        if (field_index(&p->input, k->field) < 0) {
            error_at(c, d->u.check.field.at, NULL, "'%s' is not an input field", k->field, 0, 0);
            continue;
        }
        if (k->require)
            p->check_count++;
    }
    compile_output(c, output);
    if (c->oom) {
        diag_report(diags, DIAG_ERROR, file->version_at, NULL, "out of memory while checking");
        return NULL;
    }
    size_t max_lets = 0;
    for (size_t i = 0; i < p->rule_count; i++) {
        if (p->rules[i]->let_count > max_lets)
            max_lets = p->rules[i]->let_count;
        if (p->rules[i]->let_count)
            p->rules[i]->target->has_lets = true;
        if (diags->errors == errors_before) /* a condition with errors may lack operands */
            compile_tests(c, p->rules[i]);
    }
    p->checks_in_place = true;
    for (size_t i = 0; i < p->check_count && diags->errors == errors_before; i++) {
        p->checks[i].tests = compile_conjuncts(c, p->checks[i].require, &p->checks[i].test_count);
        compile_wheres(c, p->checks[i].require);
        for (size_t k = 0; k < p->checks[i].test_count && p->checks[i].tests; k++)
            if (p->checks[i].tests[k].kind == IR_TEST_EXPR || p->checks[i].tests[k].kind == IR_TEST_VALUE)
                p->checks_in_place = false;
    }
    /* Each value once: from its first rule. */
    for (size_t i = 0; i < p->rule_count && diags->errors == errors_before; i++)
        if (p->rules[i]->target->rules[0] == p->rules[i]) {
            compile_dispatch(c, p->rules[i]->target);
            compile_flows(c, p->rules[i]->target);
        }
    if (c->oom) {
        diag_report(diags, DIAG_ERROR, file->version_at, NULL, "out of memory while checking");
        return NULL;
    }
    p->max_lets = max_lets;
    if (diags->errors == errors_before)
        share_of_inputs(c, p);
    if (diags->errors == errors_before)
        compile_bounds(c, p);
    if (c->oom) {
        diag_report(diags, DIAG_ERROR, file->version_at, NULL, "out of memory while checking");
        return NULL;
    }
    if (diags->errors == errors_before)
        lint_program(diags, p); /* rules that can never fire, conditions always true, ... */
    return diags->errors == errors_before ? p : NULL;
}
