/*
 * Static checks of rule files (see lint.h): what still compiles but cannot be
 * what the author meant. The checker and the loader call in through one-line
 * hooks at four points: a version's declarations before they compile, each
 * compiled table, each compiled version, and the whole ruleset.
 *
 * Conditions are judged by interval reasoning: every comparison of a field
 * (or any other expression, recognised by its structure) with a constant
 * narrows what that expression can be, starting from the range its
 * declaration allows (`field minutes_per_week: weekly in 0 .. 10080`); `and`
 * and `or` are searched case by case. The reasoning over-approximates what is
 * possible, so "never" and "always" are only ever claimed when they hold;
 * anything it cannot follow (two fields compared, arithmetic, a search too
 * long) counts as possible.
 */
#include "lint.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "exact.h"
#include "ruleset.h"

/* Scratch memory of a pass, freed when the pass ends; through the arena's
 * hook, so the allocation-failure tests reach it. Zeroed; NULL on overflow. */
static void *scratch(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    void *p = arena_sys_malloc(bytes > 0 ? bytes : 1);
    if (p)
        memset(p, 0, bytes);
    return p;
}

bool lint_names_has(const lint_names *names, const char *name)
{
    for (size_t i = 0; names && i < names->count; i++)
        if (strcmp(names->items[i], name) == 0)
            return true;
    return false;
}

/* ---- Values as a rule file writes them ---- */

static bool is_ordered(vtype t)
{
    return t.kind <= VT_DATE;
}

static void format_minutes(int64_t v, const char *per, char out[64])
{
    const char *sign = v < 0 ? "-" : "";
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    unsigned long long h = m / 60, rest = m % 60;
    if (h && rest)
        snprintf(out, 64, "%s%llu h %llu min%s", sign, h, rest, per);
    else if (h)
        snprintf(out, 64, "%s%llu h%s", sign, h, per);
    else
        snprintf(out, 64, "%s%llu min%s", sign, rest, per);
}

void lint_format_value(vtype t, int64_t v, char out[64])
{
    switch (t.kind) {
    case VT_DECIMAL: ex_format_decimal(v, out); return;
    case VT_DURATION: format_minutes(v, "", out); return;
    case VT_WEEKLY: format_minutes(v, "/week", out); return;
    case VT_YEARS: snprintf(out, 64, "%lld years", (long long)v); return;
    case VT_MONEY: {
        uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        if (m % 100)
            snprintf(out, 64, "%s%llu.%02llu kr", v < 0 ? "-" : "", (unsigned long long)(m / 100),
                     (unsigned long long)(m % 100));
        else
            snprintf(out, 64, "%s%llu kr", v < 0 ? "-" : "", (unsigned long long)(m / 100));
        return;
    }
    case VT_DATE: {
        char d[11];
        cal_format((cal_day)v, d);
        snprintf(out, 64, "%s", d);
        return;
    }
    case VT_BOOL: snprintf(out, 64, "%s", v ? "true" : "false"); return;
    case VT_ENUM:
        if (t.en && v >= 0 && (size_t)v < t.en->count) {
            snprintf(out, 64, "%s", t.en->members[v]);
            return;
        }
        break;
    default: break;
    }
    snprintf(out, 64, "%lld", (long long)v);
}

/* "LO .. HI", "LO ..", ".. HI" or a single value, as a table row writes it. */
static void format_range(vtype t, bool has_low, int64_t low, bool has_high, int64_t high, char out[160])
{
    char a[64] = "", b[64] = "";
    if (has_low)
        lint_format_value(t, low, a);
    if (has_high)
        lint_format_value(t, high, b);
    if (has_low && has_high && low == high)
        snprintf(out, 160, "%s", a);
    else
        snprintf(out, 160, "%s%s..%s%s", a, has_low ? " " : "", has_high ? " " : "", b);
}

/* ---- A version's declarations, before they compile ---- */

typedef struct name_use {
    const char *name;
    loc at;        /* the first use, or the declaration */
    unsigned uses;
    const char *what; /* for a declaration: what it declares */
    bool owned;    /* name was allocated here (a hole of a sentence) */
} name_use;

/* Names in the order first seen, with a hash index (slots hold item + 1) so
 * that a rule file with very many names is still read in linear time. */
typedef struct name_list {
    name_use *items;
    size_t count, cap;
    size_t *slots;
    size_t slot_count;
    bool oom;
} name_list;

/* Eight bytes a multiply, the high bits folded into the low ones that pick
 * the slot: a ruleset's names are hashed some ten thousand times at load. */
