/*
 * The stream-level API of libregel (include/regel.h: regel_eval_stream and
 * the other entry points the regel command is a client of), linked as a
 * client links it. Usage:
 *     test_library_streams RULESET DECIDED.jsonl ERRORS.jsonl ERROR_CAP.regel
 *                          MESSY.regel MESSY.expected SCRATCH_DIR
 * Each test checks behaviour, not just a status: the stream's lines are the
 * one-record API's lines, the limits give error records, the counts add up.
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
#include <unistd.h>

#include <cmocka.h>

static const char *ruleset_path, *decided_path, *errors_path, *error_cap_path, *messy_path, *messy_expected_path,
    *scratch;
static regel_ruleset *lss;

/* A whole file, NUL-terminated. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *text = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = (n + 4096 + 1) * 2;
            text = realloc(text, cap);
            assert_non_null(text);
        }
        size_t got = fread(text + n, 1, 4096, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    text[n] = '\0';
    if (len)
        *len = n;
    return text;
}

/* A memory output stream and what was written to it. */
typedef struct sink {
    FILE *f;
    char *text;
    size_t len;
} sink;

static void sink_open(sink *s)
{
    s->text = NULL;
    s->len = 0;
    s->f = open_memstream(&s->text, &s->len);
    assert_non_null(s->f);
}

static void sink_close(sink *s) { assert_int_equal(fclose(s->f), 0); }

static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (const char *p = text; (p = strchr(p, '\n')); p++)
        n++;
    return n;
}

/* What the one-record API writes for every non-blank line of `text`. */
static char *expected_lines(const char *text, int *rejected)
{
    regel_session *s;
    assert_int_equal(regel_session_new(lss, &s), REGEL_OK);
    sink out;
    sink_open(&out);
    *rejected = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len) {
            regel_result *r;
            assert_int_equal(regel_eval(s, p, len, &r), REGEL_OK);
            size_t n;
            const char *line = regel_result_line(r, &n);
            fwrite(line, 1, n, out.f);
            fputc('\n', out.f);
            *rejected |= regel_result_outcome(r) == REGEL_REJECTED;
            regel_result_free(r);
        }
        p += len + (nl != NULL);
    }
    sink_close(&out);
    regel_session_free(s);
    return out.text;
}

/* A few decided records with error records among them, from a stream with a
 * file descriptor (read(2)) and from one without (fmemopen: fread), on one
 * thread and on three: the lines are the one-record API's, in order. */
static void eval_stream_writes_what_regel_eval_writes(void **state)
{
    (void)state;
    size_t decided_len, errors_len;
    char *decided = slurp(decided_path, &decided_len), *errors = slurp(errors_path, &errors_len);
    char *mixed = malloc(decided_len + errors_len + 1);
    assert_non_null(mixed);
    memcpy(mixed, decided, decided_len);
    memcpy(mixed + decided_len, errors, errors_len + 1);
    int rejected;
    char *want = expected_lines(mixed, &rejected);
    assert_true(rejected);
    for (int from_file = 0; from_file < 2; from_file++)
        for (unsigned jobs = 1; jobs <= 3; jobs += 2) {
            FILE *in = from_file ? fopen(decided_path, "rb") : fmemopen(mixed, strlen(mixed), "rb");
            assert_non_null(in);
            sink out;
            sink_open(&out);
            regel_eval_options o = REGEL_EVAL_OPTIONS_INIT;
            o.jobs = jobs;
            regel_eval_stats stats;
            assert_int_equal(regel_eval_stream(lss, in, out.f, &o, &stats), REGEL_OK);
            sink_close(&out);
            fclose(in);
            if (from_file) {
                /* The decided examples alone: a prefix of the mixed lines, none rejected. */
                assert_false(stats.rejected);
                assert_int_equal(count_lines(out.text), count_lines(decided));
                assert_memory_equal(out.text, want, out.len);
            } else {
                assert_true(stats.rejected);
                assert_int_equal(stats.lines, count_lines(mixed));
                assert_string_equal(out.text, want);
            }
            free(out.text);
        }
    free(want);
    free(mixed);
    free(decided);
    free(errors);
}

