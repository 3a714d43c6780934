/*
 * libregel: the regel rule compiler and evaluator as a library.
 *
 * A case system loads a ruleset directory once (regel_ruleset_load), then
 * decides case records, each given as one JSON object in the case format of
 * the ruleset (regel_eval). Every record gets a result: either a decision
 * (the result fields, the rule version that decided it, the rules that
 * fired and, on request, the trace of every rule evaluated) or an error record naming the offending field, exactly as
 * `regel eval` writes them.
 *
 * Conventions:
 * - Every type is opaque and every name starts with regel_ or REGEL_.
 * - Functions that can fail return a regel_status; the library never prints,
 *   never exits and keeps no global state. Rule-file diagnostics go to the
 *   callback given to regel_ruleset_load.
 * - Threads: a loaded ruleset is never modified, so any number of threads may
 *   decide records on one ruleset at the same time, each with its own
 *   session (regel_session_new). A session is used by one thread at a time;
 *   a result is an object of its own, which any thread may read or free.
 *   A ruleset is freed only after every session and result made with it.
 * - Strings returned by the library are UTF-8 and NUL-terminated, owned by
 *   the object they came from, and valid until that object is freed.
 */
#ifndef REGEL_H
#define REGEL_H

#include <stddef.h>
#include <stdint.h>

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
    REGEL_ERROR_KIND      /* a value was asked for as a kind it is not */
} regel_status;

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

/* ---- Deciding records */

/* A session decides records one after another; it keeps its parser and
 * memory from record to record. One session per thread. */
REGEL_API regel_status regel_session_new(const regel_ruleset *rs, regel_session **out);
REGEL_API void regel_session_free(regel_session *s);
/* Whether the session's results carry the trace of the rules evaluated, as
 * `regel eval --trace` writes it (off by default: it costs time). */
REGEL_API regel_status regel_session_set_trace(regel_session *s, int on);

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
