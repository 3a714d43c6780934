/*
 * The decision log (audit_log.h) on SQLite. One run row per `regel eval
 * --log`, one decision row per result line. Rule ids and ruleset versions
 * are stored once and referred to by number, and traces in their compact
 * form (trace.h) with the symbols of each run stored beside them, which keeps
 * a decision's row to about the size of its input and result. "Every
 * decision in which rule X fired" is a bitmap per rule and batch (fired):
 * one row per rule and batch instead of one per rule and decision, which is
 * what lets the log keep up with the evaluator.
 *
 * The evaluating thread fills a batch in memory; a writer thread inserts it
 * in one transaction while the next batch is being filled. A batch is
 * committed whole or, after a crash, not at all (WAL journal).
 */
#include "audit_log.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "trace.h"

const char al_schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta (\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE IF NOT EXISTS run (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  started_at TEXT NOT NULL,          -- UTC, ISO 8601\n"
    "  regel_version TEXT NOT NULL,\n"
    "  ruleset_path TEXT NOT NULL,        -- as given on the command line\n"
    "  input TEXT NOT NULL,               -- the file decided, or -\n"
    "  batch_size INTEGER NOT NULL\n"
    ");\n"
    "CREATE TABLE IF NOT EXISTS ruleset (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  hash TEXT NOT NULL UNIQUE,         -- sha256:... over the rule files in force\n"
    "  rules_version TEXT NOT NULL,       -- effective date of the version\n"
    "  files TEXT NOT NULL                -- the files hashed, oldest first, space-separated\n"
    ");\n"
    "CREATE TABLE IF NOT EXISTS rule (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE          -- the rule id of the rule files\n"
    ");\n"
    "CREATE TABLE IF NOT EXISTS decision (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  run INTEGER NOT NULL REFERENCES run(id),\n"
    "  batch INTEGER NOT NULL,            -- transaction number within the run, from 1\n"
    "  line INTEGER NOT NULL,             -- line number in the input, from 1\n"
    "  case_id TEXT,                      -- the record's key, NULL when it had none\n"
    "  version_date TEXT,                -- the date that picked the version, when readable\n"
    "  evaluated_at TEXT NOT NULL,        -- UTC, ISO 8601 with milliseconds\n"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('decided', 'rejected')),\n"
    "  ruleset INTEGER REFERENCES ruleset(id), -- the version that read the record\n"
    "  input TEXT NOT NULL,               -- the input line as given\n"
    "  result TEXT NOT NULL,              -- the result (or error) line, without its trace\n"
    "  trace BLOB                         -- the compact trace (docs/audit.md); NULL for errors\n"
    ");\n"
    "CREATE INDEX IF NOT EXISTS decision_by_case ON decision(case_id);\n"
    "CREATE INDEX IF NOT EXISTS decision_by_date ON decision(version_date);\n"
    "CREATE TABLE IF NOT EXISTS fired (\n"
    "  rule INTEGER NOT NULL REFERENCES rule(id),\n"
    "  first_decision INTEGER NOT NULL,   -- the first decision of a batch\n"
    "  bits BLOB NOT NULL,                -- bit i (byte i/8, bit i%8): the rule fired in decision first_decision+i\n"
    "  PRIMARY KEY (rule, first_decision)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS trace_symbol (\n"
    "  run INTEGER NOT NULL REFERENCES run(id),\n"
    "  id INTEGER NOT NULL,               -- the number a compact trace of this run uses\n"
    "  text TEXT NOT NULL,                -- the JSON it stands for\n"
    "  PRIMARY KEY (run, id)\n"
    ") WITHOUT ROWID;\n"    "CREATE VIEW IF NOT EXISTS decision_view AS\n"
    "  SELECT d.id, d.case_id, d.version_date, d.evaluated_at, d.outcome, s.rules_version,\n"
    "         s.hash AS ruleset_hash, r.regel_version, d.run, d.batch, d.line, d.input, d.result, d.trace\n"
    "  FROM decision d JOIN run r ON r.id = d.run LEFT JOIN ruleset s ON s.id = d.ruleset;\n";


/* One decision of a batch; its texts are in the batch's byte buffer. */
typedef struct al_rec {
    size_t line_no;
    size_t input, input_len, result, result_len, trace, trace_len, id, id_len, at;
    long version;                 /* index into rs->versions, or -1 */
    bool decided, has_id, has_day;
    int32_t day;
} al_rec;

typedef struct al_batch {
    ob_buf bytes;
    al_rec *recs;
    size_t count;
    unsigned char *fired;         /* rule slot k: bytes [k * fired_stride, (k + 1) * fired_stride) */
    size_t sym_from, sym_to;      /* the run's symbols first used in this batch */
    size_t sym_texts;             /* where their texts start in `bytes`, NUL-separated */
} al_batch;

struct al_log {
    sqlite3 *db;
    sqlite3_stmt *insert_decision, *insert_fired, *insert_symbol, *max_id;
    const ruleset *rs;
    sqlite3_int64 run;
    sqlite3_int64 *version_ids;   /* per version of rs: its ruleset row */
    size_t **rule_slot;           /* per version, per rule index: a dense slot per rule name */
    sqlite3_int64 *slot_rule_id;  /* per slot: its rule row */
    size_t slot_count, fired_stride;
    size_t batch, batch_no;
    tr_symbols *symbols;
    size_t symbols_stored;        /* symbols handed to a batch so far */
    al_batch batches[2];
    al_batch *filling;            /* the evaluating thread's */
    /* The writer thread and its hand-over. */
    pthread_t writer;
    bool writer_started;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    al_batch *to_write;           /* handed over and not yet written */
    bool closing;
    bool write_failed;
    time_t clock_second;          /* the second `clock_text` was made for */
    char clock_text[32];
    char error[256];
};

static bool failed(al_log *l, const char *what)
{
    snprintf(l->error, sizeof l->error, "%s: %s", what, sqlite3_errmsg(l->db));
    return false;
}

static bool exec(al_log *l, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(l->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return true;
    snprintf(l->error, sizeof l->error, "%s", msg ? msg : sqlite3_errmsg(l->db));
    sqlite3_free(msg);
    return false;
}

/* The current time as 2026-11-24T08:06:54.123Z; formatting only once a second. */
static const char *now_text(al_log *l)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != l->clock_second) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        strftime(l->clock_text, sizeof l->clock_text, "%Y-%m-%dT%H:%M:%S", &tm);
        l->clock_second = ts.tv_sec;
    }
    snprintf(l->clock_text + 19, sizeof l->clock_text - 19, ".%03dZ", (int)(ts.tv_nsec / 1000000 % 1000));
    return l->clock_text;
}

