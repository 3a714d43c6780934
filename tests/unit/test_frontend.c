/*
 * Unit tests of the front end: the scanner's literals and units (through the
 * AST builders), the parser's declarations, and syntax errors with their
 * line and column, including recovery that reports more than one error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ast.h"
#include "calendar.h"
#include "exact.h"
#include "test_support.h"

typedef struct parsed {
    arena *a;
    kept_diags kept;
    diag_sink sink;
    ast_file *file;
    bool ok;
} parsed;

static parsed *parse(const char *text)
{
    parsed *p = calloc(1, sizeof *p);
    p->a = arena_new();
    p->sink = (diag_sink){.fn = keep_diag, .ctx = &p->kept};
    p->ok = ast_parse_file(p->a, &p->sink, make_src(p->a, text), &p->file);
    return p;
}

static void done(parsed *p)
{
    arena_free(p->a);
    free(p);
}

/* The value expression of the first const declaration. */
static const ast_expr *const_value(parsed *p)
{
    for (size_t i = 0; i < p->file->decl_count; i++)
        if (p->file->decls[i]->kind == DECL_CONST)
            return p->file->decls[i]->u.value;
    return NULL;
}

static void expect_quantity(const char *literal, ast_literal_kind unit, int64_t value)
{
    char text[256];
    snprintf(text, sizeof text, "version 2023-01-01\nconst x = %s\n", literal);
    parsed *p = parse(text);
    assert_true(p->ok);
    const ast_expr *e = const_value(p);
    assert_non_null(e);
    assert_int_equal(e->kind, EXPR_NUMBER);
    assert_int_equal(e->u.number.unit, unit);
    assert_int_equal(e->u.number.value, value);
    done(p);
}

static void durations_convert_exactly(void **state)
{
    (void)state;
    expect_quantity("20 h", LIT_DURATION, 1200);
    expect_quantity("17 h 30 min", LIT_DURATION, 1050);
    expect_quantity("45 min", LIT_DURATION, 45);
    expect_quantity("2.5 h/day", LIT_WEEKLY, 1050);
    expect_quantity("0.25 h/day", LIT_WEEKLY, 105);
    expect_quantity("12 h/day", LIT_WEEKLY, 5040);
    expect_quantity("20 h/week", LIT_WEEKLY, 1200);
    expect_quantity("1050 min/week", LIT_WEEKLY, 1050);
    expect_quantity("1.5 hours", LIT_DURATION, 90);
}

static void other_units_convert_exactly(void **state)
{
    (void)state;
    expect_quantity("65 years", LIT_YEARS, 65);
    expect_quantity("324.50 kr", LIT_MONEY, 32450);
    expect_quantity("50 öre", LIT_MONEY, 50);
    expect_quantity("2.5", LIT_DECIMAL, 2500000);
    expect_quantity("12", LIT_INT, 12);
    expect_quantity("2023-01-01", LIT_DATE, cal_from_ymd(2023, 1, 1));
}

static void inexact_quantities_are_errors(void **state)
{
    (void)state;
    parsed *p = parse("version 2023-01-01\nconst x = 0.01 h\n");
    assert_false(p->ok);
    assert_non_null(strstr(p->kept.text, "2:11: error: '0.01 h' is not a whole number of minutes"));
    done(p);
    p = parse("version 2023-01-01\nconst x = 65.5 years\n");
    assert_false(p->ok);
    assert_non_null(strstr(p->kept.text, "an age in years must be a whole number"));
    done(p);
    p = parse("version 2023-01-01\nconst x = 1.005 kr\n");
    assert_false(p->ok);
    done(p);
}

static void impossible_dates_are_errors(void **state)
{
    (void)state;
    parsed *p = parse("version 2023-01-01\nconst x = 2023-02-30\n");
    assert_false(p->ok);
    assert_non_null(strstr(p->kept.text, "2:11: error: impossible date '2023-02-30'"));
    done(p);
    p = parse("version 2023-02-29\n");
    assert_false(p->ok);
    assert_non_null(strstr(p->kept.text, "1:9: error: impossible date"));
    done(p);
}

