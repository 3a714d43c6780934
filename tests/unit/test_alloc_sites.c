/*
 * Allocation failure at every allocation site. test_alloc_failure fails the
 * Nth request for memory from the system, which the arenas make once per
 * block of thousands of nodes; this test fails the Nth arena allocation
 * (arena_set_fault), so that the failure path after each arena_alloc in the
 * front end, the checker, the static checks, the loader, the evaluator, the
 * rule tests, the diffs and the formatter is taken in turn. For each
 * workload, N = 1, 2, 3, ... until a run meets no failure, with the Nth
 * allocation and every later one failing:
 *   - a ruleset that loads either loads exactly as without the failure (the
 *     same warnings) or fails with at least one diagnostic;
 *   - a ruleset with mistakes fails with at least one diagnostic;
 *   - a record is decided exactly as without the failure, or ends in
 *     BT_FAILED with an `out of memory` error record (when one could be
 *     written);
 *   - rule tests load with a diagnostic or not at all, and run to the same
 *     report or report running out of memory;
 *   - a diff writes the same lines or reports running out of memory;
 *   - fmt gives the same text, or FMT_NO_MEMORY, or FMT_SYNTAX with a
 *     diagnostic that says memory ran out while parsing;
 * and no run leaks (the heap in use, with glibc's thread cache off, is the
 * same after each run as before it; LeakSanitizer in the sanitizer build).
 * Last, the evaluation step limit is reached at every step in the same way.
 */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "arena.h"
#include "batch.h"
#include "diff.h"
#include "format.h"
#include "json_reader.h"
#include "ruleset.h"
#include "ruletest.h"
#include "test_support.h"

#ifndef REGEL_SOURCE_DIR
#error "REGEL_SOURCE_DIR must name the source tree"
#endif
#define SRC(path) REGEL_SOURCE_DIR "/" path

/* ---- the fault: the Nth arena allocation and every later one fail */

static unsigned long calls, fail_at, failures;

static bool fault(void)
{
    unsigned long n = ++calls;
    if (fail_at && n >= fail_at) {
        failures++;
        return true;
    }
    return false;
}

static size_t heap_in_use(void) { return mallinfo2().uordblks; }

static void count_only(void *ctx, const diag *d)
{
    (void)ctx;
    (void)d;
}

/* Notes whether a diagnostic says that memory ran out. */
static void note_oom(void *ctx, const diag *d)
{
    if (d->message && strstr(d->message, "out of memory"))
        *(bool *)ctx = true;
}

/* A workload run once without a failure (its reference) and then with every
 * N failing. `run` returns the text it produced, which `check` compares with
 * the reference; both are the workload's. */
typedef struct outcome {
    bool loaded;       /* the ruleset (or the test files) loaded */
    bool complete;     /* no step gave up */
    unsigned errors, warnings;
    char *text;        /* what was produced, malloc'd */
} outcome;

typedef void (*workload)(const void *arg, outcome *o);
typedef void (*verdict)(unsigned long n, const outcome *ref, const outcome *got);

/* N = 1, 1 + stride, 1 + 2 stride, ...: a stride above 1 samples the sites
 * of a workload too large to fail at every one. */
static unsigned long fail_every(workload run, const void *arg, verdict check, const char *name, unsigned long stride)
{
    outcome ref = {0}, got;
    arena_set_fault(fault);
    calls = fail_at = 0;
    run(arg, &ref);
    unsigned long needed = calls, n;
    for (n = 1;; n += stride) {
        memset(&got, 0, sizeof got);
        calls = failures = 0;
        fail_at = n;
        size_t before = heap_in_use();
        run(arg, &got);
        fail_at = 0;
        unsigned long failed = failures;
        if (failed)
            check(n, &ref, &got);
        free(got.text);
        size_t after = heap_in_use();
        if (after != before)
            fail_msg("%s, N=%lu: %zu bytes of heap not freed", name, n, after - before);
        if (failed == 0)
            break; /* the run got past its last arena allocation */
    }
    arena_set_fault(NULL);
    free(ref.text);
    assert_true(n > needed && n <= needed + stride);
    if (stride == 1)
        print_message("%s: %lu arena allocations, each failed in turn\n", name, needed);
    else
        print_message("%s: %lu arena allocations, every %luth failed in turn\n", name, needed, stride);
    return needed;
}