static sqlite3_int64 row_id(al_log *l, sqlite3_stmt *find, sqlite3_stmt *add, const char *key, const char *a, const char *b)
{
    sqlite3_reset(find);
    sqlite3_bind_text(find, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(find) == SQLITE_ROW)
        return sqlite3_column_int64(find, 0);
    sqlite3_reset(add);
    sqlite3_bind_text(add, 1, key, -1, SQLITE_STATIC);
    if (a)
        sqlite3_bind_text(add, 2, a, -1, SQLITE_STATIC);
    if (b)
        sqlite3_bind_text(add, 3, b, -1, SQLITE_STATIC);
    if (sqlite3_step(add) != SQLITE_DONE)
        return -1;
    return sqlite3_last_insert_rowid(l->db);
}

/* The ruleset and rule rows of every version, made once per run, and a
 * dense numbering of the rule names for the batches' bitmaps. */

/* The files a version's hash covers, oldest first, separated by spaces (as
 * the set's `files` column holds them); NULL when memory runs out. */
static char *version_files(const ruleset *rs, const rs_version *v)
{
    size_t len = 1; /* the NUL, each path, and a space before all but the newest */
    for (const rs_version *p = v; p; p = p->base)
        len += strlen(rs_rel_path(rs, p->file->src)) + (p != v);
    char *files = malloc(len);
    if (!files)
        return NULL;
    /* Written from the end, as the chain runs from the newest file back. */
    char *at = files + len - 1;
    *at = '\0';
    for (const rs_version *p = v; p; p = p->base) {
        const char *path = rs_rel_path(rs, p->file->src);
        size_t n = strlen(path);
        if (p != v)
            *--at = ' ';
        at -= n;
        memcpy(at, path, n);
    }
    return files;
}

