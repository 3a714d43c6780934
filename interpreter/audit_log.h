/*
 * The decision log: every line `regel eval --log DB` decides is appended to
 * an SQLite database with the input as given, the result line, its trace, the
 * ruleset hash and rules version, the time of evaluation and the regel
 * version (schema: docs/audit.md). Writes are grouped in transactions of a
 * fixed number of decisions; the database runs in WAL mode, so a crash or a
 * kill loses at most the batch being written and never corrupts the file.
 * `regel audit` and `regel replay` read it back.
 */
#ifndef REGEL_AUDIT_LOG_H
#define REGEL_AUDIT_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "ruleset.h"

#define AL_SCHEMA_VERSION 1

typedef struct al_log al_log;

typedef struct al_run_info {
    const char *regel_version;
    const char *ruleset_path;
    const char *input_name;   /* the file decided, or "-" */
    size_t batch;             /* decisions per transaction */
} al_run_info;

/* Opens the log at `path`, creating it and its schema when missing, and
 * starts a run. NULL with a message in `err` on failure. */
al_log *al_open(const char *path, const ruleset *rs, const al_run_info *info, char *err, size_t err_len);
/* Appends the line just decided: `input` as given, and the result line
 * bt_decide_line wrote into `out` (described by `d`); the trace part of that
 * line, if any, is stored on its own. false on a write error (al_error says). */
bool al_append(al_log *l, size_t line_no, const char *input, size_t input_len, const ob_buf *out, const bt_decision *d);
/* Commits what is pending and closes; false if that failed, with the reason
 * in why[0..why_len) (the writer thread's own, when it was the one to fail). */
bool al_close(al_log *l, char *why, size_t why_len);
const char *al_error(const al_log *l);

/* The two parts the log keeps of a line bt_decide_line wrote into `out`:
 * the result line without its newline and trace (appended to `result`), and
 * the trace array (*trace, *trace_len; NULL when the line has none). */
void al_split(const ob_buf *out, const bt_decision *d, ob_buf *result, const char **trace, size_t *trace_len);

/* Reading compact traces back as JSON: the symbols of each run are loaded
 * from the log the first time a trace of that run is decoded. */
typedef struct al_reader al_reader;
typedef struct sqlite3 sqlite3;
al_reader *al_reader_new(sqlite3 *db);
void al_reader_free(al_reader *r);
/* Appends to `out` the JSON trace of a logged decision of `run`; false when
 * the blob or the run's symbols are broken. */
bool al_trace_json(al_reader *r, int64_t run, const void *blob, size_t len, ob_buf *out);

/* The SQL that creates the schema (also printed into docs/audit.md). */
extern const char al_schema_sql[];

#endif
