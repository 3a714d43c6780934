/*
 * Reading one case record into typed input slots, driven entirely by the
 * rule version's input declaration: field names, types, ranges, defaults and
 * the allowed values of enums all come from the rule files. Fields are
 * checked in document order, then missing required fields in declaration
 * order, so a record with several problems reports the first one met.
 */
#include "record.h"

#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "eval.h"
#include "exact.h"

typedef struct reader {
    arena *a;
    rec_error *err;
} reader;

static bool fail(reader *r, const char *path, const char *message)
{
    r->err->field = path;
    r->err->message = message;
    return false;
}

static const char *join_key(reader *r, const char *prefix, const char *key)
{
    if (!prefix)
        return key;
    size_t n = strlen(prefix) + strlen(key) + 2;
    char *s = arena_alloc(r->a, n);
    if (s)
        snprintf(s, n, "%s.%s", prefix, key);
    return s ? s : key;
}

static const char *join_index(reader *r, const char *prefix, size_t i)
{
    size_t n = strlen(prefix) + 24;
    char *s = arena_alloc(r->a, n);
    if (s)
        snprintf(s, n, "%s[%zu]", prefix, i);
    return s ? s : prefix;
}

static bool read_object(reader *r, const ir_record *rec, const jr_value *obj, const char *path, value *slots);

static const char *expected(vtype t)
{
    switch (t.kind) {
    case VT_BOOL: return "expected a boolean";
    case VT_DECIMAL: return "expected a number";
    case VT_DATE: return "expected a date string YYYY-MM-DD";
    case VT_TEXT:
    case VT_ENUM: return "expected a string";
    case VT_LIST: return "expected an array";
    default: return "expected an integer";
    }
}

static bool read_value(reader *r, const ir_field *f, const jr_value *v, const char *path, value *out)
{
    switch (f->type.kind) {
    case VT_BOOL:
        if (v->kind != JR_TRUE && v->kind != JR_FALSE)
            return fail(r, path, expected(f->type));
        out->i = v->kind == JR_TRUE;
        return true;
    case VT_INT:
    case VT_DURATION:
    case VT_WEEKLY:
    case VT_YEARS:
    case VT_MONEY: {
        if (v->kind != JR_NUMBER)
            return fail(r, path, expected(f->type));
        int64_t lo = f->has_range ? f->low : INT64_MIN, hi = f->has_range ? f->high : INT64_MAX;
        switch (ex_parse_int(v->text, v->len, lo, hi, &out->i)) {
        case EX_OK: return true;
        case EX_OUT_OF_RANGE: return fail(r, path, "out of range");
        default: return fail(r, path, expected(f->type));
        }
    }
    case VT_DECIMAL:
        if (v->kind != JR_NUMBER)
            return fail(r, path, expected(f->type));
        if (ex_parse_decimal(v->text, v->len, &out->i) != EX_OK ||
            (f->has_range && (out->i < f->low || out->i > f->high)))
            return fail(r, path, "out of range");
        return true;
    case VT_DATE:
        if (v->kind != JR_STRING)
            return fail(r, path, expected(f->type));
        {
            cal_day day;
            if (!cal_parse(v->text, v->len, &day))
                return fail(r, path, "not a valid date");
            if (f->has_range && (day < f->low || day > f->high))
                return fail(r, path, "out of range");
            out->i = day;
        }
        return true;
    case VT_TEXT: {
        if (v->kind != JR_STRING)
            return fail(r, path, expected(f->type));
        ev_text *t = arena_alloc(r->a, sizeof *t + v->len + 1);
        if (!t)
            return fail(r, NULL, "out of memory");
        t->len = v->len;
        memcpy(t->bytes, v->text, v->len);
        t->bytes[v->len] = '\0';
        out->p = t;
        return true;
    }
    case VT_ENUM:
        if (v->kind != JR_STRING)
            return fail(r, path, expected(f->type));
        for (size_t i = 0; i < f->type.en->count; i++)
            if (strlen(f->type.en->members[i]) == v->len && memcmp(f->type.en->members[i], v->text, v->len) == 0) {
                out->i = (int64_t)i;
                return true;
            }
        {
            size_t n = strlen(f->name) + 10;
            char *msg = arena_alloc(r->a, n);
            if (msg)
                snprintf(msg, n, "unknown %s", f->name);
            return fail(r, path, msg ? msg : "unknown value");
        }
    case VT_LIST: {
        if (v->kind != JR_ARRAY)
            return fail(r, path, expected(f->type));
        const ir_record *rec = f->type.rec;
        ev_list *list = arena_alloc(r->a, sizeof *list);
        ev_item *items = arena_calloc(r->a, v->count ? v->count : 1, sizeof *items);
        if (!list || !items)
            return fail(r, NULL, "out of memory");
        list->count = v->count;
        list->items = items;
        for (size_t i = 0; i < v->count; i++) {
            const char *ipath = join_index(r, path, i);
            if (v->items[i].kind != JR_OBJECT)
                return fail(r, ipath, "expected an object");
            items[i].fields = arena_calloc(r->a, rec->field_count ? rec->field_count : 1, sizeof *items[i].fields);
            items[i].attrs = arena_calloc(r->a, rec->attr_count ? rec->attr_count : 1, sizeof *items[i].attrs);
            items[i].state = arena_calloc(r->a, rec->attr_count ? rec->attr_count : 1, 1);
            if (!items[i].fields || !items[i].attrs || !items[i].state)
                return fail(r, NULL, "out of memory");
            if (!read_object(r, rec, &v->items[i], ipath, items[i].fields))
                return false;
        }
        out->p = list;
        return true;
    }
    default:
        return fail(r, path, "this field's type cannot be read from a record");
    }
}