static bool register_rules(al_log *l)
{
    const ruleset *rs = l->rs;
    sqlite3_stmt *find_set = NULL, *add_set = NULL, *find_rule = NULL, *add_rule = NULL;
    bool ok = sqlite3_prepare_v2(l->db, "SELECT id FROM ruleset WHERE hash = ?", -1, &find_set, NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(l->db, "INSERT INTO ruleset(hash, rules_version, files) VALUES (?, ?, ?)", -1, &add_set,
                                 NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(l->db, "SELECT id FROM rule WHERE name = ?", -1, &find_rule, NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(l->db, "INSERT INTO rule(name) VALUES (?)", -1, &add_rule, NULL) == SQLITE_OK;
    size_t total = 0;
    for (size_t i = 0; i < rs->version_count; i++)
        total += rs->versions[i].program->rule_count;
    l->version_ids = calloc(rs->version_count, sizeof *l->version_ids);
    l->rule_slot = calloc(rs->version_count, sizeof *l->rule_slot);
    l->slot_rule_id = calloc(total ? total : 1, sizeof *l->slot_rule_id);
    ok = ok && l->version_ids && l->rule_slot && l->slot_rule_id;
    for (size_t i = 0; ok && i < rs->version_count; i++) {
        const rs_version *v = &rs->versions[i];
        char date[11];
        cal_format(v->date, date);
        char *files = version_files(rs, v);
        ok = files && (l->version_ids[i] = row_id(l, find_set, add_set, v->hash, date, files)) > 0;
        free(files);
        const ir_program *p = v->program;
        l->rule_slot[i] = calloc(p->rule_count ? p->rule_count : 1, sizeof **l->rule_slot);
        ok = ok && l->rule_slot[i];
        for (size_t k = 0; ok && k < p->rule_count; k++) {
            sqlite3_int64 id = row_id(l, find_rule, add_rule, p->rules[k]->decl->name, NULL, NULL);
            ok = id > 0;
            size_t slot = 0;
            while (slot < l->slot_count && l->slot_rule_id[slot] != id)
                slot++;
            if (slot == l->slot_count)
                l->slot_rule_id[l->slot_count++] = id;
            l->rule_slot[i][p->rules[k]->index] = slot;
        }
    }
    if (!ok && !l->error[0])
        failed(l, "cannot record the ruleset");
    sqlite3_finalize(find_set);
    sqlite3_finalize(add_set);
    sqlite3_finalize(find_rule);
    sqlite3_finalize(add_rule);
    return ok;
}

static void batch_clear(al_log *l, al_batch *b)
{
    b->bytes.len = 0;
    b->count = 0;
    if (b->fired)
        memset(b->fired, 0, l->slot_count * l->fired_stride);
}

/* Writes one batch in one transaction. Runs on the writer thread. */
static bool write_batch(al_log *l, al_batch *b)
{
    const char *bytes = b->bytes.data;
    if (!exec(l, "BEGIN IMMEDIATE"))
        return false;
    bool ok = true;
    /* Symbols first: a trace never refers to a symbol that is not stored. */
    const char *text = bytes + b->sym_texts;
    for (size_t id = b->sym_from; ok && id < b->sym_to; id++) {
        sqlite3_stmt *st = l->insert_symbol;
        size_t n = strlen(text);
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, l->run);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)id);
        sqlite3_bind_text(st, 3, text, (int)n, SQLITE_STATIC);
        ok = sqlite3_step(st) == SQLITE_DONE || failed(l, "cannot log a trace symbol");
        text += n + 1;
    }
    sqlite3_reset(l->max_id);
    ok = ok && (sqlite3_step(l->max_id) == SQLITE_ROW || failed(l, "cannot read the decision log"));
    sqlite3_int64 first = ok ? sqlite3_column_int64(l->max_id, 0) + 1 : 0;
    sqlite3_reset(l->max_id);
    l->batch_no++;
    for (size_t i = 0; ok && i < b->count; i++) {
        const al_rec *r = &b->recs[i];
        sqlite3_stmt *st = l->insert_decision;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, first + (sqlite3_int64)i);
        sqlite3_bind_int64(st, 2, l->run);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)l->batch_no);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)r->line_no);
        if (r->has_id)
            sqlite3_bind_text(st, 5, bytes + r->id, (int)r->id_len, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 5);
        char date[11];
        if (r->has_day) {
            cal_format(r->day, date);
            sqlite3_bind_text(st, 6, date, 10, SQLITE_STATIC);
        } else
            sqlite3_bind_null(st, 6);
        sqlite3_bind_text(st, 7, bytes + r->at, 24, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, r->decided ? "decided" : "rejected", -1, SQLITE_STATIC);
        if (r->version >= 0)
            sqlite3_bind_int64(st, 9, l->version_ids[r->version]);
        else
            sqlite3_bind_null(st, 9);
        sqlite3_bind_text(st, 10, bytes + r->input, (int)r->input_len, SQLITE_STATIC);
        sqlite3_bind_text(st, 11, bytes + r->result, (int)r->result_len, SQLITE_STATIC);
        if (r->trace_len)
            sqlite3_bind_blob(st, 12, bytes + r->trace, (int)r->trace_len, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 12);
        ok = sqlite3_step(st) == SQLITE_DONE || failed(l, "cannot log a decision");
    }
    size_t used = (b->count + 7) / 8;
    for (size_t k = 0; ok && k < l->slot_count; k++) {
        const unsigned char *bits = b->fired + k * l->fired_stride;
        bool any = false;
        for (size_t i = 0; i < used && !any; i++)
            any = bits[i] != 0;
        if (!any)
            continue;
        sqlite3_stmt *st = l->insert_fired;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, l->slot_rule_id[k]);
        sqlite3_bind_int64(st, 2, first);
        sqlite3_bind_blob(st, 3, bits, (int)used, SQLITE_STATIC);
        ok = sqlite3_step(st) == SQLITE_DONE || failed(l, "cannot log the fired rules");
    }
    if (ok)
        return exec(l, "COMMIT");
    sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    return false;
}

