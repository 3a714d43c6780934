/*
 * Version diffs. Each record is decided by batch.c on both sides and the two
 * result lines are compared as JSON values, field by field. Only the records
 * that differ are decided again, with the evaluator's trace, to find the
 * cause: the evaluations that fired, in the order they completed, are
 * matched across the sides by the value they defined (and the item, for a
 * per-item value); the first whose rule or value differs, and whose
 * difference reached the results, caused the others, since everything it
 * was computed from agreed.
 */
#include "diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "json_reader.h"
#include "probe.h"

enum { DF_MAX_DEPTH = 64 };

typedef struct df_count {
    const char *label;
    size_t n;
} df_count;

typedef struct df_counts {
    df_count *items;
    size_t count, cap;
} df_counts;

struct df_session {
    const ruleset *side[2];
    bt_session *bt[2];
    jr_reader *reader;
    arena *record;            /* reset for every record */
    arena *keep;              /* the labels the summary counts */
    size_t compared, changed;
    df_counts fields, causes;
    const char *key_name, *version_name, *fired_name;
};

df_session *df_new(const ruleset *old_side, const ruleset *new_side)
{
    df_session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->side[0] = old_side;
    s->side[1] = new_side;
    s->bt[0] = bt_session_new(old_side, DF_MAX_DEPTH);
    s->bt[1] = bt_session_new(new_side, DF_MAX_DEPTH);
    s->reader = jr_reader_new(DF_MAX_DEPTH);
    s->record = arena_new();
    s->keep = arena_new();
    const ir_program *p = old_side->versions[old_side->version_count - 1].program;
    s->key_name = p->key_name;
    s->version_name = p->version_name;
    s->fired_name = p->fired_name;
    if (!s->bt[0] || !s->bt[1] || !s->reader || !s->record || !s->keep) {
        df_free(s);
        return NULL;
    }
    return s;
}

void df_free(df_session *s)
{
    if (!s)
        return;
    bt_session_free(s->bt[0]);
    bt_session_free(s->bt[1]);
    if (s->reader)
        jr_reader_free(s->reader);
    arena_free(s->record);
    arena_free(s->keep);
    free(s->fields.items);
    free(s->causes.items);
    free(s);
}

size_t df_compared(const df_session *s)
{
    return s->compared;
}

size_t df_changed(const df_session *s)
{
    return s->changed;
}

/* Counts one more under `label`, copying the label the first time. */
static bool count(df_session *s, df_counts *c, const char *label, size_t len)
{
    for (size_t i = 0; i < c->count; i++)
        if (strlen(c->items[i].label) == len && memcmp(c->items[i].label, label, len) == 0) {
            c->items[i].n++;
            return true;
        }
    if (c->count == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        df_count *bigger = realloc(c->items, ncap * sizeof *bigger);
        if (!bigger)
            return false;
        c->items = bigger;
        c->cap = ncap;
    }
    const char *copy = arena_strndup(s->keep, label, len);
    if (!copy)
        return false;
    c->items[c->count++] = (df_count){copy, 1};
    return true;
}

static bool decide(df_session *s, int side, const char *line, size_t len, jr_value **result, bt_outcome *outcome)
{
    ob_buf out = {0};
    *outcome = bt_decide_line(s->bt[side], line, len, &out);
    bool ok = !out.failed && *outcome != BT_FAILED && out.len > 0;
    char *copy = ok ? arena_alloc(s->record, out.len + JR_PADDING) : NULL;
    if (copy) {
        memcpy(copy, out.data, out.len);
        memset(copy + out.len, ' ', JR_PADDING);
        ok = jr_parse(s->reader, copy, out.len - 1, s->record, result) == JR_OK && (*result)->kind == JR_OBJECT;
    } else
        ok = false;
    ob_free(&out);
    return ok;
}

static bool in_list(const jr_value *list, const jr_value *item)
{
    for (size_t i = 0; list && list->kind == JR_ARRAY && i < list->count; i++)
        if (pb_json_equal(&list->items[i], item))
            return true;
    return false;
}

/* The fired ids of `a` that `b` lacks, as a JSON array; whether there were any. */
static bool write_only_in(ob_buf *out, const jr_value *a, const jr_value *b)
{
    bool any = false;
    ob_char(out, '[');
    for (size_t i = 0; a && a->kind == JR_ARRAY && i < a->count; i++)
        if (!in_list(b, &a->items[i])) {
            if (any)
                ob_char(out, ',');
            pb_write_json(out, &a->items[i]);
            any = true;
        }
    ob_char(out, ']');
    return any;
}

/* ---------------------------------------------------------------- the cause */

