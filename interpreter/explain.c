/*
 * `regel explain`: the account of one decided case, in four parts. The
 * decision (the results, and the sentences of the rules that gave them); the
 * grounds (every other rule that fired, in the order it was evaluated, the
 * rules of each item under that item); why not (rules that were tried and
 * did not apply, each with the part of its condition that failed, the actual
 * and the required value); and the thresholds the case is near. Every
 * sentence is a template of the rule files; nothing legal is written here.
 *
 * Figures are read again from the evaluated case with ev_reeval, which only
 * looks up memoised values, so the account always agrees with the trace.
 */
#include "explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "exact.h"
#include "trace.h"

typedef struct xp {
    ob_buf *out;
    const ruleset *rs;
    const bt_decision *d;
    ev_case *c;
    bool sv;
    const char *lang;
} xp;

/* The few words of the account's frame; everything else comes from the rule files. */
typedef enum {
    W_CASE, W_VERSION, W_DECISION, W_GROUNDS, W_WHY_NOT, W_NEAR, W_YES, W_NO, W_WEEK, W_YEARS, W_DAYS,
    W_FAILED, W_REQUIRED, W_ABOVE, W_BELOW, W_AT, W_ONE_OF, W_THRESHOLD, W_NOT_DECIDED, W_COUNT_
} word;

static const char *const words[W_COUNT_][2] = {
    [W_CASE] = {"Ärende", "Case"},
    [W_VERSION] = {"regelversion", "rules version"},
    [W_DECISION] = {"Beslut", "Decision"},
    [W_GROUNDS] = {"Skäl", "Grounds"},
    [W_WHY_NOT] = {"Varför inte", "Why not"},
    [W_NEAR] = {"Nära gränser", "Near thresholds"},
    [W_YES] = {"ja", "yes"},
    [W_NO] = {"nej", "no"},
    [W_WEEK] = {"vecka", "week"},
    [W_YEARS] = {"år", "years"},
    [W_DAYS] = {"dagar", "days"},
    [W_FAILED] = {"villkoret som inte var uppfyllt", "the condition not met"},
    [W_REQUIRED] = {"krävs", "required"},
    [W_ABOVE] = {"över", "above"},
    [W_BELOW] = {"under", "below"},
    [W_AT] = {"exakt vid", "exactly at"},
    [W_ONE_OF] = {"något av", "one of"},
    [W_THRESHOLD] = {"gränsen", "the limit"},
    [W_NOT_DECIDED] = {"kunde inte avgöras", "could not be decided"},
};

static const char *w(const xp *x, word k)
{
    return words[k][x->sv ? 0 : 1];
}

/* 1260 -> "1 260": digits grouped in threes, as both languages print figures. */
static void put_grouped(ob_buf *out, int64_t v)
{
    char digits[24];
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int n = snprintf(digits, sizeof digits, "%llu", m);
    if (v < 0)
        ob_char(out, '-');
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            ob_char(out, ' ');
        ob_char(out, digits[i]);
    }
}

static void put_decimal(const xp *x, int64_t scaled)
{
    char tmp[40];
    size_t n = ex_format_decimal(scaled, tmp);
    for (size_t i = 0; i < n; i++)
        ob_char(x->out, tmp[i] == '.' && x->sv ? ',' : tmp[i]);
}

/* Öre as money is written: grouped kronor, and the öre as two digits when
 * there are any ("242,50 kr", "1 260 kr"). */
static void put_money(const xp *x, int64_t ore)
{
    unsigned long long m = ore < 0 ? 0ULL - (unsigned long long)ore : (unsigned long long)ore;
    if (ore < 0)
        ob_char(x->out, '-');
    put_grouped(x->out, (int64_t)(m / 100));
    if (m % 100) {
        ob_char(x->out, x->sv ? ',' : '.');
        ob_char(x->out, (char)('0' + m % 100 / 10));
        ob_char(x->out, (char)('0' + m % 10));
    }
    ob_str(x->out, " kr");
}