static void *writer_main(void *arg)
{
    al_log *l = arg;
    pthread_mutex_lock(&l->lock);
    for (;;) {
        while (!l->to_write && !l->closing)
            pthread_cond_wait(&l->changed, &l->lock);
        if (!l->to_write)
            break;
        al_batch *b = l->to_write;
        pthread_mutex_unlock(&l->lock);
        bool ok = !l->write_failed && write_batch(l, b);
        pthread_mutex_lock(&l->lock);
        if (!ok)
            l->write_failed = true;
        l->to_write = NULL;
        pthread_cond_broadcast(&l->changed);
    }
    pthread_mutex_unlock(&l->lock);
    return NULL;
}

/* Hands the filling batch to the writer, once it has finished the one before. */
static bool hand_over(al_log *l)
{
    al_batch *b = l->filling;
    b->sym_to = tr_symbol_count(l->symbols);
    b->sym_texts = b->bytes.len;
    for (size_t id = b->sym_from; id < b->sym_to; id++)
        ob_bytes(&b->bytes, tr_symbol_text(l->symbols, id), strlen(tr_symbol_text(l->symbols, id)) + 1);
    if (b->bytes.failed) {
        snprintf(l->error, sizeof l->error, "out of memory");
        return false;
    }
    pthread_mutex_lock(&l->lock);
    while (l->to_write)
        pthread_cond_wait(&l->changed, &l->lock);
    bool ok = !l->write_failed;
    if (ok) {
        l->to_write = b;
        pthread_cond_broadcast(&l->changed);
    }
    pthread_mutex_unlock(&l->lock);
    if (!ok)
        return false;
    l->filling = b == &l->batches[0] ? &l->batches[1] : &l->batches[0];
    batch_clear(l, l->filling);
    l->filling->sym_from = l->filling->sym_to = b->sym_to;
    return true;
}

