/*
 * The driver of the front end: runs the reentrant scanner and the pure parser
 * over one rule file and hands back its AST. The parse state (arena,
 * diagnostics, file) travels through both as their extra parameter.
 */
#include "ast.h"
#include "parser.h"
#include "lexer.h"

bool ast_parse_file(arena *a, diag_sink *diags, const src_file *src, ast_file **out)
{
    unsigned errors_before = diags->errors;
    ast_file *file = arena_calloc(a, 1, sizeof *file);
    if (!file)
        return false;
    file->src = src;
    ast_parse ps = {.arena = a, .diags = diags, .src = src, .file = file};
    yyscan_t scanner;
    if (regel_yylex_init_extra(&ps, &scanner) != 0)
        return false;
    YY_BUFFER_STATE buf = regel_yy_scan_bytes(src->text, (int)src->len, scanner);
    int rc = buf ? regel_yyparse(scanner, &ps) : 2;
    if (buf)
        regel_yy_delete_buffer(buf, scanner);
    regel_yylex_destroy(scanner);
    if (rc == 2 || ps.out_of_memory) {
        diag_report(diags, DIAG_ERROR, (loc){src, 0, 0}, NULL, "out of memory while reading the rule file");
        return false;
    }
    *out = file;
    return diags->errors == errors_before;
}
