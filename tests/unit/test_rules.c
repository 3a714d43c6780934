/*
 * Unit tests of the loader, checker and evaluator on small rulesets written
 * to a temporary directory: first-match rules and the order they fire in,
 * amendments across versions, exact unit arithmetic, tables, record
 * validation driven by the declarations, and the checker's diagnostics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "batch.h"
#include "json_reader.h"
#include "ruleset.h"
#include "test_support.h"

static const char base[] =
    "version 2020-01-01\n"
    "enum colour red, green\n"
    "record item\n"
    "  field minutes: weekly in 0 .. 1000\n"
    "  field colour: colour = red\n"
    "input case\n"
    "  field id: text\n"
    "  field day: date\n"
    "  field born: date = 2000-01-01\n"
    "  field items: list of item\n"
    "  select version by day\n"
    "output\n"
    "  key id\n"
    "  version version\n"
    "  result total: weekly\n"
    "  result big: bool\n"
    "  result band: weekly\n"
    "  fired fired\n"
    "  error error: field, message\n"
    "check born_first\n"
    "  require born <= day\n"
    "  otherwise reject born \"after day\"\n"
    "const limit \"§ 1\" = 1 h/day\n"
    "rule red_counts_double \"§ 2\"\n"
    "  for each item\n"
    "  when colour = red\n"
    "  counted = minutes * 2\n"
    "rule counted_as_is \"§ 2\"\n"
    "  for each item\n"
    "  counted = minutes\n"
    "rule total \"§ 3\"\n"
    "  total = sum(counted of items where counted > 0 min/week)\n"
    "rule big \"§ 4\"\n"
    "  when total > limit\n"
    "  big = true\n"
    "rule small \"§ 4\"\n"
    "  big = false\n"
    "table bands \"§ 5\"\n"
    "  key age: years\n"
    "  value cut: weekly\n"
    "  0 years .. 9 years => 1 h/week\n"
    "  10 years .. => 30 min/week\n"
    "  otherwise error \"no band\"\n"
    "rule band \"§ 5\"\n"
    "  band = bands(age(born, day)).cut\n";

static const char amendment[] =
    "version 2024-01-01 amends 2020-01-01\n"
    "replace const limit \"§ 1 (2024)\" = 2 h/day\n"
    "rule green_counts_triple \"§ 2 (2024)\"\n"
    "  for each item\n"
    "  when colour = green\n"
    "  counted = minutes * 3\n";

typedef struct fixture {
    const char *const *files;
    char *dir;
    ruleset *rs;
    bt_session *session;
    kept_diags kept;
    diag_sink sink;
} fixture;

static fixture *load(const char *const *files)
{
    fixture *f = calloc(1, sizeof *f);
    f->files = files;
    f->dir = write_ruleset(files);
    f->sink = (diag_sink){.fn = keep_diag, .ctx = &f->kept};
    f->rs = rs_load(f->dir, &f->sink);
    if (f->rs)
        f->session = bt_session_new(f->rs, 64);
    return f;
}

static void unload(fixture *f)
{
    bt_session_free(f->session);
    rs_free(f->rs);
    remove_ruleset(f->dir, f->files);
    free(f);
}

/* Decides one line and returns the result line (without its newline) in a static buffer. */
static const char *decide(fixture *f, const char *line, bt_outcome *outcome)
{
    static char result[4096];
    char padded[2048 + JR_PADDING];
    size_t n = strlen(line);
    memcpy(padded, line, n);
    memset(padded + n, ' ', JR_PADDING);
    ob_buf out = {0};
    bt_outcome o = bt_decide_line(f->session, padded, n, &out);
    if (outcome)
        *outcome = o;
    size_t len = out.len && out.data[out.len - 1] == '\n' ? out.len - 1 : out.len;
    memcpy(result, out.data, len);
    result[len] = '\0';
    ob_free(&out);
    return result;
}

