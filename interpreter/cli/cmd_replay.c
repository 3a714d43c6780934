/*
 * regel replay DB RULESET: re-decides every record of a decision log with
 * the rules of RULESET and reports each decision whose result or trace now
 * differs from the one logged, naming the ruleset hash used then and now. A
 * receipt an auditor can verify later: with the same rule files, nothing
 * differs. The ruleset hash itself is not compared (it is what says whether
 * the rules changed); everything else in the result line and trace is,
 * byte for byte, since regel writes both deterministically.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_log.h"
#include "batch.h"
#include "calendar.h"
#include "cli.h"
#include "cli_diag.h"
#include "json_reader.h"
#include "trace.h"

static const char synopsis[] = "replay DB RULESET";
static const char options[] =
    "Prints one line per decision that differs, then a summary.\n"
    "Exit status: 0 when every decision replays the same, 1 when some differ.\n\n"
    "options:\n"
    "  -h, --help  show this help\n"
    CLI_DIAG_HELP;

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

int cmd_replay(int argc, char **argv)
{
    if ((argc = cli_diag_option(argc, argv)) < 0)
        return EXIT_USAGE;
    int status;
    int first = cli_arguments(argc, argv, synopsis, options, 2, &status);
    if (first < 0)
        return status;
    const char *db_path = argv[first];
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "regel: cannot open the decision log '%s': %s\n", db_path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return EXIT_USAGE;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT d.id, d.case_id, d.line, d.input, d.result, d.trace, s.hash, s.rules_version, d.run "
                           "FROM decision d LEFT JOIN ruleset s ON s.id = d.ruleset ORDER BY d.id",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "regel: '%s' is not a decision log: %s\n", db_path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return EXIT_USAGE;
    }
    diag_sink sink = {.fn = cli_print_diag, .cap = 50};
    ruleset *rs = cli_load(argv[first + 1], &sink);
    bt_session *session = rs ? bt_session_new(rs, 64) : NULL;
    if (!session || !bt_session_set(session, BT_HASH | BT_TRACE)) {
        bt_session_free(session);
        rs_free(rs);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return EXIT_USAGE;
    }
    ob_buf line = {0}, now = {0}, report = {0}, then_json = {0};
    al_reader *reader = al_reader_new(db);
    if (!reader) {
        fprintf(stderr, "regel: '%s' is not a decision log\n", db_path);
        bt_session_free(session);
        rs_free(rs);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return EXIT_USAGE;
    }
    char *padded = NULL;
    size_t padded_cap = 0, replayed = 0, differ = 0, unkept = 0;
    int rc;
    bool failed = false;
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
                failed = true;
                break;
            }
            padded = bigger;
        }
        if (len)
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
            fprintf(stderr, "regel: decision %lld: the logged trace cannot be read\n", (long long)sqlite3_column_int64(st, 0));
            failed = true;
            break;
        }
        const char *then_trace = then_blob ? then_json.data : NULL;
        size_t then_trace_len = then_json.len;
        bool result_same = then && same_result(then, then_len, now.data ? now.data : "", now.len);
        bool trace_same = (!then_trace && !trace) ||
                          (then_trace && trace && then_trace_len == trace_len && memcmp(then_trace, trace, trace_len) == 0);
        replayed++;
        if (line.failed || now.failed)
            failed = true;
        if (result_same && trace_same)
            continue;
        differ++;
        const char *hash_then = (const char *)sqlite3_column_text(st, 6);
        const char *version_then = (const char *)sqlite3_column_text(st, 7);
        ob_str(&report, "decision ");
        ob_int(&report, sqlite3_column_int64(st, 0));
        ob_str(&report, " (case ");
        const char *case_id = (const char *)sqlite3_column_text(st, 1);
        if (case_id)
            ob_json_string(&report, case_id, (size_t)sqlite3_column_bytes(st, 1));
        else
            ob_str(&report, "null");
        ob_str(&report, ", input line ");
        ob_int(&report, sqlite3_column_int64(st, 2));
        ob_str(&report, "): ");
        ob_str(&report, !result_same && !trace_same ? "result and trace differ" : !result_same ? "result differs" : "trace differs");
        ob_str(&report, "; rules then ");
        ob_str(&report, version_then ? version_then : "none");
        ob_char(&report, ' ');
        ob_str(&report, hash_then ? hash_then : "-");
        ob_str(&report, ", now ");
        if (d->version) {
            char date[11];
            cal_format(d->version->date, date);
            ob_str(&report, date);
            ob_char(&report, ' ');
            ob_str(&report, d->version->hash);
        } else
            ob_str(&report, "none -");
        ob_str(&report, "\n  then: ");
        tr_put(&report, then ? then : "", then ? then_len : 0);
        ob_str(&report, "\n  now:  ");
        tr_put(&report, now.data ? now.data : "", now.len);
        ob_char(&report, '\n');
        if (report.len > (1 << 16))
            ob_flush(&report, stdout);
    }
    if (rc != SQLITE_DONE && !failed) {
        fprintf(stderr, "regel: reading '%s': %s\n", db_path, sqlite3_errmsg(db));
        failed = true;
    }
    char summary[512];
    if (unkept) {
        snprintf(summary, sizeof summary, "%zu line(s) too long to keep were not replayed\n", unkept);
        ob_str(&report, summary);
    }
    snprintf(summary, sizeof summary, "replayed %zu decision(s) with %s: %zu differ\n", replayed,
             argv[first + 1], differ);
    ob_str(&report, summary);
    if (!ob_flush(&report, stdout) || report.failed)
        failed = true;
    ob_free(&line);
    ob_free(&now);
    ob_free(&report);
    ob_free(&then_json);
    al_reader_free(reader);
    free(padded);
    bt_session_free(session);
    rs_free(rs);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return failed ? EXIT_USAGE : differ ? EXIT_REJECTED : EXIT_OK;
}
