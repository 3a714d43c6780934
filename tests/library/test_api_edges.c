/*
 * The public API at its edges, through the shared library as a client links
 * it: every function given NULL or an index past the end answers as
 * include/regel.h says (REGEL_ERROR_ARGUMENT, NULL, 0 or REGEL_REJECTED),
 * values asked for as another kind give REGEL_ERROR_KIND, every status has a
 * message, and diagnostics of each severity, with and without a file, can be
 * read and formatted into buffers of any size.
 *     test_library_api_edges RULESET DIAGNOSTICS_DIR
 */
#define _POSIX_C_SOURCE 200809L

#include <regel.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *ruleset_path, *diagnostics_dir;

static const char decided[] =
    "{\"id\":\"edge-1\",\"decision_date\":\"2024-03-01\",\"application_date\":\"2024-01-15\","
    "\"birth_date\":\"1990-05-05\",\"personkrets\":1,\"lasting\":true,"
    "\"needs\":[{\"kind\":\"andning\",\"minutes_per_week\":1500,\"documented_risk\":true}]}";

static void statuses_have_messages(void **state)
{
    (void)state;
    const regel_status all[] = {REGEL_OK,         REGEL_ERROR_ARGUMENT, REGEL_ERROR_MEMORY,    REGEL_ERROR_RULESET,
                                REGEL_ERROR_KIND, REGEL_ERROR_IO,       REGEL_ERROR_NOT_FOUND, REGEL_ERROR_LOG};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        const char *m = regel_status_message(all[i]);
        assert_non_null(m);
        assert_true(strlen(m) > 0);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(m, regel_status_message(all[j]));
    }
    assert_string_equal(regel_status_message((regel_status)99), "unknown status");
    const char *v = regel_version();
    int a, b, c;
    assert_int_equal(sscanf(v, "%d.%d.%d", &a, &b, &c), 3);
}

/* ---- diagnostics */

typedef struct seen {
    unsigned errors, warnings, notes, with_hint, without_file;
    size_t formatted;
    bool truncated_ok;
} seen;

static void look(void *context, const regel_diagnostic *d)
{
    seen *s = context;
    switch (regel_diagnostic_severity(d)) {
    case REGEL_SEVERITY_ERROR: s->errors++; break;
    case REGEL_SEVERITY_WARNING: s->warnings++; break;
    default: s->notes++; break;
    }
    assert_non_null(regel_diagnostic_message(d));
    if (regel_diagnostic_hint(d))
        s->with_hint++;
    if (!regel_diagnostic_path(d)) {
        s->without_file++;
        assert_int_equal(regel_diagnostic_line(d), 0);
        assert_int_equal(regel_diagnostic_column(d), 0);
    } else {
        assert_true(regel_diagnostic_line(d) > 0);
        assert_true(regel_diagnostic_column(d) > 0);
    }
    /* The length alone, then a buffer too small: cut, and NUL-terminated. */
    size_t n = regel_diagnostic_format(d, NULL, 0);
    assert_true(n > 0);
    char small[8];
    assert_int_equal(regel_diagnostic_format(d, small, sizeof small), n);
    assert_int_equal(strlen(small), n < sizeof small - 1 ? n : sizeof small - 1);
    char *whole = malloc(n + 1);
    assert_non_null(whole);
    assert_int_equal(regel_diagnostic_format(d, whole, n + 1), n);
    assert_int_equal(strlen(whole), n);
    assert_memory_equal(small, whole, strlen(small));
    assert_non_null(strstr(whole, regel_diagnostic_message(d)));
    free(whole);
    s->formatted++;
}