/* A value as people read it: grouped digits, units in words, enum members with spaces. */
static void put_value(const xp *x, vtype t, value v)
{
    ob_buf *out = x->out;
    char tmp[16];
    switch (t.kind) {
    case VT_BOOL: ob_str(out, w(x, v.i ? W_YES : W_NO)); break;
    case VT_INT: put_grouped(out, v.i); break;
    case VT_DECIMAL: put_decimal(x, v.i); break;
    case VT_DURATION:
        put_grouped(out, v.i);
        ob_str(out, " min");
        break;
    case VT_WEEKLY:
        put_grouped(out, v.i);
        ob_str(out, " min/");
        ob_str(out, w(x, W_WEEK));
        break;
    case VT_YEARS:
        put_grouped(out, v.i);
        ob_char(out, ' ');
        ob_str(out, w(x, W_YEARS));
        break;
    case VT_MONEY: put_money(x, v.i); break;
    case VT_DATE:
        cal_format((cal_day)v.i, tmp);
        ob_bytes(out, tmp, 10);
        break;
    case VT_TEXT: {
        const ev_text *s = v.p;
        tr_put(out, s->bytes, s->len);
        break;
    }
    case VT_ENUM:
        for (const char *p = t.en->members[v.i]; *p; p++)
            ob_char(out, *p == '_' ? ' ' : *p);
        break;
    default: ob_str(out, "?"); break;
    }
}

/* A difference between two values of type t, in t's unit (dates: days). */
static void put_distance(const xp *x, vtype t, int64_t diff)
{
    if (t.kind == VT_DATE) {
        put_grouped(x->out, diff);
        ob_char(x->out, ' ');
        ob_str(x->out, w(x, W_DAYS));
        return;
    }
    put_value(x, t, (value){.i = diff});
}

static void put_source(const xp *x, loc at)
{
    if (!at.file)
        return;
    ob_char(x->out, '`');
    tr_put(x->out, at.file->text + at.start, at.end - at.start);
    ob_char(x->out, '`');
}

static const ir_sentence *pick(const xp *x, const ir_sentence *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s[i].lang, x->lang) == 0)
            return &s[i];
    return NULL;
}

/* Fills a template's {holes} with the case's values, in the scope of the step's rule. */
static void put_sentence(const xp *x, const ev_step *st, const ir_sentence *s)
{
    size_t hole = 0;
    for (const char *p = s->text; *p; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            ob_char(x->out, *p++);
            continue;
        }
        if (*p != '{') {
            ob_char(x->out, *p);
            continue;
        }
        const char *end = strchr(p, '}');
        if (!end || hole >= s->hole_count)
            break;
        value v;
        const ir_expr *e = s->holes[hole++];
        if (ev_reeval(x->c, st, e, &v))
            put_value(x, e->type, v);
        else
            ob_char(x->out, '?');
        p = end;
    }
}

static void put_cite(const xp *x, const ir_rule *r)
{
    if (r->decl->cite && *r->decl->cite) {
        ob_str(x->out, " (");
        ob_str(x->out, r->decl->cite);
        ob_char(x->out, ')');
    }
}

/* What a fired rule did: its sentence, or else its id and the value it gave. */
static void put_fired(const xp *x, const ev_step *st)
{
    const ir_rule *r = st->rule;
    const ir_sentence *s = pick(x, r->explain, r->explain_count);
    if (s)
        put_sentence(x, st, s);
    else {
        ob_str(x->out, r->decl->name);
        ob_str(x->out, ": ");
        ob_str(x->out, r->target->name);
        ob_str(x->out, " = ");
        for (size_t i = 0; i < st->seen_count; i++)
            if (st->seen[i].kind == EV_SEEN_DEFINED)
                put_value(x, st->seen[i].type, st->seen[i].v);
    }
    put_cite(x, r);
}

static bool reeval(const xp *x, const ev_step *st, const ir_expr *e, value *v)
{
    return ev_reeval(x->c, st, e, v);
}

