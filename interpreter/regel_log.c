/*
 * The public API of the decision log (include/regel.h, docs/audit.md):
 * opening a log for regel_eval_stream to append to, and reading it back,
 * `regel audit` (the decisions of a case or of a rule) and `regel replay`
 * (every logged record re-decided and compared). Writing and the compact
 * traces are the audit module's (audit_log.c); this file runs the queries.
 */
#include "regel_api.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "audit_log.h"
#include "batch.h"
#include "calendar.h"
#include "json_reader.h"
#include "trace.h"

regel_status regel_log_open(const char *path, const regel_ruleset *rs, const regel_log_options *options,
                            regel_message_fn on_message, void *context, regel_log **out)
{
    if (!out)
        return REGEL_ERROR_ARGUMENT;
    *out = NULL;
    regel_log_options given;
    const regel_log_options *o = &given;
    if (!path || !rs || !api_options(&given, sizeof given, options))
        return REGEL_ERROR_ARGUMENT;
    regel_log *l = malloc(sizeof *l);
    if (!l)
        return REGEL_ERROR_MEMORY;
    char err[512];
    al_run_info info = {.regel_version = regel_version(),
                        .ruleset_path = o->ruleset_path ? o->ruleset_path : rs->rs->path,
                        .input_name = o->input_name ? o->input_name : "-", .batch = o->batch ? o->batch : 4096};
    if (!(l->log = al_open(path, rs->rs, &info, err, sizeof err))) {
        api_message(on_message, context, "%s", err);
        free(l);
        return REGEL_ERROR_LOG;
    }
    l->rs = rs;
    l->on_message = on_message;
    l->context = context;
    *out = l;
    return REGEL_OK;
}

regel_status regel_log_close(regel_log *l)
{
    if (!l)
        return REGEL_OK;
    char why[512];
    bool ok = al_close(l->log, why, sizeof why);
    if (!ok)
        api_message(l->on_message, l->context, "decision log: %s", why);
    free(l);
    return ok ? REGEL_OK : REGEL_ERROR_LOG;
}

