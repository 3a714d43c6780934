/*
 * The public API (include/regel.h) over the interpreter's modules: the
 * loader compiles a ruleset, a batch session decides one record into exactly
 * the line `regel eval` writes, and the JSON reader reads that line back so
 * that callers can look at single fields. Reading the line back, rather than
 * handing out the evaluator's values, keeps one definition of what a result
 * contains: the library cannot drift from the command line.
 *
 * The output declaration of the ruleset names the key, version, fired and
 * error fields, so the accessors look those names up in the compiled
 * program; no field name of the case format appears here.
 */
#include "regel_api.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "calendar.h"
#include "json_reader.h"
#include "source.h"

/* The header's caps are the modules' own, written out so that the header
 * needs no internal one. */
_Static_assert((int)REGEL_MAX_DEPTH_CAP == (int)JR_DEPTH_CAP, "regel.h's depth cap is the JSON reader's");
_Static_assert((int)REGEL_MAX_NESTING_CAP == (int)SRC_MAX_NESTING_CAP, "regel.h's nesting cap is the source reader's");

#ifndef REGEL_PROJECT_VERSION
#define REGEL_PROJECT_VERSION "0.0.0"
#endif

/* Result lines nest far less than records may. */
enum { RESULT_MAX_DEPTH = 64 };

struct regel_session {
    const regel_ruleset *owner;
    bt_session *batch;
    unsigned flags;            /* bt_session_set's, kept for a new bt_session when the depth changes */
    size_t max_record;         /* a longer record gets an error record */
    jr_reader *reader;         /* reads result lines back into trees */
    ob_buf out;
    char *record;              /* the record copied with JR_PADDING spare bytes */
    size_t record_cap;
};

struct regel_result {
    arena *arena;
    const ir_program *names;
    regel_outcome outcome;
    char *line;
    size_t len;
    const jr_value *object;    /* NULL only if the line could not be read back */
    const jr_value *trace;     /* NULL unless traced */
    const char *hash;          /* NULL unless a rule version read the record */
};

const char *regel_version(void) { return REGEL_PROJECT_VERSION; }

const char *regel_status_message(regel_status status)
{
    switch (status) {
    case REGEL_OK: return "success";
    case REGEL_ERROR_ARGUMENT: return "invalid argument";
    case REGEL_ERROR_MEMORY: return "out of memory";
    case REGEL_ERROR_RULESET: return "the ruleset cannot be loaded";
    case REGEL_ERROR_KIND: return "the value is of another kind";
    case REGEL_ERROR_IO: return "an input cannot be read or an output cannot be written";
    case REGEL_ERROR_NOT_FOUND: return "no rule version is in force on that date";
    case REGEL_ERROR_LOG: return "the decision log cannot be opened, read or written";
    }
    return "unknown status";
}

void regel_free(void *p) { free(p); }

bool api_options(void *into, size_t full, const void *given)
{
    size_t size;
    if (!given)
        return false;
    memcpy(&size, given, sizeof size);
    if (size < sizeof size)
        return false;
    memset(into, 0, full);
    memcpy(into, given, size < full ? size : full);
    return true;
}

void api_message(regel_message_fn fn, void *context, const char *fmt, ...)
{
    if (!fn)
        return;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fn(context, text);
}

/* ---- diagnostics */

regel_severity regel_diagnostic_severity(const regel_diagnostic *d)
{
    switch (d->d->severity) {
    case DIAG_ERROR: return REGEL_SEVERITY_ERROR;
    case DIAG_WARNING: return REGEL_SEVERITY_WARNING;
    default: return REGEL_SEVERITY_NOTE;
    }
}

const char *regel_diagnostic_path(const regel_diagnostic *d) { return d->d->at.file ? d->d->at.file->path : NULL; }

unsigned regel_diagnostic_line(const regel_diagnostic *d)
{
    unsigned line = 0, col = 0;
    if (d->d->at.file)
        diag_line_col(d->d->at.file, d->d->at.start, &line, &col);
    return line;
}

/* In characters, as `--diagnostics=json` counts them, for editors. */
unsigned regel_diagnostic_column(const regel_diagnostic *d)
{
    unsigned line = 0, col = 0;
    if (d->d->at.file)
        diag_line_col(d->d->at.file, d->d->at.start, &line, &col);
    return col;
}

const char *regel_diagnostic_message(const regel_diagnostic *d) { return d->d->message; }

const char *regel_diagnostic_hint(const regel_diagnostic *d) { return d->d->hint; }

