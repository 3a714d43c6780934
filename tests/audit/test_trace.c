/*
 * The trace structures of eval.h as a C reader sees them (rule-test coverage
 * reads them this way), and the compact trace of the decision log: decoding
 * it must give byte for byte the JSON trace. On the amendment fixture,
 * tests/audit/amended.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "batch.h"
#include "json_reader.h"
#include "trace.h"

static ruleset *load(void)
{
    diag_sink sink = {0};
    ruleset *rs = rs_load(REGEL_AUDIT_FIXTURE, &sink);
    assert_non_null(rs);
    return rs;
}

static bt_outcome decide(bt_session *s, const char *line, ob_buf *out)
{
    static char padded[4096 + JR_PADDING];
    size_t n = strlen(line);
    assert_true(n < 4096);
    memcpy(padded, line, n);
    memset(padded + n, ' ', JR_PADDING);
    return bt_decide_line(s, padded, n, out);
}

static const char new_case[] =
    "{\"id\":\"new\",\"day\":\"2023-06-01\",\"born\":\"1990-01-01\",\"items\":[{\"minutes\":300},{\"minutes\":100,\"colour\":\"green\"}]}";

static const ev_seen *seen(const ev_step *st, const char *name, long item)
{
    for (size_t i = 0; i < st->seen_count; i++)
        if (strcmp(st->seen[i].name, name) == 0 && st->seen[i].item == item)
            return &st->seen[i];
    return NULL;
}

/* EVIDENCE: the steps of issue 3: completion order, items, fired, what was read, table rows. */
static void steps_describe_the_evaluation(void **state)
{
    (void)state;
    ruleset *rs = load();
    bt_session *s = bt_session_new(rs, 64);
    assert_true(bt_session_set(s, BT_RECORD));
    ob_buf out = {0};
    assert_int_equal(decide(s, new_case, &out), BT_DECIDED);
    assert_null(strstr(out.data, "\"trace\""));          /* recorded, not written */
    const bt_decision *d = bt_last(s);
    const ev_case *c = d->c;
    const char *want[] = {"red_counts_double", "red_counts_double", "counted_as_is", "total", "big", "band"};
    size_t n = 0;
    for (const ev_step *st = c->steps; st; st = st->next, n++) {
        assert_true(n < sizeof want / sizeof *want);
        assert_string_equal(st->rule->decl->name, want[n]);
    }
    assert_int_equal(n, c->step_count);
    assert_int_equal(n, 6);
    const ev_step *first = c->steps, *second = first->next, *total = second->next->next, *big = total->next;
    assert_int_equal(first->item, 0);
    assert_string_equal(first->list, "items");
    assert_true(first->fired);
    assert_int_equal(second->item, 1);
    assert_false(second->fired);
    assert_int_equal(seen(total, "counted", 0)->v.i, 600);  /* read through the aggregate */
    assert_int_equal(seen(total, "counted", 1)->v.i, 100);
    assert_int_equal(seen(total, "total", -1)->kind, EV_SEEN_DEFINED);
    assert_true(big->fired);                             /* the 2023 rule: total >= limit, 700 >= 420 */
    assert_true(strstr(big->rule->decl->name_at.file->path, "2023-01-01.regel") != NULL);
    assert_int_equal(seen(big, "limit", -1)->target->constant != NULL, 1);
    const ev_step *band = c->steps;
    while (band->next)
        band = band->next;
    assert_int_equal(band->lookup_count, 1);
    assert_string_equal(band->lookups[0].table->name, "bands");
    assert_int_equal(band->lookups[0].key, 33);
    assert_int_equal(band->lookups[0].row, -1);          /* the otherwise row of the 2023 table */
    ob_free(&out);
    bt_session_free(s);
    rs_free(rs);
}

static const char *symbols(void *ctx, uint64_t id, size_t *len)
{
    const char *t = tr_symbol_text(ctx, (size_t)id);
    if (t)
        *len = strlen(t);
    return t;
}

/* EVIDENCE: the log's compact trace reads back as exactly the JSON trace. */
static void compact_trace_decodes_to_the_json(void **state)
{
    (void)state;
    ruleset *rs = load();
    bt_session *s = bt_session_new(rs, 64);
    assert_true(bt_session_set(s, BT_HASH | BT_TRACE));
    tr_symbols *syms = tr_symbols_new(rs);
    const char *lines[] = {
        new_case,
        "{\"id\":\"old\",\"day\":\"2022-06-01\",\"born\":\"2015-01-01\",\"items\":[{\"minutes\":300}]}",
        "{\"id\":\"none\",\"day\":\"2021-06-01\",\"items\":[]}",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        ob_buf out = {0}, blob = {0}, json = {0};
        assert_int_equal(decide(s, lines[i], &out), BT_DECIDED);
        const bt_decision *d = bt_last(s);
        assert_true(tr_encode(&blob, syms, d->c));
        assert_true(tr_decode(&json, (const unsigned char *)blob.data, blob.len, symbols, syms));
        static const char prefix[] = ",\"trace_schema\":\"" TR_SCHEMA "\",\"trace\":";
        size_t start = d->trace_start + sizeof prefix - 1;
        assert_int_equal(json.len, d->trace_end - start);
        assert_memory_equal(json.data, out.data + start, json.len);
        assert_true(blob.len * 3 < json.len);             /* and it is compact */
        /* A damaged blob is refused, not misread. */
        ob_buf again = {0};
        assert_false(tr_decode(&again, (const unsigned char *)blob.data, blob.len - 1, symbols, syms));
        ob_free(&again);
        ob_free(&out);
        ob_free(&blob);
        ob_free(&json);
    }
    tr_symbols_free(syms);
    bt_session_free(s);
    rs_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(steps_describe_the_evaluation),
        cmocka_unit_test(compact_trace_decodes_to_the_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