/* How much a side of a comparison looks like a limit: a named constant
 * most, then a literal with a unit, then a value rules define; anything
 * else (an input, a computation, a bare number) not at all. */
static int threshold_rank(const ir_expr *e)
{
    if (e->op == IR_VALUE)
        return e->target->constant ? 3 : 1;
    if (e->op == IR_CONST && e->type.kind != VT_INT && e->constant.i != 0)
        return 2;
    return 0;
}

static bool is_threshold_side(const ir_expr *e, const ir_expr *other)
{
    return threshold_rank(e) > threshold_rank(other);
}

static bool measurable(vtype t)
{
    return t.kind == VT_INT || t.kind == VT_DECIMAL || (t.kind >= VT_DURATION && t.kind <= VT_DATE);
}

/* "`basic_minutes > assistance_threshold`: 1 150 min/vecka; krävs > 1 200 min/vecka (50 min/vecka under)" */
static void put_failed_leaf(const xp *x, const ev_step *st, const ir_expr *e)
{
    put_source(x, e->at);
    ob_str(x->out, ": ");
    value a, b;
    if (e->op == IR_COMPARE && reeval(x, st, e->a, &a) && reeval(x, st, e->b, &b) && e->a->type.kind == e->b->type.kind) {
        put_value(x, e->a->type, a);
        ob_str(x->out, "; ");
        ob_str(x->out, w(x, W_REQUIRED));
        ob_char(x->out, ' ');
        ob_str(x->out, ast_binop_text[e->sub]);
        ob_char(x->out, ' ');
        put_value(x, e->b->type, b);
        if (measurable(e->a->type) && a.i != b.i) {
            ob_str(x->out, " (");
            put_distance(x, e->a->type, a.i > b.i ? a.i - b.i : b.i - a.i);
            ob_char(x->out, ' ');
            ob_str(x->out, w(x, a.i > b.i ? W_ABOVE : W_BELOW));
            ob_char(x->out, ')');
        }
        return;
    }
    if (e->op == IR_IN && reeval(x, st, e->a, &a)) {
        put_value(x, e->a->type, a);
        ob_str(x->out, "; ");
        ob_str(x->out, w(x, W_REQUIRED));
        ob_char(x->out, ' ');
        ob_str(x->out, w(x, W_ONE_OF));
        ob_char(x->out, ' ');
        for (size_t i = 0; i < e->arg_count; i++) {
            if (i)
                ob_str(x->out, ", ");
            if (reeval(x, st, e->args[i], &b))
                put_value(x, e->args[i]->type, b);
        }
        return;
    }
    if (reeval(x, st, e, &a))
        put_value(x, e->type, a);
}

/* The parts of a false condition that made it false, in evaluation order:
 * for `and` the first false side, for `or` both. `leading` is set when the
 * failing part is the first condition of the rule (the rule's own test of
 * whether it is about this case at all). */
static void find_failed(const xp *x, const ev_step *st, const ir_expr *e, const ir_expr **found, size_t *n, size_t cap,
                        bool *first_failed, bool first)
{
    value v;
    if (e->op == IR_AND) {
        if (!reeval(x, st, e->a, &v))
            return;
        if (!v.i)
            find_failed(x, st, e->a, found, n, cap, first_failed, first);
        else
            find_failed(x, st, e->b, found, n, cap, first_failed, false);
        return;
    }
    if (e->op == IR_OR) {
        find_failed(x, st, e->a, found, n, cap, first_failed, first);
        find_failed(x, st, e->b, found, n, cap, first_failed, false);
        return;
    }
    if (*n < cap)
        found[(*n)++] = e;
    if (first)
        *first_failed = true;
}

typedef struct near {
    const ir_expr *e;
    const ev_step *st;
} near;

/* Collects the comparisons with a threshold the evaluation made (short-circuit
 * as it was), and keeps those the case is near. */