size_t regel_diagnostic_format(const regel_diagnostic *d, char *buffer, size_t size)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return 0;
    diag_print(f, d->d, false);
    if (fclose(f) != 0 || !text) {
        free(text);
        return 0;
    }
    if (buffer && size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(buffer, text, n);
        buffer[n] = '\0';
    }
    free(text);
    return len;
}

regel_status regel_diagnostic_write(const regel_diagnostic *d, FILE *out, unsigned flags)
{
    if (!d || !out)
        return REGEL_ERROR_ARGUMENT;
    if (flags & REGEL_WRITE_JSON)
        diag_print_json(out, d->d);
    else
        diag_print(out, d->d, flags & REGEL_WRITE_COLOUR);
    return REGEL_OK;
}

regel_status regel_note_write_json(FILE *out, const char *message)
{
    if (!out || !message)
        return REGEL_ERROR_ARGUMENT;
    diag_print_json(out, &(diag){.severity = DIAG_NOTE, .message = message});
    return REGEL_OK;
}

void api_forward_diagnostic(void *ctx, const diag *d)
{
    const api_forward *f = ctx;
    if (f->fn) {
        regel_diagnostic view = {d};
        f->fn(f->context, &view);
    }
}

void api_counts(const diag_sink *sink, regel_diagnostic_counts *counts)
{
    if (counts)
        *counts = (regel_diagnostic_counts){diag_error_count(sink), diag_warning_count(sink), sink->dropped};
}

/* ---- rulesets */

regel_status regel_ruleset_load(const char *path, regel_diagnostic_fn on_diagnostic, void *context, regel_ruleset **out)
{
    regel_load_options o = REGEL_LOAD_OPTIONS_INIT;
    o.on_diagnostic = on_diagnostic;
    o.context = context;
    return regel_ruleset_load_with(path, &o, NULL, out);
}

regel_status regel_ruleset_load_with(const char *path, const regel_load_options *options,
                                     regel_diagnostic_counts *counts, regel_ruleset **out)
{
    if (counts)
        *counts = (regel_diagnostic_counts){0, 0, 0};
    if (!out)
        return REGEL_ERROR_ARGUMENT;
    *out = NULL;
    regel_load_options o;
    if (!path || !api_options(&o, sizeof o, options) || o.max_nesting > REGEL_MAX_NESTING_CAP)
        return REGEL_ERROR_ARGUMENT;
    api_forward f = {o.on_diagnostic, o.context};
    diag_sink sink = {.fn = api_forward_diagnostic, .ctx = &f, .cap = o.max_errors};
    ruleset *rs = rs_load_limited(path, &sink, o.max_nesting);
    api_counts(&sink, counts);
    if (!rs)
        return sink.errors ? REGEL_ERROR_RULESET : REGEL_ERROR_MEMORY;
    regel_ruleset *r = malloc(sizeof *r);
    char(*dates)[11] = r ? calloc(rs->version_count, sizeof *dates) : NULL;
    if (!r || !dates) {
        free(r);
        rs_free(rs);
        return REGEL_ERROR_MEMORY;
    }
    for (size_t i = 0; i < rs->version_count; i++)
        cal_format(rs->versions[i].date, dates[i]);
    r->rs = rs;
    r->newest = rs->versions[rs->version_count - 1].program;
    r->dates = dates;
    *out = r;
    return REGEL_OK;
}

void regel_ruleset_free(regel_ruleset *r)
{
    if (!r)
        return;
    rs_free(r->rs);
    free(r->dates);
    free(r);
}

size_t regel_ruleset_version_count(const regel_ruleset *r) { return r ? r->rs->version_count : 0; }

const char *regel_ruleset_version_date(const regel_ruleset *r, size_t index)
{
    return r && index < r->rs->version_count ? r->dates[index] : NULL;
}

const char *regel_ruleset_version_path(const regel_ruleset *r, size_t index)
{
    return r && index < r->rs->version_count ? r->rs->versions[index].file->src->path : NULL;
}

const char *regel_ruleset_path(const regel_ruleset *r) { return r ? r->rs->path : NULL; }

const char *regel_ruleset_version_hash(const regel_ruleset *r, size_t index)
{
    return r && index < r->rs->version_count ? r->rs->versions[index].hash : NULL;
}

size_t regel_ruleset_version_rule_count(const regel_ruleset *r, size_t index)
{
    return r && index < r->rs->version_count ? r->rs->versions[index].program->rule_count : 0;
}

/* The files in force for a version are the chain of versions it amends,
 * newest first: a few links, walked anew for each question. */
size_t regel_ruleset_version_file_count(const regel_ruleset *r, size_t index)
{
    size_t n = 0;
    if (r && index < r->rs->version_count)
        for (const rs_version *p = &r->rs->versions[index]; p; p = p->base)
            n++;
    return n;
}

