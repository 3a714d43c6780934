/*
 * The public API of libregel, linked as a client links it (the shared
 * library, through include/regel.h only). Usage:
 *     test_library_api REGEL RULESET DECIDED.jsonl ERRORS.jsonl BROKEN.regel
 * Every result line must be byte for byte the line `regel eval` writes for
 * the same record, so the library and the command line cannot drift apart.
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

static const char *regel_binary, *ruleset_path, *decided_path, *errors_path, *broken_path;

typedef struct lines {
    char **items;
    size_t count;
} lines;

static lines read_lines(FILE *f)
{
    lines l = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        l.items = realloc(l.items, (l.count + 1) * sizeof *l.items);
        assert_non_null(l.items);
        l.items[l.count++] = strdup(line);
    }
    free(line);
    return l;
}

static lines read_file_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    lines l = read_lines(f);
    fclose(f);
    return l;
}

/* What `regel eval [OPTION] RULESET FILE` writes, one result per line. */
static lines cli_results_with(const char *option, const char *cases)
{
    char command[4096];
    snprintf(command, sizeof command, "'%s' eval %s '%s' '%s'", regel_binary, option, ruleset_path, cases);
    FILE *p = popen(command, "r");
    assert_non_null(p);
    lines l = read_lines(p);
    pclose(p);
    return l;
}

static lines cli_results(const char *cases) { return cli_results_with("", cases); }

static void free_lines(lines l)
{
    for (size_t i = 0; i < l.count; i++)
        free(l.items[i]);
    free(l.items);
}

static regel_ruleset *load(void)
{
    regel_ruleset *rs = NULL;
    assert_int_equal(regel_ruleset_load(ruleset_path, NULL, NULL, &rs), REGEL_OK);
    assert_non_null(rs);
    return rs;
}

/* Decides every record of `cases` and checks each line against the command line's. */
static void same_as_cli(const char *cases, regel_outcome expected)
{
    regel_ruleset *rs = load();
    regel_session *s;
    assert_int_equal(regel_session_new(rs, &s), REGEL_OK);
    lines in = read_file_lines(cases), want = cli_results(cases);
    assert_true(in.count > 0);
    assert_int_equal(in.count, want.count);
    for (size_t i = 0; i < in.count; i++) {
        regel_result *r;
        assert_int_equal(regel_eval(s, in.items[i], strlen(in.items[i]), &r), REGEL_OK);
        size_t len;
        const char *line = regel_result_line(r, &len);
        assert_int_equal(len, strlen(want.items[i]));
        assert_string_equal(line, want.items[i]);
        assert_int_equal(regel_result_outcome(r), expected);
        regel_result_free(r);
    }
    free_lines(in);
    free_lines(want);
    regel_session_free(s);
    regel_ruleset_free(rs);
}

static void decided_records_match_the_cli(void **state) { same_as_cli(decided_path, REGEL_DECIDED); }

/* With the trace on, the lines are those of `regel eval --trace`, and the
 * trace can be walked: one object per rule evaluated, every fired rule among them. */
static void traces_match_the_cli(void **state)
{
    regel_ruleset *rs = load();
    regel_session *s;
    assert_int_equal(regel_session_new(rs, &s), REGEL_OK);
    assert_int_equal(regel_session_set_trace(s, 1), REGEL_OK);
    lines in = read_file_lines(decided_path), want = cli_results_with("--trace", decided_path);
    assert_int_equal(in.count, want.count);
    for (size_t i = 0; i < in.count; i++) {
        regel_result *r;
        assert_int_equal(regel_eval(s, in.items[i], strlen(in.items[i]), &r), REGEL_OK);
        assert_string_equal(regel_result_line(r, NULL), want.items[i]);
        const regel_value *trace = regel_result_trace(r);
        assert_int_equal(regel_value_kind(trace), REGEL_ARRAY);
        assert_true(regel_value_count(trace) >= regel_result_fired_count(r));
        for (size_t k = 0; k < regel_value_count(trace); k++)
            assert_int_equal(regel_value_kind(regel_value_item(trace, k)), REGEL_OBJECT);
        for (size_t f = 0; f < regel_result_fired_count(r); f++) {
            bool found = false;
            for (size_t k = 0; k < regel_value_count(trace) && !found; k++) {
                const regel_value *entry = regel_value_item(trace, k);
                for (size_t m = 0; m < regel_value_count(entry) && !found; m++) {
                    const char *text = regel_value_text(regel_value_item(entry, m), NULL);
                    found = text && strcmp(text, regel_result_fired(r, f)) == 0;
                }
            }
            assert_true(found);
        }
        regel_result_free(r);
    }
    /* Off again: no trace. */
    assert_int_equal(regel_session_set_trace(s, 0), REGEL_OK);
    regel_result *r;
    assert_int_equal(regel_eval(s, in.items[0], strlen(in.items[0]), &r), REGEL_OK);
    assert_null(regel_result_trace(r));
    regel_result_free(r);
    assert_int_equal(regel_session_set_trace(NULL, 1), REGEL_ERROR_ARGUMENT);
    free_lines(in);
    free_lines(want);
    regel_session_free(s);
    regel_ruleset_free(rs);
}

