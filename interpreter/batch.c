/*
 * One line in, one result line out. Every path, however broken the input,
 * ends in exactly one line: a result or an error record naming the field.
 * The id is echoed whenever the line is a JSON object whose key field is a
 * string, whatever else is wrong with it.
 */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "eval.h"
#include "exact.h"
#include "json_reader.h"
#include "record.h"
#include "trace.h"

/* The parts of a result line that are the same for every record a version
 * decides, rendered once per session: writing a result then copies them
 * rather than escaping names and formatting the date anew for each line. */
typedef struct bt_frags {
    char *open, *version, *fired, *hash;
    size_t open_len, version_len, fired_len, hash_len;
    char **results;            /* per result: ,"name": */
    size_t *result_lens;
    char **rules;              /* per rule index: "name" */
    size_t *rule_lens;
} bt_frags;

struct bt_session {
    const ruleset *rs;
    const ir_program *newest;
    jr_reader *reader;
    arena *arena;
    unsigned flags;
    arena *fixed;              /* what lives as long as the session: rule locations */
    const char ***rule_at;     /* per version, per rule index: "path:line" (BT_TRACE) */
    ev_case c;
    bt_decision last;
    uint64_t max_steps;  /* per record; 0: the evaluator's default */
    rec_index **rec_ix;        /* per version: the record reader's name tables (NULL: read without) */
    bt_frags *frags;           /* per version */
};

/* Copies what `tmp` holds since `from` into the arena as one fragment. */
static char *frag(arena *a, ob_buf *tmp, size_t from, size_t *len)
{
    *len = tmp->len - from;
    char *f = tmp->failed ? NULL : arena_alloc(a, *len ? *len : 1);
    if (f)
        memcpy(f, tmp->data + from, *len);
    return f;
}

static bool build_frags(arena *a, bt_frags *f, const rs_version *v)
{
    const ir_program *p = v->program;
    ob_buf tmp = {0};
    char date[11];
    ob_str(&tmp, "{\"");
    ob_str(&tmp, p->key_name);
    ob_str(&tmp, "\":");
    f->open = frag(a, &tmp, 0, &f->open_len);
    size_t at = tmp.len;
    ob_str(&tmp, ",\"");
    ob_str(&tmp, p->version_name);
    ob_str(&tmp, "\":\"");
    cal_format(p->version, date);
    ob_bytes(&tmp, date, 10);
    ob_char(&tmp, '"');
    f->version = frag(a, &tmp, at, &f->version_len);
    at = tmp.len;
    ob_str(&tmp, ",\"");
    ob_str(&tmp, p->fired_name);
    ob_str(&tmp, "\":[");
    f->fired = frag(a, &tmp, at, &f->fired_len);
    at = tmp.len;
    ob_str(&tmp, "],\"ruleset_hash\":\"");
    ob_str(&tmp, v->hash);
    ob_char(&tmp, '"');
    f->hash = frag(a, &tmp, at, &f->hash_len);
    f->results = arena_alloc(a, (p->result_count ? p->result_count : 1) * sizeof *f->results);
    f->result_lens = arena_alloc(a, (p->result_count ? p->result_count : 1) * sizeof *f->result_lens);
    f->rules = arena_alloc(a, (p->rule_count ? p->rule_count : 1) * sizeof *f->rules);
    f->rule_lens = arena_alloc(a, (p->rule_count ? p->rule_count : 1) * sizeof *f->rule_lens);
    bool ok = f->open && f->version && f->fired && f->hash && f->results && f->result_lens && f->rules && f->rule_lens;
    for (size_t i = 0; ok && i < p->result_count; i++) {
        at = tmp.len;
        ob_str(&tmp, ",\"");
        ob_str(&tmp, p->results[i].name);
        ob_str(&tmp, "\":");
        ok = (f->results[i] = frag(a, &tmp, at, &f->result_lens[i])) != NULL;
    }
    for (size_t i = 0; ok && i < p->rule_count; i++) {
        at = tmp.len;
        ob_json_string(&tmp, p->rules[i]->decl->name, strlen(p->rules[i]->decl->name));
        ok = (f->rules[i] = frag(a, &tmp, at, &f->rule_lens[i])) != NULL;
    }
    ob_free(&tmp);
    return ok;
}