const char *regel_ruleset_version_file(const regel_ruleset *r, size_t index, size_t file)
{
    size_t n = regel_ruleset_version_file_count(r, index);
    if (file >= n)
        return NULL;
    const rs_version *p = &r->rs->versions[index];
    for (size_t from_newest = n - 1 - file; from_newest > 0; from_newest--)
        p = p->base;
    return rs_rel_path(r->rs, p->file->src);
}

regel_status regel_ruleset_version_at(const regel_ruleset *r, const char *date, size_t *index)
{
    cal_day day;
    if (!r || !date || !index || !cal_parse(date, strlen(date), &day))
        return REGEL_ERROR_ARGUMENT;
    const rs_version *v = rs_pick(r->rs, day);
    if (!v)
        return REGEL_ERROR_NOT_FOUND;
    *index = (size_t)(v - r->rs->versions);
    return REGEL_OK;
}

/* ---- sessions */

regel_status regel_session_new(const regel_ruleset *rs, regel_session **out)
{
    if (!out)
        return REGEL_ERROR_ARGUMENT;
    *out = NULL;
    if (!rs)
        return REGEL_ERROR_ARGUMENT;
    regel_session *s = calloc(1, sizeof *s);
    if (!s)
        return REGEL_ERROR_MEMORY;
    s->owner = rs;
    s->max_record = API_DEFAULT_MAX_RECORD_BYTES;
    /* Result lines carry what `regel eval` writes by default: the ruleset hash. */
    s->flags = BT_HASH;
    s->batch = bt_session_new(rs->rs, API_DEFAULT_MAX_DEPTH);
    s->reader = jr_reader_new(RESULT_MAX_DEPTH);
    if (!s->batch || !s->reader || !bt_session_set(s->batch, s->flags)) {
        regel_session_free(s);
        return REGEL_ERROR_MEMORY;
    }
    *out = s;
    return REGEL_OK;
}

void regel_session_free(regel_session *s)
{
    if (!s)
        return;
    bt_session_free(s->batch);
    if (s->reader)
        jr_reader_free(s->reader);
    ob_free(&s->out);
    free(s->record);
    free(s);
}

regel_status regel_session_set_trace(regel_session *s, int on)
{
    if (!s)
        return REGEL_ERROR_ARGUMENT;
    unsigned flags = BT_HASH | (on ? BT_TRACE : 0);
    if (!bt_session_set(s->batch, flags))
        return REGEL_ERROR_MEMORY;
    s->flags = flags;
    return REGEL_OK;
}

regel_status regel_session_set_limits(regel_session *s, const regel_limits *limits)
{
    if (!s || !limits || limits->max_depth > REGEL_MAX_DEPTH_CAP)
        return REGEL_ERROR_ARGUMENT;
    /* The depth is the parser's, fixed when a batch session is made: a new one takes it. */
    bt_session *b = bt_session_new(s->owner->rs, limits->max_depth ? limits->max_depth : API_DEFAULT_MAX_DEPTH);
    if (!b || !bt_session_set(b, s->flags)) {
        bt_session_free(b);
        return REGEL_ERROR_MEMORY;
    }
    bt_session_limit(b, limits->max_steps);
    bt_session_free(s->batch);
    s->batch = b;
    s->max_record = limits->max_record_bytes ? limits->max_record_bytes : API_DEFAULT_MAX_RECORD_BYTES;
    return REGEL_OK;
}

/* The record in a buffer of the session with the spare bytes the JSON reader reads ahead into. */
static const char *padded_record(regel_session *s, const char *json, size_t len)
{
    if (len > SIZE_MAX - JR_PADDING)
        return NULL;
    if (len + JR_PADDING > s->record_cap) {
        char *bigger = realloc(s->record, len + JR_PADDING);
        if (!bigger)
            return NULL;
        s->record = bigger;
        s->record_cap = len + JR_PADDING;
    }
    memcpy(s->record, json, len);
    memset(s->record + len, ' ', JR_PADDING);
    return s->record;
}

/* The trace of the line just decided: batch.h marks the part of the line
 * that holds it, `,"trace_schema":...,"trace":[...]`, which read as an
 * object's members ends with the trace. false only when memory ran out. */
