/*
 * Evaluation of a compiled rule version on one case. Values are computed on
 * demand and memoised per case (globals) and per item (per-item values), so
 * only the rules a result needs are evaluated; a rule fires when its
 * condition holds and it gives the value. Arithmetic is exact and checked:
 * an overflow, or a result that is not a whole number of its unit, is an
 * error for the case, never a rounded number.
 */
#include "eval.h"

#include <string.h>

#include "calendar.h"
#include "exact.h"

/* Two ways through the same code. Most records are checked and decided far
 * inside both limits (the step budget and the nesting bound) and without a
 * trace; for them, ev_failed_check and ev_decide know before they start that
 * no limit can be reached (from bounds the checker worked out: ir_program's
 * depth, steps_fixed, list_steps and check_depth), and the evaluator counts
 * nothing, and runs what the checker specialised for it (ir_expr.free_op).
 * Every other evaluation (a trace, a low limit, a long list, a check that
 * visits a list, a re-evaluation) counts steps and nesting as it goes. Each
 * function below takes `counted`, a constant at every call, and is compiled
 * twice, with and without the counts: one source, so that the two cannot
 * decide differently. */
#ifdef REGEL_COVERAGE
/* One copy of each for gcov, which counts the branches of every inlined copy apart. */
#define EV_INLINE static
#else
#define EV_INLINE static inline __attribute__((always_inline))
#endif

static _Noreturn void fail(ev_case *c, loc at, const char *message)
{
    c->error = message;
    c->error_at = at;
    longjmp(*c->on_error, 1);
}

static _Noreturn void over_limit(ev_case *c, loc at, const char *message)
{
    c->over_limit = true;
    fail(c, at, message);
}

/* One step of the record's budget (--max-steps): a rule tried (its lets, its
 * condition and, when it fires, its value), a `const` or a check evaluated, or
 * an item an aggregate visits. Anything that grows with the record or repeats
 * is one of these, so a record that would run away (aggregates over
 * aggregates of a huge list) ends in an error record rather than a hang; and
 * the count is the rule file's own, the same however its expressions are
 * compiled or evaluated. */
EV_INLINE void count_step(ev_case *c, loc at, bool counted)
{
    if (counted && ++c->steps_taken > c->max_steps)
        over_limit(c, at, "the evaluation takes too many steps");
}

/* The error of the operation x, apart: where the operation goes on, x->at
 * (far into the node) is not read. */
static __attribute__((noinline, cold)) _Noreturn void overflow(ev_case *c, const ir_expr *x)
{
    fail(c, x->at, "arithmetic overflow");
}

/* Checked arithmetic for the operation x (which an overflow names). */
static int64_t checked_add(ev_case *c, int64_t a, int64_t b, const ir_expr *x)
{
    int64_t out;
    if (__builtin_add_overflow(a, b, &out))
        overflow(c, x);
    return out;
}

static int64_t checked_sub(ev_case *c, int64_t a, int64_t b, const ir_expr *x)
{
    int64_t out;
    if (__builtin_sub_overflow(a, b, &out))
        overflow(c, x);
    return out;
}

static int64_t checked_mul(ev_case *c, int64_t a, int64_t b, const ir_expr *x)
{
    int64_t out;
    if (__builtin_mul_overflow(a, b, &out))
        overflow(c, x);
    return out;
}

EV_INLINE value eval(ev_case *c, const ir_expr *x, bool counted);

/* A rule of a global value fires at most once a case, since the value is
 * decided once; a per-item rule once per item, and is listed once. */
static void note_fired(ev_case *c, const ir_value *v, const ir_rule *r)
{
    if (v->item) {
        if (c->fired_seen[r->index])
            return;
        c->fired_seen[r->index] = 1;
    }
    c->fired[c->fired_count++] = r->index;
}

/* ---- The trace (recorded only when c->tracing; see eval.h) ---- */