static void find_near(const xp *x, const ev_step *st, const ir_expr *e, near *list, size_t *n, size_t cap)
{
    value a, b;
    switch (e->op) {
    case IR_AND:
    case IR_OR:
        find_near(x, st, e->a, list, n, cap);
        if (reeval(x, st, e->a, &a) && (e->op == IR_AND ? a.i : !a.i))
            find_near(x, st, e->b, list, n, cap);
        return;
    case IR_NOT: find_near(x, st, e->a, list, n, cap); return;
    case IR_COMPARE: break;
    default: return;
    }
    if (e->sub == OP_EQ || e->sub == OP_NE || !measurable(e->a->type) || e->a->type.kind != e->b->type.kind)
        return;
    if (threshold_rank(e->a) == threshold_rank(e->b))
        return;
    if (!reeval(x, st, e->a, &a) || !reeval(x, st, e->b, &b))
        return;
    int64_t limit = is_threshold_side(e->b, e->a) ? b.i : a.i;
    int64_t diff = a.i > b.i ? a.i - b.i : b.i - a.i;
    bool close = e->a->type.kind == VT_DATE ? diff <= XP_NEAR_DAYS
                                            : limit != 0 && diff <= (limit < 0 ? -limit : limit) / (100 / XP_NEAR_PERCENT);
    for (size_t i = 0; i < *n; i++)
        if (list[i].e == e && list[i].st->item_ref == st->item_ref)
            return;
    if (close && *n < cap)
        list[(*n)++] = (near){e, st};
}

static void put_item_label(const xp *x, const ev_step *st)
{
    if (st->item < 0)
        return;
    ob_str(x->out, st->list);
    ob_char(x->out, '[');
    ob_int(x->out, st->item);
    ob_str(x->out, "]: ");
}

/* "basic_minutes 1 260 min/vecka: 60 min/vecka över gränsen på 20 timmar per vecka (1 200 min/vecka; SFB 51 kap. 3 §)" */
static void put_near(const xp *x, const near *n)
{
    const ir_expr *e = n->e;
    bool b_limits = is_threshold_side(e->b, e->a);
    const ir_expr *var = b_limits ? e->a : e->b, *lim = b_limits ? e->b : e->a;
    value a, b;
    if (!reeval(x, n->st, var, &a) || !reeval(x, n->st, lim, &b))
        return;
    ob_str(x->out, "  - ");
    put_item_label(x, n->st);
    put_source(x, var->at);
    ob_char(x->out, ' ');
    put_value(x, var->type, a);
    ob_str(x->out, ": ");
    if (a.i == b.i)
        ob_str(x->out, w(x, W_AT));
    else {
        put_distance(x, var->type, a.i > b.i ? a.i - b.i : b.i - a.i);
        ob_char(x->out, ' ');
        ob_str(x->out, w(x, a.i > b.i ? W_ABOVE : W_BELOW));
    }
    ob_char(x->out, ' ');
    const ir_sentence *label =
        lim->op == IR_VALUE && lim->target->constant ? pick(x, lim->target->explain, lim->target->explain_count) : NULL;
    if (label)
        put_sentence(x, NULL, label);
    else {
        ob_str(x->out, w(x, W_THRESHOLD));
        ob_char(x->out, ' ');
        put_source(x, lim->at);
    }
    ob_str(x->out, " (");
    put_value(x, lim->type, b);
    const char *cite = lim->op == IR_VALUE && lim->target->constant ? lim->target->constant->cite : NULL;
    if (cite && *cite) {
        ob_str(x->out, "; ");
        ob_str(x->out, cite);
    }
    ob_str(x->out, "; `");
    ob_str(x->out, n->st->rule->decl->name);
    ob_str(x->out, "`)\n");
}

static bool defines_result(const ir_program *p, const ir_rule *r)
{
    for (size_t i = 0; i < p->result_count; i++)
        if (p->results[i].value == r->target)
            return true;
    return false;
}

