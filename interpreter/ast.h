/*
 * The abstract syntax tree of rule files. The parser builds it through the
 * ast_* builders (one-line grammar actions); names are resolved and types
 * checked later, per rule version, by the checker. Every node carries its span.
 */
#ifndef REGEL_AST_H
#define REGEL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "source.h"

/* Kinds of literal, and of value at run time. */
#define AST_UNITS(X)                                                                           \
    X(INT, "integer") X(DECIMAL, "decimal") X(DURATION, "duration") X(WEEKLY, "weekly")     \
    X(YEARS, "years") X(MONEY, "money") X(DATE, "date")
typedef enum {
#define X(name, text) LIT_##name,
    AST_UNITS(X)
#undef X
} ast_literal_kind;

#define AST_BINOPS(X)                                                                          \
    X(OR, "or") X(AND, "and") X(EQ, "=") X(NE, "!=") X(LT, "<") X(LE, "<=") X(GT, ">")    \
    X(GE, ">=") X(ADD, "+") X(SUB, "-") X(MUL, "*") X(DIV, "/")
typedef enum {
#define X(name, text) OP_##name,
    AST_BINOPS(X)
#undef X
} ast_binop;
extern const char *const ast_binop_text[];

#define AST_AGGREGATES(X) X(SUM, "sum") X(COUNT, "count") X(ANY, "any") X(ALL, "all")
typedef enum {
#define X(name, text) AGG_##name,
    AST_AGGREGATES(X)
#undef X
} ast_aggregate;
extern const char *const ast_aggregate_text[];

#define AST_EXPR_KINDS(X)                                                                      \
    X(BOOL) X(NUMBER) X(STRING) X(NAME) X(MEMBER) X(CALL) X(AGGREGATE) X(IF) X(IN) X(NOT)  \
    X(NEG) X(BINARY)
typedef enum {
#define X(name) EXPR_##name,
    AST_EXPR_KINDS(X)
#undef X
} ast_expr_kind;

typedef struct ast_expr ast_expr;
typedef struct ast_exprs {
    ast_expr **items;
    size_t count, cap;
} ast_exprs;

struct ast_expr {
    ast_expr_kind kind;
    loc at;
    union {
        bool boolean;
        struct { ast_literal_kind unit; int64_t value; } number; /* decimals scaled by EX_SCALE, durations in minutes, money in öre, dates as day numbers */
        struct { const char *text; size_t len; } string;
        const char *name;
        struct { ast_expr *object; const char *name; loc name_at; } member;
        struct { const char *name; ast_exprs args; } call;
        struct { ast_aggregate op; ast_expr *body; const char *list; loc list_at; ast_expr *where; } aggregate;
        struct { ast_expr *cond, *then_branch, *else_branch; } if_;
        struct { ast_expr *needle; ast_exprs set; } in;
        ast_expr *operand;
        struct { ast_binop op; ast_expr *left, *right; } binary;
    } u;
};

typedef struct ast_type {
    const char *name;
    bool is_list;
    loc at;
} ast_type;

typedef struct ast_field {
    const char *name;
    loc at;
    ast_type type;
    ast_expr *low, *high;   /* allowed range, inclusive; NULL when open */
    ast_expr *fallback;     /* the default; NULL when the field is required */
    const char *cite;
} ast_field;

typedef struct ast_fields {
    ast_field **items;
    size_t count, cap;
} ast_fields;

typedef struct ast_name {
    const char *name;
    loc at;
} ast_name;

typedef struct ast_names {
    ast_name *items;
    size_t count, cap;
} ast_names;

typedef struct ast_let {
    const char *name;
    loc at;
    ast_expr *value;
} ast_let;

/* A sentence for people in one language: `explain sv "..." , en "..."`.
 * `{name}` in the text stands for a value the rule can see (checker.c). */
typedef struct ast_sentence {
    const char *lang;
    loc lang_at;
    const char *text;      /* the string, escapes resolved */
    loc at;                /* the string literal, quotes included */
} ast_sentence;

typedef struct ast_sentences {
    ast_sentence *items;
    size_t count, cap;
} ast_sentences;

typedef struct ast_row {
    loc at;
    bool is_otherwise;
    ast_expr *low, *high;  /* key range, inclusive; a single key has low == high; NULL is open */
    ast_exprs cells;
} ast_row;

#define AST_DECL_KINDS(X)                                                                      \
    X(ENUM, "enum") X(RECORD, "record") X(INPUT, "input") X(OUTPUT, "output")              \
    X(CONST, "const") X(TABLE, "table") X(RULE, "rule") X(CHECK, "check")