static void *grow(ev_case *c, void *items, size_t count, size_t *cap, size_t size)
{
    if (count < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *bigger = arena_alloc(c->arena, ncap * size);
    if (!bigger)
        fail(c, (loc){0}, "out of memory");
    if (count)
        memcpy(bigger, items, count * size);
    *cap = ncap;
    return bigger;
}

static ev_step *step_open(ev_case *c, const ir_rule *r)
{
    ev_step *st = arena_calloc(c->arena, 1, sizeof *st);
    if (!st)
        fail(c, (loc){0}, "out of memory");
    st->rule = r;
    st->item = -1;
    if (r->target->item && c->item && c->list) {
        st->list = c->list_name;
        st->item = (long)(c->item - c->list->items);
        st->item_ref = c->item;
    }
    return st;
}

static void step_close(ev_case *c, ev_step *st, bool fired)
{
    st->fired = fired;
    *c->steps_tail = st;
    c->steps_tail = &st->next;
    c->step_count++;
}

/* Identities of what a rule reads: a value by its address (aligned, so its
 * low bits are 0), a field or a let by its number, tagged. */
#define SEEN_INPUT(i) ((uintptr_t)(i) * 4 + 1)
#define SEEN_ITEM_FIELD(i) ((uintptr_t)(i) * 4 + 2)
#define SEEN_LET(i) ((uintptr_t)(i) * 4 + 3)

/* Adds what the rule being recorded read, once per thing read (and item). */
static void note(ev_case *c, ev_seen_kind kind, const char *name, uintptr_t id, const ir_value *target, vtype type,
                 value v, bool through_item)
{
    ev_step *st = c->step;
    long item = -1;
    const char *list = NULL;
    if (through_item && st->item < 0 && c->list) {
        item = (long)(c->item - c->list->items);
        list = c->list_name;
    }
    /* Most reads are of something not read before: a bit per (id, item)
     * hash says so without looking through what was. */
    uint64_t bit = (uint64_t)1 << (((id + (uintptr_t)item) * 0x9E3779B97F4A7C15u) >> 58);
    if (st->seen_bits & bit)
        for (size_t i = st->seen_count; i-- > 0;)
            if (st->seen[i].id == id && st->seen[i].item == item)
                return;
    st->seen_bits |= bit;
    /* A let may be named like what its own expression read: one entry per name. */
    if (kind == EV_SEEN_LET)
        for (size_t i = 0; i < st->seen_count; i++)
            if (st->seen[i].item < 0 && strcmp(st->seen[i].name, name) == 0)
                return;
    st->seen = grow(c, st->seen, st->seen_count, &st->seen_cap, sizeof *st->seen);
    st->seen[st->seen_count++] = (ev_seen){kind, name, list, item, target, type, v, id};
}

static value undecided_free(ev_case *c, const ir_value *v);
/* Called directly by decide_always, and not inlined there, which stays small. */
static __attribute__((noinline)) value AGGREGATE_free(ev_case *c, const ir_expr *x);
EV_INLINE value eval_full(ev_case *c, const ir_expr *x, bool counted);

/* An operand as an operation reads it with nothing counted (ir_operand): a
 * leaf from its slot, without a look at the leaf's node; anything else
 * evaluated through its node. */
EV_INLINE value operand_free(ev_case *c, const ir_operand *o)
{
    /* The commonest, a value, and an operation, each with one test rather
     * than through the switch's table of jumps. */
    if (o->from == IR_VALUE)
        return c->state[o->slot] == 2 ? c->globals[o->slot] : undecided_free(c, o->target);
    if (o->from > IR_LET)
        return eval_full(c, o->expr, false);
    switch (o->from) {
    case IR_CONST: return o->constant;
    case IR_INPUT: return c->inputs[o->slot];
    case IR_ITEM_FIELD: return c->item->fields[o->slot];
    case IR_LET: return c->lets[o->slot];
    case IR_ITEM_VALUE: {
        const ev_item *item = c->item;
        if (item->state[o->slot] == 2)
            return item->attrs[o->slot];
        return undecided_free(c, o->target);
    }
    default: __builtin_unreachable();
    }
}

/* The operand x of an operation, counted or not: `o` is its ir_operand. */
EV_INLINE value operand(ev_case *c, const ir_expr *x, const ir_operand *o, bool counted)
{
    return counted ? eval(c, x, true) : operand_free(c, o);
}

/* A value (IR_VALUE, IR_ITEM_VALUE) with nothing counted: from its slot once
 * decided (the expression's index is the value's slot), else decided now. */
EV_INLINE value known(ev_case *c, const ir_expr *x, bool of_item)
{
    if (of_item) {
        const ev_item *item = c->item;
        if (item->state[x->index] == 2)
            return item->attrs[x->index];
        return undecided_free(c, x->target);
    }
    if (c->state[x->index] == 2)
        return c->globals[x->index];
    return undecided_free(c, x->target);
}

/* A field a test reads: the item's or the record's. */
EV_INLINE int64_t test_field(const ev_case *c, bool of_item, size_t index)
{
    return (of_item ? c->item->fields : c->inputs)[index].i;
}

EV_INLINE bool in_set(const ir_test *t, int64_t v)
{
    for (size_t k = 0; k < t->set_count; k++)
        if (v == t->set[k])
            return true;
    return false;
}

EV_INLINE bool fields_hold(const ev_case *c, const ir_test *t)
{
    int64_t v = test_field(c, t->of_item, t->index), w = test_field(c, t->other_of_item, t->other);
    switch ((ast_binop)t->cmp) {
    case OP_EQ: return v == w;
    case OP_NE: return v != w;
    case OP_LT: return v < w;
    case OP_LE: return v <= w;
    case OP_GT: return v > w;
    default: return v >= w;
    }
}

/* low <= v <= high, with no branch. */
EV_INLINE bool in_range(const ir_test *t, int64_t v)
{
    return (uint64_t)v - (uint64_t)t->low <= (uint64_t)t->high - (uint64_t)t->low;
}

/* A boolean value a test reads (IR_TEST_VALUE), with nothing counted: from
 * its slot once decided, else decided now (ir_test.operand.target). */
EV_INLINE bool value_true(ev_case *c, const ir_test *t, bool of_item)
{
    if (of_item) {
        const ev_item *item = c->item;
        if (item->state[t->index] == 2)
            return item->attrs[t->index].i != 0;
        return undecided_free(c, t->operand.target).i != 0;
    }
    if (c->state[t->index] == 2)
        return c->globals[t->index].i != 0;
    return undecided_free(c, t->operand.target).i != 0;
}

/* One step of a program (ir_flow) with nothing counted, by what the checker
 * settled (ir_test.free): 1 when the test holds, 0 when it fails, -1 for
 * a step that fires, which ends a rule (decide_flow) and is no test; one switch
 * for both, so that a step costs one jump to its work. decide_flow's
 * threaded form does the same for a compiler with labels as values. */
EV_INLINE int step_free(ev_case *c, const ir_test *t)
{
    /* A test and its negation share their work, the negation (ir_test.negate,
     * which the checker set as it chose the kind) applied with no branch, so
     * that an aggregate's `where` (basic and not exempt) takes one jump for
     * both, where a jump to each mispredicted. */
    switch (t->free) {
    case IR_FREE_VALUE:
    case IR_FREE_NOT_VALUE: return value_true(c, t, false) != t->negate;
    case IR_FREE_ITEM_VALUE:
    case IR_FREE_NOT_ITEM_VALUE: return value_true(c, t, true) != t->negate;
    case IR_FREE_INPUT_IN: return in_range(t, c->inputs[t->index].i);
    case IR_FREE_INPUT_OUT: return !in_range(t, c->inputs[t->index].i);
    case IR_FREE_ITEM_IN: return in_range(t, c->item->fields[t->index].i);
    case IR_FREE_ITEM_OUT: return !in_range(t, c->item->fields[t->index].i);
    case IR_FREE_SET: return in_set(t, test_field(c, t->of_item, t->index));
    case IR_FREE_FIELDS: return fields_hold(c, t);
    case IR_FREE_RANGE_IN: return in_range(t, operand_free(c, &t->operand).i);
    case IR_FREE_RANGE_OUT: return !in_range(t, operand_free(c, &t->operand).i);
    case IR_FREE_EXPR: return (eval(c, t->expr, false).i != 0) != t->negate;
    case IR_FREE_FIRE:
    case IR_FREE_FIRE_CONST:
    case IR_FREE_FIRE_INPUT:
    case IR_FREE_FIRE_ITEM_FIELD: return -1;
    default: __builtin_unreachable();
    }
}

/* One test with nothing counted: never a step that fires. */
EV_INLINE bool test_free(ev_case *c, const ir_test *t)
{
    int held = step_free(c, t);
    if (held < 0)
        __builtin_unreachable();
    return held;
}

/* A condition from its compiled tests (ir_test): the conjuncts in the order
 * the tree of `and`s evaluates them, stopping at the first false. */
EV_INLINE bool passes(ev_case *c, const ir_test *tests, size_t count, bool counted)
{
    if (!counted) {
        for (size_t i = 0; i < count; i++)
            if (!test_free(c, &tests[i]))
                return false;
        return true;
    }
    unsigned nesting = c->nesting;
    for (size_t i = 0; i < count; i++) {
        const ir_test *t = &tests[i];
        /* The operations the tree would enter above the test's expression
         * (its `and`s, a `not`, the comparison) count against the nesting
         * bound as they would there, so that both stop at one place. */
        if (nesting + t->reach > c->max_nesting)
            over_limit(c, t->expr ? t->expr->at : (loc){0}, "the evaluation nests too deeply");
        bool ok;
        switch (t->kind) {
        case IR_TEST_EXPR:
        case IR_TEST_VALUE:
            c->nesting = nesting + t->reach;
            ok = (eval(c, t->expr, true).i != 0) != t->negate;
            c->nesting = nesting;
            break;
        case IR_TEST_IN: ok = in_set(t, test_field(c, t->of_item, t->index)); break;
        case IR_TEST_FIELDS: ok = fields_hold(c, t); break;
        default: ok = in_range(t, test_field(c, t->of_item, t->index)) != t->negate; break;
        }
        if (!ok)
            return false;
    }
    return true;
}

EV_INLINE bool holds(ev_case *c, const ir_rule *r, bool counted) { return passes(c, r->tests, r->test_count, counted); }

/* The dispatch case of a value (ir_dispatch) for its field's value; NULL
 * when none of the dispatched rules can hold. */
EV_INLINE const ir_dispatch_case *dispatch_case(const ev_case *c, const ir_dispatch *d)
{
    int64_t key = (d->of_item ? c->item->fields : c->inputs)[d->index].i;
    if (d->direct) {
        uint64_t offset = (uint64_t)key - (uint64_t)d->first;
        return offset < d->span ? d->direct[offset] : NULL;
    }
    for (size_t lo = 0, hi = d->case_count; lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->cases[mid].key < key)
            lo = mid + 1;
        else if (d->cases[mid].key > key)
            hi = mid;
        else
            return &d->cases[mid];
    }
    return NULL;
}