/* Decides one text with the stream and the given limits; returns the output. */
static char *eval_with(const char *text, regel_limits limits, regel_status *st, regel_eval_stats *stats)
{
    FILE *in = fmemopen((void *)text, strlen(text), "rb");
    assert_non_null(in);
    sink out;
    sink_open(&out);
    regel_eval_options o = REGEL_EVAL_OPTIONS_INIT;
    o.limits = limits;
    *st = regel_eval_stream(lss, in, out.f, &o, stats);
    sink_close(&out);
    fclose(in);
    return out.text;
}

/* A record past a limit gets an error record and the stream goes on; a limit
 * past its cap is refused. The session has the same limits. */
static void limits_give_error_records(void **state)
{
    (void)state;
    char *decided = slurp(decided_path, NULL);
    char *first_nl = strchr(decided, '\n');
    first_nl[1] = '\0';
    size_t first_len = (size_t)(first_nl - decided);
    char text[8192];
    snprintf(text, sizeof text, "%s%s", decided, decided);
    regel_status st;
    regel_eval_stats stats;

    char *out = eval_with(text, (regel_limits){first_len - 1, 0, 0}, &st, &stats);
    assert_int_equal(st, REGEL_OK);
    assert_true(stats.rejected);
    assert_int_equal(count_lines(out), 2);
    assert_non_null(strstr(out, "line too long"));
    free(out);

    out = eval_with(text, (regel_limits){first_len, 0, 0}, &st, &stats);
    assert_int_equal(st, REGEL_OK);
    assert_false(stats.rejected);
    free(out);

    /* The needs array nests objects two deep in the record. */
    out = eval_with(text, (regel_limits){0, 2, 0}, &st, &stats);
    assert_int_equal(st, REGEL_OK);
    assert_true(stats.rejected);
    assert_int_equal(count_lines(out), 2);
    free(out);

    out = eval_with(text, (regel_limits){0, 0, 1}, &st, &stats);
    assert_int_equal(st, REGEL_OK);
    assert_true(stats.rejected);
    free(out);

    out = eval_with(text, (regel_limits){0, REGEL_MAX_DEPTH_CAP + 1, 0}, &st, &stats);
    assert_int_equal(st, REGEL_ERROR_ARGUMENT);
    free(out);

    regel_session *s;
    regel_result *r;
    assert_int_equal(regel_session_new(lss, &s), REGEL_OK);
    regel_limits tight = {first_len - 1, 0, 0};
    assert_int_equal(regel_session_set_limits(s, &tight), REGEL_OK);
    assert_int_equal(regel_eval(s, decided, first_len, &r), REGEL_OK);
    assert_int_equal(regel_result_outcome(r), REGEL_REJECTED);
    assert_string_equal(regel_result_error_message(r), "line too long");
    regel_result_free(r);
    regel_limits roomy = {first_len, 0, 0};
    assert_int_equal(regel_session_set_limits(s, &roomy), REGEL_OK);
    assert_int_equal(regel_eval(s, decided, first_len, &r), REGEL_OK);
    assert_int_equal(regel_result_outcome(r), REGEL_DECIDED);
    regel_result_free(r);
    regel_limits too_deep = {0, REGEL_MAX_DEPTH_CAP + 1, 0};
    assert_int_equal(regel_session_set_limits(s, &too_deep), REGEL_ERROR_ARGUMENT);
    regel_session_free(s);
    free(decided);
}

/* Lines of a megabyte and more, on one thread and on two and three (each
 * cuts the input into chunks its own way, from a file and from a stream
 * without a descriptor): a line the reader does not hold (its limit's bytes
 * plus one, or more) gets an error record unless it is blank, and is not
 * counted when it is; a line one byte shorter that ends in CR is decided. The
 * output and the counts are the same whatever the threads. */