static bool read_trace(regel_session *s, const bt_decision *d, arena *a, const jr_value **trace)
{
    *trace = NULL;
    if (d->trace_end <= d->trace_start + 1 || d->trace_end > s->out.len)
        return true;
    size_t n = d->trace_end - d->trace_start - 1; /* without the leading comma */
    char *text = arena_alloc(a, n + 2 + JR_PADDING);
    if (!text)
        return false;
    text[0] = '{';
    memcpy(text + 1, s->out.data + d->trace_start + 1, n);
    text[n + 1] = '}';
    memset(text + n + 2, ' ', JR_PADDING);
    jr_value *members = NULL;
    jr_status st = jr_parse(s->reader, text, n + 2, a, &members);
    if (st == JR_NO_MEMORY)
        return false;
    if (st == JR_OK && members->kind == JR_OBJECT && members->count &&
        members->members[members->count - 1].value->kind == JR_ARRAY)
        *trace = members->members[members->count - 1].value;
    return true;
}

regel_status regel_eval(regel_session *s, const char *json, size_t len, regel_result **out)
{
    if (!out)
        return REGEL_ERROR_ARGUMENT;
    *out = NULL;
    if (!s || (!json && len))
        return REGEL_ERROR_ARGUMENT;
    if (len > SIZE_MAX - JR_PADDING)
        return REGEL_ERROR_ARGUMENT;
    s->out.len = 0;
    s->out.failed = false;
    bt_outcome outcome;
    if (len > s->max_record)
        outcome = bt_reject_line(s->batch, "line too long", &s->out);
    else {
        const char *record = padded_record(s, json ? json : "", len);
        if (!record)
            return REGEL_ERROR_MEMORY;
        outcome = bt_decide_line(s->batch, record, len, &s->out);
    }
    if (outcome == BT_FAILED || s->out.failed || s->out.len == 0)
        return REGEL_ERROR_MEMORY;
    size_t line_len = s->out.len - (s->out.data[s->out.len - 1] == '\n');

    regel_result *r = calloc(1, sizeof *r);
    arena *a = r ? arena_new() : NULL;
    char *line = a ? arena_alloc(a, line_len + 1 + JR_PADDING) : NULL;
    if (!line) {
        arena_free(a);
        free(r);
        return REGEL_ERROR_MEMORY;
    }
    memcpy(line, s->out.data, line_len);
    memset(line + line_len, '\0', 1 + JR_PADDING);
    jr_value *object = NULL;
    jr_status st = jr_parse(s->reader, line, line_len, a, &object);
    if (st == JR_NO_MEMORY) {
        arena_free(a);
        free(r);
        return REGEL_ERROR_MEMORY;
    }
    /* A rule file may put bytes that are not UTF-8 into a message; the line
     * is then still the line `regel eval` writes, but has no fields to read. */
    r->object = st == JR_OK && object->kind == JR_OBJECT ? object : NULL;
    const bt_decision *d = bt_last(s->batch);
    if ((d->version && !(r->hash = arena_strndup(a, d->version->hash, strlen(d->version->hash)))) ||
        !read_trace(s, d, a, &r->trace)) {
        arena_free(a);
        free(r);
        return REGEL_ERROR_MEMORY;
    }
    r->arena = a;
    r->names = s->owner->newest;
    r->outcome = outcome == BT_DECIDED ? REGEL_DECIDED : REGEL_REJECTED;
    r->line = line;
    r->len = line_len;
    *out = r;
    return REGEL_OK;
}

/* ---- results */

static const jr_value *member(const jr_value *object, const char *name)
{
    if (!object || object->kind != JR_OBJECT || !name)
        return NULL;
    size_t n = strlen(name);
    for (size_t i = 0; i < object->count; i++)
        if (object->members[i].key_len == n && memcmp(object->members[i].key, name, n) == 0)
            return object->members[i].value;
    return NULL;
}

static const char *string_of(const jr_value *v) { return v && v->kind == JR_STRING ? v->text : NULL; }

/* Accessors take NULL for "no result" and answer "nothing", so a caller's
 * error path need not test every pointer. */
regel_outcome regel_result_outcome(const regel_result *r) { return r ? r->outcome : REGEL_REJECTED; }

const char *regel_result_line(const regel_result *r, size_t *length)
{
    if (length)
        *length = r ? r->len : 0;
    return r ? r->line : NULL;
}

const regel_value *regel_result_object(const regel_result *r) { return r ? (const regel_value *)r->object : NULL; }

const regel_value *regel_result_field(const regel_result *r, const char *name)
{
    return r ? (const regel_value *)member(r->object, name) : NULL;
}

const char *regel_result_key(const regel_result *r)
{
    return r ? string_of(member(r->object, r->names->key_name)) : NULL;
}

const char *regel_result_rules_version(const regel_result *r)
{
    return r && r->outcome == REGEL_DECIDED ? string_of(member(r->object, r->names->version_name)) : NULL;
}