/* Tries the value's dispatched rules (ir_dispatch) that can hold for its
 * field's value, in order, and returns the first that does, or NULL with
 * *next the first rule still to try. A rule passed over would have been
 * tried and failed on its first test, with no effect but its step; should
 * those steps reach the limit, *next is the first of them, so that the
 * caller tries them one by one and stops at the very same step. */
static const ir_rule *dispatch_counted(ev_case *c, const ir_value *v, size_t *next)
{
    const ir_dispatch *d = v->dispatch;
    /* A rule passed over must not be one whose test the tree could not reach. */
    if (c->nesting + d->reach > c->max_nesting) {
        *next = 0;
        return NULL;
    }
    const ir_dispatch_case *k = dispatch_case(c, d);
    size_t at = 0, n = k ? k->count : 0;
    for (size_t j = 0;; j++) {
        size_t to = j < n ? k->rules[j] : d->run;
        if (c->steps_taken >= c->max_steps || to - at > c->max_steps - c->steps_taken)
            break;
        c->steps_taken += to - at;
        at = to;
        if (j == n)
            break;
        const ir_rule *r = v->rules[at++];
        count_step(c, r->decl->name_at, true);
        if (holds(c, r, true)) {
            *next = at;
            return r;
        }
    }
    *next = at;
    return NULL;
}

/* The same with nothing counted: straight to the rules that can hold. */
EV_INLINE const ir_rule *dispatch_free(ev_case *c, const ir_value *v, size_t *next)
{
    const ir_dispatch *d = v->dispatch;
    const ir_dispatch_case *k = dispatch_case(c, d);
    for (size_t j = 0; k && j < k->count; j++) {
        const ir_rule *r = v->rules[k->rules[j]];
        if (holds(c, r, false)) {
            *next = k->rules[j] + 1;
            return r;
        }
    }
    *next = d->run;
    return NULL;
}

EV_INLINE const ir_rule *dispatch(ev_case *c, const ir_value *v, size_t *next, bool counted)
{
    return counted ? dispatch_counted(c, v, next) : dispatch_free(c, v, next);
}

static _Noreturn void no_rule_applies(ev_case *c, const ir_value *v)
{
    fail(c, v->rule_count ? v->rules[v->rule_count - 1]->decl->name_at : (loc){0}, "no rule applies to this case");
}

/* The rule that fires for a value none of whose rules has lets, counted,
 * with no trace (decide_flow is the same with nothing counted). */
static const ir_rule *plain_rule_counted(ev_case *c, const ir_value *v)
{
    const ir_rule *r = NULL;
    size_t i = 0;
    if (v->dispatch)
        r = dispatch_counted(c, v, &i);
    for (; !r && i < v->rule_count; i++) {
        count_step(c, v->rules[i]->decl->name_at, true);
        if (holds(c, v->rules[i], true))
            r = v->rules[i];
    }
    if (!r)
        no_rule_applies(c, v);
    return r;
}

/* decide() for a value some of whose rules have lets, with no trace: the
 * same loop, with the lets of each rule tried in `frame`. */
EV_INLINE value decide_lets(ev_case *c, const ir_value *v, value *frame, bool counted)
{
    value *saved_lets = c->lets;
    c->lets = frame;
    size_t i = 0;
    const ir_rule *r = v->dispatch ? dispatch(c, v, &i, counted) : NULL;
    for (; !r && i < v->rule_count; i++) {
        const ir_rule *t = v->rules[i];
        count_step(c, t->decl->name_at, counted);
        for (size_t k = 0; k < t->let_count; k++)
            frame[k] = eval(c, t->lets[k], counted);
        if (holds(c, t, counted))
            r = t;
    }
    if (!r) {
        c->lets = saved_lets;
        no_rule_applies(c, v);
    }
    value result = eval(c, r->value, counted);
    c->lets = saved_lets;
    note_fired(c, v, r);
    return result;
}

/* One frame for the lets of every rule tried, as large as any rule needs. */
#define LET_FRAME(c) value frame[(c)->prog->max_lets ? (c)->prog->max_lets : 1]

static value decide_lets_counted(ev_case *c, const ir_value *v)
{
    LET_FRAME(c);
    return decide_lets(c, v, frame, true);
}

static value decide_lets_free(ev_case *c, const ir_value *v)
{
    LET_FRAME(c);
    return decide_lets(c, v, frame, false);
}

/* decide() with a trace: each rule tried is a step of the trace, with what
 * it read, and its condition is evaluated as the tree it was written as. */
static value decide_traced(ev_case *c, const ir_value *v)
{
    value *saved_lets = c->lets;
    ev_step *saved_step = c->step;
    LET_FRAME(c);
    for (size_t i = 0; i < v->rule_count; i++) {
        const ir_rule *r = v->rules[i];
        count_step(c, r->decl->name_at, true);
        c->lets = frame;
        ev_step *st = step_open(c, r);
        c->step = st;
        for (size_t k = 0; k < r->let_count; k++) {
            frame[k] = eval(c, r->lets[k], true);
            note(c, EV_SEEN_LET, r->decl->u.rule.lets[k].name, SEEN_LET(k), NULL, r->lets[k]->type, frame[k], false);
        }
        if (r->when && !eval(c, r->when, true).i) {
            step_close(c, st, false);
            continue;
        }
        value result = eval(c, r->value, true);
        note(c, EV_SEEN_DEFINED, v->name, (uintptr_t)v, v, v->type, result, false);
        step_close(c, st, true);
        c->lets = saved_lets;
        c->step = saved_step;
        note_fired(c, v, r);
        return result;
    }
    c->lets = saved_lets;
    c->step = saved_step;
    no_rule_applies(c, v);
}

/* Tries the rules of a value in order; the first whose condition holds gives it. */
static value decide_counted(ev_case *c, const ir_value *v)
{
    if (v->constant) {
        count_step(c, v->constant->name_at, true);
        return eval(c, v->constant_value, true);
    }
    if (c->tracing)
        return decide_traced(c, v);
    if (v->has_lets)
        return decide_lets_counted(c, v);
    const ir_rule *r = plain_rule_counted(c, v);
    value result = eval(c, r->value, true);
    note_fired(c, v, r);
    return result;
}

/* What a value decided with nothing counted came to, kept in its slot: the
 * case's, or the item's it was decided for (still c->item: an aggregate
 * puts back the item it found). Each function that decides a value keeps
 * it itself, so that a call to decide one is a jump, with nothing to keep
 * across it. */
EV_INLINE value keep_free(ev_case *c, const ir_value *v, value result)
{
    if (v->item) {
        c->item->attrs[v->slot] = result;
        c->item->state[v->slot] = 2;
    } else {
        c->globals[v->slot] = result;
        c->state[v->slot] = 2;
    }
    return result;
}

/* A constant or a value with lets, with nothing counted: apart, so that
 * the paths of the other values stay small. */