typedef struct df_eval {
    const ev_step *step;
    const char *value;        /* the name of the value it defined */
    long item;
    const struct df_eval *other; /* the evaluation of the same value (and item) on the other side */
    bool differs;             /* no such evaluation, or another rule or value */
} df_eval;

typedef struct df_cause {
    const char *value;
    const char *list;
    long item;
    const ev_step *old_step, *new_step;
} df_cause;

typedef struct df_side {
    const ev_case *c;
    df_eval *evals;           /* the rules that fired, in the order they completed */
    size_t count;
} df_side;

static bool fired_evals(arena *a, df_side *side)
{
    const ev_case *c = side->c;
    side->count = 0;
    side->evals = arena_calloc(a, c->step_count ? c->step_count : 1, sizeof *side->evals);
    if (!side->evals)
        return false;
    for (const ev_step *st = c->steps; st; st = st->next)
        if (st->fired)
            side->evals[side->count++] = (df_eval){.step = st, .value = st->rule->target->name, .item = st->item};
    return true;
}

static void write_defined(ob_buf *out, const ev_step *st)
{
    const ev_seen *d = pb_defined(st);
    if (d)
        pb_write_typed(out, d->type, d->v);
}

static bool same_result(const ev_step *a, const ev_step *b)
{
    if (strcmp(a->rule->decl->name, b->rule->decl->name) != 0)
        return false;
    ob_buf x = {0}, y = {0};
    write_defined(&x, a);
    write_defined(&y, b);
    bool same = !x.failed && !y.failed && x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
    ob_free(&x);
    ob_free(&y);
    return same;
}

static df_eval *match(const df_side *side, const char *name, long item)
{
    for (size_t i = 0; i < side->count; i++)
        if (side->evals[i].item == item && strcmp(side->evals[i].value, name) == 0)
            return &side->evals[i];
    return NULL;
}

static bool is_result(const ir_program *p, const char *name)
{
    for (size_t i = 0; i < p->result_count; i++)
        if (strcmp(p->results[i].value->name, name) == 0)
            return true;
    return false;
}

/* The evaluation of the same rule for the same item on the other side. */
static const ev_step *counterpart(const ev_case *c, const ev_step *st)
{
    for (const ev_step *o = c->steps; o; o = o->next)
        if (o->item == st->item && strcmp(o->rule->decl->name, st->rule->decl->name) == 0)
            return o;
    return NULL;
}

static bool reads(const ev_step *st, const df_eval *x)
{
    for (size_t i = 0; i < st->seen_count; i++) {
        const ev_seen *seen = &st->seen[i];
        /* a per-item value is read through an aggregate (seen->item), or by a rule of the same item */
        long item = seen->item >= 0 ? seen->item : x->item >= 0 ? st->item : -1;
        if (seen->kind == EV_SEEN_VALUE && seen->target && item == x->item && strcmp(seen->target->name, x->value) == 0)
            return true;
    }
    return false;
}

/* Whether the difference in `x` went on: it is a result, or a rule that
 * read it (fired or not) came out otherwise on the other side. */
static bool propagates(const df_side sides[2], const df_eval *x)
{
    if (is_result(sides[0].c->prog, x->value))
        return true;
    for (int k = 0; k < 2; k++)
        for (const ev_step *st = sides[k].c->steps; st; st = st->next) {
            if (!reads(st, x))
                continue;
            const ev_step *o = counterpart(sides[1 - k].c, st);
            if (!o || o->fired != st->fired || (st->fired && !same_result(st, o)))
                return true;
        }
    return false;
}

/* The cause of a change: the first evaluation, on either side, without an
 * equal one on the other, whose difference went on to the results. A
 * difference every reader absorbed (an age limit of 65 or 66 for someone
 * of 40) is passed over; when all were absorbed (only the rules that fired
 * differ), the first evaluation by another rule is the cause. */
