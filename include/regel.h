/*
 * libregel: the regel rule compiler and evaluator as a library.
 *
 * A case system loads a ruleset directory once (regel_ruleset_load), then
 * decides case records, each given as one JSON object in the case format of
 * the ruleset (regel_eval), or whole JSON Lines streams (regel_eval_stream).
 * The `regel` command is a client of this header and nothing else: every
 * command (check, eval, test, diff, explain, version, audit, replay, fmt) is
 * an entry point below. Every record gets a result: either a decision
 * (the result fields, the rule version that decided it, the rules that
 * fired and, on request, the trace of every rule evaluated) or an error
 * record naming the offending field, exactly as `regel eval` writes them.
 *
 * Conventions:
 * - Every object type is opaque (structs of options and statistics are plain
 *   data) and every name starts with regel_ or REGEL_.
 * - Functions that can fail return a regel_status; the library never exits,
 *   keeps no global state and writes only to the FILE *s and callbacks it is
 *   given. Rule-file diagnostics go to the callback given to
 *   regel_ruleset_load; messages about a run to a regel_message_fn.
 * - Threads: a loaded ruleset is never modified, so any number of threads may
 *   decide records on one ruleset at the same time, each with its own
 *   session (regel_session_new). A session is used by one thread at a time;
 *   a result is an object of its own, which any thread may read or free.
 *   A ruleset is freed only after every session and result made with it.
 *   The stream functions (regel_eval_stream and the others after it) make
 *   their own sessions, so they too may run on one ruleset from many threads;
 *   a regel_log and a regel_replay are used by one thread at a time.
 * - Structs of options start with a size field, set by their _INIT macro:
 *   a later version of the library that adds fields at the end still takes
 *   an older caller's struct, and gives the fields it lacks their defaults.
 * - Strings returned by the library are UTF-8 and NUL-terminated, owned by
 *   the object they came from, and valid until that object is freed.
 */
#ifndef REGEL_H
#define REGEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define REGEL_API __attribute__((visibility("default")))
#else
#define REGEL_API
#endif

typedef struct regel_ruleset regel_ruleset;
typedef struct regel_session regel_session;
typedef struct regel_result regel_result;
typedef struct regel_value regel_value;
typedef struct regel_diagnostic regel_diagnostic;

typedef enum regel_status {
    REGEL_OK = 0,
    REGEL_ERROR_ARGUMENT, /* a NULL object or output pointer, or a record too long to handle */
    REGEL_ERROR_MEMORY,   /* memory ran out; nothing was returned and nothing leaked */
    REGEL_ERROR_RULESET,  /* the ruleset cannot be read or has errors (see the diagnostics) */
    REGEL_ERROR_KIND,     /* a value was asked for as a kind it is not */
    REGEL_ERROR_IO,       /* an input could not be read or an output could not be written */
    REGEL_ERROR_NOT_FOUND, /* no rule version is in force on the date asked for */
    REGEL_ERROR_LOG       /* a decision log cannot be opened, read or written (see the message) */
} regel_status;

/* Called with a message about a run rather than about a rule file: an input
 * that cannot be read, a decision log that cannot be written. One English
 * sentence without a newline, living only during the call. Functions that
 * take one say which messages they pass; with none (NULL), the status alone
 * tells what went wrong. */
typedef void (*regel_message_fn)(void *context, const char *message);

/* Frees what a regel_ function handed over as the caller's (regel_format's text). */
REGEL_API void regel_free(void *p);

/* The library's version, "MAJOR.MINOR.PATCH". */
REGEL_API const char *regel_version(void);
/* A short English description of a status, never NULL. */
REGEL_API const char *regel_status_message(regel_status status);

/* ---- Diagnostics of rule files */

typedef enum regel_severity { REGEL_SEVERITY_ERROR, REGEL_SEVERITY_WARNING, REGEL_SEVERITY_NOTE } regel_severity;

/* Called once per diagnostic while a ruleset loads. `d` lives only during the call. */
typedef void (*regel_diagnostic_fn)(void *context, const regel_diagnostic *d);