bt_session *bt_session_new(const ruleset *rs, size_t max_depth)
{
    bt_session *s = arena_sys_malloc(sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    s->rs = rs;
    s->newest = rs->versions[rs->version_count - 1].program;
    s->reader = jr_reader_new(max_depth);
    s->arena = arena_new();
    s->fixed = arena_new();
    if (s->fixed && (s->rec_ix = arena_calloc(s->fixed, rs->version_count, sizeof *s->rec_ix)))
        for (size_t i = 0; i < rs->version_count; i++)
            s->rec_ix[i] = rec_index_new(s->fixed, rs->versions[i].program);
    if (s->fixed && (s->frags = arena_calloc(s->fixed, rs->version_count, sizeof *s->frags)))
        for (size_t i = 0; s->frags && i < rs->version_count; i++)
            if (!build_frags(s->fixed, &s->frags[i], &rs->versions[i]))
                s->frags = NULL;
    if (!s->reader || !s->arena || !s->fixed || !s->frags) {
        bt_session_free(s);
        return NULL;
    }
    return s;
}

void bt_session_free(bt_session *s)
{
    if (!s)
        return;
    if (s->reader)
        jr_reader_free(s->reader);
    arena_free(s->arena);
    arena_free(s->fixed);
    free(s);
}

bool bt_session_set(bt_session *s, unsigned flags)
{
    s->flags = flags;
    if (!(flags & BT_TRACE) || s->rule_at)
        return true;
    if (!s->fixed && !(s->fixed = arena_new()))
        return false;
    s->rule_at = arena_calloc(s->fixed, s->rs->version_count, sizeof *s->rule_at);
    for (size_t i = 0; s->rule_at && i < s->rs->version_count; i++)
        if (!(s->rule_at[i] = tr_rule_ats(s->fixed, s->rs, s->rs->versions[i].program)))
            s->rule_at = NULL;
    return s->rule_at != NULL;
}

void bt_session_limit(bt_session *s, uint64_t max_steps)
{
    s->max_steps = max_steps;
}

const bt_decision *bt_last(const bt_session *s)
{
    return &s->last;
}

bool bt_blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            return false;
    return true;
}

static void write_id(ob_buf *out, const ir_program *p, const jr_value *id)
{
    ob_char(out, '"');
    ob_str(out, p->key_name);
    ob_str(out, "\":");
    if (id && id->kind == JR_STRING)
        ob_json_string(out, id->text, id->len);
    else
        ob_str(out, "null");
}

static bt_outcome write_error(ob_buf *out, const ir_program *p, const jr_value *id, const char *field, const char *message)
{
    ob_char(out, '{');
    write_id(out, p, id);
    ob_str(out, ",\"");
    ob_str(out, p->error_name);
    ob_str(out, "\":{\"");
    ob_str(out, p->error_field_name);
    ob_str(out, "\":");
    if (field)
        ob_json_string(out, field, strlen(field));
    else
        ob_str(out, "null");
    ob_str(out, ",\"");
    ob_str(out, p->error_message_name);
    ob_str(out, "\":");
    ob_json_string(out, message, strlen(message));
    ob_str(out, "}}\n");
    return BT_REJECTED;
}

/* A result value; whole numbers and booleans without going through printf. */
static void write_value(ob_buf *out, vtype t, value v)
{
    switch (t.kind) {
    case VT_INT:
    case VT_DURATION:
    case VT_WEEKLY:
    case VT_YEARS:
    case VT_MONEY: {
        char tmp[24], *end = tmp + sizeof tmp, *d = end;
        uint64_t u = v.i < 0 ? 0 - (uint64_t)v.i : (uint64_t)v.i;
        do {
            *--d = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v.i < 0)
            *--d = '-';
        ob_bytes(out, d, (size_t)(end - d));
        break;
    }
    case VT_BOOL:
        if (v.i)
            ob_bytes(out, "true", 4);
        else
            ob_bytes(out, "false", 5);
        break;
    default: tr_write_value(out, t, v); break;
    }
}

static void write_result(bt_session *s, ob_buf *out, const rs_version *v, const jr_value *id, const ev_case *c,
                         const value *results)
{
    const ir_program *p = v->program;
    const bt_frags *f = &s->frags[v - s->rs->versions];
    ob_bytes(out, f->open, f->open_len);
    if (id && id->kind == JR_STRING)
        ob_json_string(out, id->text, id->len);
    else
        ob_bytes(out, "null", 4);
    ob_bytes(out, f->version, f->version_len);
    for (size_t i = 0; i < p->result_count; i++) {
        ob_bytes(out, f->results[i], f->result_lens[i]);
        write_value(out, p->results[i].type, results[i]);
    }
    ob_bytes(out, f->fired, f->fired_len);
    for (size_t i = 0; i < c->fired_count; i++) {
        if (i)
            ob_char(out, ',');
        ob_bytes(out, f->rules[c->fired[i]->index], f->rule_lens[c->fired[i]->index]);
    }
    if (s->flags & BT_HASH)
        ob_bytes(out, f->hash, f->hash_len);
    else
        ob_char(out, ']');
    s->last.trace_start = out->len;
    if (s->flags & BT_TRACE) {
        ob_str(out, ",\"trace_schema\":\"" TR_SCHEMA "\",\"trace\":");
        tr_write_trace(out, s->rs, c, s->rule_at[v - s->rs->versions]);
    }
    s->last.trace_end = out->len;
    ob_str(out, "}\n");
}

bt_outcome bt_reject_line(bt_session *s, const char *message, ob_buf *out)
{
    s->last = (bt_decision){.outcome = BT_REJECTED, .line_start = out->len};
    write_error(out, s->newest, NULL, NULL, message);
    s->last.line_end = s->last.trace_start = s->last.trace_end = out->len;
    return BT_REJECTED;
}