static void first_matching_rule_fires_in_dependency_order(void **state)
{
    (void)state;
    const char *files[] = {"2020-01-01.regel", base, NULL};
    fixture *f = load(files);
    assert_non_null(f->rs);
    bt_outcome o;
    const char *r = decide(f, "{\"id\":\"a\",\"day\":\"2021-06-01\",\"items\":[{\"minutes\":300},{\"minutes\":100,\"colour\":\"green\"}]}", &o);
    assert_int_equal(o, BT_DECIDED);
    assert_string_equal(r, "{\"id\":\"a\",\"version\":\"2020-01-01\",\"total\":700,\"big\":true,\"band\":30,"
                           "\"fired\":[\"red_counts_double\",\"counted_as_is\",\"total\",\"big\",\"band\"]}");
    unload(f);
}

static void an_amendment_replaces_a_constant_and_adds_an_exception(void **state)
{
    (void)state;
    const char *files[] = {"2020-01-01.regel", base, "2024-01-01.regel", amendment, NULL};
    fixture *f = load(files);
    assert_non_null(f->rs);
    const char *line = "{\"id\":\"b\",\"day\":\"%s\",\"items\":[{\"minutes\":300},{\"minutes\":100,\"colour\":\"green\"}]}";
    char text[512];
    snprintf(text, sizeof text, line, "2023-12-31");
    assert_string_equal(decide(f, text, NULL),
                        "{\"id\":\"b\",\"version\":\"2020-01-01\",\"total\":700,\"big\":true,\"band\":30,"
                        "\"fired\":[\"red_counts_double\",\"counted_as_is\",\"total\",\"big\",\"band\"]}");
    snprintf(text, sizeof text, line, "2024-01-01");
    /* 2 h/day is 840 min/week: 900 is still big; green now counts triple. */
    assert_string_equal(decide(f, text, NULL),
                        "{\"id\":\"b\",\"version\":\"2024-01-01\",\"total\":900,\"big\":true,\"band\":30,"
                        "\"fired\":[\"red_counts_double\",\"green_counts_triple\",\"total\",\"big\",\"band\"]}");
    unload(f);
}

