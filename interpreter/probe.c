/*
 * Reading decided cases for tests and diffs (see probe.h), and the small JSON
 * helpers those tools share.
 */
#include "probe.h"

#include <string.h>

#include "calendar.h"
#include "exact.h"

void pb_pin(const ruleset *rs, const rs_version *v, ruleset *view, rs_version *slot)
{
    *view = *rs;
    *slot = *v;
    /* rs_pick returns the newest version dated on or before the day; with the
     * one version dated at the start of time, that is it for every day. */
    slot->date = INT32_MIN;
    view->versions = slot;
    view->version_count = 1;
}

const ir_rule *pb_fired_rule(const ev_case *c, const ir_value *v)
{
    for (size_t i = 0; i < c->fired_count; i++)
        if (c->prog->rules[c->fired[i]]->target == v)
            return c->prog->rules[c->fired[i]];
    return NULL;
}

const ev_seen *pb_defined(const ev_step *st)
{
    for (size_t i = 0; i < st->seen_count; i++)
        if (st->seen[i].kind == EV_SEEN_DEFINED)
            return &st->seen[i];
    return NULL;
}

void pb_write_typed(ob_buf *out, vtype t, value v)
{
    char tmp[32];
    switch (t.kind) {
    case VT_INT: ob_int(out, v.i); break;
    case VT_DECIMAL: ob_bytes(out, tmp, ex_format_decimal(v.i, tmp)); break;
    case VT_DURATION: ob_int(out, v.i); ob_str(out, " min"); break;
    case VT_WEEKLY: ob_int(out, v.i); ob_str(out, " min/week"); break;
    case VT_YEARS: ob_int(out, v.i); ob_str(out, " years"); break;
    case VT_MONEY: {
        /* öre as kronor with two decimals */
        int64_t whole = v.i / 100, cents = v.i % 100;
        if (v.i < 0 && whole == 0)
            ob_char(out, '-');
        ob_int(out, whole);
        ob_char(out, '.');
        cents = cents < 0 ? -cents : cents;
        ob_char(out, (char)('0' + cents / 10));
        ob_char(out, (char)('0' + cents % 10));
        ob_str(out, " kr");
        break;
    }
    case VT_DATE: cal_format((cal_day)v.i, tmp); ob_str(out, tmp); break;
    case VT_BOOL: ob_str(out, v.i ? "true" : "false"); break;
    case VT_TEXT: {
        const ev_text *text = v.p;
        ob_json_string(out, text->bytes, text->len);
        break;
    }
    case VT_ENUM: ob_str(out, t.en->members[v.i]); break;
    case VT_LIST: {
        const ev_list *list = v.p;
        ob_char(out, '[');
        ob_int(out, list ? (int64_t)list->count : 0);
        ob_str(out, " items]");
        break;
    }
    case VT_ITEM: ob_str(out, "(item)"); break;
    case VT_ROW: {
        const ir_row *row = v.p;
        ob_str(out, "row ");
        pb_write_where(out, row->at);
        break;
    }
    }
}

void pb_write_json(ob_buf *out, const jr_value *v)
{
    switch (v->kind) {
    case JR_NULL: ob_str(out, "null"); break;
    case JR_FALSE: ob_str(out, "false"); break;
    case JR_TRUE: ob_str(out, "true"); break;
    case JR_NUMBER: ob_bytes(out, v->text, v->len); break;
    case JR_STRING: ob_json_string(out, v->text, v->len); break;
    case JR_ARRAY:
        ob_char(out, '[');
        for (size_t i = 0; i < v->count; i++) {
            if (i)
                ob_char(out, ',');
            pb_write_json(out, &v->items[i]);
        }
        ob_char(out, ']');
        break;
    case JR_OBJECT:
        ob_char(out, '{');
        for (size_t i = 0; i < v->count; i++) {
            if (i)
                ob_char(out, ',');
            ob_json_string(out, v->members[i].key, v->members[i].key_len);
            ob_char(out, ':');
            pb_write_json(out, v->members[i].value);
        }
        ob_char(out, '}');
        break;
    }
}

const jr_value *pb_member(const jr_value *object, const char *key)
{
    if (!object || object->kind != JR_OBJECT)
        return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < object->count; i++)
        if (object->members[i].key_len == n && memcmp(object->members[i].key, key, n) == 0)
            return object->members[i].value;
    return NULL;
}

static const jr_value *member_n(const jr_value *object, const char *key, size_t n)
{
    for (size_t i = 0; i < object->count; i++)
        if (object->members[i].key_len == n && memcmp(object->members[i].key, key, n) == 0)
            return object->members[i].value;
    return NULL;
}

bool pb_json_equal(const jr_value *a, const jr_value *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case JR_NULL:
    case JR_FALSE:
    case JR_TRUE: return true;
    case JR_NUMBER: {
        int64_t x, y;
        if (ex_parse_decimal(a->text, a->len, &x) == EX_OK && ex_parse_decimal(b->text, b->len, &y) == EX_OK)
            return x == y;
        return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
    }
    case JR_STRING: return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
    case JR_ARRAY:
        if (a->count != b->count)
            return false;
        for (size_t i = 0; i < a->count; i++)
            if (!pb_json_equal(&a->items[i], &b->items[i]))
                return false;
        return true;
    case JR_OBJECT:
        if (a->count != b->count)
            return false;
        for (size_t i = 0; i < a->count; i++) {
            const jr_value *other = member_n(b, a->members[i].key, a->members[i].key_len);
            if (!other || !pb_json_equal(a->members[i].value, other))
                return false;
        }
        return true;
    }
    return false;
}

void pb_write_where(ob_buf *out, loc at)
{
    if (!at.file) {
        ob_str(out, "(no file)");
        return;
    }
    unsigned line, col;
    src_line_col(at.file, at.start, &line, &col);
    ob_str(out, at.file->path);
    ob_char(out, ':');
    ob_int(out, line);
}