REGEL_API regel_severity regel_diagnostic_severity(const regel_diagnostic *d);
/* The rule file, or NULL for a message about no particular file (a directory that cannot be read). */
REGEL_API const char *regel_diagnostic_path(const regel_diagnostic *d);
/* 1-based line and column (in characters, not bytes); 0 when the diagnostic names no file. */
REGEL_API unsigned regel_diagnostic_line(const regel_diagnostic *d);
REGEL_API unsigned regel_diagnostic_column(const regel_diagnostic *d);
REGEL_API const char *regel_diagnostic_message(const regel_diagnostic *d);
/* A suggestion ("did you mean 'andning'?"), or NULL. */
REGEL_API const char *regel_diagnostic_hint(const regel_diagnostic *d);
/* The diagnostic as `regel check` prints it: `path:line:col: error: message`,
 * the source line with a caret under the span, then any note and hint. Writes
 * at most `size` bytes including the NUL, like snprintf, and returns the
 * length of the whole text (0 when memory ran out). */
REGEL_API size_t regel_diagnostic_format(const regel_diagnostic *d, char *buffer, size_t size);

/* regel_diagnostic_write: as text (regel_diagnostic_format's, in ANSI colours
 * with REGEL_WRITE_COLOUR) or as one JSON object a line, the
 * `--diagnostics=json` format of docs/regel.1 (REGEL_WRITE_JSON). */
enum { REGEL_WRITE_COLOUR = 1, REGEL_WRITE_JSON = 2 };
REGEL_API regel_status regel_diagnostic_write(const regel_diagnostic *d, FILE *out, unsigned flags);
/* Writes a remark about a run, not about a place in a file, as a JSON
 * diagnostic of severity "note" with no file: what `--diagnostics=json` puts
 * among the diagnostics for "3 more error(s) not shown". */
REGEL_API regel_status regel_note_write_json(FILE *out, const char *message);

/* How many diagnostics a load (or regel_format, regel_test_run) reported:
 * distinct errors and warnings (one reported by several versions counts
 * once), and the errors past max_errors that were counted but not passed on. */
typedef struct regel_diagnostic_counts {
    unsigned errors, warnings, dropped;
} regel_diagnostic_counts;

/* ---- Rulesets */

/* Reads, compiles and checks every rule file of a ruleset directory (or one
 * rule file). Each diagnostic, warnings included, is passed to `on_diagnostic`
 * (which may be NULL). REGEL_ERROR_RULESET when any error was reported. */
REGEL_API regel_status regel_ruleset_load(const char *path, regel_diagnostic_fn on_diagnostic, void *context,
                                          regel_ruleset **out);
REGEL_API void regel_ruleset_free(regel_ruleset *rs);
/* The rule versions, oldest first: effective date ("2023-01-01") and rule file. */
REGEL_API size_t regel_ruleset_version_count(const regel_ruleset *rs);
REGEL_API const char *regel_ruleset_version_date(const regel_ruleset *rs, size_t index);
REGEL_API const char *regel_ruleset_version_path(const regel_ruleset *rs, size_t index);

/* The most a record may nest (regel_limits.max_depth) and a rule file's
 * expressions (regel_load_options.max_nesting). */
enum { REGEL_MAX_DEPTH_CAP = 1024, REGEL_MAX_NESTING_CAP = 1024 };

/* Options of regel_ruleset_load_with. Start from REGEL_LOAD_OPTIONS_INIT: the
 * size field lets later versions add fields without breaking callers. */
typedef struct regel_load_options {
    size_t size;                       /* sizeof (regel_load_options) */
    regel_diagnostic_fn on_diagnostic; /* every diagnostic, warnings included; may be NULL */
    void *context;                     /* passed to on_diagnostic */
    unsigned max_errors;               /* pass on at most this many errors, count the rest (0: all) */
    unsigned max_nesting;              /* nesting of expressions in a rule file; a deeper file is an
                                        * error (0: 256; at most REGEL_MAX_NESTING_CAP) */
} regel_load_options;
#define REGEL_LOAD_OPTIONS_INIT {sizeof(regel_load_options), NULL, NULL, 0, 0}

/* regel_ruleset_load with options; `counts` (may be NULL) receives the
 * diagnostic counts whether or not the ruleset loaded, for a summary line.
 * REGEL_ERROR_ARGUMENT for a max_nesting past the cap. */
REGEL_API regel_status regel_ruleset_load_with(const char *path, const regel_load_options *options,
                                               regel_diagnostic_counts *counts, regel_ruleset **out);