static unsigned long fail_each(workload run, const void *arg, verdict check, const char *name)
{
    return fail_every(run, arg, check, name, 1);
}

/* ---- loading rulesets, and deciding records with them */

typedef struct decide_job {
    const char *ruleset;
    const char *const *lines;  /* NULL-terminated; may be empty */
} decide_job;

static void put(outcome *o, const char *s, size_t n)
{
    size_t have = o->text ? strlen(o->text) : 0;
    char *more = realloc(o->text, have + n + 1);
    assert_non_null(more);
    memcpy(more + have, s, n);
    more[have + n] = '\0';
    o->text = more;
}

static void load_and_decide(const void *arg, outcome *o)
{
    const decide_job *job = arg;
    diag_sink sink = {.fn = count_only};
    ruleset *rs = rs_load(job->ruleset, &sink);
    o->errors = sink.errors;
    o->warnings = sink.warnings;
    o->loaded = o->complete = rs != NULL;
    if (!rs)
        return;
    bt_session *s = bt_session_new(rs, 64);
    if (!s || !bt_session_set(s, BT_HASH | BT_TRACE))
        o->complete = false;
    for (size_t i = 0; s && job->lines[i]; i++) {
        size_t len = strlen(job->lines[i]);
        char *padded = malloc(len + JR_PADDING);
        assert_non_null(padded);
        memcpy(padded, job->lines[i], len);
        memset(padded + len, ' ', JR_PADDING);
        ob_buf out = {0};
        bt_outcome r = bt_decide_line(s, padded, len, &out);
        free(padded);
        if (r == BT_FAILED || out.failed) {
            o->complete = false;
            /* An error record when one could be written, and it says why. */
            if (!out.failed && out.len && !strstr(out.data, "out of memory"))
                fail_msg("%s: a record failed with %.*s", job->ruleset, (int)out.len, out.data);
            put(o, "FAILED\n", 7);
        } else
            put(o, out.data, out.len);
        ob_free(&out);
    }
    bt_session_free(s);
    rs_free(rs);
}

/* A ruleset that loads: each run loads it as before, or fails with a diagnostic. */
static void same_or_diagnosed(unsigned long n, const outcome *ref, const outcome *got)
{
    if (!got->loaded && got->errors == 0)
        fail_msg("N=%lu: the ruleset failed to load without a diagnostic", n);
    if (got->loaded && (got->errors != 0 || got->warnings != ref->warnings))
        fail_msg("N=%lu: loaded with %u error(s) and %u warning(s) instead of %u", n, got->errors, got->warnings,
                 ref->warnings);
    if (got->loaded && got->text && ref->text) {
        /* Record by record: each is the reference's or FAILED. */
        const char *a = got->text, *b = ref->text;
        while (*a && *b) {
            size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
            if (!(la == 6 && memcmp(a, "FAILED", 6) == 0) && (la != lb || memcmp(a, b, la) != 0)) {
                size_t k = 0;
                while (k < la && k < lb && a[k] == b[k])
                    k++;
                size_t from = k > 60 ? k - 60 : 0;
                fail_msg("N=%lu: a record decided otherwise, from byte %zu: '%.*s' instead of '%.*s'", n, k,
                         (int)(la - from < 200 ? la - from : 200), a + from, (int)(lb - from < 200 ? lb - from : 200), b + from);
            }
            a += la + (a[la] == '\n');
            b += lb + (b[lb] == '\n');
        }
    }
}

/* A ruleset with mistakes never loads, and always says why. */
static void still_diagnosed(unsigned long n, const outcome *ref, const outcome *got)
{
    (void)ref;
    if (got->loaded || got->errors == 0)
        fail_msg("N=%lu: a broken ruleset %s", n, got->loaded ? "loaded" : "failed without a diagnostic");
}