static bt_outcome decide_line(bt_session *s, const char *line, size_t len, ob_buf *out);

bt_outcome bt_decide_line(bt_session *s, const char *line, size_t len, ob_buf *out)
{
    s->last = (bt_decision){.line_start = out->len};
    bt_outcome o = decide_line(s, line, len, out);
    s->last.outcome = o;
    s->last.line_end = out->len;
    if (s->last.trace_end <= s->last.trace_start)
        s->last.trace_start = s->last.trace_end = s->last.line_end;
    return o;
}

/* Reads the line the general way: a tree, the version picked from it, the
 * record read from the tree. Every error record about the input comes from
 * here. BT_DECIDED when the record was read. */
static bt_outcome read_general(bt_session *s, const char *line, size_t len, ob_buf *out, const rs_version **version,
                               jr_value *id_out, bool *too_early, value **inputs)
{
    const ir_program *p = s->newest;
    jr_value *root = NULL;
    switch (jr_parse(s->reader, line, len, s->arena, &root)) {
    case JR_OK: break;
    case JR_TOO_DEEP: return write_error(out, p, NULL, NULL, "not JSON: nested too deeply");
    case JR_NO_MEMORY: write_error(out, p, NULL, NULL, "out of memory"); return BT_FAILED;
    default: return write_error(out, p, NULL, NULL, "not JSON");
    }
    if (root->kind != JR_OBJECT)
        return write_error(out, p, NULL, NULL, "not a JSON object");
    const jr_value *id = rec_member(root, p->key_name);
    if (id && id->kind == JR_STRING) {
        s->last.id = id->text;
        s->last.id_len = id->len;
        *id_out = *id;
    }
    /* Pick the version by the selector date when it can be read; otherwise the
     * newest version's declaration reports what is wrong with the record. */
    const jr_value *sel = rec_member(root, p->input.fields[p->selector].name);
    cal_day day = 0;
    if (sel && sel->kind == JR_STRING && cal_parse(sel->text, sel->len, &day)) {
        s->last.has_day = true;
        s->last.day = (int32_t)day;
        const rs_version *v = rs_pick(s->rs, day);
        if (v) {
            p = v->program;
            *version = v;
        } else
            *too_early = true;
    }
    s->last.version = *version;
    rec_error err = {0};
    if (!rec_read_indexed(p, s->rec_ix ? s->rec_ix[*version - s->rs->versions] : NULL, root, s->arena, inputs, &err)) {
        write_error(out, p, id_out->kind == JR_STRING ? id_out : NULL, err.field, err.message);
        return strcmp(err.message, "out of memory") == 0 ? BT_FAILED : BT_REJECTED;
    }
    return BT_DECIDED;
}

static bt_outcome decide_line(bt_session *s, const char *line, size_t len, ob_buf *out)
{
    const rs_version *version = &s->rs->versions[s->rs->version_count - 1];
    arena_reset(s->arena);
    value *inputs = NULL;
    jr_value key = {.kind = JR_NULL};
    bool too_early = false;
    rec_direct direct;
    if (s->rec_ix && !(s->flags & BT_GENERAL_READER) && rec_read_direct(s->rs, s->rec_ix, s->reader, line, len, s->arena, &direct)) {
        version = direct.version;
        inputs = direct.inputs;
        s->last.version = version;
        s->last.has_day = true;
        s->last.day = direct.day;
        if (direct.id) {
            key = (jr_value){.kind = JR_STRING, .text = direct.id, .len = direct.id_len};
            s->last.id = direct.id;
            s->last.id_len = direct.id_len;
        }
    } else {
        arena_reset(s->arena);
        bt_outcome o = read_general(s, line, len, out, &version, &key, &too_early, &inputs);
        if (o != BT_DECIDED)
            return o;
    }
    const ir_program *p = version->program;
    const jr_value *id = key.kind == JR_STRING ? &key : NULL;
    ev_case *c = &s->c;
    value *results = arena_calloc(s->arena, p->result_count ? p->result_count : 1, sizeof *results);
    if (!results || !ev_begin(c, p, s->arena, inputs)) {
        write_error(out, p, id, NULL, "out of memory");
        return BT_FAILED;
    }
    if (s->max_steps)
        c->max_steps = s->max_steps;
    const ir_check *failed = ev_failed_check(c);
    if (failed) /* a limit reached while checking is not the check's verdict */
        return write_error(out, p, id, c->over_limit ? NULL : failed->field, c->over_limit ? c->error : failed->message);
    if (too_early)
        return write_error(out, p, id, p->input.fields[p->selector].name, "before the oldest rule version");
    c->tracing = (s->flags & (BT_TRACE | BT_RECORD)) != 0;
    if (!ev_decide(c, results)) {
        write_error(out, p, id, NULL, c->error);
        return strcmp(c->error, "out of memory") == 0 ? BT_FAILED : BT_REJECTED;
    }
    s->last.c = c;
    s->last.results = results;
    write_result(s, out, version, id, c, results);
    return BT_DECIDED;
}
