/*
 * The driver of the front end: runs the reentrant scanner and the pure parser
 * over one rule file and hands back its AST. The parse state (arena,
 * diagnostics, file) travels through both as their extra parameter.
 */
#include <setjmp.h>

#include "ast.h"
#include "parser.h"
#include "lexer.h"

/* Scans and parses; flex's fatal errors (it cannot allocate) unwind to here.
 * The setjmp is in a function of its own so that nothing it returns to holds
 * a local variable changed after it. */
static int run_parser(ast_parse *ps, yyscan_t scanner)
{
    jmp_buf fatal;
    ps->lex_fatal = &fatal;
    if (setjmp(fatal))
        return -1;
    YY_BUFFER_STATE buf = regel_yy_scan_bytes(ps->src->text, (int)ps->src->len, scanner);
    int rc = buf ? regel_yyparse(scanner, ps) : 2;
    if (buf)
        regel_yy_delete_buffer(buf, scanner);
    return rc;
}

bool ast_parse_file(arena *a, diag_sink *diags, const src_file *src, ast_file **out)
{
    unsigned errors_before = diags->errors;
    ast_file *file = arena_calloc(a, 1, sizeof *file);
    ast_parse ps = {.arena = a, .diags = diags, .src = src, .file = file};
    yyscan_t scanner;
    int rc = 2;
    if (file && regel_yylex_init_extra(&ps, &scanner) == 0) {
        file->src = src;
        rc = run_parser(&ps, scanner);
        if (rc < 0)
            lex_release(&ps); /* the scanner's state is not to be trusted: free its blocks */
        else
            regel_yylex_destroy(scanner);
    }
    /* 2 is bison's "memory exhausted": out of memory, or a stack past its bound,
     * which regel_yyerror has reported. */
    if (rc < 0 || (rc == 2 && diags->errors == errors_before))
        ps.out_of_memory = true;
    if (ps.out_of_memory) {
        diag_report(diags, DIAG_ERROR, (loc){src, 0, 0}, NULL, "out of memory while reading the rule file");
        return false;
    }
    *out = file;
    return diags->errors == errors_before;
}