static const char *const mini_lines[] = {
    "{\"id\":\"a\",\"decision_date\":\"2024-06-01\",\"birth_date\":\"1980-01-01\",\"tasks\":[{\"minutes\":300},{\"minutes\":200,\"heavy\":true}]}",
    "{\"id\":\"b\",\"decision_date\":\"2025-06-01\",\"birth_date\":\"2010-01-01\",\"resident\":false,\"tasks\":[{\"minutes\":900,\"night\":true}]}",
    "{\"id\":\"c\",\"decision_date\":\"2024-06-01\",\"birth_date\":\"2024-06-02\",\"tasks\":[]}",
    "{\"id\":\"d\",\"decision_date\":\"2023-01-01\",\"birth_date\":\"1980-01-01\",\"tasks\":[]}",
    "{\"id\":\"e\",\"decision_date\":\"2024-06-01\",\"tasks\":[{\"minutes\":\"x\"}]}",
    "not json",
    NULL};

static const char *const kinds_lines[] = {
    "{\"id\":\"k\",\"decision_date\":\"2024-06-01\",\"name\":\"Anna\",\"persons\":2,\"share\":0.25,"
    "\"visits\":[{\"length\":90,\"fee\":12050},{\"length\":30,\"fee\":75}]}",
    NULL};

static const char *const no_lines[] = {NULL};

static const char *const amended_lines[] = {
    "{\"id\":\"old\",\"day\":\"2022-06-01\",\"born\":\"2015-01-01\",\"items\":[{\"minutes\":300},{\"minutes\":100,\"colour\":\"green\"}]}",
    "{\"id\":\"new\",\"day\":\"2023-06-01\",\"born\":\"2015-01-01\",\"items\":[{\"minutes\":300},{\"minutes\":100,\"colour\":\"red\"}]}",
    "{\"id\":\"adult\",\"day\":\"2023-06-01\",\"born\":\"1990-01-01\",\"items\":[{\"minutes\":10}]}",
    NULL};

/* The shipped ruleset, with a decided case of each spec example file. */
static const char *lss_lines[3];

static void read_first_lines(void)
{
    static char buf[2][8192];
    const char *files[] = {SRC("rulesets/lss-personlig-assistans/examples/spec-decided.jsonl"),
                           SRC("rulesets/lss-personlig-assistans/examples/spec-errors.jsonl")};
    for (size_t i = 0; i < 2; i++) {
        FILE *f = fopen(files[i], "r");
        assert_non_null(f);
        assert_non_null(fgets(buf[i], sizeof buf[i], f));
        fclose(f);
        buf[i][strcspn(buf[i], "\r\n")] = '\0';
        lss_lines[i] = buf[i];
    }
}

static void mini_ruleset(void **state)
{
    (void)state;
    decide_job job = {SRC("tests/ruletest/mini"), mini_lines};
    fail_each(load_and_decide, &job, same_or_diagnosed, "mini ruleset and 6 records");
}

static void kinds_ruleset(void **state)
{
    (void)state;
    decide_job job = {SRC("tests/ruletest/kinds"), kinds_lines};
    fail_each(load_and_decide, &job, same_or_diagnosed, "kinds ruleset and a record");
}

static void amended_ruleset(void **state)
{
    (void)state;
    decide_job job = {SRC("tests/audit/amended"), amended_lines};
    fail_each(load_and_decide, &job, same_or_diagnosed, "amended fixture and 3 records");
}

static void lss_ruleset(void **state)
{
    (void)state;
    read_first_lines();
    decide_job job = {SRC("rulesets/lss-personlig-assistans"), lss_lines};
    fail_every(load_and_decide, &job, same_or_diagnosed, "LSS ruleset and 2 records", 4);
}

/* Rule files with mistakes and warnings of every kind the checker and the
 * static checks report (tests/diagnostics). */