static void long_lines_alike_on_any_jobs(void **state)
{
    (void)state;
    enum { LIMIT = 1 << 20, COPIES = 600 };
    char *decided = slurp(decided_path, NULL);
    char *first_nl = strchr(decided, '\n');
    size_t first_len = (size_t)(first_nl - decided);
    /* The first record, spaces before its last '}', then CR: `len` bytes in all. */
    char *padded = malloc(LIMIT + 10);
    assert_non_null(padded);
    size_t text_cap = (size_t)6 * LIMIT + (size_t)COPIES * (first_len + 1) * 2, n = 0;
    char *text = malloc(text_cap);
    assert_non_null(text);
#define PUT(s, k) (assert_true(n + (k) < text_cap), memcpy(text + n, (s), (k)), n += (k))
    for (int part = 0; part < 6; part++) {
        for (int i = 0; i < COPIES / 6; i++)
            PUT(decided, first_len + 1);
        /* A padded record of LIMIT bytes and one of LIMIT + 1, blanks and xs of LIMIT and of LIMIT + 10. */
        size_t len = part < 2 ? LIMIT + (size_t)part : part % 2 ? LIMIT + 10 : LIMIT;
        if (part < 2) {
            memcpy(padded, decided, first_len - 1);
            memset(padded + first_len - 1, ' ', len - first_len - 1);
            padded[len - 2] = '}';
            padded[len - 1] = '\r';
        } else
            memset(padded, part < 4 ? ' ' : 'x', len);
        PUT(padded, len);
        PUT("\n", 1);
    }
    PUT(decided, first_len); /* a last line without a newline */
#undef PUT
    text[n] = '\0';
    char path[4096];
    snprintf(path, sizeof path, "%s/test_library_streams_long.jsonl", scratch);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    char *first = NULL;
    size_t first_out = 0;
    for (int from_file = 0; from_file < 2; from_file++)
        for (unsigned jobs = 1; jobs <= 3; jobs++) {
            FILE *in = from_file ? fopen(path, "rb") : fmemopen(text, n, "rb");
            assert_non_null(in);
            sink out;
            sink_open(&out);
            regel_eval_options o = REGEL_EVAL_OPTIONS_INIT;
            o.jobs = jobs;
            o.limits.max_record_bytes = LIMIT;
            regel_eval_stats stats;
            assert_int_equal(regel_eval_stream(lss, in, out.f, &o, &stats), REGEL_OK);
            sink_close(&out);
            fclose(in);
            assert_true(stats.rejected);
            /* Every line but the blank one too long to hold (the shorter blank one is held). */
            assert_int_equal(stats.lines, COPIES + 6);
            /* The padded record of LIMIT bytes is decided, its CR dropped; that of LIMIT + 1 is too
             * long, as are the longer xs; the shorter xs are held, and are no JSON. */
            size_t too_long = 0;
            for (const char *p = out.text; (p = strstr(p, "line too long")); p++)
                too_long++;
            assert_int_equal(too_long, 2);
            assert_int_equal(count_lines(out.text), COPIES + 5);
            if (!first) {
                first = out.text;
                first_out = out.len;
            } else {
                assert_int_equal(out.len, first_out);
                assert_memory_equal(out.text, first, first_out);
                free(out.text);
            }
        }
    unlink(path);
    free(first);
    free(text);
    free(padded);
    free(decided);
}

/* An options struct of an older regel.h, which ends before `limits`: the
 * fields it lacks take their defaults (here garbage behind it must not be
 * read); a size too small to be a struct is refused. */
static void older_option_structs_are_taken(void **state)
{
    (void)state;
    regel_eval_options o;
    memset(&o, 0xff, sizeof o);
    o.size = offsetof(regel_eval_options, limits);
    o.flags = 0;
    o.jobs = 1;
    const char *text = "{}\n";
    FILE *in = fmemopen((void *)text, strlen(text), "rb");
    sink out;
    sink_open(&out);
    regel_eval_stats stats;
    assert_int_equal(regel_eval_stream(lss, in, out.f, &o, &stats), REGEL_OK);
    sink_close(&out);
    fclose(in);
    assert_int_equal(count_lines(out.text), 1);
    assert_true(stats.rejected);
    free(out.text);
    o.size = 0;
    assert_int_equal(regel_eval_stream(lss, stdin, stdout, &o, &stats), REGEL_ERROR_ARGUMENT);
    assert_int_equal(regel_eval_stream(lss, stdin, stdout, NULL, &stats), REGEL_ERROR_ARGUMENT);
}