static sqlite3 *open_log(const char *path, regel_message_fn on_message, void *context)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        api_message(on_message, context, "cannot open the decision log '%s': %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* ---- audit */

/* `,"key":` and a column: as a JSON string, or, for a column that holds
 * JSON (the result line), as it is; null when the column is. */
static void put_column(ob_buf *out, const char *key, sqlite3_stmt *st, int col, bool holds_json)
{
    ob_str(out, ",\"");
    ob_str(out, key);
    ob_str(out, "\":");
    const unsigned char *t = sqlite3_column_text(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    if (!t)
        ob_str(out, "null");
    else if (holds_json)
        tr_put(out, (const char *)t, n);
    else
        ob_json_string(out, (const char *)t, n);
}

/* The decisions of `rule`: its bitmaps, one per batch, turned into decision ids. */
static bool fired_decisions(sqlite3 *db, const char *rule, sqlite3_int64 **ids, size_t *count)
{
    sqlite3_stmt *st = NULL;
    *ids = NULL;
    *count = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT f.first_decision, f.bits FROM fired f JOIN rule r ON r.id = f.rule "
                           "WHERE r.name = ? ORDER BY f.first_decision", -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(st, 1, rule, -1, SQLITE_STATIC);
    size_t cap = 0;
    bool ok = true;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 first = sqlite3_column_int64(st, 0);
        const unsigned char *bits = sqlite3_column_blob(st, 1);
        size_t n = (size_t)sqlite3_column_bytes(st, 1);
        for (size_t i = 0; ok && i < n * 8; i++) {
            if (!(bits[i / 8] & (1u << (i % 8))))
                continue;
            if (*count == cap) {
                cap = cap ? cap * 2 : 1024;
                sqlite3_int64 *bigger = realloc(*ids, cap * sizeof *bigger);
                if (!bigger) {
                    ok = false;
                    break;
                }
                *ids = bigger;
            }
            (*ids)[(*count)++] = first + (sqlite3_int64)i;
        }
    }
    sqlite3_finalize(st);
    return ok;
}

/* Both queries read the same columns of the same view, by case or by decision. */
#define DECISION_QUERY(where)                                                                                       \
    "SELECT v.id, v.case_id, v.evaluated_at, v.outcome, v.rules_version, v.ruleset_hash, v.regel_version, "        \
    "v.run, v.line, v.result, v.trace FROM decision_view v WHERE " where

/* One decision as a line of `regel audit`. false when its trace cannot be read. */
static bool write_decision(ob_buf *out, sqlite3_stmt *st, al_reader *reader)
{
    bool ok = true;
    ob_str(out, "{\"decision\":");
    ob_int(out, sqlite3_column_int64(st, 0));
    put_column(out, "case_id", st, 1, false);
    put_column(out, "evaluated_at", st, 2, false);
    put_column(out, "outcome", st, 3, false);
    put_column(out, "rules_version", st, 4, false);
    put_column(out, "ruleset_hash", st, 5, false);
    put_column(out, "regel_version", st, 6, false);
    ob_str(out, ",\"run\":");
    ob_int(out, sqlite3_column_int64(st, 7));
    ob_str(out, ",\"line\":");
    ob_int(out, sqlite3_column_int64(st, 8));
    put_column(out, "result", st, 9, true);
    if (reader) {
        ob_str(out, ",\"trace\":");
        const void *blob = sqlite3_column_blob(st, 10);
        if (!blob)
            ob_str(out, "null");
        else
            ok = al_trace_json(reader, sqlite3_column_int64(st, 7), blob, (size_t)sqlite3_column_bytes(st, 10), out);
    }
    ob_str(out, "}\n");
    return ok;
}

regel_status regel_audit(const char *db_path, const regel_audit_options *options, FILE *out, size_t *found)
{
    if (found)
        *found = 0;
    regel_audit_options given;
    const regel_audit_options *o = &given;
    if (!db_path || !api_options(&given, sizeof given, options) || !o->key || !out ||
        (o->by != REGEL_AUDIT_CASE && o->by != REGEL_AUDIT_RULE))
        return REGEL_ERROR_ARGUMENT;
    sqlite3 *db = open_log(db_path, o->on_message, o->context);
    if (!db)
        return REGEL_ERROR_LOG;
    bool by_rule = o->by == REGEL_AUDIT_RULE;
    sqlite3_stmt *st = NULL;
    al_reader *reader = NULL;
    sqlite3_int64 *ids = NULL;
    size_t id_count = 0, next = 0;
    const char *query = by_rule ? DECISION_QUERY("v.id = ?1") : DECISION_QUERY("v.case_id = ?1 ORDER BY v.id");
    bool ok = sqlite3_prepare_v2(db, query, -1, &st, NULL) == SQLITE_OK &&
              (!(o->flags & REGEL_AUDIT_TRACE) || (reader = al_reader_new(db)) != NULL) &&
              (!by_rule || fired_decisions(db, o->key, &ids, &id_count));
    if (!ok) {
        api_message(o->on_message, o->context, "'%s' is not a decision log: %s", db_path, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        al_reader_free(reader);
        free(ids);
        sqlite3_close(db);
        return REGEL_ERROR_LOG;
    }
    if (!by_rule)
        sqlite3_bind_text(st, 1, o->key, -1, SQLITE_STATIC);
    ob_buf text = {0};
    size_t n = 0;
    int rc = SQLITE_DONE;
    bool broken = false;
    for (;;) {
        if (by_rule) {
            if (next == id_count) {
                rc = SQLITE_DONE;
                break;
            }
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, ids[next++]);
        }
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE && by_rule)
            continue;
        if (rc != SQLITE_ROW)
            break;
        n++;
        if (!write_decision(&text, st, reader))
            broken = true;
        if (text.len > (1 << 16))
            ob_flush(&text, out);
    }
    regel_status status = REGEL_OK;
    if (broken) {
        api_message(o->on_message, o->context, "'%s' holds a trace that cannot be read", db_path);
        status = REGEL_ERROR_LOG;
    } else if (rc != SQLITE_DONE) {
        api_message(o->on_message, o->context, "reading '%s': %s", db_path, sqlite3_errmsg(db));
        status = REGEL_ERROR_LOG;
    }
    if ((!ob_flush(&text, out) || text.failed) && status == REGEL_OK)
        status = REGEL_ERROR_IO;
    ob_free(&text);
    free(ids);
    al_reader_free(reader);
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (found)
        *found = n;
    return status;
}

/* ---- replay */

struct regel_replay {
    sqlite3 *db;
    sqlite3_stmt *st;
    const char *path;
    regel_message_fn on_message;
    void *context;
};