/* The path the ruleset was loaded from, as given. */
REGEL_API const char *regel_ruleset_path(const regel_ruleset *rs);
/* A version's hash over the rule files in force for it ("sha256:" and 64 hex
 * digits): what its results carry as the ruleset hash. */
REGEL_API const char *regel_ruleset_version_hash(const regel_ruleset *rs, size_t index);
/* The rules of a version, as `regel check` counts them. */
REGEL_API size_t regel_ruleset_version_rule_count(const regel_ruleset *rs, size_t index);
/* The rule files in force for a version, oldest first: the files it amends,
 * then its own (the last). Paths from the repository root (the directory
 * holding .git), or as given outside one, as traces name them. */
REGEL_API size_t regel_ruleset_version_file_count(const regel_ruleset *rs, size_t index);
REGEL_API const char *regel_ruleset_version_file(const regel_ruleset *rs, size_t index, size_t file);
/* The version in force on `date` ("YYYY-MM-DD"): REGEL_ERROR_ARGUMENT when it
 * is not a date, REGEL_ERROR_NOT_FOUND when it is before the oldest version. */
REGEL_API regel_status regel_ruleset_version_at(const regel_ruleset *rs, const char *date, size_t *index);

/* ---- Deciding records */

/* A session decides records one after another; it keeps its parser and
 * memory from record to record. One session per thread. */
REGEL_API regel_status regel_session_new(const regel_ruleset *rs, regel_session **out);
REGEL_API void regel_session_free(regel_session *s);
/* Whether the session's results carry the trace of the rules evaluated, as
 * `regel eval --trace` writes it (off by default: it costs time). */
REGEL_API regel_status regel_session_set_trace(regel_session *s, int on);

/* Limits that keep a hostile record from costing much: a record past one
 * gets an error record, and the session goes on. Zero keeps a default. */
typedef struct regel_limits {
    size_t max_record_bytes;  /* bytes of one record (default 16777216) */
    size_t max_depth;         /* nesting of a JSON record (default 64, at most REGEL_MAX_DEPTH_CAP) */
    uint64_t max_steps;       /* evaluation steps per record (default 100000000): rules tried,
                                 consts and checks evaluated, items aggregates visit */
} regel_limits;
/* Sets the session's limits; REGEL_ERROR_ARGUMENT for a max_depth past the cap. */
REGEL_API regel_status regel_session_set_limits(regel_session *s, const regel_limits *limits);

/* Decides one record: `json` holds `length` bytes of one JSON object (it need
 * not be NUL-terminated and may span lines). REGEL_OK whenever a result was
 * made, whether a decision or an error record; the result belongs to the
 * caller (regel_result_free) and does not depend on the session. */
REGEL_API regel_status regel_eval(regel_session *s, const char *json, size_t length, regel_result **out);

/* ---- Results */

typedef enum regel_outcome {
    REGEL_DECIDED, /* the rules decided the record */
    REGEL_REJECTED /* an error record: the record was invalid or no rule could decide it */
} regel_outcome;

REGEL_API regel_outcome regel_result_outcome(const regel_result *r);
/* The result as one line of JSON, without the newline: byte for byte what
 * `regel eval` writes for the same record. */
REGEL_API const char *regel_result_line(const regel_result *r, size_t *length);
/* The result line as a JSON object, for walking every field. */
REGEL_API const regel_value *regel_result_object(const regel_result *r);
/* A field of the result by the name the ruleset's output declaration gives
 * it, or NULL when the result has no such field. */
REGEL_API const regel_value *regel_result_field(const regel_result *r, const char *name);
/* The record's key (its id), or NULL when the record had none that was a string. */
REGEL_API const char *regel_result_key(const regel_result *r);
/* The effective date of the rule version that decided it; NULL for an error record. */
REGEL_API const char *regel_result_rules_version(const regel_result *r);
/* The rules that fired, in the order they completed; none for an error record. */
REGEL_API size_t regel_result_fired_count(const regel_result *r);
REGEL_API const char *regel_result_fired(const regel_result *r, size_t index);
/* The hash of the rule files that decided the record ("sha256:" and 64 hex
 * digits), as `regel version` lists them; NULL when no rule version read it. */
REGEL_API const char *regel_result_ruleset_hash(const regel_result *r);
/* With regel_session_set_trace: one entry per rule evaluated, in evaluation
 * order (docs/trace-schema.json); NULL without a trace or for an error record. */