static size_t name_hash(const char *name)
{
    size_t n = strlen(name);
    uint64_t h = n, w;
    for (; n >= 8; n -= 8, name += 8) {
        memcpy(&w, name, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15u;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, name, n);
    h = (h ^ w) * 0x9e3779b97f4a7c15u;
    return (size_t)(h ^ (h >> 29));
}

/* `name` in the list, by its hash `h` (name_hash). */
static name_use *find_hashed(const name_list *l, const char *name, size_t h)
{
    if (!l->slot_count)
        return NULL;
    for (size_t k = h & (l->slot_count - 1); l->slots[k]; k = (k + 1) & (l->slot_count - 1))
        if (strcmp(l->items[l->slots[k] - 1].name, name) == 0)
            return &l->items[l->slots[k] - 1];
    return NULL;
}

static name_use *find_name(const name_list *l, const char *name)
{
    return find_hashed(l, name, name_hash(name));
}

static bool index_names(name_list *l)
{
    size_t n = l->slot_count ? l->slot_count * 2 : 128;
    size_t *slots = scratch(n, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < l->count; i++) {
        size_t k = name_hash(l->items[i].name) & (n - 1);
        while (slots[k])
            k = (k + 1) & (n - 1);
        slots[k] = i + 1;
    }
    free(l->slots);
    l->slots = slots;
    l->slot_count = n;
    return true;
}

static void add_name(name_list *l, const char *name, loc at, const char *what)
{
    if (!name || l->oom)
        return;
    size_t h = name_hash(name);
    name_use *u = find_hashed(l, name, h);
    if (u) {
        u->uses++;
        return;
    }
    if (l->count == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        name_use *n = scratch(ncap, sizeof *n);
        if (!n) {
            l->oom = true;
            return;
        }
        if (l->count)
            memcpy(n, l->items, l->count * sizeof *n);
        free(l->items);
        l->items = n;
        l->cap = ncap;
    }
    if ((l->count + 1) * 2 > l->slot_count && !index_names(l)) {
        l->oom = true;
        return;
    }
    l->items[l->count] = (name_use){name, at, 1, what, false};
    size_t k = h & (l->slot_count - 1);
    while (l->slots[k])
        k = (k + 1) & (l->slot_count - 1);
    l->slots[k] = ++l->count;
}

/* Every name an expression refers to. Depth is bounded by the parser's. */
static void uses_in(name_list *uses, const ast_expr *e)
{
    if (!e)
        return;
    switch (e->kind) {
    case EXPR_NAME: add_name(uses, e->u.name, e->at, NULL); break;
    case EXPR_MEMBER: uses_in(uses, e->u.member.object); break;
    case EXPR_CALL:
        add_name(uses, e->u.call.name, e->at, NULL);
        for (size_t i = 0; i < e->u.call.args.count; i++)
            uses_in(uses, e->u.call.args.items[i]);
        break;
    case EXPR_AGGREGATE:
        add_name(uses, e->u.aggregate.list, e->u.aggregate.list_at, NULL);
        uses_in(uses, e->u.aggregate.body);
        uses_in(uses, e->u.aggregate.where);
        break;
    case EXPR_IF:
        uses_in(uses, e->u.if_.cond);
        uses_in(uses, e->u.if_.then_branch);
        uses_in(uses, e->u.if_.else_branch);
        break;
    case EXPR_IN:
        uses_in(uses, e->u.in.needle);
        for (size_t i = 0; i < e->u.in.set.count; i++)
            uses_in(uses, e->u.in.set.items[i]);
        break;
    case EXPR_NOT:
    case EXPR_NEG: uses_in(uses, e->u.operand); break;
    case EXPR_BINARY:
        uses_in(uses, e->u.binary.left);
        uses_in(uses, e->u.binary.right);
        break;
    default: break;
    }
}

/* The {name} holes of `explain` sentences refer to names as expressions do. */
static void sentence_uses(name_list *uses, const ast_sentences *texts)
{
    for (size_t i = 0; i < texts->count; i++) {
        const ast_sentence *t = &texts->items[i];
        const src_file *f = t->at.file;
        if (!f)
            continue;
        uint32_t stop = t->at.end < f->len ? t->at.end : (uint32_t)f->len;
        for (uint32_t k = t->at.start; k < stop; k++) {
            const char *brace = memchr(f->text + k, '{', stop - k);
            if (!brace)
                break;
            k = (uint32_t)(brace - f->text);
            if (k + 1 < t->at.end && f->text[k + 1] == '{') {
                k++;
                continue;
            }
            uint32_t end = k + 1;
            while (end < t->at.end && (f->text[end] == '_' || (f->text[end] >= 'a' && f->text[end] <= 'z') ||
                                      (f->text[end] >= 'A' && f->text[end] <= 'Z') || (f->text[end] >= '0' && f->text[end] <= '9')))
                end++;
            if (end == k + 1 || end >= t->at.end || f->text[end] != '}')
                continue;
            char *name = scratch(end - k, 1);
            if (!name) {
                uses->oom = true;
                return;
            }
            memcpy(name, f->text + k + 1, end - k - 1);
            name[end - k - 1] = '\0';
            name_use *u = find_name(uses, name);
            if (u) {
                u->uses++;
                free(name);
            } else {
                add_name(uses, name, (loc){f, k, end + 1}, NULL);
                if (!uses->oom)
                    uses->items[uses->count - 1].owned = true;
                else
                    free(name);
            }
            k = end;
        }
    }
}

static void field_uses(name_list *uses, const ast_field *f)
{
    add_name(uses, f->type.name, f->type.at, NULL);
    uses_in(uses, f->fallback);
}

static const char *const builtin_type_names[] = {"bool", "int", "integer", "decimal", "money", "duration",
                                                 "weekly", "years", "date", "text"};

/* Names a version declares, and which of them a misspelling can hide behind. */
static void collect(ast_decl *const *decls, size_t count, name_list *declared, name_list *uses)
{
    for (size_t i = 0; i < BI_COUNT_; i++)
        add_name(declared, ir_builtin_text[i], (loc){0}, NULL);
    for (size_t i = 0; i < sizeof builtin_type_names / sizeof *builtin_type_names; i++)
        add_name(declared, builtin_type_names[i], (loc){0}, NULL);
    for (size_t i = 0; i < count; i++) {
        const ast_decl *d = decls[i];
        switch (d->kind) {
        case DECL_ENUM:
            add_name(declared, d->name, d->name_at, NULL);
            for (size_t k = 0; k < d->u.members.count; k++)
                add_name(declared, d->u.members.items[k].name, d->u.members.items[k].at, "the enum value");
            break;
        case DECL_RECORD:
        case DECL_INPUT:
            add_name(declared, d->name, d->name_at, NULL);
            for (size_t k = 0; k < d->u.record.fields.count; k++) {
                const ast_field *f = d->u.record.fields.items[k];
                add_name(declared, f->name, f->at, d->kind == DECL_INPUT ? "the input field" : "the field");
                field_uses(uses, f);
            }
            add_name(uses, d->u.record.selector.name, d->u.record.selector.at, NULL);
            break;
        case DECL_OUTPUT:
            add_name(uses, d->u.output.key.name, d->u.output.key.at, NULL);
            for (size_t k = 0; k < d->u.output.results.count; k++) {
                const ast_field *f = d->u.output.results.items[k];
                add_name(uses, f->name, f->at, NULL);
                field_uses(uses, f);
            }
            break;
        case DECL_CONST:
            add_name(declared, d->name, d->name_at, "the constant");
            uses_in(uses, d->u.value);
            sentence_uses(uses, &d->explain);
            break;
        case DECL_TABLE:
            add_name(declared, d->name, d->name_at, "the table");
            if (d->u.table.key)
                field_uses(uses, d->u.table.key);
            for (size_t k = 0; k < d->u.table.columns.count; k++)
                field_uses(uses, d->u.table.columns.items[k]);
            break;
        case DECL_RULE:
            add_name(declared, d->u.rule.target.name, d->u.rule.target.at, "the value");
            for (size_t k = 0; k < d->u.rule.let_count; k++) {
                add_name(declared, d->u.rule.lets[k].name, d->u.rule.lets[k].at, NULL);
                uses_in(uses, d->u.rule.lets[k].value);
            }
            add_name(uses, d->u.rule.for_each.name, d->u.rule.for_each.at, NULL);
            uses_in(uses, d->u.rule.when);
            uses_in(uses, d->u.rule.value);
            sentence_uses(uses, &d->explain);
            sentence_uses(uses, &d->explain_not);
            break;
        case DECL_CHECK:
            uses_in(uses, d->u.check.require);
            add_name(uses, d->u.check.field.name, d->u.check.field.at, NULL);
            break;
        }
    }
}

bool lint_declarations(arena *a, diag_sink *diags, ast_decl *const *decls, size_t count, lint_names *quiet)
{
    bool ok = true;
    for (size_t i = 0; i < count; i++)
        if (decls[i]->kind == DECL_RECORD && decls[i]->u.record.fields.count == 0) {
            diag_report(diags, DIAG_ERROR, decls[i]->name_at, "list its fields on the lines after it: `field NAME: TYPE`",
                        "record '%s' has no fields", decls[i]->name);
            ok = false;
        }
    name_list declared = {0}, uses = {0};
    collect(decls, count, &declared, &uses);
    const char **unused = scratch(declared.count, sizeof *unused);
    size_t n_unused = 0;
    for (size_t i = 0; unused && i < declared.count; i++)
        if (declared.items[i].what && !find_name(&uses, declared.items[i].name))
            unused[n_unused++] = declared.items[i].name;
    /* A name used in several places that nothing declares, near a declared
     * name nothing uses: one misspelt declaration, not many misspelt uses. */
    for (size_t i = 0; unused && !declared.oom && !uses.oom && i < uses.count; i++) {
        const name_use *u = &uses.items[i];
        if (u->uses < 2 || find_name(&declared, u->name))
            continue;
        const char *near = diag_nearest(u->name, unused, n_unused);
        name_use *d = near ? find_name(&declared, near) : NULL;
        if (!d)
            continue;
        const char **grown = arena_alloc(a, (quiet->count + 1) * sizeof *grown);
        const char *kept = arena_strndup(a, u->name, strlen(u->name));
        if (!grown || !kept)
            break;
        if (quiet->count)
            memcpy(grown, quiet->items, quiet->count * sizeof *grown);
        grown[quiet->count++] = kept;
        quiet->items = grown;
        char hint[256];
        snprintf(hint, sizeof hint, "if '%s' is misspelt here, write '%s'", d->name, u->name);
        diag_report_full(diags, DIAG_ERROR, d->at, hint, u->at, "it is used here, and in other places",
                         "%s '%s' is never used, while '%s', which nothing declares, is used %u times",
                         d->what, d->name, u->name, u->uses);
        ok = false;
    }
    free(unused);
    free(declared.items);
    free(declared.slots);
    free(uses.slots);
    for (size_t i = 0; i < uses.count; i++)
        if (uses.items[i].owned)
            free((char *)uses.items[i].name);
    free(uses.items);
    return ok;
}

/* ---- Tables ---- */

static const char *row_kind_hint(const ir_table *t)
{
    return t->otherwise ? "such keys get the `otherwise` row; add a row for them if that is not meant"
                        : "such keys end in the table's `otherwise error`; add a row for them, or widen a neighbouring row";
}

/* A literal bound of a declared key range, in the key's representation. */
static bool bound_value(const ast_expr *e, vtype t, int64_t *out)
{
    bool negative = false;
    if (e && e->kind == EXPR_NEG) {
        negative = true;
        e = e->u.operand;
    }
    if (!e || e->kind != EXPR_NUMBER)
        return false;
    int64_t v = e->u.number.value;
    if ((vt_kind)e->u.number.unit == t.kind)
        ;
    else if (t.kind == VT_DECIMAL && e->u.number.unit == LIT_INT) {
        if (!ex_mul(v, EX_SCALE, &v))
            return false;
    } else if (!(e->u.number.unit == LIT_INT && t.kind >= VT_DURATION && t.kind <= VT_MONEY))
        return false;
    *out = negative ? -v : v;
    return true;
}

static int compare_rows(const void *a, const void *b)
{
    const ir_row *x = *(const ir_row *const *)a, *y = *(const ir_row *const *)b;
    if (x->has_low != y->has_low)
        return x->has_low ? 1 : -1;
    if (!x->has_low)
        return 0;
    return (x->low > y->low) - (x->low < y->low);
}

bool lint_table(diag_sink *diags, const ir_table *t)
{
    bool ok = true;
    vtype kt = t->key_type;
    char a[160], b[160];
    /* Overlaps: every later row against every earlier one, naming both. */
    for (size_t i = 0; i < t->row_count; i++) {
        const ir_row *row = &t->rows[i];
        for (size_t k = 0; k < i; k++) {
            const ir_row *o = &t->rows[k];
            bool apart = (row->has_high && o->has_low && row->high < o->low) || (row->has_low && o->has_high && o->high < row->low);
            if (apart)
                continue;
            bool lo = row->has_low || o->has_low, hi = row->has_high || o->has_high;
            int64_t from = !row->has_low ? o->low : !o->has_low ? row->low : row->low > o->low ? row->low : o->low;
            int64_t to = !row->has_high ? o->high : !o->has_high ? row->high : row->high < o->high ? row->high : o->high;
            format_range(kt, lo, from, hi, to, a);
            diag_report_note(diags, DIAG_ERROR, row->at, o->at, "the earlier row is here",
                             "this row overlaps another row of table '%s': both match %s", t->name, a);
            ok = false;
            break;
        }
    }
    if (!ok || !is_ordered(kt) || t->row_count == 0)
        return ok;
    /* The key's declared range, if any, bounds what can match. */
    const ast_field *key = t->decl->u.table.key;
    int64_t key_low = INT64_MIN, key_high = INT64_MAX;
    bool ranged = key && key->low && key->high && bound_value(key->low, kt, &key_low) &&
                  bound_value(key->high, kt, &key_high) && key_low <= key_high;
    if (!ranged) {
        key_low = INT64_MIN;
        key_high = INT64_MAX;
    }
    const ir_row **sorted = scratch(t->row_count, sizeof *sorted);
    if (!sorted)
        return ok;
    size_t n = 0;
    for (size_t i = 0; i < t->row_count; i++) {
        const ir_row *row = &t->rows[i];
        if ((row->has_high && row->high < key_low) || (row->has_low && row->low > key_high)) {
            format_range(kt, true, key_low, true, key_high, a);
            diag_report(diags, DIAG_WARNING, row->at, "remove the row, or widen the range declared for the key",
                        "this row can never match: the key '%s' is declared in %s", key->name, a);
            continue;
        }
        sorted[n++] = row;
    }
    qsort(sorted, n, sizeof *sorted, compare_rows);
    /* Gaps: between neighbours in key order, and at the ends of a declared range. */
    bool covered = n > 0;
    const ir_row *before = NULL;
    int64_t reached = key_low; /* every key below this is covered (or outside the range) */
    bool open_below = !ranged;
    for (size_t i = 0; i < n; i++) {
        const ir_row *row = sorted[i];
        int64_t low = row->has_low ? row->low : INT64_MIN;
        bool gap = before ? low > reached : (open_below ? row->has_low : low > key_low);
        if (gap && before) {
            format_range(kt, true, reached, true, low - 1, a);
            diag_report_full(diags, DIAG_WARNING, row->at, row_kind_hint(t), before->at, "the row before the gap",
                             "no row of table '%s' matches %s, between this row and the one before", t->name, a);
            covered = false;
        } else if (gap && ranged) {
            format_range(kt, true, key_low, true, low - 1, a);
            diag_report(diags, DIAG_WARNING, row->at, row_kind_hint(t),
                        "no row of table '%s' matches %s, below this row", t->name, a);
            covered = false;
        } else if (gap)
            covered = false;
        if (!row->has_high || row->high >= key_high) {
            reached = key_high;
            before = row;
            break;
        }
        reached = row->high + 1;
        before = row;
        if (i + 1 == n) {
            if (ranged) {
                format_range(kt, true, reached, true, key_high, a);
                diag_report(diags, DIAG_WARNING, row->at, row_kind_hint(t),
                            "no row of table '%s' matches %s, above this row", t->name, a);
            }
            covered = false;
        }
    }
    if (covered && t->otherwise) {
        snprintf(b, sizeof b, "%s", ranged ? "the key's declared range" : "every key");
        diag_report(diags, DIAG_WARNING, t->otherwise->at, "remove the `otherwise` row",
                    "the `otherwise` row of table '%s' can never match: the rows cover %s", t->name, b);
    }
    free(sorted);
    return ok;
}

/* ---- Conditions: interval reasoning ---- */

enum { MAX_VARS = 32, MAX_GOALS = 48, MAX_DEPTH = 24, BUDGET = 4096 };

typedef struct dom {
    int64_t lo, hi;     /* ordered kinds: inclusive */
    uint64_t set;       /* enum and bool: bit k set when member k is still possible */
    bool is_set;
} dom;

typedef struct var {
    const ir_expr *x;   /* the expression, recognised by structure */
    dom d;
    const ir_field *field;  /* the field whose declared range it starts from, if any */
} var;

typedef struct env {
    var v[MAX_VARS];
    size_t n;
} env;

typedef struct goal {
    const ir_expr *x;
    bool want;
} goal;

typedef struct solver {
    const ir_program *p;
    const ir_record *item;  /* the record IR_ITEM_FIELD indexes */
    bool use_ranges;
    int steps;
    bool gave_up;
    const ir_field *culprit; /* a declared field whose range emptied last */
} solver;

static bool same_expr(const ir_expr *a, const ir_expr *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->op != b->op || a->sub != b->sub || a->type.kind != b->type.kind || a->index != b->index ||
        a->target != b->target || a->table != b->table || a->arg_count != b->arg_count)
        return false;
    if (a->op == IR_CONST && (a->type.kind == VT_TEXT || a->constant.i != b->constant.i))
        return false;
    if (!same_expr(a->a, b->a) || !same_expr(a->b, b->b) || !same_expr(a->c, b->c))
        return false;
    for (size_t i = 0; i < a->arg_count; i++)
        if (!same_expr(a->args[i], b->args[i]))
            return false;
    return true;
}