static bool find_cause(df_session *s, const ev_case *old_c, const ev_case *new_c, df_cause *cause)
{
    df_side sides[2] = {{.c = old_c}, {.c = new_c}};
    if (!fired_evals(s->record, &sides[0]) || !fired_evals(s->record, &sides[1]))
        return false;
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < sides[k].count; i++) {
            df_eval *e = &sides[k].evals[i];
            e->other = match(&sides[1 - k], e->value, e->item);
            e->differs = !e->other || !same_result(e->step, e->other->step);
        }
    /* candidates in order of preference: propagated, another rule, any */
    const df_eval *best[3] = {NULL, NULL, NULL};
    size_t at[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
    int side_of[3] = {0, 0, 0};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < sides[k].count; i++) {
            const df_eval *e = &sides[k].evals[i];
            if (!e->differs)
                continue;
            bool other_rule = !e->other || strcmp(e->other->step->rule->decl->name, e->step->rule->decl->name) != 0;
            bool kind[3] = {i < at[0] && propagates(sides, e), other_rule, true};
            for (int c = 0; c < 3; c++)
                if (kind[c] && i < at[c]) {
                    best[c] = e;
                    at[c] = i;
                    side_of[c] = k;
                }
        }
    int c = best[0] ? 0 : best[1] ? 1 : 2;
    if (!best[c])
        return false;
    const ev_step *theirs = best[c]->other ? best[c]->other->step : NULL;
    cause->value = best[c]->value;
    cause->item = best[c]->item;
    cause->list = best[c]->step->list;
    cause->old_step = side_of[c] == 0 ? best[c]->step : theirs;
    cause->new_step = side_of[c] == 1 ? best[c]->step : theirs;
    return true;
}

static void write_cause_label(ob_buf *out, const df_cause *c)
{
    const char *o = c->old_step ? c->old_step->rule->decl->name : "(not evaluated)";
    const char *n = c->new_step ? c->new_step->rule->decl->name : "(not evaluated)";
    ob_str(out, o);
    if (strcmp(o, n) != 0) {
        ob_str(out, " -> ");
        ob_str(out, n);
    }
    ob_str(out, " (");
    ob_str(out, c->value);
    ob_char(out, ')');
}

static void write_step_json(ob_buf *out, const char *name, const ev_step *st)
{
    ob_str(out, ",\"");
    ob_str(out, name);
    ob_str(out, "_rule\":");
    if (st)
        ob_json_string(out, st->rule->decl->name, strlen(st->rule->decl->name));
    else
        ob_str(out, "null");
    ob_str(out, ",\"");
    ob_str(out, name);
    ob_str(out, "\":");
    if (!st) {
        ob_str(out, "null");
        return;
    }
    ob_buf text = {0};
    write_defined(&text, st);
    ob_json_string(out, text.data ? text.data : "", text.len);
    ob_free(&text);
}

static void write_cause_json(ob_buf *out, const df_cause *c)
{
    ob_str(out, ",\"cause\":{\"value\":");
    ob_json_string(out, c->value, strlen(c->value));
    if (c->item >= 0) {
        ob_str(out, ",\"item\":\"");
        ob_str(out, c->list ? c->list : "item");
        ob_char(out, '[');
        ob_int(out, c->item);
        ob_str(out, "]\"");
    }
    write_step_json(out, "old", c->old_step);
    write_step_json(out, "new", c->new_step);
    ob_char(out, '}');
}

/* Decides the line again on both sides with the evaluator's trace, which
 * the first pass left off: most records of a caseload do not change, and
 * only the changed ones need their cause found. */
static bool traced(df_session *s, const char *line, size_t len, const ev_case *c[2])
{
    bool ok = true;
    for (int k = 0; k < 2 && ok; k++) {
        ob_buf scratch = {0};
        ok = bt_session_set(s->bt[k], BT_RECORD) && bt_decide_line(s->bt[k], line, len, &scratch) == BT_DECIDED;
        ob_free(&scratch);
        c[k] = ok ? bt_last(s->bt[k])->c : NULL;
        ok = ok && bt_session_set(s->bt[k], 0);
    }
    return ok;
}

/* ---------------------------------------------------------------- one record */

static void write_change(ob_buf *out, bool *first, const char *key, size_t key_len, const jr_value *a, const jr_value *b)
{
    if (!*first)
        ob_char(out, ',');
    *first = false;
    ob_json_string(out, key, key_len);
    ob_str(out, ":{\"old\":");
    if (a)
        pb_write_json(out, a);
    else
        ob_str(out, "null");
    ob_str(out, ",\"new\":");
    if (b)
        pb_write_json(out, b);
    else
        ob_str(out, "null");
    ob_char(out, '}');
}

static bool skipped(const df_session *s, const char *key, size_t len)
{
    const char *names[] = {s->key_name, s->version_name, s->fired_name};
    for (size_t i = 0; i < 3; i++)
        if (strlen(names[i]) == len && memcmp(names[i], key, len) == 0)
            return true;
    return false;
}

