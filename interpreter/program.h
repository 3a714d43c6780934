/*
 * The compiled form of one rule version: names resolved to slots, types and
 * units checked, rules grouped under the value they define in the order that
 * decides which fires. The checker builds it from the AST (checker.c); the
 * record reader (record.c) and the evaluator (eval.c) run on it. The AST stays
 * beside it, so every rule still knows its file, line and citation.
 */
#ifndef REGEL_PROGRAM_H
#define REGEL_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"

/* The types of values. The first seven match ast_literal_kind one to one. */
#define VT_KINDS(X)                                                                            \
    X(INT, "integer") X(DECIMAL, "decimal") X(DURATION, "duration") X(WEEKLY, "weekly")     \
    X(YEARS, "years") X(MONEY, "money") X(DATE, "date") X(BOOL, "bool") X(TEXT, "text")     \
    X(ENUM, "enum") X(LIST, "list") X(ITEM, "record") X(ROW, "table row")
typedef enum {
#define X(name, text) VT_##name,
    VT_KINDS(X)
#undef X
} vt_kind;
extern const char *const vt_kind_text[];

typedef struct ir_enum ir_enum;
typedef struct ir_record ir_record;
typedef struct ir_table ir_table;

typedef struct vtype {
    vt_kind kind;
    const ir_enum *en;        /* VT_ENUM */
    const ir_record *rec;     /* VT_LIST, VT_ITEM */
    const ir_table *table;    /* VT_ROW */
} vtype;

typedef union value {
    int64_t i;
    const void *p;
} value;

typedef struct ev_text {
    size_t len;
    char bytes[];
} ev_text;

struct ir_enum {
    const char *name;
    const char **members;
    size_t count;
    loc at;
};

typedef struct ir_field {
    const char *name;
    vtype type;
    bool required;
    value fallback;
    bool has_range;
    int64_t low, high;        /* in the value's own representation */
    loc at;
} ir_field;

typedef struct ir_value ir_value;

struct ir_record {
    const char *name;
    ir_field *fields;
    size_t field_count;
    ir_value **attrs;         /* values defined per item by `for each` rules */
    size_t attr_count;
    loc at;
};

#define IR_BUILTINS(X)                                                                         \
    X(AGE, "age") X(AGE_IN_MONTH, "age_in_month") X(BIRTHDAY, "birthday") X(YEAR, "year")  \
    X(MONTH, "month") X(START_OF_MONTH, "start_of_month") X(END_OF_MONTH, "end_of_month")  \
    X(DAYS_BETWEEN, "days_between") X(MIN, "min") X(MAX, "max")
typedef enum {
#define X(name, text) BI_##name,
    IR_BUILTINS(X)
#undef X
    BI_COUNT_
} ir_builtin;
extern const char *const ir_builtin_text[];

/* The leaves (no operands) come first, LET last of them: eval.c tells them by op <= IR_LET. */
#define IR_OPS(X)                                                                              \
    X(CONST) X(INPUT) X(VALUE) X(ITEM_FIELD) X(ITEM_VALUE) X(LET) X(NOT) X(NEG) X(AND) X(OR) \
    X(COMPARE) X(ARITH) X(IF) X(IN) X(AGGREGATE) X(BUILTIN) X(TABLE) X(COLUMN)
/* Operations only an evaluation that counts nothing runs (eval.c), which the
 * checker puts in ir_expr.free_op for common shapes of the general ones, with
 * what the general operation works out from its operands' types settled:
 * a comparison of two of one kind but text, a sum or difference of one unit
 * (no decimal to scale), age and age_in_month, min and max of two. */
/* FREE_SHARED is a function call or table lookup of the record's fields and
 * constants alone written more than once: computed once a case, into
 * ir_expr.shared, by the operation in shared_op. */
#define IR_FREE_OPS(X)                                                                         \
    X(FREE_COMPARE) X(FREE_ADD) X(FREE_SUB) X(FREE_AGE) X(FREE_AGE_IN_MONTH) X(FREE_MIN2) X(FREE_MAX2) \
    X(FREE_SHARED)
typedef enum {
#define X(name) IR_##name,
    IR_OPS(X) IR_FREE_OPS(X)
#undef X
    IR_THROUGH_NODE           /* not an operation: an ir_operand evaluated through its node */
} ir_op;

typedef struct ir_expr ir_expr;