REGEL_API const regel_value *regel_result_trace(const regel_result *r);
/* For an error record: the field at fault (NULL when the whole record is) and the message. */
REGEL_API const char *regel_result_error_field(const regel_result *r);
REGEL_API const char *regel_result_error_message(const regel_result *r);
REGEL_API void regel_result_free(regel_result *r);

/* ---- Values of a result */

typedef enum regel_kind {
    REGEL_NULL, REGEL_BOOL, REGEL_NUMBER, REGEL_STRING, REGEL_ARRAY, REGEL_OBJECT
} regel_kind;

REGEL_API regel_kind regel_value_kind(const regel_value *v);
/* REGEL_ERROR_KIND unless the value is a boolean. */
REGEL_API regel_status regel_value_bool(const regel_value *v, int *out);
/* REGEL_ERROR_KIND unless the value is a number without a fraction that fits
 * in 64 bits. Durations are whole minutes, so they always fit. */
REGEL_API regel_status regel_value_int(const regel_value *v, int64_t *out);
/* A string's text, or a number exactly as written ("2.5"); NULL for other
 * kinds. `length` (may be NULL) receives the length in bytes, since a string
 * may hold a NUL. */
REGEL_API const char *regel_value_text(const regel_value *v, size_t *length);
/* Items of an array, members of an object; 0 for other kinds. */
REGEL_API size_t regel_value_count(const regel_value *v);
REGEL_API const regel_value *regel_value_item(const regel_value *v, size_t index);
/* An object's member name at `index` (the value is regel_value_item). */
REGEL_API const char *regel_value_key(const regel_value *v, size_t index);
/* An object's member by name, or NULL. */
REGEL_API const regel_value *regel_value_member(const regel_value *v, const char *name);

/* ---- Streams of records
 *
 * What the `regel` command does, for callers that have whole files or pipes
 * of JSON Lines records. Each call makes its own sessions, so any number of
 * calls may run at the same time on one ruleset (a regel_log is used by one
 * call at a time). Results go to the FILE * given, never elsewhere; an
 * input FILE * is read from its current position to its end.
 */

/* The number of processors this process may run on (at least 1): the
 * command line's default for regel_eval_options.jobs. */
REGEL_API unsigned regel_default_jobs(void);

typedef struct regel_log regel_log;

enum { REGEL_EVAL_TRACE = 1 }; /* regel_eval_options.flags: results carry their trace */

/* Options of regel_eval_stream; start from REGEL_EVAL_OPTIONS_INIT. */
typedef struct regel_eval_options {
    size_t size;                  /* sizeof (regel_eval_options) */
    unsigned flags;               /* REGEL_EVAL_TRACE */
    unsigned jobs;                /* decide on this many worker threads (0 or 1: on the calling
                                   * thread); the output is the same for any number */
    regel_limits limits;
    regel_log *log;               /* append every decision to this log (then on one thread); may be NULL */
    regel_message_fn on_message;  /* why reading the input or writing the log failed; may be NULL */
    void *context;
} regel_eval_options;
#define REGEL_EVAL_OPTIONS_INIT {sizeof(regel_eval_options), 0, 0, {0, 0, 0}, NULL, NULL, NULL}

typedef struct regel_eval_stats {
    uint64_t lines;   /* input lines read, blank ones included */
    int rejected;     /* some record got an error record */
} regel_eval_stats;

/* Decides every JSON Lines record of `in` and writes one result line per
 * line that is not blank to `out`, in input order, byte for byte as `regel
 * eval` does; then flushes `out`. The input is read with read(2) on its file
 * descriptor when it has one, so that records from a pipe are decided as they
 * come (do not read from `in` with stdio before), and with fread otherwise.
 * Memory stays bounded however long the input. REGEL_OK when every line got
 * its result (`stats`, which may be NULL, says whether any was an error
 * record); REGEL_ERROR_IO when reading or writing failed, REGEL_ERROR_LOG when
 * the log could not be written, REGEL_ERROR_MEMORY. */
REGEL_API regel_status regel_eval_stream(const regel_ruleset *rs, FILE *in, FILE *out,
                                         const regel_eval_options *options, regel_eval_stats *stats);

/* ---- The decision log (docs/audit.md): an SQLite database of decisions */