bool df_line(df_session *s, const char *line, size_t len, ob_buf *out)
{
    arena_reset(s->record);
    jr_value *r[2];
    bt_outcome o[2];
    if (!decide(s, 0, line, len, &r[0], &o[0]) || !decide(s, 1, line, len, &r[1], &o[1]))
        return false;
    s->compared++;
    ob_buf changes = {0};
    bool first = true;
    for (int side = 0; side < 2; side++) {
        const jr_value *mine = r[side], *theirs = r[1 - side];
        for (size_t i = 0; i < mine->count; i++) {
            const jr_member *m = &mine->members[i];
            if (skipped(s, m->key, m->key_len))
                continue;
            const jr_value *t = NULL;
            for (size_t k = 0; k < theirs->count && !t; k++)
                if (theirs->members[k].key_len == m->key_len && memcmp(theirs->members[k].key, m->key, m->key_len) == 0)
                    t = theirs->members[k].value;
            if (side == 1 && t)
                continue; /* compared from the old side already */
            if (t && pb_json_equal(m->value, t))
                continue;
            if (side == 0)
                write_change(&changes, &first, m->key, m->key_len, m->value, t);
            else
                write_change(&changes, &first, m->key, m->key_len, NULL, m->value);
            if (!count(s, &s->fields, m->key, m->key_len)) {
                ob_free(&changes);
                return false;
            }
        }
    }
    const jr_value *fired[2] = {pb_member(r[0], s->fired_name), pb_member(r[1], s->fired_name)};
    ob_buf fired_diff = {0};
    ob_str(&fired_diff, ",\"fired\":{\"old_only\":");
    bool differs = write_only_in(&fired_diff, fired[0], fired[1]);
    ob_str(&fired_diff, ",\"new_only\":");
    differs |= write_only_in(&fired_diff, fired[1], fired[0]);
    ob_char(&fired_diff, '}');
    bool ok = !changes.failed && !fired_diff.failed;
    if (ok && (changes.len || differs)) {
        s->changed++;
        ob_char(out, '{');
        ob_json_string(out, s->key_name, strlen(s->key_name));
        ob_char(out, ':');
        const jr_value *id = pb_member(r[0], s->key_name);
        if (id)
            pb_write_json(out, id);
        else
            ob_str(out, "null");
        const jr_value *version[2] = {pb_member(r[0], s->version_name), pb_member(r[1], s->version_name)};
        if (version[0] || version[1])
            write_change(out, &(bool){false}, s->version_name, strlen(s->version_name), version[0], version[1]);
        ob_str(out, ",\"changed\":{");
        if (changes.len)
            ob_bytes(out, changes.data, changes.len);
        ob_char(out, '}');
        if (differs)
            ob_bytes(out, fired_diff.data, fired_diff.len);
        ob_buf label = {0};
        if (o[0] == BT_DECIDED && o[1] == BT_DECIDED) {
            const ev_case *c[2];
            df_cause cause;
            if (traced(s, line, len, c) && find_cause(s, c[0], c[1], &cause)) {
                write_cause_json(out, &cause);
                write_cause_label(&label, &cause);
            }
        } else {
            const char *which = o[0] == BT_DECIDED ? "new" : o[1] == BT_DECIDED ? "old" : "both";
            ob_str(out, ",\"cause\":{\"rejected\":\"");
            ob_str(out, which);
            ob_str(out, "\"}");
            ob_str(&label, which[0] == 'b' ? "rejected on both sides, differently" : "rejected on the ");
            if (which[0] != 'b') {
                ob_str(&label, which);
                ob_str(&label, " side");
            }
        }
        ob_str(out, "}\n");
        if (!label.len)
            ob_str(&label, "(no rule differs)");
        ok = !label.failed && count(s, &s->causes, label.data, label.len);
        ob_free(&label);
    }
    ob_free(&changes);
    ob_free(&fired_diff);
    return ok && !out->failed;
}

/* ---------------------------------------------------------------- summary */

static int by_count(const void *a, const void *b)
{
    const df_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->label, y->label);
}

static void write_counts(ob_buf *out, const char *title, df_counts *c)
{
    if (!c->count)
        return;
    qsort(c->items, c->count, sizeof *c->items, by_count);
    ob_str(out, title);
    for (size_t i = 0; i < c->count; i++) {
        char num[24];
        int n = snprintf(num, sizeof num, "%8zu  ", c->items[i].n);
        ob_bytes(out, num, (size_t)n);
        ob_str(out, c->items[i].label);
        ob_char(out, '\n');
    }
}

void df_summary(df_session *s, ob_buf *out)
{
    ob_str(out, "records compared: ");
    ob_int(out, (int64_t)s->compared);
    ob_str(out, "\nrecords changed: ");
    ob_int(out, (int64_t)s->changed);
    ob_char(out, '\n');
    write_counts(out, "changes per field:\n", &s->fields);
    write_counts(out, "changes by the first rule whose value differs (old -> new, the value it defines):\n", &s->causes);
}