static void diagnostics_of_each_kind(void **state)
{
    (void)state;
    char path[1024];
    regel_ruleset *rs = NULL;
    seen s = {0};
    /* Warnings only: it loads, and each warning was passed on. */
    snprintf(path, sizeof path, "%s/condition_values.regel", diagnostics_dir);
    assert_int_equal(regel_ruleset_load(path, look, &s, &rs), REGEL_OK);
    assert_non_null(rs);
    assert_int_equal(s.errors, 0);
    assert_int_equal(s.warnings, 8);
    assert_true(s.with_hint > 0);
    assert_int_equal(regel_ruleset_version_count(rs), 1);
    assert_string_equal(regel_ruleset_version_date(rs, 0), "2023-01-01");
    assert_non_null(strstr(regel_ruleset_version_path(rs, 0), "condition_values.regel"));
    assert_null(regel_ruleset_version_date(rs, 1));
    assert_null(regel_ruleset_version_path(rs, 1));
    regel_ruleset_free(rs);
    /* A ruleset that cannot be opened: one error about no file. */
    memset(&s, 0, sizeof s);
    rs = (regel_ruleset *)&s;
    snprintf(path, sizeof path, "%s/no-such-ruleset", diagnostics_dir);
    assert_int_equal(regel_ruleset_load(path, look, &s, &rs), REGEL_ERROR_RULESET);
    assert_null(rs);
    assert_int_equal(s.errors, 1);
    assert_int_equal(s.without_file, 1);
    /* Errors with notes and hints; no callback at all is fine too. */
    memset(&s, 0, sizeof s);
    snprintf(path, sizeof path, "%s/field_declaration_errors.regel", diagnostics_dir);
    assert_int_equal(regel_ruleset_load(path, look, &s, &rs), REGEL_ERROR_RULESET);
    assert_int_equal(s.errors, 12);
    assert_int_equal(regel_ruleset_load(path, NULL, NULL, &rs), REGEL_ERROR_RULESET);
    assert_null(rs);
}

/* ---- NULL and out-of-range arguments */

static void null_arguments(void **state)
{
    (void)state;
    regel_ruleset *rs = NULL;
    regel_session *s = NULL;
    regel_result *r = NULL;
    assert_int_equal(regel_ruleset_load(NULL, NULL, NULL, &rs), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_ruleset_load(ruleset_path, NULL, NULL, NULL), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_ruleset_version_count(NULL), 0);
    assert_null(regel_ruleset_version_date(NULL, 0));
    assert_null(regel_ruleset_version_path(NULL, 0));
    regel_ruleset_free(NULL);
    assert_int_equal(regel_session_new(NULL, &s), REGEL_ERROR_ARGUMENT);
    assert_null(s);
    assert_int_equal(regel_ruleset_load(ruleset_path, NULL, NULL, &rs), REGEL_OK);
    assert_int_equal(regel_session_new(rs, NULL), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_session_set_trace(NULL, 1), REGEL_ERROR_ARGUMENT);
    regel_session_free(NULL);
    assert_int_equal(regel_session_new(rs, &s), REGEL_OK);
    assert_int_equal(regel_eval(s, decided, strlen(decided), NULL), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_eval(NULL, decided, strlen(decided), &r), REGEL_ERROR_ARGUMENT);
    assert_null(r);
    assert_int_equal(regel_eval(s, NULL, 5, &r), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_eval(s, decided, SIZE_MAX, &r), REGEL_ERROR_ARGUMENT);
    /* No bytes at all is a record too: an error record, not JSON. */
    assert_int_equal(regel_eval(s, NULL, 0, &r), REGEL_OK);
    assert_int_equal(regel_result_outcome(r), REGEL_REJECTED);
    assert_null(regel_result_key(r));
    assert_null(regel_result_rules_version(r));
    assert_null(regel_result_ruleset_hash(r));
    assert_null(regel_result_error_field(r));
    assert_non_null(regel_result_error_message(r));
    assert_int_equal(regel_result_fired_count(r), 0);
    assert_null(regel_result_fired(r, 0));
    regel_result_free(r);
    regel_session_free(s);
    regel_ruleset_free(rs);

    /* A result that is NULL. */
    size_t len = 99;
    assert_int_equal(regel_result_outcome(NULL), REGEL_REJECTED);
    assert_null(regel_result_line(NULL, &len));
    assert_int_equal(len, 0);
    assert_null(regel_result_object(NULL));
    assert_null(regel_result_field(NULL, "id"));
    assert_null(regel_result_key(NULL));
    assert_null(regel_result_rules_version(NULL));
    assert_int_equal(regel_result_fired_count(NULL), 0);
    assert_null(regel_result_fired(NULL, 0));
    assert_null(regel_result_ruleset_hash(NULL));
    assert_null(regel_result_trace(NULL));
    assert_null(regel_result_error_field(NULL));
    assert_null(regel_result_error_message(NULL));
    regel_result_free(NULL);

    /* A value that is NULL. */
    int flag = 7;
    int64_t i = 7;
    assert_int_equal(regel_value_kind(NULL), REGEL_NULL);
    assert_int_equal(regel_value_bool(NULL, &flag), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_value_int(NULL, &i), REGEL_ERROR_ARGUMENT);
    assert_null(regel_value_text(NULL, &len));
    assert_int_equal(regel_value_count(NULL), 0);
    assert_null(regel_value_item(NULL, 0));
    assert_null(regel_value_key(NULL, 0));
    assert_null(regel_value_member(NULL, "id"));
    assert_int_equal(flag, 7);
    assert_int_equal(i, 7);
}