typedef enum {
#define X(name, text) DECL_##name,
    AST_DECL_KINDS(X)
#undef X
} ast_decl_kind;
extern const char *const ast_decl_kind_text[];

typedef enum { AMEND_ADD, AMEND_REPLACE, AMEND_REMOVE } ast_amend;

typedef enum { PLACE_DEFAULT, PLACE_BEFORE, PLACE_AFTER } ast_placement;

typedef struct ast_decl {
    ast_decl_kind kind;
    ast_amend amend;
    loc at;               /* the whole declaration */
    const char *name;     /* rule id, or the declared name; NULL for output */
    loc name_at;
    const char *cite;     /* statute citation */
    const char *source;   /* reference into the source texts */
    const char *law;      /* quoted law text that stood before the declaration */
    ast_sentences explain;    /* rule or const: what it means, for `regel explain` */
    ast_sentences explain_not; /* rule: why it did not apply */
    union {
        ast_names members;                                   /* enum */
        struct { ast_fields fields; ast_name selector; } record; /* record, input */
        struct {
            ast_name key, version, fired, error, error_field, error_message;
            ast_fields results;
        } output;
        ast_expr *value;                                     /* const */
        struct {
            ast_field *key;
            ast_fields columns;
            ast_row **rows;
            size_t row_count, row_cap;
            const char *no_match;                            /* message when no row matches */
            loc no_match_at;
        } table;
        struct {
            ast_name for_each;                               /* record name, or NULL */
            ast_expr *when;
            ast_let *lets;
            size_t let_count, let_cap;
            ast_name target;
            ast_expr *value;
            ast_placement placement;
            ast_name anchor;
        } rule;
        struct { ast_expr *require; ast_name field; const char *message; } check;
    } u;
} ast_decl;

typedef struct ast_file {
    const src_file *src;
    int32_t version;           /* day number of the effective date */
    loc version_at;
    bool amends;
    int32_t amended_version;
    loc amends_at;
    const char *title;
    const char *source;
    ast_decl **decls;
    size_t decl_count, decl_cap;
} ast_file;

/* The state a parse runs in: passed to the scanner and parser as their extra parameter. */
typedef struct ast_parse {
    arena *arena;
    diag_sink *diags;
    const src_file *src;
    ast_file *file;
    bool out_of_memory;
    const char *pending_law;   /* law text waiting for the next declaration */
    uint32_t scan_offset;      /* the scanner's byte position */
    void *lex_fatal;           /* jmp_buf * that flex's fatal errors unwind to (parse.c) */
    struct lex_block *lex_blocks; /* what flex has allocated and not freed (lexer.l) */
} ast_parse;

/* Frees every block flex still holds, after an unwind from a fatal error. */
void lex_release(ast_parse *ps);

/* Builders called from the grammar. On allocation failure they set out_of_memory and return NULL-safe results. */
loc ast_span(ast_parse *ps, uint32_t start, uint32_t end);
const char *ast_text(ast_parse *ps, uint32_t start, uint32_t end);
const char *ast_string_literal(ast_parse *ps, uint32_t start, uint32_t end);

ast_expr *ast_bool(ast_parse *ps, bool value, loc at);
ast_expr *ast_number(ast_parse *ps, loc at);     /* INT or DECIMAL from the token text */
ast_expr *ast_quantity(ast_parse *ps, loc at);   /* 20 h, 17 h 30 min, 2.5 h/day, 65 years, 324.50 kr */
ast_expr *ast_date(ast_parse *ps, loc at);
ast_expr *ast_string(ast_parse *ps, loc at);
ast_expr *ast_name_ref(ast_parse *ps, loc at);
ast_expr *ast_member(ast_parse *ps, ast_expr *object, loc name_at, loc at);
ast_expr *ast_call(ast_parse *ps, loc name_at, ast_exprs args, loc at);
ast_expr *ast_aggregate_expr(ast_parse *ps, ast_aggregate op, ast_expr *body, loc list_at, ast_expr *where, loc at);
ast_expr *ast_if(ast_parse *ps, ast_expr *cond, ast_expr *then_branch, ast_expr *else_branch, loc at);
ast_expr *ast_in(ast_parse *ps, ast_expr *needle, ast_exprs set, loc at);
ast_expr *ast_unary(ast_parse *ps, ast_expr_kind kind, ast_expr *operand, loc at);
ast_expr *ast_binary(ast_parse *ps, ast_binop op, ast_expr *left, ast_expr *right, loc at);
ast_exprs ast_exprs_one(ast_parse *ps, ast_expr *e);
ast_exprs ast_exprs_add(ast_parse *ps, ast_exprs list, ast_expr *e);

