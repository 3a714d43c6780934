/*
 * The grammar of rule files: a pure bison parser with byte-span locations.
 * Every action is one call to an ast_* builder; names, types and units are
 * checked later by the checker. A broken declaration is skipped up to the
 * next declaration keyword, so one run reports every independent error.
 */
%define api.pure full
%define api.prefix {regel_yy}
%define api.location.type {regel_span}
%define parse.error custom
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
#include <stdlib.h>
#include <string.h>
#include "arena.h"
int regel_yylex(REGEL_YYSTYPE *lval, regel_span *lloc, void *scanner);
static void regel_yyerror(regel_span *at, void *scanner, ast_parse *ps, const char *msg);
#define SPAN(s) ast_span(ps, (s).start, (s).end)
#define YYMALLOC arena_sys_malloc
#define YYFREE free
}

%union {
    ast_expr *expr;
    ast_exprs exprs;
    ast_decl *decl;
    ast_type type;
    ast_field *field;
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
    enum_decl | record_decl | input_decl | output_decl | const_decl | table_decl | rule_decl | check_decl
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
  ;

/* input_decl -> INPUT name [citation] {field | SELECT VERSION BY name} */
input_decl:
    INPUT IDENT                       { $$ = ast_decl_new(ps, DECL_INPUT, SPAN(@2), SPAN(@$)); }
  | INPUT IDENT STRING                { $$ = ast_decl_cite(ps, ast_decl_new(ps, DECL_INPUT, SPAN(@2), SPAN(@$)), SPAN(@3)); }
  | input_decl field                  { $$ = ast_record_field(ps, $1, $2); }
  | input_decl SELECT VERSION BY IDENT { $$ = ast_input_selector(ps, $1, SPAN(@5)); }
  ;

/* field -> FIELD name : type [IN bound .. bound] [= literal] [citation] */
field:
    FIELD typed_name                  { $$ = $2; }
  | FIELD typed_name STRING           { $$ = $2; $$->cite = ast_string_literal(ps, @3.start, @3.end); }
  ;

typed_name:
    field_name ':' type                         { $$ = ast_field_new(ps, SPAN(@1), $3, NULL, NULL, NULL, SPAN(@$)); }
  | field_name ':' type IN bound DOTDOT bound   { $$ = ast_field_new(ps, SPAN(@1), $3, $5, $7, NULL, SPAN(@$)); }
  | field_name ':' type '=' literal             { $$ = ast_field_new(ps, SPAN(@1), $3, NULL, NULL, $5, SPAN(@$)); }
  | field_name ':' type IN bound DOTDOT bound '=' literal { $$ = ast_field_new(ps, SPAN(@1), $3, $5, $7, $9, SPAN(@$)); }
  ;

/* Field names are data of the case format, so words the language reserves may name them. */
field_name:
    IDENT | VERSION | TITLE | SOURCE | KEY | RESULT | FIRED | ERRORKW | VALUE | LIST | COUNT | SUM
  | ANY | ALL | RECORD | INPUT | OUTPUT | FIELD | CHECK | TABLE | RULE | CONST | ENUM | BY | OF
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
  | output_decl RESULT typed_name STRING { $3->cite = ast_string_literal(ps, @4.start, @4.end); $$ = ast_output_result(ps, $1, $3); }
  ;

/* const_decl -> CONST name [citation] = expr */
const_decl:
    CONST IDENT '=' expr              { $$ = ast_const_value(ps, ast_decl_new(ps, DECL_CONST, SPAN(@2), SPAN(@$)), $4); }
  | CONST IDENT STRING '=' expr       { $$ = ast_const_value(ps, ast_decl_cite(ps, ast_decl_new(ps, DECL_CONST, SPAN(@2), SPAN(@$)), SPAN(@3)), $5); }
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
  | table_decl DOTDOT bound ARROW cells { $$ = ast_table_row(ps, $1, NULL, $3, true, $5, SPAN(@$)); }
  | table_decl OTHERWISE ARROW cells  { $$ = ast_table_otherwise_row(ps, $1, $4, SPAN(@$)); }
  | table_decl OTHERWISE ERRORKW STRING { $$ = ast_table_no_match(ps, $1, SPAN(@4)); }
  ;

cells:
    expr                              { $$ = ast_exprs_one(ps, $1); }
  | cells ',' expr                    { $$ = ast_exprs_add(ps, $1, $3); }
  ;

/* rule_decl -> RULE id citation {SOURCE s | FOR EACH record | WHEN expr | LET name = expr | name = expr | BEFORE id | AFTER id} */
rule_decl:
    RULE IDENT STRING                 { $$ = ast_decl_cite(ps, ast_decl_new(ps, DECL_RULE, SPAN(@2), SPAN(@$)), SPAN(@3)); }
  | rule_decl SOURCE STRING           { $$ = ast_decl_source(ps, $1, SPAN(@3)); }
  | rule_decl FOR EACH IDENT          { $$ = ast_rule_for(ps, $1, SPAN(@4)); }
  | rule_decl WHEN expr               { $$ = ast_rule_when(ps, $1, $3); }
  | rule_decl LET IDENT '=' expr      { $$ = ast_rule_let(ps, $1, SPAN(@3), $5); }
  | rule_decl IDENT '=' expr          { $$ = ast_rule_define(ps, $1, SPAN(@2), $4); }
  | rule_decl BEFORE IDENT            { $$ = ast_rule_place(ps, $1, PLACE_BEFORE, SPAN(@3)); }
  | rule_decl AFTER IDENT             { $$ = ast_rule_place(ps, $1, PLACE_AFTER, SPAN(@3)); }
  ;

/* check_decl -> CHECK id [citation] REQUIRE expr OTHERWISE REJECTKW field message */
check_decl:
    CHECK IDENT                       { $$ = ast_decl_new(ps, DECL_CHECK, SPAN(@2), SPAN(@$)); }
  | CHECK IDENT STRING                { $$ = ast_decl_cite(ps, ast_decl_new(ps, DECL_CHECK, SPAN(@2), SPAN(@$)), SPAN(@3)); }
  | check_decl REQUIRE expr           { $$ = ast_check_require(ps, $1, $3); }
  | check_decl OTHERWISE REJECTKW IDENT STRING { $$ = ast_check_reject(ps, $1, SPAN(@4), SPAN(@5)); }
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
  | IDENT                             { $$ = ast_name_ref(ps, SPAN(@1)); }
  | '(' expr ')'                      { $$ = $2; }
  | expr '.' IDENT                    { $$ = ast_member(ps, $1, SPAN(@3), SPAN(@$)); }
  | IDENT '(' ')'                     { $$ = ast_call(ps, SPAN(@1), (ast_exprs){0}, SPAN(@$)); }
  | IDENT '(' exprs ')'               { $$ = ast_call(ps, SPAN(@1), $3, SPAN(@$)); }
  | SUM '(' expr OF IDENT where_opt ')' { $$ = ast_aggregate_expr(ps, AGG_SUM, $3, SPAN(@5), $6, SPAN(@$)); }
  | COUNT '(' IDENT where_opt ')'     { $$ = ast_aggregate_expr(ps, AGG_COUNT, NULL, SPAN(@3), $4, SPAN(@$)); }
  | ANY '(' IDENT where_opt ')'       { $$ = ast_aggregate_expr(ps, AGG_ANY, NULL, SPAN(@3), $4, SPAN(@$)); }
  | ALL '(' IDENT where_opt ')'       { $$ = ast_aggregate_expr(ps, AGG_ALL, NULL, SPAN(@3), $4, SPAN(@$)); }
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
    diag_report(ps->diags, DIAG_ERROR, SPAN(*at), NULL, "%s", msg);
}