/* An operand as an evaluation that counts nothing reads it, copied into the
 * node that uses it: a leaf (a constant, a field of the record or of the
 * item, a let, a value, the item's value) is read from its slot with no
 * look at the leaf's own node, which would cost a cache line of its own;
 * anything else is evaluated through `expr`, by its free_op as it is then
 * (the checker may still change it: IR_FREE_SHARED). `from` is the leaf's
 * free_op (IR_CONST .. IR_LET), or IR_THROUGH_NODE. */
typedef struct ir_operand {
    ir_op from;
    uint32_t slot;            /* IR_INPUT, IR_ITEM_FIELD, IR_LET: the index; IR_VALUE, IR_ITEM_VALUE: the value's slot */
    union {
        value constant;       /* IR_CONST */
        const ir_value *target; /* IR_VALUE, IR_ITEM_VALUE: what to decide when it is not yet */
        const ir_expr *expr;  /* not a leaf */
    };
} ir_operand;

/* What evaluating a node reads comes first, in its first 64 bytes (the
 * evaluator finds the rule file's nodes out of its first-level cache for
 * each case, after reading the record: each line a node spans costs): an
 * operation with nothing counted reads its operands (left, right) there,
 * a leaf its constant or index. */
struct ir_expr {
    ir_op op;
    ir_op free_op;            /* what an evaluation that counts nothing (eval.c) runs: `op`, or IR_CONST for
                               * a `const` whose value is a literal, then in `constant` */
    int sub;                  /* ast_binop, ast_aggregate or ir_builtin */
    ir_op shared_op;          /* IR_FREE_SHARED: what computes it */
    ir_operand left, right;   /* with nothing counted: `a` (else args[0]) and `b` (else args[1], when there is no `a`) */
    value constant;           /* IR_CONST */
    size_t index;             /* slot, let index, column */
    /* The second line: what an operation with nothing counted reads besides its operands. */
    ir_expr *b;
    ir_expr **args;
    size_t arg_count;
    const ir_value *target;   /* IR_VALUE, IR_ITEM_VALUE */
    size_t shared;            /* IR_FREE_SHARED: its slot among ir_program.shared_count */
    const struct ir_test *where; /* IR_AGGREGATE: `b` as tests (see ir_test); NULL: evaluate `b` */
    size_t where_count;
    const ir_table *table;    /* IR_TABLE */
    ir_expr *a, *c;
    vtype type;
    loc at;
    const char *name;         /* what the source called it, for traces */
};

/* A sentence for people (`explain LANG "..."`), each {name} in its text
 * compiled as a name in the scope of its rule (explain.c fills them in). */
typedef struct ir_sentence {
    const char *lang;
    const char *text;         /* the holes as written: "{basic_minutes}" */
    ir_expr **holes;          /* one per {name}, in the order of the text */
    size_t hole_count;
} ir_sentence;

/* One conjunct of a rule's condition (or a check's), for the evaluator's
 * untraced path: the `and`s of a condition flattened into a list tested in
 * order, and a conjunct that compares a field of the record or item with
 * constants or with another field, or reads a boolean field or value, tested
 * in place, where the tree costs two calls per operation. */
typedef enum {
    IR_TEST_EXPR,             /* any other condition: evaluate `expr` (false when `negate`) */
    IR_TEST_VALUE,            /* `expr` is a boolean value (IR_VALUE, IR_ITEM_VALUE) in slot `index` */
    IR_TEST_COMPARE,          /* the field `cmp` (an ast_binop) the constant `k` */
    IR_TEST_IN,               /* the field is one of `set` */
    IR_TEST_FIELDS            /* the field `cmp` the field `other`, of one kind but text */
} ir_test_kind;

/* What an evaluation that counts nothing tests (ir_test.free): the kind with
 * whose field or value it is, and a negation, settled, so that it takes one
 * jump to the work. A value's rules run as one program of tests (ir_flow),
 * where FIRE ends each rule. */
/* RANGE_IN and RANGE_OUT are a comparison of an expression with a literal
 * of its kind (an IR_TEST_EXPR for the counted path), read as a range.
 * The steps that fire come last: FIRE evaluates the rule's value; FIRE_CONST,
 * FIRE_INPUT and FIRE_ITEM_FIELD, for a rule whose value is a constant (most
 * rules), a field of the record or one of the item, have it in the step
 * (ir_flow.fired, test.index), so that firing reads no expression. */