al_log *al_open(const char *path, const ruleset *rs, const al_run_info *info, char *err, size_t err_len)
{
    al_log *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    l->rs = rs;
    l->batch = info->batch ? info->batch : 1;
    l->clock_second = -1;
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->changed, NULL);
    bool ok = sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK ||
              failed(l, "cannot open the decision log");
    /* WAL: a commit is one append to the log file, and a torn write at a
     * crash is recognised by its checksum and ignored, so the database
     * always opens at the last whole commit. synchronous=NORMAL skips the
     * fsync per commit: a killed process loses nothing committed, and only
     * a power cut can lose the last batches, never the file. Pages of 16 KiB
     * hold a whole decision each (set before the first table is made); a
     * 64 MiB page cache keeps the indexes' pages in memory between batches
     * instead of reading them back, which halves the system time. The
     * REFERENCES clauses document the schema; the writer makes every row it
     * refers to first, so checking them on each insert would only cost. */
    ok = ok && exec(l, "PRAGMA page_size = 16384; PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;"
                       "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;");
    ok = ok && exec(l, "BEGIN IMMEDIATE") && exec(l, al_schema_sql);
    if (ok) {
        sqlite3_stmt *st = NULL;
        ok = sqlite3_prepare_v2(l->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st, NULL) == SQLITE_OK;
        int found = ok ? sqlite3_step(st) : SQLITE_ERROR;
        if (found == SQLITE_ROW && sqlite3_column_int(st, 0) != AL_SCHEMA_VERSION) {
            snprintf(l->error, sizeof l->error, "the log has schema version %s; this regel writes version %d",
                     (const char *)sqlite3_column_text(st, 0), AL_SCHEMA_VERSION);
            ok = false;
        }
        sqlite3_finalize(st);
        if (ok && found != SQLITE_ROW) {
            char sql[128];
            snprintf(sql, sizeof sql, "INSERT INTO meta VALUES ('schema_version', '%d')", AL_SCHEMA_VERSION);
            ok = exec(l, sql);
        }
    }
    if (ok) {
        sqlite3_stmt *st = NULL;
        ok = sqlite3_prepare_v2(l->db,
                                "INSERT INTO run(started_at, regel_version, ruleset_path, input, batch_size) "
                                "VALUES (?, ?, ?, ?, ?)", -1, &st, NULL) == SQLITE_OK;
        if (ok) {
            sqlite3_bind_text(st, 1, now_text(l), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2, info->regel_version, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, info->ruleset_path, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, info->input_name, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 5, (sqlite3_int64)l->batch);
            ok = sqlite3_step(st) == SQLITE_DONE || failed(l, "cannot start a run");
            l->run = sqlite3_last_insert_rowid(l->db);
        }
        sqlite3_finalize(st);
    }
    ok = ok && register_rules(l);
    ok = ok && exec(l, "COMMIT");
    static const char *const sql[] = {
        "INSERT INTO decision(id, run, batch, line, case_id, version_date, evaluated_at, outcome, ruleset, input, "
        "result, trace) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "INSERT INTO fired(rule, first_decision, bits) VALUES (?, ?, ?)",
        "INSERT INTO trace_symbol(run, id, text) VALUES (?, ?, ?)",
        "SELECT coalesce(max(id), 0) FROM decision",
    };
    sqlite3_stmt **stmts[] = {&l->insert_decision, &l->insert_fired, &l->insert_symbol, &l->max_id};
    for (size_t i = 0; ok && i < 4; i++)
        ok = sqlite3_prepare_v3(l->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, stmts[i], NULL) == SQLITE_OK ||
             failed(l, "cannot prepare");
    l->fired_stride = (l->batch + 7) / 8;
    for (size_t i = 0; ok && i < 2; i++) {
        l->batches[i].recs = calloc(l->batch, sizeof *l->batches[i].recs);
        l->batches[i].fired = calloc(l->slot_count ? l->slot_count : 1, l->fired_stride);
        ok = l->batches[i].recs && l->batches[i].fired;
    }
    l->symbols = ok ? tr_symbols_new(rs) : NULL;
    ok = ok && l->symbols;
    l->filling = &l->batches[0];
    if (ok && pthread_create(&l->writer, NULL, writer_main, l) != 0) {
        snprintf(l->error, sizeof l->error, "cannot start the log's writer thread");
        ok = false;
    }
    l->writer_started = ok;
    if (!ok) {
        snprintf(err, err_len, "%s: %s", path, l->error[0] ? l->error : "cannot open the decision log");
        if (l->db)
            sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        al_close(l, NULL, 0);
        return NULL;
    }
    return l;
}