/* What `regel check` and `regel version` print, from the accessors. */
static void versions_have_rules_hashes_and_files(void **state)
{
    (void)state;
    size_t n = regel_ruleset_version_count(lss);
    assert_true(n >= 2);
    assert_string_equal(regel_ruleset_path(lss), ruleset_path);
    for (size_t i = 0; i < n; i++) {
        assert_true(regel_ruleset_version_rule_count(lss, i) > 0);
        const char *hash = regel_ruleset_version_hash(lss, i);
        assert_non_null(hash);
        assert_int_equal(strlen(hash), strlen("sha256:") + 64);
        assert_memory_equal(hash, "sha256:", 7);
        size_t files = regel_ruleset_version_file_count(lss, i);
        assert_true(files >= 1);
        /* The version's own file comes last, the oldest first. */
        const char *own = regel_ruleset_version_file(lss, i, files - 1), *path = regel_ruleset_version_path(lss, i);
        assert_non_null(own);
        assert_true(strlen(path) >= strlen(own));
        assert_string_equal(path + strlen(path) - strlen(own), own);
        assert_null(regel_ruleset_version_file(lss, i, files));
    }
    assert_int_equal(regel_ruleset_version_rule_count(lss, n), 0);
    assert_null(regel_ruleset_version_hash(lss, n));

    size_t index = 99;
    assert_int_equal(regel_ruleset_version_at(lss, regel_ruleset_version_date(lss, 1), &index), REGEL_OK);
    assert_int_equal(index, 1);
    assert_int_equal(regel_ruleset_version_at(lss, "9999-12-31", &index), REGEL_OK);
    assert_int_equal(index, n - 1);
    assert_int_equal(regel_ruleset_version_at(lss, "1900-01-01", &index), REGEL_ERROR_NOT_FOUND);
    assert_int_equal(regel_ruleset_version_at(lss, "2023-02-30", &index), REGEL_ERROR_ARGUMENT);
}

typedef struct collected {
    unsigned errors;
    sink json;
} collected;

static void collect_json(void *context, const regel_diagnostic *d)
{
    collected *c = context;
    c->errors += regel_diagnostic_severity(d) == REGEL_SEVERITY_ERROR;
    assert_int_equal(regel_diagnostic_write(d, c->json.f, REGEL_WRITE_JSON), REGEL_OK);
}

/* A file with more errors than the cap: the callback gets the cap's worth,
 * each as one JSON line, and the counts say how many more there were. */
static void load_counts_and_json_diagnostics(void **state)
{
    (void)state;
    regel_diagnostic_counts all, capped;
    regel_ruleset *rs = NULL;
    regel_load_options o = REGEL_LOAD_OPTIONS_INIT;
    collected c = {0};
    sink_open(&c.json);
    o.on_diagnostic = collect_json;
    o.context = &c;
    assert_int_equal(regel_ruleset_load_with(error_cap_path, &o, &all, &rs), REGEL_ERROR_RULESET);
    assert_null(rs);
    assert_true(all.errors > 3);
    assert_int_equal(all.dropped, 0);
    assert_int_equal(c.errors, all.errors);
    sink_close(&c.json);
    assert_int_equal(count_lines(c.json.text), all.errors + all.warnings);
    for (const char *line = c.json.text; *line; line = strchr(line, '\n') + 1) {
        assert_int_equal(line[0], '{');
        assert_int_equal(strchr(line, '\n')[-1], '}');
    }
    assert_non_null(strstr(c.json.text, "\"severity\":\"error\""));
    free(c.json.text);

    c = (collected){0};
    sink_open(&c.json);
    o.max_errors = 3;
    assert_int_equal(regel_ruleset_load_with(error_cap_path, &o, &capped, &rs), REGEL_ERROR_RULESET);
    sink_close(&c.json);
    free(c.json.text);
    assert_int_equal(c.errors, 3);
    assert_int_equal(capped.dropped, all.errors - 3);

    o.max_errors = 0;
    o.max_nesting = REGEL_MAX_NESTING_CAP + 1;
    assert_int_equal(regel_ruleset_load_with(ruleset_path, &o, &capped, &rs), REGEL_ERROR_ARGUMENT);

    sink note;
    sink_open(&note);
    assert_int_equal(regel_note_write_json(note.f, "3 more error(s) not shown"), REGEL_OK);
    sink_close(&note);
    assert_non_null(strstr(note.text, "\"severity\":\"note\""));
    assert_non_null(strstr(note.text, "\"message\":\"3 more error(s) not shown\""));
    assert_int_equal(count_lines(note.text), 1);
    free(note.text);
}