ast_name ast_name_at(ast_parse *ps, loc at);
ast_names ast_names_add(ast_parse *ps, ast_names list, ast_name n);

ast_type ast_type_named(ast_parse *ps, loc at, bool is_list);
ast_field *ast_field_new(ast_parse *ps, loc name_at, ast_type type, ast_expr *low, ast_expr *high, ast_expr *fallback, loc at);
/* A field's citation; `f` is NULL when memory ran out building it. */
ast_field *ast_field_cite(ast_parse *ps, ast_field *f, loc cite_at);
ast_fields ast_fields_add(ast_parse *ps, ast_fields list, ast_field *f);

/* Declarations. ast_decl_new opens one; clause builders fill it in. */
ast_decl *ast_decl_new(ast_parse *ps, ast_decl_kind kind, loc name_at, loc at);
ast_decl *ast_decl_cite(ast_parse *ps, ast_decl *d, loc cite_at);
ast_decl *ast_decl_amend(ast_parse *ps, ast_decl *d, ast_amend amend, loc at);
ast_decl *ast_remove(ast_parse *ps, ast_decl_kind kind, loc name_at, loc at);
ast_decl *ast_enum_member(ast_parse *ps, ast_decl *d, loc name_at);
ast_decl *ast_record_field(ast_parse *ps, ast_decl *d, ast_field *f);
ast_decl *ast_input_selector(ast_parse *ps, ast_decl *d, loc name_at);
typedef enum { OUT_KEY, OUT_VERSION, OUT_FIRED, OUT_ERROR } ast_output_slot;
ast_decl *ast_output_name(ast_parse *ps, ast_decl *d, ast_output_slot slot, loc name_at);
ast_decl *ast_output_error(ast_parse *ps, ast_decl *d, loc name_at, loc field_at, loc message_at);
ast_decl *ast_output_result(ast_parse *ps, ast_decl *d, ast_field *f);
ast_decl *ast_const_value(ast_parse *ps, ast_decl *d, ast_expr *value);
ast_decl *ast_table_key(ast_parse *ps, ast_decl *d, ast_field *key);
ast_decl *ast_table_column(ast_parse *ps, ast_decl *d, ast_field *column);
ast_decl *ast_table_row(ast_parse *ps, ast_decl *d, ast_expr *low, ast_expr *high, bool is_range, ast_exprs cells, loc at);
ast_decl *ast_table_otherwise_row(ast_parse *ps, ast_decl *d, ast_exprs cells, loc at);
ast_decl *ast_table_no_match(ast_parse *ps, ast_decl *d, loc message_at);
ast_decl *ast_decl_source(ast_parse *ps, ast_decl *d, loc source_at);
ast_decl *ast_rule_for(ast_parse *ps, ast_decl *d, loc record_at);
ast_decl *ast_rule_when(ast_parse *ps, ast_decl *d, ast_expr *cond);
ast_decl *ast_rule_let(ast_parse *ps, ast_decl *d, loc name_at, ast_expr *value);
ast_decl *ast_rule_define(ast_parse *ps, ast_decl *d, loc target_at, ast_expr *value);
ast_decl *ast_rule_place(ast_parse *ps, ast_decl *d, ast_placement placement, loc anchor_at);
ast_decl *ast_check_require(ast_parse *ps, ast_decl *d, ast_expr *cond);
ast_decl *ast_check_reject(ast_parse *ps, ast_decl *d, loc field_at, loc message_at);
ast_decl *ast_decl_end(ast_parse *ps, ast_decl *d, loc at);
ast_sentences ast_sentences_add(ast_parse *ps, ast_sentences list, loc lang_at, loc text_at);
ast_decl *ast_decl_explain(ast_parse *ps, ast_decl *d, bool negative, ast_sentences texts);

void ast_version(ast_parse *ps, loc date_at, loc at);
void ast_amends(ast_parse *ps, loc date_at);
void ast_file_title(ast_parse *ps, loc title_at);
void ast_file_source(ast_parse *ps, loc source_at);
void ast_law_text(ast_parse *ps, loc at);
void ast_add_decl(ast_parse *ps, ast_decl *d);

/* Parses one rule file into ps->file. Returns false if any error was reported. */
bool ast_parse_file(arena *a, diag_sink *diags, const src_file *src, ast_file **out);

#endif