static const char trace_prefix[] = ",\"trace_schema\":\"" TR_SCHEMA "\",\"trace\":";

void al_split(const ob_buf *out, const bt_decision *d, ob_buf *result, const char **trace, size_t *trace_len)
{
    size_t end = d->line_end;
    if (end > d->line_start && out->data[end - 1] == '\n')
        end--;
    /* A line without a trace (an error record) has its empty trace part at its newline. */
    size_t from = d->trace_start < end ? d->trace_start : end, to = d->trace_end < end ? d->trace_end : end;
    tr_put(result, out->data + d->line_start, from - d->line_start);
    tr_put(result, out->data + to, end - to);
    size_t skip = sizeof trace_prefix - 1;
    *trace = NULL;
    *trace_len = 0;
    if (d->trace_end - d->trace_start > skip) {
        *trace = out->data + d->trace_start + skip;
        *trace_len = d->trace_end - d->trace_start - skip;
    }
}

bool al_append(al_log *l, size_t line_no, const char *input, size_t input_len, const ob_buf *out, const bt_decision *d)
{
    al_batch *b = l->filling;
    ob_buf *bytes = &b->bytes;
    al_rec *r = &b->recs[b->count];
    *r = (al_rec){.line_no = line_no, .decided = d->outcome == BT_DECIDED, .has_id = d->id != NULL,
                  .has_day = d->has_day, .day = d->day, .version = d->version ? d->version - l->rs->versions : -1};
    r->input = bytes->len;
    r->input_len = input_len;
    tr_put(bytes, input, input_len);
    const char *trace;
    size_t trace_len;
    r->result = bytes->len;
    al_split(out, d, bytes, &trace, &trace_len);
    r->result_len = bytes->len - r->result;
    r->id = bytes->len;
    r->id_len = d->id_len;
    if (d->id)
        tr_put(bytes, d->id, d->id_len);
    r->at = bytes->len;
    ob_bytes(bytes, now_text(l), 24);
    r->trace = bytes->len;
    if (r->decided && d->c && d->c->steps) {
        if (!tr_encode(bytes, l->symbols, d->c)) {
            snprintf(l->error, sizeof l->error, "out of memory");
            return false;
        }
    }
    r->trace_len = bytes->len - r->trace;
    if (r->decided && d->c)
        for (size_t i = 0; i < d->c->fired_count; i++) {
            size_t slot = l->rule_slot[r->version][d->c->fired[i]];
            b->fired[slot * l->fired_stride + b->count / 8] |= (unsigned char)(1u << (b->count % 8));
        }
    if (bytes->failed) {
        snprintf(l->error, sizeof l->error, "out of memory");
        return false;
    }
    if (++b->count == l->batch && !hand_over(l)) {
        if (!l->error[0])
            snprintf(l->error, sizeof l->error, "the writer failed");
        return false;
    }
    return true;
}