static const jr_value *fired_list(const regel_result *r)
{
    const jr_value *v = r && r->outcome == REGEL_DECIDED ? member(r->object, r->names->fired_name) : NULL;
    return v && v->kind == JR_ARRAY ? v : NULL;
}

size_t regel_result_fired_count(const regel_result *r)
{
    const jr_value *v = fired_list(r);
    return v ? v->count : 0;
}

const char *regel_result_fired(const regel_result *r, size_t index)
{
    const jr_value *v = fired_list(r);
    return v && index < v->count ? string_of(&v->items[index]) : NULL;
}

const char *regel_result_ruleset_hash(const regel_result *r) { return r ? r->hash : NULL; }

const regel_value *regel_result_trace(const regel_result *r) { return r ? (const regel_value *)r->trace : NULL; }

static const jr_value *error_object(const regel_result *r)
{
    return r && r->outcome == REGEL_REJECTED ? member(r->object, r->names->error_name) : NULL;
}

const char *regel_result_error_field(const regel_result *r)
{
    const jr_value *e = error_object(r);
    return e ? string_of(member(e, r->names->error_field_name)) : NULL;
}

const char *regel_result_error_message(const regel_result *r)
{
    const jr_value *e = error_object(r);
    return e ? string_of(member(e, r->names->error_message_name)) : NULL;
}

void regel_result_free(regel_result *r)
{
    if (!r)
        return;
    arena_free(r->arena);
    free(r);
}

/* ---- values: a regel_value is a node of the JSON reader's tree */

static const jr_value *jv(const regel_value *v) { return (const jr_value *)v; }

regel_kind regel_value_kind(const regel_value *v)
{
    if (!v)
        return REGEL_NULL;
    switch (jv(v)->kind) {
    case JR_FALSE:
    case JR_TRUE: return REGEL_BOOL;
    case JR_NUMBER: return REGEL_NUMBER;
    case JR_STRING: return REGEL_STRING;
    case JR_ARRAY: return REGEL_ARRAY;
    case JR_OBJECT: return REGEL_OBJECT;
    default: return REGEL_NULL;
    }
}

regel_status regel_value_bool(const regel_value *v, int *out)
{
    if (!v || !out)
        return REGEL_ERROR_ARGUMENT;
    if (jv(v)->kind != JR_TRUE && jv(v)->kind != JR_FALSE)
        return REGEL_ERROR_KIND;
    *out = jv(v)->kind == JR_TRUE;
    return REGEL_OK;
}

regel_status regel_value_int(const regel_value *v, int64_t *out)
{
    if (!v || !out)
        return REGEL_ERROR_ARGUMENT;
    const jr_value *n = jv(v);
    if (n->kind != JR_NUMBER)
        return REGEL_ERROR_KIND;
    size_t i = n->text[0] == '-';
    if (i == n->len)
        return REGEL_ERROR_KIND;
    /* Accumulate negatively, so that INT64_MIN fits too. */
    int64_t acc = 0;
    for (; i < n->len; i++) {
        char c = n->text[i];
        if (c < '0' || c > '9' || acc < (INT64_MIN + (c - '0')) / 10)
            return REGEL_ERROR_KIND;
        acc = acc * 10 - (c - '0');
    }
    if (n->text[0] != '-') {
        if (acc == INT64_MIN)
            return REGEL_ERROR_KIND;
        acc = -acc;
    }
    *out = acc;
    return REGEL_OK;
}

const char *regel_value_text(const regel_value *v, size_t *length)
{
    if (!v || (jv(v)->kind != JR_STRING && jv(v)->kind != JR_NUMBER))
        return NULL;
    if (length)
        *length = jv(v)->len;
    return jv(v)->text;
}

size_t regel_value_count(const regel_value *v)
{
    return v && (jv(v)->kind == JR_ARRAY || jv(v)->kind == JR_OBJECT) ? jv(v)->count : 0;
}

const regel_value *regel_value_item(const regel_value *v, size_t index)
{
    if (!v || index >= regel_value_count(v))
        return NULL;
    if (jv(v)->kind == JR_ARRAY)
        return (const regel_value *)&jv(v)->items[index];
    return (const regel_value *)jv(v)->members[index].value;
}

const char *regel_value_key(const regel_value *v, size_t index)
{
    return v && jv(v)->kind == JR_OBJECT && index < jv(v)->count ? jv(v)->members[index].key : NULL;
}

const regel_value *regel_value_member(const regel_value *v, const char *name)
{
    return (const regel_value *)member(v ? jv(v) : NULL, name);
}