/* Options of regel_log_open: what the run records about itself. */
typedef struct regel_log_options {
    size_t size;               /* sizeof (regel_log_options) */
    const char *ruleset_path;  /* the ruleset as the user named it */
    const char *input_name;    /* the file decided, or "-" */
    size_t batch;              /* decisions per transaction (0: 4096) */
} regel_log_options;
#define REGEL_LOG_OPTIONS_INIT {sizeof(regel_log_options), NULL, NULL, 0}

/* Opens the log at `path` (creating it and its schema when missing) and starts
 * a run of `rs`, which must outlive the log. REGEL_ERROR_LOG, with a message,
 * when it cannot be opened. */
REGEL_API regel_status regel_log_open(const char *path, const regel_ruleset *rs, const regel_log_options *options,
                                      regel_message_fn on_message, void *context, regel_log **out);
/* Commits what is pending and frees the log, also when that failed
 * (REGEL_ERROR_LOG, with the reason sent to the on_message given to
 * regel_log_open). */
REGEL_API regel_status regel_log_close(regel_log *log);

enum { REGEL_AUDIT_TRACE = 1 }; /* regel_audit_options.flags: include each decision's trace */
typedef enum regel_audit_by {
    REGEL_AUDIT_CASE, /* the history of the case whose key is `key`, oldest first */
    REGEL_AUDIT_RULE  /* every decision in which the rule named `key` fired */
} regel_audit_by;

typedef struct regel_audit_options {
    size_t size;                  /* sizeof (regel_audit_options) */
    regel_audit_by by;
    const char *key;
    unsigned flags;               /* REGEL_AUDIT_TRACE */
    regel_message_fn on_message;  /* why the log cannot be read */
    void *context;
} regel_audit_options;
#define REGEL_AUDIT_OPTIONS_INIT {sizeof(regel_audit_options), REGEL_AUDIT_CASE, NULL, 0, NULL, NULL}

/* Writes the logged decisions asked for to `out`, one JSON line each, as
 * `regel audit` does; `found` (may be NULL) receives how many. REGEL_OK also
 * when none was found; REGEL_ERROR_LOG when the log cannot be read. */
REGEL_API regel_status regel_audit(const char *db_path, const regel_audit_options *options, FILE *out, size_t *found);

/* Replaying a log: opened first, so that a file that is no decision log is
 * told before any ruleset is loaded for it. */
typedef struct regel_replay regel_replay;
typedef struct regel_replay_stats {
    size_t replayed, differ;
    size_t unkept;                /* logged lines too long to keep, not replayed */
} regel_replay_stats;
/* REGEL_ERROR_LOG, with a message, when `db_path` is no decision log. */
REGEL_API regel_status regel_replay_open(const char *db_path, regel_message_fn on_message, void *context,
                                         regel_replay **out);
/* Re-decides every logged record with `rs` and writes to `out`, as `regel
 * replay` does, a report of each decision whose result or trace differs, then
 * a summary. */
REGEL_API regel_status regel_replay_run(regel_replay *r, const regel_ruleset *rs, FILE *out, regel_replay_stats *stats);
REGEL_API void regel_replay_free(regel_replay *r);

/* ---- Explanations, comparisons, rule tests, formatting */

typedef struct regel_explain_options {
    size_t size;                  /* sizeof (regel_explain_options) */
    const char *lang;             /* "sv" (also when NULL) or "en" */
    const char *key;              /* explain only the record with this key; NULL: every record */
} regel_explain_options;
#define REGEL_EXPLAIN_OPTIONS_INIT {sizeof(regel_explain_options), NULL, NULL}
typedef struct regel_explain_stats {
    size_t explained;             /* records explained (those with the key, when one was given) */
    int rejected;                 /* some of them could not be decided */
} regel_explain_stats;
/* Writes to `out` the decision on each record of `in` in words, with its
 * grounds, as `regel explain` does. REGEL_ERROR_ARGUMENT for another language. */
REGEL_API regel_status regel_explain_stream(const regel_ruleset *rs, FILE *in, FILE *out,
                                            const regel_explain_options *options, regel_explain_stats *stats);

