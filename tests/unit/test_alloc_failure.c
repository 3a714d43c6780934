/*
 * Allocation failure, as SQLite tests it: load the shipped LSS ruleset and
 * decide a few records with the Nth allocation failing, for N = 1, 2, 3, ...
 * until a run gets through without meeting a failure. Every run must end in
 * a clean error (a diagnostic for the load, an error record or BT_FAILED for
 * a record), never in a crash, a leak or a wrong answer: a record that is
 * decided at all must be decided exactly as without the failure.
 *
 * Two modes: the Nth allocation and every later one fail (memory is gone), or
 * only the Nth fails (memory comes back, and what follows must not trip over
 * what the failure left behind). Allocations through arena_sys_malloc are
 * counted: the arenas, bison's stack (YYMALLOC), flex's buffers (yyalloc),
 * the output buffer and the JSON reader's scratch stacks. simdjson's own
 * parser buffers are allocated with C++ new, outside the hook; they are
 * allocated when the session is created and grown only for a longer line.
 *
 * Leaks: in the sanitizer build LeakSanitizer checks at exit; elsewhere the
 * heap in use (mallinfo2) must be the same after each run as before it.
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

#include "batch.h"
#include "json_reader.h"
#include "ruleset.h"
#include "test_support.h"

#ifndef REGEL_LSS_DIR
#error "REGEL_LSS_DIR must name the shipped ruleset"
#endif

/* ---- the failing allocator */

static unsigned long alloc_calls, fail_at;
static bool fail_after; /* fail every allocation from fail_at on, not just that one */
static unsigned long failures;

static void *failing_malloc(size_t size)
{
    unsigned long n = ++alloc_calls;
    if (fail_at && (n == fail_at || (fail_after && n > fail_at))) {
        failures++;
        return NULL;
    }
    return malloc(size);
}

/* ---- the records: a few lines of the shipped examples, and some broken ones */

enum { MAX_LINES = 8, LINE_CAP = 4096 };

typedef struct lines {
    char text[MAX_LINES][LINE_CAP + JR_PADDING];
    size_t len[MAX_LINES];
    size_t count;
} lines;

static void add_line(lines *l, const char *s, size_t n)
{
    assert_true(l->count < MAX_LINES && n <= LINE_CAP);
    memcpy(l->text[l->count], s, n);
    memset(l->text[l->count] + n, ' ', JR_PADDING);
    l->len[l->count++] = n;
}

/* The first `want` lines of an example file. */
static void add_lines_of(lines *l, const char *path, size_t want)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char buf[LINE_CAP + 2];
    while (want && fgets(buf, sizeof buf, f)) {
        size_t n = strcspn(buf, "\r\n");
        if (n == 0)
            continue;
        add_line(l, buf, n);
        want--;
    }
    fclose(f);
}

static lines *records(void)
{
    static lines l;
    if (l.count == 0) {
        add_lines_of(&l, REGEL_LSS_DIR "/examples/spec-decided.jsonl", 3);
        add_lines_of(&l, REGEL_LSS_DIR "/examples/spec-errors.jsonl", 2);
        add_line(&l, "{\"a\":[1,2,{\"b\":null}]}", 22);
        add_line(&l, "[[[[[[[[", 8);
    }
    return &l;
}

/* ---- one run */

typedef struct run {
    bool loaded;
    unsigned load_errors;
    char out[MAX_LINES][LINE_CAP];  /* result lines, without their newline; "" when none */
    bt_outcome outcome[MAX_LINES];
    bool out_failed[MAX_LINES];      /* the output buffer could not grow: the caller sees it */
    bool session;
} run;

static void count_only(void *ctx, const diag *d)
{
    (void)ctx;
    (void)d;
}

static void do_run(run *r)
{
    memset(r, 0, sizeof *r);
    diag_sink sink = {.fn = count_only};
    ruleset *rs = rs_load(REGEL_LSS_DIR, &sink);
    r->load_errors = sink.errors;
    if (!rs)
        return;
    r->loaded = true;
    bt_session *s = bt_session_new(rs, 64);
    if (s) {
        r->session = true;
        lines *l = records();
        for (size_t i = 0; i < l->count; i++) {
            ob_buf out = {0};
            r->outcome[i] = bt_decide_line(s, l->text[i], l->len[i], &out);
            r->out_failed[i] = out.failed;
            if (!out.failed && out.len) {
                assert_true(out.len < LINE_CAP);
                assert_int_equal(out.data[out.len - 1], '\n');
                assert_null(memchr(out.data, '\n', out.len - 1)); /* one line, never more */
                memcpy(r->out[i], out.data, out.len - 1);
            }
            ob_free(&out);
        }
    }
    bt_session_free(s);
    rs_free(rs);
}

/* Bytes the program holds from malloc. glibc counts the chunks parked in its
 * per-thread cache as in use, so main() turns that cache off. Under
 * AddressSanitizer glibc's heap is not the one in use and this stays constant;
 * LeakSanitizer checks there instead. */
static size_t heap_in_use(void)
{
    return mallinfo2().uordblks;
}

static void fail_each_allocation(bool persistent)
{
    run reference, r;
    arena_set_allocator(failing_malloc);
    alloc_calls = 0;
    fail_at = 0;
    do_run(&reference);
    unsigned long needed = alloc_calls;
    assert_true(reference.loaded && reference.session);
    assert_int_equal(reference.load_errors, 0);
    lines *l = records();
    for (size_t i = 0; i < l->count; i++)
        assert_true(reference.out[i][0] == '{');

    unsigned long n;
    for (n = 1;; n++) {
        alloc_calls = 0;
        failures = 0;
        fail_at = n;
        fail_after = persistent;
        size_t before = heap_in_use();
        do_run(&r);
        fail_at = 0;
        size_t after = heap_in_use();
        if (after != before)
            fail_msg("N=%lu: %zu bytes of heap not freed", n, after - before);
        if (failures == 0)
            break; /* the run got past its last allocation */
        if (!r.loaded) {
            /* A load that failed said so: at least one diagnostic. */
            if (r.load_errors == 0)
                fail_msg("N=%lu: the ruleset failed to load without a diagnostic", n);
            continue;
        }
        for (size_t i = 0; r.session && i < l->count; i++) {
            if (r.out_failed[i])
                continue;
            if (r.outcome[i] == BT_FAILED) {
                /* Out of memory for this record: an error record if one could be written. */
                if (r.out[i][0] && !strstr(r.out[i], "out of memory"))
                    fail_msg("N=%lu, record %zu: failed with '%s'", n, i, r.out[i]);
                continue;
            }
            if (strcmp(r.out[i], reference.out[i]) != 0)
                fail_msg("N=%lu, record %zu: '%s' instead of '%s'", n, i, r.out[i], reference.out[i]);
        }
    }
    arena_set_allocator(NULL);
    /* Every allocation of the run was failed once. */
    assert_int_equal(n, needed + 1);
    print_message("%lu allocations, each failed in turn (%s)\n", needed, persistent ? "and every later one" : "alone");
}

static void persistent_failure_ends_cleanly(void **state)
{
    (void)state;
    fail_each_allocation(true);
}

static void single_failure_ends_cleanly(void **state)
{
    (void)state;
    fail_each_allocation(false);
}

int main(int argc, char **argv)
{
    (void)argc;
    if (!without_malloc_cache(argv))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(persistent_failure_ends_cleanly),
        cmocka_unit_test(single_failure_ends_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