/* A constant, folding `const` declarations and negation. */
static bool constant_of(const ir_expr *x, int64_t *out, int depth)
{
    if (!x || depth > 16)
        return false;
    switch (x->op) {
    case IR_CONST:
        if (x->type.kind == VT_TEXT)
            return false;
        *out = x->constant.i;
        return true;
    case IR_VALUE:
        return x->target && x->target->constant && constant_of(x->target->constant_value, out, depth + 1);
    case IR_NEG:
        if (constant_of(x->a, out, depth + 1) && *out != INT64_MIN) {
            *out = -*out;
            return true;
        }
        return false;
    default: return false;
    }
}

static dom full_domain(vtype t)
{
    dom d = {.lo = INT64_MIN, .hi = INT64_MAX};
    if (t.kind == VT_BOOL) {
        d.is_set = true;
        d.set = 3;
    } else if (t.kind == VT_ENUM) {
        d.is_set = true;
        d.set = t.en && t.en->count < 64 ? ((uint64_t)1 << t.en->count) - 1 : ~(uint64_t)0;
    }
    return d;
}

static var *var_of(solver *s, env *e, const ir_expr *x)
{
    for (size_t i = 0; i < e->n; i++)
        if (same_expr(e->v[i].x, x))
            return &e->v[i];
    if (e->n == MAX_VARS)
        return NULL;
    var *v = &e->v[e->n++];
    *v = (var){.x = x, .d = full_domain(x->type)};
    const ir_field *f = NULL;
    if (x->op == IR_INPUT && x->index < s->p->input.field_count)
        f = &s->p->input.fields[x->index];
    else if (x->op == IR_ITEM_FIELD && s->item && x->index < s->item->field_count)
        f = &s->item->fields[x->index];
    if (f && f->has_range && s->use_ranges && is_ordered(x->type)) {
        v->d.lo = f->low;
        v->d.hi = f->high;
        v->field = f;
    }
    if (x->op == IR_AGGREGATE && x->sub == AGG_COUNT)
        v->d.lo = 0;
    return v;
}