#define IR_FREE_TESTS(X)                                                                       \
    X(EXPR) X(VALUE) X(NOT_VALUE) X(ITEM_VALUE) X(NOT_ITEM_VALUE) X(INPUT_IN) X(INPUT_OUT)     \
    X(ITEM_IN) X(ITEM_OUT) X(SET) X(FIELDS) X(RANGE_IN) X(RANGE_OUT) X(FIRE) X(FIRE_CONST)     \
    X(FIRE_INPUT) X(FIRE_ITEM_FIELD)
typedef enum {
#define X(name) IR_FREE_##name,
    IR_FREE_TESTS(X)
#undef X
} ir_free_test;

struct ir_test {
    /* What a step of a program (ir_flow) reads comes first (see ir_expr). */
    ir_free_test free;        /* the same test, for an evaluation that counts nothing */
    bool negate;              /* IR_TEST_EXPR, IR_TEST_VALUE: `not expr` */
    bool of_item;             /* the field or value is the item's (else the record's) */
    bool other_of_item;       /* IR_TEST_FIELDS: the other field, the item's or the record's */
    size_t index;             /* the field's or value's slot */
    union {
        struct {
            int64_t low, high; /* IR_TEST_COMPARE: holds when low <= field <= high, unless `negate`;
                                * IR_FREE_RANGE_IN, _OUT: the same of `operand` (unless _OUT) */
        };
        size_t rule_index;    /* a step that fires (ir_flow): its rule's index, which ev_case.fired lists,
                               * in the step's line, with no look at the rule's */
    };
    ir_operand operand;       /* IR_FREE_RANGE_IN, _OUT: what `expr` compares with a literal;
                               * IR_TEST_VALUE: the value (operand.target) to decide when it is not yet */
    const ir_expr *expr;      /* what the test reads, but for a comparison or membership */
    const int64_t *set;       /* IR_TEST_IN */
    size_t set_count;
    size_t other;
    ir_test_kind kind;
    int cmp;                  /* IR_TEST_COMPARE, IR_TEST_FIELDS: OP_EQ ... OP_GE */
    unsigned reach;           /* operations the tree enters down to `expr` (its `and`s, a `not`, the comparison) */
    int64_t k;                /* IR_TEST_COMPARE: the constant, as written (a dispatch keys on it) */
};
typedef struct ir_test ir_test;

/* A value's rules (or those that can hold for one key of its dispatch) as
 * one program for an evaluation that counts nothing: each rule's tests in
 * order, then a step that fires it (IR_FREE_FIRE); a test that fails goes on
 * at the next rule's first step; after the last rule, a step that fires none
 * (rule NULL). Where a dispatch settled a rule's first test, the test is left
 * out. Each step starts a cache line, and what it reads (the step to go on at
 * or the rule it fires, then the test's first fields) lies in that line. */
typedef struct ir_flow {
    _Alignas(64) const struct ir_rule *rule; /* a step that fires: the rule; NULL after the last (IR_FREE_FIRE) */
    union {
        const struct ir_flow *fail; /* a test: the step to go on at when it fails */
        value fired;          /* IR_FREE_FIRE_CONST: the rule's value */
    };
    ir_test test;             /* test.free says what the step does */
} ir_flow;

typedef struct ir_rule {
    ir_expr *value;           /* first: what firing reads (see ir_expr) */
    ir_value *target;
    size_t index;             /* position in ir_program.rules */
    const ast_decl *decl;     /* id, citation, source, span */
    ir_expr *when;
    ir_test *tests;           /* `when` as its conjuncts (see ir_test); none: always */
    size_t test_count;
    ir_expr **lets;
    size_t let_count;
    ir_sentence *explain;     /* what it means when it fires */
    size_t explain_count;
    ir_sentence *explain_not; /* why it did not apply */
    size_t explain_not_count;
} ir_rule;

/* The rules a value tries first when each of them opens with a test of one
 * field for equality with constants (`when kind = andning and ...`, `when
 * kind in [...] and ...`) and has no lets: which of them can hold, by the
 * field's value, so that the evaluator's untraced path goes straight to
 * those, counting the rules passed over as steps all the same. */
typedef struct ir_dispatch_case {
    int64_t key;
    const uint32_t *rules;    /* indexes into the value's rules, ascending */
    size_t count;
    const ir_flow *flow;      /* these rules and those after the run, as one program */
} ir_dispatch_case;