static void put_why_not(const xp *x, const ev_step *st)
{
    const ir_rule *r = st->rule;
    const ir_sentence *s = pick(x, r->explain_not, r->explain_not_count);
    if (!s || !r->when)
        return;
    const ir_expr *failed[8];
    size_t n = 0;
    bool first_failed = false;
    find_failed(x, st, r->when, failed, &n, 8, &first_failed, true);
    /* A rule of each item whose first test failed was not about this item
     * (a rule on breathing, for a need of another kind): not worth telling. */
    if (st->item >= 0 && first_failed)
        return;
    ob_str(x->out, "  - ");
    put_item_label(x, st);
    put_sentence(x, st, s);
    put_cite(x, r);
    ob_char(x->out, '\n');
    for (size_t i = 0; i < n; i++) {
        ob_str(x->out, "    ");
        ob_str(x->out, w(x, W_FAILED));
        ob_str(x->out, ": ");
        put_failed_leaf(x, st, failed[i]);
        ob_char(x->out, '\n');
    }
}

void xp_explain(ob_buf *out, const ruleset *rs, const bt_decision *d, const char *lang)
{
    xp x = {.out = out, .rs = rs, .d = d, .c = (ev_case *)d->c, .sv = strcmp(lang, "sv") == 0, .lang = lang};
    const ir_program *p = d->version->program;
    char date[11];
    cal_format(p->version, date);
    ob_str(out, w(&x, W_CASE));
    ob_char(out, ' ');
    if (d->id)
        tr_put(out, d->id, d->id_len);
    ob_str(out, " (");
    ob_str(out, w(&x, W_VERSION));
    ob_char(out, ' ');
    ob_str(out, date);
    ob_str(out, ", ");
    ob_bytes(out, d->version->hash, 19);
    ob_str(out, "…)\n");

    ob_str(out, w(&x, W_DECISION));
    ob_str(out, ":\n");
    for (size_t i = 0; i < p->result_count; i++) {
        const ev_step *by = NULL;
        for (const ev_step *st = x.c->steps; st; st = st->next)
            if (st->fired && st->rule->target == p->results[i].value)
                by = st;
        ob_str(out, "  - ");
        if (by && pick(&x, by->rule->explain, by->rule->explain_count))
            put_fired(&x, by);
        else {
            ob_str(out, p->results[i].name);
            ob_str(out, ": ");
            put_value(&x, p->results[i].type, d->results[i]);
            if (by)
                put_cite(&x, by->rule);
        }
        ob_char(out, '\n');
    }

    ob_str(out, w(&x, W_GROUNDS));
    ob_str(out, ":\n");
    for (const ev_step *st = x.c->steps; st; st = st->next)
        if (st->fired && st->item < 0 && !defines_result(p, st->rule)) {
            ob_str(out, "  - ");
            put_fired(&x, st);
            ob_char(out, '\n');
        }
    /* The rules of each item, item by item. */
    long items = 0;
    for (const ev_step *st = x.c->steps; st; st = st->next)
        if (st->item + 1 > items)
            items = st->item + 1;
    for (long i = 0; i < items; i++) {
        bool any = false;
        for (const ev_step *st = x.c->steps; st; st = st->next) {
            if (!st->fired || st->item != i)
                continue;
            if (!any) {
                ob_str(out, "  - ");
                put_item_label(&x, st);
            } else
                ob_char(out, ' ');
            any = true;
            put_fired(&x, st);
            ob_char(out, '.');
        }
        if (any)
            ob_char(out, '\n');
    }

    size_t mark = out->len;
    ob_str(out, w(&x, W_WHY_NOT));
    ob_str(out, ":\n");
    size_t head = out->len;
    for (const ev_step *st = x.c->steps; st; st = st->next)
        if (!st->fired)
            put_why_not(&x, st);
    if (out->len == head)
        out->len = mark;

    near list[64];
    size_t n = 0;
    for (const ev_step *st = x.c->steps; st; st = st->next)
        if (st->rule->when)
            find_near(&x, st, st->rule->when, list, &n, 64);
    if (n) {
        ob_str(out, w(&x, W_NEAR));
        ob_str(out, ":\n");
        for (size_t i = 0; i < n; i++)
            put_near(&x, &list[i]);
    }
    ob_char(out, '\n');
}