static bool empty(const dom *d)
{
    return d->is_set ? d->set == 0 : d->lo > d->hi;
}

/* Narrows `v` by `v OP c`; false when nothing is left. */
static bool narrow(solver *s, var *v, ast_binop op, int64_t c)
{
    dom *d = &v->d;
    if (d->is_set) {
        if (c < 0 || c >= 64)
            return true; /* a member past the 64 tracked: not followed */
        uint64_t bit = (uint64_t)1 << c;
        if (op == OP_EQ)
            d->set &= bit;
        else if (op == OP_NE)
            d->set &= ~bit;
    } else {
        switch (op) {
        case OP_EQ:
            if (c > d->lo)
                d->lo = c;
            if (c < d->hi)
                d->hi = c;
            if (d->lo != c || d->hi != c)
                d->lo = 1, d->hi = 0;
            break;
        case OP_NE:
            if (d->lo == c && d->hi == c)
                d->lo = 1, d->hi = 0;
            else if (d->lo == c)
                d->lo++;
            else if (d->hi == c)
                d->hi--;
            break;
        case OP_LT:
            if (c == INT64_MIN)
                d->lo = 1, d->hi = 0;
            else if (c - 1 < d->hi)
                d->hi = c - 1;
            break;
        case OP_LE:
            if (c < d->hi)
                d->hi = c;
            break;
        case OP_GT:
            if (c == INT64_MAX)
                d->lo = 1, d->hi = 0;
            else if (c + 1 > d->lo)
                d->lo = c + 1;
            break;
        case OP_GE:
            if (c > d->lo)
                d->lo = c;
            break;
        default: break;
        }
    }
    if (empty(d)) {
        if (v->field)
            s->culprit = v->field;
        return false;
    }
    return true;
}

static ast_binop negated(ast_binop op)
{
    switch (op) {
    case OP_EQ: return OP_NE;
    case OP_NE: return OP_EQ;
    case OP_LT: return OP_GE;
    case OP_LE: return OP_GT;
    case OP_GT: return OP_LE;
    case OP_GE: return OP_LT;
    default: return op;
    }
}

static ast_binop mirrored(ast_binop op)
{
    switch (op) {
    case OP_LT: return OP_GT;
    case OP_LE: return OP_GE;
    case OP_GT: return OP_LT;
    case OP_GE: return OP_LE;
    default: return op;
    }
}

/* A constant `c` of type `ct` in the representation of `vt`, as the evaluator compares them. */
static bool convert(vtype vt, vtype ct, int64_t *c)
{
    if (vt.kind == ct.kind)
        return vt.kind != VT_TEXT;
    if (vt.kind == VT_DECIMAL && ct.kind == VT_INT)
        return ex_mul(*c, EX_SCALE, c);
    return false;
}

/* Records what `x` being `want` says; false when that cannot be. */
static bool assume(solver *s, env *e, const ir_expr *x, bool want)
{
    if (x->op == IR_COMPARE) {
        ast_binop op = (ast_binop)x->sub;
        int64_t c;
        const ir_expr *side = NULL;
        vtype ct;
        if (constant_of(x->b, &c, 0) && !constant_of(x->a, &(int64_t){0}, 0)) {
            side = x->a;
            ct = x->b->type;
        } else if (constant_of(x->a, &c, 0) && !constant_of(x->b, &(int64_t){0}, 0)) {
            side = x->b;
            ct = x->a->type;
            op = mirrored(op);
        }
        if (side && convert(side->type, ct, &c)) {
            var *v = var_of(s, e, side);
            return !v || narrow(s, v, want ? op : negated(op), c);
        }
        /* Otherwise the comparison as a whole is a fact that holds or not. */
    }
    if (x->op == IR_IN) {
        var *v = x->a && x->a->type.kind != VT_TEXT ? var_of(s, e, x->a) : NULL;
        if (!v)
            return true;
        uint64_t mask = 0;
        int64_t lo = INT64_MAX, hi = INT64_MIN;
        bool inside = false;
        for (size_t i = 0; i < x->arg_count; i++) {
            int64_t c;
            if (!constant_of(x->args[i], &c, 0) || !convert(x->a->type, x->args[i]->type, &c))
                return true;
            if (v->d.is_set && (c < 0 || c >= 64))
                return true;
            mask |= v->d.is_set ? (uint64_t)1 << c : 0;
            lo = c < lo ? c : lo;
            hi = c > hi ? c : hi;
            inside = inside || (c >= v->d.lo && c <= v->d.hi);
        }
        if (v->d.is_set)
            v->d.set &= want ? mask : ~mask;
        else if (want) {
            if (!inside)
                v->d.lo = 1, v->d.hi = 0;
            else {
                v->d.lo = lo > v->d.lo ? lo : v->d.lo;
                v->d.hi = hi < v->d.hi ? hi : v->d.hi;
            }
        } else if (x->arg_count == 1)
            return narrow(s, v, OP_NE, lo);
        if (empty(&v->d)) {
            if (v->field)
                s->culprit = v->field;
            return false;
        }
        return true;
    }
    if (x->type.kind == VT_BOOL) {
        var *v = var_of(s, e, x);
        return !v || narrow(s, v, OP_EQ, want);
    }
    return true;
}