static void error_records_match_the_cli(void **state) { same_as_cli(errors_path, REGEL_REJECTED); }

/* The named accessors agree with the fields of the line they were read from. */
static void accessors_agree_with_the_line(void **state)
{
    regel_ruleset *rs = load();
    regel_session *s;
    assert_int_equal(regel_session_new(rs, &s), REGEL_OK);
    lines in = read_file_lines(decided_path);
    for (size_t i = 0; i < in.count; i++) {
        regel_result *r;
        assert_int_equal(regel_eval(s, in.items[i], strlen(in.items[i]), &r), REGEL_OK);
        const regel_value *object = regel_result_object(r);
        assert_int_equal(regel_value_kind(object), REGEL_OBJECT);
        assert_true(regel_value_count(object) >= 3);
        /* The key is the first member and echoes the record's own. */
        const char *key = regel_result_key(r);
        assert_non_null(key);
        assert_string_equal(regel_value_text(regel_value_item(object, 0), NULL), key);
        assert_non_null(strstr(in.items[i], key));
        /* The rules version is one of the ruleset's versions. */
        const char *version = regel_result_rules_version(r);
        assert_non_null(version);
        bool known = false;
        for (size_t v = 0; v < regel_ruleset_version_count(rs); v++)
            known |= strcmp(regel_ruleset_version_date(rs, v), version) == 0;
        assert_true(known);
        /* Fired rules: as many as the array in the line holds, each a string in it. */
        assert_true(regel_result_fired_count(r) > 0);
        for (size_t f = 0; f < regel_result_fired_count(r); f++) {
            char quoted[256];
            snprintf(quoted, sizeof quoted, "\"%s\"", regel_result_fired(r, f));
            assert_non_null(strstr(regel_result_line(r, NULL), quoted));
        }
        assert_null(regel_result_fired(r, regel_result_fired_count(r)));
        assert_null(regel_result_error_message(r));
        assert_null(regel_result_trace(r));
        /* The ruleset hash names the rule files, and the line carries it. */
        const char *hash = regel_result_ruleset_hash(r);
        assert_non_null(hash);
        assert_int_equal(strncmp(hash, "sha256:", 7), 0);
        assert_int_equal(strlen(hash), 7 + 64);
        assert_non_null(strstr(regel_result_line(r, NULL), hash));
        /* Every member found by name is the member walked to; the kinds read consistently. */
        for (size_t m = 0; m < regel_value_count(object); m++) {
            const regel_value *v = regel_value_item(object, m);
            assert_ptr_equal(regel_result_field(r, regel_value_key(object, m)), v);
            assert_ptr_equal(regel_value_member(object, regel_value_key(object, m)), v);
            int flag;
            int64_t number;
            switch (regel_value_kind(v)) {
            case REGEL_BOOL:
                assert_int_equal(regel_value_bool(v, &flag), REGEL_OK);
                assert_int_equal(regel_value_int(v, &number), REGEL_ERROR_KIND);
                break;
            case REGEL_NUMBER: {
                size_t len;
                const char *text = regel_value_text(v, &len);
                assert_non_null(text);
                if (!strpbrk(text, ".eE")) {
                    assert_int_equal(regel_value_int(v, &number), REGEL_OK);
                    assert_true(number == strtoll(text, NULL, 10));
                }
                assert_int_equal(regel_value_bool(v, &flag), REGEL_ERROR_KIND);
                break;
            }
            case REGEL_STRING: assert_non_null(regel_value_text(v, NULL)); break;
            case REGEL_ARRAY:
                for (size_t k = 0; k < regel_value_count(v); k++)
                    assert_non_null(regel_value_item(v, k));
                assert_null(regel_value_item(v, regel_value_count(v)));
                assert_null(regel_value_key(v, 0));
                break;
            default: break;
            }
        }
        assert_null(regel_result_field(r, "no such field in any result"));
        regel_result_free(r);
    }
    free_lines(in);
    regel_session_free(s);
    regel_ruleset_free(rs);
}

