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

typedef struct ev_case {
    const ir_program *prog;
    arena *arena;
    value *inputs;            /* one per input field, filled by the record reader */
    value *globals;
    unsigned char *state;     /* per global: 0 not yet, 1 computing, 2 done */
    ev_item *item;            /* the item a per-item rule or an aggregate is looking at */
    value *lets;              /* the let values of the rule being evaluated */
    const ir_rule **fired;
    size_t fired_count;
    unsigned char *fired_seen;
    jmp_buf *on_error;
    const char *error;        /* message of the runtime error */
    loc error_at;
} ev_case;

/* Prepares a case whose inputs were read by rec_read. false when out of memory. */
bool ev_begin(ev_case *c, const ir_program *p, arena *a, value *inputs);
/* Runs the program's checks; on the first that fails, returns it. */
const ir_check *ev_failed_check(ev_case *c);
/* Decides every result into `out` (one per ir_program.results). false on a runtime error (c->error says why). */
bool ev_decide(ev_case *c, value *out);

#endif