/* True when the goals can all hold together (or the search gave up), in
 * `from` (not changed: each branch of an `or` narrows a copy of its own, of
 * the variables in use only). */
static bool solve(solver *s, const env *from, goal *g, size_t n, int depth)
{
    env e;
    e.n = from->n;
    memcpy(e.v, from->v, from->n * sizeof *e.v);
    while (n > 0) {
        if (++s->steps > BUDGET || depth > MAX_DEPTH) {
            s->gave_up = true;
            return true;
        }
        goal cur = g[--n];
        const ir_expr *x = cur.x;
        int64_t c;
        if (!x) {
            s->gave_up = true;
            return true;
        }
        if (x->type.kind == VT_BOOL && constant_of(x, &c, 0)) {
            if ((c != 0) != cur.want)
                return false;
            continue;
        }
        if (x->op == IR_NOT) {
            g[n++] = (goal){x->a, !cur.want};
            continue;
        }
        if (x->op == IR_AND || x->op == IR_OR) {
            if ((x->op == IR_AND) == cur.want) { /* both must hold */
                if (n + 2 > MAX_GOALS) {
                    s->gave_up = true;
                    return true;
                }
                g[n++] = (goal){x->a, cur.want};
                g[n++] = (goal){x->b, cur.want};
                continue;
            }
            for (int k = 0; k < 2; k++) { /* either will do */
                goal copy[MAX_GOALS];
                memcpy(copy, g, n * sizeof *g);
                copy[n] = (goal){k ? x->b : x->a, cur.want};
                if (solve(s, &e, copy, n + 1, depth + 1))
                    return true;
            }
            return false;
        }
        if (!assume(s, &e, x, cur.want))
            return false;
    }
    return true;
}

typedef enum { MAYBE, NEVER, ALWAYS } verdict;

static bool can_be(solver *s, const ir_expr *x, bool want, const ir_expr *also, bool also_want)
{
    /* Only the goals `n` counts are read: the rest is not zeroed on each of
     * the few hundred calls a ruleset makes at load. */
    static const env none = {.n = 0};
    goal g[MAX_GOALS];
    g[0] = (goal){x, want};
    size_t n = 1;
    if (also)
        g[n++] = (goal){also, also_want};
    return solve(s, &none, g, n, 0);
}

/* Whether `x` is never or always true; `*range` is the declared field whose
 * range decides it, when the verdict rests on one. */
static verdict judge(solver *s, const ir_expr *x, const ir_field **range)
{
    *range = NULL;
    s->use_ranges = true;
    s->steps = 0;
    s->gave_up = false;
    s->culprit = NULL;
    bool t = can_be(s, x, true, NULL, false);
    const ir_field *ct = s->culprit;
    s->culprit = NULL;
    bool f = can_be(s, x, false, NULL, false);
    const ir_field *cf = s->culprit;
    if (s->gave_up || (t && f))
        return MAYBE;
    /* Would it still be decided without the declared ranges? If not, a range decides it. */
    s->use_ranges = false;
    bool bare = can_be(s, x, !t, NULL, false);
    if (bare && !s->gave_up)
        *range = !t ? ct : cf;
    return !t ? NEVER : ALWAYS;
}

static void range_note(const ir_field *f, char out[256])
{
    char a[160];
    format_range(f->type, true, f->low, true, f->high, a);
    snprintf(out, 256, "'%s' is declared in %s here", f->name, a);
}

/* Reports `message` at `at`, with a note at the declared range that decides it. */
static void report_verdict(diag_sink *diags, loc at, const ir_field *range, const char *hint, const char *message)
{
    char note[256];
    if (range) {
        range_note(range, note);
        diag_report_full(diags, DIAG_WARNING, at, hint, range->at, note, "%s", message);
    } else
        diag_report(diags, DIAG_WARNING, at, hint, "%s", message);
}

/* Whose condition is judged, for the messages about it, which are written
 * only when one is reported (most conditions get none). */
typedef enum { WHO_RULE, WHO_CHECK, WHO_WHERE } who_kind;
typedef struct who {
    who_kind kind;
    const char *name;         /* the rule's or the check's */
    const char *next;         /* WHO_RULE: the rule tried after it, or NULL */
} who;

static void who_text(const who *w, char out[160])
{
    switch (w->kind) {
    case WHO_RULE: snprintf(out, 160, "rule '%s'", w->name); break;
    case WHO_CHECK: snprintf(out, 160, "check '%s'", w->name); break;
    case WHO_WHERE: snprintf(out, 160, "the `where` clause"); break;
    }
}

/* What a condition never (or always) true means, cut as the 320 bytes of a message. */
static void verdict_text(const who *w, bool always, char out[320])
{
    switch (w->kind) {
    case WHO_RULE:
        if (!always)
            snprintf(out, 320, "rule '%s' can never fire: its condition is never true", w->name);
        else if (w->next)
            snprintf(out, 320, "the condition of rule '%s' is always true, so rule '%s' after it can never fire",
                     w->name, w->next);
        else
            snprintf(out, 320, "the condition of rule '%s' is always true", w->name);
        break;
    case WHO_CHECK:
        if (!always)
            snprintf(out, 320, "check '%s' rejects every case: its condition is never true", w->name);
        else
            snprintf(out, 320, "check '%s' can never reject a case: its condition is always true", w->name);
        break;
    case WHO_WHERE:
        snprintf(out, 320, "%s",
                 always ? "this `where` condition is always true"
                        : "this `where` condition is never true: nothing in the list is counted");
        break;
    }
}

/* The parts of an `and` (or, for `or`, of an `or`) chain that always hold (never hold) by themselves. */
static void judge_parts(solver *s, diag_sink *diags, const ir_expr *x, ir_op chain, const who *w)
{
    if (!x)
        return;
    if (x->op == chain) {
        judge_parts(s, diags, x->a, chain, w);
        judge_parts(s, diags, x->b, chain, w);
        return;
    }
    const ir_field *range;
    verdict v = judge(s, x, &range);
    char message[320], whose[160];
    if (chain == IR_AND && v == ALWAYS) {
        who_text(w, whose);
        snprintf(message, sizeof message, "this part of the condition of %s is always true", whose);
        report_verdict(diags, x->at, range, "remove it, or check the range declared for its field", message);
    } else if (chain == IR_OR && v == NEVER) {
        who_text(w, whose);
        snprintf(message, sizeof message, "this part of the condition of %s is never true", whose);
        report_verdict(diags, x->at, range, "remove it, or check the range declared for its field", message);
    }
}

