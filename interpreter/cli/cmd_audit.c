/*
 * regel audit DB (--id ID | --rule RULE_ID) [--trace]: reads the decision
 * log written by `regel eval --log` (schema: docs/audit.md). --id gives the
 * history of one case, oldest first; --rule every decision in which that rule
 * fired (read from the per-batch bitmaps). One JSON line per decision: when and by which regel and rules it was
 * made, the result as it was written, and with --trace its trace.
 */
#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_log.h"
#include "cli.h"
#include "outbuf.h"
#include "trace.h"

static const char synopsis[] = "audit DB (--id ID | --rule RULE_ID) [--trace]";
static const char options[] =
    "options:\n"
    "  -i, --id ID         the history of the case whose key is ID\n"
    "  -r, --rule RULE_ID  the decisions in which rule RULE_ID fired\n"
    "  -t, --trace         include each decision's trace\n"
    "  -h, --help          show this help\n";

static void put_text(ob_buf *out, const char *key, sqlite3_stmt *st, int col)
{
    ob_str(out, ",\"");
    ob_str(out, key);
    ob_str(out, "\":");
    const unsigned char *t = sqlite3_column_text(st, col);
    if (t)
        ob_json_string(out, (const char *)t, (size_t)sqlite3_column_bytes(st, col));
    else
        ob_str(out, "null");
}

/* A column that holds JSON, written as JSON. */
static void put_json(ob_buf *out, const char *key, sqlite3_stmt *st, int col)
{
    ob_str(out, ",\"");
    ob_str(out, key);
    ob_str(out, "\":");
    const unsigned char *t = sqlite3_column_text(st, col);
    if (t)
        tr_put(out, (const char *)t, (size_t)sqlite3_column_bytes(st, col));
    else
        ob_str(out, "null");
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

int cmd_audit(int argc, char **argv)
{
    static const struct option longopts[] = {{"id", required_argument, NULL, 'i'},
                                             {"rule", required_argument, NULL, 'r'},
                                             {"trace", no_argument, NULL, 't'},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    const char *id = NULL, *rule = NULL;
    bool trace = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "i:r:th", longopts, NULL)) != -1) {
        switch (opt) {
        case 'i': id = optarg; break;
        case 'r': rule = optarg; break;
        case 't': trace = true; break;
        case 'h': cli_usage(true, synopsis, options); return EXIT_OK;
        default: cli_usage(false, synopsis, options); return EXIT_USAGE;
        }
    }
    if (argc - optind != 1 || !id == !rule) {
        cli_usage(false, synopsis, options);
        return EXIT_USAGE;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[optind], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "regel: cannot open the decision log '%s': %s\n", argv[optind], sqlite3_errmsg(db));
        sqlite3_close(db);
        return EXIT_USAGE;
    }
    static const char by_case[] =
        "SELECT v.id, v.case_id, v.evaluated_at, v.outcome, v.rules_version, v.ruleset_hash, v.regel_version, "
        "v.run, v.line, v.result, v.trace FROM decision_view v WHERE v.case_id = ?1 ORDER BY v.id";
    static const char by_id[] =
        "SELECT v.id, v.case_id, v.evaluated_at, v.outcome, v.rules_version, v.ruleset_hash, v.regel_version, "
        "v.run, v.line, v.result, v.trace FROM decision_view v WHERE v.id = ?1";
    sqlite3_stmt *st = NULL;
    al_reader *reader = NULL;
    sqlite3_int64 *ids = NULL;
    size_t id_count = 0, next = 0;
    bool ok = sqlite3_prepare_v2(db, id ? by_case : by_id, -1, &st, NULL) == SQLITE_OK &&
              (!trace || (reader = al_reader_new(db)) != NULL) && (!rule || fired_decisions(db, rule, &ids, &id_count));
    if (!ok) {
        fprintf(stderr, "regel: '%s' is not a decision log: %s\n", argv[optind], sqlite3_errmsg(db));
        sqlite3_finalize(st);
        al_reader_free(reader);
        free(ids);
        sqlite3_close(db);
        return EXIT_USAGE;
    }
    if (id)
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    ob_buf out = {0};
    size_t found = 0;
    int rc = SQLITE_DONE;
    bool broken = false;
    for (;;) {
        if (rule) {
            if (next == id_count) {
                rc = SQLITE_DONE;
                break;
            }
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, ids[next++]);
        }
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE && rule)
            continue;
        if (rc != SQLITE_ROW)
            break;
        found++;
        ob_str(&out, "{\"decision\":");
        ob_int(&out, sqlite3_column_int64(st, 0));
        put_text(&out, "case_id", st, 1);
        put_text(&out, "evaluated_at", st, 2);
        put_text(&out, "outcome", st, 3);
        put_text(&out, "rules_version", st, 4);
        put_text(&out, "ruleset_hash", st, 5);
        put_text(&out, "regel_version", st, 6);
        ob_str(&out, ",\"run\":");
        ob_int(&out, sqlite3_column_int64(st, 7));
        ob_str(&out, ",\"line\":");
        ob_int(&out, sqlite3_column_int64(st, 8));
        put_json(&out, "result", st, 9);
        if (trace) {
            ob_str(&out, ",\"trace\":");
            const void *blob = sqlite3_column_blob(st, 10);
            if (!blob)
                ob_str(&out, "null");
            else if (!al_trace_json(reader, sqlite3_column_int64(st, 7), blob, (size_t)sqlite3_column_bytes(st, 10), &out))
                broken = true;
        }
        ob_str(&out, "}\n");
        if (out.len > (1 << 16))
            ob_flush(&out, stdout);
    }
    int status = EXIT_OK;
    if (broken) {
        fprintf(stderr, "regel: '%s' holds a trace that cannot be read\n", argv[optind]);
        status = EXIT_USAGE;
    } else if (rc != SQLITE_DONE) {
        fprintf(stderr, "regel: reading '%s': %s\n", argv[optind], sqlite3_errmsg(db));
        status = EXIT_USAGE;
    } else if (!found) {
        fprintf(stderr, "regel: no decision %s '%s' in the log\n", id ? "of the case" : "in which fired the rule",
                id ? id : rule);
        status = EXIT_REJECTED;
    }
    if (!ob_flush(&out, stdout) || out.failed)
        status = EXIT_USAGE;
    ob_free(&out);
    free(ids);
    al_reader_free(reader);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return status;
}