static __attribute__((noinline)) value decide_free_other(ev_case *c, const ir_value *v)
{
    if (v->constant)
        return keep_free(c, v, eval(c, v->constant_value, false));
    return keep_free(c, v, decide_lets_free(c, v));
}

/* note_fired() and keep_free() for the rule of v (its target) with index
 * `rule` that gave `result`, with nothing counted: one test of whether v is
 * per item. The index comes from where the caller found the rule (ir_flow,
 * ir_value.always_index), so that the rule's own line is not read. */
EV_INLINE value fired_free(ev_case *c, const ir_value *v, size_t rule, value result)
{
    if (v->item) {
        if (!c->fired_seen[rule]) {
            c->fired_seen[rule] = 1;
            c->fired[c->fired_count++] = rule;
        }
        c->item->attrs[v->slot] = result;
        c->item->state[v->slot] = 2;
    } else {
        c->fired[c->fired_count++] = rule;
        c->globals[v->slot] = result;
        c->state[v->slot] = 2;
    }
    return result;
}

/* A value whose first rule always applies (ir_value.always), with nothing
 * counted: about half the values decided, for which this is all the work
 * there is, in a function that needs only two registers kept. */
static __attribute__((noinline)) value decide_always(ev_case *c, const ir_value *v)
{
    /* A value that always applies is most often a sum or count over a list:
     * an aggregate is called directly, after a test the processor predicts
     * from the values decided before, where one call through ops_free for
     * every kind of value mispredicted most of the time. (A test for each of
     * the next commonest, sums and differences, cost more instructions than
     * the mispredicts they saved.) */
    const ir_expr *x = v->always_value;
    value result;
    if (x->free_op == IR_AGGREGATE)
        result = AGGREGATE_free(c, x);
    else
        result = eval(c, x, false);
    return fired_free(c, v, v->always_index, result);
}

/* Every other value: its rules as a program (ir_value.flow), from the
 * step its dispatch, if any, picks to the step that fires. */
#if defined(__GNUC__) && !defined(__clang__) && !defined(REGEL_SWITCH_DISPATCH)
/* GCC would merge the steps' like endings into one, and with them their
 * jumps to the next step's work: one jump shared by several kinds of step
 * again (see below). */
__attribute__((optimize("no-crossjumping")))
#endif
static __attribute__((noinline)) value decide_flow(ev_case *c, const ir_value *v)
{
    const ir_dispatch *d = v->dispatch;
    const ir_dispatch_case *k = d ? dispatch_case(c, d) : NULL;
    const ir_flow *s = !d ? v->flow : k ? k->flow : d->flow_none;
#if defined(__GNUC__) && !defined(REGEL_SWITCH_DISPATCH)
    /* Threaded: each step's work ends in a jump of its own to the next
     * step's work, which the processor predicts from the step it ends,
     * where one jump shared by all steps mispredicts far more often. */
    static const void *const work[] = {
#define X(name) [IR_FREE_##name] = &&step_##name,
        IR_FREE_TESTS(X)
#undef X
    };
    /* The step's test is at a fixed place in the step: read through s, with
     * no pointer of its own to keep. */
#define t (&s->test)
#define NEXT(held)                                                                                                     \
    do {                                                                                                               \
        s = (held) ? s + 1 : s->fail;                                                                                  \
        goto *work[t->free];                                                                                           \
    } while (0)
    goto *work[t->free];
step_VALUE: NEXT(value_true(c, t, false));
step_NOT_VALUE: NEXT(!value_true(c, t, false));
step_ITEM_VALUE: NEXT(value_true(c, t, true));
step_NOT_ITEM_VALUE: NEXT(!value_true(c, t, true));
step_INPUT_IN: NEXT(in_range(t, c->inputs[t->index].i));
step_INPUT_OUT: NEXT(!in_range(t, c->inputs[t->index].i));
step_ITEM_IN: NEXT(in_range(t, c->item->fields[t->index].i));
step_ITEM_OUT: NEXT(!in_range(t, c->item->fields[t->index].i));
step_SET: NEXT(in_set(t, test_field(c, t->of_item, t->index)));
step_FIELDS: NEXT(fields_hold(c, t));
step_RANGE_IN: NEXT(in_range(t, operand_free(c, &t->operand).i));
step_RANGE_OUT: NEXT(!in_range(t, operand_free(c, &t->operand).i));
step_EXPR: NEXT((eval(c, t->expr, false).i != 0) != t->negate);
step_FIRE_CONST: return fired_free(c, v, t->rule_index, s->fired);
step_FIRE_INPUT: return fired_free(c, v, t->rule_index, c->inputs[t->index]);
step_FIRE_ITEM_FIELD: return fired_free(c, v, t->rule_index, c->item->fields[t->index]);
#undef NEXT
#undef t
step_FIRE:;
#else
    for (int held; (held = step_free(c, &s->test)) >= 0;)
        s = held ? s + 1 : s->fail;
#endif
    const ir_rule *r = s->rule;
    if (!r)
        no_rule_applies(c, v);
    return fired_free(c, v, s->test.rule_index, eval(c, r->value, false));
}

/* Decides a value not decided yet with nothing counted, and keeps it. */
EV_INLINE value decide_free(ev_case *c, const ir_value *v)
{
    if (v->always)
        return decide_always(c, v);
    if (__builtin_expect(!v->flow, 0))
        return decide_free_other(c, v);
    return decide_flow(c, v);
}

/* Decides a global value not decided yet (its state is not 2). A value
 * being decided is marked (state 1) so that one reached again while it is
 * fails rather than recursing for ever. The checker rejects a definition
 * cycle (compile_value), so only a counted evaluation, which stands for any
 * program, keeps the mark: one that counts nothing runs only where the
 * checker bounded the nesting (out_of_reach), and with no cycle. */
EV_INLINE value decide_global(ev_case *c, const ir_value *v, loc at, bool counted)
{
    if (!counted)
        return decide_free(c, v);
    if (c->state[v->slot] == 1)
        fail(c, at, "a value depends on itself");
    c->state[v->slot] = 1;
    /* A global value reads no item; only the trace looks at c->item. */
    ev_item *saved = c->item;
    c->item = NULL;
    value result = decide_counted(c, v);
    c->item = saved;
    c->globals[v->slot] = result;
    c->state[v->slot] = 2;
    return result;
}

EV_INLINE value global(ev_case *c, const ir_value *v, loc at, bool counted)
{
    if (c->state[v->slot] == 2)
        return c->globals[v->slot];
    return decide_global(c, v, at, counted);
}

/* Decides a per-item value not decided yet for the item. */
EV_INLINE value decide_per_item(ev_case *c, const ir_value *v, loc at, bool counted)
{
    if (!counted)
        return decide_free(c, v);
    ev_item *item = c->item;
    if (item->state[v->slot] == 1)
        fail(c, at, "a value depends on itself");
    item->state[v->slot] = 1;
    value result = decide_counted(c, v);
    item->attrs[v->slot] = result;
    item->state[v->slot] = 2;
    return result;
}

EV_INLINE value per_item(ev_case *c, const ir_value *v, loc at, bool counted)
{
    if (c->item->state[v->slot] == 2)
        return c->item->attrs[v->slot];
    return decide_per_item(c, v, at, counted);
}