static void a_rule_parses_with_all_its_clauses(void **state)
{
    (void)state;
    parsed *p = parse("version 2023-01-01 amends 2020-07-01\n"
                      "  title \"t\"\n"
                      "> 9 a § LSS: law text\n"
                      "> second line\n"
                      "rule meals_are_basic \"9 a § LSS\"\n"
                      "  source \"seed 003\"\n"
                      "  for each need\n"
                      "  let big = minutes_per_week > 60 min/week\n"
                      "  when kind = maltider and (tube_feeding or integrity_sensitive)\n"
                      "  basic = true\n"
                      "  before other_rule\n");
    assert_true(p->ok);
    assert_true(p->file->amends);
    assert_int_equal(p->file->amended_version, cal_from_ymd(2020, 7, 1));
    assert_string_equal(p->file->title, "t");
    assert_int_equal(p->file->decl_count, 1);
    const ast_decl *d = p->file->decls[0];
    assert_int_equal(d->kind, DECL_RULE);
    assert_string_equal(d->name, "meals_are_basic");
    assert_string_equal(d->cite, "9 a § LSS");
    assert_string_equal(d->source, "seed 003");
    assert_string_equal(d->law, "9 a § LSS: law text\nsecond line");
    assert_string_equal(d->u.rule.for_each.name, "need");
    assert_int_equal(d->u.rule.let_count, 1);
    assert_string_equal(d->u.rule.lets[0].name, "big");
    assert_int_equal(d->u.rule.when->kind, EXPR_BINARY);
    assert_int_equal(d->u.rule.when->u.binary.op, OP_AND);
    assert_string_equal(d->u.rule.target.name, "basic");
    assert_int_equal(d->u.rule.placement, PLACE_BEFORE);
    assert_string_equal(d->u.rule.anchor.name, "other_rule");
    unsigned line, col;
    src_line_col(d->at.file, d->name_at.start, &line, &col);
    assert_int_equal(line, 5);
    assert_int_equal(col, 6);
    done(p);
}

static void precedence_binds_as_documented(void **state)
{
    (void)state;
    parsed *p = parse("version 2023-01-01\nconst x = a or b and not c = d + e * f\n");
    assert_true(p->ok);
    const ast_expr *e = const_value(p);
    assert_int_equal(e->u.binary.op, OP_OR);
    const ast_expr *and = e->u.binary.right;
    assert_int_equal(and->u.binary.op, OP_AND);
    const ast_expr *not = and->u.binary.right;
    assert_int_equal(not->kind, EXPR_NOT);
    const ast_expr *eq = not->u.operand;
    assert_int_equal(eq->u.binary.op, OP_EQ);
    assert_int_equal(eq->u.binary.right->u.binary.op, OP_ADD);
    assert_int_equal(eq->u.binary.right->u.binary.right->u.binary.op, OP_MUL);
    done(p);
}

static void tables_keep_rows_and_ranges(void **state)
{
    (void)state;
    parsed *p = parse("version 2023-01-01\n"
                      "table t \"SFB 51 kap. 6 §\"\n"
                      "  key age: years\n"
                      "  value basic: weekly\n"
                      "  0 years => 12 h/day\n"
                      "  1 years .. 6 years => 2.5 h/day\n"
                      "  18 years .. => 0 h/day\n"
                      "  otherwise error \"no band\"\n");
    assert_true(p->ok);
    const ast_decl *d = p->file->decls[0];
    assert_int_equal(d->u.table.row_count, 3);
    assert_ptr_equal(d->u.table.rows[0]->low, d->u.table.rows[0]->high);
    assert_int_equal(d->u.table.rows[1]->high->u.number.value, 6);
    assert_null(d->u.table.rows[2]->high);
    assert_string_equal(d->u.table.no_match, "no band");
    done(p);
}

static void syntax_errors_point_at_the_token_and_recover(void **state)
{
    (void)state;
    parsed *p = parse("version 2023-01-01\n"
                      "rule a \"x\"\n"
                      "  b = 1 +\n"
                      "rule c \"y\"\n"
                      "  d = (2\n"
                      "rule e \"z\"\n"
                      "  f = 3\n");
    assert_false(p->ok);
    assert_non_null(strstr(p->kept.text, "3:9: error: this statement is incomplete (the next line starts with `rule`)"));
    assert_non_null(strstr(p->kept.text, "5:8: error: this statement is incomplete"));
    assert_int_equal(p->sink.errors, 2);
    done(p);
}

static void stray_characters_and_unterminated_strings(void **state)
{
    (void)state;
    parsed *p = parse("version 2023-01-01\nconst x = 1 ; \nconst y \"open = 2\n");
    assert_false(p->ok);
    assert_non_null(strstr(p->kept.text, "2:13: error: stray character ';'"));
    assert_non_null(strstr(p->kept.text, "3:9: error: unterminated string"));
    done(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(durations_convert_exactly),
        cmocka_unit_test(other_units_convert_exactly),
        cmocka_unit_test(inexact_quantities_are_errors),
        cmocka_unit_test(impossible_dates_are_errors),
        cmocka_unit_test(a_rule_parses_with_all_its_clauses),
        cmocka_unit_test(precedence_binds_as_documented),
        cmocka_unit_test(tables_keep_rows_and_ranges),
        cmocka_unit_test(syntax_errors_point_at_the_token_and_recover),
        cmocka_unit_test(stray_characters_and_unterminated_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