static bool read_object(reader *r, const ir_record *rec, const jr_value *obj, const char *path, value *slots)
{
    unsigned char seen_small[64];
    unsigned char *seen = rec->field_count <= sizeof seen_small ? seen_small : arena_calloc(r->a, rec->field_count, 1);
    if (!seen)
        return fail(r, NULL, "out of memory");
    memset(seen, 0, rec->field_count);
    for (size_t m = 0; m < obj->count; m++) {
        const jr_member *mem = &obj->members[m];
        size_t f = 0;
        while (f < rec->field_count &&
               !(strlen(rec->fields[f].name) == mem->key_len && memcmp(rec->fields[f].name, mem->key, mem->key_len) == 0))
            f++;
        const char *fpath = join_key(r, path, mem->key);
        if (f == rec->field_count) {
            /* A duplicate of an unknown key is still first of all unknown. */
            return fail(r, fpath, "unknown field");
        }
        if (seen[f])
            return fail(r, fpath, "duplicate key");
        seen[f] = 1;
        if (!read_value(r, &rec->fields[f], mem->value, fpath, &slots[f]))
            return false;
    }
    for (size_t f = 0; f < rec->field_count; f++) {
        if (seen[f])
            continue;
        if (rec->fields[f].required)
            return fail(r, join_key(r, path, rec->fields[f].name), "missing required field");
        slots[f] = rec->fields[f].fallback;
    }
    return true;
}

bool rec_read(const ir_program *p, const jr_value *root, arena *a, value **inputs, rec_error *err)
{
    reader r = {a, err};
    if (root->kind != JR_OBJECT)
        return fail(&r, NULL, "not a JSON object");
    value *slots = arena_calloc(a, p->input.field_count ? p->input.field_count : 1, sizeof *slots);
    if (!slots)
        return fail(&r, NULL, "out of memory");
    if (!read_object(&r, &p->input, root, NULL, slots))
        return false;
    *inputs = slots;
    return true;
}

const jr_value *rec_member(const jr_value *object, const char *name)
{
    if (!object || object->kind != JR_OBJECT)
        return NULL;
    size_t n = strlen(name);
    for (size_t m = 0; m < object->count; m++)
        if (object->members[m].key_len == n && memcmp(object->members[m].key, name, n) == 0)
            return object->members[m].value;
    return NULL;
}