regel_status regel_replay_open(const char *db_path, regel_message_fn on_message, void *context, regel_replay **out)
{
    if (!out)
        return REGEL_ERROR_ARGUMENT;
    *out = NULL;
    if (!db_path)
        return REGEL_ERROR_ARGUMENT;
    regel_replay *r = calloc(1, sizeof *r);
    if (!r)
        return REGEL_ERROR_MEMORY;
    *r = (regel_replay){.path = db_path, .on_message = on_message, .context = context};
    if (!(r->db = open_log(db_path, on_message, context))) {
        free(r);
        return REGEL_ERROR_LOG;
    }
    if (sqlite3_prepare_v2(r->db,
                           "SELECT d.id, d.case_id, d.line, d.input, d.result, d.trace, s.hash, s.rules_version, d.run "
                           "FROM decision d LEFT JOIN ruleset s ON s.id = d.ruleset ORDER BY d.id",
                           -1, &r->st, NULL) != SQLITE_OK) {
        api_message(on_message, context, "'%s' is not a decision log: %s", db_path, sqlite3_errmsg(r->db));
        regel_replay_free(r);
        return REGEL_ERROR_LOG;
    }
    *out = r;
    return REGEL_OK;
}

void regel_replay_free(regel_replay *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->st);
    sqlite3_close(r->db);
    free(r);
}

/* `line` without its ,"ruleset_hash":"..." member. */
static size_t without_hash(const char *line, size_t len, char *into)
{
    static const char key[] = ",\"ruleset_hash\":\"";
    const char *at = NULL;
    for (size_t i = 0; !at && i + sizeof key - 1 <= len; i++)
        if (memcmp(line + i, key, sizeof key - 1) == 0)
            at = line + i;
    if (!at) {
        memcpy(into, line, len);
        return len;
    }
    size_t head = (size_t)(at - line);
    const char *close = memchr(at + sizeof key - 1, '"', len - head - (sizeof key - 1));
    size_t tail_from = close ? (size_t)(close - line) + 1 : len;
    memcpy(into, line, head);
    memcpy(into + head, line + tail_from, len - tail_from);
    return head + len - tail_from;
}

static bool same_result(const char *a, size_t alen, const char *b, size_t blen)
{
    char *x = malloc(alen + 1), *y = malloc(blen + 1);
    bool same = x && y;
    if (same) {
        size_t xn = without_hash(a, alen, x), yn = without_hash(b, blen, y);
        same = xn == yn && memcmp(x, y, xn) == 0;
    }
    free(x);
    free(y);
    return same;
}

/* The report of a decision that replays differently. */
static void write_difference(ob_buf *report, sqlite3_stmt *st, const bt_decision *d, bool result_same, bool trace_same,
                             const char *then, size_t then_len, const ob_buf *now)
{
    const char *hash_then = (const char *)sqlite3_column_text(st, 6);
    const char *version_then = (const char *)sqlite3_column_text(st, 7);
    ob_str(report, "decision ");
    ob_int(report, sqlite3_column_int64(st, 0));
    ob_str(report, " (case ");
    const char *case_id = (const char *)sqlite3_column_text(st, 1);
    if (case_id)
        ob_json_string(report, case_id, (size_t)sqlite3_column_bytes(st, 1));
    else
        ob_str(report, "null");
    ob_str(report, ", input line ");
    ob_int(report, sqlite3_column_int64(st, 2));
    ob_str(report, "): ");
    ob_str(report, !result_same && !trace_same ? "result and trace differ" : !result_same ? "result differs" : "trace differs");
    ob_str(report, "; rules then ");
    ob_str(report, version_then ? version_then : "none");
    ob_char(report, ' ');
    ob_str(report, hash_then ? hash_then : "-");
    ob_str(report, ", now ");
    if (d->version) {
        char date[11];
        cal_format(d->version->date, date);
        ob_str(report, date);
        ob_char(report, ' ');
        ob_str(report, d->version->hash);
    } else
        ob_str(report, "none -");
    ob_str(report, "\n  then: ");
    tr_put(report, then ? then : "", then ? then_len : 0);
    ob_str(report, "\n  now:  ");
    tr_put(report, now->data ? now->data : "", now->len);
    ob_char(report, '\n');
}