bool al_close(al_log *l, char *why, size_t why_len)
{
    if (!l)
        return true;
    bool ok = true;
    if (l->writer_started) {
        if (l->filling->count)
            ok = hand_over(l);
        pthread_mutex_lock(&l->lock);
        l->closing = true;
        pthread_cond_broadcast(&l->changed);
        pthread_mutex_unlock(&l->lock);
        pthread_join(l->writer, NULL);
        ok = ok && !l->write_failed;
    }
    sqlite3_finalize(l->insert_decision);
    sqlite3_finalize(l->insert_fired);
    sqlite3_finalize(l->insert_symbol);
    sqlite3_finalize(l->max_id);
    for (size_t i = 0; l->rule_slot && i < l->rs->version_count; i++)
        free(l->rule_slot[i]);
    free(l->rule_slot);
    free(l->slot_rule_id);
    free(l->version_ids);
    for (size_t i = 0; i < 2; i++) {
        ob_free(&l->batches[i].bytes);
        free(l->batches[i].recs);
        free(l->batches[i].fired);
    }
    tr_symbols_free(l->symbols);
    if (!ok && why_len)
        snprintf(why, why_len, "%s", l->error[0] ? l->error : "the log could not be committed");
    if (l->db && sqlite3_close(l->db) != SQLITE_OK) {
        if (ok && why_len)
            snprintf(why, why_len, "cannot close the decision log: %s", sqlite3_errmsg(l->db));
        ok = false;
    }
    pthread_mutex_destroy(&l->lock);
    pthread_cond_destroy(&l->changed);
    free(l);
    return ok;
}

const char *al_error(const al_log *l)
{
    return l->error;
}

/* ---- Reading ---- */

struct al_reader {
    sqlite3 *db;
    sqlite3_stmt *symbols;
    int64_t run;                  /* whose symbols are loaded; 0 none */
    char **texts;
    size_t *lens;
    size_t count;
};

al_reader *al_reader_new(sqlite3 *db)
{
    al_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->db = db;
    if (sqlite3_prepare_v2(db, "SELECT id, text FROM trace_symbol WHERE run = ? ORDER BY id", -1, &r->symbols, NULL) !=
        SQLITE_OK) {
        free(r);
        return NULL;
    }
    return r;
}

static void drop_symbols(al_reader *r)
{
    for (size_t i = 0; i < r->count; i++)
        free(r->texts[i]);
    free(r->texts);
    free(r->lens);
    r->texts = NULL;
    r->lens = NULL;
    r->count = 0;
    r->run = 0;
}

void al_reader_free(al_reader *r)
{
    if (!r)
        return;
    drop_symbols(r);
    sqlite3_finalize(r->symbols);
    free(r);
}

static bool load_symbols(al_reader *r, int64_t run)
{
    drop_symbols(r);
    size_t cap = 0;
    sqlite3_reset(r->symbols);
    sqlite3_bind_int64(r->symbols, 1, run);
    while (sqlite3_step(r->symbols) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(r->symbols, 0);
        if (id != (sqlite3_int64)r->count)
            return false; /* symbols are numbered densely from 0 */
        if (r->count == cap) {
            cap = cap ? cap * 2 : 256;
            char **t = realloc(r->texts, cap * sizeof *t);
            if (t)
                r->texts = t;
            size_t *l = realloc(r->lens, cap * sizeof *l);
            if (l)
                r->lens = l;
            if (!t || !l)
                return false;
        }
        size_t n = (size_t)sqlite3_column_bytes(r->symbols, 1);
        char *text = malloc(n + 1);
        if (!text)
            return false;
        memcpy(text, sqlite3_column_text(r->symbols, 1), n);
        text[n] = '\0';
        r->texts[r->count] = text;
        r->lens[r->count++] = n;
    }
    r->run = run;
    return true;
}

static const char *symbol_text(void *ctx, uint64_t id, size_t *len)
{
    al_reader *r = ctx;
    if (id >= r->count)
        return NULL;
    *len = r->lens[id];
    return r->texts[id];
}

bool al_trace_json(al_reader *r, int64_t run, const void *blob, size_t len, ob_buf *out)
{
    if (run != r->run && !load_symbols(r, run))
        return false;
    return tr_decode(out, blob, len, symbol_text, r);
}