/* The formatter's golden case through the API, and its fixed point. */
static void format_gives_the_canonical_layout(void **state)
{
    (void)state;
    size_t len, want_len, out_len, again_len;
    char *messy = slurp(messy_path, &len), *want = slurp(messy_expected_path, &want_len), *out, *again;
    assert_int_equal(regel_format("messy.regel", messy, len, NULL, NULL, &out, &out_len), REGEL_OK);
    assert_int_equal(out_len, want_len);
    assert_memory_equal(out, want, want_len);
    assert_int_equal(regel_format("messy.regel", out, out_len, NULL, NULL, &again, &again_len), REGEL_OK);
    assert_int_equal(again_len, out_len);
    assert_memory_equal(again, out, out_len);
    regel_free(out);
    regel_free(again);
    regel_diagnostic_counts counts;
    out = (char *)1;
    assert_int_equal(regel_format("broken.regel", "version 2020-01-01 (", 20, NULL, &counts, &out, &out_len),
                     REGEL_ERROR_RULESET);
    assert_null(out);
    assert_true(counts.errors >= 1);
    free(messy);
    free(want);
}

static void collect_message(void *context, const char *message)
{
    snprintf(context, 512, "%s", message);
}

/* eval with a log, then the log read back: audit finds the case, replay with
 * the same rules finds no difference; a missing log is told, not printed. */
static void log_audit_and_replay(void **state)
{
    (void)state;
    char db[4096], message[512] = "";
    snprintf(db, sizeof db, "%s/test_library_streams.db", scratch);
    unlink(db);
    regel_log_options lo = REGEL_LOG_OPTIONS_INIT;
    regel_eval_options o = REGEL_EVAL_OPTIONS_INIT;
    assert_int_equal(regel_log_open(db, lss, &lo, collect_message, message, &o.log), REGEL_OK);
    FILE *in = fopen(decided_path, "rb");
    sink out;
    sink_open(&out);
    o.jobs = 4; /* with a log: one thread, as documented */
    regel_eval_stats stats;
    assert_int_equal(regel_eval_stream(lss, in, out.f, &o, &stats), REGEL_OK);
    fclose(in);
    sink_close(&out);
    assert_int_equal(regel_log_close(o.log), REGEL_OK);
    /* The first result's key: the "id" member of the examples. */
    char key[256];
    assert_int_equal(sscanf(out.text, "{\"id\":\"%255[^\"]\"", key), 1);
    free(out.text);

    regel_audit_options ao = REGEL_AUDIT_OPTIONS_INIT;
    ao.key = key;
    ao.flags = REGEL_AUDIT_TRACE;
    size_t found = 0;
    sink audit;
    sink_open(&audit);
    assert_int_equal(regel_audit(db, &ao, audit.f, &found), REGEL_OK);
    sink_close(&audit);
    assert_int_equal(found, 1);
    assert_int_equal(count_lines(audit.text), 1);
    assert_non_null(strstr(audit.text, "\"trace\":["));
    free(audit.text);
    ao.key = "no such case";
    assert_int_equal(regel_audit(db, &ao, stdout, &found), REGEL_OK);
    assert_int_equal(found, 0);

    regel_replay *r;
    assert_int_equal(regel_replay_open(db, collect_message, message, &r), REGEL_OK);
    regel_replay_stats rs;
    sink report;
    sink_open(&report);
    assert_int_equal(regel_replay_run(r, lss, report.f, &rs), REGEL_OK);
    sink_close(&report);
    regel_replay_free(r);
    assert_int_equal(rs.replayed, stats.lines);
    assert_int_equal(rs.differ, 0);
    assert_non_null(strstr(report.text, ": 0 differ\n"));
    free(report.text);

    snprintf(db, sizeof db, "%s/no-such-dir/none.db", scratch);
    assert_int_equal(regel_replay_open(db, collect_message, message, &r), REGEL_ERROR_LOG);
    assert_null(r);
    assert_non_null(strstr(message, "cannot open the decision log"));
    assert_int_equal(regel_audit(db, &ao, stdout, &found), REGEL_ERROR_LOG);
}