static void diagnosed_rulesets(void **state)
{
    (void)state;
    static const char *const broken[] = {
        "field_declaration_errors.regel", "expression_errors.regel", "table_errors.regel",
        "declaration_errors.regel",       "two_inputs.regel",        "output_key_not_text.regel",
        "no_input.regel",                 "no_version_selector.regel", "definition_cycle.regel",
        "duplicate_rule_id.regel",        "misspelt_declaration.regel", "table_overlap.regel",
        "syntax_recovery_in_rule.regel",  "versions_amend_missing",  "versions_amends_nothing",
        "versions_same_date",             "rule_defines_nothing.regel", "output_incomplete.regel",
        "remove_without_amends.regel",    "amends_before_first.regel",  "more_type_errors.regel", "table_open_ends.regel",
    };
    static const char *const warned[] = {
        "condition_values.regel",  "condition_more.regel",        "condition_always_true.regel", "table_gap.regel",
        "never_used.regel",        "missing_fallback.regel",      "rule_never_fires.regel",
        "check_conditions.regel",  "versions_pass_over",          "versions_results_change",
        "versions_file_name",      "table_otherwise_unreachable.regel", "unconditional_rule_shadows.regel",
        "covered_without_fallback.regel",
    };
    char path[512];
    for (size_t i = 0; i < sizeof broken / sizeof *broken; i++) {
        snprintf(path, sizeof path, "%s/%s", SRC("tests/diagnostics"), broken[i]);
        decide_job job = {path, no_lines};
        fail_each(load_and_decide, &job, still_diagnosed, broken[i]);
    }
    for (size_t i = 0; i < sizeof warned / sizeof *warned; i++) {
        snprintf(path, sizeof path, "%s/%s", SRC("tests/diagnostics"), warned[i]);
        decide_job job = {path, no_lines};
        fail_each(load_and_decide, &job, same_or_diagnosed, warned[i]);
    }
}

/* ---- rule tests: load and run the mini ruleset's tests, with coverage */

typedef struct suite_job {
    const ruleset *rs;
    const char *dir;
    const char *const *paths;
    size_t count;
} suite_job;

static void load_and_run_tests(const void *arg, outcome *o)
{
    const suite_job *job = arg;
    diag_sink sink = {.fn = count_only};
    rt_suite *suite = rt_load(job->rs, job->dir, job->paths, job->count, &sink);
    o->errors = sink.errors;
    o->loaded = suite != NULL;
    if (!suite)
        return;
    ob_buf report = {0};
    rt_totals totals;
    rt_options opt = {.coverage = true, .verbose = true};
    o->complete = rt_run(suite, &opt, &report, &totals);
    if (o->complete)
        rt_write_coverage(suite, &report);
    o->complete = o->complete && !report.failed;
    if (o->complete)
        put(o, report.data ? report.data : "", report.len);
    ob_free(&report);
    rt_free(suite);
}

static void tests_same_or_failed(unsigned long n, const outcome *ref, const outcome *got)
{
    if (!got->loaded && got->errors == 0)
        fail_msg("N=%lu: the tests failed to load without a diagnostic", n);
    if (got->complete && strcmp(got->text ? got->text : "", ref->text ? ref->text : "") != 0)
        fail_msg("N=%lu: the report differs:\n%s\ninstead of\n%s", n, got->text, ref->text);
}

static ruleset *load_quietly(const char *path)
{
    diag_sink sink = {.fn = count_only};
    ruleset *rs = rs_load(path, &sink);
    assert_non_null(rs);
    return rs;
}

static void rule_tests(void **state)
{
    (void)state;
    ruleset *mini = load_quietly(SRC("tests/ruletest/mini"));
    static const char *const files[] = {SRC("tests/ruletest/failing.regeltest"), SRC("tests/ruletest/failing2.regeltest"),
                                        SRC("tests/ruletest/mini/tests/allowance.regeltest")};
    suite_job job = {mini, SRC("tests/ruletest/mini/tests"), files, 3};
    fail_each(load_and_run_tests, &job, tests_same_or_failed, "rule tests of the mini ruleset");
    static const char *const malformed[] = {SRC("tests/ruletest/malformed.regeltest"),
                                            SRC("tests/ruletest/malformed2.regeltest")};
    suite_job bad = {mini, SRC("tests/ruletest/mini/tests"), malformed, 2};
    fail_each(load_and_run_tests, &bad, tests_same_or_failed, "malformed rule tests");
    rs_free(mini);
    ruleset *evaluate = load_quietly(SRC("tests/ruletest/evaluate"));
    suite_job ev = {evaluate, SRC("tests/ruletest/evaluate/tests"), NULL, 0};
    fail_each(load_and_run_tests, &ev, tests_same_or_failed, "rule tests of the evaluate ruleset");
    rs_free(evaluate);
    ruleset *kinds = load_quietly(SRC("tests/ruletest/kinds"));
    suite_job k = {kinds, SRC("tests/ruletest/kinds/tests"), NULL, 0};
    fail_each(load_and_run_tests, &k, tests_same_or_failed, "rule tests of the kinds ruleset");
    rs_free(kinds);
}