/* ---- values of each kind, asked for as each kind */

static void values_of_each_kind(void **state)
{
    (void)state;
    regel_ruleset *rs = NULL;
    regel_session *s = NULL;
    regel_result *r = NULL;
    assert_int_equal(regel_ruleset_load(ruleset_path, NULL, NULL, &rs), REGEL_OK);
    assert_int_equal(regel_session_new(rs, &s), REGEL_OK);
    assert_int_equal(regel_session_set_trace(s, 1), REGEL_OK);
    assert_int_equal(regel_eval(s, decided, strlen(decided), &r), REGEL_OK);
    assert_int_equal(regel_result_outcome(r), REGEL_DECIDED);
    assert_null(regel_result_error_field(r));
    assert_null(regel_result_error_message(r));
    assert_null(regel_result_field(r, "no_such_field"));
    assert_null(regel_result_field(r, NULL));
    size_t n = regel_result_fired_count(r);
    assert_true(n > 0);
    assert_non_null(regel_result_fired(r, n - 1));
    assert_null(regel_result_fired(r, n));

    const regel_value *eligible = regel_result_field(r, "eligible"), *minutes = regel_result_field(r, "basic_minutes"),
                      *id = regel_result_field(r, "id"), *fired = regel_result_field(r, "fired"),
                      *object = regel_result_object(r), *trace = regel_result_trace(r);
    int flag;
    int64_t i;
    size_t len;
    assert_int_equal(regel_value_kind(eligible), REGEL_BOOL);
    assert_int_equal(regel_value_bool(eligible, NULL), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_value_int(eligible, &i), REGEL_ERROR_KIND);
    assert_null(regel_value_text(eligible, &len));
    assert_int_equal(regel_value_count(eligible), 0);
    assert_null(regel_value_item(eligible, 0));
    assert_null(regel_value_member(eligible, "x"));

    assert_int_equal(regel_value_kind(minutes), REGEL_NUMBER);
    assert_int_equal(regel_value_bool(minutes, &flag), REGEL_ERROR_KIND);
    assert_int_equal(regel_value_int(minutes, NULL), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_value_int(minutes, &i), REGEL_OK);
    assert_int_equal(i, 1500);
    assert_string_equal(regel_value_text(minutes, NULL), "1500");

    assert_int_equal(regel_value_kind(id), REGEL_STRING);
    assert_int_equal(regel_value_int(id, &i), REGEL_ERROR_KIND);
    assert_string_equal(regel_value_text(id, &len), "edge-1");
    assert_int_equal(len, 6);

    assert_int_equal(regel_value_kind(fired), REGEL_ARRAY);
    assert_int_equal(regel_value_count(fired), n);
    assert_null(regel_value_item(fired, n));
    assert_null(regel_value_key(fired, 0));
    assert_null(regel_value_member(fired, "x"));

    assert_int_equal(regel_value_kind(object), REGEL_OBJECT);
    size_t members = regel_value_count(object);
    assert_string_equal(regel_value_key(object, 0), "id");
    assert_null(regel_value_key(object, members));
    assert_null(regel_value_item(object, members));
    assert_ptr_equal(regel_value_item(object, 0), id);
    assert_null(regel_value_member(object, NULL));

    /* The trace: one entry per rule evaluated, each an object with a rule. */
    assert_int_equal(regel_value_kind(trace), REGEL_ARRAY);
    assert_true(regel_value_count(trace) >= n);
    const regel_value *first = regel_value_item(trace, 0);
    assert_int_equal(regel_value_kind(regel_value_member(first, "rule")), REGEL_STRING);
    regel_result_free(r);

    /* Without a trace, none is given. */
    assert_int_equal(regel_session_set_trace(s, 0), REGEL_OK);
    assert_int_equal(regel_eval(s, decided, strlen(decided), &r), REGEL_OK);
    assert_null(regel_result_trace(r));
    regel_result_free(r);
    regel_session_free(s);
    regel_ruleset_free(rs);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_library_api_edges RULESET DIAGNOSTICS_DIR\n");
        return 2;
    }
    ruleset_path = argv[1];
    diagnostics_dir = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(statuses_have_messages),
        cmocka_unit_test(diagnostics_of_each_kind),
        cmocka_unit_test(null_arguments),
        cmocka_unit_test(values_of_each_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