/* explain, diff and the rule tests, each on the shipped ruleset. */
static void explain_diff_and_tests(void **state)
{
    (void)state;
    size_t lines;
    char *decided = slurp(decided_path, &lines);
    lines = count_lines(decided);
    char key[256];
    assert_int_equal(sscanf(decided, "{\"id\":\"%255[^\"]\"", key), 1);
    free(decided);

    FILE *in = fopen(decided_path, "rb");
    sink out;
    sink_open(&out);
    regel_explain_options xo = REGEL_EXPLAIN_OPTIONS_INIT;
    xo.key = key;
    xo.lang = "en";
    regel_explain_stats xs;
    assert_int_equal(regel_explain_stream(lss, in, out.f, &xo, &xs), REGEL_OK);
    sink_close(&out);
    fclose(in);
    assert_int_equal(xs.explained, 1);
    assert_false(xs.rejected);
    assert_non_null(strstr(out.text, key));
    free(out.text);
    xo.lang = "fr";
    assert_int_equal(regel_explain_stream(lss, stdin, stdout, &xo, &xs), REGEL_ERROR_ARGUMENT);

    in = fopen(decided_path, "rb");
    sink_open(&out);
    regel_diff_options d = REGEL_DIFF_OPTIONS_INIT;
    regel_diff_stats ds;
    assert_int_equal(regel_diff_stream(lss, lss, in, out.f, NULL, &d, &ds), REGEL_OK);
    sink_close(&out);
    fclose(in);
    assert_int_equal(ds.compared, lines);
    assert_int_equal(ds.changed, 0);
    assert_int_equal(out.len, 0);
    free(out.text);
    d.as_of_old = "1900-01-01";
    assert_int_equal(regel_diff_stream(lss, lss, stdin, stdout, NULL, &d, &ds), REGEL_ERROR_NOT_FOUND);
    d.as_of_old = "yesterday";
    assert_int_equal(regel_diff_stream(lss, lss, stdin, stdout, NULL, &d, &ds), REGEL_ERROR_ARGUMENT);

    sink_open(&out);
    regel_test_options to = REGEL_TEST_OPTIONS_INIT;
    regel_test_totals totals;
    assert_int_equal(regel_test_run(lss, NULL, &to, out.f, &totals), REGEL_OK);
    sink_close(&out);
    assert_true(totals.passed > 0);
    assert_int_equal(totals.failed, 0);
    assert_int_equal(totals.file_errors, 0);
    free(out.text);
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: test_library_streams RULESET DECIDED.jsonl ERRORS.jsonl ERROR_CAP.regel MESSY.regel "
                        "MESSY.expected SCRATCH_DIR\n");
        return 2;
    }
    ruleset_path = argv[1];
    decided_path = argv[2];
    errors_path = argv[3];
    error_cap_path = argv[4];
    messy_path = argv[5];
    messy_expected_path = argv[6];
    scratch = argv[7];
    if (regel_ruleset_load(ruleset_path, NULL, NULL, &lss) != REGEL_OK)
        return 2;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eval_stream_writes_what_regel_eval_writes),
        cmocka_unit_test(limits_give_error_records),
        cmocka_unit_test(long_lines_alike_on_any_jobs),
        cmocka_unit_test(older_option_structs_are_taken),
        cmocka_unit_test(versions_have_rules_hashes_and_files),
        cmocka_unit_test(load_counts_and_json_diagnostics),
        cmocka_unit_test(format_gives_the_canonical_layout),
        cmocka_unit_test(log_audit_and_replay),
        cmocka_unit_test(explain_diff_and_tests),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    regel_ruleset_free(lss);
    return failed;
}