/* A value not yet decided, from an evaluation that counts nothing (an
 * expression or an operand that names it, a test that reads it): apart, so
 * that its callers do not inline the deciding. */
static value undecided_free(ev_case *c, const ir_value *v) { return decide_free(c, v); }

static int64_t to_decimal(ev_case *c, vtype t, int64_t v, const ir_expr *x)
{
    if (t.kind == VT_DECIMAL)
        return v;
    return checked_mul(c, v, EX_SCALE, x);
}

static int compare(ev_case *c, const ir_expr *x, value a, value b)
{
    vtype ta = x->a->type, tb = x->b->type;
    if (ta.kind == VT_TEXT) {
        const ev_text *s = a.p, *t = b.p;
        size_t n = s->len < t->len ? s->len : t->len;
        int r = memcmp(s->bytes, t->bytes, n);
        return r ? r : (s->len > t->len) - (s->len < t->len);
    }
    int64_t l = a.i, r = b.i;
    if (ta.kind != tb.kind) {
        l = to_decimal(c, ta, l, x);
        r = to_decimal(c, tb, r, x);
    }
    return (l > r) - (l < r);
}

/* Divides exactly, or fails: a legal result is never silently truncated. */
static int64_t divide_exact(ev_case *c, int64_t n, int64_t d, loc at)
{
    if (d == 0)
        fail(c, at, "division by zero");
    if (n == INT64_MIN && d == -1)
        fail(c, at, "arithmetic overflow");
    if (n % d != 0)
        fail(c, at, "the division does not come out even in this unit");
    return n / d;
}

static int64_t arith(ev_case *c, const ir_expr *x, value a, value b)
{
    vtype ta = x->a->type, tb = x->b->type, tr = x->type;
    int64_t l = a.i, r = b.i, out = 0;
    switch ((ast_binop)x->sub) {
    case OP_ADD:
    case OP_SUB:
        if (tr.kind == VT_DECIMAL) {
            l = to_decimal(c, ta, l, x);
            r = to_decimal(c, tb, r, x);
        }
        return x->sub == OP_ADD ? checked_add(c, l, r, x) : checked_sub(c, l, r, x);
    case OP_MUL:
        if (tr.kind == VT_DECIMAL) {
            /* (l * 10^6) * (r * 10^6) / 10^6, exact or an error */
            l = to_decimal(c, ta, l, x);
            r = to_decimal(c, tb, r, x);
            __int128 p = (__int128)l * r;
            if (p % EX_SCALE != 0)
                fail(c, x->at, "the product has more than six decimals");
            p /= EX_SCALE;
            if (p > INT64_MAX || p < INT64_MIN)
                fail(c, x->at, "arithmetic overflow");
            return (int64_t)p;
        }
        if (ta.kind == VT_DECIMAL || tb.kind == VT_DECIMAL) {
            int64_t dec = ta.kind == VT_DECIMAL ? l : r, whole = ta.kind == VT_DECIMAL ? r : l;
            if (!ex_decimal_times_int_exact(dec, whole, &out))
                fail(c, x->at, "the product is not a whole number of its unit");
            return out;
        }
        return checked_mul(c, l, r, x);
    case OP_DIV:
        if (tr.kind == VT_DECIMAL) {
            /* l / r with six decimals, exact or an error */
            __int128 n = (__int128)(ta.kind == VT_DECIMAL ? l : (__int128)l * EX_SCALE) * EX_SCALE;
            __int128 d = tb.kind == VT_DECIMAL ? r : (__int128)r * EX_SCALE;
            if (ta.kind != VT_DECIMAL && tb.kind != VT_DECIMAL && ta.kind == tb.kind && ta.kind != VT_INT) {
                n = (__int128)l * EX_SCALE;
                d = r;
            }
            if (d == 0)
                fail(c, x->at, "division by zero");
            if (n % d != 0)
                fail(c, x->at, "the quotient has more than six decimals");
            __int128 q = n / d;
            if (q > INT64_MAX || q < INT64_MIN)
                fail(c, x->at, "arithmetic overflow");
            return (int64_t)q;
        }
        if (tb.kind == VT_DECIMAL) {
            __int128 n = (__int128)l * EX_SCALE;
            if (r == 0)
                fail(c, x->at, "division by zero");
            if (n % r != 0)
                fail(c, x->at, "the division does not come out even in this unit");
            __int128 q = n / r;
            if (q > INT64_MAX || q < INT64_MIN)
                fail(c, x->at, "arithmetic overflow");
            return (int64_t)q;
        }
        return divide_exact(c, l, r, x->at);
    default:
        return 0;
    }
}

EV_INLINE int64_t builtin(ev_case *c, const ir_expr *x, bool counted)
{
    value a = operand(c, x->args[0], &x->left, counted);
    value b = x->arg_count > 1 ? operand(c, x->args[1], &x->right, counted) : a;
    switch ((ir_builtin)x->sub) {
    case BI_AGE: return cal_age_years((cal_day)a.i, (cal_day)b.i);
    case BI_AGE_IN_MONTH: return cal_age_in_month((cal_day)a.i, (cal_day)b.i);
    case BI_BIRTHDAY: {
        cal_day day;
        if (!cal_birthday_within((cal_day)a.i, b.i, &day))
            fail(c, x->at, "the date is outside the calendar");
        return day;
    }
    case BI_YEAR: return cal_year((cal_day)a.i);
    case BI_MONTH: return cal_month((cal_day)a.i);
    case BI_START_OF_MONTH: return cal_start_of_month((cal_day)a.i);
    case BI_END_OF_MONTH: return cal_end_of_month((cal_day)a.i);
    case BI_DAYS_BETWEEN: return b.i - a.i;
    case BI_MIN:
    case BI_MAX: {
        int64_t best = a.i;
        for (size_t i = 1; i < x->arg_count; i++) {
            int64_t v = i == 1 ? b.i : eval(c, x->args[i], counted).i;
            if (x->sub == BI_MIN ? v < best : v > best)
                best = v;
        }
        return best;
    }
    default:
        return 0;
    }
}

static void note_lookup(ev_case *c, const ir_expr *x, int64_t key, long row)
{
    ev_step *st = c->step;
    st->lookups = grow(c, st->lookups, st->lookup_count, &st->lookup_cap, sizeof *st->lookups);
    st->lookups[st->lookup_count++] = (ev_lookup){x->table, x, key, row};
}

EV_INLINE value lookup(ev_case *c, const ir_expr *x, bool counted)
{
    const ir_table *t = x->table;
    int64_t key = operand(c, x->a, &x->left, counted).i;
    for (size_t i = 0; i < t->row_count; i++) {
        const ir_row *row = &t->rows[i];
        if (key >= row->low && key <= row->high) {
            if (counted && c->step)
                note_lookup(c, x, key, (long)i);
            return (value){.p = row};
        }
    }
    if (t->otherwise) {
        if (counted && c->step)
            note_lookup(c, x, key, -1);
        return (value){.p = t->otherwise};
    }
    fail(c, x->at, t->no_match ? t->no_match : "no row of the table matches");
}