static void error_records_name_the_field(void **state)
{
    regel_ruleset *rs = load();
    regel_session *s;
    assert_int_equal(regel_session_new(rs, &s), REGEL_OK);
    lines in = read_file_lines(errors_path);
    for (size_t i = 0; i < in.count; i++) {
        regel_result *r;
        assert_int_equal(regel_eval(s, in.items[i], strlen(in.items[i]), &r), REGEL_OK);
        assert_int_equal(regel_result_outcome(r), REGEL_REJECTED);
        const char *message = regel_result_error_message(r);
        assert_non_null(message);
        assert_non_null(strstr(regel_result_line(r, NULL), message));
        const char *field = regel_result_error_field(r);
        if (field)
            assert_non_null(strstr(regel_result_line(r, NULL), field));
        assert_null(regel_result_rules_version(r));
        assert_int_equal(regel_result_fired_count(r), 0);
        regel_result_free(r);
    }
    free_lines(in);
    regel_session_free(s);
    regel_ruleset_free(rs);
}

/* Text that is no record still gets an error record; a record may span lines. */
static void any_text_gets_a_result(void **state)
{
    regel_ruleset *rs = load();
    regel_session *s;
    assert_int_equal(regel_session_new(rs, &s), REGEL_OK);
    const char *junk[] = {"", "not json", "[1,2]", "{\"unterminated", "\xff\xfe", "{}"};
    for (size_t i = 0; i < sizeof junk / sizeof *junk; i++) {
        regel_result *r;
        assert_int_equal(regel_eval(s, junk[i], strlen(junk[i]), &r), REGEL_OK);
        assert_int_equal(regel_result_outcome(r), REGEL_REJECTED);
        assert_non_null(regel_result_error_message(r));
        assert_null(regel_result_key(r));
        regel_result_free(r);
    }
    /* The first decided record, pretty-printed over several lines, decides the same. */
    lines in = read_file_lines(decided_path);
    char *spread = malloc(strlen(in.items[0]) * 2 + 1), *o = spread;
    assert_non_null(spread);
    for (const char *p = in.items[0]; *p; p++) {
        *o++ = *p;
        if (*p == ',')
            *o++ = '\n';
    }
    *o = '\0';
    regel_result *a, *b;
    assert_int_equal(regel_eval(s, in.items[0], strlen(in.items[0]), &a), REGEL_OK);
    assert_int_equal(regel_eval(s, spread, strlen(spread), &b), REGEL_OK);
    /* A result outlives the next evaluation and the session itself. */
    regel_session_free(s);
    assert_string_equal(regel_result_line(a, NULL), regel_result_line(b, NULL));
    regel_result_free(a);
    regel_result_free(b);
    free(spread);
    free_lines(in);
    regel_ruleset_free(rs);
}

typedef struct collected {
    size_t errors, others;
    char text[8192];
    bool had_location;
} collected;

static void collect(void *context, const regel_diagnostic *d)
{
    collected *c = context;
    if (regel_diagnostic_severity(d) == REGEL_SEVERITY_ERROR)
        c->errors++;
    else
        c->others++;
    assert_non_null(regel_diagnostic_message(d));
    if (regel_diagnostic_path(d)) {
        c->had_location = regel_diagnostic_line(d) > 0 && regel_diagnostic_column(d) > 0;
        assert_true(c->had_location);
    }
    size_t len = regel_diagnostic_format(d, NULL, 0);
    assert_true(len > strlen(regel_diagnostic_message(d)));
    size_t used = strlen(c->text);
    assert_true(used + len < sizeof c->text);
    assert_int_equal(regel_diagnostic_format(d, c->text + used, sizeof c->text - used), len);
    /* A small buffer gets a truncated, terminated prefix. */
    char small[8];
    assert_int_equal(regel_diagnostic_format(d, small, sizeof small), len);
    assert_int_equal(strlen(small), sizeof small - 1);
}