/* Where a statement broke off: when the unexpected token starts a line, the
 * mistake is almost always at the end of the statement before it (a missing
 * operand, an unclosed parenthesis), so the message points there. */
static uint32_t end_of_previous_statement(const ast_parse *ps, uint32_t token_start)
{
    const char *text = ps->src->text;
    uint32_t i = token_start;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
        i--;
    if (i > 0 && text[i - 1] != '\n')
        return token_start; /* the token does not start its line */
    for (;;) {
        while (i > 0 && (text[i - 1] == '\n' || text[i - 1] == '\r' || text[i - 1] == ' ' || text[i - 1] == '\t'))
            i--;
        if (i == 0)
            return token_start;
        uint32_t line = i;
        while (line > 0 && text[line - 1] != '\n')
            line--;
        uint32_t first = line;
        while (first < i && (text[first] == ' ' || text[first] == '\t'))
            first++;
        if (text[first] != '#' && text[first] != '>')
            return i;
        i = line; /* a comment or law-text line: look further up */
    }
}

static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, ast_parse *ps)
{
    (void)scanner;
    yysymbol_kind_t expected[5];
    int n = yypcontext_expected_tokens(ctx, expected, 5);
    yysymbol_kind_t unexpected = yypcontext_token(ctx);
    const regel_span *at = yypcontext_location(ctx);
    char want[256] = "";
    for (int i = 0; n > 0 && n < 5 && i < n; i++) {
        strncat(want, i == 0 ? "expected " : i == n - 1 ? " or " : ", ", sizeof want - strlen(want) - 1);
        strncat(want, yysymbol_name(expected[i]), sizeof want - strlen(want) - 1);
    }
    const char *got = unexpected == YYSYMBOL_YYEOF ? "the end of the file" : yysymbol_name(unexpected);
    uint32_t broke_off = end_of_previous_statement(ps, at->start);
    if (broke_off != at->start || unexpected == YYSYMBOL_YYEOF) {
        if (unexpected == YYSYMBOL_YYEOF)
            broke_off = end_of_previous_statement(ps, at->start);
        loc here = ast_span(ps, broke_off > 0 ? broke_off - 1 : 0, broke_off);
        if (unexpected == YYSYMBOL_YYEOF)
            diag_report(ps->diags, DIAG_ERROR, here, want[0] ? want : NULL, "the file ends before this statement is complete");
        else
            diag_report(ps->diags, DIAG_ERROR, here, want[0] ? want : NULL,
                        "this statement is incomplete (the next line starts with `%s`)", got);
    } else {
        diag_report(ps->diags, DIAG_ERROR, SPAN(*at), want[0] ? want : NULL, "unexpected `%s`", got);
    }
    return 0;
}