EV_INLINE value aggregate(ev_case *c, const ir_expr *x, bool counted)
{
    const ev_list *list = c->inputs[x->index].p;
    ev_item *saved = c->item;
    /* For the trace's numbering of items, which only a counted evaluation records. */
    const ev_list *saved_list = c->list;
    const char *saved_name = c->list_name;
    if (counted) {
        c->list = list;
        c->list_name = x->name;
    }
    int64_t acc = x->sub == AGG_ALL;
    for (size_t i = 0; i < list->count; i++) {
        count_step(c, x->at, counted);
        c->item = &list->items[i];
        /* The compiled tests unless a trace records what the `where` reads. */
        bool selected = !x->b || (x->where && !(counted && c->step) ? passes(c, x->where, x->where_count, counted)
                                                                    : eval(c, x->b, counted).i);
        if (x->sub == AGG_ALL) {
            if (!selected) {
                acc = 0;
                break;
            }
            continue;
        }
        if (!selected)
            continue;
        if (x->sub == AGG_SUM) {
            int64_t v = eval(c, x->a, counted).i;
            acc = checked_add(c, acc, v, x);
        } else if (x->sub == AGG_COUNT) {
            acc++;
        } else {
            acc = 1;
            break;
        }
    }
    c->item = saved;
    if (counted) {
        c->list = saved_list;
        c->list_name = saved_name;
    }
    return (value){.i = acc};
}

/* One function per operation (and per way through), called through a table
 * indexed by the op: each saves only the registers its own work needs, where
 * one function with a switch over all of them paid for the largest case on
 * every node. */

EV_INLINE value op_CONST(ev_case *c, const ir_expr *x, bool counted) { return x->constant; }

EV_INLINE value op_INPUT(ev_case *c, const ir_expr *x, bool counted)
{
    value v = c->inputs[x->index];
    if (counted && c->step)
        note(c, EV_SEEN_INPUT, x->name, SEEN_INPUT(x->index), NULL, x->type, v, false);
    return v;
}

EV_INLINE value op_VALUE(ev_case *c, const ir_expr *x, bool counted)
{
    value v = global(c, x->target, x->at, counted);
    if (counted && c->step)
        note(c, EV_SEEN_VALUE, x->name, (uintptr_t)x->target, x->target, x->type, v, false);
    return v;
}

EV_INLINE value op_ITEM_FIELD(ev_case *c, const ir_expr *x, bool counted)
{
    value v = c->item->fields[x->index];
    if (counted && c->step)
        note(c, EV_SEEN_INPUT, x->name, SEEN_ITEM_FIELD(x->index), NULL, x->type, v, true);
    return v;
}

EV_INLINE value op_ITEM_VALUE(ev_case *c, const ir_expr *x, bool counted)
{
    value v = per_item(c, x->target, x->at, counted);
    if (counted && c->step)
        note(c, EV_SEEN_VALUE, x->name, (uintptr_t)x->target, x->target, x->type, v, true);
    return v;
}

EV_INLINE value op_LET(ev_case *c, const ir_expr *x, bool counted) { return c->lets[x->index]; }

EV_INLINE value op_NOT(ev_case *c, const ir_expr *x, bool counted)
{
    return (value){.i = !operand(c, x->a, &x->left, counted).i};
}

EV_INLINE value op_NEG(ev_case *c, const ir_expr *x, bool counted)
{
    return (value){.i = checked_sub(c, 0, operand(c, x->a, &x->left, counted).i, x)};
}

EV_INLINE value op_AND(ev_case *c, const ir_expr *x, bool counted)
{
    return (value){.i = operand(c, x->a, &x->left, counted).i && operand(c, x->b, &x->right, counted).i};
}

EV_INLINE value op_OR(ev_case *c, const ir_expr *x, bool counted)
{
    return (value){.i = operand(c, x->a, &x->left, counted).i || operand(c, x->b, &x->right, counted).i};
}

EV_INLINE value op_COMPARE(ev_case *c, const ir_expr *x, bool counted)
{
    /* Left before right: the order values are first computed in is the order
     * rules fire in, and C leaves the order of arguments unspecified. */
    value left = operand(c, x->a, &x->left, counted);
    value right = operand(c, x->b, &x->right, counted);
    /* Most comparisons are of two whole numbers of one unit. */
    int r = x->a->type.kind == x->b->type.kind && x->a->type.kind != VT_TEXT ? (left.i > right.i) - (left.i < right.i)
                                                                             : compare(c, x, left, right);
    switch ((ast_binop)x->sub) {
    case OP_EQ: return (value){.i = r == 0};
    case OP_NE: return (value){.i = r != 0};
    case OP_LT: return (value){.i = r < 0};
    case OP_LE: return (value){.i = r <= 0};
    case OP_GT: return (value){.i = r > 0};
    case OP_GE: return (value){.i = r >= 0};
    default: return (value){.i = 0};
    }
}

EV_INLINE value op_ARITH(ev_case *c, const ir_expr *x, bool counted)
{
    value a = operand(c, x->a, &x->left, counted), b = operand(c, x->b, &x->right, counted);
    return (value){.i = arith(c, x, a, b)};
}

EV_INLINE value op_IF(ev_case *c, const ir_expr *x, bool counted)
{
    return operand(c, x->a, &x->left, counted).i ? operand(c, x->b, &x->right, counted) : eval(c, x->c, counted);
}

EV_INLINE value op_IN(ev_case *c, const ir_expr *x, bool counted)
{
    value needle = operand(c, x->a, &x->left, counted);
    for (size_t i = 0; i < x->arg_count; i++) {
        value v = eval(c, x->args[i], counted);
        if (x->a->type.kind == VT_TEXT ? compare(c, &(ir_expr){.a = x->a, .b = x->a}, needle, v) == 0 : v.i == needle.i)
            return (value){.i = 1};
    }
    return (value){.i = 0};
}

/* Whether an aggregate with nothing counted takes the item it is at: its
 * `where` as tests (`where`, `end`), or the expression `b`. */
EV_INLINE bool selected_free(ev_case *c, const ir_test *where, const ir_test *end, const ir_expr *b)
{
    if (where) {
        for (; where < end; where++)
            if (!test_free(c, where))
                return false;
        return true;
    }
    return !b || eval(c, b, false).i != 0;
}

/* aggregate() with nothing counted: a loop of its own for each kind, with
 * what it reads of the expression read once, so that what an item costs is
 * its `where` and its term. */
static value aggregate_free(ev_case *c, const ir_expr *x)
{
    const ev_list *list = c->inputs[x->index].p;
    ev_item *saved = c->item, *item = list->items, *end = item + list->count;
    const ir_test *where = x->b ? x->where : NULL, *where_end = where ? where + x->where_count : NULL;
    const ir_expr *b = x->b;
    int64_t acc = 0;
    switch ((ast_aggregate)x->sub) {
    case AGG_SUM:
        for (const ir_operand *term = &x->left; item < end; item++) {
            c->item = item;
            if (selected_free(c, where, where_end, b))
                acc = checked_add(c, acc, operand_free(c, term).i, x);
        }
        break;
    case AGG_COUNT:
        for (; item < end; item++) {
            c->item = item;
            acc += selected_free(c, where, where_end, b);
        }
        break;
    case AGG_ANY:
        for (; item < end && !acc; item++) {
            c->item = item;
            acc = selected_free(c, where, where_end, b);
        }
        break;
    default:
        acc = 1;
        for (; item < end && acc; item++) {
            c->item = item;
            acc = selected_free(c, where, where_end, b);
        }
        break;
    }
    c->item = saved;
    return (value){.i = acc};
}