/* A condition as a whole, then its parts. Returns the verdict. */
static verdict lint_condition(solver *s, diag_sink *diags, const ir_expr *when, const who *w)
{
    const ir_field *range;
    verdict v = judge(s, when, &range);
    char message[320];
    if (v == NEVER) {
        verdict_text(w, false, message);
        report_verdict(diags, when->at, range, range ? "check the range declared for the field, or the condition"
                                                     : "the parts of the condition contradict each other", message);
    } else if (v == ALWAYS) {
        verdict_text(w, true, message);
        report_verdict(diags, when->at, range, "remove the condition, or check the range declared for its field",
                       message);
    } else if (v == MAYBE) {
        judge_parts(s, diags, when, IR_AND, w);
        judge_parts(s, diags, when, IR_OR, w);
    }
    return v;
}

/* The rules of one value, in the order they are tried. */
static void lint_rules_of(solver *s, diag_sink *diags, const ir_value *v)
{
    s->item = v->item;
    for (size_t k = 0; k < v->rule_count; k++) {
        const ir_rule *r = v->rules[k];
        const char *id = r->decl->name;
        const ir_rule *next = k + 1 < v->rule_count ? v->rules[k + 1] : NULL;
        verdict outcome = ALWAYS;
        if (r->when) {
            who w = {WHO_RULE, id, next ? next->decl->name : NULL};
            outcome = lint_condition(s, diags, r->when, &w);
        } else if (next) {
            char hint[320];
            snprintf(hint, sizeof hint, "give rule '%s' a `when`, or move it after the other rules for '%s'", id, v->name);
            diag_report_full(diags, DIAG_WARNING, r->decl->u.rule.target.at, hint, next->decl->name_at,
                             "that rule is never tried",
                             "rule '%s' has no condition, so rule '%s' after it can never fire", id,
                             next->decl->name);
        }
        if (outcome == ALWAYS)
            return; /* the rules after it are never tried */
    }
    if (!v->rule_count)
        return;
    /* No rule applies unconditionally: is there a case that none fits? */
    static const env none = {.n = 0};
    goal g[MAX_GOALS];
    size_t n = 0;
    for (size_t k = 0; k < v->rule_count && n < MAX_GOALS; k++)
        g[n++] = (goal){v->rules[k]->when, false};
    s->use_ranges = true;
    s->steps = 0;
    s->gave_up = false;
    if (n == v->rule_count && solve(s, &none, g, n, 0) && !s->gave_up) {
        const ir_rule *last = v->rules[v->rule_count - 1];
        char hint[256];
        snprintf(hint, sizeof hint, "end with a rule for '%s' without `when`, as the fallback", v->name);
        diag_report(diags, DIAG_WARNING, last->decl->u.rule.target.at, hint,
                    "no rule gives '%s' a value when the conditions of all its rules are false: such a case ends in an error",
                    v->name);
    }
}

static bool let_used(const ir_expr *x, size_t index)
{
    if (!x)
        return false;
    if (x->op == IR_LET && x->index == index)
        return true;
    if (let_used(x->a, index) || let_used(x->b, index) || let_used(x->c, index))
        return true;
    for (size_t i = 0; i < x->arg_count; i++)
        if (let_used(x->args[i], index))
            return true;
    return false;
}

static bool let_used_in_sentences(const ir_sentence *s, size_t count, size_t index)
{
    for (size_t i = 0; s && i < count; i++)
        for (size_t h = 0; h < s[i].hole_count; h++)
            if (let_used(s[i].holes[h], index))
                return true;
    return false;
}

/* `where` clauses of aggregates anywhere in x. */
static void lint_wheres(solver *s, diag_sink *diags, const ir_expr *x)
{
    if (!x)
        return;
    if (x->op == IR_AGGREGATE && x->b && x->index < s->p->input.field_count) {
        const ir_record *saved = s->item;
        s->item = s->p->input.fields[x->index].type.rec;
        static const who where = {WHO_WHERE, NULL, NULL};
        lint_condition(s, diags, x->b, &where);
        s->item = saved;
    }
    lint_wheres(s, diags, x->a);
    lint_wheres(s, diags, x->b);
    lint_wheres(s, diags, x->c);
    for (size_t i = 0; i < x->arg_count; i++)
        lint_wheres(s, diags, x->args[i]);
}

void lint_program(diag_sink *diags, const ir_program *p)
{
    solver s = {.p = p};
    for (size_t i = 0; i < p->rule_count; i++) {
        const ir_rule *r = p->rules[i];
        if (r->target && r->target->rule_count && r->target->rules[0] == r)
            lint_rules_of(&s, diags, r->target);
    }
    for (size_t i = 0; i < p->rule_count; i++) {
        const ir_rule *r = p->rules[i];
        s.item = r->target ? r->target->item : NULL;
        for (size_t k = 0; k < r->let_count; k++) {
            bool used = let_used(r->when, k) || let_used(r->value, k) ||
                        let_used_in_sentences(r->explain, r->explain_count, k) ||
                        let_used_in_sentences(r->explain_not, r->explain_not_count, k);
            for (size_t j = k + 1; !used && j < r->let_count; j++)
                used = let_used(r->lets[j], k);
            if (!used && k < r->decl->u.rule.let_count)
                diag_report(diags, DIAG_WARNING, r->decl->u.rule.lets[k].at, "remove it, or use it in the rule",
                            "'%s' is computed by `let` but never used in rule '%s'", r->decl->u.rule.lets[k].name,
                            r->decl->name);
        }
        s.item = NULL;
        for (size_t k = 0; k < r->let_count; k++)
            lint_wheres(&s, diags, r->lets[k]);
        lint_wheres(&s, diags, r->when);
        lint_wheres(&s, diags, r->value);
    }
    for (size_t i = 0; i < p->check_count; i++) {
        const ir_check *k = &p->checks[i];
        s.item = NULL;
        who w = {WHO_CHECK, k->decl->name, NULL};
        lint_condition(&s, diags, k->require, &w);
        lint_wheres(&s, diags, k->require);
    }
}

/* ---- Versions ---- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void lint_versions(const struct ruleset *rs, diag_sink *diags)
{
    for (size_t i = 0; i < rs->version_count; i++) {
        const rs_version *v = &rs->versions[i];
        const ast_file *f = v->file;
        const char *name = base_name(f->src->path);
        cal_day named;
        char date[11], file_date[11];
        cal_format(v->date, date);
        if (strlen(name) == 16 && strcmp(name + 10, ".regel") == 0 && cal_parse(name, 10, &named) && named != v->date) {
            snprintf(file_date, sizeof file_date, "%.10s", name);
            diag_report(diags, DIAG_WARNING, f->version_at,
                        "rename the file or correct the date: people find a version by its file name",
                        "this file is named for %s, but its version takes effect on %s", file_date, date);
        }
        if (!f->amends)
            continue;
        /* The version just before this one, if this one amends an older one. */
        const rs_version *between = NULL;
        for (size_t j = 0; j < i; j++)
            if (rs->versions[j].date > f->amended_version && rs->versions[j].date < v->date)
                between = &rs->versions[j];
        bool base_exists = false;
        for (size_t j = 0; j < i; j++)
            base_exists = base_exists || rs->versions[j].date == f->amended_version;
        if (between && base_exists) {
            char amended[11], skipped[11], hint[200];
            cal_format(f->amended_version, amended);
            cal_format(between->date, skipped);
            snprintf(hint, sizeof hint, "amend %s, the version before this one, unless its changes are meant to end", skipped);
            diag_report_full(diags, DIAG_WARNING, f->amends_at, hint, between->file->version_at, "that version is here",
                             "this version amends %s and passes over %s: what %s changed is no longer in force from %s",
                             amended, skipped, skipped, date);
        }
    }
}