/* ---- diffs: the mini ruleset against itself as of two dates is not
 * reachable from here, so two loads of it are compared (nothing changes) and
 * the kinds of record that a diff reads (decided, rejected, not JSON) pass. */

typedef struct diff_job {
    const ruleset *old_side, *new_side;
} diff_job;

static void run_diff(const void *arg, outcome *o)
{
    const diff_job *job = arg;
    df_session *s = df_new(job->old_side, job->new_side);
    if (!s)
        return;
    ob_buf out = {0};
    bool ok = true;
    for (size_t i = 0; ok && mini_lines[i]; i++) {
        size_t len = strlen(mini_lines[i]);
        char *padded = malloc(len + JR_PADDING);
        assert_non_null(padded);
        memcpy(padded, mini_lines[i], len);
        memset(padded + len, ' ', JR_PADDING);
        ok = df_line(s, padded, len, &out);
        free(padded);
    }
    if (ok)
        df_summary(s, &out);
    o->complete = ok && !out.failed;
    if (o->complete)
        put(o, out.data ? out.data : "", out.len);
    ob_free(&out);
    df_free(s);
}

static void diff_same_or_failed(unsigned long n, const outcome *ref, const outcome *got)
{
    if (got->complete && strcmp(got->text ? got->text : "", ref->text ? ref->text : "") != 0)
        fail_msg("N=%lu: the diff differs:\n%s\ninstead of\n%s", n, got->text, ref->text);
}

static void diffs(void **state)
{
    (void)state;
    ruleset *a = load_quietly(SRC("tests/ruletest/mini")), *b = load_quietly(SRC("tests/ruletest/mini"));
    diff_job job = {a, b};
    fail_each(run_diff, &job, diff_same_or_failed, "diff of the mini ruleset");
    rs_free(a);
    rs_free(b);
}

/* ---- fmt */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return text;
}

static void run_fmt(const void *arg, outcome *o)
{
    const char *path = arg;
    size_t len;
    char *text = slurp(path, &len);
    bool oom = false;
    diag_sink sink = {.fn = note_oom, .ctx = &oom};
    ob_buf out = {0};
    fmt_status st = fmt_format(path, text, len, &sink, &out);
    o->errors = sink.errors;
    o->complete = st == FMT_OK;
    if (st == FMT_OK)
        put(o, out.data ? out.data : "", out.len);
    else if (st != FMT_NO_MEMORY && !(st == FMT_SYNTAX && oom))
        fail_msg("fmt of %s ended in %d without saying that memory ran out", path, (int)st);
    ob_free(&out);
    free(text);
}

static void fmt_same_or_failed(unsigned long n, const outcome *ref, const outcome *got)
{
    if (got->complete && strcmp(got->text ? got->text : "", ref->text ? ref->text : "") != 0)
        fail_msg("N=%lu: fmt gave another text", n);
}

static void formatting(void **state)
{
    (void)state;
    fail_each(run_fmt, SRC("tests/fmt/cases/messy.regel"), fmt_same_or_failed, "fmt of messy.regel");
    fail_each(run_fmt, SRC("tests/fmt/cases/odd.regel"), fmt_same_or_failed, "fmt of odd.regel");
    fail_each(run_fmt, SRC("tests/fmt/cases/nested.regel"), fmt_same_or_failed, "fmt of nested.regel");
    fail_each(run_fmt, SRC("rulesets/lss-personlig-assistans/2023-01-01.regel"), fmt_same_or_failed,
              "fmt of the 2023 LSS rule file");
}

/* ---- the step limit, reached at every step
 *
 * The same idea for the evaluation step limit (regel eval --max-steps): with
 * a limit of N steps, N = 1, 2, 3, ... until every record is decided, each
 * record is decided exactly as without a limit or gets the error record of
 * the limit, with and without a trace. */