EV_INLINE value op_AGGREGATE(ev_case *c, const ir_expr *x, bool counted)
{
    return counted ? aggregate(c, x, true) : aggregate_free(c, x);
}

EV_INLINE value op_BUILTIN(ev_case *c, const ir_expr *x, bool counted) { return (value){.i = builtin(c, x, counted)}; }

EV_INLINE value op_TABLE(ev_case *c, const ir_expr *x, bool counted) { return lookup(c, x, counted); }

EV_INLINE value op_COLUMN(ev_case *c, const ir_expr *x, bool counted)
{
    return ((const ir_row *)operand(c, x->a, &x->left, counted).p)->cells[x->index];
}

/* The operations only an evaluation that counts nothing runs (IR_FREE_OPS):
 * each does what the general one does for its shape, in the same order. */

static value op_FREE_COMPARE(ev_case *c, const ir_expr *x, bool counted)
{
    int64_t left = operand_free(c, &x->left).i;
    int64_t right = operand_free(c, &x->right).i;
    switch ((ast_binop)x->sub) {
    case OP_EQ: return (value){.i = left == right};
    case OP_NE: return (value){.i = left != right};
    case OP_LT: return (value){.i = left < right};
    case OP_LE: return (value){.i = left <= right};
    case OP_GT: return (value){.i = left > right};
    case OP_GE: return (value){.i = left >= right};
    default: return (value){.i = 0};
    }
}

static value op_FREE_ADD(ev_case *c, const ir_expr *x, bool counted)
{
    int64_t a = operand_free(c, &x->left).i;
    return (value){.i = checked_add(c, a, operand_free(c, &x->right).i, x)};
}

static value op_FREE_SUB(ev_case *c, const ir_expr *x, bool counted)
{
    int64_t a = operand_free(c, &x->left).i;
    return (value){.i = checked_sub(c, a, operand_free(c, &x->right).i, x)};
}

static value op_FREE_AGE(ev_case *c, const ir_expr *x, bool counted)
{
    int64_t birth = operand_free(c, &x->left).i;
    return (value){.i = cal_age_years((cal_day)birth, (cal_day)operand_free(c, &x->right).i)};
}

static value op_FREE_AGE_IN_MONTH(ev_case *c, const ir_expr *x, bool counted)
{
    int64_t birth = operand_free(c, &x->left).i;
    return (value){.i = cal_age_in_month((cal_day)birth, (cal_day)operand_free(c, &x->right).i)};
}

static value op_FREE_MIN2(ev_case *c, const ir_expr *x, bool counted)
{
    int64_t a = operand_free(c, &x->left).i, b = operand_free(c, &x->right).i;
    return (value){.i = b < a ? b : a};
}

static value op_FREE_MAX2(ev_case *c, const ir_expr *x, bool counted)
{
    int64_t a = operand_free(c, &x->left).i, b = operand_free(c, &x->right).i;
    return (value){.i = b > a ? b : a};
}

/* Computed the first time a case needs it, by the operation the checker
 * replaced (ir_expr.shared_op: a call or a table lookup), and read after
 * (op_FREE_SHARED). Apart, so that reading it again costs no frame. */
static __attribute__((noinline)) value shared_first(ev_case *c, const ir_expr *x)
{
    value v;
    switch (x->shared_op) {
    case IR_TABLE: v = op_TABLE(c, x, false); break;
    case IR_FREE_AGE: v = op_FREE_AGE(c, x, false); break;
    case IR_FREE_AGE_IN_MONTH: v = op_FREE_AGE_IN_MONTH(c, x, false); break;
    case IR_FREE_MIN2: v = op_FREE_MIN2(c, x, false); break;
    case IR_FREE_MAX2: v = op_FREE_MAX2(c, x, false); break;
    default: v = op_BUILTIN(c, x, false); break;
    }
    c->shared[x->shared] = v;
    c->shared_state[x->shared] = 1;
    return v;
}

static value op_FREE_SHARED(ev_case *c, const ir_expr *x, bool counted)
{
    if (c->shared_state[x->shared])
        return c->shared[x->shared];
    return shared_first(c, x);
}

#define X(name)                                                                                                        \
    static value name##_counted(ev_case *c, const ir_expr *x) { return op_##name(c, x, true); }                      \
    static value name##_free(ev_case *c, const ir_expr *x) { return op_##name(c, x, false); }
IR_OPS(X)
#undef X
#define X(name)                                                                                                        \
    static value name##_free(ev_case *c, const ir_expr *x) { return op_##name(c, x, false); }
IR_FREE_OPS(X)
#undef X

static value (*const ops_counted[])(ev_case *, const ir_expr *) = {
#define X(name) [IR_##name] = name##_counted,
    IR_OPS(X)
#undef X
};

static value (*const ops_free[])(ev_case *, const ir_expr *) = {
#define X(name) [IR_##name] = name##_free,
    IR_OPS(X) IR_FREE_OPS(X)
#undef X
};

/* At the nesting bound: fails unless x is what eval() answers in place (a
 * leaf, or a value already computed). Apart, so that eval_full stays small. */
static __attribute__((noinline, cold)) void at_nesting_bound(ev_case *c, const ir_expr *x)
{
    switch (x->op) {
    case IR_CONST:
    case IR_INPUT:
    case IR_ITEM_FIELD:
    case IR_LET: return;
    case IR_VALUE:
        if (c->state[x->target->slot] == 2)
            return;
        break;
    case IR_ITEM_VALUE:
        if (c->item->state[x->target->slot] == 2)
            return;
        break;
    default: break;
    }
    over_limit(c, x->at, "the evaluation nests too deeply");
}

/* Operations and values still to compute count against the rule file's
 * nesting bound: a rule file whose evaluation would recurse without end in
 * practice (100,000 nested definitions) ends in an error record, not a stack
 * overflow. What eval() answers in place recurses no further and is not
 * counted, so that a trace, which sends every node here, meets the bound
 * where an evaluation without one does. */
EV_INLINE value eval_full(ev_case *c, const ir_expr *x, bool counted)
{
    /* ops_free has every operation, so free_op, which the checker sets to
     * one, needs no test; ops_counted lacks the IR_FREE_OPS, which `op`
     * must never be. */
    if (!counted)
        return ops_free[x->free_op](c, x);
    if ((size_t)x->op >= sizeof ops_counted / sizeof *ops_counted)
        fail(c, x->at, "internal error: unknown operation");
    if (c->nesting >= c->max_nesting)
        at_nesting_bound(c, x);
    c->nesting++;
    value v = ops_counted[x->op](c, x);
    c->nesting--;
    return v;
}

/* Most evaluations are of leaves (constants, inputs, item fields, lets) and
 * of values already computed: more than half of the nodes of a decision.
 * Unless a trace is being recorded, they are answered at the call site, with
 * no call: the call and the operation's prologue cost more than reading the
 * slot. Anything else goes through eval_full. */