void lint_missing_base(const struct ruleset *rs, const struct rs_version *v, diag_sink *diags)
{
    const ast_file *f = v->file;
    char amended[11], date[11], list[256] = "";
    cal_format(f->amended_version, amended);
    cal_format(v->date, date);
    if (f->amended_version == v->date) {
        diag_report(diags, DIAG_ERROR, f->amends_at, "name the earlier version this one changes",
                    "a version cannot amend itself");
        return;
    }
    for (size_t j = 0; j < rs->version_count; j++)
        if (rs->versions[j].date == f->amended_version) {
            diag_report_note(diags, DIAG_ERROR, f->amends_at, rs->versions[j].file->version_at, "that version is here",
                             "this version takes effect on %s and cannot amend %s, which takes effect later", date,
                             amended);
            return;
        }
    for (size_t j = 0; j < rs->version_count && rs->versions[j].date < v->date; j++) {
        char d[11];
        cal_format(rs->versions[j].date, d);
        if (strlen(list) + 16 < sizeof list)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? ", " : "", d);
    }
    char hint[320];
    if (list[0])
        snprintf(hint, sizeof hint, "the earlier versions are %s", list);
    else
        snprintf(hint, sizeof hint, "no version takes effect before this one: remove `amends`");
    diag_report(diags, DIAG_ERROR, f->amends_at, hint, "there is no version dated %s to amend", amended);
}

void lint_missing_amended(const struct rs_version *v, const ast_decl *d, diag_sink *diags)
{
    const char *kind = ast_decl_kind_text[d->kind], *verb = d->amend == AMEND_REPLACE ? "replace" : "remove";
    if (!v->file->amends) {
        diag_report(diags, DIAG_ERROR, d->name_at, "only a file that says `amends DATE` can replace or remove",
                    "there is no %s '%s' to %s: this version amends no other", kind, d->name, verb);
        return;
    }
    char date[11], note[160], hint[200];
    cal_format(v->file->amended_version, date);
    const char **names = scratch(v->decl_count, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < v->decl_count; i++) {
        const ast_decl *e = v->decls[i];
        if (!e->name)
            continue;
        if (strcmp(e->name, d->name) == 0 && e->kind != d->kind) {
            snprintf(note, sizeof note, "'%s' is a %s, declared here", e->name, ast_decl_kind_text[e->kind]);
            snprintf(hint, sizeof hint, "write `%s %s %s`", verb, ast_decl_kind_text[e->kind], e->name);
            diag_report_full(diags, DIAG_ERROR, d->name_at, hint, e->name_at, note,
                             "there is no %s '%s' to %s in version %s", kind, d->name, verb, date);
            free(names);
            return;
        }
        if (names && e->kind == d->kind)
            names[n++] = e->name;
    }
    const char *near = names ? diag_nearest(d->name, names, n) : NULL;
    const ast_decl *found = NULL;
    for (size_t i = 0; near && i < v->decl_count; i++)
        if (v->decls[i]->name == near)
            found = v->decls[i];
    free(names);
    if (found) {
        snprintf(hint, sizeof hint, "did you mean '%s'?", found->name);
        snprintf(note, sizeof note, "'%s' is declared here", found->name);
        diag_report_full(diags, DIAG_ERROR, d->name_at, hint, found->name_at, note,
                         "there is no %s '%s' to %s in version %s", kind, d->name, verb, date);
    } else
        diag_report(diags, DIAG_ERROR, d->name_at, NULL, "there is no %s '%s' to %s in version %s", kind, d->name,
                    verb, date);
}

/* ---- The whole ruleset: what is never used ---- */

typedef struct loc_set {
    loc *items;
    size_t cap, count;
    bool oom;
} loc_set;

static size_t loc_hash(loc at, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)at.file * 1099511628211u ^ at.start;
    h ^= h >> 29;
    return (size_t)(h * 0x9E3779B97F4A7C15u >> 7) & (cap - 1);
}

static void loc_mark(loc_set *s, loc at)
{
    if (!at.file || s->oom)
        return;
    if ((s->count + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 256;
        loc *n = scratch(ncap, sizeof *n);
        if (!n) {
            s->oom = true;
            return;
        }
        for (size_t i = 0; i < s->cap; i++)
            if (s->items[i].file) {
                size_t k = loc_hash(s->items[i], ncap);
                while (n[k].file)
                    k = (k + 1) & (ncap - 1);
                n[k] = s->items[i];
            }
        free(s->items);
        s->items = n;
        s->cap = ncap;
    }
    size_t k = loc_hash(at, s->cap);
    while (s->items[k].file) {
        if (s->items[k].file == at.file && s->items[k].start == at.start)
            return;
        k = (k + 1) & (s->cap - 1);
    }
    s->items[k] = at;
    s->count++;
}

static bool loc_marked(const loc_set *s, loc at)
{
    if (s->oom)
        return true; /* not knowing, say nothing */
    if (!s->cap)
        return false;
    size_t k = loc_hash(at, s->cap);
    while (s->items[k].file) {
        if (s->items[k].file == at.file && s->items[k].start == at.start)
            return true;
        k = (k + 1) & (s->cap - 1);
    }
    return false;
}

/* Where a value is declared: its `const`, or the target of each rule that defines it. */
static void mark_value(loc_set *used, const ir_value *v)
{
    if (!v)
        return;
    if (v->constant)
        loc_mark(used, v->constant->name_at);
    for (size_t i = 0; i < v->rule_count; i++)
        loc_mark(used, v->rules[i]->decl->u.rule.target.at);
}

static bool value_used(const loc_set *used, const ir_value *v)
{
    if (v->constant && loc_marked(used, v->constant->name_at))
        return true;
    for (size_t i = 0; i < v->rule_count; i++)
        if (loc_marked(used, v->rules[i]->decl->u.rule.target.at))
            return true;
    return false;
}

static void mark_uses(loc_set *used, const ir_program *p, const ir_expr *x, const ir_record *item)
{
    if (!x)
        return;
    switch (x->op) {
    case IR_INPUT:
        if (x->index < p->input.field_count)
            loc_mark(used, p->input.fields[x->index].at);
        break;
    case IR_ITEM_FIELD:
        if (item && x->index < item->field_count)
            loc_mark(used, item->fields[x->index].at);
        break;
    case IR_VALUE:
    case IR_ITEM_VALUE: mark_value(used, x->target); break;
    case IR_TABLE:
        if (x->table && x->table->decl)
            loc_mark(used, x->table->decl->name_at);
        break;
    case IR_AGGREGATE:
        if (x->index < p->input.field_count) {
            loc_mark(used, p->input.fields[x->index].at);
            item = p->input.fields[x->index].type.rec;
        }
        break;
    default: break;
    }
    mark_uses(used, p, x->a, item);
    mark_uses(used, p, x->b, item);
    mark_uses(used, p, x->c, item);
    for (size_t i = 0; i < x->arg_count; i++)
        mark_uses(used, p, x->args[i], item);
}

static void mark_sentences(loc_set *used, const ir_program *p, const ir_sentence *s, size_t count, const ir_record *item)
{
    for (size_t i = 0; s && i < count; i++)
        for (size_t h = 0; h < s[i].hole_count; h++)
            mark_uses(used, p, s[i].holes[h], item);
}

static void mark_program(loc_set *used, const ir_program *p)
{
    if (p->input.field_count) {
        loc_mark(used, p->input.fields[p->key].at);
        loc_mark(used, p->input.fields[p->selector].at);
    }
    for (size_t i = 0; i < p->input.field_count; i++)
        if (p->input.fields[i].type.kind == VT_LIST && p->input.fields[i].type.rec)
            loc_mark(used, p->input.fields[i].type.rec->at);
    for (size_t i = 0; i < p->rule_count; i++) {
        const ir_rule *r = p->rules[i];
        const ir_record *item = r->target ? r->target->item : NULL;
        for (size_t k = 0; k < r->let_count; k++)
            mark_uses(used, p, r->lets[k], item);
        mark_uses(used, p, r->when, item);
        mark_uses(used, p, r->value, item);
        mark_sentences(used, p, r->explain, r->explain_count, item);
        mark_sentences(used, p, r->explain_not, r->explain_not_count, item);
    }
    for (size_t i = 0; i < p->global_count; i++)
        mark_uses(used, p, p->globals[i]->constant_value, NULL);
    for (size_t i = 0; i < p->check_count; i++) {
        mark_uses(used, p, p->checks[i].require, NULL);
        for (size_t k = 0; k < p->input.field_count; k++)
            if (p->checks[i].field && strcmp(p->input.fields[k].name, p->checks[i].field) == 0)
                loc_mark(used, p->input.fields[k].at);
    }
    for (size_t i = 0; i < p->result_count; i++)
        mark_value(used, p->results[i].value);
}

static bool is_result(const ir_program *p, const ir_value *v)
{
    for (size_t i = 0; i < p->result_count; i++)
        if (p->results[i].value == v)
            return true;
    return false;
}

static void report_unused_values(diag_sink *diags, const loc_set *used, const ir_program *p, ir_value *const *values,
                                 size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const ir_value *v = values[i];
        if (is_result(p, v) || value_used(used, v))
            continue;
        if (v->constant)
            diag_report(diags, DIAG_WARNING, v->constant->name_at, "remove it, or use it in a rule",
                        "the constant '%s' is never used", v->name);
        else if (v->rule_count)
            diag_report(diags, DIAG_WARNING, v->rules[0]->decl->u.rule.target.at,
                        "use it in a rule or make it a result, or remove the rules that define it",
                        "'%s' is given a value but never used", v->name);
    }
}