typedef struct regel_diff_options {
    size_t size;                  /* sizeof (regel_diff_options) */
    const char *as_of_old;        /* decide every record on the old side under the version in force on this date */
    const char *as_of_new;        /* the same for the new side */
    regel_message_fn on_message;  /* why the input could not be read */
    void *context;
} regel_diff_options;
#define REGEL_DIFF_OPTIONS_INIT {sizeof(regel_diff_options), NULL, NULL, NULL, NULL}
typedef struct regel_diff_stats {
    size_t compared, changed;
} regel_diff_stats;
/* Decides every record of `in` under both rulesets (they may be the same, with
 * two dates) and writes one JSON line per record whose result differs to
 * `out`, then the summary to `summary` (may be NULL), as `regel diff` does.
 * REGEL_ERROR_ARGUMENT or REGEL_ERROR_NOT_FOUND for an as-of date that is no
 * date or has no version in force (regel_ruleset_version_at tells which). */
REGEL_API regel_status regel_diff_stream(const regel_ruleset *old_rules, const regel_ruleset *new_rules, FILE *in,
                                         FILE *out, FILE *summary, const regel_diff_options *options,
                                         regel_diff_stats *stats);

enum { REGEL_TEST_COVERAGE = 1, REGEL_TEST_VERBOSE = 2 }; /* regel_test_options.flags */
typedef struct regel_test_options {
    size_t size;                       /* sizeof (regel_test_options) */
    unsigned flags;                    /* REGEL_TEST_COVERAGE: report what the tests exercised;
                                        * REGEL_TEST_VERBOSE: list the cases that passed too */
    const char *const *files;          /* test files to run; none: every NAME.regeltest of the directory */
    size_t file_count;
    regel_diagnostic_fn on_diagnostic; /* mistakes in the test files */
    void *context;
    unsigned max_errors;               /* as in regel_load_options */
} regel_test_options;
#define REGEL_TEST_OPTIONS_INIT {sizeof(regel_test_options), 0, NULL, 0, NULL, NULL, 0}
typedef struct regel_test_totals {
    size_t passed, failed;
    unsigned file_errors;              /* errors in the test files: then nothing ran */
} regel_test_totals;
/* Runs the rule tests of `rs` (docs/testing-rules.md) found in `dir` (NULL:
 * the ruleset's tests/ directory) and writes the report to `out`, as `regel
 * test` does. REGEL_OK when the tests ran, passed or not (see `totals`);
 * REGEL_ERROR_RULESET when a test file has errors. */
REGEL_API regel_status regel_test_run(const regel_ruleset *rs, const char *dir, const regel_test_options *options,
                                      FILE *out, regel_test_totals *totals);

/* Lays out the rule file text[0..length) (named `name` in diagnostics) in the
 * canonical layout of `regel fmt`; `*out` (freed with regel_free) receives
 * the new text and `*out_length` its length. Only on_diagnostic, context and
 * max_errors of `options` (may be NULL) apply. REGEL_ERROR_RULESET when the
 * text does not parse (or, a bug, when its layout would change its tokens). */
REGEL_API regel_status regel_format(const char *name, const char *text, size_t length,
                                    const regel_load_options *options, regel_diagnostic_counts *counts, char **out,
                                    size_t *out_length);

/*
 * With jansson: include <jansson.h> before this header and records can be
 * given as jansson objects. The record is serialised with json_dumpb and
 * decided as text, so it is read by exactly the same rules (a real 60.0 is
 * not the integer 60). Defined here, inline, so that libregel itself does not
 * depend on jansson.
 */
#if defined(JANSSON_H) && !defined(REGEL_NO_JANSSON)
#include <stdlib.h>
static inline regel_status regel_eval_jansson(regel_session *s, const json_t *record, regel_result **out)
{
    if (!out)
        return REGEL_ERROR_ARGUMENT;
    *out = NULL;
    if (!record)
        return REGEL_ERROR_ARGUMENT;
    size_t size = json_dumpb(record, NULL, 0, JSON_COMPACT);
    if (size == 0)
        return REGEL_ERROR_ARGUMENT;
    char *text = (char *)malloc(size);
    if (!text)
        return REGEL_ERROR_MEMORY;
    size_t written = json_dumpb(record, text, size, JSON_COMPACT);
    regel_status st = written == size ? regel_eval(s, text, size, out) : REGEL_ERROR_ARGUMENT;
    free(text);
    return st;
}
#endif

#ifdef __cplusplus
}
#endif

#endif