static size_t decide_all(bt_session *s, const char *const *lines, char **out, bool *limited)
{
    size_t hit = 0;
    for (size_t i = 0; lines[i]; i++) {
        size_t len = strlen(lines[i]);
        char *padded = malloc(len + JR_PADDING);
        assert_non_null(padded);
        memcpy(padded, lines[i], len);
        memset(padded + len, ' ', JR_PADDING);
        ob_buf o = {0};
        bt_outcome r = bt_decide_line(s, padded, len, &o);
        free(padded);
        assert_int_not_equal(r, BT_FAILED);
        assert_false(o.failed);
        free(out[i]);
        out[i] = strndup(o.data, o.len);
        assert_non_null(out[i]);
        limited[i] = strstr(out[i], "the evaluation takes too many steps") != NULL;
        hit += limited[i];
        ob_free(&o);
    }
    return hit;
}

static void step_limit_at_every_step(const char *path, const char *const *lines, unsigned flags)
{
    ruleset *rs = load_quietly(path);
    bt_session *s = bt_session_new(rs, 64);
    assert_non_null(s);
    assert_true(bt_session_set(s, BT_HASH | flags));
    size_t count = 0;
    while (lines[count])
        count++;
    char *ref[16] = {0}, *got[16] = {0};
    bool limited[16];
    assert_true(count <= 16);
    assert_int_equal(decide_all(s, lines, ref, limited), 0);
    unsigned long n;
    for (n = 1;; n++) {
        bt_session_limit(s, n);
        size_t hit = decide_all(s, lines, got, limited);
        for (size_t i = 0; i < count; i++)
            if (!limited[i] && strcmp(got[i], ref[i]) != 0)
                fail_msg("%s, limit %lu: '%s' instead of '%s'", path, n, got[i], ref[i]);
            else if (limited[i] && (strncmp(got[i], ref[i], strcspn(ref[i], ",")) != 0 || !strstr(got[i], "\"error\"")))
                fail_msg("%s, limit %lu: the limit's error record '%s' is not of the record '%s'", path, n, got[i], ref[i]);
        if (hit == 0)
            break;
    }
    print_message("%s%s: every step limit from 1 to %lu\n", path, flags ? " (traced)" : "", n);
    for (size_t i = 0; i < count; i++) {
        free(ref[i]);
        free(got[i]);
    }
    bt_session_free(s);
    rs_free(rs);
}

static const char *const evaluate_lines[] = {
    "{\"id\":\"a\",\"decision_date\":\"2024-02-10\",\"birth_date\":\"1990-05-20\",\"name\":\"Anna Maria\",\"share\":0.5,"
    "\"years_ahead\":1,\"visits\":[{\"paid\":true},{}]}",
    "{\"id\":\"b\",\"decision_date\":\"2024-02-10\",\"birth_date\":\"1930-01-01\",\"name\":\"Bo\",\"share\":0.5,"
    "\"years_ahead\":1,\"visits\":[]}",
    NULL};

static void step_limits(void **state)
{
    (void)state;
    read_first_lines();
    for (unsigned traced = 0; traced < 2; traced++) {
        unsigned flags = traced ? BT_TRACE : 0;
        step_limit_at_every_step(SRC("tests/ruletest/evaluate"), evaluate_lines, flags);
        step_limit_at_every_step(SRC("tests/ruletest/mini"), mini_lines, flags);
        step_limit_at_every_step(SRC("tests/ruletest/kinds"), kinds_lines, flags);
        step_limit_at_every_step(SRC("tests/audit/amended"), amended_lines, flags);
        step_limit_at_every_step(SRC("rulesets/lss-personlig-assistans"), lss_lines, flags);
    }
}

int main(int argc, char **argv)
{
    (void)argc;
    if (!without_malloc_cache(argv))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mini_ruleset),   cmocka_unit_test(kinds_ruleset), cmocka_unit_test(amended_ruleset),
        cmocka_unit_test(lss_ruleset),    cmocka_unit_test(diagnosed_rulesets),
        cmocka_unit_test(rule_tests),     cmocka_unit_test(diffs),         cmocka_unit_test(formatting),
        cmocka_unit_test(step_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