static const ast_field *result_field(const rs_version *v, const char *name)
{
    for (size_t i = 0; i < v->decl_count; i++)
        if (v->decls[i]->kind == DECL_OUTPUT)
            for (size_t k = 0; k < v->decls[i]->u.output.results.count; k++)
                if (strcmp(v->decls[i]->u.output.results.items[k]->name, name) == 0)
                    return v->decls[i]->u.output.results.items[k];
    return NULL;
}

static const ast_decl *output_of(const rs_version *v)
{
    for (size_t i = 0; i < v->decl_count; i++)
        if (v->decls[i]->kind == DECL_OUTPUT)
            return v->decls[i];
    return NULL;
}

static bool same_vtype(vtype a, vtype b)
{
    return a.kind == b.kind && (a.kind != VT_ENUM || (a.en && b.en && strcmp(a.en->name, b.en->name) == 0));
}

static const char *vtype_name(vtype t)
{
    return t.kind == VT_ENUM && t.en ? t.en->name : vt_kind_text[t.kind];
}

/* Results from one version to the next: one dropped, or given another type. */
static void lint_results(const rs_version *prev, const rs_version *cur, diag_sink *diags)
{
    const ir_program *a = prev->program, *b = cur->program;
    const ast_decl *out = output_of(cur);
    if (!out || out == output_of(prev))
        return;
    char was[11];
    cal_format(prev->date, was);
    for (size_t i = 0; i < a->result_count; i++) {
        const ir_result *old = &a->results[i];
        const ast_field *old_at = result_field(prev, old->name), *new_at = result_field(cur, old->name);
        const ir_result *now = NULL;
        for (size_t k = 0; k < b->result_count; k++)
            if (strcmp(b->results[k].name, old->name) == 0)
                now = &b->results[k];
        if (!now && old_at)
            diag_report_full(diags, DIAG_WARNING, out->name_at,
                             "a result line keeps its fields from version to version; keep the result, or say why in a comment",
                             old_at->at, "the earlier version declares it here",
                             "this version no longer gives the result '%s', which version %s gives", old->name, was);
        else if (now && new_at && old_at && !same_vtype(now->type, old->type))
            diag_report_full(diags, DIAG_WARNING, new_at->at,
                             "programs reading the results expect one type per field; give the new meaning a new name",
                             old_at->at, "the earlier type is declared here",
                             "the result '%s' is %s in this version but %s in version %s", old->name,
                             vtype_name(now->type), vtype_name(old->type), was);
    }
}

void lint_ruleset(const struct ruleset *rs, diag_sink *diags)
{
    loc_set used = {0};
    for (size_t i = 0; i < rs->version_count; i++)
        if (rs->versions[i].program)
            mark_program(&used, rs->versions[i].program);
    for (size_t i = 0; i < rs->version_count; i++) {
        const rs_version *v = &rs->versions[i];
        const ir_program *p = v->program;
        if (!p)
            continue;
        for (size_t k = 0; k < p->input.field_count; k++) {
            const ir_field *f = &p->input.fields[k];
            if (!loc_marked(&used, f->at))
                diag_report(diags, DIAG_WARNING, f->at, "remove it, or use it in a rule",
                            "the input field '%s' is never read", f->name);
            if (f->type.kind != VT_LIST || !f->type.rec)
                continue;
            for (size_t j = 0; j < f->type.rec->field_count; j++) {
                const ir_field *g = &f->type.rec->fields[j];
                if (!loc_marked(&used, g->at))
                    diag_report(diags, DIAG_WARNING, g->at, "remove it, or use it in a rule",
                                "the field '%s' of record '%s' is never read", g->name, f->type.rec->name);
            }
        }
        report_unused_values(diags, &used, p, p->globals, p->global_count);
        for (size_t k = 0; k < p->input.field_count; k++)
            if (p->input.fields[k].type.kind == VT_LIST && p->input.fields[k].type.rec) {
                const ir_record *rec = p->input.fields[k].type.rec;
                report_unused_values(diags, &used, p, rec->attrs, rec->attr_count);
            }
        for (size_t k = 0; k < v->decl_count; k++) {
            const ast_decl *d = v->decls[k];
            if (d->kind == DECL_TABLE && !loc_marked(&used, d->name_at))
                diag_report(diags, DIAG_WARNING, d->name_at, "remove it, or look it up in a rule: NAME(key).column",
                            "the table '%s' is never looked up", d->name);
            else if (d->kind == DECL_RECORD && !loc_marked(&used, d->name_at))
                diag_report(diags, DIAG_WARNING, d->name_at, "remove it, or give the input a field `list of NAME`",
                            "the record '%s' is never used", d->name);
        }
        if (i > 0 && rs->versions[i - 1].program)
            lint_results(&rs->versions[i - 1], v, diags);
    }
    free(used.items);
}
