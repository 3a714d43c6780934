/*
 * The evaluator: decides one case record on a compiled rule version. Values
 * are computed on demand, from the results back to the inputs, and each is
 * computed once; the first rule of a value whose condition holds fires and is
 * recorded, so `fired` lists exactly the rules that decided the result, in the
 * order they completed. A runtime error (no rule applies, overflow, no table
 * row) abandons the record, never the batch.
 */
#ifndef REGEL_EVAL_H
#define REGEL_EVAL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdint.h>

#include "arena.h"
#include "program.h"

typedef struct ev_item {
    value *fields;
    value *attrs;
    unsigned char *state;
} ev_item;

typedef struct ev_list {
    size_t count;
    ev_item *items;
} ev_list;

/*
 * The trace: what each rule that was evaluated read, computed and defined.
 * It is recorded only when ev_case.tracing is set before ev_decide; without
 * it the evaluator's only extra cost is a NULL test on each read. Everything
 * lives in the case's arena and is valid until the arena is reset.
 *
 * The steps form a list in the order evaluations completed (a rule that
 * reads another value completes after the rules of that value), so the
 * steps of the rules that fired are in the same order as ev_case.fired.
 * A per-item rule has one step per item it was evaluated for. Rules that
 * were not needed have no step. A rule whose condition did not hold has a
 * step with fired == false; its `seen` holds what the condition read.
 *
 * Readers: the JSON trace (trace.c), `regel explain` (explain.c), the
 * decision log, and rule-test coverage (which rules fired or not, which
 * table rows were matched: ev_lookup.row).
 */
typedef enum {
    EV_SEEN_INPUT,            /* a field of the input, or of the rule's own item */
    EV_SEEN_VALUE,            /* a value defined by rules, or a constant (target->constant) */
    EV_SEEN_LET,              /* one of the rule's own lets */
    EV_SEEN_DEFINED           /* the value the rule gave (only when it fired) */
} ev_seen_kind;

typedef struct ev_seen {
    ev_seen_kind kind;
    const char *name;         /* as the rule file names it */
    const char *list;         /* item >= 0: the list field the item is in (e.g. "needs") */
    long item;                /* index of an item read through an aggregate, else -1 */
    const ir_value *target;   /* EV_SEEN_VALUE, EV_SEEN_DEFINED: the value; NULL otherwise */
    vtype type;
    value v;
    uintptr_t id;             /* what was read (the value, or the field's or let's number), to read it once */
} ev_seen;

typedef struct ev_lookup {
    const ir_table *table;
    const ir_expr *expr;      /* the lookup in the rule (expr->at is its span) */
    int64_t key;              /* in the key type's own representation */
    long row;                 /* index into table->rows; -1 the `otherwise` row */
} ev_lookup;

typedef struct ev_step {
    const ir_rule *rule;
    const char *list;         /* per-item rule: the list field of its item; NULL otherwise */
    long item;                /* per-item rule: the index of its item; -1 otherwise */
    struct ev_item *item_ref; /* per-item rule: the item itself, to look at it again */
    bool fired;
    ev_seen *seen;            /* each name once, in the order first read; lets; then the value defined */
    size_t seen_count, seen_cap;
    uint64_t seen_bits;       /* the evaluator's: a filter of the ids in `seen` */
    ev_lookup *lookups;       /* table lookups the rule made, in order */
    size_t lookup_count, lookup_cap;
    struct ev_step *next;
} ev_step;

typedef struct ev_case {
    const ir_program *prog;
    arena *arena;
    value *inputs;            /* one per input field, filled by the record reader */
    value *globals;
    unsigned char *state;     /* per global: 0 not yet, 1 computing, 2 done */
    value *shared;            /* per ir_program.shared_count: what an IR_FREE_SHARED computed */
    unsigned char *shared_state; /* 1 once computed */
    ev_item *item;            /* the item a per-item rule or an aggregate is looking at */
    value *lets;              /* the let values of the rule being evaluated */
    size_t *fired;            /* the rules that fired, by index (ir_rule.index, into ir_program.rules) */
    size_t fired_count;
    unsigned char *fired_seen;
    jmp_buf *on_error;
    const char *error;        /* message of the runtime error */
    loc error_at;
    /* Limits (ev_begin sets the defaults; a caller may lower or raise them
     * before ev_failed_check): steps per record (a rule tried, a `const` or
     * a check evaluated, an item an aggregate visits; see count_step in
     * eval.c), and how deep operations nest (the rule file's nesting bound).
     * Past either, a runtime error with over_limit set, reported as itself
     * even inside a check. A decision or checks without a trace that can
     * reach neither limit count neither (eval.c: out_of_reach): steps_taken
     * then stays where the checks left it. */
    uint64_t steps_taken, max_steps;
    unsigned nesting, max_nesting;
    bool over_limit;
    /* The trace (see above): set `tracing` after ev_begin to record it. */
    bool tracing;
    ev_step *steps;           /* first completed step */
    ev_step **steps_tail;
    size_t step_count;
    ev_step *step;            /* the step being recorded; NULL when not tracing */
    const ev_list *list;      /* the list an aggregate is walking, to number its items */
    const char *list_name;
} ev_case;

enum { EV_DEFAULT_MAX_STEPS = 100000000 };

/* Prepares a case whose inputs were read by rec_read_indexed or rec_read_direct. false when out of memory. */
bool ev_begin(ev_case *c, const ir_program *p, arena *a, value *inputs);
/* Runs the program's checks; on the first that fails, returns it. */
const ir_check *ev_failed_check(ev_case *c);
/* Decides every result into `out` (one per ir_program.results). false on a runtime error (c->error says why). */
bool ev_decide(ev_case *c, value *out);
/* Evaluates `x` again after ev_decide with a trace, in the scope of a step's
 * rule (its lets and item), for explanations: everything a completed
 * evaluation read is memoised, so this recomputes nothing and records nothing. A value that
 * was never needed is computed now; rules it fires are not added to
 * `fired`. false on a runtime error. */
bool ev_reeval(ev_case *c, const ev_step *step, const ir_expr *x, value *out);

#endif