typedef struct ir_dispatch {
    bool of_item;             /* the field is the item's (else the record's) */
    size_t index;             /* the field's slot */
    size_t run;               /* rules[0 .. run) are dispatched */
    unsigned reach;           /* the largest ir_test.reach of their first tests */
    ir_dispatch_case *cases;  /* sorted by key; a key not here: none of the run can hold */
    size_t case_count;
    const ir_flow *flow_none; /* the rules after the run, as one program */
    /* When the keys are few and close together (enum members): the case of
     * each key from `first` on, NULL for a key with none; else NULL. */
    const ir_dispatch_case **direct;
    int64_t first;
    uint64_t span;
} ir_dispatch;

/* What deciding a value with nothing counted reads comes first, together
 * (see ir_expr). */
struct ir_value {
    const ir_rule *always;    /* with a flow: its first rule when that has no test (it always applies), else NULL */
    const ir_expr *always_value; /* with `always`: its value, a load nearer */
    size_t always_index;      /* with `always`: its index (ir_rule.index), which ev_case.fired lists */
    const ir_flow *flow;      /* all its rules as one program; NULL for a constant or when some rule has lets */
    ir_dispatch *dispatch;    /* NULL: try them one by one */
    const ir_record *item;    /* per-item value: the record it belongs to */
    size_t slot;              /* index among globals or among the record's attrs */
    const ast_decl *constant; /* a `const` declaration instead of rules */
    /* The second line. */
    ir_expr *constant_value;
    const char *name;
    vtype type;
    bool typed;
    ir_rule **rules;          /* tried in order; the first whose condition holds fires */
    size_t rule_count, rule_cap;
    bool has_lets;            /* some rule has lets: the evaluator needs a frame for them */
    unsigned depth;           /* how far above where it is decided deciding it can take the evaluator's nesting count */
    ir_sentence *explain;     /* a constant: what it is called for people */
    size_t explain_count;
    int state;                /* checker: 0 unchecked, 1 in progress, 2 done */
};

typedef struct ir_row {
    bool has_low, has_high;
    int64_t low, high;        /* INT64_MIN, INT64_MAX on an open side */
    value *cells;
    loc at;
} ir_row;

struct ir_table {
    const ast_decl *decl;
    const char *name;
    vtype key_type;
    const char **columns;
    vtype *column_types;
    size_t column_count;
    ir_row *rows;
    size_t row_count;
    ir_row *otherwise;        /* NULL: no row matching is an error */
    const char *no_match;
};

typedef struct ir_result {
    const char *name;
    const ir_value *value;
    vtype type;
} ir_result;

typedef struct ir_check {
    const ast_decl *decl;
    ir_expr *require;
    ir_test *tests;           /* `require` as its conjuncts, for an evaluation that counts nothing */
    size_t test_count;
    const char *field;
    const char *message;
} ir_check;

/* The most steps (eval.c: count_step) deciding a case can take for each item
 * of one of the input's lists: its aggregates visit the item, and the rules
 * of each per-item value may be tried for it. */
typedef struct ir_list_steps {
    size_t field;             /* the list's input field */
    uint64_t per_item;
} ir_list_steps;

typedef struct ir_program {
    int32_t version;
    const ast_file *file;       /* the file that declared this version */
    ir_record input;
    size_t selector;            /* input field that picks the version */
    size_t key;                 /* input field echoed in every result */
    const char *key_name, *version_name, *fired_name, *error_name, *error_field_name, *error_message_name;
    ir_value **globals;
    size_t global_count;
    ir_rule **rules;
    size_t rule_count;
    ir_result *results;
    size_t result_count;
    const ir_value **result_values; /* results[i].value side by side, the lines ev_decide reads for each case */
    ir_check *checks;
    size_t check_count;
    size_t max_lets;
    size_t shared_count;        /* expressions computed once a case (IR_FREE_SHARED) */
    /* Bounds on deciding a case (not its checks), from which the evaluator
     * knows before a record whether it can reach a limit at all: the
     * nesting the deepest value can reach, and the steps, steps_fixed plus
     * per_item for each item of each list in list_steps. */
    unsigned depth;
    uint64_t steps_fixed;
    ir_list_steps *list_steps;
    size_t list_step_count;
    /* The same for the checks: the nesting the deepest can reach, or UINT_MAX
     * when one visits a list (its steps are then counted as they are taken). */
    unsigned check_depth;
    /* Every check's tests compare fields in place (no expression, no value
     * to decide): checking can raise no error, so needs no place to return to. */
    bool checks_in_place;
} ir_program;

#endif