static void records_are_validated_against_the_declaration(void **state)
{
    (void)state;
    const char *files[] = {"2020-01-01.regel", base, NULL};
    fixture *f = load(files);
    assert_non_null(f->rs);
    static const struct { const char *line, *result; } cases[] = {
        {"{\"id\":\"u\",\"day\":\"2021-01-01\",\"items\":[],\"colour\":\"red\"}",
         "{\"id\":\"u\",\"error\":{\"field\":\"colour\",\"message\":\"unknown field\"}}"},
        {"{\"id\":\"d\",\"day\":\"2021-01-01\",\"day\":\"2021-01-02\",\"items\":[]}",
         "{\"id\":\"d\",\"error\":{\"field\":\"day\",\"message\":\"duplicate key\"}}"},
        {"{\"id\":\"r\",\"day\":\"2021-01-01\",\"items\":[{\"minutes\":1001}]}",
         "{\"id\":\"r\",\"error\":{\"field\":\"items[0].minutes\",\"message\":\"out of range\"}}"},
        {"{\"id\":\"f\",\"day\":\"2021-01-01\",\"items\":[{\"minutes\":10.0}]}",
         "{\"id\":\"f\",\"error\":{\"field\":\"items[0].minutes\",\"message\":\"expected an integer\"}}"},
        {"{\"id\":\"e\",\"day\":\"2021-01-01\",\"items\":[{\"minutes\":1,\"colour\":\"blue\"}]}",
         "{\"id\":\"e\",\"error\":{\"field\":\"items[0].colour\",\"message\":\"unknown colour\"}}"},
        {"{\"id\":\"m\",\"items\":[]}",
         "{\"id\":\"m\",\"error\":{\"field\":\"day\",\"message\":\"missing required field\"}}"},
        {"{\"id\":\"x\",\"day\":\"2021-02-29\",\"items\":[]}",
         "{\"id\":\"x\",\"error\":{\"field\":\"day\",\"message\":\"not a valid date\"}}"},
        {"{\"id\":\"c\",\"day\":\"2021-01-01\",\"born\":\"2021-01-02\",\"items\":[]}",
         "{\"id\":\"c\",\"error\":{\"field\":\"born\",\"message\":\"after day\"}}"},
        {"{\"id\":\"o\",\"day\":\"2019-12-31\",\"items\":[]}",
         "{\"id\":\"o\",\"error\":{\"field\":\"day\",\"message\":\"before the oldest rule version\"}}"},
        {"{\"id\":7,\"day\":\"2021-01-01\",\"items\":[]}",
         "{\"id\":null,\"error\":{\"field\":\"id\",\"message\":\"expected a string\"}}"},
        {"[1,2]", "{\"id\":null,\"error\":{\"field\":null,\"message\":\"not a JSON object\"}}"},
        {"{\"id\":\"t\",", "{\"id\":null,\"error\":{\"field\":null,\"message\":\"not JSON\"}}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bt_outcome o;
        assert_string_equal(decide(f, cases[i].line, &o), cases[i].result);
        assert_int_equal(o, BT_REJECTED);
    }
    unload(f);
}

static void a_table_without_a_matching_row_is_an_error_for_the_case(void **state)
{
    (void)state;
    const char *files[] = {"2020-01-01.regel", base, NULL};
    fixture *f = load(files);
    bt_outcome o;
    /* born after day is caught by the check; a negative age would match no band. */
    const char *r = decide(f, "{\"id\":\"n\",\"day\":\"2021-01-01\",\"born\":\"2020-06-01\",\"items\":[]}", &o);
    assert_int_equal(o, BT_DECIDED);
    assert_non_null(strstr(r, "\"band\":60"));
    unload(f);
}

static void expect_check_error(const char *extra, const char *message)
{
    size_t n = strlen(base) + strlen(extra) + 1;
    char *text = malloc(n);
    snprintf(text, n, "%s%s", base, extra);
    const char *files[] = {"2020-01-01.regel", text, NULL};
    fixture *f = load(files);
    if (f->rs || !strstr(f->kept.text, message))
        fail_msg("expected '%s' in:\n%s", message, f->kept.text);
    unload(f);
    free(text);
}

static void the_checker_rejects_mistakes_with_their_place(void **state)
{
    (void)state;
    expect_check_error("rule bad \"x\"\n  bad = day + 20 h\n", "error: cannot apply '+' to date and duration");
    expect_check_error("rule bad \"x\"\n  bad = total > 20 h\n", "error: cannot apply '>' to weekly and duration");
    expect_check_error("rule bad \"x\"\n  bad = total > 20\n", "error: cannot apply '>' to weekly and integer");
    expect_check_error("rule bad \"x\"\n  bad = totl\n", "error: unknown name 'totl'");
    expect_check_error("rule big \"x\"\n  other = 1\n", "error: 'big' is declared twice");
    expect_check_error("rule a1 \"x\"\n  a = b\nrule b1 \"x\"\n  b = a\n", "error: definition cycle: a -> b -> a");
    expect_check_error("rule bad \"x\"\n  total = 1\n", "gives 'total' a value of type integer");
    expect_check_error("table t \"x\"\n  key k: int\n  value v: int\n  1 .. 5 => 1\n  5 .. 9 => 2\n  otherwise => 0\n",
                       "error: this row overlaps another row of table 't'");
    expect_check_error("table t \"x\"\n  key k: int\n  value v: int\n  1 => 1\n",
                       "does not say what happens when no row matches");
    expect_check_error("rule bad \"x\"\n  bad = bands(3 years).cutt\n", "error: table 'bands' has no column 'cutt'");
    expect_check_error("rule bad \"x\"\n  when minutes > 0 min/week\n  bad = 1\n", "error: unknown name 'minutes'");
    expect_check_error("rule bad \"x\"\n  bad = ag(born, day)\n", "error: unknown function or table 'ag'");
    expect_check_error("rule bad \"x\"\n  bad = if big then 1 else 2 h\n", "cannot apply 'if/else' to integer and duration");
}

static void amendments_must_name_what_exists(void **state)
{
    (void)state;
    const char *files[] = {"2020-01-01.regel", base, "2024-01-01.regel",
                           "version 2024-01-01 amends 2020-01-01\nreplace rule nothing \"x\"\n  big = true\n"
                           "remove table nope\nrule big \"y\"\n  big = true\n", NULL};
    fixture *f = load(files);
    assert_null(f->rs);
    assert_non_null(strstr(f->kept.text, "2:14: error: there is no rule 'nothing' to replace"));
    assert_non_null(strstr(f->kept.text, "4:14: error: there is no table 'nope' to remove"));
    assert_non_null(strstr(f->kept.text, "5:6: error: 'big' already exists; write `replace rule big` to change it"));
    unload(f);
}

/* The least step budget, from 1 to `most`, under which `line` is decided:
 * every budget below it gives the step error for the record `id`, and every
 * budget from it on the result `want`; 0 when none up to `most` suffices.
 * The session is left with the default budget. */
static uint64_t least_budget(fixture *f, const char *line, const char *id, const char *want, uint64_t most)
{
    char too_many[256];
    snprintf(too_many, sizeof too_many,
             "{\"id\":\"%s\",\"error\":{\"field\":null,\"message\":\"the evaluation takes too many steps\"}}", id);
    uint64_t least = 0;
    for (uint64_t steps = 1; steps <= most; steps++) {
        bt_session_limit(f->session, steps);
        bt_outcome o;
        const char *r = decide(f, line, &o);
        if (strcmp(r, want) == 0) {
            assert_int_equal(o, BT_DECIDED);
            least = least ? least : steps;
        } else {
            assert_int_equal(least, 0);
            assert_string_equal(r, too_many);
        }
    }
    bt_session_limit(f->session, EV_DEFAULT_MAX_STEPS);
    return least;
}

static const char *const two_items =
    "{\"id\":\"s\",\"day\":\"2021-06-01\",\"items\":[{\"minutes\":300},{\"minutes\":100,\"colour\":\"green\"}]}";

/* Without a trace, a record that can reach neither limit is decided with
 * nothing counted; any other counts its steps as it goes. Both decide alike:
 * under every step budget the line is the step error up to the least budget
 * that suffices and the same result from there on, through the budgets where
 * the bound on the steps is not yet met and the steps are counted. */
static void every_step_budget_gives_the_step_error_or_the_same_result(void **state)
{
    (void)state;
    const char *files[] = {"2020-01-01.regel", base, NULL};
    fixture *f = load(files);
    assert_non_null(f->rs);
    char want[4096];
    snprintf(want, sizeof want, "%s", decide(f, two_items, NULL));
    /* A check, the total's rule, two items visited, three per-item rules
     * tried, a const and two rules. The bound is 12 (the second rule of each
     * item and of big besides), so 10 and 11 are decided counting steps. */
    assert_int_equal(least_budget(f, two_items, "s", want, 64), 10);
    unload(f);
}

/* A chain of values that the checker meets one at a time but a decision
 * enters from inside an expression, so that it nests deeper there. */
static const char chain[] =
    "version 2020-01-01\n"
    "input case\n"
    "  field id: text\n"
    "  field day: date\n"
    "  field n: integer = 1\n"
    "  select version by day\n"
    "output\n"
    "  key id\n"
    "  version version\n"
    "  result r: integer\n"
    "  result s: integer\n"
    "  fired fired\n"
    "  error error: field, message\n"
    "rule s1 \"x\"\n"
    "  s = t + 1\n"
    "rule t1 \"x\"\n"
    "  t = u + 1\n"
    "rule u1 \"x\"\n"
    "  u = n + 1\n"
    "rule r1 \"x\"\n"
    "  r = ((n + 1) + 1) + s\n";

/* The same for the nesting bound: under every bound the rule file loads
 * with, the line is the nesting error up to the least bound that suffices
 * and the same result from there on, nesting counted or not. */
static void every_nesting_bound_gives_the_nesting_error_or_the_same_result(void **state)
{
    (void)state;
    const char *files[] = {"2020-01-01.regel", chain, NULL};
    fixture *f = load(files);
    assert_non_null(f->rs);
    const char *line = "{\"id\":\"n\",\"day\":\"2021-06-01\"}";
    char want[4096];
    snprintf(want, sizeof want, "%s", decide(f, line, NULL));
    assert_non_null(strstr(want, "\"r\":7,\"s\":4"));
    unsigned least = 0, stopped = 0;
    for (unsigned bound = 1; bound <= 24; bound++) {
        kept_diags kept = {0};
        diag_sink sink = {.fn = keep_diag, .ctx = &kept};
        ruleset *rs = rs_load_limited(f->dir, &sink, bound);
        if (!rs)
            continue;
        bt_session *saved = f->session;
        f->session = bt_session_new(rs, 64);
        const char *r = decide(f, line, NULL);
        if (strcmp(r, want) == 0) {
            least = least ? least : bound;
        } else {
            assert_int_equal(least, 0);
            assert_string_equal(r, "{\"id\":\"n\",\"error\":{\"field\":null,\"message\":\"the evaluation nests too deeply\"}}");
            stopped++;
        }
        bt_session_free(f->session);
        f->session = saved;
        rs_free(rs);
    }
    assert_int_equal(stopped, 1);
    assert_int_equal(least, 7);
    unload(f);
}

/* Rules that share tests: a value's rules run as one program in which a
 * test that fails goes on past the later rules that what it has learnt rules
 * out, and past the tests it knows to hold (checker.c: fail_target). */
static const char shared_tests[] =
    "version 2020-01-01\n"
    "enum kind a, b, c\n"
    "record item\n"
    "  field kind: kind\n"
    "  field flag: bool = false\n"
    "  field n: integer in 0 .. 10 = 0\n"
    "input case\n"
    "  field id: text\n"
    "  field day: date\n"
    "  field items: list of item\n"
    "  select version by day\n"
    "output\n"
    "  key id\n"
    "  version version\n"
    "  result total: integer\n"
    "  fired fired\n"
    "  error error: field, message\n"
    "rule big \"x\"\n  for each item\n  when n > 5\n  big = true\n"
    "rule small \"x\"\n  for each item\n  big = false\n"
    "rule big_a \"x\"\n  for each item\n  when big and kind = a\n  score = 1\n"
    "rule big_b_flag \"x\"\n  for each item\n  when big and kind = b and flag\n  score = 2\n"
    "rule small_flag \"x\"\n  for each item\n  when not big and flag\n  score = 3\n"
    "rule small_a \"x\"\n  for each item\n  when not big and kind = a\n  score = 4\n"
    "rule big_b \"x\"\n  for each item\n  when kind = b and big\n  score = 6\n"
    "rule rest \"x\"\n  for each item\n  score = 5\n"
    "rule total \"x\"\n  total = sum(score of items)\n";

/* The same age and the same lookup written in several rules: computed once a
 * case when nothing is counted, each where written when counting; alike
 * either way, an error included. */
static const char same_lookups[] =
    "version 2020-01-01\n"
    "input case\n"
    "  field id: text\n"
    "  field day: date\n"
    "  field born: date\n"
    "  select version by day\n"
    "output\n"
    "  key id\n"
    "  version version\n"
    "  result a: weekly\n"
    "  result b: weekly\n"
    "  result old: bool\n"
    "  fired fired\n"
    "  error error: field, message\n"
    "table bands \"x\"\n"
    "  key age: years\n"
    "  value cut: weekly\n"
    "  value more: weekly\n"
    "  0 years .. 9 years => 1 h/week, 2 h/week\n"
    "  10 years .. 99 years => 30 min/week, 1 h/week\n"
    "  otherwise error \"no band\"\n"
    "rule a \"x\"\n  a = bands(age(born, day)).cut\n"
    "rule b \"x\"\n  b = bands(age(born, day)).more + bands(age(born, day)).cut\n"
    "rule old \"x\"\n  when age(born, day) > 50 years\n  old = true\n"
    "rule young \"x\"\n  old = false\n";

static void the_same_lookup_written_twice_gives_the_same_counted_or_not(void **state)
{
    (void)state;
    const char *files[] = {"2020-01-01.regel", same_lookups, NULL};
    fixture *f = load(files);
    assert_non_null(f->rs);
    static const struct {
        const char *line, *result;
        bool three_steps; /* decided in three steps, under the bound of four */
    } cases[] = {
        {"{\"id\":\"y\",\"day\":\"2021-06-01\",\"born\":\"2015-01-01\"}",
         "{\"id\":\"y\",\"version\":\"2020-01-01\",\"a\":60,\"b\":180,\"old\":false,\"fired\":[\"a\",\"b\",\"young\"]}",
         false},
        {"{\"id\":\"o\",\"day\":\"2021-06-01\",\"born\":\"1960-01-01\"}",
         "{\"id\":\"o\",\"version\":\"2020-01-01\",\"a\":30,\"b\":90,\"old\":true,\"fired\":[\"a\",\"b\",\"old\"]}",
         true},
        {"{\"id\":\"e\",\"day\":\"2021-06-01\",\"born\":\"1900-01-01\"}",
         "{\"id\":\"e\",\"error\":{\"field\":null,\"message\":\"no band\"}}", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_string_equal(decide(f, cases[i].line, NULL), cases[i].result);
        if (!cases[i].three_steps)
            continue;
        /* A budget under the bound: the steps are counted, the lookups made where written. */
        bt_session_limit(f->session, 3);
        assert_string_equal(decide(f, cases[i].line, NULL), cases[i].result);
        bt_session_limit(f->session, EV_DEFAULT_MAX_STEPS);
    }
    unload(f);
}

/* Comparisons of a value with a literal, on either side: where nothing is
 * counted, tests of a range of the value (ir_test.operand). */
static const char literal_sides[] =
    "version 2020-01-01\n"
    "input case\n"
    "  field id: text\n"
    "  field day: date\n"
    "  field n: integer in 0 .. 10\n"
    "  select version by day\n"
    "output\n"
    "  key id\n"
    "  version version\n"
    "  result code: integer\n"
    "  fired fired\n"
    "  error error: field, message\n"
    "rule v \"x\"\n  v = n\n"
    "rule between \"x\"\n  when 5 < v and v <= 8\n  code = 1\n"
    "rule three \"x\"\n  when 3 = v\n  code = 2\n"
    "rule some \"x\"\n  when v != 0 and 9 >= v and not (v > 8)\n  code = 3\n"
    "rule most \"x\"\n  when v >= 10 and 0 <= v and 4 != v\n  code = 4\n"
    "rule few \"x\"\n  when 1 > v or v < 0\n  code = 5\n"
    "rule none \"x\"\n  code = 0\n";

static void a_value_compared_with_a_literal_decides_alike_counted_or_not(void **state)
{
    (void)state;
    const char *files[] = {"2020-01-01.regel", literal_sides, NULL};
    fixture *f = load(files);
    assert_non_null(f->rs);
    static const char *const rules[] = {"none", "between", "three", "some", "most", "few"};
    for (int n = 0; n <= 10; n++) {
        int code = n > 5 && n <= 8 ? 1 : n == 3 ? 2 : n != 0 && n <= 8 ? 3 : n >= 10 ? 4 : n < 1 ? 5 : 0;
        char line[128], want[256];
        snprintf(line, sizeof line, "{\"id\":\"t\",\"day\":\"2021-06-01\",\"n\":%d}", n);
        snprintf(want, sizeof want,
                 "{\"id\":\"t\",\"version\":\"2020-01-01\",\"code\":%d,\"fired\":[\"v\",\"%s\"]}", code,
                 rules[code]);
        /* Every budget that suffices gives the same. The least is v's rule
         * and the rules of code up to the one that fires; under the bound of
         * seven (all of them), they are decided counting steps. */
        static const uint64_t least_for[] = {7, 2, 3, 4, 5, 6};
        assert_int_equal(least_budget(f, line, "t", want, 12), least_for[code]);
        assert_string_equal(decide(f, line, NULL), want);
    }
    unload(f);
}

/* Rules whose value is a constant (a number, a text), a field of the record,
 * a field of the item or an expression: where nothing is counted, the step
 * that fires the first four has the value in it (IR_FREE_FIRE_CONST, _INPUT,
 * _ITEM_FIELD). Alike counted or not, under every budget that suffices. */
static const char fired_values[] =
    "version 2020-01-01\n"
    "record item\n"
    "  field size: integer in 0 .. 10 = 0\n"
    "  field w: integer in 0 .. 100 = 0\n"
    "input case\n"
    "  field id: text\n"
    "  field day: date\n"
    "  field n: integer in 0 .. 10\n"
    "  field m: integer in 0 .. 10 = 0\n"
    "  field items: list of item\n"
    "  select version by day\n"
    "output\n"
    "  key id\n"
    "  version version\n"
    "  result pick: integer\n"
    "  result name: text\n"
    "  result total: integer\n"
    "  fired fired\n"
    "  error error: field, message\n"
    "rule pick_const \"x\"\n  when n > 5\n  pick = 1\n"
    "rule pick_input \"x\"\n  when n > 2\n  pick = m\n"
    "rule pick_expr \"x\"\n  when n > 0\n  pick = m + 1\n"
    "rule pick_rest \"x\"\n  pick = 7\n"
    "rule name_big \"x\"\n  when n > 5\n  name = \"big\"\n"
    "rule name_small \"x\"\n  name = \"small\"\n"
    "rule took_w \"x\"\n  for each item\n  when size > n\n  took = w\n"
    "rule took_none \"x\"\n  for each item\n  took = 0\n"
    "rule total \"x\"\n  total = sum(took of items)\n";

static void values_kept_in_the_step_that_fires_decide_alike_counted_or_not(void **state)
{
    (void)state;
    const char *files[] = {"2020-01-01.regel", fired_values, NULL};
    fixture *f = load(files);
    assert_non_null(f->rs);
    for (int n = 0; n <= 10; n++) {
        char line[256], want[128], unlimited[1024];
        snprintf(line, sizeof line,
                 "{\"id\":\"t\",\"day\":\"2021-06-01\",\"n\":%d,\"m\":4,"
                 "\"items\":[{\"size\":5,\"w\":10},{\"size\":1,\"w\":20},{\"size\":9,\"w\":30}]}",
                 n);
        snprintf(want, sizeof want, "\"pick\":%d,\"name\":\"%s\",\"total\":%d,", n > 5 ? 1 : n > 2 ? 4 : n > 0 ? 5 : 7,
                 n > 5 ? "big" : "small", (5 > n ? 10 : 0) + (1 > n ? 20 : 0) + (9 > n ? 30 : 0));
        bt_session_limit(f->session, EV_DEFAULT_MAX_STEPS);
        snprintf(unlimited, sizeof unlimited, "%s", decide(f, line, NULL));
        if (!strstr(unlimited, want))
            fail_msg("n = %d: %s, want %s", n, unlimited, want);
        /* Some budgets fall short, and the rest decide as with none. */
        uint64_t least = least_budget(f, line, "t", unlimited, 30);
        assert_true(least > 1 && least <= 30);
    }
    unload(f);
}

static void rules_that_share_tests_fire_as_tried_one_by_one(void **state)
{
    (void)state;
    const char *files[] = {"2020-01-01.regel", shared_tests, NULL};
    fixture *f = load(files);
    assert_non_null(f->rs);
    static const char *const kinds[] = {"a", "b", "c"};
    for (int k = 0; k < 3; k++)
        for (int flag = 0; flag < 2; flag++)
            for (int n = 0; n <= 9; n += 9) {
                bool big = n > 5;
                int want = big ? (k == 0 ? 1 : k == 1 && flag ? 2 : k == 1 ? 6 : 5)
                               : (flag ? 3 : k == 0 ? 4 : 5);
                char line[256], total[32];
                snprintf(line, sizeof line,
                         "{\"id\":\"t\",\"day\":\"2021-06-01\",\"items\":[{\"kind\":\"%s\",\"flag\":%s,\"n\":%d}]}",
                         kinds[k], flag ? "true" : "false", n);
                snprintf(total, sizeof total, "\"total\":%d,", want);
                bt_outcome o;
                const char *r = decide(f, line, &o);
                assert_int_equal(o, BT_DECIDED);
                if (!strstr(r, total))
                    fail_msg("%s: %s, want %s", line, r, total);
            }
    unload(f);
}

/* Rule names as long as the result writer's slot for a fired rule holds (44
 * characters: `,"name"` is 47 bytes with its length byte after it), and a
 * version with one longer name, whose rules are copied the general way. */
static void long_rule_names_are_written_whole(void **state)
{
    (void)state;
    for (size_t longest = 44; longest <= 45; longest++) {
        char names[3][64], src[2048], want[512];
        for (int i = 0; i < 3; i++) {
            size_t len = i == 1 ? longest : 44 - (size_t)i;
            memset(names[i], 'a' + i, len);
            names[i][len] = '\0';
        }
        snprintf(src, sizeof src,
                 "version 2020-01-01\n"
                 "input case\n  field id: text\n  field day: date\n  field n: integer in 0 .. 10 = 0\n"
                 "  select version by day\n"
                 "output\n  key id\n  version version\n  result total: integer\n  result more: integer\n"
                 "  result third: integer\n  fired fired\n  error error: field, message\n"
                 "rule %s \"x\"\n  total = n + 1\n"
                 "rule %s \"x\"\n  more = total + 1\n"
                 "rule %s \"x\"\n  third = more + 1\n",
                 names[0], names[1], names[2]);
        const char *files[] = {"2020-01-01.regel", src, NULL};
        fixture *f = load(files);
        assert_non_null(f->rs);
        snprintf(want, sizeof want,
                 "{\"id\":\"t\",\"version\":\"2020-01-01\",\"total\":1,\"more\":2,\"third\":3,"
                 "\"fired\":[\"%s\",\"%s\",\"%s\"]}",
                 names[0], names[1], names[2]);
        bt_outcome o;
        assert_string_equal(decide(f, "{\"id\":\"t\",\"day\":\"2021-06-01\"}", &o), want);
        assert_int_equal(o, BT_DECIDED);
        unload(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_matching_rule_fires_in_dependency_order),
        cmocka_unit_test(an_amendment_replaces_a_constant_and_adds_an_exception),
        cmocka_unit_test(records_are_validated_against_the_declaration),
        cmocka_unit_test(a_table_without_a_matching_row_is_an_error_for_the_case),
        cmocka_unit_test(the_checker_rejects_mistakes_with_their_place),
        cmocka_unit_test(amendments_must_name_what_exists),
        cmocka_unit_test(every_step_budget_gives_the_step_error_or_the_same_result),
        cmocka_unit_test(every_nesting_bound_gives_the_nesting_error_or_the_same_result),
        cmocka_unit_test(rules_that_share_tests_fire_as_tried_one_by_one),
        cmocka_unit_test(the_same_lookup_written_twice_gives_the_same_counted_or_not),
        cmocka_unit_test(long_rule_names_are_written_whole),
        cmocka_unit_test(a_value_compared_with_a_literal_decides_alike_counted_or_not),
        cmocka_unit_test(values_kept_in_the_step_that_fires_decide_alike_counted_or_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