regel_status regel_replay_run(regel_replay *r, const regel_ruleset *rs, FILE *out, regel_replay_stats *stats)
{
    if (stats)
        *stats = (regel_replay_stats){0, 0, 0};
    if (!r || !rs || !out)
        return REGEL_ERROR_ARGUMENT;
    sqlite3_reset(r->st);
    bt_session *session = bt_session_new(rs->rs, API_DEFAULT_MAX_DEPTH);
    if (!session || !bt_session_set(session, BT_HASH | BT_TRACE)) {
        bt_session_free(session);
        return REGEL_ERROR_MEMORY;
    }
    al_reader *reader = al_reader_new(r->db);
    if (!reader) {
        api_message(r->on_message, r->context, "'%s' is not a decision log", r->path);
        bt_session_free(session);
        return REGEL_ERROR_LOG;
    }
    ob_buf line = {0}, now = {0}, report = {0}, then_json = {0};
    char *padded = NULL;
    size_t padded_cap = 0, replayed = 0, differ = 0, unkept = 0;
    int rc;
    regel_status status = REGEL_OK;
    sqlite3_stmt *st = r->st;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *input = (const char *)sqlite3_column_blob(st, 3);
        size_t len = (size_t)sqlite3_column_bytes(st, 3);
        if (len == 0) {
            /* Blank lines are not logged: an empty input is a line too long to keep. */
            unkept++;
            continue;
        }
        if (len + JR_PADDING > padded_cap) {
            padded_cap = (len + JR_PADDING) * 2;
            char *bigger = realloc(padded, padded_cap);
            if (!bigger) {
                status = REGEL_ERROR_MEMORY;
                break;
            }
            padded = bigger;
        }
        memcpy(padded, input, len);
        memset(padded + len, ' ', JR_PADDING);
        line.len = now.len = 0;
        bt_decide_line(session, padded, len, &line);
        const bt_decision *d = bt_last(session);
        const char *trace;
        size_t trace_len;
        al_split(&line, d, &now, &trace, &trace_len);
        const char *then = (const char *)sqlite3_column_text(st, 4);
        size_t then_len = (size_t)sqlite3_column_bytes(st, 4);
        const void *then_blob = sqlite3_column_blob(st, 5);
        then_json.len = 0;
        if (then_blob && !al_trace_json(reader, sqlite3_column_int64(st, 8), then_blob,
                                        (size_t)sqlite3_column_bytes(st, 5), &then_json)) {
            api_message(r->on_message, r->context, "decision %lld: the logged trace cannot be read",
                        (long long)sqlite3_column_int64(st, 0));
            status = REGEL_ERROR_LOG;
            break;
        }
        const char *then_trace = then_blob ? then_json.data : NULL;
        size_t then_trace_len = then_json.len;
        bool result_same = then && same_result(then, then_len, now.data ? now.data : "", now.len);
        bool trace_same = (!then_trace && !trace) ||
                          (then_trace && trace && then_trace_len == trace_len && memcmp(then_trace, trace, trace_len) == 0);
        replayed++;
        if ((line.failed || now.failed) && status == REGEL_OK)
            status = REGEL_ERROR_MEMORY;
        if (result_same && trace_same)
            continue;
        differ++;
        write_difference(&report, st, d, result_same, trace_same, then, then_len, &now);
        if (report.len > (1 << 16))
            ob_flush(&report, out);
    }
    if (rc != SQLITE_DONE && status == REGEL_OK) {
        api_message(r->on_message, r->context, "reading '%s': %s", r->path, sqlite3_errmsg(r->db));
        status = REGEL_ERROR_LOG;
    }
    char summary[512];
    if (unkept) {
        snprintf(summary, sizeof summary, "%zu line(s) too long to keep were not replayed\n", unkept);
        ob_str(&report, summary);
    }
    snprintf(summary, sizeof summary, "replayed %zu decision(s) with %s: %zu differ\n", replayed, rs->rs->path, differ);
    ob_str(&report, summary);
    if ((!ob_flush(&report, out) || report.failed) && status == REGEL_OK)
        status = REGEL_ERROR_IO;
    ob_free(&line);
    ob_free(&now);
    ob_free(&report);
    ob_free(&then_json);
    al_reader_free(reader);
    free(padded);
    bt_session_free(session);
    if (stats)
        *stats = (regel_replay_stats){replayed, differ, unkept};
    return status;
}