/* A broken rule file: the errors reach the callback formatted as `regel check` prints them. */
static void diagnostics_reach_the_callback(void **state)
{
    collected c = {0};
    regel_ruleset *rs = (regel_ruleset *)&c;
    assert_int_equal(regel_ruleset_load(broken_path, collect, &c, &rs), REGEL_ERROR_RULESET);
    assert_null(rs);
    assert_true(c.errors > 0);
    assert_true(c.had_location);
    char expected_path[4096];
    snprintf(expected_path, sizeof expected_path, "%.*s.expected", (int)(strlen(broken_path) - strlen(".regel")),
             broken_path);
    FILE *f = fopen(expected_path, "r");
    assert_non_null(f);
    char expected[8192];
    size_t n = fread(expected, 1, sizeof expected - 1, f);
    expected[n] = '\0';
    fclose(f);
    /* The golden file was written by `regel check` from a different directory:
     * compare from the first message on, which names the file the same way. */
    const char *message = strstr(c.text, ": error: ");
    assert_non_null(message);
    const char *line_end = strchr(message, '\n');
    char first[512];
    snprintf(first, sizeof first, "%.*s", (int)(line_end - message), message);
    assert_non_null(strstr(expected, first));
}

static void missing_ruleset_is_an_error_value(void **state)
{
    collected c = {0};
    regel_ruleset *rs;
    assert_int_equal(regel_ruleset_load("/nonexistent/ruleset", collect, &c, &rs), REGEL_ERROR_RULESET);
    assert_null(rs);
    assert_int_equal(c.errors, 1);
    assert_false(c.had_location);
}

static void bad_arguments_are_error_values(void **state)
{
    regel_ruleset *rs;
    regel_session *s;
    regel_result *r;
    assert_int_equal(regel_ruleset_load(NULL, NULL, NULL, &rs), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_ruleset_load(ruleset_path, NULL, NULL, NULL), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_session_new(NULL, &s), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_eval(NULL, "{}", 2, &r), REGEL_ERROR_ARGUMENT);
    rs = load();
    assert_int_equal(regel_session_new(rs, NULL), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_session_new(rs, &s), REGEL_OK);
    assert_int_equal(regel_eval(s, "{}", 2, NULL), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_eval(s, NULL, 5, &r), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_eval(s, "{}", SIZE_MAX, &r), REGEL_ERROR_ARGUMENT);
    assert_null(regel_ruleset_version_date(rs, regel_ruleset_version_count(rs)));
    assert_null(regel_result_line(NULL, NULL));
    assert_int_equal(regel_value_kind(NULL), REGEL_NULL);
    int flag;
    assert_int_equal(regel_value_bool(NULL, &flag), REGEL_ERROR_ARGUMENT);
    regel_result_free(NULL);
    regel_session_free(s);
    regel_session_free(NULL);
    regel_ruleset_free(rs);
    regel_ruleset_free(NULL);
    assert_string_equal(regel_status_message(REGEL_ERROR_MEMORY), "out of memory");
    assert_non_null(strchr(regel_version(), '.'));
}

static void versions_are_listed_oldest_first(void **state)
{
    regel_ruleset *rs = load();
    size_t n = regel_ruleset_version_count(rs);
    assert_true(n >= 1);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(strlen(regel_ruleset_version_date(rs, i)), 10);
        assert_non_null(strstr(regel_ruleset_version_path(rs, i), ".regel"));
        if (i)
            assert_true(strcmp(regel_ruleset_version_date(rs, i - 1), regel_ruleset_version_date(rs, i)) < 0);
    }
    regel_ruleset_free(rs);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: test_library_api REGEL RULESET DECIDED.jsonl ERRORS.jsonl BROKEN.regel\n");
        return 2;
    }
    regel_binary = argv[1];
    ruleset_path = argv[2];
    decided_path = argv[3];
    errors_path = argv[4];
    broken_path = argv[5];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decided_records_match_the_cli),
        cmocka_unit_test(error_records_match_the_cli),
        cmocka_unit_test(traces_match_the_cli),
        cmocka_unit_test(accessors_agree_with_the_line),
        cmocka_unit_test(error_records_name_the_field),
        cmocka_unit_test(any_text_gets_a_result),
        cmocka_unit_test(diagnostics_reach_the_callback),
        cmocka_unit_test(missing_ruleset_is_an_error_value),
        cmocka_unit_test(bad_arguments_are_error_values),
        cmocka_unit_test(versions_are_listed_oldest_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
