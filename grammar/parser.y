/*
 * The grammar of rule files: a pure bison parser with byte-span locations.
 * Every action is one call to an ast_* builder; names, types and units are
 * checked later by the checker. A broken clause is skipped up to the next
 * clause of its declaration (`rule_decl error`), a broken declaration head
 * up to the next declaration keyword (`items error`), so one run reports
 * every independent error.
 */
%define api.pure full
%define api.prefix {regel_yy}
%define api.location.type {regel_span}
%define parse.error custom
%define lr.default-reduction consistent
%locations
%expect 0
%param {void *scanner}
%parse-param {ast_parse *ps}

%code requires {
#include <stdint.h>
#include "ast.h"
typedef struct regel_span { uint32_t start, end; } regel_span;
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
    do {                                                              \
        if (N) { (Cur).start = YYRHSLOC(Rhs, 1).start; (Cur).end = YYRHSLOC(Rhs, N).end; } \
        else { (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end; }      \
    } while (0)
}

%code {
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
int regel_yylex(REGEL_YYSTYPE *lval, regel_span *lloc, void *scanner);
static void regel_yyerror(regel_span *at, void *scanner, ast_parse *ps, const char *msg);
#define SPAN(s) ast_span(ps, (s).start, (s).end)
/* The stack grows through the allocation hook; a failure is noted so that
 * bison's one message for both, "memory exhausted", can be told apart from a
 * stack that reached YYMAXDEPTH. */
#define YYMALLOC(size) parser_stack_alloc(ps, size)
#define YYFREE free
static void *parser_stack_alloc(ast_parse *ps, size_t size)
{
    void *p = arena_sys_malloc(size);
    if (!p)
        ps->out_of_memory = true;
    return p;
}
/* The stack bounds how deep the syntax nests. One level of nesting takes at
 * most six entries (`if c then x else (`), so an expression within the file's
 * nesting bound always parses, and the checker reports one that is too deep;
 * the parser stops only what is far beyond it (100,000 parentheses). */
#define YYMAXDEPTH ((YYPTRDIFF_T)src_max_nesting(ps->src) * 6 + 64)
}

%union {
    ast_expr *expr;
    ast_exprs exprs;
    ast_decl *decl;
    ast_type type;
    ast_field *field;
    ast_sentences texts;
}

%token VERSION "version" AMENDS "amends" TITLE "title" SOURCE "source"
%token ENUM "enum" RECORD "record" INPUT "input" OUTPUT "output" FIELD "field"
%token LIST "list" OF "of" SELECT "select" BY "by" KEY "key" RESULT "result"
%token FIRED "fired" ERRORKW "error" CHECK "check" REQUIRE "require"
%token OTHERWISE "otherwise" REJECTKW "reject" CONST "const" TABLE "table" VALUE "value"
%token RULE "rule" FOR "for" EACH "each" WHEN "when" LET "let"
%token ADD "add" REPLACE "replace" REMOVE "remove" BEFORE "before" AFTER "after"
%token IF "if" THEN "then" ELSE "else" AND "and" OR "or" NOT "not" IN "in"
%token TRUE "true" FALSE "false" SUM "sum" COUNT "count" ANY "any" ALL "all" WHERE "where"
%token ARROW "=>" DOTDOT ".." NE "!=" LE "<=" GE ">="
%token IDENT "name" NUMBER "number" QUANTITY "quantity" DATE "date" STRING "string"
%token LAW "law text"
%token EXPLAIN "explain"

/* After a whole declaration body, a syntax error is recovered inside the
 * declaration (`rule_decl error`), not by dropping it (`items error`). */
%precedence DECL_DONE
%precedence error
%precedence IF_ELSE
%left OR
%left AND
%precedence NOT
%nonassoc '=' NE '<' LE '>' GE IN
%left '+' '-'
%left '*' '/'
%precedence NEG
%precedence '.'

%type <expr> expr bound literal where_opt
%type <exprs> exprs cells
%type <decl> decl decl_body enum_decl record_decl input_decl output_decl const_decl
%type <decl> table_decl table_head rule_decl check_decl enum_head
%type <type> type
%type <field> field typed_name
%type <texts> texts

%%

file:
    header items
  ;

header:
    VERSION DATE                      { ast_version(ps, SPAN(@2), SPAN(@$)); }
  | header AMENDS DATE                { ast_amends(ps, SPAN(@3)); }
  | header TITLE STRING               { ast_file_title(ps, SPAN(@3)); }
  | header SOURCE STRING              { ast_file_source(ps, SPAN(@3)); }
  ;

items:
    %empty
  | items decl                        { ast_add_decl(ps, ast_decl_end(ps, $2, SPAN(@2))); }
  | items LAW                         { ast_law_text(ps, SPAN(@2)); }
  | items error
  ;

decl:
    decl_body
  | ADD decl_body                     { $$ = $2; }
  | REPLACE decl_body                 { $$ = ast_decl_amend(ps, $2, AMEND_REPLACE, SPAN(@$)); }
  | REMOVE ENUM IDENT                 { $$ = ast_remove(ps, DECL_ENUM, SPAN(@3), SPAN(@$)); }
  | REMOVE RECORD IDENT               { $$ = ast_remove(ps, DECL_RECORD, SPAN(@3), SPAN(@$)); }
  | REMOVE CONST IDENT                { $$ = ast_remove(ps, DECL_CONST, SPAN(@3), SPAN(@$)); }
  | REMOVE TABLE IDENT                { $$ = ast_remove(ps, DECL_TABLE, SPAN(@3), SPAN(@$)); }
  | REMOVE RULE IDENT                 { $$ = ast_remove(ps, DECL_RULE, SPAN(@3), SPAN(@$)); }
  | REMOVE CHECK IDENT                { $$ = ast_remove(ps, DECL_CHECK, SPAN(@3), SPAN(@$)); }
  ;

decl_body:
    enum_decl | record_decl %prec DECL_DONE | input_decl %prec DECL_DONE | output_decl %prec DECL_DONE | const_decl
  | table_decl %prec DECL_DONE | rule_decl %prec DECL_DONE | check_decl %prec DECL_DONE
  ;

/* enum_decl -> ENUM name [citation] member {, member} */
enum_head:
    ENUM IDENT                        { $$ = ast_decl_new(ps, DECL_ENUM, SPAN(@2), SPAN(@$)); }
  | ENUM IDENT STRING                 { $$ = ast_decl_cite(ps, ast_decl_new(ps, DECL_ENUM, SPAN(@2), SPAN(@$)), SPAN(@3)); }
  ;

enum_decl:
    enum_head IDENT                   { $$ = ast_enum_member(ps, $1, SPAN(@2)); }
  | enum_decl ',' IDENT               { $$ = ast_enum_member(ps, $1, SPAN(@3)); }
  ;

/* record_decl -> RECORD name [citation] {field} */
record_decl:
    RECORD IDENT                      { $$ = ast_decl_new(ps, DECL_RECORD, SPAN(@2), SPAN(@$)); }
  | RECORD IDENT STRING               { $$ = ast_decl_cite(ps, ast_decl_new(ps, DECL_RECORD, SPAN(@2), SPAN(@$)), SPAN(@3)); }
  | record_decl field                 { $$ = ast_record_field(ps, $1, $2); }
  | record_decl error
  ;

/* input_decl -> INPUT name [citation] {field | SELECT VERSION BY name} */
input_decl:
    INPUT IDENT                       { $$ = ast_decl_new(ps, DECL_INPUT, SPAN(@2), SPAN(@$)); }
  | INPUT IDENT STRING                { $$ = ast_decl_cite(ps, ast_decl_new(ps, DECL_INPUT, SPAN(@2), SPAN(@$)), SPAN(@3)); }
  | input_decl field                  { $$ = ast_record_field(ps, $1, $2); }
  | input_decl SELECT VERSION BY IDENT { $$ = ast_input_selector(ps, $1, SPAN(@5)); }
  | input_decl error
  ;

/* field -> FIELD name : type [IN bound .. bound] [= literal] [citation] */
field:
    FIELD typed_name                  { $$ = $2; }
  | FIELD typed_name STRING           { $$ = ast_field_cite(ps, $2, SPAN(@3)); }
  ;

typed_name:
    field_name ':' type                         { $$ = ast_field_new(ps, SPAN(@1), $3, NULL, NULL, NULL, SPAN(@$)); }
  | field_name ':' type IN bound DOTDOT bound   { $$ = ast_field_new(ps, SPAN(@1), $3, $5, $7, NULL, SPAN(@$)); }
  | field_name ':' type '=' literal             { $$ = ast_field_new(ps, SPAN(@1), $3, NULL, NULL, $5, SPAN(@$)); }
  | field_name ':' type IN bound DOTDOT bound '=' literal { $$ = ast_field_new(ps, SPAN(@1), $3, $5, $7, $9, SPAN(@$)); }
  ;

/* Field names are data of the case format, so any word the language reserves
 * may name one where it is declared. */
field_name:
    name_word | VERSION | AMENDS | TITLE | SOURCE | ENUM | RECORD | INPUT | OUTPUT | FIELD | SELECT
  | KEY | RESULT | FIRED | ERRORKW | CHECK | REQUIRE | OTHERWISE | CONST | TABLE | VALUE | RULE | FOR
  | WHEN | LET | ADD | REPLACE | REMOVE | BEFORE | AFTER | IF | THEN | ELSE | AND | OR | NOT | IN | TRUE
  | FALSE | WHERE | EXPLAIN
  ;

/* Names in expressions may also be the reserved words that neither start a
 * statement nor are operators: a line that starts with `rule` after an
 * unfinished `d = 1 +` must still read as a new rule. */
name_word:
    IDENT | LIST | OF | BY | EACH | REJECTKW | SUM | COUNT | ANY | ALL
  ;

type:
    IDENT                             { $$ = ast_type_named(ps, SPAN(@1), false); }
  | LIST OF IDENT                     { $$ = ast_type_named(ps, SPAN(@3), true); }
  ;

/* output_decl -> OUTPUT {KEY name | VERSION name | RESULT name : type [citation] | FIRED name | ERROR name : name , name} */
output_decl:
    OUTPUT                            { $$ = ast_decl_new(ps, DECL_OUTPUT, SPAN(@1), SPAN(@$)); }
  | output_decl KEY IDENT             { $$ = ast_output_name(ps, $1, OUT_KEY, SPAN(@3)); }
  | output_decl VERSION field_name    { $$ = ast_output_name(ps, $1, OUT_VERSION, SPAN(@3)); }
  | output_decl FIRED field_name      { $$ = ast_output_name(ps, $1, OUT_FIRED, SPAN(@3)); }
  | output_decl ERRORKW field_name ':' field_name ',' field_name { $$ = ast_output_error(ps, $1, SPAN(@3), SPAN(@5), SPAN(@7)); }
  | output_decl RESULT typed_name     { $$ = ast_output_result(ps, $1, $3); }
  | output_decl RESULT typed_name STRING { $$ = ast_output_result(ps, $1, ast_field_cite(ps, $3, SPAN(@4))); }
  | output_decl error
  ;

/* const_decl -> CONST name [citation] = expr */
const_decl:
    CONST IDENT '=' expr              { $$ = ast_const_value(ps, ast_decl_new(ps, DECL_CONST, SPAN(@2), SPAN(@$)), $4); }
  | CONST IDENT STRING '=' expr       { $$ = ast_const_value(ps, ast_decl_cite(ps, ast_decl_new(ps, DECL_CONST, SPAN(@2), SPAN(@$)), SPAN(@3)), $5); }
  | const_decl EXPLAIN texts          { $$ = ast_decl_explain(ps, $1, false, $3); }
  ;

/* table_decl -> TABLE name citation {SOURCE s | KEY name : type | VALUE name : type | row | OTHERWISE ...} */
table_head:
    TABLE IDENT STRING                { $$ = ast_decl_cite(ps, ast_decl_new(ps, DECL_TABLE, SPAN(@2), SPAN(@$)), SPAN(@3)); }
  ;

table_decl:
    table_head
  | table_decl SOURCE STRING          { $$ = ast_decl_source(ps, $1, SPAN(@3)); }
  | table_decl KEY typed_name         { $$ = ast_table_key(ps, $1, $3); }
  | table_decl VALUE typed_name       { $$ = ast_table_column(ps, $1, $3); }
  | table_decl bound ARROW cells      { $$ = ast_table_row(ps, $1, $2, $2, false, $4, SPAN(@$)); }
  | table_decl bound DOTDOT bound ARROW cells { $$ = ast_table_row(ps, $1, $2, $4, true, $6, SPAN(@$)); }
  | table_decl bound DOTDOT ARROW cells { $$ = ast_table_row(ps, $1, $2, NULL, true, $5, SPAN(@$)); }
  | table_decl DOTDOT bound ARROW cells { $$ = ast_table_row(ps, $1, NULL, $3, true, $5, ast_span(ps, @2.start, @5.end)); }
  | table_decl OTHERWISE ARROW cells  { $$ = ast_table_otherwise_row(ps, $1, $4, SPAN(@$)); }
  | table_decl OTHERWISE ERRORKW STRING { $$ = ast_table_no_match(ps, $1, SPAN(@4)); }
  | table_decl error
  ;

/* texts -> LANG "sentence" {, LANG "sentence"}: what people read, by language (explain.c) */
texts:
    IDENT STRING                      { $$ = ast_sentences_add(ps, (ast_sentences){0}, SPAN(@1), SPAN(@2)); }
  | texts ',' IDENT STRING            { $$ = ast_sentences_add(ps, $1, SPAN(@3), SPAN(@4)); }
  ;

cells:
    expr                              { $$ = ast_exprs_one(ps, $1); }
  | cells ',' expr                    { $$ = ast_exprs_add(ps, $1, $3); }
  ;

/* rule_decl -> RULE id citation {SOURCE s | FOR EACH record | WHEN expr | LET name = expr | name = expr | BEFORE id | AFTER id} */
rule_decl:
    RULE IDENT STRING                 { $$ = ast_decl_cite(ps, ast_decl_new(ps, DECL_RULE, SPAN(@2), SPAN(@$)), SPAN(@3)); }
  | rule_decl SOURCE STRING           { $$ = ast_decl_source(ps, $1, SPAN(@3)); }
  | rule_decl FOR EACH name_word      { $$ = ast_rule_for(ps, $1, SPAN(@4)); }
  | rule_decl WHEN expr               { $$ = ast_rule_when(ps, $1, $3); }
  | rule_decl LET IDENT '=' expr      { $$ = ast_rule_let(ps, $1, SPAN(@3), $5); }
  | rule_decl name_word '=' expr      { $$ = ast_rule_define(ps, $1, SPAN(@2), $4); }
  | rule_decl BEFORE IDENT            { $$ = ast_rule_place(ps, $1, PLACE_BEFORE, SPAN(@3)); }
  | rule_decl AFTER IDENT             { $$ = ast_rule_place(ps, $1, PLACE_AFTER, SPAN(@3)); }
  | rule_decl EXPLAIN texts           { $$ = ast_decl_explain(ps, $1, false, $3); }
  | rule_decl EXPLAIN NOT texts       { $$ = ast_decl_explain(ps, $1, true, $4); }
  | rule_decl error
  ;

/* check_decl -> CHECK id [citation] REQUIRE expr OTHERWISE REJECTKW field message */
check_decl:
    CHECK IDENT                       { $$ = ast_decl_new(ps, DECL_CHECK, SPAN(@2), SPAN(@$)); }
  | CHECK IDENT STRING                { $$ = ast_decl_cite(ps, ast_decl_new(ps, DECL_CHECK, SPAN(@2), SPAN(@$)), SPAN(@3)); }
  | check_decl REQUIRE expr           { $$ = ast_check_require(ps, $1, $3); }
  | check_decl OTHERWISE REJECTKW IDENT STRING { $$ = ast_check_reject(ps, $1, SPAN(@4), SPAN(@5)); }
  | check_decl error
  ;

bound:
    NUMBER                            { $$ = ast_number(ps, SPAN(@1)); }
  | QUANTITY                          { $$ = ast_quantity(ps, SPAN(@1)); }
  | DATE                              { $$ = ast_date(ps, SPAN(@1)); }
  ;

literal:
    bound
  | '-' bound                         { $$ = ast_unary(ps, EXPR_NEG, $2, SPAN(@$)); }
  | TRUE                              { $$ = ast_bool(ps, true, SPAN(@1)); }
  | FALSE                             { $$ = ast_bool(ps, false, SPAN(@1)); }
  | STRING                            { $$ = ast_string(ps, SPAN(@1)); }
  | IDENT                             { $$ = ast_name_ref(ps, SPAN(@1)); }
  ;

expr:
    bound
  | TRUE                              { $$ = ast_bool(ps, true, SPAN(@1)); }
  | FALSE                             { $$ = ast_bool(ps, false, SPAN(@1)); }
  | STRING                            { $$ = ast_string(ps, SPAN(@1)); }
  | name_word                         { $$ = ast_name_ref(ps, SPAN(@1)); }
  | '(' expr ')'                      { $$ = $2; }
  | expr '.' name_word                { $$ = ast_member(ps, $1, SPAN(@3), SPAN(@$)); }
  | IDENT '(' ')'                     { $$ = ast_call(ps, SPAN(@1), (ast_exprs){0}, SPAN(@$)); }
  | IDENT '(' exprs ')'               { $$ = ast_call(ps, SPAN(@1), $3, SPAN(@$)); }
  | SUM '(' expr OF name_word where_opt ')' { $$ = ast_aggregate_expr(ps, AGG_SUM, $3, SPAN(@5), $6, SPAN(@$)); }
  | COUNT '(' name_word where_opt ')' { $$ = ast_aggregate_expr(ps, AGG_COUNT, NULL, SPAN(@3), $4, SPAN(@$)); }
  | ANY '(' name_word where_opt ')'   { $$ = ast_aggregate_expr(ps, AGG_ANY, NULL, SPAN(@3), $4, SPAN(@$)); }
  | ALL '(' name_word where_opt ')'   { $$ = ast_aggregate_expr(ps, AGG_ALL, NULL, SPAN(@3), $4, SPAN(@$)); }
  | IF expr THEN expr ELSE expr %prec IF_ELSE { $$ = ast_if(ps, $2, $4, $6, SPAN(@$)); }
  | expr IN '[' exprs ']'             { $$ = ast_in(ps, $1, $4, SPAN(@$)); }
  | NOT expr                          { $$ = ast_unary(ps, EXPR_NOT, $2, SPAN(@$)); }
  | '-' expr %prec NEG                { $$ = ast_unary(ps, EXPR_NEG, $2, SPAN(@$)); }
  | expr OR expr                      { $$ = ast_binary(ps, OP_OR, $1, $3, SPAN(@$)); }
  | expr AND expr                     { $$ = ast_binary(ps, OP_AND, $1, $3, SPAN(@$)); }
  | expr '=' expr                     { $$ = ast_binary(ps, OP_EQ, $1, $3, SPAN(@$)); }
  | expr NE expr                      { $$ = ast_binary(ps, OP_NE, $1, $3, SPAN(@$)); }
  | expr '<' expr                     { $$ = ast_binary(ps, OP_LT, $1, $3, SPAN(@$)); }
  | expr LE expr                      { $$ = ast_binary(ps, OP_LE, $1, $3, SPAN(@$)); }
  | expr '>' expr                     { $$ = ast_binary(ps, OP_GT, $1, $3, SPAN(@$)); }
  | expr GE expr                      { $$ = ast_binary(ps, OP_GE, $1, $3, SPAN(@$)); }
  | expr '+' expr                     { $$ = ast_binary(ps, OP_ADD, $1, $3, SPAN(@$)); }
  | expr '-' expr                     { $$ = ast_binary(ps, OP_SUB, $1, $3, SPAN(@$)); }
  | expr '*' expr                     { $$ = ast_binary(ps, OP_MUL, $1, $3, SPAN(@$)); }
  | expr '/' expr                     { $$ = ast_binary(ps, OP_DIV, $1, $3, SPAN(@$)); }
  ;

where_opt:
    %empty                            { $$ = NULL; }
  | WHERE expr                        { $$ = $2; }
  ;

exprs:
    expr                              { $$ = ast_exprs_one(ps, $1); }
  | exprs ',' expr                    { $$ = ast_exprs_add(ps, $1, $3); }
  ;

%%

static void regel_yyerror(regel_span *at, void *scanner, ast_parse *ps, const char *msg)
{
    (void)scanner;
    if (strcmp(msg, "memory exhausted") == 0) {
        if (!ps->out_of_memory) /* else ast_parse_file reports it */
            diag_report(ps->diags, DIAG_ERROR, SPAN(*at), "give parts of the expression names of their own (`let`, a rule, a const)",
                        "the rule file nests too deeply here (more than %u levels)", src_max_nesting(ps->src));
        return;
    }
    diag_report(ps->diags, DIAG_ERROR, SPAN(*at), NULL, "%s", msg);
}

/* How a message names a token kind: keywords and punctuation as written,
 * the others in words. */
static void kind_text(yysymbol_kind_t kind, char *out, size_t size)
{
    switch (kind) {
    case YYSYMBOL_YYEOF: snprintf(out, size, "the end of the file"); return;
    case YYSYMBOL_IDENT: snprintf(out, size, "a name"); return;
    case YYSYMBOL_NUMBER: snprintf(out, size, "a number"); return;
    case YYSYMBOL_QUANTITY: snprintf(out, size, "a quantity (e.g. `20 h`)"); return;
    case YYSYMBOL_DATE: snprintf(out, size, "a date"); return;
    case YYSYMBOL_STRING: snprintf(out, size, "a string"); return;
    case YYSYMBOL_LAW: snprintf(out, size, "law text"); return;
    default: break;
    }
    const char *name = yysymbol_name(kind);
    size_t n = strlen(name);
    if (n >= 3 && name[0] == '\'' && name[n - 1] == '\'')
        snprintf(out, size, "`%.*s`", (int)(n - 2), name + 1);
    else
        snprintf(out, size, "`%s`", name);
}

/* How a message names the token it met: names and literals as written. */
static void token_text(const ast_parse *ps, yysymbol_kind_t kind, const regel_span *at, char *out, size_t size)
{
    if (kind != YYSYMBOL_IDENT && kind != YYSYMBOL_NUMBER && kind != YYSYMBOL_QUANTITY && kind != YYSYMBOL_DATE &&
        kind != YYSYMBOL_STRING) {
        kind_text(kind, out, size);
        return;
    }
    const char *text = ps->src->text + at->start;
    uint32_t n = at->end - at->start, shown = n > 32 ? 32 : n;
    while (shown < n && shown > 0 && ((unsigned char)text[shown] & 0xC0) == 0x80)
        shown--; /* do not cut a UTF-8 character */
    snprintf(out, size, "`%.*s%s`", (int)shown, text, shown < n ? "..." : "");
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* The end of the code on the last line before `token_start` that holds any:
 * blank lines, comments and law text are passed over, and a trailing comment
 * and blanks are cut off. False when there is none. */
static bool previous_code(const ast_parse *ps, uint32_t token_start, uint32_t *end)
{
    const char *text = ps->src->text;
    uint32_t line_end = token_start;
    while (line_end > 0 && text[line_end - 1] != '\n')
        line_end--;
    while (line_end > 0) {
        uint32_t line = line_end - 1; /* the newline that ends the line before */
        while (line > 0 && text[line - 1] != '\n')
            line--;
        uint32_t first = line, code_end = line;
        while (first < line_end && is_blank(text[first]))
            first++;
        bool in_string = false;
        for (uint32_t i = first; i < line_end && text[i] != '\n'; i++) {
            if (text[i] == '"')
                in_string = !in_string;
            else if (text[i] == '#' && !in_string)
                break;
            if (!is_blank(text[i]))
                code_end = i + 1;
        }
        if (code_end > first && text[first] != '>') {
            *end = code_end;
            return true;
        }
        line_end = line;
    }
    return false;
}

/* Whether a new statement or declaration could start where the parser
 * stopped: then the statement before it is complete, and the unexpected
 * token itself is the mistake. Names and numbers do not count: they also
 * continue expressions. */
static bool statement_may_start(const yypcontext_t *ctx)
{
    yysymbol_kind_t expected[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
    for (int i = 0; i < n; i++)
        switch (expected[i]) {
        case YYSYMBOL_YYEOF: case YYSYMBOL_LAW: case YYSYMBOL_VERSION: case YYSYMBOL_AMENDS: case YYSYMBOL_TITLE:
        case YYSYMBOL_SOURCE: case YYSYMBOL_ENUM: case YYSYMBOL_RECORD: case YYSYMBOL_INPUT: case YYSYMBOL_OUTPUT:
        case YYSYMBOL_FIELD: case YYSYMBOL_SELECT: case YYSYMBOL_KEY: case YYSYMBOL_RESULT: case YYSYMBOL_FIRED:
        case YYSYMBOL_ERRORKW: case YYSYMBOL_CHECK: case YYSYMBOL_REQUIRE: case YYSYMBOL_OTHERWISE:
        case YYSYMBOL_CONST: case YYSYMBOL_TABLE: case YYSYMBOL_VALUE: case YYSYMBOL_RULE: case YYSYMBOL_FOR:
        case YYSYMBOL_WHEN: case YYSYMBOL_LET: case YYSYMBOL_ADD: case YYSYMBOL_REPLACE: case YYSYMBOL_REMOVE:
        case YYSYMBOL_BEFORE: case YYSYMBOL_AFTER: case YYSYMBOL_EXPLAIN:
            return true;
        default: break;
        }
    return false;
}

/* A word the language reserves, met where a name could stand: the usual
 * reason is a name chosen without knowing the word is taken. The hint for
 * it, or NULL when the word is not in a name's place. */
static const char *reserved_word_hint(const yypcontext_t *ctx, yysymbol_kind_t met)
{
    bool keyword = (met >= YYSYMBOL_VERSION && met <= YYSYMBOL_WHERE) || met == YYSYMBOL_EXPLAIN;
    yysymbol_kind_t expected[YYNTOKENS];
    int n = keyword ? yypcontext_expected_tokens(ctx, expected, YYNTOKENS) : 0;
    bool name = false, operand = false;
    for (int i = 0; i < n; i++) {
        name |= expected[i] == YYSYMBOL_IDENT;
        operand |= expected[i] == YYSYMBOL_NUMBER;
    }
    if (!name)
        return NULL;
    return operand ? "a field may be named so where it is declared, but an expression cannot refer to it by "
                     "that name (docs/language.md, section 2.2)"
                   : "choose another name (docs/language.md, section 2.2, lists the reserved words)";
}

/* A syntax error is reported where the mistake most likely is. When the
 * unexpected token starts a line and the statement before it is unfinished
 * (`b = 1 +`, `d = (2`, a lone name), the mistake is the missing end of that
 * statement, so the message points there; when a new statement could start,
 * the line that starts with the unexpected token is the mistake. */
static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, ast_parse *ps)
{
    (void)scanner;
    yysymbol_kind_t expected[5];
    int n = yypcontext_expected_tokens(ctx, expected, 5);
    yysymbol_kind_t unexpected = yypcontext_token(ctx);
    const regel_span *at = yypcontext_location(ctx);
    char want[256] = "", one[64], got[96];
    for (int i = 0; n > 0 && n < 5 && i < n; i++) {
        strncat(want, i == 0 ? "expected " : i == n - 1 ? " or " : ", ", sizeof want - strlen(want) - 1);
        kind_text(expected[i], one, sizeof one);
        strncat(want, one, sizeof want - strlen(want) - 1);
    }
    token_text(ps, unexpected, at, got, sizeof got);
    const char *hint = want[0] ? want : NULL;
    uint32_t line = at->start;
    while (line > 0 && is_blank(ps->src->text[line - 1]))
        line--;
    bool starts_line = line == 0 || ps->src->text[line - 1] == '\n';
    uint32_t end;
    bool before = (starts_line || unexpected == YYSYMBOL_YYEOF) && previous_code(ps, at->start, &end);
    const char *reserved;
    if (before && unexpected == YYSYMBOL_YYEOF)
        diag_report(ps->diags, DIAG_ERROR, ast_span(ps, end - 1, end), hint,
                    "the file ends before this statement is complete");
    else if (before && !statement_may_start(ctx))
        diag_report(ps->diags, DIAG_ERROR, ast_span(ps, end - 1, end), hint,
                    "this statement is incomplete (the next line starts with %s)", got);
    else if ((reserved = reserved_word_hint(ctx, unexpected)))
        diag_report(ps->diags, DIAG_ERROR, SPAN(*at), reserved, "%s is a reserved word, not a name", got);
    else
        diag_report(ps->diags, DIAG_ERROR, SPAN(*at), hint, "unexpected %s", got);
    return 0;
}
