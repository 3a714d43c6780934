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

struct bt_session {
    const ruleset *rs;
    const ir_program *newest;
    jr_reader *reader;
    arena *arena;
};

bt_session *bt_session_new(const ruleset *rs, size_t max_depth)
{
    bt_session *s = arena_sys_malloc(sizeof *s);
    if (!s)
        return NULL;
    s->rs = rs;
    s->newest = rs->versions[rs->version_count - 1].program;
    s->reader = jr_reader_new(max_depth);
    s->arena = arena_new();
    if (!s->reader || !s->arena) {
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
    free(s);
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

static void write_value(ob_buf *out, vtype t, value v)
{
    char tmp[32];
    switch (t.kind) {
    case VT_BOOL: ob_str(out, v.i ? "true" : "false"); break;
    case VT_DECIMAL: ob_bytes(out, tmp, ex_format_decimal(v.i, tmp)); break;
    case VT_DATE:
        cal_format((cal_day)v.i, tmp);
        ob_char(out, '"');
        ob_bytes(out, tmp, 10);
        ob_char(out, '"');
        break;
    case VT_TEXT: {
        const ev_text *text = v.p;
        ob_json_string(out, text->bytes, text->len);
        break;
    }
    case VT_ENUM: ob_json_string(out, t.en->members[v.i], strlen(t.en->members[v.i])); break;
    default: ob_int(out, v.i); break;
    }
}

static void write_result(ob_buf *out, const ir_program *p, const jr_value *id, const ev_case *c, const value *results)
{
    char date[11];
    ob_char(out, '{');
    write_id(out, p, id);
    ob_str(out, ",\"");
    ob_str(out, p->version_name);
    ob_str(out, "\":\"");
    cal_format(p->version, date);
    ob_bytes(out, date, 10);
    ob_char(out, '"');
    for (size_t i = 0; i < p->result_count; i++) {
        ob_str(out, ",\"");
        ob_str(out, p->results[i].name);
        ob_str(out, "\":");
        write_value(out, p->results[i].type, results[i]);
    }
    ob_str(out, ",\"");
    ob_str(out, p->fired_name);
    ob_str(out, "\":[");
    for (size_t i = 0; i < c->fired_count; i++) {
        if (i)
            ob_char(out, ',');
        ob_json_string(out, c->fired[i]->decl->name, strlen(c->fired[i]->decl->name));
    }
    ob_str(out, "]}\n");
}

bt_outcome bt_decide_line(bt_session *s, const char *line, size_t len, ob_buf *out)
{
    const ir_program *p = s->newest;
    arena_reset(s->arena);
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
    /* Pick the version by the selector date when it can be read; otherwise the
     * newest version's declaration reports what is wrong with the record. */
    const jr_value *sel = rec_member(root, p->input.fields[p->selector].name);
    cal_day day = 0;
    bool too_early = false;
    if (sel && sel->kind == JR_STRING && cal_parse(sel->text, sel->len, &day)) {
        const rs_version *v = rs_pick(s->rs, day);
        if (v)
            p = v->program;
        else
            too_early = true;
    }
    value *inputs = NULL;
    rec_error err = {0};
    if (!rec_read(p, root, s->arena, &inputs, &err)) {
        write_error(out, p, id, err.field, err.message);
        return strcmp(err.message, "out of memory") == 0 ? BT_FAILED : BT_REJECTED;
    }
    ev_case c;
    value *results = arena_calloc(s->arena, p->result_count ? p->result_count : 1, sizeof *results);
    if (!results || !ev_begin(&c, p, s->arena, inputs)) {
        write_error(out, p, id, NULL, "out of memory");
        return BT_FAILED;
    }
    const ir_check *failed = ev_failed_check(&c);
    if (failed)
        return write_error(out, p, id, failed->field, failed->message);
    if (too_early)
        return write_error(out, p, id, p->input.fields[p->selector].name, "before the oldest rule version");
    if (!ev_decide(&c, results))
        return write_error(out, p, id, NULL, c.error);
    write_result(out, p, id, &c, results);
    return BT_DECIDED;
}