EV_INLINE value eval(ev_case *c, const ir_expr *x, bool counted)
{
    ir_op op = counted ? x->op : x->free_op;
    if (op <= IR_LET && !(counted && c->step)) {
        switch (op) {
        case IR_CONST: return x->constant;
        case IR_INPUT: return c->inputs[x->index];
        case IR_ITEM_FIELD: return c->item->fields[x->index];
        case IR_LET: return c->lets[x->index];
        case IR_VALUE:
            if (!counted)
                return known(c, x, false);
            if (c->state[x->index] == 2)
                return c->globals[x->index];
            break;
        case IR_ITEM_VALUE:
            if (!counted)
                return known(c, x, true);
            if (c->item->state[x->index] == 2)
                return c->item->attrs[x->index];
            break;
        default: break;
        }
    }
    return eval_full(c, x, counted);
}

bool ev_begin(ev_case *c, const ir_program *p, arena *a, value *inputs)
{
    memset(c, 0, sizeof *c);
    c->prog = p;
    c->arena = a;
    c->inputs = inputs;
    size_t g = p->global_count ? p->global_count : 1, n = p->rule_count ? p->rule_count : 1, s = p->shared_count;
    /* The case's tables in one block, the 8-byte ones first: one allocation
     * a record rather than six. The counts are the program's, already in
     * memory, so the sum cannot overflow. Only the states start at zero: a
     * value is read once its state says it is decided, and `fired` up to
     * fired_count. */
    char *block = arena_alloc(a, (g + s) * sizeof *c->globals + n * sizeof *c->fired + g + n + s);
    if (!block)
        return false;
    c->globals = (value *)block;
    c->shared = c->globals + g;
    c->fired = (size_t *)(block + (g + s) * sizeof *c->globals);
    c->state = (unsigned char *)(block + (g + s) * sizeof *c->globals + n * sizeof *c->fired);
    c->fired_seen = c->state + g;
    c->shared_state = c->fired_seen + n;
    memset(c->state, 0, g + n + s);
    c->steps_tail = &c->steps;
    c->max_steps = EV_DEFAULT_MAX_STEPS;
    c->max_nesting = src_max_nesting(p->file ? p->file->src : NULL);
    return true;
}

/* Whether the checks can reach neither limit, so that nothing need be
 * counted but the checks themselves. */
static bool checks_out_of_reach(const ev_case *c)
{
    const ir_program *p = c->prog;
    return p->check_depth < c->max_nesting && c->nesting < c->max_nesting - p->check_depth &&
           c->steps_taken <= c->max_steps && p->check_count <= c->max_steps - c->steps_taken;
}

static const ir_check *failed_check_guarded(ev_case *c)
{
    jmp_buf env;
    c->on_error = &env;
    volatile size_t i = 0;
    if (setjmp(env)) {
        c->nesting = 0; /* the frames it counted are gone */
        return &c->prog->checks[i];
    }
    const ir_program *p = c->prog;
    if (checks_out_of_reach(c)) {
        for (; i < p->check_count; i++) {
            c->steps_taken++;
            if (!passes(c, p->checks[i].tests, p->checks[i].test_count, false))
                return &p->checks[i];
        }
        return NULL;
    }
    for (; i < p->check_count; i++) {
        count_step(c, p->checks[i].require->at, true);
        if (!eval(c, p->checks[i].require, true).i)
            return &p->checks[i];
    }
    return NULL;
}

/* Whether a check's tests that compare fields in place
 * (ir_program.checks_in_place) hold: test_free told that it meets no other
 * kind, so that it makes no call. */
static bool holds_in_place(ev_case *c, const ir_check *check)
{
    for (size_t k = 0; k < check->test_count; k++) {
        const ir_test *t = &check->tests[k];
        if (t->free < IR_FREE_INPUT_IN || t->free > IR_FREE_FIELDS)
            __builtin_unreachable();
        if (!test_free(c, t))
            return false;
    }
    return true;
}

const ir_check *ev_failed_check(ev_case *c)
{
    /* Tests that compare fields in place raise no error: no setjmp, and the
     * steps (a check each) counted once, up to the check that fails. */
    const ir_program *p = c->prog;
    if (p->checks_in_place && checks_out_of_reach(c)) {
        for (size_t i = 0; i < p->check_count; i++)
            if (!holds_in_place(c, &p->checks[i])) {
                c->steps_taken += i + 1;
                return &p->checks[i];
            }
        c->steps_taken += p->check_count;
        return NULL;
    }
    return failed_check_guarded(c);
}

/* Whether deciding the case can reach neither limit, so that nothing need
 * be counted: the nesting the deepest value can reach (ir_program.depth)
 * stays under the bound, and the most steps its rules and aggregates can
 * take over lists of these lengths fit in what is left of the budget. */
static bool out_of_reach(const ev_case *c)
{
    const ir_program *p = c->prog;
    if (c->tracing || p->depth >= c->max_nesting || c->nesting > c->max_nesting - 1 - p->depth)
        return false;
    uint64_t steps = p->steps_fixed;
    for (size_t i = 0; i < p->list_step_count; i++) {
        const ev_list *list = c->inputs[p->list_steps[i].field].p;
        uint64_t more;
        if (!list || __builtin_mul_overflow((uint64_t)list->count, p->list_steps[i].per_item, &more) ||
            __builtin_add_overflow(steps, more, &steps))
            return false;
    }
    return c->steps_taken <= c->max_steps && steps <= c->max_steps - c->steps_taken;
}

bool ev_decide(ev_case *c, value *out)
{
    jmp_buf env;
    c->on_error = &env;
    if (setjmp(env)) {
        c->nesting = 0; /* the frames it counted are gone */
        return false;
    }
    const ir_program *p = c->prog;
    if (out_of_reach(c)) {
        /* Most results were decided on the way to those before them. */
        for (size_t i = 0; i < p->result_count; i++) {
            const ir_value *v = p->result_values[i];
            out[i] = c->state[v->slot] == 2 ? c->globals[v->slot] : decide_global(c, v, v->rules[0]->decl->name_at, false);
        }
    } else {
        for (size_t i = 0; i < p->result_count; i++)
            out[i] = global(c, p->results[i].value, p->results[i].value->rules[0]->decl->name_at, true);
    }
    return true;
}

bool ev_reeval(ev_case *c, const ev_step *step, const ir_expr *x, value *out)
{
    jmp_buf env;
    jmp_buf *saved_env = c->on_error;
    ev_item *saved_item = c->item;
    value *saved_lets = c->lets;
    size_t fired_before = c->fired_count;
    bool saved_tracing = c->tracing;
    unsigned saved_nesting = c->nesting;
    const ir_rule *r = step ? step->rule : NULL;
    size_t n = r && r->let_count ? r->let_count : 1;
    value *frame = arena_calloc(c->arena, n, sizeof *frame);
    if (!frame)
        return false;
    c->on_error = &env;
    c->tracing = false;
    c->step = NULL;
    bool ok = false;
    if (!setjmp(env)) {
        c->item = step ? step->item_ref : NULL;
        c->lets = frame;
        for (size_t k = 0; r && k < r->let_count; k++)
            frame[k] = eval(c, r->lets[k], true);
        *out = eval(c, x, true);
        ok = true;
    }
    /* Rules fired only now decided nothing in the result: take them back. */
    for (size_t k = fired_before; k < c->fired_count; k++)
        c->fired_seen[c->fired[k]] = 0;
    c->fired_count = fired_before;
    c->item = saved_item;
    c->lets = saved_lets;
    c->on_error = saved_env;
    c->tracing = saved_tracing;
    c->nesting = saved_nesting;
    return ok;
}
